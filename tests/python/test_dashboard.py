"""The dashboard in a headless Chromium on the session's demo warehouse: every panel draws the
mart's figures for the filter (checked against the test's own queries and the generator's
ground truth), the filters change them, definitions come from the project, nothing is fetched
from outside, and a screenshot of every page is kept in SDW_REPORTS (default warehouse/reports)."""

from __future__ import annotations

import csv
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from sdw.config import PROJECT_DIR, settings
from sdw.dashboard import create_app
from sdw.dashboard.charts import kort
from sdw.dashboard.page import Page
from sdw.dashboard.pages import PAGES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Per graph, per trace: its name and its points as plotly.js drew them (typed arrays decoded).
TRACES = """id => {
  const graph = document.querySelector(`#${id} .js-plotly-plot`);
  return (graph._fullData || []).map(t => ({
    name: t.name, type: t.type,
    x: t.x ? Array.from(t.x) : [], y: t.y ? Array.from(t.y) : [],
    z: t.z ? Array.from(t.z, row => Array.from(row)) : [],
  }));
}"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("SDW_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SDW_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM} (run .ci/chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def dashboard(demo) -> Iterator[tuple[str, Path, dict]]:
    from werkzeug.serving import make_server

    truth, warehouse = demo
    server = make_server("127.0.0.1", 0, create_app(warehouse).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", warehouse, truth
    server.shutdown()
    thread.join()


def mart(warehouse: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def traces(page, panel: str) -> dict[str, dict]:
    return {t["name"]: t for t in page.evaluate(TRACES, f"grafiek-{panel}")}


def wait_for_selection(page, text: str, panels: int) -> None:
    """Until the caption names the selection and every graph has drawn it (layout.meta)."""
    page.wait_for_function(
        """({text, panels}) => {
          // null until Dash has rendered the layout (on a loaded machine, after the first poll)
          const caption = document.getElementById('selectie')?.textContent;
          if (caption == null) return false;
          const graphs = [...document.querySelectorAll('.js-plotly-plot')];
          return caption.includes(text) && graphs.length === panels
            && graphs.every(g => g._fullLayout && g._fullLayout.meta === caption);
        }""",
        arg={"text": text, "panels": panels},
    )


def test_waiting_for_the_selection_waits_for_the_caption_to_exist(browser) -> None:
    """Dash renders the layout after the page loads: before it, there is no #selectie."""
    page = browser.new_page()
    page.set_content(
        "<script>setTimeout(() => { const p = document.createElement('p'); p.id = 'selectie';"
        " p.textContent = 'Wmo'; document.body.appendChild(p); }, 300);</script>"
    )
    wait_for_selection(page, "Wmo", panels=0)
    assert page.inner_text("#selectie") == "Wmo"
    page.close()


def choose(page, dropdown: str, label: str) -> None:
    page.click(f"#{dropdown}")
    page.get_by_role("option", name=label, exact=True).click()


def screenshot(page, name: str) -> Path:
    path = settings().reports_dir / f"dashboard-{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 30_000
    return path


def drawn_everywhere(page, shown: Page) -> None:
    """Every panel of the page draws traces with points, none is the empty figure."""
    for panel in shown.panels:
        drawn = traces(page, panel.id)
        points = sum(len(t["x"]) + len(t["z"]) for t in drawn.values())
        assert drawn and points > 0, f"panel {panel.id} on {shown.pad} is empty"


