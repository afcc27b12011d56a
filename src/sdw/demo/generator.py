"""A deterministic demo inbox: iWmo 3.2 and iJw 3.2 messages of one fake gemeente.

The simulation follows clients through toewijzing (301), start (305) and stop (307) and writes
every message as its own XML file, the way a gemeente's inbox holds them. What it plants on
purpose is written to ``ground_truth.json`` so tests and demos can check the warehouse against
known answers.

Everything personal in the files is fake but present (test BSNs, "Demo" surnames, addresses,
``example.invalid`` mail addresses): privacy tests scan the warehouse for exactly these values.

The inbox holds the full history of every client whose care touches ``years``, so a client who
was already in care on the first day of the first year brings the 301/305 from before it. That
makes the first year's client count a steady state rather than a ramp-up.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")

DEFAULT_GEMEENTE_CODE = "0999"

# How far before the first year clients are simulated, so that long Wmo care is already
# running on 1 January of the first year.
LEAD_IN_YEARS = 3

FIRST_TOEWIJZING_NUMMER = 100_001

# RvIG test numbers; the same range sdw.pseudonym accepts without a key of one's own.
TEST_BSN_FIRST = 999_900_000
TEST_BSN_LAST = 999_999_999

# Youth under 18 as a share of inwoners: the population base of the jeugd rate.
YOUTH_SHARE = 0.20

ONE_DAY = timedelta(days=1)


class PostcodeArea(NamedTuple):
    postcode: str  # the 4 digits; the letters are drawn per address
    wijk_code: str
    buurt_code: str
    share: float  # of the gemeente's inwoners
    straatnaam: str


# The fake gemeente 0999 "Demostad": eight postcode areas, one buurt each. The wijk and buurt
# codes assume DEFAULT_GEMEENTE_CODE; messages carry only the postcode.
POSTCODE_AREAS: tuple[PostcodeArea, ...] = (
    PostcodeArea("9991", "WK099901", "BU09990101", 0.18, "Teststraat"),
    PostcodeArea("9992", "WK099901", "BU09990102", 0.12, "Demolaan"),
    PostcodeArea("9993", "WK099902", "BU09990201", 0.15, "Proefweg"),
    PostcodeArea("9994", "WK099902", "BU09990202", 0.10, "Voorbeeldplein"),
    PostcodeArea("9995", "WK099903", "BU09990301", 0.14, "Nepstraat"),
    PostcodeArea("9996", "WK099903", "BU09990302", 0.09, "Fictielaan"),
    PostcodeArea("9997", "WK099904", "BU09990401", 0.12, "Oefenweg"),
    PostcodeArea("9998", "WK099904", "BU09990402", 0.10, "Schijnkade"),
)
PLAATSNAAM = "Demostad"

# S is left out so no postcode ends in SA, SD or SS, which PostNL does not issue.
_POSTCODE_LETTERS = "ABCDEFGHJKLMNPRTVWXZ"


class Weighted(Generic[T]):
    """A fixed discrete distribution; cumulative weights are summed once, not per draw."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = tuple(item for item, _ in pairs)
        self.cum_weights = tuple(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]


# --- the two standards: one code path, a difference is data --------------------------------


@dataclass(frozen=True)
class Standard:
    key: str  # "iwmo" | "ijw", as in the namespace
    type_prefix: str  # message type names: WMO301, JW301
    element_prefix: str  # message element prefix: wmo301, jw301
    bericht_codes: dict[str, str]  # COD002-VEKT per message number
    # BasisschemaXsdVersie and BerichtXsdVersie as the published XSDs' appinfo states them;
    # the shared iJw 3.2 XSDs are concept version 0.1.0.
    xsd_versie: tuple[str, str]

    def message_type(self, number: str) -> str:
        return f"{self.type_prefix}{number}"

    def namespace(self, part: str) -> str:
        return f"http://www.istandaarden.nl/{self.key}/3_2/{part}/schema"


IWMO = Standard(
    key="iwmo",
    type_prefix="WMO",
    element_prefix="wmo",
    bericht_codes={"301": "414", "305": "418", "307": "420"},
    xsd_versie=("1.0.0", "1.0.0"),
)
IJW = Standard(
    key="ijw",
    type_prefix="JW",
    element_prefix="jw",
    bericht_codes={"301": "436", "305": "438", "307": "440"},
    xsd_versie=("0.1.0", "0.1.0"),
)
STANDARDS = (IWMO, IJW)
MESSAGE_NUMBERS = ("301", "305", "307")

# Heen-messages only: the gemeente sends toewijzingen, the aanbieder starts and stops.
_FROM_GEMEENTE = {"301": True, "305": False, "307": False}


# --- the two domains' care: products, aanbieders, clients, outcomes ---------------------------


