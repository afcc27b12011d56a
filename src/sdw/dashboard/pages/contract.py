"""Inkoop en contractmanagement panels (issue 17): care against the contract, cost per client
against the peers, and one aanbieder's instroom, uitstroom and afloop. The pages `inkoop` and
`aanbieder` list them; kept here so those modules stay the lead's."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sdw.dashboard.charts import BLAUW, GRIJS, GROEN, NAAM, ORANJE, ROOD, basis, kort
from sdw.dashboard.page import Panel
from sdw.dashboard.queries import Filter

# The quality checks on the inkoop catalogue, in the words of the dashboard.
CONTRACT_CHECKS = {
    "tariff_not_contracted": ("Tarief boven contract", ROOD),
    "tariff_below_contract": ("Tarief onder contract", ORANJE),
    "product_not_contracted": ("Product niet gecontracteerd", BLAUW),
}
_CHECK_LIST = ", ".join(f"'{check}'" for check in CONTRACT_CHECKS)

# Open findings of the contract checks per aanbieder of the domain, over the period's months.
CONTRACT_AFWIJKINGEN = f"""
select s.aanbieder_agb, d.aanbieder_naam, s.check_name, sum(s.open_findings) as open_findings
from marts.dq_scorecard_aanbieder as s
inner join marts.dim_aanbieder as d on s.aanbieder_agb = d.aanbieder_agb
where
    s.gemeente_code = $gemeente and s.maand_start between $van and $tot
    and s.check_name in ({_CHECK_LIST})
    and s.aanbieder_agb in (
        select a.aanbieder_agb from marts.aanbieder_jaar as a
        where a.gemeente_code = $gemeente and a.standard = $standard
    )
group by s.aanbieder_agb, d.aanbieder_naam, s.check_name
having sum(s.open_findings) > 0
order by d.aanbieder_naam, s.aanbieder_agb, s.check_name
"""

# The same for the one aanbieder chosen, per month.
CONTRACT_AANBIEDER = f"""
select s.maand_start, s.check_name, sum(s.open_findings) as open_findings
from marts.dq_scorecard_aanbieder as s
where
    s.gemeente_code = $gemeente and s.aanbieder_agb = $aanbieder
    and s.maand_start between $van and $tot and s.check_name in ({_CHECK_LIST})
group by s.maand_start, s.check_name
order by s.maand_start, s.check_name
"""

# Cost per client against the peers' median, per aanbieder and productcategorie of the year.
KOSTEN_RATIO = """
select
    a.aanbieder_agb,
    d.aanbieder_naam,
    a.product_categorie,
    a.kosten_per_client_eur,
    a.peer_kosten_per_client_mediaan,
    a.kosten_per_client_ratio
from marts.aanbieder_jaar as a
inner join marts.dim_aanbieder as d on a.aanbieder_agb = d.aanbieder_agb
where
    a.gemeente_code = $gemeente and a.standard = $standard and a.jaar = $jaar
    and a.kosten_per_client_ratio is not null
order by a.kosten_per_client_ratio, a.aanbieder_agb, a.product_categorie
"""

# The market per segment and perceel of the year (inkoop_markt_segment).
MARKT = """
select
    m.segment,
    m.perceel,
    m.gecontracteerde_aanbieders,
    m.actieve_aanbieders,
    m.cr3_omzet,
    m.hhi_omzet,
    m.omzet_eur,
    m.toetreders,
    m.vertrekkers
from marts.inkoop_markt_segment as m
where m.gemeente_code = $gemeente and m.standard = $standard and m.jaar = $jaar
order by m.segment, m.perceel
"""

# One aanbieder's instroom, uitstroom and afloop per productcategorie of the year.
STROOM = """
select
    a.product_categorie,
    a.clienten_gestart,
    a.zorgperioden_beeindigd,
    a.aandeel_volgens_plan,
    a.aandeel_voortijdig_door_client,
    a.aandeel_voortijdig_door_aanbieder,
    a.aandeel_voortijdig
from marts.aanbieder_jaar as a
where
    a.gemeente_code = $gemeente and a.standard = $standard and a.jaar = $jaar
    and a.aanbieder_agb = $aanbieder
