"""A dashboard page is data: its URL path, title, audience, the filters it uses and its panels.

A panel (`Panel`) is a card: its title, the level of the monitor, the mart and measures it shows
(whose descriptions make its "Definitie"), its SQL against the marts and the function that draws
the figure. A page that needs its own controls (the Verkenner) adds `inhoud` (its layout) and
`callbacks` (registering its own Dash callbacks) instead of, or next to, panels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from dash import Dash

from sdw.dashboard.queries import Filter

FILTERS = ("gemeente", "domein", "periode", "aanbieder")


@dataclass(frozen=True)
class Panel:
    id: str  # unique over all pages: the card's, graph's and explanation's element ids
    titel: str
    niveau: str  # level of the monitor: gemeente, aanbieder, cliënt, keten
    model: str
    measures: list[str]
    sql: str  # against marts.* only, with the filter's $parameters (see queries.Filter)
    figure: Callable[[pd.DataFrame, Filter], go.Figure]
    breed: bool = False  # spans both columns
    uitleg: Callable[[pd.DataFrame, Filter], str] = lambda frame, where: ""


@dataclass(frozen=True)
class Page:
    pad: str  # its URL path; the filters travel in the query string
    titel: str  # in the menu and as the heading
    voor: str  # who reads it and for what, one line under the heading
    panels: list[Panel] = field(default_factory=list)
    filters: tuple[str, ...] = ("gemeente", "domein", "periode")
    inhoud: Callable[[Path], list] | None = None  # extra layout below the panels
    callbacks: Callable[[Dash, Path], None] | None = None  # the extra layout's callbacks

    @property
    def naam(self) -> str:
        """The page's id in element ids: its path without the slash."""
        return self.pad.strip("/") or "overzicht"
