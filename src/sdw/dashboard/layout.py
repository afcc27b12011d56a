"""The dashboard's shell: a header with the menu of pages and the filters, and the page the URL
names below it, one card per panel with its definition one click away.

The filters live in the header, so they stay when a user goes to another page, and in the URL's
query string (`?gemeente=0363&domein=ijw&van=2024-01-01&tot=2025-12-01&aanbieder=...`), so a
link restores them: opening a link sets the filters from the URL, changing a filter rewrites the
URL (one callback does both, so neither undoes the other).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from dash import Dash, Input, Output, ctx, dcc, html, no_update

from sdw.dashboard import definitions, queries
from sdw.dashboard.charts import MAANDEN_VOLUIT, leeg, maand_label
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.pages import PAGES, page_at
from sdw.dashboard.queries import Filter, MartMissing
from sdw.serving import reader, source

DOMEINEN = {"iwmo": "Wmo", "ijw": "Jeugd"}
STANDAARD_MAANDEN = 24  # the period first shown: the last two years
# URL key -> filter element; `domein` is the URL's word for the standard.
URL_FILTERS = {"gemeente": "gemeente", "domein": "domein", "van": "van", "tot": "tot",
               "aanbieder": "aanbieder"}  # fmt: skip
TITEL = "Stuurinformatie sociaal domein"


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


def _page(page: Page, warehouse: Path) -> list:
    children: list = [html.P(page.voor, className="voor")]
    if page.panels:
        children.append(html.Div(className="raster", children=[_card(p) for p in page.panels]))
    if page.inhoud is not None:
        children += page.inhoud(warehouse)
    return children


def _search(values) -> str:
    """The URL query string of the filters' values."""
    return "?" + urlencode({key: v for key, v in zip(URL_FILTERS, values, strict=True) if v})


def _filter(caption: str, control, name: str) -> html.Div:
    return html.Div(className="filter", id=f"filter-{name}", children=[html.Span(caption), control])


def _months(first: date, last: date) -> list[date]:
    months, day = [], date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def selection(gemeente_naam: str, standard: str, first: date, last: date) -> str:
    """The caption under the title; each figure carries it in layout.meta (what it shows)."""
    return (
        f"{gemeente_naam} · {DOMEINEN[standard]} · {MAANDEN_VOLUIT[first.month - 1]} {first.year} "
        f"t/m {MAANDEN_VOLUIT[last.month - 1]} {last.year}"
    )


