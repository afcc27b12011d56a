"""The benchmark's steps, each run in its own process by bench/run.py (bench/measure.py).

    python bench/steps.py warm PATH...     read every file once (the page cache, untimed)
    python bench/steps.py bare PATH...     a bare lxml parse of every file below PATH
    python bench/steps.py ingest PATH...   sdw's message loader (sdw.messages.load)
    python bench/steps.py cbs PATH...      sdw's CBS loader (setup, not timed as a result)
    python bench/steps.py checks           the quality checks (sdw.quality.runner.run_checks)

The warehouse comes from SDW_WAREHOUSE as for `sdw`. Each step prints its own figures as one
JSON line last. With --profile FILE the step runs under cProfile and FILE gets the top entries
by cumulative and by own time (the loader then parses in its own process, so all of its work
shows in the one profile).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import time
from pathlib import Path

PROFILE_ENTRIES = 25


def _files(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for folder, dirs, names in os.walk(path):
            dirs.sort()
            found.extend(os.path.join(folder, name) for name in sorted(names))
    return found


def bare(paths: list[Path]) -> dict:
    from lxml import etree

    files = _files(paths)
    size = sum(os.path.getsize(f) for f in files)
    started = time.perf_counter()
    for path in files:
        # The demo plants malformed files; the loader reads those too.
        with contextlib.suppress(etree.XMLSyntaxError):
            etree.parse(path)
    return {"files": len(files), "bytes": size, "seconds": time.perf_counter() - started}


def warm(paths: list[Path]) -> dict:
    """Read every file once, so the timed steps after it all find them in the page cache."""
    started = time.perf_counter()
    size = 0
    for path in _files(paths):
        with open(path, "rb") as f:
            size += len(f.read())
    return {"bytes": size, "seconds": time.perf_counter() - started}


def ingest(paths: list[Path], workers: int | None = None) -> dict:
    from sdw.config import settings
    from sdw.messages.load import ingest_messages
    from sdw.warehouse import connect

    config = settings()
    report = ingest_messages(paths, config, workers=workers)
    with connect(config.warehouse, read_only=True) as con:
        files, lines = con.execute(
            "select count(*), coalesce(sum(product_count), 0) from raw.ingest_files"
        ).fetchone()
    return {
        "files": report.files,
        "loaded": report.loaded,
        "quarantined": report.quarantined,
        "duplicate": report.duplicate,
        "messages": report.messages,
        "product_lines": report.products,
        "bytes": report.bytes_read,
        "seconds": report.seconds,
        "warehouse_files": files,
        "warehouse_product_lines": int(lines),
    }


def cbs(paths: list[Path]) -> dict:
    from sdw.cbs.load import ingest_cbs
    from sdw.config import settings

    started = time.perf_counter()
    report = ingest_cbs(paths, settings())
    return {"loaded": report.loaded, "seconds": time.perf_counter() - started}


def checks(paths: list[Path]) -> dict:
    """The real quality runner on the step's warehouse (bench/checks.py scales a copy of a
    warehouse instead: it measures the checks alone, at a chosen fact size)."""
    del paths
    from sdw.config import settings
    from sdw.quality.runner import run_checks

    started = time.perf_counter()
    report = run_checks(settings())
    return {
        "checks": len(report.outcomes),
        "findings": report.finding_count,
        "seconds": time.perf_counter() - started,
    }


def pages(paths: list[Path]) -> dict:
    """Every dashboard page's answer, as its callback gives it: the SQL of each of its panels on
    one read-only connection and each figure drawn, for every gemeente and domain over the last
    two years (the page first shown); the Verkenner's first view (clients in zorg per month, its
    SQL from MetricFlow). `seconds` is the slowest page; each page's slowest answer is kept."""
    del paths
    from datetime import date

    import duckdb

    from sdw import metrics
    from sdw.config import settings
    from sdw.dashboard import queries
    from sdw.dashboard.pages import PAGES

    slowest: dict[str, float] = {}

    def timed(name: str, answer) -> None:
        started = time.perf_counter()
        answer()
        slowest[name] = max(slowest.get(name, 0.0), time.perf_counter() - started)

    warehouse = settings().warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        gemeenten = list(queries.gemeenten(con).gemeente_code)
        bereik = queries.maanden(con)
        aanbieders = list(queries.aanbieders(con).aanbieder_agb)
    last = bereik.laatste.max().date()
    first = date(last.year - 2 + (last.month == 12), last.month % 12 + 1, 1)
    for gemeente in gemeenten:
        for standard in ("iwmo", "ijw"):
            where = queries.Filter(gemeente, standard, first, last, aanbieder=aanbieders[0])
            for page in PAGES:

                def answer(page=page, where=where) -> None:
                    with duckdb.connect(str(warehouse), read_only=True) as con:
                        for panel in page.panels:
                            frame = queries.panel(con, panel.sql, where)
                            if not frame.empty:
                                panel.figure(frame, where)

                if page.panels:
                    timed(page.naam, answer)

    # The semantic manifest of this size's dbt run (DBT_TARGET_PATH), else the project's.
    built = Path(os.environ.get("DBT_TARGET_PATH", "target")) / "semantic_manifest.json"
    manifest = built if built.exists() else metrics.MANIFEST

    def verkenner() -> None:
        query = metrics.MetricQuery(
            metrics=("clienten_in_zorg",), grain="month", van=first, tot=last
        )
        with duckdb.connect(str(warehouse), read_only=True) as con:
            metrics.run(con, query, manifest=manifest)

    timed("verkenner", verkenner)
    return {
        "pages": {name: round(seconds, 3) for name, seconds in slowest.items()},
        "seconds": max(slowest.values()),
    }


STEPS = {
    "warm": warm,
    "bare": bare,
    "ingest": ingest,
    "cbs": cbs,
    "checks": checks,
    "pages": pages,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--profile", type=Path, help="write cProfile's top entries here")
    args = parser.parse_args()
    step = STEPS[args.step]
    if args.profile is None:
        figures = step(args.paths)
    else:
        profile = cProfile.Profile()
        # Profiled, the loader parses in its own process: cProfile sees one process only.
        extra = {"workers": 0} if step is ingest else {}
        figures = profile.runcall(step, args.paths, **extra)
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        for order in ("cumulative", "tottime"):
            text.write(f"--- top {PROFILE_ENTRIES} by {order} ---\n")
            stats.sort_stats(order).print_stats(PROFILE_ENTRIES)
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        args.profile.write_text(text.getvalue().replace(str(Path.cwd()) + "/", ""))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
