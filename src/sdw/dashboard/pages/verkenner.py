"""Verkenner: for the analyst who asks a question no page answers, the semantic layer's metrics.

Pick metrics, the dimensions to split them by, values to keep and a time grain; the page asks
MetricFlow for the SQL (sdw.metrics), runs it on the published build and shows a chart, the
table, the SQL and its definitions, and downloads the table as CSV or Excel. The header's
gemeente, domein and periode filter it like every other page.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dash_table, dcc, html, no_update

from sdw import metrics
from sdw.config import dbt_var
from sdw.dashboard.charts import PALET, basis, leeg
from sdw.dashboard.page import Page
from sdw.serving import reader
from sdw.warehouse import target

STANDAARD_METRIC = "clienten_in_zorg"
STANDAARD_GRAIN = "month"
GEEN_GRAIN = "geen"  # one row per combination of the dimensions, over the whole period
MAX_RIJEN = 5_000  # rows shown in the table; the download has all of them
MAX_LIJNEN = 40  # series drawn in the chart
COUNTS = {"instroom", "uitstroom"}  # sum_boolean measures


def _postgres() -> bool:
    return target() == "postgres"


def _labels() -> dict[str, str]:
    return {m.name: m.label for m in metrics.metrics()}


def inhoud(warehouse: Path) -> list:
    metric_opties = [{"label": m.label, "value": m.name} for m in metrics.metrics()]
    grain_opties = [{"label": "Geen (totaal)", "value": GEEN_GRAIN}] + [
        {"label": label, "value": grain} for grain, label in metrics.GRAIN_LABELS.items()
    ]
    return [
        html.Section(
            className="kaart breed verkenner",
            children=[
                html.Div(
                    className="verkenner-keuzes",
                    style={
                        "display": "grid",
                        "gridTemplateColumns": "repeat(auto-fit, minmax(300px, 1fr))",
                        "gap": "8px 16px",
                        "fontSize": "13px",
                    },
                    children=[
                        html.Label(
                            [
                                "Maatstaven",
                                dcc.Dropdown(
                                    id="verkenner-metrics",
                                    options=metric_opties,
                                    multi=True,
                                    value=[STANDAARD_METRIC],
                                ),
                            ]
                        ),
                        html.Label(
                            [
                                "Uitsplitsen naar",
                                dcc.Dropdown(
                                    id="verkenner-dimensies",
                                    options=[],
                                    multi=True,
                                    value=[],
                                ),
                            ]
                        ),
                        html.Label(
                            [
                                "Tijdseenheid",
                                dcc.RadioItems(
                                    id="verkenner-grain",
                                    options=grain_opties,
                                    value=STANDAARD_GRAIN,
                                    inline=True,
                                ),
                            ]
                        ),
                        html.Label(
                            [
                                "Alleen waarden van",
                                dcc.Dropdown(
                                    id="verkenner-filter-dimensie",
                                    options=[],
                                    value=None,
                                ),
                            ]
                        ),
                        html.Label(
                            [
                                "Waarden",
                                dcc.Dropdown(
                                    id="verkenner-filter-waarden",
                                    options=[],
                                    multi=True,
                                    value=[],
                                ),
                            ]
                        ),
                    ],
                ),
                html.P(id="verkenner-melding", className="uitleg"),
                dcc.Graph(
                    id="verkenner-grafiek",
                    responsive=True,
                    config={"displaylogo": False, "locale": "nl"},
                ),
                html.Div(
                    className="verkenner-download",
                    children=[
                        html.Button("Download CSV", id="verkenner-csv"),
                        html.Button("Download Excel", id="verkenner-excel"),
                        dcc.Download(id="verkenner-download"),
                    ],
                ),
                dash_table.DataTable(
                    id="verkenner-tabel",
                    page_size=25,
                    sort_action="native",
                    style_table={"overflowX": "auto"},
                    style_cell={"fontFamily": "inherit", "fontSize": 12, "textAlign": "left"},
                ),
                html.Details(
                    className="definitie",
                    children=[
                        html.Summary("Definitie en SQL"),
                        dcc.Markdown(id="verkenner-definitie"),
                        html.Pre(id="verkenner-sql", style={"whiteSpace": "pre-wrap"}),
                    ],
                ),
            ],
        )
    ]


def vraag(
    metric_names: list[str],
    dimensies: list[str],
    grain: str | None,
    gemeente: str | None,
    standard: str | None,
    van: str | None,
    tot: str | None,
    filter_dimensie: str | None = None,
    filter_waarden: list[str] | None = None,
) -> metrics.MetricQuery:
    """The MetricFlow query the page's controls and the header's filters describe. Only the
    metrics and dimensions the page offers are asked for, whatever a request names (a client's
    pseudonym is no dimension)."""
    known = {m.name for m in metrics.metrics()}
    metric_names = [m for m in metric_names or [] if m in known]
    offered = {d.name for d in metrics.dimensions(metric_names, postgres=_postgres())}
    dimensies = [d for d in dimensies or [] if d in offered]
    if filter_dimensie not in offered:
        filter_dimensie = None
    filters: list[tuple[str, tuple[str, ...]]] = []
    if gemeente:
        filters.append(("gemeente", (gemeente,)))
    if standard:
        filters.append(("domein", (standard,)))
    if filter_dimensie and filter_waarden:
        filters.append((filter_dimensie, tuple(filter_waarden)))
    first = last = None
    if van and tot:
        first, last = sorted([date.fromisoformat(van), date.fromisoformat(tot)])
        last = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()  # the whole last month
    return metrics.MetricQuery(
        metrics=tuple(metric_names),
        group_by=tuple(dimensies),
        filters=tuple(filters),
        grain=None if grain in (None, GEEN_GRAIN) else grain,
        van=first,
        tot=last,
    )


def tabel(frame: pd.DataFrame, query: metrics.MetricQuery) -> pd.DataFrame:
    """The result with Dutch column names, as shown and downloaded."""
    namen = _labels() | {d.name: d.label for d in metrics.dimensions(list(query.metrics))}
    if query.time_column:
        namen[query.time_column] = metrics.GRAIN_LABELS[query.grain or "day"]
        frame = frame.assign(**{query.time_column: frame[query.time_column].dt.date})
    for metric in query.metrics:  # sums of 0/1 come back as floats: counts are whole
        values = frame[metric]
        if values.dtype.kind == "f" and (values.dropna() % 1 == 0).all() and metric in COUNTS:
            frame = frame.assign(**{metric: values.astype("Int64")})
    return frame.rename(columns=namen)


def figuur(frame: pd.DataFrame, query: metrics.MetricQuery) -> go.Figure:
    labels = _labels()
    series = frame.groupby(list(query.group_by), dropna=False) if query.group_by else None
    groepen = list(series) if series is not None else [((), frame)]
    fig = go.Figure()
    for i, (sleutel, deel) in enumerate(groepen[:MAX_LIJNEN]):
        sleutel = sleutel if isinstance(sleutel, tuple) else (sleutel,)
        for j, metric in enumerate(query.metrics):
            naam = " · ".join([labels.get(metric, metric), *map(str, sleutel)])
            kleur = PALET[(i * len(query.metrics) + j) % len(PALET)]
            if query.time_column:
                fig.add_trace(go.Scatter(
                    x=deel[query.time_column], y=deel[metric], name=naam, mode="lines+markers",
                    line={"color": kleur},
                ))  # fmt: skip
            else:
                fig.add_trace(go.Bar(x=[naam], y=deel[metric], name=naam, marker_color=kleur))
    return basis(fig, height=420, showlegend=True)


def callbacks(app: Dash, warehouse: Path) -> None:
    @app.callback(
        Output("verkenner-dimensies", "options"),
        Output("verkenner-filter-dimensie", "options"),
        Input("verkenner-metrics", "value"),
    )
    def opties(metric_names: list[str] | None) -> tuple:
        found = metrics.dimensions(list(metric_names or []), postgres=_postgres())
        opties = [{"label": d.label, "value": d.name} for d in found]
        return opties, opties

    @app.callback(
        Output("verkenner-filter-waarden", "options"),
        Input("verkenner-filter-dimensie", "value"),
        State("verkenner-metrics", "value"),
    )
    def waarden(dimensie: str | None, metric_names: list[str] | None) -> list:
        offered = {
            d.name for d in metrics.dimensions(list(metric_names or []), postgres=_postgres())
        }
        if not dimensie or not metric_names or dimensie not in offered:
            return []
        query = metrics.MetricQuery(metrics=(metric_names[0],), group_by=(dimensie,))
        with reader(warehouse) as con:
            frame = metrics.run(con, query)
        values = sorted(str(v) for v in frame[dimensie].dropna().unique())
        return [{"label": v, "value": v} for v in values]

    controls = [
        Input("verkenner-metrics", "value"),
        Input("verkenner-dimensies", "value"),
        Input("verkenner-grain", "value"),
        Input("gemeente", "value"),
        Input("domein", "value"),
        Input("van", "value"),
        Input("tot", "value"),
        Input("verkenner-filter-dimensie", "value"),
        Input("verkenner-filter-waarden", "value"),
    ]

    @app.callback(
        Output("verkenner-grafiek", "figure"),
        Output("verkenner-tabel", "data"),
        Output("verkenner-tabel", "columns"),
        Output("verkenner-sql", "children"),
        Output("verkenner-definitie", "children"),
        Output("verkenner-melding", "children"),
        *controls,
    )
    def toon(*values) -> tuple:
        query = vraag(*values)
        if not query.metrics:
            return leeg("Kies een of meer maatstaven"), [], [], "", "", ""
        try:
            sql = metrics.sql(query, postgres=_postgres())
            with reader(warehouse) as con:
                frame = metrics.run(con, query)
        except metrics.MetricQueryError as error:  # MetricFlow's reason, for the analyst
            melding = (
                "Deze combinatie kan niet: niet elke maatstaf kent deze uitsplitsing of "
                "tijdseenheid (een maandcijfer bestaat bijvoorbeeld niet per dag)."
            )
            return leeg("Deze combinatie kan niet"), [], [], str(error), "", melding
        shown = tabel(frame, query)
        columns = [{"name": c, "id": c} for c in shown.columns]
        data = shown.head(MAX_RIJEN).astype(object).where(shown.notna(), None).to_dict("records")
        fig = leeg() if frame.empty else figuur(frame, query)
        definitie = "\n\n".join(
            f"**{m.label}**: {m.description}" for m in metrics.metrics() if m.name in query.metrics
        )
        melding = f"{len(frame)} rijen" + (
            f"; de tabel toont de eerste {MAX_RIJEN}" if len(frame) > MAX_RIJEN else ""
        )
        return fig, data, columns, sql, definitie, melding

    @app.callback(
        Output("verkenner-download", "data"),
        Input("verkenner-csv", "n_clicks"),
        Input("verkenner-excel", "n_clicks"),
        *[State(c.component_id, c.component_property) for c in controls],
        prevent_initial_call=True,
    )
    def download(csv_clicks, excel_clicks, *values) -> dict:
        from dash import ctx

        query = vraag(*values)
        if not query.metrics:
            return no_update
        # A download leaves the warehouse: small counts of persons are blanked, as in the export.
        minimum = int(dbt_var("kleine_aantallen_drempel"))
        with reader(warehouse) as con:
            shown = tabel(metrics.run_suppressed(con, query, minimum), query)
        if ctx.triggered_id == "verkenner-excel":
            buffer = io.BytesIO()
            shown.to_excel(buffer, index=False, sheet_name="Verkenner", engine="xlsxwriter")
            return dcc.send_bytes(buffer.getvalue(), "verkenner.xlsx")
        return dcc.send_data_frame(shown.to_csv, "verkenner.csv", index=False, sep=";", decimal=",")


PAGE = Page(
    pad="/verkenner",
    titel="Verkenner",
    voor=(
        "Voor wie zelf wil zoeken: kies maatstaven, uitsplitsingen, filters en een tijdseenheid. "
        "Elke maatstaf komt uit de ene definitie in de semantische laag."
    ),
    inhoud=inhoud,
    callbacks=callbacks,
)
