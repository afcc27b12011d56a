"""Aanbieder: one aanbieder (chosen in the filter) next to its peers in the same gemeente,
domain and productcategorie: the start of an accountgesprek."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sdw.dashboard.charts import BLAUW, GRIJS, NAAM, ORANJE, PALET, basis, kort
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.queries import Filter

# The aanbieder's year (the year of the period's last month) per productcategorie, with the
# peers' medians aanbieder_jaar computes over the other aanbieders of the same category.
AANBIEDER_JAAR = """
select
    a.product_categorie,
    coalesce(p.omschrijving, a.product_categorie) as categorie,
    a.clienten_in_zorg,
    a.wachttijd_mediaan,
    a.peer_wachttijd_mediaan,
    a.zorgduur_mediaan,
    a.peer_zorgduur_mediaan,
    a.kosten_per_client_eur,
    a.peer_kosten_per_client_mediaan
from marts.aanbieder_jaar as a
left join (
    select distinct standard, product_categorie, productcategorie_omschrijving as omschrijving
    from marts.dim_product
) as p on a.standard = p.standard and a.product_categorie = p.product_categorie
where
    a.gemeente_code = $gemeente and a.standard = $standard and a.jaar = $jaar
    and a.aanbieder_agb = $aanbieder
order by a.product_categorie
"""

# The aanbieder's open findings per check and month of the period.
BEVINDINGEN = """
select s.maand_start, s.check_name, sum(s.open_findings) as open_findings
from marts.dq_scorecard_aanbieder as s
where
    s.gemeente_code = $gemeente and s.aanbieder_agb = $aanbieder
    and s.maand_start between $van and $tot
group by s.maand_start, s.check_name
order by s.maand_start, s.check_name
"""


def fig_dagen(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = frame.categorie.map(kort)
    series = [
        ("wachttijd_mediaan", "Wachttijd", BLAUW),
        ("peer_wachttijd_mediaan", "Wachttijd collega-aanbieders", "#9dbcd8"),
        ("zorgduur_mediaan", "Zorgduur", ORANJE),
        ("peer_zorgduur_mediaan", "Zorgduur collega-aanbieders", "#f1cf96"),
    ]
    fig = go.Figure(
        [
            go.Bar(
                y=label, x=frame[column], orientation="h", name=name, marker_color=color,
                hovertemplate="%{x:.0f} dagen" + NAAM,
            )
            for column, name, color in series
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        height=max(300, 80 + 60 * len(frame)),
        xaxis={"title": "Mediaan (dagen)", "rangemode": "tozero"},
        yaxis={"type": "category"},
    )


def fig_kosten(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = frame.categorie.map(kort)
    fig = go.Figure(
        [
            go.Bar(
                y=label, x=frame.kosten_per_client_eur, orientation="h", name="Deze aanbieder",
                marker_color=BLAUW, hovertemplate="€ %{x:,.0f} per cliënt" + NAAM,
            ),
            go.Bar(
                y=label, x=frame.peer_kosten_per_client_mediaan, orientation="h",
                name="Mediaan collega-aanbieders", marker_color=GRIJS,
                hovertemplate="€ %{x:,.0f} per cliënt" + NAAM,
            ),
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        height=max(300, 80 + 40 * len(frame)),
        xaxis={"title": "Kosten per cliënt (€)", "rangemode": "tozero"},
        yaxis={"type": "category"},
    )


def fig_bevindingen(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                x=part.maand_start, y=part.open_findings, name=check,
                marker_color=PALET[i % len(PALET)], hovertemplate="%{y} open" + NAAM,
            )
            for i, (check, part) in enumerate(frame.groupby("check_name", sort=True))
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="stack",
        xaxis={"tickformat": "%b %Y", "hoverformat": "%B %Y"},
        yaxis={"title": "Open bevindingen"},
    )


def uitleg_jaar(frame: pd.DataFrame, where: Filter) -> str:
    return f"Jaar {where.tot.year}; {int(frame.clienten_in_zorg.fillna(0).sum())} cliënten in zorg."


PAGE = Page(
    pad="/aanbieder",
    titel="Aanbieder",
    voor="Voor het accountgesprek: één aanbieder naast zijn collega's in dezelfde categorie.",
    filters=("gemeente", "domein", "periode", "aanbieder"),
    panels=[
        Panel(
            "aanbieder-dagen", "Wachttijd en zorgduur naast collega-aanbieders", "Aanbieder",
            "aanbieder_jaar",
            ["wachttijd_mediaan", "peer_wachttijd_mediaan", "zorgduur_mediaan",
             "peer_zorgduur_mediaan"],
            AANBIEDER_JAAR, fig_dagen, uitleg=uitleg_jaar,
        ),
        Panel(
            "aanbieder-kosten", "Kosten per cliënt", "Aanbieder", "aanbieder_jaar",
            ["kosten_per_client_eur", "peer_kosten_per_client_mediaan"],
            AANBIEDER_JAAR, fig_kosten, uitleg=uitleg_jaar,
        ),
        Panel(
            "aanbieder-bevindingen", "Open bevindingen in de berichten", "Keten",
            "dq_scorecard_aanbieder", ["open_findings"], BEVINDINGEN, fig_bevindingen,
            breed=True,
        ),
    ],
)  # fmt: skip
