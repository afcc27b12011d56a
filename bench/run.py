"""`make bench`: the warehouse at three volumes, step by step, against its performance targets.

For each size (product lines; BENCH_SIZES or --sizes, default 100k, 1M and 5M; --national adds
25M) the demo traffic of bench/data.py is loaded into a fresh warehouse and every step runs in
its own process (bench/measure.py: wall time and peak memory of its process tree):

  bare parse   lxml.etree.parse of every file of the full load, nothing else (the yardstick)
  ingest       sdw's message loader on the same files
  build        dbt build of everything before the quality checks (per layer: bench/dbt_layers.py)
  checks       the quality checks (sdw.quality.runner, the real runner)
  quality      dbt build of the models made from the check results
  daily        one more day of messages: ingest, build, checks and quality again
  pages        every dashboard page's answer (its panels' SQL and figures) on the built warehouse

Then bench/report.py holds the figures to the targets, profiles what missed them, and writes
bench/results.json, bench/results.md and the README's Performance table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import data
import dbt_layers
import report
from measure import last_json, machine, run_step

from sdw.build import DBT_EXECUTABLE, QUALITY_SELECTION
from sdw.config import PROJECT_DIR

BENCH = Path(__file__).parent
STEPS = BENCH / "steps.py"
DEFAULT_SIZES = (100_000, 1_000_000, 5_000_000)
NATIONAL_SIZE = 25_000_000


class Size:
    """One size's fresh warehouse, dbt target and environment."""

    def __init__(self, work_dir: Path, lines: int, smoke: bool = False) -> None:
        # A smoke run (CI) builds the models but leaves dbt's data and unit tests out.
        self.dbt_options = ["--exclude-resource-type", "test", "unit_test"] if smoke else []
        self.dir = work_dir / f"size-{lines}"
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.target = self.dir / "target"
        self.env = {
            **os.environ,
            "SDW_WAREHOUSE": str(self.dir / "warehouse.duckdb"),
            "SDW_QUARANTINE": str(self.dir / "quarantine"),
            "SDW_REPORTS": str(self.dir / "reports"),
            "DBT_TARGET_PATH": str(self.target),
            "DBT_LOG_PATH": str(self.dir / "logs"),
            "PYTHONPATH": str(PROJECT_DIR),
        }
        for name in ("SDW_PSEUDONYM_KEY", "SDW_TARGET", "SDW_POSTCODE_BUURT", "SDW_XSD_DIR"):
            self.env.pop(name, None)  # demo BSNs and the embedded warehouse only

    def step(self, name: str, *paths: Path, profile: Path | None = None) -> dict:
        command = [sys.executable, str(STEPS), name, *map(str, paths)]
        if profile is not None:
            command += ["--profile", str(profile)]
        run = run_step(command, self.env, cwd=PROJECT_DIR)
        if run.returncode:
            raise SystemExit(f"bench step {name} failed ({run.returncode})")
        own = last_json(run.output)
        return {**own, "step_seconds": round(own["seconds"], 2), **run.figures()}

    def dbt(self, *selection: str) -> dict:
        command = [str(DBT_EXECUTABLE), "build", *selection, *self.dbt_options]
        run = run_step(command, self.env, cwd=PROJECT_DIR)
        figures = {**run.figures(), **dbt_layers.layer_seconds(self.target)}
        if run.returncode:
            sys.stderr.write(f"dbt build {' '.join(selection)} failed: {figures['failed']}\n")
        figures["ok"] = run.returncode == 0
        return figures

    def build_and_check(self) -> dict:
        return {
            "build": self.dbt("--exclude", QUALITY_SELECTION),
            "checks": self.step("checks"),
            "quality": self.dbt("--select", QUALITY_SELECTION),
        }