@dataclass(frozen=True)
class Product:
    categorie: str  # WMO020 / JZ020
    code: str  # regional product code, at most 5 characters
    eenheid: str  # WJ756
    frequentie: str  # WMO757
    volume: tuple[int, int]
    months: tuple[int, ...]  # toewijzing lengths to choose from
    max_wachttijd: int = 90  # days; crisis care starts at once


@dataclass(frozen=True)
class Aanbieder:
    agb: str
    name: str  # never in a message; for people reading demo output
    packages: Weighted[tuple[Product, ...]]


@dataclass(frozen=True)
class Domain:
    name: str  # "wmo" | "jeugd", the key in ground_truth counts
    standard: Standard
    population_share: float  # of inwoners that the rate below applies to
    instroom_per_year: float  # new clients per person of that population per year
    aanbieders: Weighted[Aanbieder]
    ages: Weighted[tuple[int, int]]  # age band at Ingangsdatum, inclusive
    female_share: float
    open_ended_share: float  # toewijzingen without Einddatum
    open_mean_days: float  # mean delivery length when the toewijzing has no Einddatum
    reden_plan: str  # RedenBeeindiging for "volgens plan"
    plan_on_einddatum: float  # P(a planned end is the toewijzing's Einddatum itself)
    early_share: float
    reden_early: Weighted[str]
    # Client-level events that end every product at once, by minimum age (ascending).
    exits: tuple[tuple[int, Weighted[str | None]], ...]
    exit_days: tuple[int, int]  # after the (last) Begindatum
    verlenging_months: tuple[int, ...]
    # RedenWijziging of the 301 that shortens a toewijzing after a stop, by RedenBeeindiging.
    wijziging_after_stop: dict[str, str]
    wijziging_default: str

    def exit_for(self, age: int) -> Weighted[str | None]:
        chosen = self.exits[0][1]
        for min_age, exits in self.exits:
            if age >= min_age:
                chosen = exits
        return chosen


# Probability that a toewijzing line gets a newer 301 version when one makes sense; lines
# where none does dilute it to about 10% of all lines.
VERSION_RATE = 0.13

_HH_RESULTAAT = Product("01", "01A01", "82", "4", (1, 1), (12, 24, 36, 36))
_HH_UREN = Product("01", "01A02", "04", "2", (2, 4), (12, 24, 36))
_BEGELEIDING = Product("02", "02A01", "04", "2", (1, 6), (6, 12, 12, 24))
_PERSOONLIJKE_VERZORGING = Product("03", "03A01", "04", "2", (1, 7), (6, 12, 12))
_KORTDUREND_VERBLIJF = Product("04", "04A01", "14", "6", (7, 42), (3, 6, 12))
_OVERIGE_ONDERSTEUNING = Product("06", "06A01", "01", "2", (30, 180), (6, 12))
_DAGBESTEDING = Product("07", "07A01", "16", "2", (1, 8), (12, 12, 24))
_VERVOER = Product("08", "08A01", "82", "6", (50, 400), (12, 24, 36))
_MAATWERK = Product("10", "10A01", "84", "4", (1, 4), (6, 12))

WMO = Domain(
    name="wmo",
    standard=IWMO,
    population_share=1.0,
    # Tuned so about 68 per 1,000 inwoners are in care per year (CBS 86050NED 2024*: 65-72).
    instroom_per_year=0.0281,
    aanbieders=Weighted(
        [
            (
                Aanbieder(
                    "98990101",
                    "Demo Thuiszorg",
                    Weighted(
                        [
                            ((_HH_RESULTAAT,), 0.55),
                            ((_HH_UREN,), 0.15),
                            ((_HH_RESULTAAT, _PERSOONLIJKE_VERZORGING), 0.15),
                            ((_PERSOONLIJKE_VERZORGING,), 0.15),
                        ]
                    ),
                ),
                0.45,
            ),
            (
                Aanbieder(
                    "98990102",
                    "Demo Begeleiding",
                    Weighted(
                        [
                            ((_BEGELEIDING,), 0.50),
                            ((_BEGELEIDING, _DAGBESTEDING), 0.25),
                            ((_DAGBESTEDING,), 0.15),
                            ((_OVERIGE_ONDERSTEUNING,), 0.10),
                        ]
                    ),
                ),
                0.25,
            ),
            (
                Aanbieder(
                    "98990103",
                    "Demo Vervoer en Welzijn",
                    Weighted(
                        [
                            ((_VERVOER,), 0.60),
                            ((_DAGBESTEDING, _VERVOER), 0.25),
                            ((_MAATWERK,), 0.15),
                        ]
                    ),
                ),
                0.18,
            ),
            (
                Aanbieder(
                    "98990104",
                    "Demo Zorgcentrum",
                    Weighted(
                        [
                            ((_KORTDUREND_VERBLIJF,), 0.40),
                            ((_PERSOONLIJKE_VERZORGING,), 0.30),
                            ((_KORTDUREND_VERBLIJF, _DAGBESTEDING), 0.30),
                        ]
                    ),
                ),
                0.12,
            ),
        ]
    ),
    ages=Weighted([((18, 64), 0.22), ((65, 74), 0.18), ((75, 84), 0.32), ((85, 99), 0.28)]),
    female_share=0.62,
    open_ended_share=0.15,
    open_mean_days=600,
    reden_plan="19",
    plan_on_einddatum=1.0,
    early_share=0.25,
    reden_early=Weighted([("21", 0.30), ("22", 0.25), ("23", 0.45)]),
    exits=(
        (0, Weighted([(None, 0.92), ("02", 0.02), ("31", 0.04), ("39", 0.02)])),
        (65, Weighted([(None, 0.78), ("02", 0.10), ("39", 0.08), ("31", 0.04)])),
        (85, Weighted([(None, 0.55), ("02", 0.27), ("39", 0.15), ("31", 0.03)])),
    ),
    exit_days=(30, 1100),
    verlenging_months=(12, 24),
    wijziging_after_stop={"02": "02", "31": "07", "38": "09", "39": "06"},
    wijziging_default="05",
)

