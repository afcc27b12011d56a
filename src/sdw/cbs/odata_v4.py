"""Read OData v4 responses of datasets.cbs.nl (earlier odata4.cbs.nl), one page per file.

v4 is long already: each `Observations` row is one figure, `{Id, Measure, ValueAttribute, Value,
<dimension>...}`, so it maps onto raw.cbs_observations column for column. Measures are codes
(`M000173_2`) whose titles come from the `MeasureCodes` collection; dimension titles come from
`<Dimension>Codes` (RegioSCodes, PeriodenCodes ...), the title and edition from `Properties`. The
collection is named in `@odata.context` (".../CBS/85098NED/$metadata#Observations").
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sdw.cbs.extract import Extract, Source, table_id_in
from sdw.cbs.layout import (
    PERIOD_DIMENSIONS,
    REGION_DIMENSIONS,
    ROW_ID_DIMENSIONS,
    MalformedFile,
    UnknownLayout,
    stable_key,
)
from sdw.cbs.rows import cell_value, trimmed

# Columns of an Observations row that are not dimensions.
_FIGURE_COLUMNS = {*ROW_ID_DIMENSIONS, "Measure", "ValueAttribute", "Value", "StringValue"}
# "None" is v4's ValueAttribute for an ordinary figure; anything else says why there is none.
_PLAIN = ("None", None)
# Collections that say nothing the warehouse keeps.
IGNORED = ("Dimensions", "MeasureGroups")


def read_odata_v4(source: Source) -> Extract:
    page = source.json
    if not isinstance(page, dict) or "@odata.context" not in page:
        raise UnknownLayout("no @odata.context (not an OData v4 response)")
    context = str(page["@odata.context"])
    collection = context.partition("#")[2].partition("(")[0].strip("/")
    if not collection:
        raise UnknownLayout(f"@odata.context names no collection: {context!r}")
    table_id = table_id_in(context)
    extract = Extract(collection=collection, table_id=table_id)
    extract.next_link = page.get("@odata.nextLink")
    if collection == "Properties":
        extract.table_title = page.get("Title")
        extract.edition = page.get("Modified")
        return extract
    values = page.get("value")
    if not isinstance(values, list) or not all(isinstance(row, dict) for row in values):
        raise MalformedFile(f"{collection}: no list of objects under 'value'")
    if collection == "Observations":
        extract.observations = _observations(source.file_id, values)
    elif collection == "MeasureCodes":
        extract.measures = [_measure(source.file_id, table_id, row) for row in values]
    elif collection.endswith("Codes"):
        dimension = collection.removesuffix("Codes")
        extract.codes = [_code(source.file_id, table_id, dimension, row) for row in values]
    elif not collection.endswith("Groups") and collection not in IGNORED:
        raise UnknownLayout(f"OData v4 collection {collection!r} is not one this loader reads")
    return extract


def _observations(file_id: str, values: list[dict]) -> Iterator[tuple]:
    for row_seq, row in enumerate(values, start=1):
        if "Measure" not in row:
            raise MalformedFile(f"Observations row {row_seq}: no Measure")
        dimensions = {k: trimmed(v) for k, v in row.items() if k not in _FIGURE_COLUMNS}
        region = _pop_one(dimensions, REGION_DIMENSIONS)
        period = _pop_one(dimensions, PERIOD_DIMENSIONS)
        value, text, attribute = cell_value(row.get("Value"))
        if text is None and row.get("StringValue") is not None:
            text = trimmed(row["StringValue"])
        if row.get("ValueAttribute") not in _PLAIN:
            attribute = trimmed(row["ValueAttribute"])
        measure = str(row["Measure"]).strip()
        yield (
            file_id,
            row_seq,
            region,
            None,
            None,
            period,
            json.dumps(dict(sorted(dimensions.items())), ensure_ascii=False, separators=(",", ":"))
            if dimensions
            else None,
            measure,
            stable_key(measure),
            value,
            text,
            attribute,
        )


def _pop_one(dimensions: dict[str, str | None], names: tuple[str, ...]) -> str | None:
    found = [name for name in names if name in dimensions]
    if len(found) > 1:
        raise MalformedFile(f"more than one of {found}")
    return dimensions.pop(found[0]) if found else None


def _measure(file_id: str, table_id: str | None, row: dict) -> tuple:
    key = str(row.get("Identifier") or "").strip()
    return (
        file_id,
        table_id,
        key,
        stable_key(key),
        trimmed(row.get("Title")),
        None,
        trimmed(row.get("Unit")),
        trimmed(row.get("Decimals")),
        trimmed(row.get("DataType")),
        None,
        trimmed(row.get("Description")),
    )


def _code(file_id: str, table_id: str | None, dimension: str, row: dict) -> tuple:
    return (
        file_id,
        table_id,
        dimension,
        trimmed(row.get("Identifier")),
        trimmed(row.get("Title")),
        trimmed(row.get("Status")),
        trimmed(row.get("Description")),
    )
