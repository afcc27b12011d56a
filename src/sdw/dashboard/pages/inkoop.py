"""Inkoop en markt: for the inkoper and contract manager, the aanbieders of a domain."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sdw.dashboard.charts import (
    BLAUW,
    basis,
    kort,
)
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.pages.contract import INKOOP_PANELS
from sdw.dashboard.queries import Filter

# Year-level marts show the year of the period's last month.
WACHTTIJD_AANBIEDER = """
select
    a.aanbieder_agb,
    d.aanbieder_naam,
    a.product_categorie,
    coalesce(p.omschrijving, a.product_categorie) as categorie,
    a.jaar,
    a.clienten_gestart,
    a.wachttijd_mediaan,
    a.wachttijd_p80,
    a.peer_wachttijd_mediaan
from marts.aanbieder_jaar as a
inner join marts.dim_aanbieder as d on a.aanbieder_agb = d.aanbieder_agb
left join (
    select distinct standard, product_categorie, productcategorie_omschrijving as omschrijving
    from marts.dim_product
) as p on a.standard = p.standard and a.product_categorie = p.product_categorie
where
    a.gemeente_code = $gemeente and a.standard = $standard and a.jaar = $jaar
    and a.wachttijd_mediaan is not null
order by a.wachttijd_mediaan, a.aanbieder_agb, a.product_categorie
"""


def fig_wachttijd(frame: pd.DataFrame, where: Filter) -> go.Figure:
    # the aanbieder by the name its register gives (dim_aanbieder: else its AGB code)
    label = frame.aanbieder_naam.map(kort) + " · " + frame.categorie.map(kort)
    fig = go.Figure(
        [
            go.Bar(
                y=label, x=frame.wachttijd_mediaan, orientation="h", name="Mediaan",
                marker_color=BLAUW, customdata=frame.clienten_gestart,
                hovertemplate="mediaan %{x} dagen (%{customdata} gestart)<extra></extra>",
            ),
            go.Scatter(
                y=label, x=frame.wachttijd_p80, mode="markers", name="80e percentiel",
                marker={"symbol": "line-ns-open", "size": 14, "color": "#0b2f4d", "line_width": 2},
                hovertemplate="80e percentiel %{x} dagen<extra></extra>",
            ),
            go.Scatter(
                y=label, x=frame.peer_wachttijd_mediaan, mode="markers",
                name="Mediaan collega-aanbieders",
                marker={"symbol": "diamond", "size": 8, "color": "#e39b2d"},
                hovertemplate="collega-aanbieders %{x} dagen<extra></extra>",
            ),
        ]
    )  # fmt: skip
    return basis(
        fig,
        height=max(300, 40 + 24 * len(frame)),
        xaxis={"title": "Wachttijd (dagen)", "rangemode": "tozero"},
        # Sorted with the shortest at the bottom: the legend fits in the empty corner there.
        legend={
            "orientation": "v",
            "x": 1,
            "xanchor": "right",
            "y": 0,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        yaxis={"type": "category"},
    )


def uitleg_jaar(frame: pd.DataFrame, where: Filter) -> str:
    return f"Jaar {where.tot.year} (het jaar van de laatste maand in de periode)."


PAGE = Page(
    pad="/inkoop",
    titel="Inkoop en markt",
    voor="Voor inkoper en contractmanager: de aanbieders van een domein naast elkaar.",
    panels=[
        Panel(
            "wachttijd", "Wachttijd per aanbieder", "Aanbieder", "aanbieder_jaar",
            ["wachttijd_mediaan", "wachttijd_p80", "peer_wachttijd_mediaan"],
            WACHTTIJD_AANBIEDER, fig_wachttijd, uitleg=uitleg_jaar,
        ),
        *INKOOP_PANELS,
    ],
)  # fmt: skip
