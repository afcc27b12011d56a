"""The CBS StatLine CSV loader, on the real Almere KWB export and on files it must refuse.

Expected values are read from the export by hand (see the comments), not from the loader.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import shared_dir

from sdw.cbs.load import CbsReport, ingest_cbs
from sdw.config import Settings, settings

ALMERE = shared_dir() / "cbs" / "kwb_almere_2018_2025_statline_export.csv"
needs_almere = pytest.mark.skipif(
    not ALMERE.is_file(), reason=f"real CBS export not found at {ALMERE} (set SDW_SHARED_DIR)"
)

# Columns of the Almere header that describe the row rather than measure something.
NOT_MEASURES = {
    "ID",
    "Peildatum",
    "WijkenEnBuurten",
    "Gemeentenaam_1",
    "SoortRegio_2",
    "Codering_3",
    "IndelingswijzigingGemeenteWijkBuurt_4",
    "IndelingswijzigingWijkenEnBuurten_4",
}


@pytest.fixture(scope="module")
def almere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, CbsReport]]:
    """One load of the real export, shared by the tests that only read it."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SDW_WAREHOUSE", str(tmp_path_factory.mktemp("almere") / "sdw.duckdb"))
        config = settings()
        yield config, ingest_cbs([ALMERE], config)


def _query(config: Settings, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _cell(config: Settings, region: str, period: str, measure: str) -> tuple:
    rows = _query(
        config,
        "select region_name, region_type, measure_stable_key, value, value_attribute "
        "from raw.cbs_observations "
        "where region_code = ? and period_code = ? and measure_key = ?",
        [region, period, measure],
    )
    assert len(rows) == 1, (region, period, measure, rows)
    return rows[0]


@needs_almere
def test_almere_export_keeps_the_real_values(almere: tuple[Settings, CbsReport]) -> None:
    config, report = almere
    assert (report.loaded, report.quarantined, report.quarantine_reasons) == (1, 0, [])
    # From the export: the row with ID 384, Peildatum 1-1-2025, WijkenEnBuurten "GM0034    ".
    assert _cell(config, "GM0034", "1-1-2025", "AantalInwoners_5") == (
        "Almere",
        "Gemeente",
        "AantalInwoners",
        229574.0,
        None,
    )
    # ID 385, 1-1-2025, "WK003401  " and ID 386, 1-1-2025, "BU00340101".
    assert _cell(config, "WK003401", "1-1-2025", "AantalInwoners_5")[1:4] == (
        "Wijk",
        "AantalInwoners",
        1810.0,
    )
    assert _cell(config, "BU00340101", "1-1-2025", "AantalInwoners_5")[1:4] == (
        "Buurt",
        "AantalInwoners",
        795.0,
    )
    assert _cell(config, "BU00340101", "1-1-2025", "MeestVoorkomendePostcode_120")[3] == 1354.0
    # ID 384, 1-1-2023: the Wmo clients under that edition's key number.
    assert _cell(config, "GM0034", "1-1-2023", "WmoClienten_98")[2:4] == ("WmoClienten", 9375.0)
    # The 2025 gemeente row has "         ." (secret) for MeestVoorkomendePostcode_120 and an
    # empty cell for WmoClienten_98, which belongs to another edition: no observation.
    assert _cell(config, "GM0034", "1-1-2025", "MeestVoorkomendePostcode_120")[3:] == (None, ".")
    empty = _query(
        config,
        "select count(*) from raw.cbs_observations "
        "where region_code = 'GM0034' and period_code = '1-1-2025' and measure_key = ?",
        ["WmoClienten_98"],
    )
    assert empty == [(0,)]


@needs_almere
def test_almere_file_row_and_region_types(almere: tuple[Settings, CbsReport]) -> None:
    config, _ = almere
    assert _query(
        config,
        "select status, reason, layout, table_id, row_count, period_min, period_max "
        "from raw.cbs_files",
    ) == [("loaded", None, "statline_csv", None, 1536, "1-1-2018", "1-1-2025")]
    # SoortRegio_2 in the export: 8 Gemeente rows (one per Peildatum), 308 Wijk, 1220 Buurt.
    assert dict(
        _query(
            config,
            "select region_type, count(distinct row_seq) from raw.cbs_observations group by 1",
        )
    ) == {"Gemeente": 8, "Wijk": 308, "Buurt": 1220}


@needs_almere
def test_almere_observations_are_the_non_empty_measure_cells(
    almere: tuple[Settings, CbsReport],
) -> None:
    config, report = almere
    with ALMERE.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = [row for row in csv.reader(handle, delimiter=";") if row]
    assert set(header) >= NOT_MEASURES
    measures = [i for i, key in enumerate(header) if key not in NOT_MEASURES]
    expected = sum(1 for row in rows for i in measures if row[i].strip())
    assert report.observations == expected
    assert _query(config, "select count(*) from raw.cbs_observations") == [(expected,)]
    assert _query(config, "select observation_count from raw.cbs_files") == [(expected,)]
    leaked = _query(
        config,
        "select count(*) from raw.cbs_observations where list_contains(?, measure_key)",
        [sorted(NOT_MEASURES)],
    )
    assert leaked == [(0,)]


@needs_almere
def test_same_file_again_adds_nothing_and_a_copy_is_duplicate(
    warehouse: Settings, tmp_path: Path
) -> None:
    first = ingest_cbs([ALMERE], warehouse)
    again = ingest_cbs([ALMERE], warehouse)
    assert (again.loaded, again.skipped, again.observations) == (0, 1, 0)

    copy = tmp_path / "elsewhere" / "kwb_copy.csv"
    copy.parent.mkdir()
    shutil.copyfile(ALMERE, copy)
    third = ingest_cbs([ALMERE, copy.parent], warehouse)
    assert (third.loaded, third.skipped, third.duplicate, third.observations) == (0, 1, 1, 0)

    assert _query(warehouse, "select count(*) from raw.cbs_observations") == [(first.observations,)]
    assert _query(
        warehouse, "select path, status, observation_count from raw.cbs_files order by loaded_at"
    ) == [(str(ALMERE), "loaded", first.observations), (str(copy), "duplicate", 0)]


def test_unreadable_files_are_quarantined_with_a_reason(
    warehouse: Settings, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "nested").mkdir(parents=True)
    (inbox / "notes.txt").write_text("Dit is geen CBS-bestand.\nGewoon wat tekst.\n")
    (inbox / "nested" / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (inbox / "other.csv").write_text("Code;Naam;Waarde\nGM0034;Almere;1\n")
    (inbox / "no_measures.csv").write_text(
        "ID;Geslacht;RegioS;Perioden\n0;T001038;GM0034;2025JJ00\n"
    )
    # Recognised, but the second data row is cut short: none of its rows may be kept.
    (inbox / "short_row.csv").write_text(
        "ID;RegioS;Perioden;Aantal_1;Relatief_2\n0;GM0034 ;2025JJ00;5;1.5\n1;GM0036 ;2025JJ00;7\n"
    )
    report = ingest_cbs([inbox], warehouse)

    assert (report.loaded, report.quarantined) == (0, 5)
    reasons = {Path(path).name: reason for path, reason in report.quarantine_reasons}
    assert "no ID column" in reasons["notes.txt"]
    assert "not UTF-8" in reasons["binary.csv"]
    assert "no ID column" in reasons["other.csv"]
    assert "no measure columns" in reasons["no_measures.csv"]
    assert reasons["short_row.csv"] == "line 3: 4 fields, the header has 5"
    assert reasons["notes.txt"].startswith("not a CBS layout this loader reads (statline_csv: ")
    assert _query(warehouse, "select count(*) from raw.cbs_observations") == [(0,)]
    rows = _query(warehouse, "select path, status, reason, layout from raw.cbs_files")
    assert {(Path(path).name, status, reason) for path, status, reason, _ in rows} == {
        (name, "quarantined", reason) for name, reason in reasons.items()
    }
    layouts = {Path(path).name: layout for path, _, _, layout in rows}
    assert layouts["short_row.csv"] == "statline_csv"
    assert layouts["other.csv"] is None


def test_statline_codes_decimals_and_table_id_from_the_name(
    warehouse: Settings, tmp_path: Path
) -> None:
    export = tmp_path / "85098NED_UntypedDataSet.csv"
    export.write_text(
        "\ufeffID;RegioS;Perioden;JongerenMetJeugdhulpInNatura_1;JongerenMetJeugdbescherming_3\n"
        "0;GM0034    ;2022JJ00;12,9;1.3\n"
        "1;GM0060    ;2022JJ00;7.9;.\n",
        encoding="utf-8",
    )
    report = ingest_cbs([export], warehouse)

    assert (report.loaded, report.observations) == (1, 4)
    assert _query(
        warehouse,
        "select region_code, period_code, measure_stable_key, value, value_attribute "
        "from raw.cbs_observations order by row_seq, measure_key",
    ) == [
        ("GM0034", "2022JJ00", "JongerenMetJeugdbescherming", 1.3, None),
        ("GM0034", "2022JJ00", "JongerenMetJeugdhulpInNatura", 12.9, None),
        ("GM0060", "2022JJ00", "JongerenMetJeugdbescherming", None, "."),
        ("GM0060", "2022JJ00", "JongerenMetJeugdhulpInNatura", 7.9, None),
    ]
    files = "select table_id, row_count, period_min, period_max from raw.cbs_files"
    assert _query(warehouse, files) == [("85098NED", 2, "2022JJ00", "2022JJ00")]


def test_dimensions_beyond_region_and_period_are_kept_apart(
    warehouse: Settings, tmp_path: Path
) -> None:
    # 03759ned-style: Geslacht and Leeftijd besides RegioS and Perioden (keys as CBS pads them).
    export = tmp_path / "03759ned_bevolking.csv"
    export.write_text(
        "ID;Geslacht;Leeftijd;RegioS;Perioden;BevolkingOp1Januari_1\n"
        "0;T001038 ;10000   ;GM0034    ;2025JJ00;229574\n"
        "1;3000    ;10000   ;GM0034    ;2025JJ00;113738\n"
        "2;T001038 ;70100   ;GM0034    ;2025JJ00;.\n",
        encoding="utf-8",
    )
    report = ingest_cbs([export], warehouse)

    assert (report.loaded, report.observations) == (1, 3)
    assert _query(
        warehouse,
        "select dimensions, dimensions->>'Geslacht', value, value_attribute "
        "from raw.cbs_observations order by row_seq",
    ) == [
        ('{"Geslacht":"T001038","Leeftijd":"10000"}', "T001038", 229574.0, None),
        ('{"Geslacht":"3000","Leeftijd":"10000"}', "3000", 113738.0, None),
        ('{"Geslacht":"T001038","Leeftijd":"70100"}', "T001038", None, "."),
    ]
