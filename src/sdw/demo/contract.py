"""Contract defects: care declared at a tariff other than the contracted one, and care allocated
or declared for a product the aanbieder has no contract for in that year.

Planted from a random generator of their own, so the rest of the demo stays as it was:

- ``tariff_above_contract`` / ``tariff_below_contract``: a prestatie (323) whose ProductTarief
  lies above or below the tariff in the gemeente's inkoop catalogue for that aanbieder, product
  and year. The gemeente's 325 accepts it (not every gemeente checks tariffs on receipt): the
  warehouse is where it shows.
- ``product_not_contracted``: a few (aanbieder, product, year) lines are left out of the
  catalogue while the care goes on. Every toewijzing of that aanbieder and product whose
  Ingangsdatum lies in that year, and every prestatie of it whose Begindatum does, is a defect.
  Only a line whose product code stays in the catalogue (another year or aanbieder) is left out,
  so the code itself stays known and ``unknown_product_code`` does not report it as well.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sdw.demo.catalogue import DOMAINS, Product
from sdw.demo.render import Prestatie

TARIFF_DEFECTS = ("tariff_above_contract", "tariff_below_contract")
CONTRACT_DEFECTS = (*TARIFF_DEFECTS, "product_not_contracted")
# How far a wrong tariff lies from the contracted one.
_OFF_BY = (0.05, 0.25)

# (standard, aanbieder_agb, product_code, jaar)
Contract = tuple[str, str, str, int]


def client_product(client: Any, code: str) -> Product:
    """The product of ``client``'s aanbieder with ``code``."""
    return next(p for p in client.aanbieder.archetype.products() if p.code == code)


class ContractDefects:
    def __init__(
        self,
        rng: random.Random,
        gemeente: Any,
        years: range,
        rates: dict[str, float],
        truth: Any,
    ) -> None:
        self.rng = rng
        self.gemeente = gemeente
        self.rates = rates
        self.truth = truth
        self.dropped = self._choose_dropped(years)
        self._toewijzingen_seen: set[tuple[str, int]] = set()
        # (aanbieder, ReferentieNummer) -> the tariff defect planted on that prestatie
        self.planted: dict[tuple[str, str], str] = {}

    def _choose_dropped(self, years: range) -> set[Contract]:
        contracts: list[Contract] = sorted(
            (domain.standard.key, aanbieder.agb, product.code, year)
            for year in years
            for domain in DOMAINS
            for aanbieder in self.gemeente.aanbieders[domain.name].items
            for product in aanbieder.archetype.products()
        )
        rate = self.rates.get("product_not_contracted", 0.0)
        if not rate:
            return set()
        wanted = max(1, round(rate * len(contracts)))
        dropped: set[Contract] = set()
        for contract in self.rng.sample(contracts, len(contracts)):
            if len(dropped) == wanted:
                break
            standard, agb, code, year = contract
            # Another aanbieder keeps the product that year (its productcategorie and segment
            # stay in the catalogue), and this aanbieder keeps it another year (a tariff to
            # price its toewijzingen by).
            rest = [
                c
                for c in contracts
                if c not in dropped and c != contract and c[0] == standard and c[2] == code
            ]
            if any(c[3] == year and c[1] != agb for c in rest) and any(
                c[3] != year and c[1] == agb for c in rest
            ):
                dropped.add(contract)
        return dropped

    def _is_dropped(self, standard: str, agb: str, code: str, year: int) -> bool:
        return (standard, agb, code, year) in self.dropped

    def price(self, client: Any, prestatie: Prestatie) -> Prestatie:
        """The prestatie as declared: at another tariff than the contract's where one is
        planted. It stays a clean prestatie for the rest of the demo (the gemeente's 325 does
        not check tariffs), so planting draws nothing from the demo's other generators."""
        standard, agb = client.domain.standard.key, client.aanbieder.agb
        if self._is_dropped(standard, agb, prestatie.code, prestatie.begindatum.year):
            return prestatie  # no contract to compare with
        factor = client.aanbieder.defect_factor
        for defect, sign in zip(TARIFF_DEFECTS, (1, -1), strict=True):
            if self.rng.random() < self.rates.get(defect, 0.0) * factor:
                off = max(1, round(prestatie.tarief * self.rng.uniform(*_OFF_BY)))
                tarief = prestatie.tarief + sign * off
                self.planted[(agb, prestatie.referentie)] = defect
                return prestatie._replace(tarief=tarief, bedrag=prestatie.volume * tarief)
        return prestatie

    def toewijzingen_sent(self, client: Any, lines: Iterable[Any]) -> None:
        """Record the toewijzingen of a 301 that no contract covers (once per toewijzing)."""
        standard, agb = client.domain.standard.key, client.aanbieder.agb
        for line in lines:
            key = (standard, line.nummer)
            if line.withdrawn or key in self._toewijzingen_seen:
                continue
            if self._is_dropped(standard, agb, line.product.code, line.ingangsdatum.year):
                self._toewijzingen_seen.add(key)
                self.truth.defect(
                    {
                        "type": "product_not_contracted",
                        "record": "toewijzing",
                        "standard": standard,
                        "gemeente_code": self.gemeente.code,
                        "aanbieder_agb": agb,
                        "toewijzing_nummer": line.nummer,
                        "product_code": line.product.code,
                        "ingangsdatum": line.ingangsdatum.isoformat(),
                    }
                )

    def prestatie_sent(
        self, client: Any, prestatie: Prestatie, bericht_identificatie: str, nummer: str
    ) -> None:
        """Record a prestatie of a 323 at a wrong tariff, or that no contract covers."""
        standard, agb = client.domain.standard.key, client.aanbieder.agb
        keys = {
            "standard": standard,
            "gemeente_code": self.gemeente.code,
            "aanbieder_agb": agb,
            "message_type": "323",
            "bericht_identificatie": bericht_identificatie,
            "declaratie_nummer": nummer,
            "toewijzing_nummer": prestatie.nummer,
            "product_code": prestatie.code,
            "referentie_nummer": prestatie.referentie,
            "begindatum": prestatie.begindatum.isoformat(),
        }
        defect = self.planted.pop((agb, prestatie.referentie), None)
        if defect is not None:
            contracted = client.aanbieder.tarief(
                client_product(client, prestatie.code), prestatie.begindatum.year
            )
            self.truth.defect(
                {"type": defect, **keys, "tarief": prestatie.tarief, "contract_tarief": contracted}
            )
        if self._is_dropped(standard, agb, prestatie.code, prestatie.begindatum.year):
            self.truth.defect({"type": "product_not_contracted", "record": "prestatie", **keys})

    def remove_from_catalogue(self, path: Path) -> None:
        """Leave the dropped contracts out of the gemeente's inkoop file as written."""
        if not self.dropped:
            return
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header, lines = rows[0], rows[1:]
        at = {name: header.index(name) for name in header}
        kept = [
            row
            for row in lines
            if (
                row[at["standard"]],
                row[at["aanbieder_agb"]],
                row[at["productcode"]],
                int(row[at["jaar"]]),
            )
            not in self.dropped
        ]
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(kept)
