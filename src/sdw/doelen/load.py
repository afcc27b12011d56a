"""Load a gemeente's streefwaarden (targets per KPI) and outcome reports (doelrealisatie,
tevredenheid per ended zorgperiode) as CSV into raw.

The accounting is every loader's (sdw.files.FileLedger): a file is its sha256; offered again
under the same path it is skipped, under another path it is a `duplicate` and adds nothing. A
file is read whole and checked before anything is written. A header that is no layout, a file
that is not UTF-8 or holds no valid line makes it `quarantined` with the reason. A line that
breaks a rule (the wrong number of fields, an unknown KPI, a period, number or direction that is
not one, a target that overlaps an earlier line's) is left out: raw.doelen_regels_quarantaine
records its line number and the rule, never its values, the other lines load, and a copy of the
file is kept in SDW_QUARANTINE. A file's rows, its line quarantine and its raw.doelen_files row
are written in one transaction. A corrected file loads beside the old one; dbt's cleaned layer
(models/cleaned/doelen, macros/doelen_dekking.sql) keeps, per gebied and year, the lines of the
file loaded last: a file replaces what it covers and nothing else.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from sdw.config import PROJECT_DIR, Settings
from sdw.doelen.layout import DOELEN_FILE_COLUMNS, DOELEN_FILES, LAYOUTS, REGELS_QUARANTAINE
from sdw.files import LoadReport, begin_load, each_new_file, file_row, keep_quarantined
from sdw.sources import RAW_TABLES
from sdw.warehouse import connect, ensure_raw_schema, insert_rows, transaction

KPI_SEED = PROJECT_DIR / "seeds" / "doel_kpi.csv"
DOMEINEN = ("wmo", "jeugd", "")
RICHTINGEN = ("hoogstens", "minstens")
_GEBIED = re.compile(r"\d{4}|[A-Z]{2}[0-9A-Z]{1,8}")
_PERIODE = re.compile(r"((?:19|20)\d\d)(?:-(?:Q([1-4])|H([12])|(0[1-9]|1[0-2])))?")
_NUMBER = re.compile(r"-?\d+([.,]\d+)?")
_AGB = re.compile(r"\d{8}")
_NUMMER = re.compile(r"\d{1,18}")
_DATUM = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
DOELREALISATIE = ("ja", "deels", "nee", "")


class BadFile(Exception):
    """The file is not a CSV this loader reads; the message says why."""


class BadLine(Exception):
    """A line breaks a rule; the message names the rule, never the line's values."""


@dataclass
class DoelenReport(LoadReport):
    rows: int = 0
    lines_quarantined: int = 0


@cache
def known_kpis() -> frozenset[str]:
    """The KPIs a target may name: seed doel_kpi (each a metric of the semantic layer)."""
    with open(KPI_SEED, encoding="utf-8", newline="") as f:
        return frozenset(row["kpi"] for row in csv.DictReader(f))


def ingest_doelen(paths: Iterable[Path], settings: Settings) -> DoelenReport:
    report = DoelenReport()
    started = time.perf_counter()
    begin_load(settings)
    with connect(settings.warehouse) as con:
        ensure_raw_schema(con, RAW_TABLES)
        files = each_new_file(con, paths, settings, DOELEN_FILES, _file_row, report)
        for path, data, file_id in files:
            _ingest_one(con, settings, path, data, file_id, report)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    path: Path,
    data: bytes,
    file_id: str,
    report: DoelenReport,
) -> None:
    try:
        layout, rows, bad = read_doelen_file(data)
    except BadFile as error:
        reason = str(error)
        with transaction(con):
            insert_rows(
                con, DOELEN_FILES, [_file_row(path, file_id, data, "quarantined", reason=reason)]
            )
        report.quarantine(settings, path, file_id, data, reason)
        return
    table = LAYOUTS[layout][0]
    with transaction(con):
        insert_rows(con, table, [(file_id, line, *row) for line, row in rows])
        insert_rows(con, REGELS_QUARANTAINE, [(file_id, layout, line, why) for line, why in bad])
        row = _file_row(
            path,
            file_id,
            data,
            "loaded",
            layout=layout,
            row_count=len(rows),
            lines_quarantined=len(bad),
        )
        insert_rows(con, DOELEN_FILES, [row])
    if bad:
        keep_quarantined(settings, path, file_id, data)
        report.quarantine_reasons.extend((str(path), why) for _, why in bad)
    report.loaded += 1
    report.rows += len(rows)
    report.lines_quarantined += len(bad)


