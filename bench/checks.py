"""`make bench-checks`: how long the quality checks take on a fact of a million rows.

A demo gemeente is loaded and built once (`sdw ingest` + `sdw build`, untimed; or --warehouse
names a built warehouse to start from). A copy of it is then scaled set-based in DuckDB: every
table a Great Expectations suite guards is repeated ``scale`` times, the finding key made unique
per copy, with ``scale`` chosen so that the largest fact, cleaned.declaratieregels, holds at least
--rows rows. Every table grows by the same factor, so the copy is a warehouse ``scale`` times the
demo, defects included. The timed part is the real runner, `sdw.quality.runner.run_checks`: read
every guarded table from DuckDB, validate every suite, write the findings and the Data Docs.

`measure()` returns the figures as a dict (the benchmark report calls it); the command line
prints them as JSON and writes warehouse/bench/results-checks.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from sdw.config import PROJECT_DIR, settings
from sdw.demo import generate
from sdw.quality.catalog import SUITES_DIR

BENCH_DIR = PROJECT_DIR / "warehouse" / "bench" / "checks"
FACT = "cleaned.declaratieregels"
TARGET_SECONDS = 30.0


def _suites() -> dict[str, str]:
    """Guarded table -> the column its findings are keyed by."""
    tables = {}
    for path in sorted(SUITES_DIR.glob("*.json")):
        suite = json.loads(path.read_text())
        keys = {e["meta"]["finding_key"] for e in suite["expectations"]}
        (key,) = keys  # one record key per suite: its findings point into one table
        tables[suite["meta"]["table"]] = key
    return tables


def build_base(workdir: Path, inwoners: int, seed: int) -> Path:
    """A demo gemeente loaded and built (dbt and the checks once), kept for later runs."""
    base = workdir / f"base-{inwoners}-{seed}.duckdb"
    if base.exists():
        return base
    demo = workdir / f"demo-{inwoners}-{seed}"
    shutil.rmtree(demo, ignore_errors=True)
    generate(demo, seed=seed, inwoners=inwoners)
    building = base.with_suffix(".building.duckdb")
    building.unlink(missing_ok=True)
    env = {
        **os.environ,
        "SDW_WAREHOUSE": str(building),
        "SDW_REPORTS": str(workdir / "reports-base"),
        "SDW_QUARANTINE": str(workdir / "quarantine"),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
    }
    sdw = str(Path(sys.executable).parent / "sdw")
    for command in (
        [sdw, "ingest", "messages", str(demo / "inbox")],
        [sdw, "ingest", "cbs", str(demo / "cbs")],
        [sdw, "build"],
    ):
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    building.rename(base)
    return base


def scale_up(base: Path, scaled: Path, rows: int) -> tuple[int, dict[str, int]]:
    """Copy ``base`` to ``scaled`` and repeat every guarded table until FACT has ``rows`` rows."""
    shutil.copyfile(base, scaled)
    tables = _suites()
    with duckdb.connect(str(scaled)) as con:
        fact_rows = con.execute(f"select count(*) from {FACT}").fetchone()[0]
        scale = max(1, math.ceil(rows / fact_rows))
        for table, key in tables.items():
            schema, name = table.split(".")
            kind = con.execute(
                "select table_type from information_schema.tables "
                "where table_schema = ? and table_name = ?",
                [schema, name],
            ).fetchone()[0]
            copy_key = f"cast({key} as varchar) || '#' || cast(copy as varchar)"
            con.execute(
                f"create table {schema}.{name}__scaled as "
                f"select * replace ({copy_key} as {key}) "
                f"from {table}, range({scale}) as copies (copy)"
            )
            con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} {table}")
            con.execute(f"alter table {schema}.{name}__scaled rename to {name}")
        counts = {
            table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in tables
        }
        con.execute("checkpoint")
    return scale, counts


def measure(
    rows: int = 1_000_000,
    *,
    warehouse: Path | None = None,
    workdir: Path = BENCH_DIR,
    inwoners: int = 20_000,
    seed: int = 42,
) -> dict:
    """Time the quality checks on a warehouse whose fact has at least ``rows`` rows."""
    workdir.mkdir(parents=True, exist_ok=True)
    base = Path(warehouse) if warehouse else build_base(workdir, inwoners, seed)
    # Same file name as the base: dbt's views name their catalog, which is the file's stem.
    scaled = workdir / "scaled" / base.name
    scaled.parent.mkdir(exist_ok=True)
    scaled.unlink(missing_ok=True)
    scale, counts = scale_up(base, scaled, rows)

    started = time.perf_counter()
    import great_expectations  # noqa: F401  (the runner imports it on first use)

    gx_import = time.perf_counter() - started
    os.environ["SDW_WAREHOUSE"] = str(scaled)
    os.environ["SDW_REPORTS"] = str(workdir / "reports")
    from sdw.quality.runner import run_checks

    started = time.perf_counter()
    report = run_checks(settings())
    seconds = time.perf_counter() - started
    total = gx_import + seconds
    return {
        "benchmark": "quality checks",
        "fact_table": FACT,
        "fact_rows": counts[FACT],
        "scale": scale,
        "base_warehouse": str(base),
        "rows_per_table": counts,
        "rows_evaluated": sum(o.evaluated_count for o in report.outcomes),
        "checks": len(report.outcomes),
        "findings": report.finding_count,
        "seconds": round(seconds, 2),
        "gx_import_seconds": round(gx_import, 2),
        "seconds_with_import": round(total, 2),
        "target_seconds": TARGET_SECONDS,
        "within_target": total < TARGET_SECONDS,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the fact, at least")
    parser.add_argument("--warehouse", type=Path, help="a built warehouse to scale (else a demo)")
    parser.add_argument("--inwoners", type=int, default=20_000, help="size of the demo gemeente")
    parser.add_argument("--workdir", type=Path, default=BENCH_DIR)
    args = parser.parse_args()
    results = measure(
        args.rows, warehouse=args.warehouse, workdir=args.workdir, inwoners=args.inwoners
    )
    text = json.dumps(results, indent=2)
    (args.workdir / "results-checks.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
