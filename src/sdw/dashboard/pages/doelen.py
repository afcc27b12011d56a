"""Doelen: each KPI of the gemeente against its streefwaarde, month by month, and the status of
each at a glance (marts.kpi_realisatie; targets from the gemeente's streefwaarden file)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sdw.dashboard.charts import BLAUW, GRIJS, GROEN, NAAM, ORANJE, ROOD, basis, leeg, maand_label
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.queries import Filter

# The gemeente's own targets for the domain shown, and those for both domains together.
KPI_REALISATIE = """
select
    kpi, kpi_naam, standard, eenheid, maand_start, gerealiseerd, streefwaarde, signaalmarge,
    richting, status, trend
from marts.kpi_realisatie
where
    gebied_code = $gemeente and standard in ($standard, 'alle')
    and maand_start between $van and $tot
order by kpi, standard, maand_start
"""

KLEUR = {"op koers": GROEN, "signaal": ORANJE, "niet gehaald": ROOD}
RICHTING = {"hoogstens": "ten hoogste", "minstens": "ten minste"}


def reeks(frame: pd.DataFrame) -> pd.Series:
    """The label of a KPI's series: its name, and whether the target is for both domains."""
    beide = frame.standard.eq("alle").map({True: " (Wmo en Jeugd)", False: ""})
    return frame.kpi_naam + beide


def fig_status(frame: pd.DataFrame, where: Filter) -> go.Figure:
    frame = frame[frame.status.notna()].assign(reeks=reeks)
    if frame.empty:
        return leeg("Geen streefwaarden voor deze selectie")
    laatste = frame.sort_values("maand_start").groupby("reeks").tail(1).sort_values("reeks")
    procent = 100 * laatste.gerealiseerd / laatste.streefwaarde
    fig = go.Figure(
        [
            go.Bar(
                y=laatste.reeks[laatste.status == status], x=procent[laatste.status == status],
                orientation="h", name=status, marker_color=kleur,
                customdata=laatste.loc[laatste.status == status,
                                       ["gerealiseerd", "streefwaarde", "richting", "trend"]],
                hovertemplate="%{customdata[0]:,.1f} tegen %{customdata[1]:,.1f} "
                "(%{customdata[2]}), trend %{customdata[3]}" + NAAM,
            )
            for status, kleur in KLEUR.items()
        ]
    )  # fmt: skip
    fig.add_vline(x=100, line_color=GRIJS, line_dash="dot")
    return basis(
        fig,
        height=max(260, 80 + 34 * len(laatste)),
        xaxis={"title": "Gerealiseerd als % van de streefwaarde (laatste maand)"},
        yaxis={"type": "category", "categoryorder": "category descending"},
    )


def fig_verloop(frame: pd.DataFrame, where: Filter) -> go.Figure:
    if frame.empty:
        return leeg("Geen streefwaarden voor deze selectie")
    frame = frame.assign(reeks=reeks)
    reeksen = sorted(frame.reeks.unique())
    fig = make_subplots(
        rows=len(reeksen), cols=1, shared_xaxes=True, vertical_spacing=0.06,
        subplot_titles=reeksen,
    )  # fmt: skip
    for row, naam in enumerate(reeksen, 1):
        part = frame[frame.reeks == naam]
        eenheid = part.eenheid.iloc[0]
        fig.add_trace(
            go.Scatter(
                x=part.maand_start, y=part.gerealiseerd, name=f"{naam} · gerealiseerd",
                mode="lines+markers", line_color=BLAUW, showlegend=False,
                marker={"color": part.status.map(KLEUR).fillna(GRIJS), "size": 8},
                hovertemplate=f"%{{y:,.1f}} {eenheid}" + NAAM,
            ),
            row=row, col=1,
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=part.maand_start, y=part.streefwaarde, name=f"{naam} · streefwaarde",
                mode="lines", line={"color": GRIJS, "dash": "dash", "shape": "hv"},
                showlegend=False,
                hovertemplate=f"streefwaarde %{{y:,.1f}} {eenheid}" + NAAM,
            ),
            row=row, col=1,
        )  # fmt: skip
    return basis(fig, height=60 + 170 * len(reeksen), margin={"l": 10, "r": 10, "t": 30, "b": 10})


def uitleg_status(frame: pd.DataFrame, where: Filter) -> str:
    if frame.empty:
        return ""
    return (
        f"Stand in {maand_label(frame.maand_start.max())}: groen op koers, oranje signaal "
        "(gemist binnen de signaalmarge), rood niet gehaald. De laatste maand loopt nog op."
    )


PAGE = Page(
    pad="/doelen",
    titel="Doelen",
    voor="Voor beleid en control: elke KPI tegen zijn streefwaarde, per maand.",
    panels=[
        Panel(
            "kpi-status", "Status per KPI", "Gemeente", "kpi_realisatie",
            ["status", "gerealiseerd", "streefwaarde", "trend"], KPI_REALISATIE, fig_status,
            uitleg=uitleg_status,
        ),
        Panel(
            "kpi-verloop", "KPI's tegen hun streefwaarde", "Gemeente", "kpi_realisatie",
            ["gerealiseerd", "streefwaarde", "signaalmarge"], KPI_REALISATIE, fig_verloop,
            breed=True,
        ),
    ],
)  # fmt: skip
