"""What every page's figures share: the colours, Dutch month names, short labels, the base layout
and the empty figure."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

MAANDEN = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MAANDEN_VOLUIT = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
]  # fmt: skip
BLAUW, GROEN, ROOD, GRIJS, ORANJE = "#1d5b8f", "#3f9b6e", "#d0643f", "#8a96a3", "#e39b2d"
PALET = ["#1d5b8f", "#e39b2d", "#3f9b6e", "#b0476b", "#6c5fb5", "#4aa3c4", "#8c6d3f", "#d0643f"]
NAAM = "<extra>%{fullData.name}</extra>"  # a hover label's trace name


def maand_label(day: date) -> str:
    return f"{MAANDEN[day.month - 1]} {day.year}"


def leesbaar(code: str) -> str:
    """volgens_plan -> Volgens plan."""
    return code.replace("_", " ").capitalize()


def kort(text: str, width: int = 28) -> str:
    """A label that leaves the plot room; the hover and the definition have the whole text."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def euro(value: float) -> str:
    return f"€ {value:,.0f}".replace(",", ".")


def basis(fig: go.Figure, **layout) -> go.Figure:
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
    fig = basis(go.Figure())
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=tekst, showarrow=False, font={"size": 14, "color": GRIJS})
    return fig
