"""Inkoop en contractmanagement: the aanbieder register and product names through `sdw ingest
budget`, and the inkoop marts against the demo generator's own records.

Expected values come from the files the generator wrote (register, catalogue, budget) and its
ground truth (`care`: every product line with its start, stop and prestaties as sent), never
from the marts' SQL.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from sdw.budget.load import ingest_budget
from sdw.config import Settings
from sdw.demo.budget import INKOOP_COLUMNS

REGISTER = ("gemeente_code", "aanbieder_agb", "naam", "kvk_nummer", "soort")


def _write(path: Path, header: tuple[str, ...], rows: list[tuple], delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _csv(folder: Path, pattern: str) -> list[dict]:
    rows = []
    for path in sorted(folder.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows


def _budget_folder(warehouse: Path) -> Path:
    return Path(warehouse).parents[1] / "demo" / "budget"


# --- names: loading ----------------------------------------------------------------------------


def test_register_and_optional_catalogue_columns_load(tmp_path: Path, warehouse: Settings):
    folder = tmp_path / "budget"
    # Only the required register columns, in another order, with ";".
    _write(
        folder / "register.csv",
        ("naam", "aanbieder_agb", "gemeente_code"),
        [("Zorg BV", "98201001", "0999"), ("Hulp & Co", "98202001", "0999")],
        delimiter=";",
    )
    # The catalogue with its optional columns, perceel before productnaam.
    _write(
        folder / "catalogus.csv",
        (*INKOOP_COLUMNS, "perceel", "productnaam"),
        [("0999", "2025", "ijw", "Jeugd-ggz", "54", "54A01", "01", "98202001", "195", "", "GGZ")],
    )
    report = ingest_budget([folder], warehouse)
    assert (report.loaded, report.quarantined, report.rows) == (2, 0, 3)
    assert sorted(
        _query(
            warehouse.warehouse,
            f"select {', '.join(REGISTER)} from raw.budget_aanbieders",
        )
    ) == [("0999", "98201001", "Zorg BV", "", ""), ("0999", "98202001", "Hulp & Co", "", "")]
    assert _query(
        warehouse.warehouse, "select productnaam, perceel, tarief_eurocent from raw.budget_inkoop"
    ) == [("GGZ", "", "195")]


def test_a_bad_register_is_quarantined_without_quoting_a_value(tmp_path: Path, warehouse: Settings):
    folder = tmp_path / "budget"
    secret = "Jansen Zorg"  # a sole trader's name is a person's name
    bad = {
        "agb.csv": [("0999", "9820100", secret, "", "")],
        "naam.csv": [("0999", "98201001", "", "", "")],
        "kvk.csv": [("0999", "98201001", secret, "1234-5678", "")],
        "dubbel.csv": [("0999", "98201001", secret, "", ""), ("0999", "98201001", "X", "", "")],
        "gemeente.csv": [("999", "98201001", secret, "", "")],
    }
    for name, rows in bad.items():
        _write(folder / name, REGISTER, rows)
    _write(folder / "kolom.csv", (*REGISTER, "adres"), [("0999", "98201001", secret, "", "", "")])
    report = ingest_budget([folder], warehouse)
    assert (report.loaded, report.quarantined) == (0, len(bad) + 1)
    reasons = dict(_query(warehouse.warehouse, "select path, reason from raw.budget_files"))
    expected = {
        "agb.csv": "line 2: aanbieder_agb is not 8 digits",
        "naam.csv": "line 2: no naam",
        "kvk.csv": "line 2: kvk_nummer is not 8 digits",
        "dubbel.csv": "line 3: the aanbieder_agb of line 2 again",
        "gemeente.csv": "line 2: gemeente_code is not 4 digits",
        "kolom.csv": "is no layout",
    }
    for name, reason in expected.items():
        found = reasons[str((folder / name).resolve())]
        assert reason in found, name
        assert secret not in found and "9820100" not in found, name
    assert _query(warehouse.warehouse, "select count(*) from raw.budget_aanbieders") == [(0,)]


def test_a_later_register_replaces_the_names_it_gives(tmp_path: Path, warehouse: Settings):
    from sdw.build import run_dbt

    first = [("0999", "98201001", "Oud BV", "", ""), ("0999", "98202001", "Blijft BV", "", "")]
    _write(tmp_path / "a" / "register.csv", REGISTER, first)
    assert ingest_budget([tmp_path / "a"], warehouse).loaded == 1
    # Loaded later: a new name for one aanbieder, and another gemeente naming a third.
    _write(
        tmp_path / "b" / "register.csv",
        REGISTER,
        [
            ("0999", "98201001", "Nieuw BV", "12345678", "zzp"),
            ("1234", "98203001", "Elders", "", ""),
        ],
    )
    assert ingest_budget([tmp_path / "b"], warehouse).loaded == 1
    # Offered again: nothing changes (the ledger has it).
    assert ingest_budget([tmp_path / "a", tmp_path / "b"], warehouse).loaded == 0
    run_dbt(warehouse, "build", "--select", "+aanbieder_namen")
    assert sorted(
        _query(
            warehouse.warehouse,
            "select aanbieder_agb, aanbieder_naam, kvk_nummer, aanbieder_soort "
            "from cleaned.aanbieder_namen",
        )
    ) == [
        ("98201001", "Nieuw BV", "12345678", "zzp"),
        ("98202001", "Blijft BV", None, None),
        ("98203001", "Elders", None, None),
    ]


# --- names: in the marts -----------------------------------------------------------------------


def test_dimensions_carry_the_names_and_the_code_where_none_is_known(demo):
    truth, warehouse = demo
    folder = _budget_folder(warehouse)
    register = {r["aanbieder_agb"]: r for r in _csv(folder, "*_aanbieders.csv")}
    found = {
        agb: (naam, kvk, soort, geregistreerd)
        for agb, naam, kvk, soort, geregistreerd in _query(
            warehouse,
            "select aanbieder_agb, aanbieder_naam, kvk_nummer, aanbieder_soort, is_geregistreerd "
            "from marts.dim_aanbieder",
        )
    }
    for agb, (naam, kvk, soort, geregistreerd) in found.items():
        row = register.get(agb)
        if row is None:
            assert (naam, kvk, soort, geregistreerd) == (agb, None, None, False), agb
        else:
            expected = (row["naam"], row["kvk_nummer"] or None, row["soort"] or None, True)
            assert (naam, kvk, soort, geregistreerd) == expected, agb
    # Both kinds are in the demo: named aanbieders (the successor too) and one without a name.
    overname = truth["gemeenten"][0]["overname"]
    assert found[overname["opvolger_agb"]][0] == register[overname["opvolger_agb"]]["naam"]
    assert any(not v[3] for v in found.values()) and sum(v[3] for v in found.values()) > 5

    catalogue = {
        (r["standard"], r["productcategorie"], r["productcode"]): r["productnaam"]
        for r in _csv(folder, "*_inkoop.csv")
    }
    products = _query(
        warehouse,
        "select standard, product_categorie, product_code, product_naam from marts.dim_product",
    )
    for standard, categorie, code, naam in products:
        named = catalogue.get((standard, categorie, code))
        assert naam == (named or code or categorie), (standard, categorie, code)
    assert any(naam == code for _, _, code, naam in products)
    assert sum(naam != code for _, _, code, naam in products) > 10
