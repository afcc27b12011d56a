"""Overzicht: the key figures for management and the raad, per gemeente and domain."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sdw.dashboard.charts import (
    BLAUW,
    GRIJS,
    GROEN,
    MAANDEN_VOLUIT,
    NAAM,
    PALET,
    ROOD,
    basis,
    euro,
    kort,
    leesbaar,
)
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.queries import Filter

MAANDEN_MAX = 48  # the zorgduur histogram's last bin: 48 months and more

CLIENTEN_MAAND = """
select maand_start, clienten_in_zorg, instroom, uitstroom
from marts.gemeente_clienten_maand
where gemeente_code = $gemeente and standard = $standard and maand_start between $van and $tot
order by maand_start
"""

# Zorgperioden ended in the period, per quarter of zorgduur (bins of 91 days, labelled by their
# first month; the last holds 48 months and more), with the overall median as the total row.
ZORGDUUR = """
with beeindigd as (
    select
        zorgduur_dagen,
        least(3 * floor(zorgduur_dagen / 91.0), 48) as maanden,
        coalesce(afloop, 'onbekend') as afloop
    from marts.fct_zorgperiode
    where
        gemeente_code = $gemeente and standard = $standard and zorgduur_dagen is not null
        and einddatum between $van and $einde
)

select
    maanden,
    afloop,
    count(*) as zorgperioden,
    percentile_cont(0.5) within group (order by zorgduur_dagen) as zorgduur_mediaan
from beeindigd
group by grouping sets ((maanden, afloop), ())
order by maanden, afloop
"""

# Each budget line of the year of the period's last month, as of the latest month up to it.
BUDGET_UITPUTTING = """
with maand as (
    select max(maand_start) as maand_start
    from marts.gemeente_budget_uitputting
    where
        gemeente_code = $gemeente and standard = $standard and jaar = $jaar
        and maand_start <= $tot
)

select
    b.budget_niveau,
    b.budget_key,
    coalesce(p.omschrijving, b.segment, b.budget_key) as budgetregel,
    b.maand_start,
    b.plafond_eur,
    b.gedeclareerd_cumulatief_eur,
    b.uitputting_percentage,
    b.prognose_jaareinde_eur,
    b.prognose_percentage,
    b.is_signaal
from marts.gemeente_budget_uitputting as b
inner join maand on b.maand_start = maand.maand_start
left join (
    select distinct standard, product_categorie, productcategorie_omschrijving as omschrijving
    from marts.dim_product
) as p on b.standard = p.standard and b.product_categorie = p.product_categorie
where b.gemeente_code = $gemeente and b.standard = $standard
order by b.prognose_percentage nulls first, b.budget_key
"""

# The latest calendar year with figures up to the period's end.
BENCHMARK = """
with jaren as (
    select max(periode_start) as periode_start
    from marts.benchmark_gemeente
    where
        gemeente_code = $gemeente and standard = $standard and periode_type = 'jaar'
        and periode_start <= $tot
)

select
    b.periode_start,
    b.vorm_code,
    b.vorm_omschrijving,
    b.is_totaal,
    b.eigen_clienten,
    b.eigen_per_1000,
    b.cbs_gemeente_per_1000,
    b.cbs_jeugdregio_per_1000,
    b.cbs_grootteklasse_per_1000,
    b.cbs_nederland_per_1000
