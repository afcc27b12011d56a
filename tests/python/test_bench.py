"""`make bench` at a tiny size (CI smoke test, not timed): results.json complete and consistent.

The harness runs as `make bench` does, in a child process, on one small generated gemeente. The
test counts the generated files and product lines itself (from the files on disk and the
warehouse the run leaves behind), so the figures in results.json are checked, not trusted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb

from sdw.config import PROJECT_DIR

PRODUCT = re.compile(
    rb"<\w+:(?:ToegewezenProduct|StartProduct|StopProduct|AangevraagdProduct|Verzoek|"
    rb"OngewijzigdProduct|TeWijzigenProduct|NieuwProduct|Prestatie|Beschikking|BeschiktProduct)>"
)
STEPS = ("ingest", "build", "checks", "quality")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_bench_smoke(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDW_", "DBT_"))}
    command = [
        sys.executable, str(PROJECT_DIR / "bench" / "run.py"), "--smoke", "--sizes", "1000",
        "--inwoners", "1500", "--data-dir", str(tmp_path / "data"), "--out", str(tmp_path / "out"),
        "--no-readme", "--no-profile",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]

    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["smoke"] is True
    assert {"cpu", "cores", "ram_gb"} <= results["machine"].keys()
    (size,) = results["sizes"]
    gemeente = tmp_path / "data" / "gemeente-001"
    full, day = _files(gemeente / "full"), _files(gemeente / "day")
    inbox = _files(gemeente / "inbox")
    # Every generated file goes either to the full load or to the last day, none twice.
    assert len(full) + len(day) == len(inbox) and day
    assert {p.relative_to(gemeente / "full") for p in full}.isdisjoint(
        p.relative_to(gemeente / "day") for p in day
    )
    assert size["generated"]["full_files"] == len(full)
    assert size["generated"]["day_files"] == len(day)
    assert size["bare_parse"]["files"] == len(full)
    # The loader accounts for every file it was offered: loaded, quarantined or duplicate.
    assert size["ingest"]["files"] == len(full) == size["ingest"]["warehouse_files"]
    assert size["daily"]["ingest"]["files"] == len(day)
    assert size["daily"]["ingest"]["warehouse_files"] == len(full) + len(day)

    warehouse = tmp_path / "data" / "runs" / "size-1000"
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        loaded = con.execute(
            "select path, product_count from raw.ingest_files where status = 'loaded'"
        ).fetchall()
        clients = con.execute("select count(*) from marts.fct_zorgperiode").fetchone()[0]
    in_full = [(Path(p), n) for p, n in loaded if Path(p).is_relative_to(gemeente / "full")]
    # Product lines as the test counts them in the loaded files themselves.
    counted = sum(len(PRODUCT.findall(p.read_bytes())) for p, _ in in_full)
    assert counted == size["ingest"]["product_lines"] > 0
    assert sum(n for _, n in loaded) == size["daily"]["ingest"]["warehouse_product_lines"]
    assert size["ingest"]["product_lines"] <= size["generated"]["full_lines"]
    assert clients > 0  # the build really ran on the loaded data

    for step in STEPS:
        assert size[step]["seconds"] > 0 and size[step]["peak_rss_mb"] > 0
        assert size["daily"][step]["seconds"] > 0
    # Every dashboard page answered on the built warehouse, the Verkenner through MetricFlow.
    from sdw.dashboard.pages import PAGES

    answered = size["pages"]["pages"]
    assert set(answered) == {p.naam for p in PAGES if p.panels} | {"verkenner"}
    assert all(seconds > 0 for seconds in answered.values())
    assert set(size["build"]["layers"]) == {"staging", "cleaned", "marts", "other"}
    assert size["build"]["layers"]["cleaned"] > 0 and size["build"]["ok"]
    assert size["end_to_end_seconds"] == round(sum(size[s]["seconds"] for s in STEPS), 1)
    assert size["ingest"]["ratio_to_bare_parse"] == round(
        size["bare_parse"]["step_seconds"] / size["ingest"]["step_seconds"], 3
    )
    names = [t["target"] for t in results["targets"]]
    assert any(n.startswith("ingest >=") for n in names)
    assert any(n.startswith("daily incremental") for n in names)
    for target in results["targets"]:
        assert target["met"] or target["where"]

    table = (tmp_path / "out" / "results.md").read_text()
    assert f"{size['ingest']['product_lines']:,} ({len(full):,})" in table
    assert results["machine"]["cpu"] in table
