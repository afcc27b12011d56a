"""`sdw rapport`: a static report for the gemeenteraad, in Dutch, as HTML and as PDF.

One self-contained HTML file (inline CSS and SVG charts, nothing fetched from anywhere) with a
gemeente's key figures for a year, the monthly trend next to the year before, the CBS
comparison, the budget, the targets (marts.kpi_realisatie, where a build has it) and the
analysts' duiding (sdw.duiding); the PDF is that file printed by headless Chromium.

What leaves the warehouse in a report is what `sdw export parquet` would share, and no more:
only marts whose YAML declares them shareable are read, and the aggregate ones through the
export's own suppression (sdw.export.suppress, over all shareable marts together), so a cell
the export blanks is blank here too. On top of that the report shows no count of persons from
1 up to the threshold at all, gemeente-level counts included, and a year total is left out when
one of the months it adds up is blanked. Every count carries `class="aantal"` and its value in
`data-waarde` (empty when blanked), so a test can read the report as a machine would.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from sdw import begrippen
from sdw import duiding as duiding_files
from sdw.config import Settings, dbt_var
from sdw.disclosure import GroupValue, SmallCells, Suppression, Total
from sdw.export import SHAREABLE, SUPPRESSED_COLUMN, published_marts, suppress
from sdw.serving import reader

STANDARDS = {"iwmo": "Wmo", "ijw": "Jeugd"}
MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
ONDERDRUKT = "•"  # what a blanked cell shows; the legend says why
GEEN = "\u2013"  # an en dash: no figure (CBS published none, no budget line, ...)
# Marts the report reads (besides dim_gemeente); kpi_realisatie only where a build has it.
MARTS = (
    "gemeente_clienten_maand",
    "gemeente_product_kosten_jaar",
    "gemeente_budget_uitputting",
    "benchmark_gemeente",
    "kpi_realisatie",
)
# Which duiding figures belong to which section (the rest: pagina overzicht without a figure
# goes with the key figures, pagina doelen with the targets, anything else at the end).
SECTIE_FIGUREN = {
    "trend": {"clienten_in_zorg", "instroom", "uitstroom"},
    "kerncijfers": {"gedeclareerd_eur", "kerncijfers"},
    "cbs": {"benchmark", "eigen_per_1000", "clienten_per_1000", "cbs", "eigen_clienten"},
    "budget": {
        "budget",
        "plafond_eur",
        "gedeclareerd_cumulatief_eur",
        "uitputting_percentage",
        "prognose_percentage",
        "prognose_jaareinde_eur",
    },
}
# The glossary terms the report's figures use, in the order a reader meets them.
BEGRIPPEN = (
    "client_in_zorg", "instroom", "uitstroom", "gedeclareerd_bedrag", "budget_uitputting",
    "plafond", "cbs_benchmark", "clienten_per_1000", "cbs_vorm",
)  # fmt: skip
BOLD = re.compile(r"\*\*(.+?)\*\*")  # the glossary's markdown bold
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@dataclass(frozen=True)
class Resultaat:
    html: Path
    pdf: Path | None
    gemeente_naam: str
    duidingen: int
    onderdrukt: int  # cells shown blanked


# -- formatting --------------------------------------------------------------------------------
def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _getal(value: float, decimals: int = 0) -> str:
    """Dutch notation: 12.345,6."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _leeg(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _blank(row: dict, column: str) -> bool:
    """The export (or the report's own suppression) blanked this cell of the row."""
    return column in str(row.get(SUPPRESSED_COLUMN) or "").split(",")


