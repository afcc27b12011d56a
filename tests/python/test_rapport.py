"""`sdw rapport` on the session's demo warehouse: the HTML and the PDF (headless Chromium) are
written, the figures equal the marts, no count of persons from 1 up to the threshold appears,
what the export blanks stays blank, and the duiding travels into the report."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdw.begrippen import definitie
from sdw.config import dbt_var, settings
from sdw.duiding import DuidingError
from sdw.export import SUPPRESSED_COLUMN, export_parquet
from sdw.rapport import MAANDEN, chromium, rapport
from sdw.serving import serving_path


class Cells(HTMLParser):
    """Every td of the report: (table class, data-standard, row label, td class, data-waarde)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.table: dict = {}
        self.label = ""
        self._in_th = False
        self._cell: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = {"table": attrs.get("class"), "standard": attrs.get("data-standard")}
        elif tag == "tr":
            self.label, self.column = "", 0
        elif tag == "th":
            self._in_th = True
        elif tag == "td":
            self._cell = {
                **self.table,
                "label": self.label.strip(),
                "column": self.column,
                "class": attrs.get("class", "").split(),
                "waarde": attrs.get("data-waarde"),
                "text": "",
            }
            self.column += 1

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False
        elif tag == "td" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._in_th:
            self.label += data
        if self._cell is not None:
            self._cell["text"] += data


def cells(page: str, table: str, standard: str | None = None) -> list[dict]:
    parser = Cells()
    parser.feed(page)
    return [
        c
        for c in parser.cells
        if c["table"] == table and (standard is None or c["standard"] == standard)
    ]


def mart(warehouse: Path, sql: str, *params) -> pd.DataFrame:
    with duckdb.connect(str(serving_path(warehouse)), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def value(cell: dict) -> float | None:
    return float(cell["waarde"]) if cell["waarde"] not in (None, "") else None


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory):
    truth, warehouse = demo
    code = truth["gemeenten"][0]["gemeente_code"]
    last = mart(warehouse, "select max(maand_start) from marts.gemeente_clienten_maand").iat[0, 0]
    jaar = pd.Timestamp(last).year
    root = tmp_path_factory.mktemp("rapport")
    (root / "duiding").mkdir()
    (root / "duiding" / f"{code}.yml").write_text(
        f'gemeente: "{code}"\n'
        "duiding:\n"
        f"  - {{pagina: overzicht, periode: '{jaar}', figuur: clienten_in_zorg,\n"
        "     tekst: De daling in de zomer komt door de nieuwe toegang.}\n"
        f"  - {{pagina: keten, periode: '{jaar}-H2',\n"
        "     tekst: Twee aanbieders stapten over op nieuwe software.}\n"
        f"  - {{pagina: overzicht, periode: '{jaar - 1}', tekst: Over het jaar ervoor.}}\n",
        encoding="utf-8",
    )
    browser = chromium()
    wants_pdf = browser is not None and browser.exists()
    if not wants_pdf and os.environ.get("SDW_REQUIRE_BROWSER") == "1":
        pytest.fail("SDW_REQUIRE_BROWSER=1 but no Chromium to print the report (run .ci/chromium)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SDW_WAREHOUSE", str(warehouse))
        patch.setenv("SDW_DUIDING_DIR", str(root / "duiding"))
        result = rapport(settings(), code, jaar, root / "out", pdf=wants_pdf)
        export_parquet(settings(), root / "export")
    return {
        "result": result,
        "page": result.html.read_text(encoding="utf-8"),
        "code": code,
        "jaar": jaar,
        "warehouse": warehouse,
        "export": root / "export",
        "root": root,
    }


