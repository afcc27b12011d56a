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


STEPS = {"warm": warm, "bare": bare, "ingest": ingest, "cbs": cbs, "checks": checks}


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