class Cellen:
    """Formats the report's cells: a blanked cell shows ONDERDRUKT, a cell without a figure
    GEEN; counts the blanked ones."""

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum
        self.onderdrukt = 0

    def is_klein(self, value: object) -> bool:
        return not _leeg(value) and 0 < float(value) < self.minimum

    def _onderdrukt(self, kind: str) -> str:
        self.onderdrukt += 1
        return f'<td class="{kind} onderdrukt" data-waarde="">{ONDERDRUKT}</td>'

    def aantal(self, value: object, onderdrukt: bool = False) -> str:
        """A count of persons: blank when suppressed or from 1 up to the threshold."""
        if onderdrukt or self.is_klein(value):
            return self._onderdrukt("aantal")
        if _leeg(value):
            return f'<td class="aantal geen" data-waarde="">{GEEN}</td>'
        number = int(value)
        return f'<td class="aantal" data-waarde="{number}">{_getal(number)}</td>'

    def waarde(
        self,
        value: object,
        decimals: int = 1,
        suffix: str = "",
        onderdrukt: bool = False,
        euro: bool = False,
    ) -> str:
        """A rate, an amount or a percentage."""
        if onderdrukt:
            return self._onderdrukt("getal")
        if _leeg(value):
            return f'<td class="getal geen" data-waarde="">{GEEN}</td>'
        number = float(value)
        shown = ("€ " if euro else "") + _getal(number, decimals) + suffix
        return f'<td class="getal" data-waarde="{number!r}">{_esc(shown)}</td>'

    def cel(self, row: dict, column: str, **kwargs) -> str:
        return self.waarde(row[column], onderdrukt=_blank(row, column), **kwargs)


