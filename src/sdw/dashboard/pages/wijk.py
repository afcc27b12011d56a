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
select gebied, aanbieder_agb, jaar, clienten, clienten_in_gebied, marktaandeel
from marts.gemeente_marktaandeel_gebied
where gemeente_code = $gemeente and standard = $standard and jaar = $jaar
order by gebied, aanbieder_agb
"""


def fig_marktaandeel(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                y=part.gebied, x=100 * part.marktaandeel, orientation="h", name=agb,
                marker_color=PALET[i % len(PALET)],
                customdata=part[["clienten", "clienten_in_gebied"]],
                hovertemplate="%{x:.0f}% (%{customdata[0]} van %{customdata[1]} cliënten)" + NAAM,
            )
            for i, (agb, part) in enumerate(frame.groupby("aanbieder_agb", sort=True))
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


def uitleg_jaar(frame: pd.DataFrame, where: Filter) -> str:
    return f"Jaar {where.tot.year} (het jaar van de laatste maand in de periode)."


PAGE = Page(
    pad="/wijk",
    titel="Wijk en regio",
    voor="Voor beleid en wijkteams: waar de zorg terechtkomt.",
    panels=[
        Panel(
            "marktaandeel", "Marktaandeel per wijk", "Gemeente", "gemeente_marktaandeel_gebied",
            ["marktaandeel", "clienten", "clienten_in_gebied"], MARKTAANDEEL_GEBIED,
            fig_marktaandeel, uitleg=uitleg_jaar,
        ),
    ],
)  # fmt: skip
