"""The dashboard's page: filters, one card per panel, each with its definition one click away.

A panel is data (`Panel`): its title, level of the monitor, the mart and measures it shows (whose
descriptions make its definition), its query and the function that draws the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

from sdw.dashboard import definitions, queries
from sdw.dashboard.queries import Filter, MartMissing
from sdw.serving import reader, source

DOMEINEN = {"iwmo": "Wmo", "ijw": "Jeugd"}
MAANDEN = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MAANDEN_VOLUIT = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
]  # fmt: skip
BLAUW, GROEN, ROOD, GRIJS = "#1d5b8f", "#3f9b6e", "#d0643f", "#8a96a3"
PALET = ["#1d5b8f", "#e39b2d", "#3f9b6e", "#b0476b", "#6c5fb5", "#4aa3c4", "#8c6d3f", "#d0643f"]
NAAM = "<extra>%{fullData.name}</extra>"  # a hover label's trace name
STANDAARD_MAANDEN = 24  # the period first shown: the last two years
MAANDEN_MAX = 48  # the zorgduur histogram's last bin: 48 months and more


def maand_label(day: date) -> str:
    return f"{MAANDEN[day.month - 1]} {day.year}"


def leesbaar(code: str) -> str:
    """volgens_plan -> Volgens plan."""
    return code.replace("_", " ").capitalize()


def kort(text: str, width: int = 28) -> str:
    """A label that leaves the plot room; the hover and the definition have the whole text."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass(frozen=True)
class Panel:
    id: str
    titel: str
    niveau: str  # level of the monitor: gemeente, aanbieder, cliënt, keten
    model: str
    measures: list[str]
    sql: str
    figure: Callable[[pd.DataFrame, Filter], go.Figure]
    breed: bool = False  # spans both columns
    uitleg: Callable[[pd.DataFrame, Filter], str] = lambda frame, where: ""