_AMBULANT_UREN = Product("45", "45A01", "04", "2", (1, 3), (3, 6, 6, 12))
_AMBULANT_TOTAAL = Product("45", "45A02", "01", "6", (300, 2400), (6, 12))
_JEUGD_GGZ = Product("54", "54A01", "01", "6", (600, 3000), (6, 12, 12))
_DAGBEHANDELING = Product("41", "41A01", "16", "2", (2, 8), (6, 12))
_VERBLIJF_BEHANDELING = Product("43", "43A01", "14", "2", (7, 7), (6, 12, 12))
_VERBLIJF_ZONDER = Product("44", "44A01", "14", "2", (7, 7), (12,))
_CRISIS = Product("46", "46A01", "14", "6", (7, 28), (1,), max_wachttijd=1)
_JEUGD_VERZORGING = Product("40", "40A01", "04", "2", (1, 4), (6, 12))
_JEUGD_VERVOER = Product("42", "42A01", "82", "2", (2, 10), (12,))
_JEUGD_MAATWERK = Product("50", "50A01", "84", "4", (1, 4), (6, 12))

JEUGD = Domain(
    name="jeugd",
    standard=IJW,
    population_share=YOUTH_SHARE,
    # Tuned so about 13% of youth under 18 get jeugdhulp per year (CBS 85098NED 2023: 13.9%).
    instroom_per_year=0.0856,
    aanbieders=Weighted(
        [
            (
                Aanbieder(
                    "98990201",
                    "Demo Jeugdhulp Ambulant",
                    Weighted(
                        [
                            ((_AMBULANT_UREN,), 0.55),
                            ((_AMBULANT_TOTAAL,), 0.25),
                            ((_AMBULANT_UREN, _JEUGD_MAATWERK), 0.20),
                        ]
                    ),
                ),
                0.45,
            ),
            (
                Aanbieder(
                    "98990202",
                    "Demo Jeugd-ggz",
                    Weighted(
                        [
                            ((_JEUGD_GGZ,), 0.70),
                            ((_JEUGD_GGZ, _AMBULANT_UREN), 0.20),
                            ((_DAGBEHANDELING,), 0.10),
                        ]
                    ),
                ),
                0.30,
            ),
            (
                Aanbieder(
                    "98990203",
                    "Demo Jeugd Verblijf",
                    Weighted(
                        [
                            ((_VERBLIJF_BEHANDELING,), 0.40),
                            ((_VERBLIJF_ZONDER,), 0.25),
                            ((_CRISIS,), 0.20),
                            ((_VERBLIJF_BEHANDELING, _JEUGD_VERZORGING), 0.15),
                        ]
                    ),
                ),
                0.12,
            ),
            (
                Aanbieder(
                    "98990204",
                    "Demo Dagbehandeling",
                    Weighted(
                        [
                            ((_DAGBEHANDELING,), 0.60),
                            ((_DAGBEHANDELING, _JEUGD_VERVOER), 0.30),
                            ((_JEUGD_VERZORGING,), 0.10),
                        ]
                    ),
                ),
                0.13,
            ),
        ]
    ),
    ages=Weighted([((0, 3), 0.08), ((4, 11), 0.42), ((12, 17), 0.50)]),
    female_share=0.45,
    open_ended_share=0.0,
    open_mean_days=0,
    reden_plan="31",
    plan_on_einddatum=0.5,
    early_share=0.35,
    reden_early=Weighted([("32", 0.30), ("33", 0.15), ("34", 0.40), ("35", 0.15)]),
    exits=((0, Weighted([(None, 0.90), ("38", 0.04), ("39", 0.02), ("35", 0.04)])),),
    exit_days=(14, 365),
    verlenging_months=(3, 6),
    wijziging_after_stop={"02": "02", "35": "07", "38": "09", "39": "06"},
    wijziging_default="05",
)
DOMAINS = (WMO, JEUGD)


