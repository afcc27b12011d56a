"""A load killed part-way, then run again, leaves exactly the warehouse one clean run leaves."""

import os
import signal
import subprocess
import sys
import time

import pytest
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