def read_doelen_file(
    data: bytes,
) -> tuple[str, list[tuple[int, tuple[str, ...]]], list[tuple[int, str]]]:
    """The layout, the valid rows (line number, fields as text) and the lines left out (line
    number, reason); BadFile when the file as a whole cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(f"not UTF-8 (byte {error.start})") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise BadFile("empty file")
    names = tuple(name.strip().lower() for name in header)
    layout = next((name for name, (_, columns) in LAYOUTS.items() if columns == names), None)
    if layout is None:
        expected = " or ".join(",".join(columns) for _, columns in LAYOUTS.values())
        raise BadFile(f"the header is no layout this loader reads (expected {expected})")
    rows, bad = [], []
    for line, fields in _lines(reader):
        try:
            rows.append((line, _CHECKS[layout](fields, len(names))))
        except BadLine as why:
            bad.append((line, f"line {line}: {why}"))
    rows, overlapping = _without_overlaps(layout, rows)
    bad = sorted(bad + overlapping)
    if not rows:
        if bad:
            raise BadFile(f"no valid line ({len(bad)} left out; the first: {bad[0][1]})")
        raise BadFile("a header but no rows")
    return layout, rows, bad


def _lines(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise BadFile(f"line {reader.line_num}: not CSV (an unclosed quote)") from None
        if any(value.strip() for value in fields):
            yield reader.line_num, fields


def months(periode: str) -> tuple[int, int, int]:
    """(year, first month, last month) of a period YYYY, YYYY-Qn, YYYY-Hn or YYYY-MM."""
    match = _PERIODE.fullmatch(periode)
    if match is None:
        raise BadLine("periode is not YYYY, YYYY-Qn, YYYY-Hn or YYYY-MM")
    year, quarter, half, month = match.groups()
    if quarter:
        return int(year), 3 * int(quarter) - 2, 3 * int(quarter)
    if half:
        return int(year), 6 * int(half) - 5, 6 * int(half)
    if month:
        return int(year), int(month), int(month)
    return int(year), 1, 12


def _streefwaarde(fields: list[str], width: int) -> tuple[str, ...]:
    if len(fields) != width:
        raise BadLine(f"{len(fields)} fields, the header has {width}")
    gebied, periode, kpi, domein, waarde, richting, marge = (value.strip() for value in fields)
    if not _GEBIED.fullmatch(gebied):
        raise BadLine("gebied is not a 4-digit gemeente code or a region code (seed doel_gebieden)")
    months(periode)
    if kpi not in known_kpis():
        raise BadLine("kpi is not a KPI of seed doel_kpi")
    if domein.lower() not in DOMEINEN:
        raise BadLine("domein is not wmo, jeugd or empty (both)")
    if not _NUMBER.fullmatch(waarde):
        raise BadLine("streefwaarde is not a number")
    if richting.lower() not in RICHTINGEN:
        raise BadLine("richting is not hoogstens or minstens")
    if marge and (not _NUMBER.fullmatch(marge) or marge.startswith("-")):
        raise BadLine("signaalmarge is not a number of 0 or more")
    return gebied, periode, kpi, domein.lower(), waarde, richting.lower(), marge


def _uitkomst(fields: list[str], width: int) -> tuple[str, ...]:
    if len(fields) != width:
        raise BadLine(f"{len(fields)} fields, the header has {width}")
    gemeente, agb, nummer, einddatum, doel, score = (value.strip() for value in fields)
    if not re.fullmatch(r"\d{4}", gemeente):
        raise BadLine("gemeente_code is not 4 digits")
    if not _AGB.fullmatch(agb):
        raise BadLine("aanbieder_agb is not 8 digits")
    if not _NUMMER.fullmatch(nummer):
        raise BadLine("toewijzingnummer is not a number")
    if not _DATUM.fullmatch(einddatum):
        raise BadLine("einddatum is not a date YYYY-MM-DD")
    if doel.lower() not in DOELREALISATIE:
        raise BadLine("doelrealisatie is not ja, deels, nee or empty")
    if score and not (score.isdigit() and 1 <= int(score) <= 10):
        raise BadLine("tevredenheid is not a whole score from 1 to 10 or empty")
    if not doel and not score:
        raise BadLine("neither doelrealisatie nor tevredenheid")
    return gemeente, agb, nummer, einddatum, doel.lower(), score


_CHECKS = {"streefwaarden": _streefwaarde, "uitkomsten": _uitkomst}


def _without_overlaps(
    layout: str, rows: list[tuple[int, tuple[str, ...]]]
) -> tuple[list[tuple[int, tuple[str, ...]]], list[tuple[int, str]]]:
    """One target per gebied, KPI, domein and month: a line whose months overlap an earlier
    line's for the same gebied, KPI and domein is left out; one report per ended zorgperiode
    (gemeente, aanbieder, toewijzingnummer, einddatum): a second is left out."""
    if layout == "uitkomsten":
        first: dict[tuple[str, ...], int] = {}
        kept, bad = [], []
        for line, row in rows:
            earlier = first.setdefault((row[0], row[1], int(row[2]), row[3]), line)
            if earlier != line:
                why = f"line {line}: a second report on the zorgperiode of line {earlier}"
                bad.append((line, why))
            else:
                kept.append((line, row))
        return kept, bad
    taken: dict[tuple[str, str, str, int, int], int] = {}
    kept, bad = [], []
    for line, row in rows:
        gebied, periode, kpi, domein = row[:4]
        year, first, last = months(periode)
        keys = [(gebied, kpi, domein, year, month) for month in range(first, last + 1)]
        earlier = next((taken[key] for key in keys if key in taken), None)
        if earlier is not None:
            why = f"line {line}: the target for this gebied, kpi and domein overlaps line {earlier}"
            bad.append((line, why))
            continue
        taken.update(dict.fromkeys(keys, line))
        kept.append((line, row))
    return kept, bad


def _file_row(path: Path, file_id: str, data: bytes, status: str, **values) -> tuple:
    values = {"row_count": 0, "lines_quarantined": 0, **values}
    return file_row(DOELEN_FILE_COLUMNS, str(path), file_id, len(data), status, **values)
