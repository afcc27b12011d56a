"""The Doelen page in headless Chromium on the session's demo: each KPI against its target over
the months of the period, and its status in the last month, as marts.kpi_realisatie has them."""

from __future__ import annotations

import pytest
from test_dashboard import browser, dashboard, mart, screenshot, traces, wait_for_selection

from sdw.dashboard.pages import doelen

__all__ = ["browser", "dashboard"]  # the fixtures this module uses from test_dashboard


def test_doelen_page_shows_each_kpi_against_its_target(dashboard, browser) -> None:
    url, warehouse, truth = dashboard
    code = truth["gemeenten"][0]["gemeente_code"]
    ((last,),) = mart(warehouse, "select max(maand_start) from marts.kpi_realisatie")
    van = last.replace(month=1)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url.rstrip('/')}/doelen?gemeente={code}&domein=ijw&van={van}&tot={last}")
    wait_for_selection(page, "Jeugd", len(doelen.PAGE.panels))
    screenshot(page, "doelen")
    rows = mart(
        warehouse,
        "select kpi_naam, standard, maand_start, gerealiseerd, streefwaarde, status "
        "from marts.kpi_realisatie where gebied_code = ? and standard in ('ijw', 'alle') "
        "and maand_start between ? and ? order by kpi_naam, standard, maand_start",
        code,
        van,
        last,
    )
    series: dict[str, list[tuple]] = {}
    for naam, standard, *rest in rows:
        series.setdefault(naam + (" (Wmo en Jeugd)" if standard == "alle" else ""), []).append(rest)
    assert len(series) >= 3
    # Over time: every KPI's realised values and targets, month by month.
    drawn = traces(page, "kpi-verloop")
    for naam, months in series.items():
        realised = drawn[f"{naam} · gerealiseerd"]["y"]
        expected = [m[1] for m in months]
        assert [v is None for v in realised] == [v is None for v in expected], naam
        assert [v for v in realised if v is not None] == pytest.approx(
            [v for v in expected if v is not None]
        )
        assert drawn[f"{naam} · streefwaarde"]["y"] == pytest.approx([m[2] for m in months])
    # At a glance: each KPI under the status of its last month with a status.
    status: dict[str, set[str]] = {}
    for naam, months in series.items():
        known = [m for m in months if m[3] is not None]
        status.setdefault(known[-1][3], set()).add(naam)
    drawn = traces(page, "kpi-status")
    assert {name: set(t["y"]) for name, t in drawn.items() if t["y"]} == status
    assert len(status) >= 2  # the demo's targets are met and missed
    page.close()