def build(app: Dash, warehouse: Path) -> None:
    with reader(warehouse) as con:
        gemeenten = queries.gemeenten(con)
        bereik = queries.maanden(con)
        try:
            aanbieders = queries.aanbieders(con)
        except MartMissing:
            aanbieders = None
    months = _months(bereik.eerste.min().date(), bereik.laatste.max().date()) if len(bereik) else []
    opties = [{"label": maand_label(m), "value": m.isoformat()} for m in months]
    tot = months[-1] if months else date.today().replace(day=1)
    van = months[max(0, len(months) - STANDAARD_MAANDEN)] if months else tot
    namen = gemeenten.set_index("gemeente_code").naam
    aanbieder_opties = (
        []
        if aanbieders is None
        else [
            {"label": r.naam if r.naam == r.aanbieder_agb else f"{r.naam} ({r.aanbieder_agb})",
             "value": r.aanbieder_agb}
            for r in aanbieders.itertuples()
        ]
    )  # fmt: skip
    allowed = {
        "gemeente": set(gemeenten.gemeente_code),
        "domein": set(DOMEINEN),
        "van": {o["value"] for o in opties},
        "tot": {o["value"] for o in opties},
        "aanbieder": {o["value"] for o in aanbieder_opties},
    }

    filters = html.Div(
        className="filters",
        children=[
            _filter("Gemeente", dcc.Dropdown(
                id="gemeente", clearable=False,
                options=[{"label": f"{r.naam} ({r.gemeente_code})", "value": r.gemeente_code}
                         for r in gemeenten.itertuples()],
                value=gemeenten.gemeente_code.iloc[0] if len(gemeenten) else None,
            ), "gemeente"),
            _filter("Aanbieder", dcc.Dropdown(
                id="aanbieder", clearable=False, options=aanbieder_opties,
                value=aanbieder_opties[0]["value"] if aanbieder_opties else None,
            ), "aanbieder"),
            _filter("Domein", dcc.RadioItems(
                id="domein", options=[{"label": v, "value": k} for k, v in DOMEINEN.items()],
                value="iwmo", inline=True, className="domein",
            ), "domein"),
            _filter("Van", dcc.Dropdown(id="van", options=opties, value=van.isoformat(),
                                            clearable=False), "van"),
            _filter("Tot en met", dcc.Dropdown(id="tot", options=opties, value=tot.isoformat(),
                                                   clearable=False), "tot"),
        ],
    )  # fmt: skip
    menu = html.Nav(
        className="menu",
        children=[dcc.Link(page.titel, href=page.pad, id=f"menu-{page.naam}") for page in PAGES],
    )
    app.title = TITEL
    app.layout = html.Main(
        [
            dcc.Location(id="url", refresh=False),
            html.Header(
                [
                    html.Div([html.H1(TITEL), menu, html.P(id="selectie", className="selectie")]),
                    filters,
                ]
            ),
            html.Div(id="pagina"),
            html.Footer(
                "Intern gebruik: leest het warehouse rechtstreeks, zonder onderdrukking van "
                f"kleine aantallen. Bron: {source(warehouse)}."
            ),
        ]
    )

    filter_ids = list(URL_FILTERS.values())

    @app.callback(
        [Output("url", "search")] + [Output(name, "value") for name in filter_ids],
        [Input("url", "search")] + [Input(name, "value") for name in filter_ids],
    )
    def sync(search: str | None, *values: str) -> list:
        """A link sets the filters from its query string; a filter's change rewrites it. The
        URL always names every filter, so a link copied at any moment restores the view."""
        if ctx.triggered_id in (None, "url"):
            query = parse_qs((search or "").lstrip("?"))
            chosen = [
                value if (value := query.get(key, [None])[0]) in allowed[key] else None
                for key in URL_FILTERS
            ]
            merged = [new or old for new, old in zip(chosen, values, strict=True)]
            canonical = _search(merged)
            return [canonical if canonical != search else no_update] + [
                new if new is not None and new != old else no_update
                for new, old in zip(chosen, values, strict=True)
            ]
        return [_search(values)] + [no_update] * len(filter_ids)

    @app.callback(
        Output("pagina", "children"),
        Output("filter-aanbieder", "style"),
        Input("url", "pathname"),
    )
    def route(pathname: str | None) -> tuple:
        page = page_at(pathname)
        shown = {"display": "flex"} if "aanbieder" in page.filters else {"display": "none"}
        return _page(page, warehouse), shown

    @app.callback(
        [Output(f"menu-{page.naam}", "href") for page in PAGES]
        + [Output(f"menu-{page.naam}", "className") for page in PAGES],
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def links(pathname: str | None, search: str | None) -> list:
        """Every menu link keeps the filters; the page shown is marked."""
        current = page_at(pathname)
        return [page.pad + (search or "") for page in PAGES] + [
            "actief" if page is current else "" for page in PAGES
        ]

    def where(gemeente: str, standard: str, van: str, tot: str, aanbieder: str) -> Filter:
        first, last = sorted([date.fromisoformat(van), date.fromisoformat(tot)])
        return Filter(gemeente=gemeente, standard=standard, van=first, tot=last,
                      aanbieder=aanbieder)  # fmt: skip

    def caption(chosen: Filter) -> str:
        return selection(namen.get(chosen.gemeente, chosen.gemeente), chosen.standard,
                         chosen.van, chosen.tot)  # fmt: skip

    inputs = [Input("gemeente", "value"), Input("domein", "value"), Input("van", "value"),
              Input("tot", "value"), Input("aanbieder", "value")]  # fmt: skip

    @app.callback(Output("selectie", "children"), *inputs)
    def selectie(*values: str) -> str:
        return caption(where(*values))

    for page in PAGES:
        if page.panels:
            _panel_callback(app, warehouse, page, inputs, where, caption)
        if page.callbacks is not None:
            page.callbacks(app, warehouse)


def _panel_callback(app: Dash, warehouse: Path, page: Page, inputs, where, caption) -> None:
    outputs = []
    for panel in page.panels:
        outputs += [
            Output(f"grafiek-{panel.id}", "figure"),
            Output(f"grafiek-{panel.id}", "style"),
            Output(f"uitleg-{panel.id}", "children"),
        ]

    @app.callback(outputs, *inputs)
    def update(*values: str) -> list:
        chosen = where(*values)
        shown = caption(chosen)
        result: list = []
        # One connection per request: every panel shows the same published build.
        with reader(warehouse) as con:
            frames = {}
            for panel in page.panels:
                try:
                    frames[panel.id] = queries.panel(con, panel.sql, chosen)
                except MartMissing:  # a mart not built yet: the other panels still show
                    frames[panel.id] = None
        for panel in page.panels:
            frame = frames[panel.id]
            if frame is None:
                fig, uitleg = leeg("Nog niet gebouwd: sdw build"), f"marts.{panel.model} ontbreekt."
            else:
                fig = leeg() if frame.empty else panel.figure(frame, chosen)
                uitleg = "" if frame.empty else panel.uitleg(frame, chosen)
            fig.update_layout(meta=shown)  # says which selection a drawn figure shows
            result += [fig, {"height": f"{fig.layout.height}px"}, uitleg]
        return result
