"""Read the folders `cbsodata.download_data(table_id, dir=...)` writes (what `sdw fetch cbs` makes).

Such a folder holds one JSON file per OData v3 collection, each a plain list (the feed's
`value`, all pages joined): TableInfos.json, DataProperties.json, CategoryGroups.json, one file
per dimension (RegioS.json, Perioden.json ...) and TypedDataSet.json or UntypedDataSet.json.
The lists carry no table id, so a file is recognised by its name and by TableInfos.json or
DataProperties.json beside it, and the table id is read from TableInfos (else the folder name).
Each file is accounted for on its own; the dataset is read with the DataProperties beside it,
so dimensions are told from topics by their CBS type rather than by their names.
"""

from __future__ import annotations

import json
from pathlib import Path

from sdw.cbs.extract import Extract, Source, table_id_in
from sdw.cbs.layout import MalformedFile, UnknownLayout
from sdw.cbs.odata_v3 import DATASETS, read_collection

MARKERS = ("TableInfos.json", "DataProperties.json")


def read_cbsodata_dir(source: Source) -> Extract:
    folder = source.path.parent
    if source.path.suffix != ".json" or not any((folder / name).is_file() for name in MARKERS):
        raise UnknownLayout(f"no {' or '.join(MARKERS)} beside it (not a cbsodata dir= folder)")
    values = source.json
    if not isinstance(values, list):
        raise UnknownLayout("not a JSON list (cbsodata writes each collection as a list)")
    collection = source.path.stem
    info = _sibling(folder, "TableInfos")
    table_id = (info[0].get("Identifier") if info else None) or table_id_in(folder.name)
    properties = _sibling(folder, "DataProperties") if collection in DATASETS else None
    extract = read_collection(source, collection, values, table_id, properties)
    if info:
        extract.table_title = info[0].get("Title")
        extract.edition = info[0].get("Modified")
    return extract


def _sibling(folder: Path, collection: str) -> list | None:
    path = folder / f"{collection}.json"
    if path.is_symlink() or not path.is_file():  # a link is not followed here either
        return None
    try:
        values = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedFile(f"{path.name} beside it is not JSON: {error}") from None
    if not isinstance(values, list) or not all(isinstance(row, dict) for row in values):
        raise MalformedFile(f"{path.name} beside it is not a list of objects")
    return values
