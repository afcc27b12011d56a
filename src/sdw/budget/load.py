"""Load a gemeente's inkoop catalogue, budget plafonds and aanbieder register (CSV) into raw.

The accounting is every loader's (sdw.files.FileLedger): a file is its sha256; offered again
under the same path it is skipped, under another path it is a `duplicate` and adds nothing. A
file is read whole and checked before anything is written: a header that is neither layout, a
row with the wrong number of fields, a year, gemeente code, standard or amount that is not one,
or a plafond stated twice makes it `quarantined` with the reason (naming the line), and a copy
is kept in SDW_QUARANTINE. A file's rows and its raw.budget_files row are written in one
transaction. A corrected file (other content) loads beside the old one; raw and staging keep
both, and dbt's cleaned layer (models/cleaned/budget, macros/budget_dekking.sql) keeps, per
gemeente, year, standard and segment, the lines of the file loaded last: a file replaces what it
covers and nothing else (the register: per gemeente and AGB code, the file loaded last).
Reasons of the register's rules name the line and the column, never a value (a sole trader's
name is a person's name).
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

from sdw.budget.layout import (
    BUDGET_FILE_COLUMNS,
    BUDGET_FILES,
    LAYOUTS,
    Layout,
)
from sdw.config import Settings
from sdw.files import LoadReport, begin_load, each_new_file, file_row
from sdw.sources import RAW_TABLES
from sdw.warehouse import connect, ensure_raw_schema, insert_rows, transaction

STANDARDS = ("iwmo", "ijw")
_GEMEENTE = re.compile(r"\d{4}")
_YEAR = re.compile(r"(19|20)\d\d")
_CENTS = re.compile(r"\d+")
_EUROS = re.compile(r"\d+(\.\d{1,2})?")
_AGB = re.compile(r"\d{8}")
_KVK = re.compile(r"\d{8}")


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
        _add_optional_columns(con)
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
    table = LAYOUTS[layout].table
    with transaction(con):
        insert_rows(con, table, [(file_id, seq, *row) for seq, row in enumerate(rows, 1)])
        row = _file_row(path, file_id, data, "loaded", layout=layout, row_count=len(rows))
        insert_rows(con, BUDGET_FILES, [row])
    report.loaded += 1
    report.rows += len(rows)


def _add_optional_columns(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse made before a layout had optional columns gets them (empty)."""
    for layout in LAYOUTS.values():
        for column in layout.optional:
            table = layout.table.name
            con.execute(f"alter table raw.{table} add column if not exists {column} varchar")


def read_budget_file(data: bytes) -> tuple[str, list[tuple[str, ...]]]:
    """The layout (`inkoop`, `budget` or `aanbieders`) and the checked rows, as text, in the
    order of the layout's columns (an optional column the file lacks is empty); BadFile if
    not."""
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
    layout = next((name for name, kind in LAYOUTS.items() if kind.matches(names)), None)
    if layout is None or len(set(names)) != len(names):
        expected = " or ".join(_describe(kind) for kind in LAYOUTS.values())
        # The header is not quoted: a file without one has a line of data there.
        known = {c for kind in LAYOUTS.values() for c in kind.columns}
        unknown = sum(name not in known for name in names)
        raise BadFile(
            f"the header ({len(names)} columns, {unknown} of them no known column) is no "
            f"layout (expected {expected})"
        )
    columns = LAYOUTS[layout].columns
    rows = list(_checked(_in_order(reader, names, columns), layout))
    if not rows:
        raise BadFile("a header but no rows")
    return layout, rows


def _describe(layout: Layout) -> str:
    optional = f" [{','.join(layout.optional)}]" if layout.optional else ""
    return ",".join(layout.required) + optional


def _in_order(
    reader, names: tuple[str, ...], columns: tuple[str, ...]
) -> Iterator[tuple[int, list[str] | None]]:
    """(line number, the fields in `columns` order, or None for a blank line)."""
    position = {name: i for i, name in enumerate(names)}
    for fields in reader:
        if not any(value.strip() for value in fields):
            yield reader.line_num, None
        elif len(fields) != len(names):
            raise BadFile(
                f"line {reader.line_num}: {len(fields)} fields, the header has {len(names)}"
            )
        else:
            yield reader.line_num, [fields[position[c]] if c in position else "" for c in columns]


