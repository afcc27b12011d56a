"""A deterministic demo: the message traffic of one or more fake gemeenten with their aanbieders,
their CBS figures, their budgets, and the ground truth of everything planted in them.

``out_dir`` receives:
- ``inbox/<gemeente>/<YYYY-MM>/``: every iWmo/iJw 3.2 message, one per file, as a gemeente's
  archive holds them (315 -> 316, 319 -> 320, 301 -> 302, 305 -> 306, 317 -> 318, 323 -> 325,
  307 -> 308);
- ``cbs/``: StatLine CSV extracts (sdw.demo.cbs);
- ``budget/``: per gemeente the inkoop-segmenten and the plafond per year (sdw.demo.budget);
- ``postcode_buurt.csv``: which buurt each demo postcode lies in (for SDW_POSTCODE_BUURT);
- ``ground_truth.json``: every planted defect and legitimate complication, with its keys.

Clients are simulated gemeente by gemeente, domain by domain, in order of arrival; a month's
declaraties are written once every client who could have care in it has arrived, and then the
month's finished lines are dropped. Memory therefore follows the number of clients in care in
one gemeente, not the size of the output.

Everything personal in the files is fake but present (test BSNs, "Demo" surnames, addresses,
``example.invalid`` mail addresses): privacy tests scan the warehouse for exactly these values.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sdw.config import dbt_var
from sdw.demo.budget import write_budget
from sdw.demo.catalogue import DOMAINS, FROM_GEMEENTE, STANDARDS, Domain
from sdw.demo.cbs import CbsExtracts
from sdw.demo.contract import ContractDefects
from sdw.demo.doelen import write_doelen, write_uitkomsten
from sdw.demo.inbox import GroundTruth, Inbox
from sdw.demo.inkoop import describe as describe_inkoop
from sdw.demo.inkoop import met_overname, write_omzetplafonds
from sdw.demo.render import (
    AangevraagdProduct,
    Delivery,
    Person,
    Prestatie,
    Sent,
    TeWijzigenProduct,
    ToegewezenProduct,
    antwoord,
    declaratie,
    declaratie_antwoord,
    deliveries,
    toewijzing,
    verzoek_om_toewijzing,
    verzoek_om_wijziging,
)
from sdw.demo.simulation import (
    DEFECT_TYPES,
    LEAD_IN_YEARS,
    Client,
    Line,
    Period,
    Version,
    Verzoek,
    add_months,
    care_periods,
    delivered_in_month,
    in_scope,
    month_end,
    simulate_client,
    working_days_after,
)
from sdw.demo.world import (
    DEFAULT_GEMEENTE_CODE,
    Gemeente,
    build_gemeenten,
    invalid_bsn,
    valid_test_bsns,
)

FIRST_TOEWIJZING_NUMMER = 100_001
# ToewijzingNummers no gemeente issues: the 305/307 with no matching toewijzing carry these.
FIRST_UNISSUED_NUMMER = 900_000_001
# An aanbieder splits a month's declaratie per this many clients (a 323 may not exceed 25 MB).
CLIENTS_PER_DECLARATIE = 500
# Test BSNs one gemeente uses per inwoner: a base for the clients already in care when the
# first year starts, plus so many per year (measured at 0.054 + 0.044 a year on the default
# calibration, plus 10%). It decides how many inwoners one gemeente can have.
BSNS_PER_INWONER = (0.060, 0.049)

DEFAULT_DEFECT_RATE = 0.01
# A gemeente code CBS no longer knows: Landerd, merged into Maashorst (1991) on 1 January 2022
# (seeds/gemeente_herindeling.csv). Some 315s also go to it, a few days before the right one.
ABOLISHED_GEMEENTE = ("1685", date(2022, 1, 1))
# Identificaties carry the gemeente's number in two base-36 characters.
MAX_GEMEENTEN = 36 * 36

# Why the gemeente rejects a class, by the defect it carries (LDT_RetourCode).
_REJECT_START_STOP = {
    "no_matching_toewijzing": "9019",
    "invalid_bsn": "9019",
    "unknown_product_code": "S329",
}
_REJECT_PRESTATIE = {
    "over_24h": "9321",
    "volume_above_allocation": "9321",
    "outside_period": "9307",
    "unknown_product_code": "9340",
    "invalid_bsn": "8187",
}


@dataclass
class _Prestatie:
    line: Line
    prestatie: Prestatie
    defect: str | None


def bsn_capacity(years: int) -> int:
    """The most inwoners one gemeente can have: its clients must fit the 9,091 test BSNs."""
    base, per_year = BSNS_PER_INWONER
    return int(len(valid_test_bsns()) / (base + per_year * years))


def _arrivals(
    rng: random.Random, domain: Domain, population: int, period: Period
) -> Iterator[date]:
    """Days new clients arrive (a 315, or the gemeente's decision), on working days, in order.

    The weekly count is the running expectation rounded, not a Poisson draw, so the client
    rates in a small test gemeente stay close to their targets.
    """
    per_week = domain.instroom_per_year * population * 7 / 365.25
    expected = 0.0
    issued = 0
    week = period.lead_in_start - timedelta(days=period.lead_in_start.weekday())
    while week <= period.horizon:
        expected += per_week
        count = int(expected) - issued
        issued += count
        days = sorted(week + timedelta(days=rng.randint(0, 4)) for _ in range(count))
        yield from (d for d in days if period.lead_in_start <= d <= period.horizon)
        week += timedelta(days=7)


class _GemeenteRun:
    """Simulates and writes one gemeente; keeps only the clients still in care."""

    def __init__(
        self,
        rng: random.Random,
        gemeente: Gemeente,
        period: Period,
        inbox: Inbox,
        truth: GroundTruth,
        rates: dict[str, float],
        plant_rng: random.Random,
        taken: frozenset[str] | set[str] = frozenset(),
        contracts: ContractDefects | None = None,
    ) -> None:
        self.rng = rng
        self.contracts = contracts or ContractDefects(
            random.Random(0), gemeente, range(0), {}, truth
        )
        # Defects added later draw from their own generator, so the rest stays byte-identical.
        self.plant_rng = plant_rng
        self.misaddressed: list[tuple[Client, date, str]] = []
        self.gemeente = gemeente
        self.period = period
        self.inbox = inbox
        self.truth = truth
        self.rates = rates
        self.bsns = list(valid_test_bsns())
        rng.shuffle(self.bsns)
        # One BSN is one person nationally: BSNs an earlier gemeente of this demo gave out come
        # last (pop() takes from the end), so gemeenten share none while the range suffices.
        self.bsns.sort(key=lambda bsn: bsn not in taken)
        self.persons = 0
        self.clients = {d.name: 0 for d in DOMAINS}
        self.without_toewijzing = {d.name: 0 for d in DOMAINS}
        self.product_lines = 0
        self.prestaties = 0
        self.next_nummer = {s.key: FIRST_TOEWIJZING_NUMMER for s in STANDARDS}
        self.next_unissued = {s.key: FIRST_UNISSUED_NUMMER for s in STANDARDS}
        self.last_referentie: dict[str, str] = {}  # per aanbieder: its latest 315 reference
        self.tally: dict[tuple[str, str, str], int] = {}
        self.spend: dict[tuple[int, str, str], int] = {}
        self.spend_aanbieder: dict[tuple[int, str, str], int] = {}  # (year, agb, categorie)
        # id(line) -> its prestaties as written, until the line's care record is written.
        self.declared: dict[int, list[list]] = {}
        self.years = range(period.first_day.year, period.horizon.year + 1)

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> None:
        self.inbox.start_gemeente(self.gemeente.index, self.gemeente.code)
        for domain in DOMAINS:
            self._domain(domain)
        # Written last: their Identificaties take the numbers after the day's real ones.
        for client, dagtekening, body in self.misaddressed:
            self._write_misaddressed(client, dagtekening, body)

    def _domain(self, domain: Domain) -> None:
        aanbieders = self.gemeente.aanbieders[domain.name]
        buurten = self.gemeente.buurt_weights(domain)
        population = self.gemeente.population(domain.age_bands)
        active: list[tuple[Client, Line]] = []
        month = self.period.lead_in_start.replace(day=1)
        for arrival in _arrivals(self.rng, domain, population, self.period):
            # Care starts on or after arrival, so every month before it is complete.
            while month_end(month) < arrival:
                active = self._declare(domain, month, active)
                month = add_months(month, 1)
            client = simulate_client(
                self.rng, domain, aanbieders, buurten, arrival, self.period, self.rates
            )
            client.aanbieder = met_overname(
                client.aanbieder, self.gemeente, arrival, self.period.first_day
            )
            if not in_scope(client, self.period):
                continue
            self._write_client(client)
            for line in client.lines:
                if line.delivers and line.begindatum <= self.period.horizon:
                    active.append((client, line))
                    self.declared[id(line)] = []
                else:
                    self._care(client, line)
        while month <= self.period.horizon:
            active = self._declare(domain, month, active)
            month = add_months(month, 1)
        for client, line in active:
            self._care(client, line)

    # --- identities ----------------------------------------------------------------------------

    def _person(self, client: Client) -> Person:
        """The next unused test BSN and a unique fake name for ``client``'s details."""
        if not self.bsns:
            raise ValueError(
                f"gemeente {self.gemeente.code} needs more than the {len(valid_test_bsns())} "
                "test BSNs: give it fewer inwoners (or spread them over more gemeenten)"
            )
        self.persons += 1
        return Person(
            bsn=self.bsns.pop(),
            number=self.persons,
            geboortedatum=client.geboortedatum,
            geslacht=client.geslacht,
            postcode=client.postcode,
            huisnummer=client.huisnummer,
            straatnaam=client.buurt.straatnaam,
            plaatsnaam=self.gemeente.naam,
        )

    def _keys(self, client: Client) -> dict[str, Any]:
        return {
            "standard": client.domain.standard.key,
            "gemeente_code": self.gemeente.code,
            "aanbieder_agb": client.aanbieder.agb,
        }

    # --- sending -------------------------------------------------------------------------------

    def _send(
        self, client: Client, number: str, dagtekening: date, body: str, clean: bool = True
    ) -> Sent:
        gemeente, agb = self.gemeente.code, client.aanbieder.agb
        from_gemeente = FROM_GEMEENTE[number]
        return self.inbox.send(
            client.domain.standard,
            number,
            gemeente if from_gemeente else agb,
            agb if from_gemeente else gemeente,
            dagtekening,
            body,
            aanbieder_agb=agb,
            # The gemeente's own system is taken to be careful; aanbieders differ.
            defect_factor=1.0 if from_gemeente else client.aanbieder.defect_factor,
            clean=clean,
        )

    def _retour(self, number: str, heen: Sent, body: str = "", codes: Sequence[str] = ()) -> None:
        """The retour within three working days (OP090), unless that is past the horizon;
        ``codes`` are those ``body`` carries, 0200 for an accepted class."""
        dagtekening = working_days_after(heen.dagtekening, self.rng.randint(0, 3))
        if dagtekening <= self.period.horizon:
            rejected_by = [code for code in codes if code != "0200"]
            self.inbox.retour(number, heen, dagtekening, body, rejected_by)

    def _prefixes(self, client: Client, number: str) -> tuple[str, str]:
        standard = client.domain.standard
        return f"{standard.element_prefix}{number}", standard.key

    # --- one client's messages -------------------------------------------------------------------

    def _write_client(self, client: Client) -> None:
        person = self._person(client)
        client.bsn, client.number = person.bsn, person.number
        standard = client.domain.standard
        for line in client.lines:
            line.nummer = self.next_nummer[standard.key]
            self.next_nummer[standard.key] += 1
        if client.vot is not None:
            self._write_vot(client, person, client.vot)
        if not client.lines:
            self.without_toewijzing[client.domain.name] += 1
            return
        self.clients[client.domain.name] += 1
        self.product_lines += len(client.lines)
        # The 301 that grants a 317 carries its reference, so references come first.
        for i, vow in enumerate(client.vows):
            vow.referentie = f"{self.gemeente.code}-{client.number:06d}-W{i + 1}"
        self._write_toewijzingen(client, person)
        for vow in client.vows:
            self._write_vow(client, vow)
        self._write_starts(client, person)
        self._write_stops(client, person)
        self._plant_unissued(client)
        for code, verblijf in care_periods(client, self.years):
            if client.domain.name == "jeugd" and int(code[:4]) - client.geboortedatum.year > 18:
                # CBS counts youth under 18 (85098NED): at the start of the period as far as
                # the birth year tells, as the warehouse's CBS-comparable count does.
                continue
            self._count((client.domain.name, code, client.buurt.code))
            if verblijf and client.domain.name == "jeugd":
                self._count(("jeugd_verblijf", code, client.buurt.code))

    def _count(self, key: tuple[str, str, str]) -> None:
        self.tally[key] = self.tally.get(key, 0) + 1

    def _care(self, client: Client, line: Line) -> None:
        """One product line as its messages tell it (a start and stop only when sent), with its
        prestaties as declared: what tests recompute the stuurinformatie marts from."""
        stopped = line.stop_sent is not None
        einddatum = line.final_einddatum
        self.truth.care(
            {
                **self._keys(client),
                "bsn": client.bsn,
                "geboortejaar": client.geboortedatum.year,
                "postcode": client.postcode,
                "buurt_code": client.buurt.code,
                "toewijzing_nummer": line.nummer,
                "product_categorie": line.product.categorie,
                "product_code": line.product.code,
                "eenheid": line.product.eenheid,
                "frequentie": line.product.frequentie,
                "volume": line.volume,
                "ingangsdatum": line.ingangsdatum.isoformat(),
                "einddatum": einddatum.isoformat() if einddatum else None,
                "withdrawn": line.withdrawn,
                "begindatum": line.begindatum.isoformat() if line.start_sent else None,
                "stop_einddatum": (
                    line.reported_end.isoformat() if stopped and line.reported_end else None
                ),
                "reden": line.reden if stopped else None,
                "defect": line.defect,
                # COD327 of the 315 the line answers; None: the gemeente's own toegang (no 315)
                "verwijzer_type": client.vot.verwijzer if client.vot else None,
                # the accepted 315's Dagtekening and the Ingangsdatum it asked for (None: no 315),
                # and the first 301's Toewijzingsdatum
                "verzoek_dagtekening": client.vot.sent.isoformat() if client.vot else None,
                "verzoek_identificatie": client.vot.identificatie if client.vot else None,
                "gevraagde_ingangsdatum": (
                    line.gevraagde_ingangsdatum.isoformat() if line.gevraagde_ingangsdatum else None
                ),
                "toewijzingsdatum": line.versions[0].toewijzingsdatum.isoformat(),
                # [begindatum, einddatum, volume, bedrag in eurocent, product code sent, defect]
                "prestaties": self.declared.pop(id(line), []),
            }
        )

    def _write_vot(self, client: Client, person: Person, vot: Verzoek) -> None:
        m, b = self._prefixes(client, "315")
        agb = client.aanbieder.agb
        vot.referentie = f"{self.gemeente.code}-{client.number:06d}"
        # Granted products carry the reference of the AangevraagdProduct they answer.
        for i, line in enumerate(client.lines):
            line.referentie = f"{vot.referentie}-{i + 1}"
        verwijzer = client.domain.verwijzers.draw(self.rng)
        # Huisartsen and medisch specialisten are named by AGB code, others by name.
        by_code = verwijzer in ("02", "05")
        products = [
            AangevraagdProduct(
                referentie=f"{vot.referentie}-{i + 1}",
                categorie=product.categorie,
                code=product.code,
                ingangsdatum=start,
                einddatum=einddatum,
                volume=volume,
                eenheid=product.eenheid,
                frequentie=product.frequentie,
                verwijzer_type=verwijzer,
                verwijzer_naam=None if by_code else f"Verwijzer {verwijzer} {self.gemeente.naam}",
                verwijzer_agb=f"{int(verwijzer):02d}999{client.number % 1000:03d}"
                if by_code
                else None,
            )
            for i, (product, start, einddatum, volume) in enumerate(client.requested)
        ]
        previous = self.last_referentie.get(agb)
        if vot.rejected_first is not None and previous is not None:
            # The aanbieder re-used its previous reference; the gemeente rejects it (9347).
            reused = [products[0]._replace(referentie=previous), *products[1:]]
            first = self._send(
                client, "315", vot.rejected_first, verzoek_om_toewijzing(m, b, person, reused)
            )
            codes = ["9347"] + ["0200"] * (len(products) - 1)
            m316, _ = self._prefixes(client, "316")
            self._retour("316", first, verzoek_om_toewijzing(m316, b, person, reused, codes), codes)
            self.truth.complication(
                {
                    "type": "verzoek_rejected_and_resent",
                    **self._keys(client),
                    "message_type": "315",
                    "rejected_identificatie": first.identificatie,
                    "referentie_aanbieder": vot.referentie,
                }
            )
        self.last_referentie[agb] = products[0].referentie
        if vot.sent > self.period.horizon:
            return  # the second attempt has not been sent yet
        vot.verwijzer = verwijzer
        body = verzoek_om_toewijzing(m, b, person, products)
        sent = self._send(client, "315", vot.sent, body)
        vot.identificatie = sent.identificatie
        self._retour("316", sent)
        self._misaddress(client, vot.sent, body)
        if vot.answered is not None and vot.answered <= self.period.horizon:
            for product in products:
                self._write_antwoord(client, vot, product.referentie)

    def _misaddress(self, client: Client, sent_on: date, body: str) -> None:
        """Sometimes the aanbieder first sent the 315 to a gemeente code abolished before then."""
        rate = self.rates["unknown_gemeente_code"] * client.aanbieder.defect_factor
        if self.plant_rng.random() >= rate:
            return
        day = sent_on - timedelta(days=self.plant_rng.randint(1, 3))
        day -= timedelta(days=max(0, day.weekday() - 4))  # a weekend day: the Friday before
        if day >= ABOLISHED_GEMEENTE[1]:
            self.misaddressed.append((client, day, body))

    def _write_misaddressed(self, client: Client, dagtekening: date, body: str) -> None:
        agb, code = client.aanbieder.agb, ABOLISHED_GEMEENTE[0]
        standard = client.domain.standard
        sent = self.inbox.send(
            standard, "315", agb, code, dagtekening, body, aanbieder_agb=agb, defect_factor=0.0
        )
        # The successor's system answers under the code it was addressed to, the same day.
        self.inbox.retour("316", sent, dagtekening)
        self.truth.defect(
            {
                "type": "unknown_gemeente_code",
                **self._keys(client),
                "message_type": "315",
                "bericht_identificatie": sent.identificatie,
                "dagtekening": dagtekening.isoformat(),
                "gemeente_code_sent": code,
            }
        )

    def _write_antwoord(self, client: Client, verzoek: Verzoek, referentie: str) -> None:
        m, _ = self._prefixes(client, "319")
        woonplaats = None
        if client.domain.name == "jeugd" and verzoek.reden_afwijzing == "8":
            # The gemeente names the gemeente responsible under the woonplaatsbeginsel.
            woonplaats = "9999" if self.gemeente.code != "9999" else "9998"
        verzoek_antwoord = "1" if verzoek.outcome == "afgewezen" else "2"
        assert verzoek.answered is not None
        sent = self._send(
            client,
            "319",
            verzoek.answered,
            antwoord(m, referentie, verzoek_antwoord, verzoek.reden_afwijzing, woonplaats),
        )
        self._retour("320", sent)

    def _write_toewijzingen(self, client: Client, person: Person) -> None:
        m, b = self._prefixes(client, "301")
        lines = client.lines
        self._send_301(client, person, client.sent_301, [(x, x.versions[0]) for x in lines], m, b)
        # A newer 301 repeats every line still valid on its date, each as last stated (OP087).
        changes = sorted(
            ((version, line) for line in lines for version in line.versions[1:]),
            key=lambda pair: pair[0].moment,
        )
        for version, changed in changes:
            current = []
            for line in lines:
                state = version if line is changed else line.version_at(version.moment)
                if (
                    line is changed
                    or state.einddatum is None
                    or state.einddatum >= version.toewijzingsdatum
                ):
                    current.append((line, state))
            self._send_301(client, person, version.toewijzingsdatum, current, m, b)
        for line in lines:
            if len(line.versions) > 1:
                self.truth.complication(
                    {
                        "type": "toewijzing_changed",
                        **self._keys(client),
                        "toewijzing_nummer": line.nummer,
                        "reden_wijziging": [v.reden_wijziging for v in line.versions[1:]],
                    }
                )
            # Planted exactly when the check can see it: dagen_zonder_start days have passed.
            waited = line.ingangsdatum + timedelta(days=int(dbt_var("dagen_zonder_start")))
            if line.defect == "toewijzing_without_305" and waited <= self.period.horizon:
                self.truth.defect(
                    {
                        "type": "toewijzing_without_305",
                        **self._keys(client),
                        "toewijzing_nummer": line.nummer,
                        "product_code": line.product.code,
                        "ingangsdatum": line.ingangsdatum.isoformat(),
                    }
                )

    def _send_301(
        self,
        client: Client,
        person: Person,
        dagtekening: date,
        entries: list[tuple[Line, Version]],
        m: str,
        b: str,
    ) -> None:
        products = [
            ToegewezenProduct(
                nummer=line.nummer,
                referentie=version.verzoek.referentie if version.verzoek else line.referentie,
                categorie=line.product.categorie,
                code=line.product.code,
                toewijzingsdatum=version.toewijzingsdatum,
                toewijzingstijd=version.toewijzingstijd,
                ingangsdatum=line.ingangsdatum,
                einddatum=version.einddatum,
                reden_wijziging=version.reden_wijziging,
                volume=line.volume,
                eenheid=line.product.eenheid,
                frequentie=line.product.frequentie,
            )
            for line, version in entries
        ]
        sent = self._send(client, "301", dagtekening, toewijzing(m, b, person, products))
        self.contracts.toewijzingen_sent(client, (line for line, _ in entries))
        self._retour("302", sent)

    def _write_vow(self, client: Client, vow: Verzoek) -> None:
        assert vow.line is not None and vow.einddatum is not None
        m, b = self._prefixes(client, "317")
        line = vow.line
        others = [
            x.nummer
            for x in client.lines
            if x is not line
            and not x.withdrawn
            and (x.version_at((vow.sent, "23:59:59")).einddatum or date.max) >= vow.sent
        ]
        if (vow.rejected_first or vow.sent) > self.period.horizon:
            return  # asked for after the horizon, if at all
        change = [
            TeWijzigenProduct(
                line.nummer,
                line.ingangsdatum,
                vow.einddatum,
                line.volume,
                line.product.eenheid,
                line.product.frequentie,
            )
        ]
        if vow.rejected_first is not None and others:
            # The first attempt left out the client's other toewijzingen: rejected with 9349.
            incomplete = verzoek_om_wijziging(
                m, b, client.bsn, vow.referentie + "A", vow.reden_verzoek, [], change
            )
            first = self._send(client, "317", vow.rejected_first, incomplete)
            m318, _ = self._prefixes(client, "318")
            self._retour(
                "318",
                first,
                verzoek_om_wijziging(
                    m318, b, client.bsn, vow.referentie + "A", vow.reden_verzoek, [], change, "9349"
                ),
                ["9349"],
            )
            self.truth.complication(
                {
                    "type": "verzoek_rejected_and_resent",
                    **self._keys(client),
                    "message_type": "317",
                    "rejected_identificatie": first.identificatie,
                    "referentie_aanbieder": vow.referentie,
                }
            )
        if vow.sent > self.period.horizon:
            return
        body = verzoek_om_wijziging(
            m, b, client.bsn, vow.referentie, vow.reden_verzoek, others, change
        )
        self._retour("318", self._send(client, "317", vow.sent, body))
        if vow.answered is not None and vow.answered <= self.period.horizon:
            self._write_antwoord(client, vow, vow.referentie)

    def _unknown_code(self, line: Line) -> str:
        """A code in the product's category that the regional product list does not have."""
        return f"{line.product.categorie}X{line.nummer % 100:02d}"

    def _code_sent(self, line: Line) -> str:
        if line.defect == "unknown_product_code":
            return self._unknown_code(line)
        return line.product.code

    def _record_unknown_code(self, client: Client, line: Line) -> None:
        if line.defect == "unknown_product_code" and not line.defect_done:
            line.defect_done = True
            self.truth.defect(
                {
                    "type": "unknown_product_code",
                    **self._keys(client),
                    "toewijzing_nummer": line.nummer,
                    "product_code": self._unknown_code(line),
                }
            )

    def _send_deliveries(
        self,
        client: Client,
        person: Person,
        number: str,
        dagtekening: date,
        classes: list[tuple[Delivery, str | None]],
    ) -> Sent:
        """A 305/307 and its retour; ``classes`` carry their planted defect or None. The
        gemeente's retour rejects the classes whose defect it can see (9019, S329)."""
        m, b = self._prefixes(client, number)
        clean = all(defect is None for _, defect in classes)
        if clean and self.rng.random() < self.rates["invalid_bsn"] * client.aanbieder.defect_factor:
            # A typing error in the BSN: the gemeente cannot link it to its client.
            person = replace(person, bsn=invalid_bsn(person.bsn))
            classes = [(d, "invalid_bsn") for d, _ in classes]
        stop = number == "307"
        body = deliveries(m, b, person, stop, [(d, None) for d, _ in classes])
        sent = self._send(client, number, dagtekening, body, clean=clean)
        if classes[0][1] == "invalid_bsn":
            self.truth.defect(
                {
                    "type": "invalid_bsn",
                    **self._keys(client),
                    "message_type": number,
                    "bericht_identificatie": sent.identificatie,
                    "bsn": person.bsn,
                    "toewijzing_nummers": [d.nummer for d, _ in classes],
                }
            )
        retour = str(int(number) + 1)
        codes = [_REJECT_START_STOP.get(defect or "", "0200") for _, defect in classes]
        if any(code != "0200" for code in codes):
            m_retour, _ = self._prefixes(client, retour)
            rejected = [(d, code) for (d, _), code in zip(classes, codes, strict=True)]
            self._retour(retour, sent, deliveries(m_retour, b, person, stop, rejected), codes)
        else:
            self._retour(retour, sent)
        return sent

    def _delivery(
        self, line: Line, begindatum: date, status: str = "1", stop: bool = False
    ) -> Delivery:
        return Delivery(
            nummer=line.nummer,
            categorie=line.product.categorie,
            code=self._code_sent(line),
            ingangsdatum=line.ingangsdatum,
            begindatum=begindatum,
            status=status,
            reden=line.reden if stop else None,
            einddatum=line.reported_end if stop else None,
        )

    def _defect_of(self, line: Line, shown_in: tuple[str, ...] = ()) -> str | None:
        """The line's defect if it shows in a prestatie (unknown code) or in ``shown_in``."""
        if line.defect == "unknown_product_code" or line.defect in shown_in:
            return line.defect
        return None

    def _write_starts(self, client: Client, person: Person) -> None:
        groups: dict[tuple[date, int], list[Line]] = {}
        for i, line in enumerate(client.lines):
            if line.start_sent is None:
                continue
            solo = line.defect == "late_305" or line.wrong_begindatum is not None
            groups.setdefault((line.start_sent, i if solo else -1), []).append(line)
        for (sent_on, _), lines in sorted(groups.items(), key=lambda item: item[0]):
            line = lines[0]
            if line.wrong_begindatum is not None:
                assert line.wrong_start_sent is not None
                wrong = self._delivery(line, line.wrong_begindatum)
                self._send_deliveries(client, person, "305", line.wrong_start_sent, [(wrong, None)])
                classes = [
                    (wrong._replace(status="3"), None),
                    (self._delivery(line, line.begindatum), None),
                ]
                sent = self._send_deliveries(client, person, "305", sent_on, classes)
                self.truth.complication(
                    {
                        "type": "start_deleted_and_resent",
                        **self._keys(client),
                        "toewijzing_nummer": line.nummer,
                        "deleted_begindatum": line.wrong_begindatum.isoformat(),
                        "begindatum": line.begindatum.isoformat(),
                        "bericht_identificatie": sent.identificatie,
                    }
                )
                continue
            classes = [
                (self._delivery(x, x.begindatum), self._defect_of(x, ("late_305",))) for x in lines
            ]
            sent = self._send_deliveries(client, person, "305", sent_on, classes)
            for x in lines:
                self._record_unknown_code(client, x)
                if x.defect == "late_305":
                    self.truth.defect(
                        {
                            "type": "late_305",
                            **self._keys(client),
                            "toewijzing_nummer": x.nummer,
                            "product_code": x.product.code,
                            "begindatum": x.begindatum.isoformat(),
                            "bericht_identificatie": sent.identificatie,
                            "dagtekening": sent.dagtekening.isoformat(),
                        }
                    )

    def _write_stops(self, client: Client, person: Person) -> None:
        # A day's stops of one client travel together; the send dates were drawn so.
        for sent_on in sorted({x.stop_sent for x in client.lines if x.stop_sent is not None}):
            lines = [x for x in client.lines if x.stop_sent == sent_on]
            classes = [
                (
                    self._delivery(x, x.begindatum, stop=True),
                    self._defect_of(x, ("stop_before_start",)),
                )
                for x in lines
            ]
            sent = self._send_deliveries(client, person, "307", sent_on, classes)
            for x in lines:
                self._record_unknown_code(client, x)
                if x.defect == "stop_before_start":
                    assert x.reported_end is not None
                    self.truth.defect(
                        {
                            "type": "stop_before_start",
                            **self._keys(client),
                            "toewijzing_nummer": x.nummer,
                            "product_code": x.product.code,
                            "begindatum": x.begindatum.isoformat(),
                            "einddatum": x.reported_end.isoformat(),
                            "bericht_identificatie": sent.identificatie,
                        }
                    )

    def _plant_unissued(self, client: Client) -> None:
        """A 305 (and sometimes its 307) for a toewijzing the gemeente never issued: the
        aanbieder's registration mixed up a client of another gemeente."""
        started = [x for x in client.lines if x.start_sent is not None and x.defect is None]
        rate = self.rates["no_matching_toewijzing"] * client.aanbieder.defect_factor
        if not started or self.rng.random() >= rate:
            return
        line = started[0]
        standard = client.domain.standard
        # Someone else: a sibling at the same address, say.
        person = replace(
            self._person(client),
            geboortedatum=client.geboortedatum - timedelta(days=self.rng.randint(30, 900)),
            geslacht=self.rng.choice("12"),
        )
        self.without_toewijzing[client.domain.name] += 1
        phantom = Line(line.product, line.ingangsdatum, line.volume, [])
        phantom.nummer = self.next_unissued[standard.key]
        self.next_unissued[standard.key] += 1
        phantom.begindatum = line.begindatum
        assert line.start_sent is not None
        messages = [("305", line.start_sent, self._delivery(phantom, phantom.begindatum))]
        end = phantom.begindatum + timedelta(days=self.rng.randint(30, 200))
        stop_sent = working_days_after(end, self.rng.randint(0, 5))
        if self.rng.random() < 0.5 and stop_sent <= self.period.horizon:
            phantom.reden, phantom.reported_end = client.domain.reden_plan, end
            messages.append(
                ("307", stop_sent, self._delivery(phantom, phantom.begindatum, stop=True))
            )
        for number, sent_on, delivery in messages:
            sent = self._send_deliveries(
                client, person, number, sent_on, [(delivery, "no_matching_toewijzing")]
            )
            self.truth.defect(
                {
                    "type": "no_matching_toewijzing",
                    **self._keys(client),
                    "toewijzing_nummer": phantom.nummer,
                    "message_type": number,
                    "bericht_identificatie": sent.identificatie,
                    "begindatum": phantom.begindatum.isoformat(),
                    "einddatum": end.isoformat() if number == "307" else None,
                    "geboortejaar": person.geboortedatum.year,
                }
            )

    # --- declaraties -----------------------------------------------------------------------------

    def _declare(
        self, domain: Domain, first: date, active: list[tuple[Client, Line]]
    ) -> list[tuple[Client, Line]]:
        """Every aanbieder's 323 for the month starting ``first`` (and the gemeente's 325);
        returns the lines still in care after it."""
        last = month_end(first)
        in_years = first >= self.period.first_day
        sends: dict[str, date | None] = {}
        by_aanbieder: dict[str, dict[int, tuple[Client, list[_Prestatie]]]] = {}
        still: list[tuple[Client, Line]] = []
        done: list[tuple[Client, Line]] = []
        for client, line in active:
            agb = client.aanbieder.agb
            if agb not in sends:
                day = working_days_after(last, client.aanbieder.declaration_days)
                sends[agb] = day if in_years and day <= self.period.horizon else None
            written = sends[agb] is not None
            delivered = delivered_in_month(
                self.rng, line, first, last, self.period.horizon, plant=written
            )
            if line.end is None or line.end > last:
                still.append((client, line))
            else:
                done.append((client, line))
            if delivered is None:
                continue
            tarief = client.aanbieder.tarief(line.product, first.year)
            prestatie = Prestatie(
                referentie=f"{self.gemeente.code}{line.nummer}{first:%Y%m}",
                nummer=line.nummer,
                categorie=line.product.categorie,
                code=self._code_sent(line),
                begindatum=delivered.begindatum,
                einddatum=delivered.einddatum,
                volume=delivered.volume,
                eenheid=line.product.eenheid,
                tarief=tarief,
                bedrag=delivered.volume * tarief,
            )
            defect = delivered.defect or self._defect_of(line)
            if written and in_years and defect is None:
                prestatie = self.contracts.price(client, prestatie)
            if in_years and defect is None:
                key = (first.year, domain.name, line.product.categorie)
                self.spend[key] = self.spend.get(key, 0) + prestatie.bedrag
                own = (first.year, client.aanbieder.agb, line.product.categorie)
                self.spend_aanbieder[own] = self.spend_aanbieder.get(own, 0) + prestatie.bedrag
            if written:
                self.declared[id(line)].append(
                    [
                        prestatie.begindatum.isoformat(),
                        prestatie.einddatum.isoformat(),
                        prestatie.volume,
                        prestatie.bedrag,
                        prestatie.code,
                        defect,
                    ]
                )
                clients = by_aanbieder.setdefault(agb, {})
                clients.setdefault(client.number, (client, []))[1].append(
                    _Prestatie(line, prestatie, defect)
                )
        for agb, clients in by_aanbieder.items():
            dagtekening = sends[agb]
            assert dagtekening is not None
            batch = list(clients.values())
            for part in range(0, len(batch), CLIENTS_PER_DECLARATIE):
                nummer = f"{self.gemeente.code}{first:%Y%m}{part // CLIENTS_PER_DECLARATIE:02d}"
                self._write_declaratie(
                    nummer,
                    first,
                    last,
                    dagtekening,
                    batch[part : part + CLIENTS_PER_DECLARATIE],
                )
        for client, line in done:
            self._care(client, line)
        return still

    def _write_declaratie(
        self,
        nummer: str,
        first: date,
        last: date,
        dagtekening: date,
        batch: list[tuple[Client, list[_Prestatie]]],
    ) -> None:
        any_client = batch[0][0]
        m, b = self._prefixes(any_client, "323")
        factor = any_client.aanbieder.defect_factor
        blocks = [(client.bsn, prestaties) for client, prestaties in batch]
        # Per message, as for a 305: one client's BSN mistyped, on a block that is otherwise clean.
        if self.rng.random() < self.rates["invalid_bsn"] * factor:
            clean_blocks = [
                i for i, (_, ps) in enumerate(blocks) if all(p.defect is None for p in ps)
            ]
            if clean_blocks:
                i = self.rng.choice(clean_blocks)
                bsn, prestaties = blocks[i]
                blocks[i] = (
                    invalid_bsn(bsn),
                    [_Prestatie(p.line, p.prestatie, "invalid_bsn") for p in prestaties],
                )
        clean = all(p.defect is None for _, ps in blocks for p in ps)
        body = declaratie(
            m,
            b,
            nummer,
            first,
            last,
            dagtekening,
            [(bsn, [p.prestatie for p in ps]) for bsn, ps in blocks],
        )
        sent = self._send(any_client, "323", dagtekening, body, clean=clean)
        self.prestaties += sum(len(ps) for _, ps in blocks)
        rejected = []
        for (bsn, prestaties), (client, _) in zip(blocks, batch, strict=True):
            refused = [(p.prestatie, _REJECT_PRESTATIE[p.defect]) for p in prestaties if p.defect]
            if refused:
                rejected.append((bsn, refused))
            if bsn != client.bsn:
                self.truth.defect(
                    {
                        "type": "invalid_bsn",
                        **self._keys(client),
                        "message_type": "323",
                        "bericht_identificatie": sent.identificatie,
                        "declaratie_nummer": nummer,
                        "bsn": bsn,
                    }
                )
            for p in prestaties:
                self._record_prestatie(client, p, sent, nummer)
        antwoord_day = working_days_after(dagtekening, self.rng.randint(3, 10))
        if antwoord_day <= self.period.horizon:
            ingediend = sum(p.prestatie.bedrag for _, ps in blocks for p in ps)
            m325, _ = self._prefixes(any_client, "325")
            self.inbox.answer(
                sent, antwoord_day, declaratie_antwoord(m325, b, nummer, ingediend, rejected)
            )

    def _record_prestatie(self, client: Client, p: _Prestatie, sent: Sent, nummer: str) -> None:
        self.contracts.prestatie_sent(client, p.prestatie, sent.identificatie, nummer)
        if p.defect == "unknown_product_code":
            self._record_unknown_code(client, p.line)
        elif p.defect is not None and p.defect != "invalid_bsn":
            self.truth.defect(
                {
                    "type": p.defect,
                    **self._keys(client),
                    "message_type": "323",
                    "bericht_identificatie": sent.identificatie,
                    "declaratie_nummer": nummer,
                    "toewijzing_nummer": p.line.nummer,
                    "product_code": p.prestatie.code,
                    "referentie_nummer": p.prestatie.referentie,
                    "begindatum": p.prestatie.begindatum.isoformat(),
                    "einddatum": p.prestatie.einddatum.isoformat(),
                    "geleverd_volume": p.prestatie.volume,
                    "eenheid": p.prestatie.eenheid,
                }
            )


def _postcodes(path: Path, gemeenten: list[Gemeente]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("postcode", "buurt_code"))
        writer.writerows((b.postcode, b.code) for g in gemeenten for b in g.buurten)


def _rates(defect_rate: float, defect_rates: dict[str, float] | None) -> dict[str, float]:
    rates = dict.fromkeys(DEFECT_TYPES, defect_rate)
    unknown = sorted(set(defect_rates or {}) - set(DEFECT_TYPES))
    if unknown:
        raise ValueError(f"unknown defect types {unknown}; known: {', '.join(DEFECT_TYPES)}")
    rates.update(defect_rates or {})
    for kind, rate in rates.items():
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"defect rate for {kind} must lie in [0, 1], got {rate}")
    return rates