order by a.product_categorie
"""


def fig_afwijkingen(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                y=part.aanbieder_naam, x=part.open_findings, orientation="h", name=label,
                marker_color=color, hovertemplate="%{x} open" + NAAM,
            )
            for check, (label, color) in CONTRACT_CHECKS.items()
            if not (part := frame[frame.check_name == check]).empty
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="stack",
        height=max(300, 80 + 28 * frame.aanbieder_naam.nunique()),
        xaxis={"title": "Open bevindingen", "rangemode": "tozero"},
        yaxis={"type": "category", "title": "Aanbieder"},
    )


def fig_kosten_ratio(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = frame.aanbieder_naam.map(kort) + " · " + frame.product_categorie
    fig = go.Figure(
        go.Bar(
            y=label, x=frame.kosten_per_client_ratio, orientation="h", name="Kosten per cliënt",
            marker_color=[ROOD if r > 1.5 else BLAUW for r in frame.kosten_per_client_ratio],
            customdata=frame[["kosten_per_client_eur", "peer_kosten_per_client_mediaan"]],
            hovertemplate="%{x:.2f} keer de mediaan (€ %{customdata[0]:,.0f} tegen "
            "€ %{customdata[1]:,.0f})<extra></extra>",
        )
    )  # fmt: skip
    fig.add_vline(x=1, line_dash="dot", line_color=GRIJS)
    return basis(
        fig,
        height=max(300, 40 + 24 * len(frame)),
        xaxis={"title": "Kosten per cliënt ÷ mediaan collega-aanbieders", "rangemode": "tozero"},
        yaxis={"type": "category"},
    )


def fig_markt(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = (frame.segment + " " + frame.perceel.fillna("")).str.strip().map(kort)
    fig = go.Figure(
        [
            go.Bar(
                y=label, x=frame.gecontracteerde_aanbieders, orientation="h",
                name="Gecontracteerd", marker_color=GRIJS, hovertemplate="%{x}" + NAAM,
            ),
            go.Bar(
                y=label, x=frame.actieve_aanbieders, orientation="h", name="Actief",
                marker_color=BLAUW, customdata=frame[["cr3_omzet", "hhi_omzet"]],
                hovertemplate="%{x} actief; CR3 %{customdata[0]:.0%}, HHI "
                "%{customdata[1]:,.0f}" + NAAM,
            ),
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        height=max(300, 80 + 50 * len(frame)),
        xaxis={"title": "Aanbieders", "rangemode": "tozero"},
        yaxis={"type": "category"},
    )


def uitleg_markt(frame: pd.DataFrame, where: Filter) -> str:
    top = frame.sort_values("hhi_omzet", ascending=False).iloc[0]
    hhi = f"{top.hhi_omzet:,.0f}".replace(",", ".")
    return (
        f"Jaar {where.tot.year}; het meest geconcentreerd: {top.segment} (CR3 "
        f"{top.cr3_omzet:.0%}, HHI {hhi}); {int(frame.toetreders.fillna(0).sum())} toetreders, "
        f"{int(frame.vertrekkers.fillna(0).sum())} vertrekkers."
    )


def fig_stroom(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = frame.product_categorie.map(kort)
    fig = go.Figure(
        [
            go.Bar(
                y=label, x=frame.clienten_gestart, orientation="h", name="Instroom",
                marker_color=GROEN, hovertemplate="%{x} cliënten gestart" + NAAM,
            ),
            go.Bar(
                y=label, x=frame.zorgperioden_beeindigd, orientation="h", name="Uitstroom",
                marker_color=ORANJE, hovertemplate="%{x} zorgperioden beëindigd" + NAAM,
            ),
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        height=max(300, 80 + 50 * len(frame)),
        xaxis={"title": "Aantal in het jaar", "rangemode": "tozero"},
        yaxis={"type": "category"},
    )


def fig_afloop(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = frame.product_categorie.map(kort)
    series = [
        ("aandeel_volgens_plan", "Volgens plan", GROEN),
        ("aandeel_voortijdig_door_client", "Voortijdig door cliënt", ORANJE),
        ("aandeel_voortijdig_door_aanbieder", "Voortijdig door aanbieder", ROOD),
    ]
    fig = go.Figure(
        [
            go.Bar(
                y=label, x=100 * frame[column], orientation="h", name=name, marker_color=color,
                hovertemplate="%{x:.0f}%" + NAAM,
            )
            for column, name, color in series
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        height=max(300, 80 + 60 * len(frame)),
        xaxis={"title": "Aandeel van de beëindigde zorgperioden (%)", "range": [0, 100]},
        yaxis={"type": "category"},
    )


def fig_contract_aanbieder(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                x=part.maand_start, y=part.open_findings, name=label, marker_color=color,
                hovertemplate="%{y} open" + NAAM,
            )
            for check, (label, color) in CONTRACT_CHECKS.items()
            if not (part := frame[frame.check_name == check]).empty
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="stack",
        xaxis={"tickformat": "%b %Y", "hoverformat": "%B %Y"},
        yaxis={"title": "Open bevindingen"},
    )


def uitleg_afwijkingen(frame: pd.DataFrame, where: Filter) -> str:
    return (
        f"{int(frame.open_findings.sum())} open bevindingen bij "
        f"{frame.aanbieder_agb.nunique()} aanbieders: declaraties tegen een ander tarief dan "
        "gecontracteerd, en toewijzingen of declaraties van producten zonder contract."
    )


def uitleg_ratio(frame: pd.DataFrame, where: Filter) -> str:
    hoog = int((frame.kosten_per_client_ratio > 1.5).sum())
    return (
        f"Jaar {where.tot.year}; {hoog} combinaties van aanbieder en categorie liggen meer dan "
        "anderhalf keer boven de mediaan (rood)."
    )


def uitleg_stroom(frame: pd.DataFrame, where: Filter) -> str:
    return (
        f"Jaar {where.tot.year}; instroom {int(frame.clienten_gestart.fillna(0).sum())}, "
        f"uitstroom {int(frame.zorgperioden_beeindigd.fillna(0).sum())}."
    )


INKOOP_PANELS = [
    Panel(
        "markt", "Markt per segment en perceel", "Gemeente", "inkoop_markt_segment",
        ["gecontracteerde_aanbieders", "actieve_aanbieders", "cr3_omzet", "hhi_omzet"],
        MARKT, fig_markt, uitleg=uitleg_markt,
    ),
    Panel(
        "contract-afwijkingen", "Afwijkingen van het contract", "Aanbieder",
        "dq_scorecard_aanbieder", ["open_findings"], CONTRACT_AFWIJKINGEN, fig_afwijkingen,
        uitleg=uitleg_afwijkingen,
    ),
    Panel(
        "kosten-ratio", "Kosten per cliënt naast collega-aanbieders", "Aanbieder", "aanbieder_jaar",
        ["kosten_per_client_ratio", "kosten_per_client_eur", "peer_kosten_per_client_mediaan"],
        KOSTEN_RATIO, fig_kosten_ratio, uitleg=uitleg_ratio,
    ),
]  # fmt: skip

AANBIEDER_PANELS = [
    Panel(
        "aanbieder-stroom", "Instroom en uitstroom", "Aanbieder", "aanbieder_jaar",
        ["clienten_gestart", "zorgperioden_beeindigd"], STROOM, fig_stroom, uitleg=uitleg_stroom,
    ),
    Panel(
        "aanbieder-afloop", "Afloop van de zorg", "Aanbieder", "aanbieder_jaar",
        ["aandeel_volgens_plan", "aandeel_voortijdig_door_client",
         "aandeel_voortijdig_door_aanbieder"],
        STROOM, fig_afloop, uitleg=uitleg_stroom,
    ),
    Panel(
        "aanbieder-contract", "Afwijkingen van het contract", "Aanbieder",
        "dq_scorecard_aanbieder", ["open_findings"], CONTRACT_AANBIEDER, fig_contract_aanbieder,
    ),
]  # fmt: skip