# --- dates ------------------------------------------------------------------------------------


def _next_working_day(day: date) -> date:
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def _working_days_after(day: date, n: int) -> date:
    day = _next_working_day(day)
    for _ in range(n):
        day = _next_working_day(day + ONE_DAY)
    return day


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # 31 January + 1 month lands on the last day of February, not in March.
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


# --- the simulated world ----------------------------------------------------------------------


@dataclass
class Version:
    """One state of a toewijzing line as a 301 states it."""

    toewijzingsdatum: date
    toewijzingstijd: str
    einddatum: date | None
    reden_wijziging: str | None = None

    @property
    def moment(self) -> tuple[date, str]:
        return self.toewijzingsdatum, self.toewijzingstijd


@dataclass
class Line:
    """One ToegewezenProduct and what the aanbieder did with it."""

    product: Product
    ingangsdatum: date
    volume: int
    versions: list[Version]  # [0] is the initial grant
    begindatum: date = date.min
    start_sent: date | None = None  # None: the 305 leaves after the horizon
    end: date | None = None  # last day of delivery, None while still running
    reden: str | None = None
    stop_sent: date | None = None  # None: no 307 by the horizon
    reported_end: date | None = None  # the 307's Einddatum: differs from end only when planted
    nummer: int = 0  # ToewijzingNummer, issued when the client is written

    @property
    def planted_stop_before_start(self) -> bool:
        return self.reported_end is not None and self.reported_end < self.begindatum

    def version_at(self, moment: tuple[date, str]) -> Version:
        return max((v for v in self.versions if v.moment <= moment), key=lambda v: v.moment)


@dataclass
class Client:
    domain: Domain
    aanbieder: Aanbieder
    geboortedatum: date
    geslacht: str
    area: PostcodeArea
    postcode: str
    huisnummer: int
    lines: list[Line]
    sent_301: date
    bsn: str = ""
    number: int = 0  # makes the fake name, mail address and phone number unique

    def message_dates(self) -> Iterator[date]:
        yield self.sent_301
        for line in self.lines:
            yield from (v.toewijzingsdatum for v in line.versions[1:])
            if line.start_sent is not None:
                yield line.start_sent
            if line.stop_sent is not None:
                yield line.stop_sent


@dataclass(frozen=True)
class Period:
    lead_in_start: date
    first_day: date  # 1 January of the first year
    horizon: date  # 31 December of the last year: nothing is sent after it


def _draw_wachttijd(rng: random.Random, product: Product) -> int:
    # Mostly within a month, with a tail to three months (the Treeknorm-like pattern).
    days = int(rng.triangular(0, 30, 2)) if rng.random() < 0.85 else rng.randint(31, 90)
    return min(days, product.max_wachttijd)