from marts.benchmark_gemeente as b
inner join jaren using (periode_start)
where b.gemeente_code = $gemeente and b.standard = $standard and b.periode_type = 'jaar'
order by b.is_totaal, b.eigen_per_1000
"""


def fig_clienten(frame: pd.DataFrame, where: Filter) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                x=frame.maand_start, y=frame.instroom, name="Instroom", marker_color=GROEN,
                hovertemplate="%{y} ingestroomd<extra></extra>",
            ),
            go.Bar(
                x=frame.maand_start, y=-frame.uitstroom, name="Uitstroom", marker_color=ROOD,
                customdata=frame.uitstroom,
                hovertemplate="%{customdata} uitgestroomd<extra></extra>",
            ),
            go.Scatter(
                x=frame.maand_start, y=frame.clienten_in_zorg, name="Cliënten in zorg",
                mode="lines+markers", line={"color": BLAUW, "width": 3}, yaxis="y2",
                hovertemplate="%{y} cliënten in zorg<extra></extra>",
            ),
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="relative",
        hovermode="x unified",
        xaxis={"tickformat": "%b %Y", "hoverformat": "%B %Y"},
        yaxis={"title": "Instroom / uitstroom", "zeroline": True, "zerolinecolor": GRIJS},
        yaxis2={
            "title": "Cliënten in zorg", "overlaying": "y", "side": "right",
            "rangemode": "tozero", "showgrid": False, "tickmode": "auto",
        },
    )  # fmt: skip


def fig_zorgduur(frame: pd.DataFrame, where: Filter) -> go.Figure:
    bins = frame[frame.maanden.notna()]
    fig = go.Figure(
        [
            go.Bar(
                x=part.maanden, y=part.zorgperioden, name=leesbaar(afloop),
                marker_color=PALET[i % len(PALET)],
                hovertemplate="%{y} zorgperioden, vanaf %{x} maanden" + NAAM,
            )
            for i, (afloop, part) in enumerate(bins.groupby("afloop", sort=True))
        ]
    )  # fmt: skip
    ticks = list(range(0, MAANDEN_MAX + 1, 6))
    return basis(
        fig,
        barmode="stack",
        bargap=0.1,
        xaxis={
            "title": "Zorgduur in maanden (per kwartaal)", "tickvals": ticks,
            "ticktext": [str(t) if t < MAANDEN_MAX else f"{t}+" for t in ticks],
        },
        yaxis={"title": "Beëindigde zorgperioden"},
    )  # fmt: skip


def uitleg_zorgduur(frame: pd.DataFrame, where: Filter) -> str:
    totaal = frame[frame.maanden.isna()]
    if totaal.empty:
        return ""
    row = totaal.iloc[0]
    return (
        f"{int(row.zorgperioden)} zorgperioden beëindigd in de periode; "
        f"mediane zorgduur {row.zorgduur_mediaan:.0f} dagen."
    )


def fig_budget(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = frame.budgetregel.map(kort)
    geld = frame[["gedeclareerd_cumulatief_eur", "plafond_eur", "prognose_jaareinde_eur"]]
    fig = go.Figure(
        [
            go.Bar(
                y=label, x=frame.uitputting_percentage, orientation="h", name="Gedeclareerd",
                marker_color=BLAUW, customdata=geld.astype(float),
                hovertemplate="%{x:.0f}%: € %{customdata[0]:,.0f} van € %{customdata[1]:,.0f}"
                + NAAM,
            ),
            go.Scatter(
                y=label, x=frame.prognose_percentage, mode="markers", name="Prognose jaareinde",
                marker={
                    "symbol": "diamond", "size": 11, "line_width": 1, "line_color": "white",
                    "color": [ROOD if signaal else "#e39b2d" for signaal in frame.is_signaal],
                },
                customdata=geld.astype(float),
                hovertemplate="prognose %{x:.0f}%: € %{customdata[2]:,.0f}" + NAAM,
            ),
        ]
    )  # fmt: skip
    fig.add_vline(x=100, line_dash="dash", line_color=GRIJS)
    return basis(
        fig,
        height=max(300, 80 + 22 * len(frame)),
        bargap=0.35,
        xaxis={"title": "Percentage van het plafond", "rangemode": "tozero"},
        yaxis={"type": "category"},
    )


def uitleg_budget(frame: pd.DataFrame, where: Filter) -> str:
    maand = frame.maand_start.iloc[0]
    plafond = float(frame.plafond_eur.sum())
    gedeclareerd = float(frame.gedeclareerd_cumulatief_eur.sum())
    prognose = float(frame.prognose_jaareinde_eur.sum())
    signalen = int(frame.is_signaal.fillna(False).sum())

    tekst = (
        f"{maand.year}, t/m {MAANDEN_VOLUIT[maand.month - 1]}: {euro(gedeclareerd)} gedeclareerd "
        f"van {euro(plafond)} ({100 * gedeclareerd / plafond:.0f}%); prognose jaareinde "
        f"{euro(prognose)} ({100 * prognose / plafond:.0f}%)."
    )
    return tekst + (f" {signalen} budgetregel(s) boven de signaalwaarde." if signalen else "")


def fig_benchmark(frame: pd.DataFrame, where: Filter) -> go.Figure:
    series = [
        ("eigen_per_1000", "Eigen berichten", BLAUW),
        ("cbs_gemeente_per_1000", "CBS gemeente", "#e39b2d"),
        ("cbs_jeugdregio_per_1000", "CBS jeugdregio", GROEN),
        ("cbs_grootteklasse_per_1000", "CBS grootteklasse", "#6c5fb5"),
        ("cbs_nederland_per_1000", "CBS Nederland", GRIJS),
    ]
    fig = go.Figure(
        [
            go.Bar(
                y=frame.vorm_omschrijving, x=frame[column], orientation="h", name=name,
                marker_color=color, hovertemplate="%{x:.1f} per 1.000" + NAAM,
            )
            for column, name, color in series
            if frame[column].notna().any()
        ]
    )  # fmt: skip
    return basis(
        fig,
        barmode="group",
        height=max(300, 80 + 34 * len(frame)),
        xaxis={
            "title": "Cliënten per 1.000 " + ("jongeren" if where.standard == "ijw" else "inwoners")
        },
        yaxis={"type": "category"},
    )


def uitleg_benchmark(frame: pd.DataFrame, where: Filter) -> str:
    if frame.empty:
        return ""
    return f"Jaar {frame.periode_start.iloc[0].year} (het laatste jaar met cijfers tot de periode)."


# Ended according to plan at least 12 months before the peildatum, per productcategorie of the
# year of the period's last month minus one (the latest year whose 12-month window can have
# passed), over all aanbieders: how many came back.
HERHAALD_BEROEP = """
select
    h.product_categorie,
    coalesce(p.omschrijving, h.product_categorie) as categorie,
    sum(h.beeindigd_volgens_plan_12m_bekend) as beeindigd,
    sum(h.herhaald_beroep_12m) as herhaald
