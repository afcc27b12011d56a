"""The Verkenner page in headless Chromium on the session's demo: for a known combination it
shows the mart's values (chart and table), a shared URL keeps the filters, and the CSV and
Excel downloads hold the table. Uses test_dashboard.py's browser and server fixtures."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from test_dashboard import browser, dashboard, mart, screenshot  # noqa: F401 (fixtures)

TABEL_KLAAR = """() => {
  const cells = document.querySelectorAll('#verkenner-tabel td');
  const graph = document.querySelector('#verkenner-grafiek .js-plotly-plot');
  return cells.length > 0 && graph && (graph._fullData || []).length > 0;
}"""

GRAFIEK = """() => {
  const graph = document.querySelector('#verkenner-grafiek .js-plotly-plot');
  return graph._fullData.map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}));
}"""


def _table(page) -> list[list[str]]:
    header = [th.inner_text().strip() for th in page.query_selector_all("#verkenner-tabel th")]
    rows = []
    for tr in page.query_selector_all("#verkenner-tabel tr"):
        cells = [td.inner_text().strip() for td in tr.query_selector_all("td")]
        if cells:
            rows.append(cells)
    return [header, *rows]


def test_verkenner_answers_with_the_marts_value_and_downloads(dashboard, browser):  # noqa: F811
    url, warehouse, truth = dashboard
    code = truth["gemeenten"][0]["gemeente_code"]
    van, tot = date(2025, 1, 1), date(2025, 6, 1)
    expected = mart(
        warehouse,
        "select maand_start, clienten_in_zorg from marts.gemeente_clienten_maand "
        "where gemeente_code = ? and standard = 'iwmo' and maand_start between ? and ? "
        "order by maand_start",
        code,
        van,
        tot,
    )
    assert len(expected) == 6 and all(n > 0 for _, n in expected)

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    link = f"{url}verkenner?gemeente={code}&domein=iwmo&van={van}&tot={tot}"
    page.goto(link)
    page.wait_for_function(TABEL_KLAAR, timeout=60_000)

    # The default question: clients in zorg per month, as the mart counts them.
    header, *rows = _table(page)
    assert header[:2] == ["Maand", "Cliënten in zorg"]
    assert [(r[0], int(r[1])) for r in rows] == [(m.isoformat(), n) for m, n in expected]
    (trace,) = page.evaluate(GRAFIEK)
    assert trace["name"] == "Cliënten in zorg"
    assert trace["y"] == [n for _, n in expected]
    # MetricFlow's SQL, shown under "Definitie en SQL", reads the marts.
    assert '"marts"."fct_client_maand"' in page.text_content("#verkenner-sql")
    # The shared link kept the filters.
    assert f"gemeente={code}" in page.url and "domein=iwmo" in page.url
    assert page.is_checked("#verkenner-grain input[value='month']")
    screenshot(page, "verkenner")

    with page.expect_download() as download:
        page.click("#verkenner-csv")
    text = download.value.path().read_text(encoding="utf-8")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:2] == ["Maand", "Cliënten in zorg"]
    assert [(r[0], int(r[1])) for r in lines[1:]] == [(m.isoformat(), n) for m, n in expected]

    with page.expect_download() as download:
        page.click("#verkenner-excel")
    assert download.value.suggested_filename == "verkenner.xlsx"
    with zipfile.ZipFile(download.value.path()) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = workbook.read("xl/sharedStrings.xml").decode("utf-8")
    assert "Cliënten in zorg" in strings
    for _, n in expected:
        assert f"<v>{n}</v>" in sheet

    assert errors == []
    page.close()