def _simulate_client(
    rng: random.Random, domain: Domain, granted: date, period: Period, defect_rate: float
) -> Client:
    aanbieder = domain.aanbieders.draw(rng)
    package = aanbieder.packages.draw(rng)
    age_low, age_high = domain.ages.draw(rng)
    ingangsdatum = granted + timedelta(days=0 if rng.random() < 0.4 else rng.randint(1, 14))
    age_days = rng.randint(max(30, int(age_low * 365.25)), int((age_high + 1) * 365.25) - 1)
    tijd = _clock(rng)
    area = rng.choices(POSTCODE_AREAS, weights=[a.share for a in POSTCODE_AREAS])[0]
    client = Client(
        domain=domain,
        aanbieder=aanbieder,
        geboortedatum=ingangsdatum - timedelta(days=age_days),
        geslacht="2" if rng.random() < domain.female_share else "1",
        area=area,
        postcode=area.postcode + "".join(rng.choices(_POSTCODE_LETTERS, k=2)),
        huisnummer=rng.randint(1, 199),
        lines=[],
        sent_301=granted,
    )
    next_day = _working_days_after(granted, 1)
    # Most gemeenten send the same day; some batch overnight, but never past the horizon.
    if rng.random() >= 0.7 and next_day <= period.horizon:
        client.sent_301 = next_day
    for product in package:
        if rng.random() < domain.open_ended_share:
            einddatum = None
        else:
            einddatum = _add_months(ingangsdatum, rng.choice(product.months)) - ONE_DAY
        line = Line(
            product=product,
            ingangsdatum=ingangsdatum,
            volume=rng.randint(*product.volume),
            versions=[Version(granted, tijd, einddatum)],
        )
        client.lines.append(line)

    _simulate_starts(rng, client, period)
    exit_reden = domain.exit_for(age_days // 365).draw(rng)
    exit_day = max(line.begindatum for line in client.lines) + timedelta(
        days=rng.randint(*domain.exit_days)
    )
    for line in client.lines:
        _simulate_end(rng, domain, line, exit_reden, exit_day)
    _simulate_stops(rng, client, period, defect_rate)
    return client


def _simulate_starts(rng: random.Random, client: Client, period: Period) -> None:
    sent_by_begindatum: dict[date, date] = {}
    for i, line in enumerate(client.lines):
        einddatum = line.versions[0].einddatum
        # Leave at least a week of care inside the toewijzing.
        latest = date.max if einddatum is None else max(line.ingangsdatum, einddatum - 7 * ONE_DAY)
        shared = client.lines[0].begindatum
        if i > 0 and rng.random() < 0.6 and shared <= latest:
            line.begindatum = shared
        else:
            wachttijd = timedelta(days=_draw_wachttijd(rng, line.product))
            line.begindatum = min(line.ingangsdatum + wachttijd, latest)
        # Products that start on the same day travel in one 305.
        if line.begindatum not in sent_by_begindatum:
            sent_by_begindatum[line.begindatum] = _working_days_after(
                line.begindatum, rng.randint(0, 5)
            )
        sent = sent_by_begindatum[line.begindatum]
        line.start_sent = sent if sent <= period.horizon else None


def _simulate_end(
    rng: random.Random, domain: Domain, line: Line, exit_reden: str | None, exit_day: date
) -> None:
    first = line.versions[0]
    einddatum = first.einddatum
    if einddatum is None:
        end = line.begindatum + timedelta(days=int(rng.expovariate(1 / domain.open_mean_days)))
        early = rng.random() < domain.early_share
        reden = domain.reden_early.draw(rng) if early else domain.reden_plan
    elif rng.random() < domain.early_share:
        span = max(1, (einddatum - line.begindatum).days - 1)
        end = line.begindatum + timedelta(days=rng.randint(1, span))
        reden = domain.reden_early.draw(rng)
    else:
        reden = domain.reden_plan
        span = (einddatum - line.begindatum).days
        if rng.random() < domain.plan_on_einddatum:
            end = einddatum
        else:
            end = line.begindatum + timedelta(days=rng.randint(span // 2, span))
        if end == einddatum and rng.random() < VERSION_RATE:
            # Herbeoordeling: the gemeente extends a few weeks before the old Einddatum.
            issued = max(
                first.toewijzingsdatum + ONE_DAY, einddatum - timedelta(rng.randint(10, 40))
            )
            issued = _next_working_day(issued)
            if issued <= einddatum:
                end = _add_months(einddatum + ONE_DAY, rng.choice(domain.verlenging_months))
                end -= ONE_DAY
                line.versions.append(Version(issued, _clock(rng), end, "04"))
    if exit_reden is not None and exit_day < end:
        end, reden = exit_day, exit_reden
        # Nobody extends the toewijzing of a client who has already left.
        line.versions = [v for v in line.versions if v.toewijzingsdatum <= exit_day]
    line.end, line.reden = end, reden


def _simulate_stops(rng: random.Random, client: Client, period: Period, defect_rate: float) -> None:
    domain = client.domain
    sent_by_end: dict[date, date] = {}
    for line in client.lines:
        assert line.end is not None
        # A verlenging decided after the horizon has not been sent yet.
        line.versions = [v for v in line.versions if v.toewijzingsdatum <= period.horizon]
        if line.end not in sent_by_end:
            sent_by_end[line.end] = _working_days_after(line.end, rng.randint(0, 5))
        if line.start_sent is None or line.end > period.horizon:
            line.end = line.reden = None
            continue
        # A stop is never reported before its start.
        sent = max(sent_by_end[line.end], line.start_sent)
        if sent > period.horizon:
            line.end = line.reden = None
            continue
        line.stop_sent = sent
        line.reported_end = line.end
        if rng.random() < defect_rate:
            line.reported_end = line.begindatum - timedelta(days=rng.randint(1, 45))
            continue
        current = line.versions[-1]
        shortened = current.einddatum is None or line.end < current.einddatum
        if len(line.versions) == 1 and shortened and rng.random() < VERSION_RATE:
            issued = _working_days_after(sent, rng.randint(1, 10))
            if issued <= period.horizon:
                reden = domain.wijziging_after_stop.get(line.reden or "", domain.wijziging_default)
                line.versions.append(Version(issued, _clock(rng), line.end, reden))


def _in_scope(client: Client, period: Period) -> bool:
    # Care still running at the horizon, or any message on or after the first day.
    if any(line.stop_sent is None for line in client.lines):
        return True
    return max(client.message_dates()) >= period.first_day


def _arrivals(rng: random.Random, domain: Domain, inwoners: int, period: Period) -> Iterator[date]:
    """Toewijzingsdatums of new clients, on working days, in date order.

    The weekly count is the running expectation rounded, not a Poisson draw, so the client
    rates in a small test gemeente stay close to their targets.
    """
    per_week = domain.instroom_per_year * domain.population_share * inwoners * 7 / 365.25
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


# --- XML ----------------------------------------------------------------------------------------

# A node is (namespace, name, value): namespace "m" is the message's own, "b" the basisschema's;
# value is text, a list of child nodes, or None for an optional element left out.
Node = tuple[str, str, Any]


def _m(name: str, value: Any) -> Node:
    return ("m", name, value)


def _b(name: str, value: Any) -> Node:
    return ("b", name, value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _render(nodes: Sequence[Node], prefixes: dict[str, str], depth: int, out: list[str]) -> None:
    indent = "\t" * depth
    for ns, name, value in nodes:
        if value is None:
            continue
        tag = f"{prefixes[ns]}:{name}"
        if isinstance(value, list):
            out.append(f"{indent}<{tag}>\n")
            _render(value, prefixes, depth + 1, out)
            out.append(f"{indent}</{tag}>\n")
        else:
            out.append(f"{indent}<{tag}>{_escape(str(value))}</{tag}>\n")


def _header(
    standard: Standard,
    number: str,
    afzender: str,
    ontvanger: str,
    identificatie: str,
    dagtekening: date,
) -> list[Node]:
    basisschema_versie, bericht_versie = standard.xsd_versie
    return [
        _m("BerichtCode", standard.bericht_codes[number]),
        _m("BerichtVersie", "3"),
        _m("BerichtSubversie", "2"),
        _m("Afzender", afzender),
        _m("Ontvanger", ontvanger),
        _m(
            "BerichtIdentificatie",
            [_b("Identificatie", identificatie), _b("Dagtekening", dagtekening.isoformat())],
        ),
        _m(
            "XsdVersie",
            [
                _b("BasisschemaXsdVersie", basisschema_versie),
                _b("BerichtXsdVersie", bericht_versie),
            ],
        ),
    ]


def _client_identity(client: Client, *, full_name: bool) -> list[Node]:
    """Bsn to Naam: 301 uses CDT_VolledigeNaam, 305/307 CDT_VerkorteNaam."""
    naam = [
        _b("Geslachtsnaam", [_b("Achternaam", f"Demo{client.number}")]),
        _b("Voornamen", "Test"),
        _b("Voorletters", "T"),
    ]
    if full_name:
        naam.append(_b("NaamGebruik", "1"))
    return [
        _m("Bsn", client.bsn),
        _m("Geboortedatum", [_b("Datum", client.geboortedatum.isoformat())]),
        _m("Geslacht", client.geslacht),
        _m("Naam", naam),
    ]


def _contact(client: Client) -> Node:
    return _m(
        "Contact",
        [
            _m("Soort", "01"),  # BRP-adres
            _m(
                "Adres",
                [
                    _b("Huis", [_b("Huisnummer", client.huisnummer)]),
                    _b("Postcode", client.postcode),
                    _b("Straatnaam", client.area.straatnaam),
                    _b("Plaatsnaam", PLAATSNAAM),
                    _b("LandCode", "NL"),
                ],
            ),
            # The 0000 area code does not exist, so the number cannot reach anyone.
            _m(
                "Telefoon",
                [
                    _b(
                        "Telefoon01",
                        [
                            _b("Telefoonnummer", f"0000{client.number:06d}"),
                            _b("Landnummer", "0031"),
                        ],
                    )
                ],
            ),
            _m("Emailadres", f"test{client.number:03d}@example.invalid"),
        ],
    )


def _product(product: Product) -> Node:
    return _m("Product", [_b("Categorie", product.categorie), _b("Code", product.code)])


def _toewijzing_301(client: Client, lines: Sequence[tuple[Line, Version]]) -> list[Node]:
    return [
        *_client_identity(client, full_name=True),
        _m("Contactgegevens", [_contact(client)]),
        _m(
            "ToegewezenProducten",
            [
                _m(
                    "ToegewezenProduct",
                    [
                        _m("ToewijzingNummer", line.nummer),
                        _product(line.product),
                        _m("Toewijzingsdatum", version.toewijzingsdatum.isoformat()),
                        _m("Toewijzingstijd", version.toewijzingstijd),
                        _m("Ingangsdatum", line.ingangsdatum.isoformat()),
                        _m("Einddatum", version.einddatum and version.einddatum.isoformat()),
                        _m("RedenWijziging", version.reden_wijziging),
                        _m(
                            "Omvang",
                            [
                                _b("Volume", line.volume),
                                _b("Eenheid", line.product.eenheid),
                                _b("Frequentie", line.product.frequentie),
                            ],
                        ),
                    ],
                )
                for line, version in lines
            ],
        ),
    ]


def _delivered_product(line: Line, *, stop: bool) -> list[Node]:
    """StartProduct (305) or StopProduct (307): the stop adds RedenBeeindiging and Einddatum."""
    nodes = [
        _m("ToewijzingNummer", line.nummer),
        _product(line.product),
        _m("ToewijzingIngangsdatum", line.ingangsdatum.isoformat()),
        _m("Begindatum", line.begindatum.isoformat()),
    ]
    if stop:
        assert line.reported_end is not None
        nodes += [
            _m("RedenBeeindiging", line.reden),
            _m("Einddatum", line.reported_end.isoformat()),
        ]
    nodes.append(_m("StatusAanlevering", "1"))  # eerste aanlevering
    return nodes


def _start_305(client: Client, lines: Sequence[Line]) -> list[Node]:
    return [
        *_client_identity(client, full_name=False),
        _m(
            "StartProducten", [_m("StartProduct", _delivered_product(x, stop=False)) for x in lines]
        ),
    ]


def _stop_307(client: Client, lines: Sequence[Line]) -> list[Node]:
    return [
        *_client_identity(client, full_name=False),
        _m("StopProducten", [_m("StopProduct", _delivered_product(x, stop=True)) for x in lines]),
    ]


class Inbox:
    """Writes one message per file and keeps the counts; holds no message after writing it."""

    def __init__(self, path: Path, gemeente_code: str) -> None:
        self.path = path
        self.gemeente_code = gemeente_code
        self.messages_by_type = {s.message_type(n): 0 for s in STANDARDS for n in MESSAGE_NUMBERS}
        # Identificatie is the Dagtekening plus a daily sequence: unique per sender and
        # BerichtCode, at most 12 characters, and rising with time as real senders' numbers do.
        self._sequence: dict[tuple[str, str, date], int] = {}

    @property
    def files(self) -> int:
        return sum(self.messages_by_type.values())

    def write(
        self,
        standard: Standard,
        number: str,
        agb: str,
        dagtekening: date,
        client_nodes: list[Node],
    ) -> str:
        """Write one message; returns its Identificatie."""
        if _FROM_GEMEENTE[number]:
            afzender, ontvanger = self.gemeente_code, agb
        else:
            afzender, ontvanger = agb, self.gemeente_code
        code = standard.bericht_codes[number]
        key = (afzender, code, dagtekening)
        sequence = self._sequence.get(key, 0) + 1
        if sequence > 9999:
            raise ValueError(f"more than 9999 messages {code} from {afzender} on {dagtekening}")
        self._sequence[key] = sequence
        identificatie = f"{dagtekening:%Y%m%d}{sequence:04d}"

        element_prefix = f"{standard.element_prefix}{number}"
        prefixes = {"m": element_prefix, "b": standard.key}
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<{element_prefix}:Bericht xmlns:{standard.key}="{standard.namespace("basisschema")}"'
            f' xmlns:{element_prefix}="{standard.namespace(element_prefix)}">\n',
        ]
        header = _header(standard, number, afzender, ontvanger, identificatie, dagtekening)
        _render([_m("Header", header), _m("Client", client_nodes)], prefixes, 1, out)
        out.append(f"</{element_prefix}:Bericht>\n")
        name = f"{afzender}_{code}_{identificatie}.xml"
        with open(os.path.join(self.path, name), "wb") as f:
            f.write("".join(out).encode("utf-8"))
        self.messages_by_type[standard.message_type(number)] += 1
        return identificatie


# --- putting it together ------------------------------------------------------------------------


def _test_bsns() -> list[str]:
    """Every test BSN that passes the elf-proef, in ascending order."""
    bsns = []
    for prefix in range(TEST_BSN_FIRST // 10, TEST_BSN_LAST // 10 + 1):
        digits = str(prefix)
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        # 9*d1 + ... + 2*d8 - d9 must be a multiple of 11, so d9 is that sum mod 11.
        check = total % 11
        if check < 10:
            bsns.append(f"{digits}{check}")
    return bsns


@dataclass
class _Run:
    inbox: Inbox
    gemeente_code: str
    bsns: list[str]
    clients: dict[str, int] = field(default_factory=lambda: {d.name: 0 for d in DOMAINS})
    product_lines: int = 0
    defects: list[dict[str, Any]] = field(default_factory=list)
    next_nummer: dict[str, int] = field(
        default_factory=lambda: {s.key: FIRST_TOEWIJZING_NUMMER for s in STANDARDS}
    )

    def _issue_identity(self, client: Client) -> None:
        written = sum(self.clients.values())
        if written >= len(self.bsns):
            raise ValueError(
                f"the test-BSN range holds {len(self.bsns)} numbers; "
                "lower inwoners to need fewer clients"
            )
        client.bsn = self.bsns[written]
        client.number = written + 1
        self.clients[client.domain.name] += 1
        for line in client.lines:
            line.nummer = self.next_nummer[client.domain.standard.key]
            self.next_nummer[client.domain.standard.key] += 1
        self.product_lines += len(client.lines)

    def write_client(self, client: Client) -> None:
        self._issue_identity(client)
        for number, dagtekening, nodes in _client_messages(client):
            identificatie = self.inbox.write(
                client.domain.standard, number, client.aanbieder.agb, dagtekening, nodes
            )
            if number == "307":
                self._record_defects(client, dagtekening, identificatie)

    def _record_defects(self, client: Client, sent: date, identificatie: str) -> None:
        for line in client.lines:
            if line.stop_sent == sent and line.planted_stop_before_start:
                assert line.reported_end is not None
                self.defects.append(
                    {
                        "type": "stop_before_start",
                        "standard": client.domain.standard.key,
                        "gemeente_code": self.gemeente_code,
                        "aanbieder_agb": client.aanbieder.agb,
                        "toewijzing_nummer": line.nummer,
                        "product_code": line.product.code,
                        "begindatum": line.begindatum.isoformat(),
                        "einddatum": line.reported_end.isoformat(),
                        "bericht_identificatie": identificatie,
                    }
                )


def _client_messages(client: Client) -> Iterator[tuple[str, date, list[Node]]]:
    """(message number, Dagtekening, Client nodes) of every message about this client."""
    lines = client.lines
    yield "301", client.sent_301, _toewijzing_301(client, [(x, x.versions[0]) for x in lines])

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
        yield "301", version.toewijzingsdatum, _toewijzing_301(client, current)

    # A day's starts (or stops) of one client travel together; the send dates were drawn so.
    for sent in sorted({x.start_sent for x in lines if x.start_sent is not None}):
        yield "305", sent, _start_305(client, [x for x in lines if x.start_sent == sent])
    for sent in sorted({x.stop_sent for x in lines if x.stop_sent is not None}):
        yield "307", sent, _stop_307(client, [x for x in lines if x.stop_sent == sent])


def generate(
    out_dir: Path,
    *,
    seed: int = 42,
    inwoners: int = 20_000,
    gemeente_code: str = DEFAULT_GEMEENTE_CODE,
    years: tuple[int, int] = (2024, 2025),
    stop_before_start_rate: float = 0.01,
) -> dict:
    """Write a demo inbox and its ground truth to ``out_dir``; return the ground truth.

    The same arguments always give byte-identical files: all randomness comes from one
    ``random.Random(seed)`` and nothing reads the clock.
    """
    if len(gemeente_code) != 4 or not gemeente_code.isdigit():
        raise ValueError(f"gemeente_code must be 4 digits, got {gemeente_code!r}")
    first_year, last_year = years
    if first_year > last_year:
        raise ValueError(f"years must be (first, last), got {years!r}")
    if not 0.0 <= stop_before_start_rate <= 1.0:
        raise ValueError(f"stop_before_start_rate must lie in [0, 1], got {stop_before_start_rate}")

    out_dir = Path(out_dir)
    inbox_dir = out_dir / "inbox"
    inbox_dir.mkdir(parents=True, exist_ok=True)
    if any(inbox_dir.iterdir()):
        # Left-over files of another seed would silently mix into the ground truth.
        raise FileExistsError(f"{inbox_dir} is not empty")

    rng = random.Random(seed)
    bsns = _test_bsns()
    rng.shuffle(bsns)
    period = Period(
        lead_in_start=date(first_year - LEAD_IN_YEARS, 1, 1),
        first_day=date(first_year, 1, 1),
        horizon=date(last_year, 12, 31),
    )
    run = _Run(inbox=Inbox(inbox_dir, gemeente_code), gemeente_code=gemeente_code, bsns=bsns)
    for domain in DOMAINS:
        for granted in _arrivals(rng, domain, inwoners, period):
            client = _simulate_client(rng, domain, granted, period, stop_before_start_rate)
            if _in_scope(client, period):
                run.write_client(client)

    truth = {
        "seed": seed,
        "gemeente_code": gemeente_code,
        "inwoners": inwoners,
        "years": [first_year, last_year],
        "counts": {
            "files": run.inbox.files,
            "messages_by_type": run.inbox.messages_by_type,
            "clients": run.clients,
            "product_lines": run.product_lines,
        },
        "defects": run.defects,
    }
    with open(out_dir / "ground_truth.json", "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")
    return truth
