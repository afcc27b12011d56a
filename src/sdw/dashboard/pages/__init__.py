"""The dashboard's pages, in menu order: one module per page, each with its `PAGE`.

A new page is a module here with its panels (SQL, figure, `Panel`) and one line below.
"""

from __future__ import annotations

from sdw.dashboard.duiding import met_duiding
from sdw.dashboard.page import Page, Panel
from sdw.dashboard.pages import aanbieder, doelen, inkoop, keten, overzicht, verkenner, wijk

# Each page with the analysts' duiding (sdw.dashboard.duiding) in its cards and below them.
PAGES: list[Page] = [
    met_duiding(page)
    for page in (
        overzicht.PAGE,
        inkoop.PAGE,
        aanbieder.PAGE,
        wijk.PAGE,
        keten.PAGE,
        doelen.PAGE,
        verkenner.PAGE,
    )
]


def page_at(path: str | None) -> Page:
    """The page at a URL path; the Overzicht for `/` and any path no page has."""
    return next(
        (page for page in PAGES if page.pad == ((path or "/").rstrip("/") or "/")), PAGES[0]
    )


def panels() -> list[Panel]:
    """Every page's panels, their ids unique over all pages (the element ids are global)."""
    found = [panel for page in PAGES for panel in page.panels]
    ids = [panel.id for panel in found]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"panel ids used on more than one page: {sorted(duplicates)}"
    return found
