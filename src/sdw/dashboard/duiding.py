"""The duiding block a dashboard page shows beside its figures: the analysts' explanations
(sdw.duiding, one YAML file per gemeente) for the page, the gemeente and the selected period.

A page calls `blok(pagina, gemeente, van, tot)` (optionally `figuur=` for the duiding of one
figure) and puts the result under its figures; it is None when there is nothing to show. The
files are read on every call (they are small), so a duiding written today shows without a
rebuild or a restart. A broken file does not break the page: the block says what is wrong.
"""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

from dash import html

from sdw import duiding


def _einde(tot: date) -> date:
    """The last day of the month `tot` starts (the filters give first days of months)."""
    return tot.replace(day=calendar.monthrange(tot.year, tot.month)[1])


def blok(
    pagina: str,
    gemeente: str,
    van: date,
    tot: date,
    *,
    figuur: str | None = None,
    folder: Path | None = None,
) -> html.Aside | None:
    if pagina not in duiding.PAGINAS:
        raise ValueError(f"unknown page {pagina!r}: one of {sorted(duiding.PAGINAS)}")
    try:
        found = duiding.load(folder)
    except duiding.DuidingError as error:
        return html.Aside(
            [html.Strong("Duiding niet te lezen: "), str(error)],
            className="duiding duiding-fout",
        )
    items = [
        d
        for d in duiding.voor(found, gemeente, van, _einde(tot), pagina)
        if figuur is None or d.figuur == figuur
    ]
    if not items:
        return None
    return html.Aside(
        [
            html.H4("Duiding"),
            html.Ul(
                [
                    html.Li(
                        [html.Span(f"{d.periode}: ", className="duiding-periode"), d.tekst],
                        **{"data-periode": d.periode, "data-figuur": d.figuur or ""},
                    )
                    for d in items
                ]
            ),
        ],
        className="duiding",
    )
