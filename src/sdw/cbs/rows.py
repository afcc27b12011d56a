"""From a CBS table's columns to long-format observations, the same for CSV and JSON rows.

A wide CBS row (region, period, other dimensions, then one column per measure) becomes one
observation per measure. Which column is which is decided once per file (`plan_columns`), from
the names alone or, when the file comes with its DataProperties, from the types CBS gives them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sdw.cbs.layout import (
    PERIOD_DIMENSIONS,
    REGION_DIMENSIONS,
    ROW_ID_DIMENSIONS,
    SYMBOLS,
    TEXT_TOPICS,
    UnknownLayout,
    stable_key,
)

# DataProperties types of the columns that are dimensions rather than topics.
REGION_TYPES = ("GeoDimension", "GeoDetail")
PERIOD_TYPES = ("TimeDimension",)
DIMENSION_TYPES = ("Dimension", *REGION_TYPES, *PERIOD_TYPES)

# A `;`-separated file follows the Dutch convention, where the decimal mark is a comma, so accept
# it as well as a point. Anything else, such as "." or "x" for secret, is a symbol kept as text.
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class RowPlan:
    """Where each observation column comes from in a row, by index."""

    width: int
    region_code: int | None
    region_name: int | None
    region_type: int | None
    period_code: int | None
    dimensions: tuple[tuple[str, int], ...]  # (dimension key, index)
    measures: tuple[tuple[int, tuple[str, str]], ...]  # (index, (measure_key, stable key))


def plan_columns(header: Sequence[str], types: dict[str, str] | None = None) -> RowPlan:
    """Decide each column's role. `types` maps keys to DataProperties types when known."""
    repeated = sorted(key for key, count in Counter(header).items() if count > 1)
    if repeated:
        raise UnknownLayout(f"repeated columns {repeated}")
    if types:
        dimensions = [key for key in header if types.get(key) in DIMENSION_TYPES]
        region = _one(header, [key for key in dimensions if types[key] in REGION_TYPES])
        period = _one(header, [key for key in dimensions if types[key] in PERIOD_TYPES])
    else:
        dimensions = [key for key in header if stable_key(key) == key]
        region = _one(header, [key for key in dimensions if key in REGION_DIMENSIONS])
        period = _one(header, [key for key in dimensions if key in PERIOD_DIMENSIONS])
    placed = {ROW_ID_DIMENSIONS[0], ROW_ID_DIMENSIONS[1]}
    placed.update(header[i] for i in (region, period) if i is not None)
    text_topics = _text_topics(header, set(dimensions))
    measures = tuple(
        (index, (key, stable_key(key)))
        for index, key in enumerate(header)
        if key not in dimensions and key not in placed and stable_key(key) not in TEXT_TOPICS
    )
    if not measures:
        raise UnknownLayout("no measure columns (CBS keys such as AantalInwoners_5)")
    return RowPlan(
        width=len(header),
        region_code=region,
        region_name=text_topics.get("region_name"),
        region_type=text_topics.get("region_type"),
        period_code=period,
        dimensions=tuple(
            (key, header.index(key)) for key in sorted(dimensions) if key not in placed
        ),
        measures=measures,
    )


def _one(header: Sequence[str], found: list[str]) -> int | None:
    if len(found) > 1:
        raise UnknownLayout(f"more than one of {found}")
    return header.index(found[0]) if found else None


def _text_topics(header: Sequence[str], dimensions: set[str]) -> dict[str, int]:
    """Observation column -> index of the first text topic that fills it."""
    found: dict[str, int] = {}
    for index, key in enumerate(header):
        target = TEXT_TOPICS.get(stable_key(key)) if key not in dimensions else None
        if target is not None:
            found.setdefault(target, index)
    return found


def observations(
    plan: RowPlan, rows: Iterable[Sequence[object]], file_id: str, *, keep_empty: bool
) -> Iterator[tuple]:
    """OBSERVATION_COLUMNS tuples, one per measure cell of each row.

    `keep_empty`: whether an empty cell is an observation. In JSON it is (a null is CBS saying
    "no figure"); in a multi-edition StatLine CSV export each edition's columns are empty in the
    other years' rows, so there it is not.
    """
    for row_seq, row in enumerate(rows, start=1):
        prefix = (
            file_id,
            row_seq,
            _text(row, plan.region_code),
            _text(row, plan.region_name),
            _text(row, plan.region_type),
            _text(row, plan.period_code),
            _dimensions(row, plan.dimensions),
        )
        for index, keys in plan.measures:
            value = cell_value(row[index])
            if keep_empty or value != _EMPTY:
                yield prefix + keys + value


def _text(row: Sequence[object], index: int | None) -> str | None:
    return None if index is None else trimmed(row[index])


def trimmed(value: object) -> str | None:
    """CBS pads keys and text with spaces ("GM0034    "); an all-blank text is no text."""
    return None if value is None else str(value).strip() or None


def _dimensions(row: Sequence[object], dimensions: tuple[tuple[str, int], ...]) -> str | None:
    if not dimensions:
        return None
    keys = {key: _text(row, index) for key, index in dimensions}
    return json.dumps(keys, ensure_ascii=False, separators=(",", ":"))


Cell = tuple[float | None, str | None, str | None]
_EMPTY: Cell = (None, None, None)


def cell_value(cell: object) -> Cell:
    """(value, value_text, value_attribute): a number, a text, or a symbol saying why neither."""
    if cell is None:
        return _EMPTY
    if isinstance(cell, bool):  # JSON true/false is no CBS figure; keep what it said
        return None, str(cell).lower(), None
    if isinstance(cell, int | float):
        return float(cell), None, None
    return _text_value(str(cell))


# Most cells repeat (empty, ".", small counts), so parsing each distinct text once pays off.
@lru_cache(maxsize=1 << 16)
def _text_value(cell: str) -> Cell:
    text = cell.strip()
    if not text:
        return _EMPTY
    if _NUMBER.fullmatch(text):
        return float(text.replace(",", ".")), None, None
    if text in SYMBOLS:
        return None, None, text
    return None, text, None
