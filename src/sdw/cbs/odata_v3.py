"""Read OData v3 responses of opendata.cbs.nl (ODataFeed and ODataApi), one page per file.

Every response is `{"odata.metadata": ".../<table>/$metadata#Cbs.OData.WebAPI.<collection>",
"value": [...]}`, plus `"odata.nextLink"` when the feed continues on another page. What the rows
are follows from the collection: TypedDataSet / UntypedDataSet are the figures, DataProperties
the measures and dimensions, TableInfos the table's title and edition, and any other collection
the codes of the dimension it is named after (RegioS, Perioden, VormenVanJeugdzorg ...).

A feed split over pages arrives as several files; each is accounted for with its next link, and
rows a later page offers again are kept once in staging (stg_cbs__observations).
"""

from __future__ import annotations

from collections.abc import Iterator

from sdw.cbs.extract import Extract, Source, table_id_in
from sdw.cbs.layout import MalformedFile, UnknownLayout, stable_key
from sdw.cbs.rows import DIMENSION_TYPES, observations, plan_columns, trimmed

DATASETS = ("TypedDataSet", "UntypedDataSet")
_COLLECTION_MARK = "#Cbs.OData.WebAPI."
# Collections that say nothing the warehouse keeps (category groups of dimensions).
IGNORED = ("CategoryGroups",)


def read_odata_v3(source: Source) -> Extract:
    page = source.json
    if not isinstance(page, dict) or "odata.metadata" not in page:
        raise UnknownLayout("no odata.metadata (not an OData v3 response)")
    metadata = str(page["odata.metadata"])
    collection = metadata.partition(_COLLECTION_MARK)[2]
    if not collection:
        raise UnknownLayout(f"odata.metadata names no collection: {metadata!r}")
    values = page.get("value")
    if not isinstance(values, list):
        raise MalformedFile(f"{collection}: no list of rows under 'value'")
    extract = read_collection(source, collection, values, table_id_in(metadata))
    extract.next_link = page.get("odata.nextLink")
    return extract


def read_collection(
    source: Source,
    collection: str,
    values: list,
    table_id: str | None,
    properties: list | None = None,
) -> Extract:
    """One v3 collection's rows; `properties` are the table's DataProperties when known."""
    if not all(isinstance(row, dict) for row in values):
        raise MalformedFile(f"{collection}: rows that are not objects")
    extract = Extract(collection=collection, table_id=table_id)
    if collection in DATASETS:
        extract.observations = _dataset(source, collection, values, properties)
    elif collection == "DataProperties":
        extract.measures = measure_rows(source.file_id, table_id, values)
    elif collection == "TableInfos":
        info = values[0] if values else {}
        extract.table_id = table_id or info.get("Identifier")
        extract.table_title = info.get("Title")
        extract.edition = info.get("Modified")
    elif collection not in IGNORED:
        extract.codes = code_rows(source.file_id, table_id, collection, values)
    return extract


def _dataset(
    source: Source, collection: str, values: list[dict], properties: list | None
) -> Iterator[tuple]:
    if not values:
        return iter(())
    header = list(values[0])
    types = {p.get("Key"): p.get("Type") for p in properties or [] if isinstance(p, dict)}
    plan = plan_columns(header, types)
    return observations(plan, _cells(collection, values, header), source.file_id, keep_empty=True)


def _cells(collection: str, values: list[dict], header: list[str]) -> Iterator[list]:
    columns = set(header)
    for number, row in enumerate(values):
        if row.keys() != columns:
            raise MalformedFile(f"{collection} row {number}: other columns than the first row")
        yield [row[key] for key in header]


def measure_rows(file_id: str, table_id: str | None, properties: list[dict]) -> list[tuple]:
    """MEASURE_COLUMNS tuples for the topics of a DataProperties list."""
    by_id = {p.get("ID"): p for p in properties}
    rows = []
    for prop in properties:
        if prop.get("Type") in DIMENSION_TYPES or prop.get("Type") == "TopicGroup":
            continue
        key = str(prop.get("Key") or "")
        if not key:
            continue
        rows.append(
            (
                file_id,
                table_id,
                key,
                stable_key(key),
                trimmed(prop.get("Title")),
                _group_title(prop, by_id),
                trimmed(prop.get("Unit")),
                trimmed(prop.get("Decimals")),
                trimmed(prop.get("Datatype")),
                trimmed(prop.get("Default")),
                trimmed(prop.get("Description")),
            )
        )
    return rows


def _group_title(prop: dict, by_id: dict) -> str | None:
    """The TopicGroup titles above a topic, outermost first: "Jeugdzorg / Wmo" say."""
    titles = []
    parent = by_id.get(prop.get("ParentID"))
    while parent is not None and len(titles) < len(by_id):
        titles.append(trimmed(parent.get("Title")) or "")
        parent = by_id.get(parent.get("ParentID"))
    return " / ".join(reversed(titles)) or None


def code_rows(
    file_id: str, table_id: str | None, dimension: str, values: list[dict]
) -> list[tuple]:
    """DIMENSION_CODE_COLUMNS tuples for a dimension table (Key, Title, ... per category)."""
    if values and "Key" not in values[0]:
        raise UnknownLayout(f"{dimension}: neither figures, metadata nor a dimension table")
    return [
        (
            file_id,
            table_id,
            dimension,
            trimmed(row.get("Key")),
            trimmed(row.get("Title")),
            trimmed(row.get("Status")),
            trimmed(row.get("Description")),
        )
        for row in values
    ]
