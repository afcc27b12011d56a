"""Wijk en regio: where care goes within the gemeente."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sdw.dashboard.charts import (
    NAAM,
    PALET,
    basis,
)
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.queries import Filter

MARKTAANDEEL_GEBIED = """
select
    m.gebied,
    m.aanbieder_agb,
    d.aanbieder_naam,
    m.jaar,
    m.clienten,
    m.clienten_in_gebied,
    m.marktaandeel
from marts.gemeente_marktaandeel_gebied as m
inner join marts.dim_aanbieder as d on m.aanbieder_agb = d.aanbieder_agb
where m.gemeente_code = $gemeente and m.standard = $standard and m.jaar = $jaar
order by m.gebied, m.aanbieder_agb
"""


def fig_marktaandeel(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                y=part.gebied, x=100 * part.marktaandeel, orientation="h", name=naam,
                marker_color=PALET[i % len(PALET)],
                customdata=part[["clienten", "clienten_in_gebied"]],
                hovertemplate="%{x:.0f}% (%{customdata[0]} van %{customdata[1]} cliënten)" + NAAM,
            )
            for i, (naam, part) in enumerate(frame.groupby("aanbieder_naam", sort=True))
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="stack",
        height=max(300, 80 + 30 * frame.gebied.nunique()),
        xaxis={"title": "Aandeel van de cliënten in het gebied (%)", "range": [0, 100]},
        yaxis={"type": "category", "title": "Gebied", "categoryorder": "category descending"},
        legend={
            "title": {"text": "Aanbieder "},
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
        },
    )


# Per wijk of the gemeente and age band: clients in zorg per 1,000 inwoners of the band in the
# year of the period's last month, with CBS's own count for the wijk beside it.
WIJK_CLIENTEN = """
select
    wijk_code,
    coalesce(wijk_naam, wijk_code) as wijk,
    leeftijdsklasse,
    clienten_in_zorg,
    inwoners,
    per_1000_inwoners,
    cbs_clienten_wijk
from marts.wijk_clienten_jaar
where
    gemeente_code = $gemeente and standard = $standard and jaar = $jaar
    and leeftijdsklasse <> 'onbekend'
order by wijk_code, leeftijdsklasse
"""


def fig_wijk_clienten(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                x=part.wijk_code, y=part.per_1000_inwoners, name=klasse,
                marker_color=PALET[i % len(PALET)],
                customdata=part[["clienten_in_zorg", "inwoners"]],
                hovertemplate="%{y:.1f} per 1.000 (%{customdata[0]} van %{customdata[1]:.0f})"
                + NAAM,
            )
            for i, (klasse, part) in enumerate(frame.groupby("leeftijdsklasse", sort=False))
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        xaxis={"type": "category", "title": "Wijk"},
        yaxis={"title": "Cliënten in zorg per 1.000 inwoners", "rangemode": "tozero"},
        legend={"title": {"text": "Leeftijd "}, "orientation": "h", "y": 1.02, "yanchor": "bottom"},
    )


def uitleg_wijk(frame: pd.DataFrame, where: Filter) -> str:
    eigen = frame.groupby("wijk_code").clienten_in_zorg.sum()
    cbs = frame.groupby("wijk_code").cbs_clienten_wijk.first()
    delen = [
        f"{wijk}: {int(eigen[wijk])} eigen, CBS {int(cbs[wijk])}"
        for wijk in eigen.index
        if pd.notna(cbs[wijk])
    ]
    tekst = f"Jaar {where.tot.year}, naar woonwijk (laatste adres)."
    return tekst + (" Cliënten naast de KWB-telling van het CBS: " + "; ".join(delen) + "."
                    if delen else "")  # fmt: skip


def uitleg_jaar(frame: pd.DataFrame, where: Filter) -> str:
    return f"Jaar {where.tot.year} (het jaar van de laatste maand in de periode)."


PAGE = Page(
    pad="/wijk",
    titel="Wijk en regio",
    voor="Voor beleid en wijkteams: waar de zorg terechtkomt.",
    panels=[
        Panel(
            "wijk-clienten", "Cliënten per 1.000 inwoners per wijk en leeftijd", "Gemeente",
            "wijk_clienten_jaar",
            ["clienten_in_zorg", "inwoners", "per_1000_inwoners", "cbs_clienten_wijk"],
            WIJK_CLIENTEN, fig_wijk_clienten, breed=True, uitleg=uitleg_wijk,
        ),
        Panel(
            "marktaandeel", "Marktaandeel per wijk", "Gemeente", "gemeente_marktaandeel_gebied",
            ["marktaandeel", "clienten", "clienten_in_gebied"], MARKTAANDEEL_GEBIED,
            fig_marktaandeel, uitleg=uitleg_jaar,
        ),
    ],
)  # fmt: skip