def test_the_report_is_html_and_pdf_and_fetches_nothing(report) -> None:
    result, page = report["result"], report["page"]
    assert result.html.name == f"rapport-{report['code']}-{report['jaar']}.html"
    assert page.startswith('<!DOCTYPE html><html lang="nl">')
    for section in ("Kerncijfers", "Ontwikkeling door het jaar", "Vergelijking met CBS",
                    "Budget", "Doelen", "Begrippen"):  # fmt: skip
        assert f"<h2>{section}</h2>" in page
    # self-contained: no script, no stylesheet or image from anywhere
    assert "<script" not in page and "src=" not in page and "href=" not in page
    if result.pdf is None:
        pytest.skip("no Chromium: the PDF was not printed")
    pdf = result.pdf.read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 1
    assert len(pdf) > 20_000


def test_no_count_below_the_threshold_appears(report) -> None:
    minimum = int(dbt_var("kleine_aantallen_drempel"))
    parser = Cells()
    parser.feed(report["page"])
    counts = [c for c in parser.cells if "aantal" in c["class"]]
    assert len(counts) > 50
    for cell in counts:
        shown = value(cell)
        assert shown is None or shown == 0 or shown >= minimum, cell
        if shown is None:
            assert cell["text"] in ("•", "\u2013"), cell
    assert report["result"].onderdrukt > 0
    # A year total never gives a blanked month away: blanked months are none or at least two.
    for standard in ("iwmo", "ijw"):
        rows = cells(report["page"], "maanden", standard)
        for column, label in ((1, "Instroom"), (2, "Uitstroom")):
            year = [
                c
                for c in cells(report["page"], "kerncijfers")
                if c["label"].startswith(label) and c["column"] == (0 if standard == "iwmo" else 1)
            ]
            blanked = [c for c in rows if c["column"] == column and "onderdrukt" in c["class"]]
            if year and value(year[0]) is not None:
                assert len(blanked) != 1, (standard, label)


def test_the_figures_are_the_marts(report) -> None:
    warehouse, code, jaar, page = (
        report["warehouse"],
        report["code"],
        report["jaar"],
        report["page"],
    )
    months = mart(
        warehouse,
        "select standard, maand_start, clienten_in_zorg, instroom, uitstroom "
        "from marts.gemeente_clienten_maand where gemeente_code = ? and year(maand_start) = ? "
        "order by standard, maand_start",
        code,
        jaar,
    )
    for standard, rows in months.groupby("standard"):
        shown = cells(page, "maanden", standard)
        by_row = {(c["label"], c["column"]): value(c) for c in shown}
        assert len(shown) == 3 * len(rows)
        for row in rows.itertuples():
            label = f"{MAANDEN[row.maand_start.month - 1]} {row.maand_start.year}"
            for column, name in enumerate(("clienten_in_zorg", "instroom", "uitstroom")):
                if by_row[(label, column)] is not None:
                    assert by_row[(label, column)] == getattr(row, name), (standard, label, name)
            assert by_row[(label, 0)] == row.clienten_in_zorg  # the stock is never small here
        # the key figures: the stock of the last month, the year's instroom
        kern = cells(page, "kerncijfers")
        column = sorted(months["standard"].unique(), key=["iwmo", "ijw"].index).index(standard)
        stock = [c for c in kern if c["label"].startswith("Cliënten in zorg")]
        assert value(stock[column]) == rows["clienten_in_zorg"].iloc[-1]
        instroom = [c for c in kern if c["label"].startswith("Instroom")][column]
        assert value(instroom) in (None, rows["instroom"].sum())

    # CBS comparison: the own rate per form of the year, as the mart has it
    bench = mart(
        warehouse,
        "select standard, vorm_omschrijving, eigen_clienten, eigen_per_1000, cbs_gemeente_per_1000 "
        "from marts.benchmark_gemeente where gemeente_code = ? and periode_type = 'jaar' "
        "and year(periode_start) = ?",
        code,
        jaar,
    )
    assert len(bench) > 0
    compared = 0
    for row in bench.itertuples():
        shown = {
            c["column"]: c
            for c in cells(page, "cbs", row.standard)
            if c["label"] == row.vorm_omschrijving
        }
        if value(shown[1]) is not None:
            assert value(shown[1]) == pytest.approx(row.eigen_per_1000)
            assert value(shown[0]) == row.eigen_clienten
            compared += 1
        if not pd.isna(row.cbs_gemeente_per_1000):
            assert value(shown[2]) == pytest.approx(row.cbs_gemeente_per_1000)
    assert compared > 0

    # Budget: each line's uitputting as of the year's last month
    budget = mart(
        warehouse,
        "select standard, coalesce(segment, budget_key) || coalesce(' (' || product_categorie "
        "|| ')', '') as regel, uitputting_percentage "
        "from marts.gemeente_budget_uitputting where gemeente_code = ? and jaar = ? "
        "and maand_start = (select max(maand_start) from marts.gemeente_budget_uitputting "
        "where gemeente_code = ? and jaar = ?)",
        code, jaar, code, jaar,
    )  # fmt: skip
    assert len(budget) > 0
    for row in budget.itertuples():
        shown = [
            c for c in cells(page, "budget", row.standard)
            if c["label"] == row.regel and c["column"] == 2
        ]  # fmt: skip
        assert shown, row
        if value(shown[0]) is not None:
            assert value(shown[0]) == pytest.approx(row.uitputting_percentage)