def write_demo(
    out_dir: Path,
    *,
    seed: int = 42,
    inwoners: int = 20_000,
    gemeenten: int = 1,
    gemeente_code: str = DEFAULT_GEMEENTE_CODE,
    years: tuple[int, int] = (2024, 2025),
    defect_rate: float = DEFAULT_DEFECT_RATE,
    defect_rates: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Write the demo to ``out_dir``; returns the ground truth without its long lists."""
    if len(gemeente_code) != 4 or not gemeente_code.isdigit():
        raise ValueError(f"gemeente_code must be 4 digits, got {gemeente_code!r}")
    first_year, last_year = years
    if first_year > last_year:
        raise ValueError(f"years must be (first, last), got {years!r}")
    if not 1 <= gemeenten <= MAX_GEMEENTEN:
        raise ValueError(f"gemeenten must lie in 1..{MAX_GEMEENTEN}, got {gemeenten}")
    rates = _rates(defect_rate, defect_rates)
    rng = random.Random(seed)
    period = Period(
        lead_in_start=date(first_year - LEAD_IN_YEARS, 1, 1),
        first_day=date(first_year, 1, 1),
        horizon=date(last_year, 12, 31),
    )
    year_range = range(first_year, last_year + 1)
    cap = bsn_capacity(len(year_range))
    if gemeenten == 1 and inwoners > cap:
        raise ValueError(
            f"one gemeente holds at most {cap} inwoners in {len(year_range)} years (its clients "
            "must fit the test-BSN range): use --gemeenten to spread them"
        )
    world = build_gemeenten(rng, inwoners, gemeenten, gemeente_code, cap)
    out_dir = Path(out_dir)
    for part in ("inbox", "cbs", "budget", "doelen"):
        folder = out_dir / part
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            # Left-over files of another seed would silently mix into the ground truth.
            raise FileExistsError(f"{folder} is not empty")
    truth = GroundTruth(out_dir)
    inbox = Inbox(out_dir / "inbox", truth, rng)
    inbox.malformed_rate = rates["malformed_xml"]
    inbox.retransmission_rate = rates["retransmission"]
    inbox.conflict_rate = rates["conflicting_retransmission"]
    # A stream of its own, so planting conflicts leaves every other file as it was.
    inbox.conflict_rng = random.Random(f"{seed}/conflicting_retransmission")
    cbs = CbsExtracts(out_dir / "cbs", year_range)
    summaries = []
    totals: dict[str, Any] = {
        "clients": {d.name: 0 for d in DOMAINS},
        "persons_without_toewijzing": {d.name: 0 for d in DOMAINS},
        "product_lines": 0,
        "prestaties": 0,
    }
    taken: set[str] = set()
    try:
        for gemeente in world:
            plant_rng = random.Random(f"{seed}/{gemeente.code}/unknown_gemeente_code")
            contracts = ContractDefects(
                random.Random(f"{seed}/{gemeente.code}/contract"),
                gemeente,
                year_range,
                rates,
                truth,
            )
            run = _GemeenteRun(
                rng, gemeente, period, inbox, truth, rates, plant_rng, taken, contracts
            )
            run.run()
            taken.update(set(valid_test_bsns()).difference(run.bsns))
            cbs.add_gemeente(gemeente, run.tally)
            write_budget(rng, out_dir / "budget", gemeente, year_range, run.spend)
            contracts.remove_from_catalogue(out_dir / "budget" / f"{gemeente.code}_inkoop.csv")
            write_omzetplafonds(out_dir / "budget", gemeente, year_range, run.spend_aanbieder)
            for name in totals["clients"]:
                totals["clients"][name] += run.clients[name]
                totals["persons_without_toewijzing"][name] += run.without_toewijzing[name]
            totals["product_lines"] += run.product_lines
            totals["prestaties"] += run.prestaties
            summaries.append({**_describe(gemeente), **describe_inkoop(gemeente, period.first_day)})
    finally:
        cbs.close()
    _postcodes(out_dir / "postcode_buurt.csv", world)
    codes = [gemeente.code for gemeente in world]
    doelen = write_doelen(
        out_dir / "doelen", seed, codes, year_range, truth.care_so_far(), period.horizon
    )
    write_uitkomsten(out_dir / "doelen", seed, truth.care_so_far(), doelen)

    meta = {
        "seed": seed,
        "inwoners": inwoners,
        "years": [first_year, last_year],
        "defect_rates": rates,
        "bsn_scope": (
            "A BSN is one person: gemeenten of one demo draw their clients from the 9,091 "
            "test BSNs without sharing any while the range suffices; beyond it (large "
            "benchmark demos) later gemeenten reuse BSNs earlier ones gave out."
        ),
        "gemeenten": summaries,
        "doelen": doelen,
        "counts": {
            "files": inbox.files,
            "messages_by_type": inbox.messages_by_type,
            **totals,
            "defects": truth.defect_counts,
            "complications": truth.complication_counts,
        },
    }
    truth.finish(meta)
    return meta


def _describe(gemeente: Gemeente) -> dict[str, Any]:
    def aanbieders(domain: Domain) -> list[dict[str, str]]:
        return [{"agb": a.agb, "name": a.name} for a in gemeente.aanbieders[domain.name].items]

    return {
        "gemeente_code": gemeente.code,
        "naam": gemeente.naam,
        "inwoners": gemeente.inwoners,
        "jongeren_tot_18": gemeente.population(("0-14", "15-17")),
        "wijken": len(gemeente.wijk_codes()),
        "buurten": len(gemeente.buurten),
        "budget_per": gemeente.budget_per,
        "aanbieders": {d.name: aanbieders(d) for d in DOMAINS},
    }


def generate(
    out_dir: Path,
    *,
    seed: int = 42,
    inwoners: int = 20_000,
    gemeenten: int = 1,
    gemeente_code: str = DEFAULT_GEMEENTE_CODE,
    years: tuple[int, int] = (2024, 2025),
    defect_rate: float = DEFAULT_DEFECT_RATE,
    defect_rates: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Write the demo to ``out_dir`` and return the whole ground truth.

    The same arguments always give byte-identical files: all randomness comes from one
    ``random.Random(seed)`` and nothing reads the clock. For national volumes use
    ``write_demo``, which does not read the (large) ground truth back.
    """
    write_demo(
        out_dir,
        seed=seed,
        inwoners=inwoners,
        gemeenten=gemeenten,
        gemeente_code=gemeente_code,
        years=years,
        defect_rate=defect_rate,
        defect_rates=defect_rates,
    )
    with open(Path(out_dir) / "ground_truth.json", encoding="utf-8") as f:
        return json.load(f)
