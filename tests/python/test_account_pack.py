"""`sdw export aanbieder`: the account-meeting workbook, opened as a reader would.

Its figures are held to the marts (the aanbieder's own row of aanbieder_jaar), its peer figures
to what `sdw export parquet` shares of the same mart, its findings to marts.dq_findings and the
records they name, and no cell holds a pseudonym or a BSN.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from sdw.account_pack import OWN, PEER_MEDIANS, PEER_SUMS, SUPPRESSED, export_aanbieder
from sdw.cli import main
from sdw.config import dbt_var, settings
from sdw.export import export_parquet

KEYS = ["gemeente_code", "standard", "product_categorie", "jaar"]


def _sheet(workbook, name: str) -> pd.DataFrame:
    rows = list(workbook[name].values)
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.fixture(scope="module")
def pack(demo, tmp_path_factory):
    """The workbook of the aanbieder with the most open findings, and the parquet export."""
    truth, warehouse = demo
    out = tmp_path_factory.mktemp("pack")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        agb = con.execute(
            "select f.aanbieder_agb from marts.dq_findings f "
            "where f.status = 'open' and f.aanbieder_agb in "
            "(select aanbieder_agb from marts.aanbieder_jaar) "
            "group by 1 order by count(*) desc, 1 limit 1"
        ).fetchone()[0]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SDW_WAREHOUSE", str(warehouse))
        assert main(["export", "aanbieder", agb, "--out", str(out / "pack")]) == 0
        export_parquet(settings(), out / "parquet")
    workbook = load_workbook(out / "pack" / f"accountgesprek_{agb}.xlsx")
    with duckdb.connect() as con:
        shared = con.execute(f"select * from '{out / 'parquet' / 'aanbieder_jaar.parquet'}'").df()
    return agb, workbook, shared, warehouse, truth


def test_sheets_are_dutch_and_every_figure_is_explained(pack):
    _, workbook, _, _, _ = pack
    assert workbook.sheetnames == [
        "Overzicht", "Kengetallen", "Omzetplafond", "Bevindingen", "Toelichting",
    ]  # fmt: skip
    explained = set(_sheet(workbook, "Toelichting")["Begrip"])
    figures = (
        set(_sheet(workbook, "Kengetallen").columns) | set(_sheet(workbook, "Omzetplafond").columns)
    ) - {"Gemeente", "Standaard", "Productcategorie", "Jaar", "Segment", "Tot en met maand"}
    assert figures <= explained
    assert all(_sheet(workbook, "Toelichting")["Betekenis"].str.len() > 20)


def test_own_figures_match_the_mart_and_peer_figures_match_the_shared_export(pack):
    agb, workbook, shared, warehouse, _ = pack
    sheet = _sheet(workbook, "Kengetallen")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mart = con.execute("select * from marts.aanbieder_jaar").df()
    own = mart[mart["aanbieder_agb"] == agb].sort_values(KEYS).reset_index(drop=True)
    assert len(sheet) == len(own) > 0
    peers_seen = 0
    for i, row in own.iterrows():
        line = sheet.iloc[i]
        assert (line["Gemeente"], line["Standaard"], line["Productcategorie"], line["Jaar"]) == (
            row["gemeente_code"], row["standard"], row["product_categorie"], row["jaar"],
        )  # fmt: skip
        group = mart[(mart[KEYS] == row[KEYS].values).all(axis=1)]
        assert line["Aantal aanbieders"] == len(group)
        for column, (heading, _) in OWN.items():
            if pd.isna(row[column]):
                assert pd.isna(line[heading]), heading  # an empty cell
            else:
                assert line[heading] == pytest.approx(float(row[column]), abs=1e-3), heading
        mine = shared[(shared[KEYS] == row[KEYS].values).all(axis=1)]
        mine_shared = mine[mine["aanbieder_agb"] == agb].iloc[0]
        for column, (heading, _) in PEER_MEDIANS.items():
            if pd.isna(mine_shared[column]):
                assert line[heading] == SUPPRESSED or pd.isna(line[heading]), heading
            else:
                assert line[heading] == pytest.approx(float(mine_shared[column]), abs=1e-3)
        others = group[group["aanbieder_agb"] != agb]
        others_shared = mine[mine["aanbieder_agb"] != agb]
        for column, heading in PEER_SUMS.items():
            if line[heading] == SUPPRESSED:
                assert others_shared[column].isna().any() or 0 < others[column].sum() < int(
                    dbt_var("kleine_aantallen_drempel")
                )
            else:
                # Shown only when the export shows every other aanbieder's cell.
                assert others_shared[column].notna().all() or others[column].isna().all()
                assert line[heading] == pytest.approx(float(others[column].sum()), abs=1e-3)
                peers_seen += 1
    assert peers_seen


def test_findings_are_the_open_ones_identified_as_the_aanbieder_can_look_them_up(pack):
    agb, workbook, _, warehouse, _ = pack
    sheet = _sheet(workbook, "Bevindingen")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        open_findings = con.execute(
            "select check_name, count(*) from marts.dq_findings "
            "where status = 'open' and aanbieder_agb = ? group by 1",
            [agb],
        ).fetchall()
        prestaties = {
            str(r)
            for (r,) in con.execute(
                "select referentie_nummer from cleaned.declaratieregels where aanbieder_agb = ?",
                [agb],
            ).fetchall()
        }
    assert sheet.groupby("Controle").size().to_dict() == dict(open_findings)
    assert sheet["Toewijzingnummer"].notna().mean() > 0.5
    assert sheet["Datum bevinding"].notna().all()
    on_prestaties = sheet[sheet["Referentienummer prestatie"].notna()]
    assert set(on_prestaties["Referentienummer prestatie"]) <= prestaties


def test_the_workbook_holds_no_pseudonym_and_no_bsn(pack):
    _, workbook, _, warehouse, truth = pack
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select client_pseudonym from marts.dim_client").fetchall()
    pseudonyms = {p for (p,) in rows}
    bsns = {line["bsn"] for line in truth["care"]} | {
        d["bsn"] for d in truth["defects"] if "bsn" in d
    }
    assert pseudonyms and bsns
    cells = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    assert not cells & pseudonyms
    assert not cells & bsns
    assert not any(bsn in cell for cell in cells for bsn in bsns if len(cell) > 9)
    headings = {str(v).lower() for s in workbook.worksheets for v in next(s.values)}
    assert not any("pseudonym" in h or "bsn" in h for h in headings)


def test_omzet_against_the_plafond_is_the_marts_latest_month(demo, tmp_path, monkeypatch):
    _, warehouse = demo
    monkeypatch.setenv("SDW_WAREHOUSE", str(warehouse))
    latest = (
        "(select max(maand_start) from marts.inkoop_omzetplafond_uitputting as q where "
        "q.aanbieder_agb = p.aanbieder_agb and q.jaar = p.jaar and q.standard = p.standard "
        "and q.gemeente_code = p.gemeente_code and q.segment is not distinct from p.segment)"
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (agb,) = con.execute(
            "select min(aanbieder_agb) from marts.inkoop_omzetplafond_uitputting"
        ).fetchone()
        rows = con.execute(
            "select gemeente_code, standard, jaar, plafond_eur, gedeclareerd_cumulatief_eur "
            f"from marts.inkoop_omzetplafond_uitputting as p where aanbieder_agb = ? "
            f"and maand_start = {latest} order by gemeente_code, standard, jaar, segment",
            [agb],
        ).fetchall()
    assert agb and rows, "the demo gives some Jeugd aanbieders an omzetplafond"
    workbook = load_workbook(export_aanbieder(settings(), agb, tmp_path))
    sheet = _sheet(workbook, "Omzetplafond")
    assert len(sheet) == len(rows)
    for (_, line), row in zip(sheet.iterrows(), rows, strict=True):
        assert (line["Gemeente"], line["Standaard"], line["Jaar"]) == row[:3]
        assert line["Omzetplafond (euro)"] == pytest.approx(float(row[3]))
        assert line["Gedeclareerd tot nu (euro)"] == pytest.approx(float(row[4]))