def test_what_the_export_blanks_the_report_blanks(report) -> None:
    with duckdb.connect() as con:
        exported = con.execute(
            f"select * from '{report['export'] / 'benchmark_gemeente.parquet'}'"
        ).df()
    exported = exported[
        (exported["gemeente_code"] == report["code"])
        & (exported["periode_type"] == "jaar")
        & (pd.to_datetime(exported["periode_start"]).dt.year == report["jaar"])
    ]
    blanked = exported[exported[SUPPRESSED_COLUMN].str.contains("eigen_clienten")]
    assert len(blanked) > 0, "the demo has small forms: the export blanks some"
    for row in exported.itertuples():
        shown = {
            c["column"]: c
            for c in cells(report["page"], "cbs", row.standard)
            if c["label"] == row.vorm_omschrijving
        }
        if "eigen_clienten" in getattr(row, SUPPRESSED_COLUMN).split(","):
            assert value(shown[0]) is None and value(shown[1]) is None


def test_the_export_manifest_gives_each_mart_its_dutch_definitions(report) -> None:
    manifest = json.loads((report["export"] / "manifest.json").read_text(encoding="utf-8"))
    files = {entry["mart"]: entry for entry in manifest["files"]}
    begrippen = files["marts.gemeente_clienten_maand"]["begrippen"]
    assert set(begrippen) == {"client_in_zorg", "gemeente", "standard", "instroom", "uitstroom"}
    assert begrippen["instroom"] == definitie("instroom")
    assert begrippen["instroom"].startswith("**Instroom** — cliënten bij wie")


def test_the_duiding_travels_into_the_report(report) -> None:
    page = report["page"]
    assert report["result"].duidingen == 2
    trend = page[page.index('<section id="trend">') : page.index('<section id="cbs">')]
    assert "De daling in de zomer komt door de nieuwe toegang." in trend
    assert "Twee aanbieders stapten over op nieuwe software." in page
    assert "Over het jaar ervoor." not in page


def test_bad_input_gives_a_clear_error(report, monkeypatch) -> None:
    monkeypatch.setenv("SDW_WAREHOUSE", str(report["warehouse"]))
    out = report["root"] / "fout"
    with pytest.raises(ValueError, match=r"unknown gemeente 0001"):
        rapport(settings(), "0001", report["jaar"], out, pdf=False)
    bad = report["root"] / "bad"
    bad.mkdir()
    (bad / f"{report['code']}.yml").write_text(
        f'gemeente: "{report["code"]}"\n'
        'duiding:\n  - {pagina: start, periode: "2025", tekst: x}\n'
    )
    monkeypatch.setenv("SDW_DUIDING_DIR", str(bad))
    with pytest.raises(DuidingError, match=rf"{report['code']}\.yml, duiding 1: unknown pagina"):
        rapport(settings(), report["code"], report["jaar"], out, pdf=False)
    assert not out.exists() or not list(out.iterdir())