def test_dashboard_pages_filters_definitions(dashboard, browser) -> None:
    url, warehouse, truth = dashboard
    base = url.rstrip("/")
    gemeente = truth["gemeenten"][0]
    code = gemeente["gemeente_code"]
    aanbieders = {
        domain: {a["agb"] for a in rows} for domain, rows in gemeente["aanbieders"].items()
    }
    if "overname" in gemeente:  # the demo's successor takes over a Jeugd aanbieder's clients
        aanbieders["jeugd"].add(gemeente["overname"]["opvolger_agb"])
    # Panels show an aanbieder by the name the register gives it, else by its AGB code.
    naam = dict(mart(warehouse, "select aanbieder_agb, aanbieder_naam from marts.dim_aanbieder"))
    namen = {domain: {naam[agb] for agb in agbs} for domain, agbs in aanbieders.items()}
    assert any(naam[agb] != agb for agb in aanbieders["jeugd"])  # the demo's register names some
    pages = {p.naam: p for p in PAGES}

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(url) else outside.append(r.url))
    page.goto(url)
    wait_for_selection(page, "Wmo", len(pages["overzicht"].panels))
    screenshot(page, "overzicht")
    drawn_everywhere(page, pages["overzicht"])

    # Clients in zorg: the last 24 months of the mart, month by month.
    ((last,),) = mart(
        warehouse,
        "select max(maand_start) from marts.gemeente_clienten_maand where gemeente_code = ?",
        code,
    )
    wmo = mart(
        warehouse,
        "select clienten_in_zorg, instroom from marts.gemeente_clienten_maand "
        "where gemeente_code = ? and standard = 'iwmo' order by maand_start desc limit 24",
        code,
    )[::-1]
    drawn = traces(page, "clienten")
    assert drawn["Cliënten in zorg"]["y"] == [row[0] for row in wmo]
    assert drawn["Instroom"]["y"] == [row[1] for row in wmo]
    # Budget: each Wmo budget line's uitputting and projection at the last month, as the mart has
    # them, and every line of the demo's budget file for that year.
    budget = mart(
        warehouse,
        "select uitputting_percentage, prognose_percentage from marts.gemeente_budget_uitputting "
        "where gemeente_code = ? and standard = 'iwmo' and maand_start = ?",
        code,
        last,
    )
    drawn = traces(page, "budget")
    assert sorted(drawn["Gedeclareerd"]["x"]) == pytest.approx(sorted(r[0] for r in budget))
    assert sorted(drawn["Prognose jaareinde"]["x"]) == pytest.approx(sorted(r[1] for r in budget))
    # The plafonds come from the demo's budget file (conftest's demo writes it beside the
    # warehouse folder): every line of the year is there, and the caption sums them.
    budget_csv = warehouse.parent.parent / "demo" / "budget" / f"{code}_budget.csv"
    with budget_csv.open(encoding="utf-8") as f:
        lines = [
            r for r in csv.DictReader(f) if r["standard"] == "iwmo" and r["jaar"] == str(last.year)
        ]
    assert len(budget) == len(lines)
    plafond = sum(int(r["plafond_eur"]) for r in lines)
    assert f"van € {plafond:,}".replace(",", ".") in page.inner_text("#uitleg-budget")

    # Herhaald beroep: per productcategorie, of the year before the last, as the mart sums it.
    herhaald = mart(
        warehouse,
        "select 100.0 * sum(herhaald_beroep_12m) / sum(beeindigd_volgens_plan_12m_bekend) "
        "from marts.herhaald_beroep where gemeente_code = ? and standard = 'iwmo' and jaar = ? "
        "group by product_categorie having sum(beeindigd_volgens_plan_12m_bekend) > 0",
        code,
        last.year - 1,
    )
    drawn = traces(page, "herhaald")["Herhaald beroep"]["x"]
    assert sorted(drawn) == pytest.approx(sorted(float(r[0]) for r in herhaald))

    # A definition is one click away and is the project's text: the glossary's instroom (Dutch).
    glossary = (PROJECT_DIR / "models" / "_glossary_nl.md").read_text(encoding="utf-8")
    instroom = re.search(r"{% docs instroom_nl %}(.*?){% enddocs %}", glossary, re.S).group(1)
    words = " ".join(instroom.replace("**", "").split())[:60]
    card = page.locator("#kaart-clienten")
    card.get_by_text("Definitie").click()
    text = " ".join(card.locator(".definitie").inner_text().split())
    assert "marts.gemeente_clienten_maand" in text and words in text

    # The menu keeps the filters: Inkoop en markt shows Wmo aanbieders of the gemeente only.
    page.click("#menu-inkoop")
    wait_for_selection(page, "Wmo", len(pages["inkoop"].panels))
    assert page.url.startswith(base + "/inkoop?") and f"gemeente={code}" in page.url
    screenshot(page, "inkoop")
    drawn_everywhere(page, pages["inkoop"])
    wachttijd = {label.split(" · ")[0] for label in traces(page, "wachttijd")["Mediaan"]["y"]}
    assert wachttijd and wachttijd <= {kort(n) for n in namen["wmo"]}

    # The domain filter on a page: Jeugd's aanbieders; the URL now says so.
    page.get_by_text("Jeugd", exact=True).click()
    wait_for_selection(page, "Jeugd", len(pages["inkoop"].panels))
    assert "domein=ijw" in page.url
    wachttijd = {label.split(" · ")[0] for label in traces(page, "wachttijd")["Mediaan"]["y"]}
    assert wachttijd and wachttijd <= {kort(n) for n in namen["jeugd"]}

    page.click("#menu-keten")
    wait_for_selection(page, "Jeugd", len(pages["keten"].panels))
    screenshot(page, "keten")
    assert set(traces(page, "scorecard")["Open bevindingen"]["y"]) == namen["jeugd"]
    rejected = mart(
        warehouse,
        "select aanbieder_agb, sum(berichten_afgekeurd), sum(berichten_beantwoord) "
        "from marts.keten_retouren_aanbieder_maand where gemeente_code = ? and standard = 'ijw' "
        "and maand_start > ? - interval 24 month group by aanbieder_agb order by aanbieder_agb",
        code,
        last,
    )
    drawn = traces(page, "retouren")["Afgekeurd"]
    assert drawn["y"] == [naam[r[0]] for r in rejected]
    assert drawn["x"] == pytest.approx([100 * r[1] / r[2] for r in rejected])

    # The period filter: from January of the last year, the year panels show that year.
    page.click("#menu-overzicht")
    wait_for_selection(page, "Jeugd", len(pages["overzicht"].panels))
    jeugd = mart(
        warehouse,
        "select clienten_in_zorg from marts.gemeente_clienten_maand "
        "where gemeente_code = ? and standard = 'ijw' and maand_start > ? - interval 24 month "
        "order by maand_start",
        code,
        last,
    )
    assert traces(page, "clienten")["Cliënten in zorg"]["y"] == [row[0] for row in jeugd]
    assert "Totaal jeugdhulp" in traces(page, "benchmark")["Eigen berichten"]["y"]
    choose(page, "van", f"jan {last.year}")
    wait_for_selection(page, f"januari {last.year} t/m", len(pages["overzicht"].panels))
    year = mart(
        warehouse,
        "select clienten_in_zorg from marts.gemeente_clienten_maand where gemeente_code = ? "
        "and standard = 'ijw' and year(maand_start) = ? order by maand_start",
        code,
        last.year,
    )
    assert traces(page, "clienten")["Cliënten in zorg"]["y"] == [row[0] for row in year]
    page.click("#menu-wijk")
    wait_for_selection(page, f"januari {last.year} t/m", len(pages["wijk"].panels))
    screenshot(page, "wijk")
    shares = mart(
        warehouse,
        "select count(distinct gebied) from marts.gemeente_marktaandeel_gebied "
        "where gemeente_code = ? and standard = 'ijw' and jaar = ?",
        code,
        last.year,
    )[0][0]
    gebieden = {y for t in traces(page, "marktaandeel").values() for y in t["y"]}
    assert len(gebieden) == shares
    per_wijk = mart(
        warehouse,
        "select wijk_code, per_1000_inwoners from marts.wijk_clienten_jaar where gemeente_code = ? "
        "and standard = 'ijw' and jaar = ? and leeftijdsklasse = '0-14' order by wijk_code",
        code,
        last.year,
    )
    drawn = traces(page, "wijk-clienten")["0-14"]
    assert drawn["x"] == [r[0] for r in per_wijk] and len(per_wijk) > 1
    assert drawn["y"] == pytest.approx([r[1] for r in per_wijk])
    choose(page, "tot", f"jun {last.year}")
    wait_for_selection(page, f"t/m juni {last.year}", len(pages["wijk"].panels))

    # A shared link restores the filters on another browser page: the link of this selection.
    shared = page.url
    assert f"van={last.year}-01-01" in shared and f"tot={last.year}-06-01" in shared
    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    other.goto(shared.replace("/wijk?", "/?"))
    wait_for_selection(other, f"januari {last.year} t/m juni {last.year}",
                       len(pages["overzicht"].panels))  # fmt: skip
    assert "Jeugd" in other.inner_text("#selectie")
    assert len(traces(other, "clienten")["Cliënten in zorg"]["y"]) == 6
    other.close()

    # Aanbieder: one Jeugd aanbieder next to its peers, as aanbieder_jaar has it for that year.
    agb, categorie, wacht, peer = mart(
        warehouse,
        "select aanbieder_agb, product_categorie, wachttijd_mediaan, peer_wachttijd_mediaan "
        "from marts.aanbieder_jaar where gemeente_code = ? and standard = 'ijw' and jaar = ? "
        "and wachttijd_mediaan is not null order by clienten_in_zorg desc, aanbieder_agb limit 1",
        code,
        last.year,
    )[0]
    page.goto(f"{base}/aanbieder?gemeente={code}&domein=ijw&van={last.year}-01-01"
              f"&tot={last.year}-12-01&aanbieder={agb}")  # fmt: skip
    wait_for_selection(page, "Jeugd", len(pages["aanbieder"].panels))
    assert page.locator("#filter-aanbieder").is_visible()
    screenshot(page, "aanbieder")
    categories = mart(
        warehouse,
        "select product_categorie, wachttijd_mediaan from marts.aanbieder_jaar "
        "where gemeente_code = ? and standard = 'ijw' and jaar = ? and aanbieder_agb = ? "
        "order by product_categorie",
        code,
        last.year,
        agb,
    )
    drawn = traces(page, "aanbieder-dagen")
    assert len(drawn["Wachttijd"]["y"]) == len(categories)
    assert wacht in drawn["Wachttijd"]["x"] and peer in drawn["Wachttijd collega-aanbieders"]["x"]
    assert categorie in {c for c, _ in categories}

    assert outside == [], "the dashboard fetched from outside its own server"
    page.close()


def test_exposure_lists_the_marts_the_dashboard_reads() -> None:
    exposures = yaml.safe_load((PROJECT_DIR / "models" / "exposures.yml").read_text("utf-8"))
    (dashboard,) = [e for e in exposures["exposures"] if e["name"] == "stuurinformatie_dashboard"]
    assert dashboard["type"] == "dashboard" and dashboard["owner"] and dashboard["url"]
    refs = {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in dashboard["depends_on"]}
    package = PROJECT_DIR / "src" / "sdw" / "dashboard"
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.rglob("*.py")))
    assert refs == set(re.findall(r"\bmarts\.(\w+)", source))
