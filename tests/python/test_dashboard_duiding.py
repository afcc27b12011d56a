"""The analysts' duiding on the dashboard, in headless Chromium on the session's demo: a
duiding naming a figure shows in that figure's card, the page's other duiding below the panels,
each only on its own page, for its gemeente and a period overlapping the selection."""

from __future__ import annotations

import duckdb
import pandas as pd
import test_dashboard

from sdw.serving import serving_path

# the dashboard test's fixtures: the browser and the dashboard on the session's demo
browser = test_dashboard.browser
dashboard = test_dashboard.dashboard


def test_duiding_shows_with_its_figure_and_below_the_page(
    dashboard, browser, tmp_path, monkeypatch
):
    url, warehouse, truth = dashboard
    code = truth["gemeenten"][0]["gemeente_code"]
    with duckdb.connect(str(serving_path(warehouse)), read_only=True) as con:
        last = con.execute(
            "select max(maand_start) from marts.gemeente_clienten_maand where gemeente_code = ?",
            [code],
        ).fetchone()[0]
    jaar = pd.Timestamp(last).year
    (tmp_path / f"{code}.yml").write_text(
        f'gemeente: "{code}"\n'
        "duiding:\n"
        f"  - {{pagina: overzicht, periode: '{jaar}', figuur: clienten_in_zorg,\n"
        "     tekst: Tekst bij de clienten.}\n"
        f"  - {{pagina: overzicht, periode: '{jaar}-H2', tekst: Tekst bij de pagina.}}\n"
        f"  - {{pagina: keten, periode: '{jaar}', tekst: Tekst bij de keten.}}\n"
        f"  - {{pagina: overzicht, periode: '{jaar - 3}', tekst: Tekst van vroeger.}}\n",
        encoding="utf-8",
    )
    # read on every request: no restart needed
    monkeypatch.setenv("SDW_DUIDING_DIR", str(tmp_path))
    page = browser.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    query = f"?gemeente={code}&domein=iwmo&van={jaar}-01-01&tot={jaar}-12-01"

    page.goto(url + query)
    page.wait_for_selector("#uitleg-clienten .duiding", timeout=60_000)
    page.wait_for_selector("#duiding-overzicht .duiding", timeout=60_000)
    card = page.inner_text("#kaart-clienten")
    below = page.inner_text("#duiding-overzicht")
    assert "Tekst bij de clienten." in card and f"{jaar}:" in card
    assert "Tekst bij de pagina." in below and "Tekst bij de clienten." not in below
    text = page.inner_text("body")
    assert "Tekst bij de keten." not in text and "Tekst van vroeger." not in text

    page.goto(url.rstrip("/") + "/keten" + query)
    page.wait_for_selector("#duiding-keten .duiding", timeout=60_000)
    assert "Tekst bij de keten." in page.inner_text("#duiding-keten")
    assert "Tekst bij de pagina." not in page.inner_text("body")

    # Another period: the duiding of the second half-year is not shown in the first.
    page.goto(url + f"?gemeente={code}&domein=iwmo&van={jaar}-01-01&tot={jaar}-06-01")
    page.wait_for_selector("#uitleg-clienten .duiding", timeout=60_000)
    page.wait_for_function(
        "() => document.getElementById('duiding-overzicht') !== null"
        " && !document.getElementById('duiding-overzicht').innerText.includes('pagina')"
    )
    assert errors == []
    page.close()
