"""The OData readers: the real v3 sample pages in ../shared, and v4 pages written here.

Expected values are read from the sample files by hand (see the comments), not from the loader.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import shared_dir

from sdw.cbs.load import ingest_cbs
from sdw.config import Settings

SAMPLES = shared_dir() / "cbs" / "odata-v3-samples"
TYPED = SAMPLES / "typeddataset_page.json"
UNTYPED = SAMPLES / "untypeddataset_feed_page.json"
needs_samples = pytest.mark.skipif(
    not TYPED.is_file() or not UNTYPED.is_file(),
    reason=f"OData v3 samples not found in {SAMPLES} (set SDW_SHARED_DIR)",
)


def query(config: Settings, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@needs_samples
def test_typed_dataset_page_without_region(warehouse: Settings) -> None:
    report = ingest_cbs([TYPED], warehouse)

    # 675 rows (ID 0-674), twelve topics each (Totaal_1 ... PerGewerktUur_12).
    assert (report.loaded, report.observations) == (1, 675 * 12)
    assert query(
        warehouse,
        "select layout, collection, table_id, next_link, row_count, period_min, period_max "
        "from raw.cbs_files",
    ) == [("odata_v3", "TypedDataSet", "80137ned", None, 675, "2001JJ00", "2005JJ00")]
    # ID 0: Persoonskenmerken "1 " (padded), BedrijfstakkenSBI93 "99", 2001JJ00, Totaal_1 8811.0.
    assert query(
        warehouse,
        "select region_code, period_code, dimensions, measure_stable_key, value, value_attribute "
        "from raw.cbs_observations where row_seq = 1 and measure_key = 'Totaal_1'",
    ) == [
        (
            None,
            "2001JJ00",
            '{"BedrijfstakkenSBI93":"99","Persoonskenmerken":"1"}',
            "Totaal",
            8811.0,
            None,
        )
    ]


def _page_two(first: dict) -> dict:
    """The feed's next page as CBS would send it, overlapping the first by two rows.

    The shared sample is page one of 83599NED's UntypedDataSet (IDs 0-9999, with a nextLink to
    $skip=10000) and its page two is not in the sample set, so the test writes one: the last two
    rows of page one again (a feed re-read with a shifted $skip offers them twice), then four new
    rows with a secret figure ("       .") and an empty one, both padded as untyped cells are.
    """
    rows = [dict(row) for row in first["value"][-2:]]
    for n, figure in enumerate(["   150.0", "       .", "        ", "     2.5"]):
        rows.append(
            {
                "ID": 10_000 + n,
                "BedrijfstakkenBranchesSBI2008": "T001081",
                "RegioS": "PV30  ",
                "Perioden": f"2012KW0{n + 1}",
                "OpenstaandeVacatures_1": figure,
            }
        )
    return {"odata.metadata": first["odata.metadata"], "value": rows}


@needs_samples
def test_feed_pages_are_accounted_for_one_by_one(warehouse: Settings, tmp_path: Path) -> None:
    first = json.loads(UNTYPED.read_text())
    feed = tmp_path / "83599NED"
    feed.mkdir()
    shutil.copyfile(UNTYPED, feed / "page1.json")
    (feed / "page2.json").write_text(json.dumps(_page_two(first)))

    report = ingest_cbs([feed], warehouse)

    assert (report.loaded, report.quarantined, report.observations) == (2, 0, 10_000 + 6)
    assert query(
        warehouse,
        "select regexp_extract(path, '[^/]+$'), collection, table_id, next_link, row_count, "
        "period_min, period_max from raw.cbs_files order by path",
    ) == [
        (
            "page1.json",
            "UntypedDataSet",
            "83599NED",
            "https://opendata.cbs.nl/ODataFeed/OData/83599NED/UntypedDataSet/?$format=json&$skip=10000",
            10_000,
            "2011KW01",
            "2020KW02",  # the page is ordered by region and branch, not by period
        ),
        ("page2.json", "UntypedDataSet", "83599NED", None, 6, "2012KW01", "2012KW04"),
    ]
    # ID 0 of page one: NL01 (padded "NL01  "), T001081, 2011KW01, "   135.5".
    assert query(
        warehouse,
        "select region_code, period_code, dimensions, value from raw.cbs_observations "
        "where row_seq = 1 and value = 135.5",
    ) == [("NL01", "2011KW01", '{"BedrijfstakkenBranchesSBI2008":"T001081"}', 135.5)]
    # The secret and the empty cell are observations without a value; only "." says why.
    assert query(
        warehouse,
        "select period_code, value, value_attribute from raw.cbs_observations "
        "where region_code = 'PV30' and value is null order by period_code",
    ) == [("2012KW02", None, "."), ("2012KW03", None, None)]

    # The same pages again, and a copy of page one elsewhere: nothing new.
    again = ingest_cbs([feed, _copy(UNTYPED, tmp_path / "elsewhere")], warehouse)
    assert (again.loaded, again.skipped, again.duplicate, again.observations) == (0, 2, 1, 0)


def _copy(path: Path, folder: Path) -> Path:
    folder.mkdir()
    return Path(shutil.copy(path, folder / path.name))


V4_BASE = "https://datasets.cbs.nl/odata/v1/CBS/85098NED"


def _v4_pages(folder: Path) -> None:
    """A small OData v4 download of 85098NED, in the shapes cbs.md §2 describes.

    Observations are long (Id, Measure, ValueAttribute, Value, dimensions) and page with
    @odata.nextLink; measure codes get their titles from MeasureCodes. The measure codes and the
    non-"None" ValueAttribute are examples: CBS's own were not verified.
    """
    folder.mkdir()
    pages = {
        "properties.json": {
            "@odata.context": f"{V4_BASE}/$metadata#Properties",
            "Identifier": "85098NED",
            "Title": "Indicatoren jeugdzorg in natura; gemeenten",
            "Modified": "2025-06-30T02:00:00",
        },
        "measurecodes.json": {
            "@odata.context": f"{V4_BASE}/$metadata#MeasureCodes",
            "value": [
                {"Identifier": "M004321_1", "Title": "Jongeren met jeugdhulp in natura",
                 "Unit": "%", "Decimals": 1, "DataType": "Double"},
                {"Identifier": "M004322_2", "Title": "Jongeren met jeugdhulp met verblijf",
                 "Unit": "%", "Decimals": 1, "DataType": "Double"},
            ],
        },
        "periodencodes.json": {
            "@odata.context": f"{V4_BASE}/$metadata#PeriodenCodes",
            "value": [
                {"Identifier": "2023JJ00", "Title": "2023", "Status": "Definitief"},
                {"Identifier": "2024HJ01", "Title": "2024 1e halfjaar", "Status": "Voorlopig"},
            ],
        },
        "observations_1.json": {
            "@odata.context": f"{V4_BASE}/$metadata#Observations",
            "value": [
                {"Id": 0, "Measure": "M004321_1", "ValueAttribute": "None", "Value": 12.9,
                 "RegioS": "GM0034", "Perioden": "2023JJ00"},
                {"Id": 1, "Measure": "M004322_2", "ValueAttribute": "None", "Value": 7.9,
                 "RegioS": "GM0034", "Perioden": "2023JJ00"},
            ],
            "@odata.nextLink": f"{V4_BASE}/Observations?$skip=2",
        },
        "observations_2.json": {
            "@odata.context": f"{V4_BASE}/$metadata#Observations",
            "value": [
                {"Id": 2, "Measure": "M004321_1", "ValueAttribute": "None", "Value": 11.4,
                 "RegioS": "GM0034", "Perioden": "2024HJ01"},
                {"Id": 3, "Measure": "M004322_2", "ValueAttribute": "Confidential",
                 "Value": None, "RegioS": "GM0060", "Perioden": "2024HJ01"},
            ],
        },
    }  # fmt: skip
    for name, page in pages.items():
        (folder / name).write_text(json.dumps(page))


def test_odata_v4_pages_and_metadata(warehouse: Settings, tmp_path: Path) -> None:
    _v4_pages(tmp_path / "v4")
    report = ingest_cbs([tmp_path / "v4"], warehouse)

    assert (report.loaded, report.quarantined, report.observations) == (5, 0, 4)
    files = query(
        warehouse,
        "select collection, table_id, table_title, edition, next_link is not null, row_count "
        "from raw.cbs_files order by collection, path",
    )
    assert files == [
        ("MeasureCodes", "85098NED", None, None, False, 0),
        ("Observations", "85098NED", None, None, True, 2),
        ("Observations", "85098NED", None, None, False, 2),
        ("PeriodenCodes", "85098NED", None, None, False, 0),
        ("Properties", "85098NED", "Indicatoren jeugdzorg in natura; gemeenten",
         "2025-06-30T02:00:00", False, 0),
    ]  # fmt: skip
    assert query(
        warehouse,
        "select region_code, period_code, measure_key, measure_stable_key, value, value_attribute "
        "from raw.cbs_observations order by period_code, region_code, measure_key",
    ) == [
        ("GM0034", "2023JJ00", "M004321_1", "M004321", 12.9, None),
        ("GM0034", "2023JJ00", "M004322_2", "M004322", 7.9, None),
        ("GM0034", "2024HJ01", "M004321_1", "M004321", 11.4, None),
        ("GM0060", "2024HJ01", "M004322_2", "M004322", None, "Confidential"),
    ]
    assert query(warehouse, "select measure_key, title, unit from raw.cbs_measures order by 1") == [
        ("M004321_1", "Jongeren met jeugdhulp in natura", "%"),
        ("M004322_2", "Jongeren met jeugdhulp met verblijf", "%"),
    ]
    assert query(
        warehouse, "select dimension, code, status from raw.cbs_dimension_codes order by code"
    ) == [("Perioden", "2023JJ00", "Definitief"), ("Perioden", "2024HJ01", "Voorlopig")]


def test_unknown_json_is_refused_with_a_clear_reason(warehouse: Settings, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "export.json").write_text(json.dumps({"rows": [{"Gemeente": "Almere"}]}))
    (inbox / "service.json").write_text(
        json.dumps({"odata.metadata": "https://opendata.cbs.nl/ODataFeed/OData/85098NED/$metadata",
                    "value": [{"name": "TypedDataSet", "url": "..."}]})
    )  # fmt: skip
    (inbox / "v4_other.json").write_text(
        json.dumps({"@odata.context": f"{V4_BASE}/$metadata#Something", "value": []})
    )
    (inbox / "broken_v3.json").write_text(
        json.dumps({"odata.metadata": "https://x/85098NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
                    "value": [{"ID": 0, "RegioS": "GM0034", "Totaal_1": 1},
                              {"ID": 1, "RegioS": "GM0036"}]})
    )  # fmt: skip
    report = ingest_cbs([inbox], warehouse)

    assert (report.loaded, report.quarantined) == (0, 4)
    reasons = {Path(path).name: reason for path, reason in report.quarantine_reasons}
    assert reasons["export.json"] == (
        "not a CBS layout this loader reads (statline_csv: no ID column in header "
        '\'{"rows": [{"Gemeente": "Almere"}]}\'; odata_v3: no odata.metadata (not an OData v3 '
        "response); odata_v4: no @odata.context (not an OData v4 response); cbsodata_dir: no "
        "TableInfos.json or DataProperties.json beside it (not a cbsodata dir= folder))"
    )
    assert "odata.metadata names no collection" in reasons["service.json"]
    assert (
        "OData v4 collection 'Something' is not one this loader reads" in reasons["v4_other.json"]
    )
    assert reasons["broken_v3.json"] == "TypedDataSet row 1: other columns than the first row"
    assert query(warehouse, "select count(*) from raw.cbs_observations") == [(0,)]
