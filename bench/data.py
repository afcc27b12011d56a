"""Demo traffic for the benchmark: generated once per gemeente, shared by every size.

A size is the first k generated gemeenten (sdw.demo.write_demo, one seed and CBS code each, as
bench/ingest.py does), so the 100k, 1M and 5M runs read the same files and only the largest size
costs generation time. Each gemeente's inbox is split into everything before its last day of
messages and that last day (sdw.demo.inbox.split_last_day, hard links): the daily incremental
run loads that day after the full load.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from sdw.demo.generator import write_demo
from sdw.demo.inbox import split_last_day

# The generator caps a gemeente at some 57,000 inwoners (test-BSN range), so a large inbox is
# several gemeenten side by side; one gemeente of this size holds some 95,000 product lines.
INWONERS_PER_GEMEENTE = 50_000
# What the loader counts as product lines (raw.ingest_files.product_count): the records below
# Client, and the message-level ones.
PRODUCT_ELEMENT = re.compile(
    rb"<\w+:(?:ToegewezenProduct|StartProduct|StopProduct|AangevraagdProduct|Verzoek|"
    rb"OngewijzigdProduct|TeWijzigenProduct|NieuwProduct|Prestatie|Beschikking|BeschiktProduct)>"
)


@dataclass(frozen=True)
class Gemeente:
    """One generated gemeente: its files split into the full load and the last day."""

    folder: Path
    full_files: int
    full_lines: int
    day_files: int
    day_lines: int
    last_day: str

    @property
    def full(self) -> Path:
        return self.folder / "full"

    @property
    def day(self) -> Path:
        return self.folder / "day"

    @property
    def cbs(self) -> Path:
        return self.folder / "cbs"


def product_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return len(PRODUCT_ELEMENT.findall(f.read()))


def _count(folder: Path) -> tuple[int, int]:
    """(files, product lines) below a folder."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return len(files), sum(map(product_lines, files))


def _total_lines(folder: Path) -> int:
    """Product lines in the whole inbox, counted once after generation."""
    counted = folder / "lines.json"
    if not counted.exists():
        counted.write_text(json.dumps({"lines": _count(folder / "inbox")[1]}) + "\n")
    return json.loads(counted.read_text())["lines"]


def generate_gemeente(
    data_dir: Path, index: int, inwoners: int = INWONERS_PER_GEMEENTE
) -> Gemeente:
    """Gemeente number `index` (1-based), generated and split unless it is there already."""
    folder = data_dir / f"gemeente-{index:03d}"
    manifest = folder / "bench.json"
    if not manifest.exists():
        if not (folder / "ground_truth.json").exists():
            shutil.rmtree(folder, ignore_errors=True)
            write_demo(folder, seed=index, inwoners=inwoners, gemeente_code=f"{9000 + index}")
        for part in ("full", "day"):
            shutil.rmtree(folder / part, ignore_errors=True)
        split = split_last_day(folder / "inbox", folder / "full", folder / "day")
        day_files, day_lines = _count(folder / "day")
        full_files = split.before_files
        full_lines = _total_lines(folder) - day_lines
        figures = {
            "full_files": full_files,
            "full_lines": full_lines,
            "day_files": day_files,
            "day_lines": day_lines,
            "last_day": split.day.isoformat(),
        }
        manifest.write_text(json.dumps(figures, indent=2) + "\n")
    return Gemeente(folder, **json.loads(manifest.read_text()))


def gemeenten_for(data_dir: Path, wanted: int, inwoners: int = INWONERS_PER_GEMEENTE) -> list:
    """The first gemeenten whose full loads together hold the nearest to `wanted` product lines."""
    chosen: list[Gemeente] = []
    total = 0
    while total < wanted:
        chosen.append(generate_gemeente(data_dir, len(chosen) + 1, inwoners))
        total += chosen[-1].full_lines
        print(f"  {chosen[-1].folder.name}: {total:,} product lines", file=sys.stderr, flush=True)
    if len(chosen) > 1 and total - wanted > wanted - (total - chosen[-1].full_lines):
        chosen.pop()
    return chosen
