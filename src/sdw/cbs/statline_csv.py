"""Read StatLine CSV exports: `;`-separated, UTF-8 with a BOM, codes padded with spaces.

The header is checked as soon as a file is opened, so a file in another layout is refused before
anything is read from its body; the observations then stream row by row.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from sdw.cbs.layout import (
    PERIOD_DIMENSIONS,
    REGION_DIMENSIONS,
    ROW_ID_DIMENSION,
    TEXT_TOPICS,
    MalformedFile,
    UnknownLayout,
    stable_key,
)

# A `;`-separated file follows the Dutch convention, where the decimal mark is a comma, so accept
# it as well as a point. Anything else, such as "." or "x" for secret, is a symbol kept as text.
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class _Columns:
    """Where each observation column comes from in a row, by index."""

    width: int
    region_code: int
    region_name: int | None
    region_type: int | None
    period_code: int | None
    measures: tuple[tuple[int, tuple[str, str]], ...]  # (index, (measure_key, stable key))


def read_statline_csv(stream: BinaryIO, file_id: str) -> Iterator[tuple]:
    """Check the header now (UnknownLayout), then yield OBSERVATION_COLUMNS tuples."""
    rows = _rows(stream)
    columns = _columns(_header(rows))
    return _observations(rows, columns, file_id)


def _rows(stream: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every non-blank line."""
    reader = csv.reader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""), delimiter=";")
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


def _columns(header: list[str]) -> _Columns:
    if ROW_ID_DIMENSION not in header:
        raise UnknownLayout(f"no {ROW_ID_DIMENSION} column in header {_preview(header)}")
    repeated = sorted(key for key, count in Counter(header).items() if count > 1)
    if repeated:
        raise UnknownLayout(f"repeated columns {repeated}")
    region = _dimension(header, REGION_DIMENSIONS)
    if region is None:
        raise UnknownLayout(f"no region column ({' or '.join(REGION_DIMENSIONS)})")
    known = {ROW_ID_DIMENSION, *REGION_DIMENSIONS, *PERIOD_DIMENSIONS}
    # A dimension we cannot place (Geslacht, Leeftijd...) would make observations ambiguous.
    other = [key for key in header if stable_key(key) == key and key not in known]
    if other:
        raise UnknownLayout(f"dimensions this loader cannot place: {other}")
    text_topics = _text_topics(header)
    measures = tuple(
        (index, (key, stable_key(key)))
        for index, key in enumerate(header)
        if stable_key(key) != key and stable_key(key) not in TEXT_TOPICS
    )
    if not measures:
        raise UnknownLayout("no measure columns (CBS keys such as AantalInwoners_5)")
    return _Columns(
        width=len(header),
        region_code=region,
        region_name=text_topics.get("region_name"),
        region_type=text_topics.get("region_type"),
        period_code=_dimension(header, PERIOD_DIMENSIONS),
        measures=measures,
    )


def _preview(header: list[str]) -> str:
    return repr(";".join(header)[:80])


def _dimension(header: list[str], names: tuple[str, ...]) -> int | None:
    found = [key for key in header if key in names]
    if len(found) > 1:
        raise UnknownLayout(f"more than one of {found}")
    return header.index(found[0]) if found else None


def _text_topics(header: list[str]) -> dict[str, int]:
    """Observation column -> index of the first text topic that fills it."""
    found: dict[str, int] = {}
    for index, key in enumerate(header):
        target = TEXT_TOPICS.get(stable_key(key)) if stable_key(key) != key else None
        if target is not None:
            found.setdefault(target, index)
    return found


def _observations(
    rows: Iterator[tuple[int, list[str]]], columns: _Columns, file_id: str
) -> Iterator[tuple]:
    for row_seq, (line, row) in enumerate(rows, start=1):
        if len(row) != columns.width:
            raise MalformedFile(f"line {line}: {len(row)} fields, the header has {columns.width}")
        prefix = (
            file_id,
            row_seq,
            _text(row, columns.region_code),
            _text(row, columns.region_name),
            _text(row, columns.region_type),
            _text(row, columns.period_code),
        )
        for index, keys in columns.measures:
            value = _value(row[index])
            # A multi-edition export leaves each edition's columns empty in the other years'
            # rows: an empty cell is no observation (a symbol such as "." is, with its text).
            if value != (None, None):
                yield prefix + keys + value


def _text(row: list[str], index: int | None) -> str | None:
    return None if index is None else row[index].strip() or None


# Most cells repeat (empty, ".", small counts), so parsing each distinct text once pays off.
@lru_cache(maxsize=1 << 16)
def _value(cell: str) -> tuple[float | None, str | None]:
    """(value, value_text): a number, or the trimmed text when the cell holds a symbol."""
    text = cell.strip()
    if not text:
        return None, None
    if _NUMBER.fullmatch(text):
        return float(text.replace(",", ".")), None
    return None, text