def _checked(
    rows: Iterator[tuple[int, list[str] | None]], layout: str
) -> Iterator[tuple[str, ...]]:
    if layout == "aanbieders":
        yield from _checked_register(rows)
        return
    seen: dict[tuple[str, ...], int] = {}
    for line, fields in rows:
        if fields is None:
            continue
        row = tuple(value.strip() for value in fields)
        gemeente, jaar, standard, segment, categorie = row[:5]
        if not _GEMEENTE.fullmatch(gemeente):
            raise BadFile(f"line {line}: gemeente_code is not 4 digits")
        if not _YEAR.fullmatch(jaar):
            raise BadFile(f"line {line}: jaar is not a year")
        if standard.lower() not in STANDARDS:
            raise BadFile(f"line {line}: standard is not one of {STANDARDS}")
        agb = row[6] if layout == "budget" else ""
        if not segment and not agb:
            raise BadFile(f"line {line}: no segment")
        if layout == "budget" and agb:
            # An omzetplafond: one aanbieder's plafond, for the standard or for one segment.
            if not _AGB.fullmatch(agb):
                raise BadFile(f"line {line}: aanbieder_agb is not 8 digits")
            if categorie:
                raise BadFile(f"line {line}: an omzetplafond has no productcategorie")
            if not _EUROS.fullmatch(row[5]):
                raise BadFile(f"line {line}: plafond_eur is not an amount in euros")
            # One plafond per aanbieder and segment; the whole standard and a segment at once
            # would count its care twice.
            aanbieder_key = (gemeente, jaar, standard.lower(), "omzetplafond", agb)
            earlier = seen.get((*aanbieder_key, segment)) or (
                seen.get((*aanbieder_key, "*")) if segment == "" else seen.get((*aanbieder_key, ""))
            )
            if earlier:
                raise BadFile(
                    f"line {line}: the omzetplafond for {jaar} {standard} "
                    f"{segment or '(whole standard)'} of an aanbieder overlaps line {earlier}"
                )
            seen[(*aanbieder_key, segment)] = line
            seen.setdefault((*aanbieder_key, "*"), line)
        elif layout == "budget":
            if not _EUROS.fullmatch(row[5]):
                raise BadFile(f"line {line}: plafond_eur is not an amount in euros")
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
                raise BadFile(f"line {line}: tarief_eurocent is not whole cents")
        yield row


def _checked_register(
    rows: Iterator[tuple[int, list[str] | None]],
) -> Iterator[tuple[str, ...]]:
    """The aanbieder register's rules: a gemeente, an AGB code of 8 digits once per gemeente,
    a name, and a KvK number of 8 digits where one is given."""
    seen: dict[tuple[str, str], int] = {}
    for line, fields in rows:
        if fields is None:
            continue
        row = tuple(value.strip() for value in fields)
        gemeente, agb, naam, kvk, _ = row
        if not _GEMEENTE.fullmatch(gemeente):
            raise BadFile(f"line {line}: gemeente_code is not 4 digits")
        if not _AGB.fullmatch(agb):
            raise BadFile(f"line {line}: aanbieder_agb is not 8 digits")
        if not naam:
            raise BadFile(f"line {line}: no naam")
        if kvk and not _KVK.fullmatch(kvk):
            raise BadFile(f"line {line}: kvk_nummer is not 8 digits")
        earlier = seen.get((gemeente, agb))
        if earlier:
            raise BadFile(f"line {line}: the aanbieder_agb of line {earlier} again")
        seen[(gemeente, agb)] = line
        yield row


def _file_row(path: Path, file_id: str, data: bytes, status: str, **values) -> tuple:
    values = {"row_count": 0, **values}
    return file_row(BUDGET_FILE_COLUMNS, str(path), file_id, len(data), status, **values)
