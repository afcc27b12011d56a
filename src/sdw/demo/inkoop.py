"""The demo's inkoop beyond tariffs: the aanbieder register, product names, percelen, and an
aanbieder that hands its market over to a successor (one that enters and one that leaves).

Nothing here draws from the demo's random generator: names, KvK numbers and percelen follow from
the codes, and the successor is the predecessor under another AGB code with the same habits, so
every other file of the demo stays byte-identical.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from sdw.demo.catalogue import DOMAINS
from sdw.demo.world import Aanbieder, Gemeente

# The catalogue's optional columns, the register's layout and the budget layout with its
# optional aanbieder (sdw.budget.layout).
INKOOP_OPTIONAL = ("productnaam", "perceel")
REGISTER_COLUMNS = ("gemeente_code", "aanbieder_agb", "naam", "kvk_nummer", "soort")
OMZETPLAFOND_COLUMNS = (
    "gemeente_code",
    "jaar",
    "standard",
    "segment",
    "productcategorie",
    "plafond_eur",
    "aanbieder_agb",
)
# Omzetplafonds for the first Jeugd aanbieders the gemeente contracts: (share of what the
# aanbieder turned out to declare, per segment?). Below 1 the aanbieder runs over its plafond.
OMZETPLAFONDS = ((0.85, False), (1.30, False), (1.00, True))
MIN_OMZETPLAFOND_EUR = 1_000

PRODUCT_NAMEN = {
    "01A01": "Huishoudelijke hulp resultaatgericht",
    "01A02": "Huishoudelijke hulp in uren",
    "02A01": "Begeleiding individueel",
    "03A01": "Persoonlijke verzorging",
    "04A01": "Kortdurend verblijf",
    "06A01": "Overige ondersteuning",
    "07A01": "Dagbesteding",
    "08A01": "Wmo-vervoer",
    "10A01": "Maatwerk Wmo",
    "11A01": "Rolstoel",
    "12A01": "Scootmobiel",
    "13A01": "Woningaanpassing",
    "14A01": "Overig hulpmiddel",
    "15A01": "Beschermd wonen",
    "45A01": "Jeugdhulp ambulant in uren",
    "45A02": "Jeugdhulp ambulant traject",
    "54A01": "Jeugd-ggz behandeling",
    "41A01": "Dagbehandeling jeugd",
    "43A01": "Verblijf met behandeling",
    "44A01": "Verblijf zonder behandeling",
    "35A01": "Pleegzorg",
    "46A01": "Crisisopvang jeugd",
    "40A01": "Persoonlijke verzorging jeugd",
    "42A01": "Vervoer dagbehandeling",
    "50A01": "Maatwerk jeugd",
}
# One product of the catalogue has no name, so the warehouse shows its code.
ZONDER_NAAM = "10A01"

# Lots within a segment, by standard and productcategorie; a segment not named here is one
# market (perceel empty).
PERCELEN = {
    ("iwmo", "02"): "Begeleiding",
    ("iwmo", "03"): "Begeleiding",
    ("iwmo", "06"): "Begeleiding",
    ("iwmo", "10"): "Begeleiding",
    ("iwmo", "07"): "Dagbesteding",
    ("ijw", "35"): "Pleegzorg",
    ("ijw", "43"): "Residentieel",
    ("ijw", "44"): "Residentieel",
}

# The aanbieder of this kind (jeugd) stops taking new clients half a year before the demo's
# first day; its successor takes them all from then on. The predecessor's running care ends in
# its time, so one aanbieder enters (in the lead-in year) and, once its last client has left,
# one leaves.
OVERNAME_ARCHETYPE = "Jeugdhulp Ambulant"
OVERNAME_MONTHS_BEFORE = 6


def overname_datum(first_day: date) -> date:
    """The day the successor takes over: half a year before the demo's first day."""
    months = first_day.year * 12 + first_day.month - 1 - OVERNAME_MONTHS_BEFORE
    return date(months // 12, months % 12 + 1, 1)


def opvolger(aanbieder: Aanbieder) -> Aanbieder:
    """The successor: the same habits and tariff under another AGB code and name."""
    agb = aanbieder.agb[:5] + "9" + aanbieder.agb[6:]
    return dataclasses.replace(aanbieder, agb=agb, name=f"{aanbieder.name} (opvolger)")


def overgenomen(gemeente: Gemeente) -> Aanbieder | None:
    """The aanbieder of ``gemeente`` whose new clients go to its successor, if any."""
    for domain in DOMAINS:
        for aanbieder in gemeente.aanbieders[domain.name].items:
            if aanbieder.archetype.name == OVERNAME_ARCHETYPE:
                return aanbieder
    return None


def met_overname(aanbieder: Aanbieder, gemeente: Gemeente, arrival: date, first_day: date):
    """Who serves a client arriving on ``arrival``: the successor from the overname on."""
    if arrival >= overname_datum(first_day) and aanbieder is overgenomen(gemeente):
        return opvolger(aanbieder)
    return aanbieder


def gecontracteerd(gemeente: Gemeente, domain_name: str) -> list[Aanbieder]:
    """Every aanbieder ``gemeente`` contracts in a domain, the successor beside its
    predecessor (whose running care stays under contract)."""
    aanbieders = list(gemeente.aanbieders[domain_name].items)
    taken = overgenomen(gemeente)
    if taken is not None and taken in aanbieders:
        aanbieders.append(opvolger(taken))
    return aanbieders


def catalogue_extra(row: tuple) -> tuple[str, str]:
    """The optional columns of one catalogue row (standard at 2, categorie 4, code 5)."""
    standard, categorie, code = row[2], row[4], row[5]
    naam = "" if code == ZONDER_NAAM else PRODUCT_NAMEN.get(code, "")
    return naam, PERCELEN.get((standard, categorie), "")


def _kvk(agb: str) -> str:
    return "6" + agb[1:]


def register(gemeente: Gemeente) -> list[tuple]:
    """The gemeente's aanbieder register; the last aanbieder it contracted in each domain is
    missing from it (the warehouse then shows its AGB code), and Wmo aanbieders have no KvK
    number."""
    rows = []
    for domain in DOMAINS:
        unnamed = gemeente.aanbieders[domain.name].items[-1]
        for aanbieder in gecontracteerd(gemeente, domain.name):
            if aanbieder is unnamed:
                continue
            kvk = _kvk(aanbieder.agb) if domain.name == "jeugd" else ""
            soort = "zorgaanbieder" if domain.name == "jeugd" else ""
            rows.append((gemeente.code, aanbieder.agb, aanbieder.name, kvk, soort))
    return sorted(rows)


def write_register(folder: Path, gemeente: Gemeente) -> None:
    with open(folder / f"{gemeente.code}_aanbieders.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(REGISTER_COLUMNS)
        writer.writerows(register(gemeente))


def describe(gemeente: Gemeente, first_day: date) -> dict[str, Any]:
    """For ground_truth.json: the planted overname."""
    taken = overgenomen(gemeente)
    if taken is None:
        return {}
    return {
        "overname": {
            "aanbieder_agb": taken.agb,
            "opvolger_agb": opvolger(taken).agb,
            "vanaf": overname_datum(first_day).isoformat(),
        }
    }


def omzetplafonds(
    gemeente: Gemeente, years: range, spend: dict[tuple[int, str, str], int]
) -> list[tuple]:
    """Omzetplafonds of some Jeugd aanbieders, near what each declared (``spend``: euro cents
    by year, AGB code and productcategorie): one over its plafond, one well below, one per
    segment."""
    domain = next(d for d in DOMAINS if d.name == "jeugd")
    rows = []
    for (share, per_segment), aanbieder in zip(
        OMZETPLAFONDS, gecontracteerd(gemeente, domain.name), strict=False
    ):
        for year in years:
            lines: dict[str, int] = {}
            for (jaar, agb, categorie), cents in spend.items():
                if jaar == year and agb == aanbieder.agb:
                    segment = domain.segments[categorie] if per_segment else ""
                    lines[segment] = lines.get(segment, 0) + cents
            # An aanbieder without care that year still has its plafond, at the minimum.
            for segment, cents in sorted((lines or {"": 0}).items()):
                plafond = max(MIN_OMZETPLAFOND_EUR, int(round(cents / 100 * share, -3)))
                key = domain.standard.key
                rows.append((gemeente.code, year, key, segment, "", plafond, aanbieder.agb))
    return rows


def write_omzetplafonds(
    folder: Path, gemeente: Gemeente, years: range, spend: dict[tuple[int, str, str], int]
) -> None:
    with open(
        folder / f"{gemeente.code}_omzetplafonds.csv", "w", encoding="utf-8", newline=""
    ) as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(OMZETPLAFOND_COLUMNS)
        writer.writerows(omzetplafonds(gemeente, years, spend))
