"""Each gemeente's inkoop: the products it contracted from which aanbieder at which tariff, in
which inkoop-segment, and the yearly plafond (budget ceiling) per segment or productcategorie.

A gemeente budgets either per segment or per productcategorie (drawn per domain, as gemeenten
differ in this). The plafond is set near what the year's care turns out to cost, some above and
some below it, so budget marts have both under- and overspending to show.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from sdw.demo.catalogue import DOMAINS
from sdw.demo.inkoop import INKOOP_OPTIONAL, catalogue_extra, gecontracteerd, write_register
from sdw.demo.world import Gemeente

INKOOP_COLUMNS = (
    "gemeente_code",
    "jaar",
    "standard",
    "segment",
    "productcategorie",
    "productcode",
    "eenheid",
    "aanbieder_agb",
    "tarief_eurocent",
)
BUDGET_COLUMNS = ("gemeente_code", "jaar", "standard", "segment", "productcategorie", "plafond_eur")
MIN_PLAFOND_EUR = 5_000


def _write(path: Path, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def inkoop(gemeente: Gemeente, years: range) -> list[tuple]:
    """One row per year, aanbieder and contracted product, sorted for reading; with the
    product's name and perceel (sdw.demo.inkoop)."""
    rows = []
    for year in years:
        for domain in DOMAINS:
            for aanbieder in gecontracteerd(gemeente, domain.name):
                for product in aanbieder.archetype.products():
                    row = (
                        gemeente.code,
                        year,
                        domain.standard.key,
                        domain.segments[product.categorie],
                        product.categorie,
                        product.code,
                        product.eenheid,
                        aanbieder.agb,
                        aanbieder.tarief(product, year),
                    )
                    rows.append((*row, *catalogue_extra(row)))
    return sorted(rows)


def write_budget(
    rng: random.Random,
    folder: Path,
    gemeente: Gemeente,
    years: range,
    spend: dict[tuple[int, str, str], int],
) -> None:
    """``spend``: euro cents granted by (year, domain name, productcategorie)."""
    folder.mkdir(parents=True, exist_ok=True)
    contracted = inkoop(gemeente, years)
    _write(folder / f"{gemeente.code}_inkoop.csv", (*INKOOP_COLUMNS, *INKOOP_OPTIONAL), contracted)
    write_register(folder, gemeente)
    budget = []
    for year in years:
        for domain in DOMAINS:
            key = domain.standard.key
            categories = sorted({row[4] for row in contracted if row[1:3] == (year, key)})
            per_segment = gemeente.budget_per[domain.name] == "segment"
            lines: dict[tuple[str, str], int] = {}
            for categorie in categories:
                segment = domain.segments[categorie]
                line = (segment, "") if per_segment else (segment, categorie)
                lines[line] = lines.get(line, 0) + spend.get((year, domain.name, categorie), 0)
            for (segment, categorie), cents in lines.items():
                plafond = max(
                    MIN_PLAFOND_EUR, int(round(cents / 100 * rng.uniform(0.90, 1.15), -3))
                )
                budget.append((gemeente.code, year, key, segment, categorie, plafond))
    _write(folder / f"{gemeente.code}_budget.csv", BUDGET_COLUMNS, budget)
