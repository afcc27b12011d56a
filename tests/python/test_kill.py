"""A load killed part-way, then run again, leaves exactly the warehouse one clean run leaves;
a build killed takes dbt with it."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_MESSAGES
from raw_contents import query, raw_contents

from sdw.demo import generate

# Enough files that the load takes seconds and reports progress, so the kill lands mid-way.
MIN_FILES = 25_000


@pytest.fixture(scope="module")
def inboxes(tmp_path_factory) -> list[str]:
    demo = tmp_path_factory.mktemp("kill")
    inboxes, files = [], 0
    while files < MIN_FILES:
        out = demo / f"gemeente-{len(inboxes) + 1}"
        code = f"{9101 + len(inboxes)}"
        truth = generate(out, seed=len(inboxes) + 1, inwoners=40_000, gemeente_code=code)
        files += truth["counts"]["files"]
        inboxes.append(str(out / "inbox"))
    return inboxes


def _ingest(warehouse, inboxes) -> subprocess.Popen:
    env = {**os.environ, "SDW_WAREHOUSE": str(warehouse), "SDW_QUARANTINE": str(warehouse.parent)}
    env.pop("SDW_PSEUDONYM_KEY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "sdw.cli", "ingest", "messages", *inboxes],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_killed_load_rerun_equals_a_clean_run(inboxes, tmp_path):
    clean = tmp_path / "clean" / "w.duckdb"
    assert _ingest(clean, inboxes).wait(timeout=600) == 0
    files = query(clean, "select count(*) from raw.ingest_files")[0][0]

    killed = tmp_path / "killed" / "w.duckdb"
    load = _ingest(killed, inboxes)
    # A progress line means batches have been committed; kill in the middle of the next one.
    for line in load.stderr:
        if "messages/s" in line:
            break
    time.sleep(0.2)
    load.send_signal(signal.SIGKILL)
    assert load.wait(timeout=60) == -signal.SIGKILL
    load.stderr.close()
    part = query(killed, "select count(*) from raw.ingest_files")[0][0]
    assert 0 < part < files, "the kill did not land part-way"

    assert _ingest(killed, inboxes).wait(timeout=600) == 0
    assert raw_contents(killed) == raw_contents(clean)


def _children(pid: int) -> list[int]:
    """The processes `pid` started (Linux: each thread's children file)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            children += [int(c) for c in (task / "children").read_text().split()]
    return children


def _alive(pid: int) -> bool:
    """Running, not gone and not a zombie waiting for a reaper that may not come."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rpartition(")")[2].split()[0] != "Z"


def test_killed_build_takes_dbt_with_it(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    env = {**os.environ, "SDW_WAREHOUSE": str(warehouse), "SDW_QUARANTINE": str(tmp_path / "q")}
    for name in ("SDW_PSEUDONYM_KEY", "SDW_TARGET", "SDW_XSD_DIR"):
        env.pop(name, None)
    ingest = [sys.executable, "-m", "sdw.cli", "ingest", "messages", str(FIXTURE_MESSAGES)]
    subprocess.run(ingest, env=env, check=True, capture_output=True)
    build = subprocess.Popen(
        [sys.executable, "-m", "sdw.cli", "build"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    dbt = []
    try:
        deadline = time.monotonic() + 120
        while not dbt and time.monotonic() < deadline and build.poll() is None:
            dbt = _children(build.pid)
            time.sleep(0.05)
        assert dbt, "sdw build started no dbt"
        build.send_signal(signal.SIGKILL)
        assert build.wait(timeout=60) == -signal.SIGKILL
        # SIGTERM from the kernel at once; dbt's own exit can take seconds on a loaded machine
        deadline = time.monotonic() + 30
        while _alive(dbt[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(dbt[0]), "dbt still runs after sdw build was killed"
    finally:
        for pid in dbt:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
