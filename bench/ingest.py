"""`make bench-ingest`: how fast `sdw ingest messages` loads demo traffic, against bare lxml.

Generates demo gemeenten (sdw.demo.generate) until their inboxes hold about --product-lines
product lines, then measures in one run, on the same files: a bare `lxml.etree.parse` of every
file, and a load into a fresh warehouse by `sdw ingest messages` in a child process, whose memory
(and that of its parsing workers) is sampled while it runs. Prints messages/s, product lines/s,
MB/s, peak RSS and the ratio to the bare parse, and writes them to
warehouse/bench/results-ingest.json. The generated inboxes are kept and reused by later runs of
the same size (--fresh makes new ones).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

from sdw.config import PROJECT_DIR
from sdw.demo import generate

BENCH_DIR = PROJECT_DIR / "warehouse" / "bench"
# The generator caps a gemeente at some 57,000 inwoners (test-BSN range), so a large inbox is
# several gemeenten side by side.
INWONERS_PER_GEMEENTE = 50_000
# What the loader counts as product lines: the records below Client.
_PRODUCT_ELEMENT = re.compile(
    rb"<\w+:(?:ToegewezenProduct|StartProduct|StopProduct|AangevraagdProduct|Verzoek|"
    rb"OngewijzigdProduct|TeWijzigenProduct|NieuwProduct|Prestatie|Beschikking|BeschiktProduct)>"
)

SAMPLE_SECONDS = 0.2


def make_inboxes(product_lines: int, fresh: bool) -> list[Path]:
    demo = BENCH_DIR / f"demo-{product_lines}"
    manifest = demo / "manifest.json"
    if fresh or not manifest.exists():
        shutil.rmtree(demo, ignore_errors=True)
        lines, gemeenten = 0, 0
        while lines < product_lines:
            gemeenten += 1
            out = demo / f"gemeente-{gemeenten:03d}"
            code = f"{9000 + gemeenten}"
            generate(out, seed=gemeenten, inwoners=INWONERS_PER_GEMEENTE, gemeente_code=code)
            lines += sum(
                len(_PRODUCT_ELEMENT.findall(p.read_bytes())) for p in (out / "inbox").rglob("*")
                if p.is_file()
            )  # fmt: skip
            print(f"  generated {out.name}: {lines:,} product lines so far", file=sys.stderr)
        manifest.write_text(json.dumps({"product_lines": lines, "gemeenten": gemeenten}) + "\n")
    return sorted(demo.glob("gemeente-*/inbox"))


def bare_parse(files: list[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        # The demo plants malformed files; the loader reads those too.
        with contextlib.suppress(etree.XMLSyntaxError):
            etree.parse(str(path))
    return time.perf_counter() - started


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def load(inboxes: list[Path]) -> dict:
    """`sdw ingest messages` into a fresh warehouse; its figures and sampled peak memory."""
    warehouse = BENCH_DIR / "ingest.duckdb"
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "SDW_WAREHOUSE": str(warehouse), "SDW_QUARANTINE": str(BENCH_DIR / "q")}
    env.pop("SDW_PSEUDONYM_KEY", None)  # demo BSNs only: the public demo key is fine
    command = [sys.executable, "-m", "sdw.cli", "ingest", "messages", *map(str, inboxes)]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    peak, peak_workers = 0.0, 0.0
    while child.poll() is None:
        peak = max(peak, _rss_mb(child.pid))
        peak_workers = max(peak_workers, sum(_rss_mb(p) for p in _descendants(child.pid)))
        time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - started
    summary = child.stdout.read().splitlines()[0]
    if child.returncode:
        raise SystemExit(f"sdw ingest messages failed ({child.returncode}): {summary}")
    loaded = re.search(r"; (\d+) messages, (\d+) product lines in ([\d.]+)s", summary)
    return {
        "messages": int(loaded[1]),
        "product_lines": int(loaded[2]),
        "seconds": float(loaded[3]),
        "wall_seconds": wall,
        "peak_rss_mb": peak,
        "peak_rss_workers_mb": peak_workers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--product-lines", type=int, default=200_000)
    parser.add_argument("--fresh", action="store_true", help="generate a new inbox")
    args = parser.parse_args()

    inboxes = make_inboxes(args.product_lines, args.fresh)
    files = sorted(p for inbox in inboxes for p in inbox.rglob("*") if p.is_file())
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(files):,} files, {megabytes:,.0f} MB in {len(inboxes)} inboxes", file=sys.stderr)
    bare_seconds = bare_parse(files)
    run = load(inboxes)
    seconds = run["seconds"]
    results = {
        "files": len(files),
        "messages": run["messages"],
        "product_lines": run["product_lines"],
        "megabytes": round(megabytes, 1),
        "load_seconds": round(seconds, 2),
        "process_seconds": round(run["wall_seconds"], 2),
        "messages_per_s": round(run["messages"] / seconds),
        "product_lines_per_s": round(run["product_lines"] / seconds),
        "mb_per_s": round(megabytes / seconds, 1),
        "peak_rss_mb": round(run["peak_rss_mb"]),
        "peak_rss_workers_mb": round(run["peak_rss_workers_mb"]),
        "bare_parse_seconds": round(bare_seconds, 2),
        "bare_parse_mb_per_s": round(megabytes / bare_seconds, 1),
        "ratio_to_bare_parse": round(bare_seconds / seconds, 2),
        "seconds_per_million_product_lines": round(seconds / run["product_lines"] * 1e6, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "results-ingest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{results['messages_per_s']:,} messages/s, {results['product_lines_per_s']:,} product "
        f"lines/s, {results['mb_per_s']} MB/s; peak RSS {results['peak_rss_mb']} MB (workers "
        f"{results['peak_rss_workers_mb']} MB); bare lxml parse {results['bare_parse_mb_per_s']} "
        f"MB/s, ratio {results['ratio_to_bare_parse']}; "
        f"{results['seconds_per_million_product_lines']} s per million product lines"
    )
    print(f"results: {BENCH_DIR / 'results-ingest.json'}")


if __name__ == "__main__":
    main()
