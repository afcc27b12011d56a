"""Keten en kwaliteit: for the controller and the keten, how good the messages are."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sdw.dashboard.charts import BLAUW, NAAM, ORANJE, ROOD, basis
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.queries import Filter

# Aanbieders of the domain (dim_aanbieder) with every check that ran, findings summed over the
# months of the period.
SCORECARD_AANBIEDER = """
select
    s.aanbieder_agb,
    a.aanbieder_naam,
    s.check_naam,
    min(s.severity) as severity,
    sum(s.open_findings) as open_findings,
    sum(s.berichten) as berichten,
    100.0 * sum(s.open_findings) / nullif(sum(s.berichten), 0) as findings_per_100_berichten
from marts.dq_scorecard_aanbieder as s
inner join marts.dim_aanbieder as a on s.aanbieder_agb = a.aanbieder_agb
where
    s.gemeente_code = $gemeente and s.maand_start between $van and $tot
    and case $standard when 'iwmo' then a.levert_wmo else a.levert_jeugd end
group by s.aanbieder_agb, a.aanbieder_naam, s.check_naam
order by a.aanbieder_naam, s.aanbieder_agb, s.check_naam
"""


def fig_scorecard(frame: pd.DataFrame, where: Filter) -> go.Figure:
    # each check by its Dutch name (seed kwaliteitscontrole)
    z = frame.pivot(index="aanbieder_naam", columns="check_naam", values="open_findings")
    per_100 = frame.pivot(
        index="aanbieder_naam", columns="check_naam", values="findings_per_100_berichten"
    )
    fig = go.Figure(
        go.Heatmap(
            z=z.values, x=list(z.columns), y=list(z.index),
            customdata=per_100.reindex_like(z).values, texttemplate="%{z}",
            colorscale=[[0, "#f4f7fa"], [0.0001, "#fde3d4"], [1, "#b3261e"]],
            name="Open bevindingen", colorbar={"title": "Open"}, xgap=2, ygap=2,
            hovertemplate=(
                "%{y} · %{x}<br>%{z} open bevindingen (%{customdata:.1f} per 100 berichten)"
                "<extra></extra>"
            ),
        )
    )  # fmt: skip
    return basis(
        fig,
        height=max(300, 120 + 30 * len(z.index)),
        xaxis={"tickangle": -30, "side": "bottom"},
        yaxis={"type": "category", "title": "Aanbieder", "autorange": "reversed"},
    )


# Per aanbieder over the months of the period: toewijzingen that began, those still without a
# start message, and starts reported later than the standard allows.
KETEN_AANBIEDER = """
select
    k.aanbieder_agb,
    d.aanbieder_naam,
    sum(k.toewijzingen_ingegaan) as toewijzingen_ingegaan,
    sum(k.toewijzingen_zonder_start) as toewijzingen_zonder_start,
    sum(k.starts_gemeld) as starts_gemeld,
    sum(k.starts_te_laat_gemeld) as starts_te_laat_gemeld
from marts.keten_aanbieder_maand as k
inner join marts.dim_aanbieder as d on k.aanbieder_agb = d.aanbieder_agb
where
    k.gemeente_code = $gemeente and k.standard = $standard
    and k.maand_start between $van and $tot
group by k.aanbieder_agb, d.aanbieder_naam
order by k.aanbieder_agb
"""

# The answered messages per aanbieder over the period, and how many the gemeente rejected.
RETOUREN_AANBIEDER = """
select
    r.aanbieder_agb,
    d.aanbieder_naam,
    sum(r.berichten_beantwoord) as berichten_beantwoord,
    sum(r.berichten_afgekeurd) as berichten_afgekeurd
from marts.keten_retouren_aanbieder_maand as r
inner join marts.dim_aanbieder as d on r.aanbieder_agb = d.aanbieder_agb
where
    r.gemeente_code = $gemeente and r.standard = $standard
    and r.maand_start between $van and $tot
group by r.aanbieder_agb, d.aanbieder_naam
order by r.aanbieder_agb
"""


def _aandeel(deel: pd.Series, geheel: pd.Series) -> pd.Series:
    return (100 * deel / geheel.where(geheel > 0)).astype(float)


def fig_keten(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                y=frame.aanbieder_naam,
                x=_aandeel(frame.toewijzingen_zonder_start, frame.toewijzingen_ingegaan),
                orientation="h", name="Toewijzingen zonder start", marker_color=ORANJE,
                customdata=frame[["toewijzingen_zonder_start", "toewijzingen_ingegaan"]],
                hovertemplate="%{x:.0f}% (%{customdata[0]} van %{customdata[1]})" + NAAM,
            ),
            go.Bar(
                y=frame.aanbieder_naam,
                x=_aandeel(frame.starts_te_laat_gemeld, frame.starts_gemeld),
                orientation="h", name="Starts te laat gemeld", marker_color=ROOD,
                customdata=frame[["starts_te_laat_gemeld", "starts_gemeld"]],
                hovertemplate="%{x:.0f}% (%{customdata[0]} van %{customdata[1]})" + NAAM,
            ),
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        height=max(300, 80 + 40 * len(frame)),
        xaxis={"title": "Percentage", "rangemode": "tozero"},
        yaxis={"type": "category", "title": "Aanbieder", "autorange": "reversed"},
    )


def fig_retouren(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            y=frame.aanbieder_naam,
            x=_aandeel(frame.berichten_afgekeurd, frame.berichten_beantwoord),
            orientation="h", name="Afgekeurd", marker_color=BLAUW,
            customdata=frame[["berichten_afgekeurd", "berichten_beantwoord"]],
            hovertemplate="%{x:.1f}% (%{customdata[0]} van %{customdata[1]} berichten)" + NAAM,
        )
    )  # fmt: skip
    return basis(
        fig,
        height=max(300, 80 + 26 * len(frame)),
        xaxis={"title": "Afgekeurde berichten (%)", "rangemode": "tozero"},
        yaxis={"type": "category", "title": "Aanbieder", "autorange": "reversed"},
    )


PAGE = Page(
    pad="/keten",
    titel="Keten en kwaliteit",
    voor="Voor controller en ketenpartners: hoe goed de berichten zijn, per aanbieder.",
    panels=[
        Panel(
            "scorecard", "Kwaliteit van de berichten per aanbieder", "Keten",
            "dq_scorecard_aanbieder", ["open_findings", "findings_per_100_berichten"],
            SCORECARD_AANBIEDER, fig_scorecard, breed=True,
        ),
        Panel(
            "keten", "Toewijzingen zonder start en te laat gemelde starts", "Keten",
            "keten_aanbieder_maand",
            ["toewijzingen_zonder_start", "starts_te_laat_gemeld", "aandeel_zonder_start",
             "aandeel_te_laat_gemeld"],
            KETEN_AANBIEDER, fig_keten,
        ),
        Panel(
            "retouren", "Afgekeurde berichten per aanbieder", "Keten",
            "keten_retouren_aanbieder_maand", ["berichten_beantwoord", "berichten_afgekeurd"],
            RETOUREN_AANBIEDER, fig_retouren,
        ),
    ],
)  # fmt: skip