from marts.herhaald_beroep as h
left join (
    select distinct standard, product_categorie, productcategorie_omschrijving as omschrijving
    from marts.dim_product
) as p on h.standard = p.standard and h.product_categorie = p.product_categorie
where h.gemeente_code = $gemeente and h.standard = $standard and h.jaar = $jaar - 1
group by h.product_categorie, coalesce(p.omschrijving, h.product_categorie)
having sum(h.beeindigd_volgens_plan_12m_bekend) > 0
order by h.product_categorie
"""


def fig_herhaald(frame: pd.DataFrame, where: Filter) -> go.Figure:
    aandeel = (100 * frame.herhaald / frame.beeindigd).astype(float)
    fig = go.Figure(
        go.Bar(
            y=frame.categorie.map(kort), x=aandeel, orientation="h", name="Herhaald beroep",
            marker_color=BLAUW, customdata=frame[["herhaald", "beeindigd"]],
            hovertemplate="%{x:.0f}% (%{customdata[0]} van %{customdata[1]})" + NAAM,
        )
    )  # fmt: skip
    return basis(
        fig,
        height=max(300, 80 + 30 * len(frame)),
        xaxis={"title": "Binnen 12 maanden terug (%)", "rangemode": "tozero"},
        yaxis={"type": "category"},
    )


def uitleg_herhaald(frame: pd.DataFrame, where: Filter) -> str:
    return (
        f"Zorgperioden volgens plan beëindigd in {where.tot.year - 1}: "
        f"{int(frame.herhaald.sum())} van {int(frame.beeindigd.sum())} cliënten kwamen binnen "
        "12 maanden terug."
    )


PAGE = Page(
    pad="/",
    titel="Overzicht",
    voor="Voor management en raad: de kerncijfers, het verloop en de vergelijking met het CBS.",
    panels=[
        Panel(
            "clienten", "Cliënten in zorg, instroom en uitstroom per maand", "Gemeente",
            "gemeente_clienten_maand", ["clienten_in_zorg", "instroom", "uitstroom"],
            CLIENTEN_MAAND, fig_clienten, breed=True,
        ),
        Panel(
            "budget", "Budgetuitputting en prognose", "Gemeente", "gemeente_budget_uitputting",
            ["uitputting_percentage", "prognose_percentage", "is_signaal"],
            BUDGET_UITPUTTING, fig_budget, breed=True, uitleg=uitleg_budget,
        ),
        Panel(
            "zorgduur", "Zorgduur van beëindigde zorgperioden", "Cliënt", "fct_zorgperiode",
            ["zorgduur_dagen", "afloop", "einddatum"], ZORGDUUR, fig_zorgduur,
            uitleg=uitleg_zorgduur,
        ),
        Panel(
            "benchmark", "Vergelijking met CBS", "Gemeente", "benchmark_gemeente",
            ["eigen_per_1000", "cbs_gemeente_per_1000", "cbs_jeugdregio_per_1000",
             "cbs_grootteklasse_per_1000", "cbs_nederland_per_1000"],
            BENCHMARK, fig_benchmark, uitleg=uitleg_benchmark,
        ),
        Panel(
            "herhaald", "Herhaald beroep na zorg volgens plan", "Gemeente", "herhaald_beroep",
            ["beeindigd_volgens_plan_12m_bekend", "herhaald_beroep_12m"], HERHAALD_BEROEP,
            fig_herhaald, uitleg=uitleg_herhaald,
        ),
    ],
)  # fmt: skip
