"""Read StatLine CSV exports: `;`-separated, UTF-8 with a BOM, codes padded with spaces.

The header is checked as soon as a file is opened, so a file in another layout is refused before
anything is read from its body; the observations then stream row by row. A CSV export names
neither its table nor its edition; the table id is taken from the file name when it holds one
(85984NED_….csv).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sdw.cbs.extract import Extract, Source, table_id_in
from sdw.cbs.layout import ROW_ID_DIMENSIONS, MalformedFile, UnknownLayout
from sdw.cbs.rows import RowPlan, observations, plan_columns


def read_statline_csv(source: Source) -> Extract:
    """Check the header now (UnknownLayout); the observations stream when iterated."""
    rows = _rows(source)
    header = _header(rows)
    if ROW_ID_DIMENSIONS[0] not in header:
        raise UnknownLayout(f"no {ROW_ID_DIMENSIONS[0]} column in header {_preview(header)}")
    plan = plan_columns(header)
    return Extract(
        collection="StatLine CSV",
        table_id=table_id_in(source.path.name),
        observations=observations(plan, _checked(rows, plan), source.file_id, keep_empty=False),
    )


def _rows(source: Source) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every non-blank line."""
    text = io.TextIOWrapper(io.BytesIO(source.data), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=";")
    try:
        for row in reader:
            if row:
                yield reader.line_num, row
    except UnicodeDecodeError as error:
        raise MalformedFile(f"not UTF-8 text after line {reader.line_num}: {error}") from error
    except csv.Error as error:
        raise MalformedFile(f"line {reader.line_num}: {error}") from error


def _header(rows: Iterator[tuple[int, list[str]]]) -> list[str]:
    try:
        _, header = next(rows)
    except StopIteration:
        raise UnknownLayout("empty file") from None
    except MalformedFile as error:
        raise UnknownLayout(f"unreadable header: {error}") from error
    return header


def _checked(rows: Iterator[tuple[int, list[str]]], plan: RowPlan) -> Iterator[list[str]]:
    for line, row in rows:
        if len(row) != plan.width:
            raise MalformedFile(f"line {line}: {len(row)} fields, the header has {plan.width}")
        yield row


def _preview(header: list[str]) -> str:
    return repr(";".join(header)[:80])
