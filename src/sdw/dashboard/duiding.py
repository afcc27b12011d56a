"""The analysts' duiding (sdw.duiding, one YAML file per gemeente) on the dashboard's pages.

`met_duiding(page)` gives a page its duiding: a duiding naming one of a panel's figures (its id
or one of its measures) is shown in that panel's card, under its explanation; the page's other
duiding (no figure, or one no panel shows) in a block below the panels. Both follow the filters:
the selected gemeente, and periods that overlap the selected months. `blok(...)` is the block
itself, for a page that places it otherwise.

The files are read on every request (they are small), so a duiding written today shows without
a rebuild or a restart. A broken file does not break the page: the block says what is wrong.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import replace
from datetime import date
from pathlib import Path

from dash import Dash, Input, Output, html

from sdw import duiding
from sdw.dashboard.page import Page, Panel

# Styled here, so that a page needs nothing but met_duiding (the shell's stylesheet is its own).
BLOK = {"background": "#fff8e1", "borderLeft": "4px solid #e17000", "borderRadius": "6px",
        "padding": "8px 14px", "marginTop": "16px", "fontSize": "14px"}  # fmt: skip
REGEL = {"display": "block", "marginTop": "6px", "color": "#1b2733", "background": "#fff8e1",
         "borderLeft": "3px solid #e17000", "padding": "4px 8px"}  # fmt: skip


def _einde(tot: date) -> date:
    """The last day of the month `tot` starts (the filters give first days of months)."""
    return tot.replace(day=calendar.monthrange(tot.year, tot.month)[1])


def gekozen(
    pagina: str,
    gemeente: str,
    van: date,
    tot: date,
    *,
    figuren: Collection[str] | None = None,
    behalve: Collection[str] = (),
    folder: Path | None = None,
) -> list[duiding.Duiding]:
    """The page's duiding for the gemeente and the months van..tot: of the `figuren` only
    (None: any), none of the figures `behalve`. Raises DuidingError for a broken file."""
    if pagina not in duiding.PAGINAS:
        raise ValueError(f"unknown page {pagina!r}: one of {sorted(duiding.PAGINAS)}")
    return [
        d
        for d in duiding.voor(duiding.load(folder), gemeente, van, _einde(tot), pagina)
        if (figuren is None or d.figuur in figuren) and d.figuur not in behalve
    ]


def _regel(d: duiding.Duiding) -> list:
    return [html.Span(f"{d.periode}: ", className="duiding-periode"), d.tekst]


def blok(pagina: str, gemeente: str, van: date, tot: date, **kwargs) -> html.Div | None:
    """The page's duiding as a block (None when there is none)."""
    try:
        items = gekozen(pagina, gemeente, van, tot, **kwargs)
    except duiding.DuidingError as error:
        return html.Div(
            [html.Strong("Duiding niet te lezen: "), str(error)],
            className="duiding duiding-fout",
            style=BLOK,
        )
    if not items:
        return None
    return html.Div(
        [
            html.H3("Duiding"),
            html.Ul(
                [
                    html.Li(_regel(d), **{"data-periode": d.periode, "data-figuur": d.figuur or ""})
                    for d in items
                ]
            ),
        ],
        className="duiding",
        style=BLOK,
    )


def regels(pagina: str, gemeente: str, van: date, tot: date, **kwargs) -> list:
    """The duiding as inline elements, for a panel's explanation line (a paragraph)."""
    try:
        items = gekozen(pagina, gemeente, van, tot, **kwargs)
    except duiding.DuidingError:
        return []  # the page's block says what is wrong
    return [
        html.Span(
            [html.Strong("Duiding "), *_regel(d)],
            className="duiding",
            style=REGEL,
            **{"data-periode": d.periode, "data-figuur": d.figuur or ""},
        )
        for d in items
    ]


def _figuren(panel: Panel) -> set[str]:
    return {panel.id, *panel.measures}


def _met_regels(pagina: str, panel: Panel) -> Panel:
    def uitleg(frame, where) -> str | list:
        text = panel.uitleg(frame, where)
        extra = regels(pagina, where.gemeente, where.van, where.tot, figuren=_figuren(panel))
        return [text, *extra] if extra else text

    return replace(panel, uitleg=uitleg)


def met_duiding(page: Page) -> Page:
    """The page with its duiding: in the cards of the figures it names, the rest below."""
    shown = set().union(*(_figuren(panel) for panel in page.panels))
    element = f"duiding-{page.naam}"

    def inhoud(warehouse: Path) -> list:
        before = page.inhoud(warehouse) if page.inhoud is not None else []
        return [*before, html.Div(id=element, className="duiding-pagina")]

    def callbacks(app: Dash, warehouse: Path) -> None:
        if page.callbacks is not None:
            page.callbacks(app, warehouse)

        @app.callback(
            Output(element, "children"),
            Input("gemeente", "value"),
            Input("van", "value"),
            Input("tot", "value"),
        )
        def toon(gemeente: str, van: str, tot: str):
            if not (gemeente and van and tot):
                return None
            first, last = sorted([date.fromisoformat(van), date.fromisoformat(tot)])
            return blok(page.naam, gemeente, first, last, behalve=shown)

    return replace(
        page,
        panels=[_met_regels(page.naam, panel) for panel in page.panels],
        inhoud=inhoud,
        callbacks=callbacks,
    )
