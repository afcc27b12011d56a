"""Load a gemeente's inkoop catalogue and budget plafonds (CSV) into raw.

The accounting is every loader's (sdw.files.FileLedger): a file is its sha256; offered again
under the same path it is skipped, under another path it is a `duplicate` and adds nothing. A
file is read whole and checked before anything is written: a header that is neither layout, a
row with the wrong number of fields, a year, gemeente code, standard or amount that is not one,
or a plafond stated twice makes it `quarantined` with the reason (naming the line), and a copy
is kept in SDW_QUARANTINE. A file's rows and its raw.budget_files row are written in one
transaction. A corrected file (other content) loads beside the old one; raw and staging keep
both, and dbt's cleaned layer (models/cleaned/budget, macros/budget_dekking.sql) keeps, per
gemeente, year, standard and segment, the lines of the file loaded last: a file replaces what it
covers and nothing else.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sdw.budget.layout import BUDGET_FILE_COLUMNS, BUDGET_FILES, LAYOUTS
from sdw.config import Settings
from sdw.files import LoadReport, begin_load, each_new_file, file_row
from sdw.sources import RAW_TABLES
from sdw.warehouse import connect, ensure_raw_schema, insert_rows, transaction

STANDARDS = ("iwmo", "ijw")
_GEMEENTE = re.compile(r"\d{4}")
_YEAR = re.compile(r"(19|20)\d\d")
_CENTS = re.compile(r"\d+")
_EUROS = re.compile(r"\d+(\.\d{1,2})?")


class BadFile(Exception):
    """The file is not a budget or inkoop CSV this loader reads; the message says why."""


@dataclass
class BudgetReport(LoadReport):
    rows: int = 0


def ingest_budget(paths: Iterable[Path], settings: Settings) -> BudgetReport:
    report = BudgetReport()
    started = time.perf_counter()
    begin_load(settings)
    with connect(settings.warehouse) as con:
        ensure_raw_schema(con, RAW_TABLES)
        files = each_new_file(con, paths, settings, BUDGET_FILES, _file_row, report)
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
    report: BudgetReport,
) -> None:
    try:
        layout, rows = read_budget_file(data)
    except BadFile as error:
        reason = str(error)
        with transaction(con):
            row = _file_row(path, file_id, data, "quarantined", reason=reason)
            insert_rows(con, BUDGET_FILES, [row])
        report.quarantine(settings, path, file_id, data, reason)
        return
    table = LAYOUTS[layout][0]
    with transaction(con):
        insert_rows(con, table, [(file_id, seq, *row) for seq, row in enumerate(rows, 1)])
        row = _file_row(path, file_id, data, "loaded", layout=layout, row_count=len(rows))
        insert_rows(con, BUDGET_FILES, [row])
    report.loaded += 1
    report.rows += len(rows)


def read_budget_file(data: bytes) -> tuple[str, list[tuple[str, ...]]]:
    """The layout (`inkoop` or `budget`) and the checked rows, as text; BadFile if not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(f"not UTF-8: {error}") from None
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
        raise BadFile(f"header {','.join(names)!r} is neither layout (expected {expected})")
    rows = list(_checked(reader, layout, len(names)))
    if not rows:
        raise BadFile("a header but no rows")
    return layout, rows


def _checked(reader: Iterator[list[str]], layout: str, width: int) -> Iterator[tuple[str, ...]]:
    seen: dict[tuple[str, ...], int] = {}
    for fields in reader:
        line = reader.line_num
        if not any(value.strip() for value in fields):
            continue
        if len(fields) != width:
            raise BadFile(f"line {line}: {len(fields)} fields, the header has {width}")
        row = tuple(value.strip() for value in fields)
        gemeente, jaar, standard, segment, categorie = row[:5]
        if not _GEMEENTE.fullmatch(gemeente):
            raise BadFile(f"line {line}: gemeente_code {gemeente!r} is not 4 digits")
        if not _YEAR.fullmatch(jaar):
            raise BadFile(f"line {line}: jaar {jaar!r} is not a year")
        if standard.lower() not in STANDARDS:
            raise BadFile(f"line {line}: standard {standard!r} is not one of {STANDARDS}")
        if not segment:
            raise BadFile(f"line {line}: no segment")
        if layout == "budget":
            if not _EUROS.fullmatch(row[5]):
                raise BadFile(f"line {line}: plafond_eur {row[5]!r} is not an amount in euros")
            # One plafond per budget line; a segment budgeted whole and per categorie at once
            # would count its care twice.
            segment_key = (gemeente, jaar, standard.lower(), segment)
            earlier = seen.get((*segment_key, categorie)) or (
                seen.get((*segment_key, "*")) if categorie == "" else seen.get((*segment_key, ""))
            )
            if earlier:
                raise BadFile(
                    f"line {line}: the plafond for {jaar} {standard} {segment} "
                    f"{categorie or '(whole segment)'} overlaps the one on line {earlier}"
                )
            seen[(*segment_key, categorie)] = line
            seen.setdefault((*segment_key, "*"), line)
        else:
            if not categorie or not row[5]:
                raise BadFile(f"line {line}: no productcategorie or productcode")
            if not _CENTS.fullmatch(row[8]):
                raise BadFile(f"line {line}: tarief_eurocent {row[8]!r} is not whole cents")
        yield row


def _file_row(path: Path, file_id: str, data: bytes, status: str, **values) -> tuple:
    values = {"row_count": 0, **values}
    return file_row(BUDGET_FILE_COLUMNS, str(path), file_id, len(data), status, **values)