# -- charts ------------------------------------------------------------------------------------
def lijngrafiek(
    reeksen: dict[str, Sequence[float | None]], labels: Sequence[str], titel: str
) -> str:
    """An inline SVG line chart: one line per series over the labels; a blanked point is a gap."""
    width, height, left, right, top, bottom = 640, 240, 56, 110, 16, 32
    values = [v for serie in reeksen.values() for v in serie if v is not None]
    if not values:
        return '<p class="leeg">Geen cijfers om te tonen.</p>'
    top_value = max(values) * 1.1 or 1
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h - v / top_value * plot_h

    parts = [
        f'<svg class="grafiek" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(titel)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'class="as"/>',
    ]
    for k in range(5):
        v = top_value * k / 4
        _, y = xy(0, v)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="raster"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_getal(v)}</text>'
        )
    for i, label in enumerate(labels):
        x, _ = xy(i, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{_esc(label)}</text>'
        )
    for n, (name, serie) in enumerate(reeksen.items()):
        segments: list[list[str]] = [[]]
        for i, v in enumerate(serie):
            if v is None:
                segments.append([])
            else:
                x, y = xy(i, v)
                segments[-1].append(f"{x:.1f},{y:.1f}")
        for points in segments:
            if len(points) > 1:
                parts.append(f'<polyline class="lijn lijn{n}" points="{" ".join(points)}"/>')
            elif points:
                x, y = points[0].split(",")
                parts.append(f'<circle class="punt{n}" cx="{x}" cy="{y}" r="2.5"/>')
        ly = top + 14 + 18 * n
        parts.append(
            f'<line class="lijn lijn{n}" x1="{left + plot_w + 12}" y1="{ly - 4}" '
            f'x2="{left + plot_w + 32}" y2="{ly - 4}"/>'
            f'<text x="{left + plot_w + 38}" y="{ly}">{_esc(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# -- reading -----------------------------------------------------------------------------------
def _gemeenten(settings: Settings, gemeente: str) -> pd.DataFrame:
    """The warehouse's gemeenten; a clear error for one it does not have."""
    with reader(settings.warehouse) as con:
        gemeenten = con.execute(
            "select gemeente_code, gemeente_naam from marts.dim_gemeente order by gemeente_code"
        ).df()
    if gemeente not in set(gemeenten["gemeente_code"]):
        known = ", ".join(gemeenten["gemeente_code"]) or "none"
        raise ValueError(f"unknown gemeente {gemeente} (the warehouse has: {known})")
    return gemeenten


def _lees(settings: Settings, gemeente: str, minimum: int) -> tuple[dict[str, pd.DataFrame], list]:
    """The marts the report shows, for the gemeente, as the export would share them; and the
    marts it may not show (not shareable)."""
    marts = published_marts()
    wanted = {name: marts[name] for name in MARTS if name in marts}
    refused = sorted(name for name, mart in wanted.items() if mart.export not in SHAREABLE)
    wanted = {name: mart for name, mart in wanted.items() if mart.export in SHAREABLE}
    rules = {name: mart.rule for name, mart in marts.items() if mart.rule}
    with reader(settings.warehouse) as con:
        suppression = suppress(con, rules, minimum)
        frames = {}
        for name in wanted:
            if name in rules:
                frame = suppression.suppressed(name)
                frame[SUPPRESSED_COLUMN] = suppression.lost(name)
            else:
                frame = con.execute(f"select * from marts.{name}").df()
                frame[SUPPRESSED_COLUMN] = ""
            if "gemeente_code" in frame.columns:
                frame = frame[frame["gemeente_code"] == gemeente]
            elif "gebied_code" in frame.columns:  # kpi_realisatie: the gemeente's own targets
                frame = frame[frame["gebied_code"] == gemeente]
            frames[name] = frame.reset_index(drop=True)
    return frames, refused


# -- sections ----------------------------------------------------------------------------------
MAAND_TELLINGEN = ("clienten_in_zorg", "instroom", "uitstroom")


def maandtabel(clienten: pd.DataFrame, jaar: int, minimum: int) -> pd.DataFrame:
    """The gemeente's months of the year with their year totals of instroom and uitstroom,
    suppressed as an export of these figures would be (sdw.disclosure): every count from 1 up
    to the threshold blanked, and so many more months that the year total gives none away."""
    rows = clienten.copy()
    rows["maand_start"] = pd.to_datetime(rows["maand_start"])
    rows = rows[rows["maand_start"].dt.year == jaar].sort_values(["standard", "maand_start"])
    export_blanks = rows[SUPPRESSED_COLUMN].astype(str).str.strip(",") != ""
    rows = rows[["standard", "maand_start", *MAAND_TELLINGEN]].reset_index(drop=True)
    for column in ("instroom", "uitstroom"):
        rows[f"{column}_jaar"] = rows.groupby("standard")[column].transform("sum")
    rule = SmallCells(
        counts=(*MAAND_TELLINGEN, "instroom_jaar", "uitstroom_jaar"),
        keys=("standard", "maand_start"),
        group_values={
            "instroom_jaar": GroupValue(("standard",)),
            "uitstroom_jaar": GroupValue(("standard",)),
        },
        totals=(
            Total(("instroom",), ("maand_start",), "instroom_jaar"),
            Total(("uitstroom",), ("maand_start",), "uitstroom_jaar"),
        ),
    )
    suppression = Suppression({"maanden": rows}, {"maanden": rule}).run(minimum)
    out = suppression.suppressed("maanden")
    out[SUPPRESSED_COLUMN] = suppression.lost("maanden")
    if export_blanks.any():  # never so far (no totals meet this mart), but then: nothing shown
        out[SUPPRESSED_COLUMN] = ",".join(rule.columns)
    return out


def _standards(maanden: pd.DataFrame) -> list[str]:
    """The standards the gemeente has clients in, Wmo first."""
    return [s for s in STANDARDS if (maanden["standard"] == s).any()]


def _waarde(value: object) -> float | None:
    return None if _leeg(value) else float(value)


def _som(rows: Iterable[dict], column: str) -> tuple[float | None, bool]:
    """The sum of a column over rows, and whether it must stay blank (a blanked term)."""
    rows = list(rows)
    if any(_blank(row, column) for row in rows):
        return None, True
    values = [_waarde(row[column]) for row in rows]
    return (sum(v for v in values if v is not None) if values else None), False


def _kerncijfers(frames: dict, maanden: pd.DataFrame, jaar: int, cellen: Cellen) -> str:
    kosten = frames.get("gemeente_product_kosten_jaar", pd.DataFrame())
    budget = frames.get("gemeente_budget_uitputting", pd.DataFrame())
    standards = _standards(maanden)
    head = "".join(f"<th>{STANDARDS[s]}</th>" for s in standards)
    laatste = {s: maanden[maanden["standard"] == s].to_dict("records")[-1] for s in standards}
    when = max(row["maand_start"] for row in laatste.values())
    rows = [
        (
            f"Cliënten in zorg ({_maandlabel(when)})",
            [
                cellen.aantal(r["clienten_in_zorg"], _blank(r, "clienten_in_zorg"))
                for r in laatste.values()
            ],
        ),
        (
            f"Instroom in {jaar}",
            [
                cellen.aantal(r["instroom_jaar"], _blank(r, "instroom_jaar"))
                for r in laatste.values()
            ],
        ),
        (
            f"Uitstroom in {jaar}",
            [
                cellen.aantal(r["uitstroom_jaar"], _blank(r, "uitstroom_jaar"))
                for r in laatste.values()
            ],
        ),
    ]
    cells = []
    for s in standards:
        lines = (
            kosten[(kosten["standard"] == s) & (kosten["jaar"] == jaar)] if len(kosten) else kosten
        )
        total, blanked = _som(lines.to_dict("records") if len(lines) else [], "gedeclareerd_eur")
        cells.append(cellen.waarde(total, 0, onderdrukt=blanked, euro=True))
    rows.append((f"Gedeclareerd in {jaar}", cells))
    cells = []
    for s in standards:
        stand = _budgetstand(budget, s, jaar).to_dict("records")
        plafond, blank_p = _som(stand, "plafond_eur")
        gedeclareerd, blank_g = _som(stand, "gedeclareerd_cumulatief_eur")
        percentage = 100 * gedeclareerd / plafond if plafond and gedeclareerd is not None else None
        cells.append(cellen.waarde(percentage, 1, " %", onderdrukt=blank_p or blank_g))
    rows.append((f"Budgetuitputting {jaar} (alle budgetregels)", cells))
    body = "".join(
        f'<tr><th scope="row">{_esc(label)}</th>{"".join(cells)}</tr>' for label, cells in rows
    )
    return (
        f'<table class="kerncijfers"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _maandlabel(when) -> str:
    return f"{MAANDEN[when.month - 1]} {when.year}"


def _trend(clienten: pd.DataFrame, maanden: pd.DataFrame, jaar: int, cellen: Cellen) -> str:
    out = []
    for s in _standards(maanden):
        now = maanden[maanden["standard"] == s].to_dict("records")
        before = clienten[clienten["standard"] == s].copy()
        before["maand_start"] = pd.to_datetime(before["maand_start"])
        before = before[before["maand_start"].dt.year == jaar - 1]
        # the month a stock is measured last in: its uitstroom is not known yet
        laatste = pd.to_datetime(clienten.loc[clienten["standard"] == s, "maand_start"]).max()

        def serie(rows: list[dict]) -> list[float | None]:
            by_month = {
                row["maand_start"].month: None
                if _blank(row, "clienten_in_zorg") or cellen.is_klein(row["clienten_in_zorg"])
                else _waarde(row["clienten_in_zorg"])
                for row in rows
            }
            return [by_month.get(m) for m in range(1, 13)]

        reeksen = {str(jaar): serie(now)}
        if len(before):
            reeksen[str(jaar - 1)] = serie(
                before.assign(**{SUPPRESSED_COLUMN: ""}).to_dict("records")
            )
        titel = f"{STANDARDS[s]}: cliënten in zorg per maand"
        out.append(f"<h3>{titel}</h3>{lijngrafiek(reeksen, MAANDEN, titel)}")
        body = "".join(
            f"<tr><th scope='row'>{_maandlabel(row['maand_start'])}</th>"
            + "".join(
                '<td class="getal geen" data-waarde="">n.b.</td>'
                if column == "uitstroom" and row["maand_start"] == laatste
                else cellen.aantal(row[column], _blank(row, column))
                for column in MAAND_TELLINGEN
            )
            + "</tr>"
            for row in now
        )
        out.append(
            f'<table class="maanden" data-standard="{s}"><thead><tr><th>Maand</th>'
            "<th>Cliënten in zorg</th><th>Instroom</th><th>Uitstroom</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    return "".join(out)


def _cbs(frames: dict, standards: list[str], jaar: int, cellen: Cellen) -> str:
    bench = frames.get("benchmark_gemeente")
    if bench is None or bench.empty:
        return (
            "<p>Geen CBS-cijfers geladen voor deze gemeente (zie <code>sdw fetch cbs</code>).</p>"
        )
    bench = bench.copy()
    bench["periode_start"] = pd.to_datetime(bench["periode_start"])
    out = []
    for s in [*standards, *(x for x in STANDARDS if x not in standards)]:
        rows = bench[
            (bench["standard"] == s)
            & (bench["periode_type"] == "jaar")
            & (bench["periode_start"].dt.year == jaar)
        ]
        if rows.empty:
            continue
        rows = rows.sort_values(["is_totaal", "vorm_code"], ascending=[False, True])
        volledig = bool(rows["is_periode_volledig"].all())
        body = "".join(
            f"<tr{' class=totaal' if row['is_totaal'] else ''}>"
            f"<th scope='row'>{_esc(row['vorm_omschrijving'] or row['vorm_code'])}</th>"
            + cellen.aantal(row["eigen_clienten"], _blank(row, "eigen_clienten"))
            + "".join(
                cellen.cel(row, column)
                for column in (
                    "eigen_per_1000",
                    "cbs_gemeente_per_1000",
                    "cbs_jeugdregio_per_1000",
                    "cbs_grootteklasse_per_1000",
                    "cbs_nederland_per_1000",
                )
            )
            + f"<td>{_binnen(row)}</td></tr>"
            for row in rows.to_dict("records")
        )
        out.append(
            f"<h3>{STANDARDS[s]} {jaar}</h3>"
            + (
                ""
                if volledig
                else f"<p class='let-op'>{jaar} is nog niet voorbij: de eigen telling is "
                "onvolledig.</p>"
            )
            + f'<table class="cbs" data-standard="{s}"><thead><tr><th>Vorm</th>'
            "<th>Eigen cliënten</th><th>Eigen per 1.000</th><th>CBS gemeente</th>"
            "<th>CBS jeugdregio</th><th>CBS grootteklasse</th><th>CBS Nederland</th>"
            f"<th>Binnen CBS-bereik</th></tr></thead><tbody>{body}</tbody></table>"
        )
    if not out:
        return f"<p>Geen CBS-jaarcijfers over {jaar} voor deze gemeente.</p>"
    return "".join(out)


def _binnen(row: dict) -> str:
    if _blank(row, "is_binnen_cbs_bereik"):
        return ONDERDRUKT
    value = row["is_binnen_cbs_bereik"]
    if _leeg(value):
        return GEEN
    return "ja" if bool(value) else "nee"


def _budgetstand(budget: pd.DataFrame | None, standard: str, jaar: int) -> pd.DataFrame:
    """Each budget line of the year as of its latest month."""
    if budget is None or budget.empty:
        return pd.DataFrame()
    rows = budget[(budget["standard"] == standard) & (budget["jaar"] == jaar)]
    if rows.empty:
        return rows
    return rows[rows["maand_start"] == rows["maand_start"].max()].sort_values("budget_key")


def _categorie(row: dict) -> str:
    return "" if _leeg(row["product_categorie"]) else f" ({_esc(row['product_categorie'])})"


def _budget(frames: dict, standards: list[str], jaar: int, cellen: Cellen) -> str:
    budget = frames.get("gemeente_budget_uitputting")
    out = []
    for s in standards:
        stand = _budgetstand(budget, s, jaar)
        if stand.empty:
            continue
        when = pd.to_datetime(stand["maand_start"].iloc[0])
        body = "".join(
            f"<tr><th scope='row'>{_esc(row['segment'] or row['budget_key'])}"
            f"{_categorie(row)}</th>"
            + cellen.cel(row, "plafond_eur", decimals=0, euro=True)
            + cellen.cel(row, "gedeclareerd_cumulatief_eur", decimals=0, euro=True)
            + cellen.cel(row, "uitputting_percentage", suffix=" %")
            + cellen.cel(row, "prognose_percentage", suffix=" %")
            + f"<td>{'signaal' if row['is_signaal'] is True else ''}</td></tr>"
            for row in stand.to_dict("records")
        )
        out.append(
            f"<h3>{STANDARDS[s]}: stand t/m {_maandlabel(when)}</h3>"
            f'<table class="budget" data-standard="{s}"><thead><tr><th>Budgetregel</th>'
            "<th>Plafond</th><th>Gedeclareerd</th><th>Uitputting</th><th>Prognose jaareinde</th>"
            f"<th></th></tr></thead><tbody>{body}</tbody></table>"
        )
    if not out:
        return f"<p>Geen budget geladen over {jaar} (zie <code>sdw ingest budget</code>).</p>"
    return "".join(out)


def _doelen(frames: dict, info: dict, jaar: int, cellen: Cellen) -> str:
    if "kpi_realisatie" in info["niet_deelbaar"]:
        return "<p>De doelen zijn niet als deelbaar gemarkeerd en staan niet in dit rapport.</p>"
    kpi = frames.get("kpi_realisatie")
    if kpi is None:
        return "<p>Er zijn (nog) geen doelen geladen.</p>"
    if "jaar" in kpi.columns:
        kpi = kpi[kpi["jaar"] == jaar]
    elif "maand_start" in kpi.columns:  # each KPI as it stood in the year's last month
        months = pd.to_datetime(kpi["maand_start"])
        kpi = kpi[months.dt.year == jaar]
        kpi = kpi[pd.to_datetime(kpi["maand_start"]) == pd.to_datetime(kpi["maand_start"]).max()]
    if kpi.empty:
        return f"<p>Geen doelen over {jaar}.</p>"
    columns = [c for c in kpi.columns if c not in ("gemeente_code", SUPPRESSED_COLUMN)]
    head = "".join(f"<th>{_esc(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            cellen.cel(row, c)
            if isinstance(row[c], int | float) and not isinstance(row[c], bool)
            else (
                cellen._onderdrukt("tekst")
                if _blank(row, c)
                else f"<td>{_esc('' if _leeg(row[c]) else row[c])}</td>"
            )
            for c in columns
        )
        + "</tr>"
        for row in kpi.to_dict("records")
    )
    return f'<table class="doelen"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _duidingblok(items: Iterable[duiding_files.Duiding]) -> str:
    items = list(items)
    if not items:
        return ""
    body = "".join(
        f'<li data-pagina="{_esc(d.pagina)}" data-periode="{_esc(d.periode)}">'
        f'<span class="waar">{_esc(duiding_files.PAGINAS[d.pagina])}, {_esc(d.periode)}'
        f"{', ' + _esc(d.figuur.replace('_', ' ')) if d.figuur else ''}:</span> "
        f"{_esc(d.tekst)}</li>"
        for d in items
    )
    return f'<aside class="duiding"><h4>Duiding</h4><ul>{body}</ul></aside>'


def _begrippen() -> str:
    """The Dutch definitions of the terms the report uses (models/_glossary_nl.md)."""
    items = []
    for term in BEGRIPPEN:
        text = _esc(" ".join(begrippen.definitie(term).split()))
        items.append("<p>" + BOLD.sub(r"<strong>\1</strong>", text) + "</p>")
    return f'<section id="begrippen"><h2>Begrippen</h2>{"".join(items)}</section>'


def _sectie_van(d: duiding_files.Duiding) -> str:
    for sectie, figuren in SECTIE_FIGUREN.items():
        if d.figuur in figuren:
            return sectie
    if d.pagina == "doelen":
        return "doelen"
    if d.pagina == "overzicht" and not d.figuur:
        return "kerncijfers"
    return "overig"


CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #1b1b1b;
       max-width: 60em; margin: 2em auto; line-height: 1.4; }
h1 { font-size: 20pt; margin-bottom: 0; color: #154273; }
h2 { font-size: 14pt; color: #154273; border-bottom: 2px solid #154273; margin-top: 1.6em;
     break-after: avoid; }
h3 { font-size: 11.5pt; margin-bottom: .3em; break-after: avoid; }
.ondertitel { color: #555; margin-top: .2em; }
table { border-collapse: collapse; margin: .4em 0 1em; break-inside: avoid; }
th, td { padding: .25em .6em; border-bottom: 1px solid #ddd; text-align: left; }
td.aantal, td.getal { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #eef2f7; }
tr.totaal th, tr.totaal td { font-weight: bold; }
.onderdrukt { color: #888; }
.grafiek { width: 100%; max-width: 40em; break-inside: avoid; }
.grafiek text { font-size: 11px; fill: #333; }
.grafiek .as { stroke: #333; } .grafiek .raster { stroke: #e3e3e3; }
.grafiek .lijn { fill: none; stroke-width: 2.2; }
.grafiek .lijn0 { stroke: #154273; } .grafiek .lijn1 { stroke: #e17000; stroke-dasharray: 5 3; }
.grafiek .punt0 { fill: #154273; } .grafiek .punt1 { fill: #e17000; }
.duiding { background: #fff8e1; border-left: 4px solid #e17000; padding: .4em .9em;
           margin: .6em 0 1em; break-inside: avoid; }
.duiding h4 { margin: .2em 0; } .duiding ul { margin: .2em 0; padding-left: 1.2em; }
.duiding .waar { font-weight: bold; }
.let-op, .leeg { color: #8a4b00; }
footer { margin-top: 2em; font-size: 9pt; color: #555; border-top: 1px solid #ccc; }
"""


def render(
    frames: dict, info: dict, gemeente: str, jaar: int, duidingen, minimum: int
) -> tuple[str, int]:
    cellen = Cellen(minimum)
    per_sectie: dict[str, list] = {}
    for d in duidingen:
        per_sectie.setdefault(_sectie_van(d), []).append(d)
    clienten = frames.get("gemeente_clienten_maand")
    maanden = (
        maandtabel(clienten, jaar, minimum) if clienten is not None and len(clienten) else None
    )
    if maanden is None or maanden.empty:
        geen = f"<p>Geen cliënten in zorg in {jaar} voor deze gemeente.</p>"
        kern, trend, standards = geen, geen, []
    else:
        kern = _kerncijfers(frames, maanden, jaar, cellen)
        trend = _trend(clienten, maanden, jaar, cellen)
        standards = _standards(maanden)
    sections = [
        ("kerncijfers", "Kerncijfers", kern),
        ("trend", "Ontwikkeling door het jaar", trend),
        ("cbs", "Vergelijking met CBS", _cbs(frames, standards, jaar, cellen)),
        ("budget", "Budget", _budget(frames, standards, jaar, cellen)),
        ("doelen", "Doelen", _doelen(frames, info, jaar, cellen)),
    ]
    uitleg = {
        "kerncijfers": "Cliënten in zorg: verschillende cliënten met zorg die in de maand liep. "
        "Instroom en uitstroom: cliënten die in het jaar voor het eerst zorg kregen of bij wie "
        "de laatste zorg eindigde. Gedeclareerd: wat aanbieders in rekening brachten "
        "(niet wat de gemeente betaalde). Bron: de berichten die gemeente en aanbieders "
        "uitwisselen (iWmo, iJw).",
        "trend": "De lijn van dit jaar naast die van vorig jaar. De laatste maanden kunnen nog "
        "stijgen of dalen als aanbieders starts en stops laat melden.",
        "cbs": "De eigen telling per 1.000 inwoners (Wmo) of jongeren (Jeugd) naast die van CBS "
        "voor de gemeente, de jeugdregio, gemeenten van dezelfde grootte en Nederland. "
        "Verschillen ontstaan doordat CBS ook pgb en zorg buiten de berichten telt.",
        "budget": "Gedeclareerd tegenover het plafond per budgetregel, met een lineaire "
        "prognose voor het jaareinde. Declaraties komen weken later binnen: recente maanden "
        "zijn nog laag.",
        "doelen": "De realisatie van de doelen die de gemeente heeft vastgelegd.",
    }
    body = [
        f"<header><h1>Sociaal domein: {_esc(info['naam'])}</h1>"
        f"<p class='ondertitel'>Rapportage voor de gemeenteraad over {jaar} · "
        f"gemeentecode {_esc(gemeente)} · opgesteld op {date.today():%d-%m-%Y}</p></header>"
    ]
    for key, title, content in sections:
        body.append(
            f'<section id="{key}"><h2>{title}</h2><p class="uitleg">{_esc(uitleg[key])}</p>'
            f"{content}{_duidingblok(per_sectie.get(key, []))}</section>"
        )
    if per_sectie.get("overig"):
        body.append(
            '<section id="duiding"><h2>Duiding bij het dashboard</h2>'
            f"{_duidingblok(per_sectie['overig'])}</section>"
        )
    body.append(_begrippen())
    body.append(
        f"<footer><p>{ONDERDRUKT} = niet getoond: minder dan {minimum} personen, of af te "
        "leiden uit andere cijfers in dit rapport of in de gedeelde export. Zo is niemand te "
        f"herkennen. {GEEN} = geen cijfer; n.b. = nog niet bekend.</p></footer>"
    )
    page = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>Sociaal domein {_esc(info['naam'])} {jaar}</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )
    return page, cellen.onderdrukt


# -- PDF ---------------------------------------------------------------------------------------
def chromium() -> Path | None:
    """The browser that prints the PDF: SDW_CHROMIUM, /usr/bin/chromium, or one on the PATH."""
    if os.environ.get("SDW_CHROMIUM"):
        return Path(os.environ["SDW_CHROMIUM"])
    if Path("/usr/bin/chromium").exists():
        return Path("/usr/bin/chromium")
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def print_pdf(source: Path, target: Path, browser: Path | None = None) -> Path:
    browser = browser or chromium()
    if browser is None or not browser.exists():
        raise FileNotFoundError(
            "no Chromium to print the PDF (install chromium or set SDW_CHROMIUM); "
            "use --no-pdf for the HTML alone"
        )
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="sdw-chromium-") as profile:
        result = subprocess.run(
            [
                str(browser),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pdf-header-footer",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={target}",
                source.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, "HOME": profile},
        )
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        tail = (result.stderr or "").strip().splitlines()[-3:]
        raise RuntimeError(f"Chromium did not print {target.name}: {' | '.join(tail)}")
    return target


def rapport(
    settings: Settings,
    gemeente: str,
    periode: int,
    out_dir: Path,
    *,
    pdf: bool = True,
    duiding_dir: Path | None = None,
) -> Resultaat:
    minimum = int(dbt_var("kleine_aantallen_drempel"))
    gemeenten = _gemeenten(settings, gemeente)
    # the duiding first: a broken file fails before the slow part
    duidingen = duiding_files.voor(
        duiding_files.load(duiding_dir, gemeenten=list(gemeenten["gemeente_code"])),
        gemeente,
        date(periode, 1, 1),
        date(periode, 12, 31),
    )
    frames, refused = _lees(settings, gemeente, minimum)
    naam = gemeenten.set_index("gemeente_code")["gemeente_naam"].get(gemeente)
    info = {
        "naam": naam if isinstance(naam, str) and naam else f"gemeente {gemeente}",
        "niet_deelbaar": refused,
    }
    page, onderdrukt = render(frames, info, gemeente, periode, duidingen, minimum)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"rapport-{gemeente}-{periode}.html"
    # whole or not at all: a reader never opens a half-written report
    partial = target.with_suffix(".html.tmp")
    partial.write_text(page, encoding="utf-8")
    partial.replace(target)
    printed = print_pdf(target, target.with_suffix(".pdf")) if pdf else None
    return Resultaat(target, printed, info["naam"], len(duidingen), onderdrukt)