def measure_size(data_dir: Path, work_dir: Path, lines: int, inwoners: int, smoke: bool) -> dict:
    gemeenten = data.gemeenten_for(data_dir, lines, inwoners)
    full = [g.full for g in gemeenten]
    day = [g.day for g in gemeenten]
    size = Size(work_dir, lines, smoke)
    print(f"size {lines:,}: {len(gemeenten)} gemeenten", file=sys.stderr, flush=True)
    result: dict = {
        "size": lines,
        "gemeenten": len(gemeenten),
        "generated": {
            key: sum(getattr(g, key) for g in gemeenten)
            for key in ("full_files", "full_lines", "day_files", "day_lines")
        },
    }
    # Both the bare parse and the loader read the files from the page cache, not from disk.
    size.step("warm", *full, *day)
    result["bare_parse"] = size.step("bare", *full)
    size.step("cbs", *(g.cbs for g in gemeenten))  # setup: the CBS figures the marts compare to
    result["ingest"] = size.step("ingest", *full)
    result.update(size.build_and_check())
    daily = {"ingest": size.step("ingest", *day), **size.build_and_check()}
    result["daily"] = daily
    result["pages"] = size.step("pages")
    return result


def profile_misses(
    results: dict, data_dir: Path, work_dir: Path, out: Path, inwoners: int
) -> list[dict]:
    """cProfile the missed Python steps at the smallest size; their top entries say why."""
    missed = {t["where"].removeprefix("daily ") for t in results["targets"] if not t["met"]}
    smallest = results["sizes"][0]["size"]
    gemeenten = data.gemeenten_for(data_dir, smallest, inwoners)
    size = Size(work_dir, 0)
    profiles = []
    for step in ("ingest", "checks"):
        if step not in missed:
            continue
        if step == "checks":  # checks need the built warehouse of a full load
            size.step("ingest", *(g.full for g in gemeenten))
            size.dbt("--exclude", QUALITY_SELECTION)
        path = out / f"{step}-{smallest}.txt"
        size.step(step, *(g.full for g in gemeenten) if step == "ingest" else (), profile=path)
        top = report.top_entries(path)
        profiles.append({"step": step, "file": f"{out.name}/{path.name}", "top": top})
    return profiles


def write(results: dict, args: argparse.Namespace) -> str:
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = report.markdown(results)
    (args.out / "results.md").write_text(table)
    if not args.no_readme:
        report.update_readme(args.readme, table)
    return table


def sizes_wanted(args: argparse.Namespace) -> list[int]:
    text = args.sizes or os.environ.get("BENCH_SIZES")
    sizes = [int(float(s)) for s in text.replace(",", " ").split()] if text else [*DEFAULT_SIZES]
    if args.national:
        sizes.append(NATIONAL_SIZE)
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="product lines per size, e.g. '100000 1e6' (BENCH_SIZES)")
    parser.add_argument("--national", action="store_true", help="add the 25 million size")
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / "warehouse" / "bench")
    parser.add_argument("--work-dir", type=Path, help="warehouses (default: DATA_DIR/runs)")
    parser.add_argument("--out", type=Path, default=BENCH, help="results.json/.md go here")
    parser.add_argument("--readme", type=Path, default=PROJECT_DIR / "README.md")
    parser.add_argument("--no-readme", action="store_true", help="leave the README alone")
    parser.add_argument("--no-profile", action="store_true", help="no profiles of misses")
    parser.add_argument("--smoke", action="store_true", help="CI: no dbt tests, not timed")
    parser.add_argument(
        "--inwoners", type=int, default=data.INWONERS_PER_GEMEENTE, help="per gemeente"
    )
    args = parser.parse_args(argv)
    work_dir = args.work_dir or args.data_dir / "runs"
    started = datetime.now(UTC)
    clock = time.perf_counter()
    results = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "smoke": args.smoke,
        "sizes": [],
    }
    # Written after every size, so a run stopped in the largest keeps the smaller ones.
    for lines in sizes_wanted(args):
        results["sizes"].append(
            measure_size(args.data_dir, work_dir, lines, args.inwoners, args.smoke)
        )
        results["bench_seconds"] = round(time.perf_counter() - clock)
        report.assess(results)
        if "profiles" not in results and not args.no_profile:
            out = args.out / "profiles"
            results["profiles"] = profile_misses(
                results, args.data_dir, work_dir, out, args.inwoners
            )
            report.assess(results)
        table = write(results, args)
    print(table)


if __name__ == "__main__":
    main()