def _base(fig: go.Figure, **layout) -> go.Figure:
    defaults = dict(
        template="plotly_white",
        font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 12},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_size": 12},
        separators=",.",
        height=340,
    )
    fig.update_layout(**(defaults | layout))
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def leeg(tekst: str = "Geen gegevens voor deze selectie") -> go.Figure:
    fig = _base(go.Figure())
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=tekst, showarrow=False, font={"size": 14, "color": GRIJS})
    return fig


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
    return _base(
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


def fig_wachttijd(frame: pd.DataFrame, where: Filter) -> go.Figure:
    label = frame.aanbieder_agb + " · " + frame.categorie.map(kort)
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
    return _base(
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
    return _base(
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
    return _base(
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

    def euro(value: float) -> str:
        return f"€ {value:,.0f}".replace(",", ".")

    tekst = (
        f"{maand.year}, t/m {MAANDEN_VOLUIT[maand.month - 1]}: {euro(gedeclareerd)} gedeclareerd "
        f"van {euro(plafond)} ({100 * gedeclareerd / plafond:.0f}%); prognose jaareinde "
        f"{euro(prognose)} ({100 * prognose / plafond:.0f}%)."
    )
    return tekst + (f" {signalen} budgetregel(s) boven de signaalwaarde." if signalen else "")


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
    return _base(
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


def fig_scorecard(frame: pd.DataFrame, where: Filter) -> go.Figure:
    z = frame.pivot(index="aanbieder_agb", columns="check_name", values="open_findings")
    per_100 = frame.pivot(
        index="aanbieder_agb", columns="check_name", values="findings_per_100_berichten"
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
    return _base(
        fig,
        height=max(300, 120 + 30 * len(z.index)),
        xaxis={"tickangle": -30, "side": "bottom"},
        yaxis={"type": "category", "title": "Aanbieder", "autorange": "reversed"},
    )


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
    return _base(
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


PANELS = [
    Panel(
        "clienten", "Cliënten in zorg, instroom en uitstroom per maand", "Gemeente",
        "gemeente_clienten_maand", ["clienten_in_zorg", "instroom", "uitstroom"],
        queries.CLIENTEN_MAAND, fig_clienten, breed=True,
    ),
    Panel(
        "wachttijd", "Wachttijd per aanbieder", "Aanbieder", "aanbieder_jaar",
        ["wachttijd_mediaan", "wachttijd_p80", "peer_wachttijd_mediaan"],
        queries.WACHTTIJD_AANBIEDER, fig_wachttijd, uitleg=uitleg_jaar,
    ),
    Panel(
        "zorgduur", "Zorgduur van beëindigde zorgperioden", "Cliënt", "fct_zorgperiode",
        ["zorgduur_dagen", "afloop", "einddatum"], queries.ZORGDUUR, fig_zorgduur,
        uitleg=uitleg_zorgduur,
    ),
    Panel(
        "budget", "Budgetuitputting en prognose", "Gemeente", "gemeente_budget_uitputting",
        ["uitputting_percentage", "prognose_percentage", "is_signaal"],
        queries.BUDGET_UITPUTTING, fig_budget, breed=True, uitleg=uitleg_budget,
    ),
    Panel(
        "marktaandeel", "Marktaandeel per wijk", "Gemeente", "gemeente_marktaandeel_gebied",
        ["marktaandeel", "clienten", "clienten_in_gebied"], queries.MARKTAANDEEL_GEBIED,
        fig_marktaandeel, uitleg=uitleg_jaar,
    ),
    Panel(
        "benchmark", "Vergelijking met CBS", "Gemeente", "benchmark_gemeente",
        ["eigen_per_1000", "cbs_gemeente_per_1000", "cbs_jeugdregio_per_1000",
         "cbs_grootteklasse_per_1000", "cbs_nederland_per_1000"],
        queries.BENCHMARK, fig_benchmark, uitleg=uitleg_benchmark,
    ),
    Panel(
        "scorecard", "Kwaliteit van de berichten per aanbieder", "Keten",
        "dq_scorecard_aanbieder", ["open_findings", "findings_per_100_berichten"],
        queries.SCORECARD_AANBIEDER, fig_scorecard, breed=True,
    ),
]  # fmt: skip


def _card(panel: Panel) -> html.Section:
    return html.Section(
        className="kaart breed" if panel.breed else "kaart",
        id=f"kaart-{panel.id}",
        children=[
            html.Div(
                className="kop",
                children=[html.H2(panel.titel), html.Span(panel.niveau, className="niveau")],
            ),
            html.P(id=f"uitleg-{panel.id}", className="uitleg"),
            dcc.Graph(
                id=f"grafiek-{panel.id}",
                responsive=True,  # fills the card's width; the height comes with the figure
                config={"displaylogo": False, "locale": "nl"},
            ),
            html.Details(
                className="definitie",
                children=[
                    html.Summary("Definitie"),
                    dcc.Markdown(definitions.markdown(panel.model, panel.measures)),
                ],
            ),
        ],
    )


def _filter(caption: str, control) -> html.Div:
    return html.Div(className="filter", children=[html.Span(caption), control])


def _months(first: date, last: date) -> list[date]:
    months, day = [], date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def build(app: Dash, warehouse: Path) -> None:
    with reader(warehouse) as con:
        gemeenten = queries.gemeenten(con)
        bereik = queries.maanden(con)
    months = _months(bereik.eerste.min().date(), bereik.laatste.max().date()) if len(bereik) else []
    opties = [{"label": maand_label(m), "value": m.isoformat()} for m in months]
    tot = months[-1] if months else date.today().replace(day=1)
    van = months[max(0, len(months) - STANDAARD_MAANDEN)] if months else tot

    filters = html.Div(
        className="filters",
        children=[
            _filter("Gemeente", dcc.Dropdown(
                id="gemeente", clearable=False,
                options=[{"label": f"{r.naam} ({r.gemeente_code})", "value": r.gemeente_code}
                         for r in gemeenten.itertuples()],
                value=gemeenten.gemeente_code.iloc[0] if len(gemeenten) else None,
            )),
            _filter("Domein", dcc.RadioItems(
                id="domein", options=[{"label": v, "value": k} for k, v in DOMEINEN.items()],
                value="iwmo", inline=True, className="domein",
            )),
            _filter("Van", dcc.Dropdown(id="van", options=opties, value=van.isoformat(),
                                            clearable=False)),
            _filter("Tot en met", dcc.Dropdown(id="tot", options=opties, value=tot.isoformat(),
                                                   clearable=False)),
        ],
    )  # fmt: skip
    app.title = "Stuurinformatie sociaal domein"
    app.layout = html.Main(
        [
            html.Header(
                [
                    html.Div([html.H1(app.title), html.P(id="selectie", className="selectie")]),
                    filters,
                ]
            ),
            html.Div(className="raster", children=[_card(panel) for panel in PANELS]),
            html.Footer(
                "Intern gebruik: leest het warehouse rechtstreeks, zonder onderdrukking van "
                f"kleine aantallen. Bron: {source(warehouse)}."
            ),
        ]
    )

    outputs = [Output("selectie", "children")]
    for panel in PANELS:
        outputs += [
            Output(f"grafiek-{panel.id}", "figure"),
            Output(f"grafiek-{panel.id}", "style"),
            Output(f"uitleg-{panel.id}", "children"),
        ]

    @app.callback(
        outputs,
        Input("gemeente", "value"),
        Input("domein", "value"),
        Input("van", "value"),
        Input("tot", "value"),
    )
    def update(gemeente: str, standard: str, van: str, tot: str) -> list:
        first, last = sorted([date.fromisoformat(van), date.fromisoformat(tot)])
        where = Filter(gemeente=gemeente, standard=standard, van=first, tot=last)
        naam = gemeenten.set_index("gemeente_code").naam.get(gemeente, gemeente)
        selectie = (
            f"{naam} · {DOMEINEN[standard]} · {MAANDEN_VOLUIT[first.month - 1]} {first.year} "
            f"t/m {MAANDEN_VOLUIT[last.month - 1]} {last.year}"
        )
        result: list = [selectie]
        # One connection per request: every panel shows the same published build.
        with reader(warehouse) as con:
            frames = {}
            for panel in PANELS:
                try:
                    frames[panel.id] = queries.panel(con, panel.sql, where)
                except MartMissing:  # a mart not built yet: the other panels still show
                    frames[panel.id] = None
        for panel in PANELS:
            frame = frames[panel.id]
            if frame is None:
                fig, uitleg = leeg("Nog niet gebouwd: sdw build"), f"marts.{panel.model} ontbreekt."
            else:
                fig = leeg() if frame.empty else panel.figure(frame, where)
                uitleg = "" if frame.empty else panel.uitleg(frame, where)
            fig.update_layout(meta=selectie)  # says which selection a drawn figure shows
            result += [fig, {"height": f"{fig.layout.height}px"}, uitleg]
        return result
