"""Parquet export: every mart, small cells blanked as each mart's YAML says, and a manifest."""

import json

import duckdb
import pytest
from conftest import FIXTURE_MESSAGES

from sdw.build import build
from sdw.config import dbt_var
from sdw.export import SUPPRESSED_COLUMN, SmallCells, export_parquet, suppression_query
from sdw.messages.load import ingest_messages


def test_small_counts_and_what_is_derived_from_them_are_blanked():
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values "
        "('a', 25, 3, 12.5::double, 0.4::double), ('b', 4, 30, 7.0, 0.9), ('c', 0, 40, null, 0.1)"
        ") as v(aanbieder, clienten, beeindigd, wachttijd, aandeel)"
    )
    rule = SmallCells(
        counts=("clienten", "beeindigd"),
        derived={"wachttijd": "clienten", "aandeel": "beeindigd"},
    )
    columns = ["aanbieder", "clienten", "beeindigd", "wachttijd", "aandeel"]
    rows = con.execute(suppression_query("t", columns, rule, 10) + " order by 1").fetchall()
    assert rows == [
        ("a", 25, None, 12.5, None, "beeindigd,aandeel"),
        ("b", None, 30, None, 0.9, "clienten,wachttijd"),
        # Zero reveals no one: it stays.
        ("c", 0, 40, None, 0.1, ""),
    ]


def test_export_writes_every_mart_with_a_manifest(warehouse, tmp_path):
    ingest_messages([FIXTURE_MESSAGES], warehouse)
    build(warehouse)
    manifest = export_parquet(warehouse, tmp_path / "export")
    files = {entry["mart"]: entry for entry in manifest["files"]}
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        marts = {
            f"marts.{name}"
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        assert set(files) == marts
        for mart, entry in files.items():
            exported = con.execute(
                f"select count(*) from '{tmp_path / 'export' / entry['file']}'"
            ).fetchone()[0]
            assert (
                exported
                == entry["rows"]
                == con.execute(f"select count(*) from {mart}").fetchone()[0]
            )
        # The fixtures are two clients: every person count below gemeente level is blanked.
        keten = con.execute(
            f"select starts_gemeld, {SUPPRESSED_COLUMN} "
            f"from '{tmp_path / 'export' / 'keten_aanbieder_maand.parquet'}' "
            "where starts_gemeld is not null and starts_gemeld > 0"
        ).fetchall()
    assert keten == []
    assert files["marts.keten_aanbieder_maand"]["rows_with_suppressed_cells"] > 0
    assert files["marts.fct_zorgperiode"]["small_cell_rule"] is None
    assert manifest["small_cell_threshold"] == dbt_var("kleine_aantallen_drempel") == 10
    assert json.loads((tmp_path / "export" / "manifest.json").read_text()) == manifest


def test_export_needs_a_built_project(warehouse, tmp_path, monkeypatch):
    monkeypatch.setattr("sdw.export.MANIFEST", tmp_path / "missing.json")
    with pytest.raises(FileNotFoundError, match="sdw build"):
        export_parquet(warehouse, tmp_path / "export")
