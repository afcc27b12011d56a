"""The inkoop panels (issue 17) in headless Chromium on the session's demo: care against the
contract and cost per client on "Inkoop en markt", instroom, uitstroom, afloop and the contract
findings of one aanbieder on "Aanbieder", each against the marts and with its definition one
click away."""

from __future__ import annotations

import pytest
from test_dashboard import browser, dashboard, mart, screenshot, traces, wait_for_selection

from sdw.dashboard.pages import PAGES
from sdw.dashboard.pages.contract import CONTRACT_CHECKS

__all__ = ["browser", "dashboard"]  # the fixtures, shared with test_dashboard

CHECKS = tuple(CONTRACT_CHECKS)


def _open_findings(warehouse, code: str, standard: str, van: str, tot: str) -> dict:
    """Open contract findings per (aanbieder, check) dated in the period, from dq_findings."""
    rows = mart(
        warehouse,
        "select f.aanbieder_agb, f.check_name, count(*) from marts.dq_findings as f "
        "where f.status = 'open' and f.gemeente_code = ? and f.check_name in (?, ?, ?) "
        "and f.finding_date >= cast(? as date) "
        "and f.finding_date < cast(? as date) + interval 1 month "
        "and f.aanbieder_agb in (select aanbieder_agb from marts.aanbieder_jaar "
        "where gemeente_code = ? and standard = ?) group by 1, 2",
        code, *CHECKS, van, tot, code, standard,
    )  # fmt: skip
    return {(agb, check): n for agb, check, n in rows}


def test_inkoop_and_aanbieder_pages_show_the_contract_figures(dashboard, browser) -> None:
    url, warehouse, truth = dashboard
    base = url.rstrip("/")
    code = truth["gemeenten"][0]["gemeente_code"]
    pages = {p.naam: p for p in PAGES}
    ((first, last),) = mart(
        warehouse,
        "select min(maand_start), max(maand_start) from marts.gemeente_clienten_maand "
        "where gemeente_code = ? and year(maand_start) >= ?",
        code,
        truth["years"][0],
    )
    van, tot = first.isoformat(), last.isoformat()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/inkoop?gemeente={code}&domein=ijw&van={van}&tot={tot}")
    wait_for_selection(page, "Jeugd", len(pages["inkoop"].panels))
    screenshot(page, "inkoop-contract")

    # Contract findings per aanbieder and check, as dq_findings holds them.
    expected = _open_findings(warehouse, code, "ijw", van, tot)
    assert expected, "the demo plants contract defects for Jeugd aanbieders"
    naam = dict(mart(warehouse, "select aanbieder_agb, aanbieder_naam from marts.dim_aanbieder"))
    drawn = traces(page, "contract-afwijkingen")
    shown = {
        (name, check): n
        for check, (label, _) in CONTRACT_CHECKS.items()
        if label in drawn
        for name, n in zip(drawn[label]["y"], drawn[label]["x"], strict=True)
    }
    assert shown == {(naam[agb], check): n for (agb, check), n in expected.items()}

    # The market per segment and perceel of the year: aanbieders contracted and active.
    markt = mart(
        warehouse,
        "select gecontracteerde_aanbieders, actieve_aanbieders from marts.inkoop_markt_segment "
        "where gemeente_code = ? and standard = 'ijw' and jaar = ? order by segment, perceel",
        code,
        last.year,
    )
    drawn = traces(page, "markt")
    assert drawn["Actief"]["x"] == [r[1] for r in markt]
    assert drawn["Gecontracteerd"]["x"] == [r[0] for r in markt]

    # Cost per client against the peers' median, every aanbieder and category of the year.
    ratios = mart(
        warehouse,
        "select kosten_per_client_ratio from marts.aanbieder_jaar where gemeente_code = ? "
        "and standard = 'ijw' and jaar = ? and kosten_per_client_ratio is not null",
        code,
        last.year,
    )
    drawn = traces(page, "kosten-ratio")["Kosten per cliënt"]["x"]
    assert sorted(drawn) == pytest.approx(sorted(r[0] for r in ratios))

    # The definition is one click away: the mart's own description.
    card = page.locator("#kaart-contract-afwijkingen")
    card.get_by_text("Definitie").click()
    assert "marts.dq_scorecard_aanbieder" in card.locator(".definitie").inner_text()

    # Aanbieder: the Jeugd aanbieder with the most contract findings.
    agb = max(sorted({a for a, _ in expected}), key=lambda a: sum(
        n for (b, _), n in expected.items() if b == a
    ))  # fmt: skip
    page.goto(f"{base}/aanbieder?gemeente={code}&domein=ijw&van={van}&tot={tot}&aanbieder={agb}")
    wait_for_selection(page, "Jeugd", len(pages["aanbieder"].panels))
    screenshot(page, "aanbieder-contract")
    # Chosen by name: the filter shows the aanbieder's name from the register.
    assert naam[agb] in page.locator("#filter-aanbieder").inner_text()
    rows = mart(
        warehouse,
        "select product_categorie, clienten_gestart, zorgperioden_beeindigd, "
        "aandeel_volgens_plan from marts.aanbieder_jaar where gemeente_code = ? "
        "and standard = 'ijw' and jaar = ? and aanbieder_agb = ? order by product_categorie",
        code, last.year, agb,
    )  # fmt: skip
    drawn = traces(page, "aanbieder-stroom")
    assert drawn["Instroom"]["x"] == [r[1] for r in rows]
    assert drawn["Uitstroom"]["x"] == [r[2] for r in rows]
    afloop = traces(page, "aanbieder-afloop")["Volgens plan"]["x"]
    assert [round(x, 6) if x is not None else None for x in afloop] == [
        round(100 * r[3], 6) if r[3] is not None else None for r in rows
    ]
    drawn = traces(page, "aanbieder-contract")
    per_check = {
        check: sum(drawn[label]["y"]) for check, (label, _) in CONTRACT_CHECKS.items()
        if label in drawn
    }  # fmt: skip
    # Months without findings are drawn as zeros.
    assert {c: n for c, n in per_check.items() if n} == {
        c: n for (a, c), n in expected.items() if a == agb
    }
    page.close()
