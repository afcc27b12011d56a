"""cbsodata `dir=` folders: read from disk, and written by `sdw fetch cbs` with the network mocked.

The table is a small 85099NED (jeugdzorg by VormenVanJeugdzorg) in the shapes cbs.md describes:
plain JSON lists per collection, keys padded, null for a secret figure in the TypedDataSet. The
figures are made up; the keys and titles of the dimension categories are CBS's (cbs.md §1a).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
import requests

from sdw.cbs.fetch import FetchError, fetch_tables
from sdw.cbs.load import ingest_cbs
from sdw.cli import main
from sdw.config import Settings

TABLE = "85099NED"
FEED = f"https://opendata.cbs.nl/ODataFeed/odata/{TABLE}/"
VORMEN = {
    "A045561": "JZ Totaal jeugdzorg",
    "A045560": "JH 1 Totaal jeugdhulp",
    "A042503": "JH 121 Totaal jeugdhulp zonder verblijf",
    "A027918": "JH 122 Totaal jeugdhulp met verblijf",
}


def collections() -> dict[str, list[dict]]:
    def row(n: int, vorm: str, regio: str, periode: str, jongeren: float | None) -> dict:
        return {"ID": n, "VormenVanJeugdzorg": vorm, "RegioS": regio, "Perioden": periode,
                "JongerenMetJeugdzorg_1": jongeren}  # fmt: skip

    return {
        "TableInfos": [
            {"ID": 0, "Identifier": TABLE, "Title": "Jeugdzorg; vormen van jeugdzorg, regio",
             "Modified": "2025-10-31T02:00:00", "Period": "2021-2024"}
        ],
        "DataProperties": [
            {"ID": 0, "Position": 0, "ParentID": None, "Type": "Dimension",
             "Key": "VormenVanJeugdzorg", "Title": "Vormen van jeugdzorg"},
            {"ID": 1, "Position": 1, "ParentID": None, "Type": "GeoDimension", "Key": "RegioS",
             "Title": "Regio's"},
            {"ID": 2, "Position": 2, "ParentID": None, "Type": "TimeDimension",
             "Key": "Perioden", "Title": "Perioden"},
            {"ID": 3, "Position": None, "ParentID": None, "Type": "TopicGroup", "Key": "",
             "Title": "Jongeren met jeugdzorg"},
            {"ID": 4, "Position": 3, "ParentID": 3, "Type": "Topic",
             "Key": "JongerenMetJeugdzorg_1", "Title": "Jongeren met jeugdzorg",
             "Unit": "aantal", "Decimals": 0, "Datatype": "Long", "Default": "Impossible"},
        ],
        "CategoryGroups": [],
        "VormenVanJeugdzorg": [
            {"Key": key, "Title": title, "Description": None, "CategoryGroupID": None}
            for key, title in VORMEN.items()
        ],
        "RegioS": [
            {"Key": "NL01      ", "Title": "Nederland", "CategoryGroupID": 1},
            {"Key": "GM0034    ", "Title": "Almere", "CategoryGroupID": 2},
            {"Key": "GM0060    ", "Title": "Ameland", "CategoryGroupID": 2},
        ],
        "Perioden": [
            {"Key": "2023JJ00", "Title": "2023", "Status": "Definitief"},
            {"Key": "2024JJ00", "Title": "2024*", "Status": "Voorlopig"},
        ],
        "TypedDataSet": [
            row(0, "A045561", "GM0034    ", "2023JJ00", 6115.0),
            row(1, "A027918", "GM0034    ", "2023JJ00", 480.0),
            row(2, "A045561", "GM0060    ", "2024JJ00", None),
            row(3, "A045561", "NL01      ", "2024JJ00", 473870.0),
        ],
    }  # fmt: skip


def query(config: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def write_dump(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, values in collections().items():
        (folder / f"{name}.json").write_text(json.dumps(values, indent=2))
    return folder


def check_loaded(config: Settings) -> None:
    files = query(
        config,
        "select collection, status, layout, table_id, table_title, edition, row_count "
        "from raw.cbs_files order by collection",
    )
    title, edition = "Jeugdzorg; vormen van jeugdzorg, regio", "2025-10-31T02:00:00"
    assert files == [
        (name, "loaded", "cbsodata_dir", TABLE, title, edition, rows)
        for name, rows in [("CategoryGroups", 0), ("DataProperties", 0), ("Perioden", 0),
                           ("RegioS", 0), ("TableInfos", 0), ("TypedDataSet", 4),
                           ("VormenVanJeugdzorg", 0)]
    ]  # fmt: skip
    assert query(
        config,
        "select region_code, period_code, dimensions->>'VormenVanJeugdzorg', measure_stable_key, "
        "value from raw.cbs_observations order by row_seq",
    ) == [
        ("GM0034", "2023JJ00", "A045561", "JongerenMetJeugdzorg", 6115.0),
        ("GM0034", "2023JJ00", "A027918", "JongerenMetJeugdzorg", 480.0),
        ("GM0060", "2024JJ00", "A045561", "JongerenMetJeugdzorg", None),
        ("NL01", "2024JJ00", "A045561", "JongerenMetJeugdzorg", 473870.0),
    ]
    assert query(
        config, "select measure_key, title, group_title, unit, empty_meaning from raw.cbs_measures"
    ) == [("JongerenMetJeugdzorg_1", "Jongeren met jeugdzorg", "Jongeren met jeugdzorg",
           "aantal", "Impossible")]  # fmt: skip
    codes = query(
        config, "select dimension, code, title, status from raw.cbs_dimension_codes order by 1, 2"
    )
    assert ("RegioS", "GM0034", "Almere", None) in codes
    assert ("Perioden", "2024JJ00", "2024*", "Voorlopig") in codes
    assert ("VormenVanJeugdzorg", "A027918", VORMEN["A027918"], None) in codes


def test_cbsodata_folder_loads_with_its_metadata(warehouse: Settings, tmp_path: Path) -> None:
    report = ingest_cbs([write_dump(tmp_path / "download" / TABLE)], warehouse)
    assert (report.loaded, report.quarantined, report.observations) == (7, 0, 4)
    check_loaded(warehouse)


def test_a_list_without_its_folder_is_refused(warehouse: Settings, tmp_path: Path) -> None:
    lone = tmp_path / "TypedDataSet.json"
    lone.write_text(json.dumps(collections()["TypedDataSet"]))
    report = ingest_cbs([lone], warehouse)
    assert report.quarantined == 1
    assert "no TableInfos.json or DataProperties.json beside it" in report.quarantine_reasons[0][1]


class _Response:
    def __init__(self, url: str, payload: dict) -> None:
        self.url, self.status_code, self.encoding = url, 200, "utf-8"
        self.text = json.dumps(payload)

    def raise_for_status(self) -> None:
        pass


def _serve(request: requests.PreparedRequest) -> _Response:
    """What opendata.cbs.nl answers: the service document, then each collection, the dataset
    over two pages joined by odata.nextLink."""
    url = urlsplit(request.url)
    name = url.path.removeprefix(urlsplit(FEED).path)
    data = collections()
    metadata = f"{FEED}$metadata#Cbs.OData.WebAPI.{name}"
    if not name:
        names = [*data, "UntypedDataSet"]
        return _Response(request.url, {"value": [{"name": n, "url": FEED + n} for n in names]})
    if name == "TypedDataSet" and "$skip" not in parse_qs(url.query):
        page = {"odata.metadata": metadata, "value": data[name][:2],
                "odata.nextLink": f"{FEED}TypedDataSet?$format=json&$skip=2"}  # fmt: skip
        return _Response(request.url, page)
    rows = data[name][2:] if name == "TypedDataSet" else data[name]
    return _Response(request.url, {"odata.metadata": metadata, "value": rows})


def test_fetch_writes_what_the_loader_reads(
    warehouse: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(requests.Session, "send", lambda self, request, **kw: _serve(request))
    out = tmp_path / "cbs"
    assert main(["fetch", "cbs", TABLE, "--out", str(out)]) == 0

    assert sorted(p.name for p in (out / TABLE).iterdir()) == sorted(
        f"{name}.json" for name in collections()
    )
    assert not list(out.glob(".*"))  # no scratch folder left behind
    report = ingest_cbs([out], warehouse)
    assert (report.loaded, report.observations) == (7, 4)
    check_loaded(warehouse)


def test_fetch_without_network_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def offline(self, request, **kwargs):
        raise requests.exceptions.ConnectionError("Failed to resolve 'opendata.cbs.nl'")

    monkeypatch.setattr(requests.Session, "send", offline)
    with pytest.raises(FetchError, match=r"cannot reach opendata.cbs.nl for 85098NED"):
        fetch_tables(["85098NED"], tmp_path)
    assert main(["fetch", "cbs", "85098NED", "--out", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("sdw: error: cannot reach opendata.cbs.nl")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FetchError, match="not a CBS table id"):
        fetch_tables(["jeugdzorg"], tmp_path)
