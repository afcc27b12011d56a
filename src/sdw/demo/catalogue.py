"""What the demo world is made of: the two standards, their products, aanbieder kinds, domains.

iWmo and iJw are twins: everything that differs between them is a value in these tables, so the
simulation and the XML templates have one code path for both.

Tariffs are 2024 euro cents, the level of typical regional contracts; they are indexed every
1 January (``TARIFF_INDEXATION``). Volumes and units follow the 3.2 code lists (WJ756 Eenheid,
WMO757 Frequentie).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

from sdw.messages.standards import BERICHT_CODES

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed discrete distribution; cumulative weights are summed once, not per draw."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = tuple(item for item, _ in pairs)
        self.cum_weights = tuple(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]


# --- the two standards ------------------------------------------------------------------------

# Heen-messages and who sends them; a retour is sent back by the heen-message's receiver.
FROM_GEMEENTE = {
    "301": True,
    "305": False,
    "307": False,
    "315": False,
    "317": False,
    "319": True,
    "323": False,
}
RETOUR_OF = {"302": "301", "306": "305", "308": "307", "316": "315", "318": "317", "320": "319"}
MESSAGE_NUMBERS = tuple(sorted({number for _, number in BERICHT_CODES}))


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
    bericht_codes={n: code for (std, n), code in BERICHT_CODES.items() if std == "iwmo"},
    xsd_versie=("1.0.0", "1.0.0"),
)
IJW = Standard(
    key="ijw",
    type_prefix="JW",
    element_prefix="jw",
    bericht_codes={n: code for (std, n), code in BERICHT_CODES.items() if std == "ijw"},
    xsd_versie=("0.1.0", "0.1.0"),
)
STANDARDS = (IWMO, IJW)


# --- products -----------------------------------------------------------------------------------

# Tariffs rise every 1 January by this factor (a typical regional indexation).
TARIFF_INDEXATION = 0.035
TARIFF_BASE_YEAR = 2024


@dataclass(frozen=True)
class Product:
    categorie: str  # WMO020 / JZ020
    code: str  # regional product code, at most 5 characters
    eenheid: str  # WJ756
    frequentie: str  # WMO757: 2 per week, 4 per maand, 6 totaal binnen geldigheidsduur
    volume: tuple[int, int]
    months: tuple[int, ...]  # toewijzing lengths to choose from
    tarief: int  # euro cents per unit, 2024
    wachttijd: tuple[int, int]  # days: the usual upper end and the longest tail
    verblijf: bool = False  # CBS: jeugdhulp met verblijf / Wmo verblijf en opvang

    def tarief_in(self, year: int) -> float:
        return self.tarief * (1 + TARIFF_INDEXATION) ** (year - TARIFF_BASE_YEAR)


# Units measured in time, and the hours one unit stands for: "more than 24 hours a day" is
# judged on these. An etmaal (14) is a day by definition and output or pieces are no time.
HOURS_PER_UNIT = {"01": 1 / 60, "04": 1.0, "16": 4.0}

_HH_RESULTAAT = Product("01", "01A01", "82", "4", (1, 1), (12, 24, 36, 36), 19500, (21, 45))
_HH_UREN = Product("01", "01A02", "04", "2", (2, 4), (12, 24, 36), 3650, (21, 45))
_BEGELEIDING = Product("02", "02A01", "04", "2", (1, 6), (6, 12, 12, 24), 6850, (30, 90))
_PERSOONLIJKE_VERZORGING = Product("03", "03A01", "04", "2", (1, 7), (6, 12, 12), 5700, (14, 30))
_KORTDUREND_VERBLIJF = Product("04", "04A01", "14", "6", (7, 42), (3, 6, 12), 15500, (30, 60))
_OVERIGE_ONDERSTEUNING = Product("06", "06A01", "01", "2", (30, 180), (6, 12), 115, (30, 90))
_DAGBESTEDING = Product("07", "07A01", "16", "2", (1, 8), (12, 12, 24), 4600, (30, 90))
_VERVOER = Product("08", "08A01", "82", "6", (50, 400), (12, 24, 36), 1450, (21, 45))
_MAATWERK = Product("10", "10A01", "84", "4", (1, 4), (6, 12), 9500, (30, 90))
_ROLSTOEL = Product("11", "11A01", "82", "4", (1, 1), (24, 36, 60), 4500, (30, 90))
_SCOOTMOBIEL = Product("12", "12A01", "82", "4", (1, 1), (24, 36, 60), 6200, (30, 90))
_WOONVOORZIENING = Product("13", "13A01", "82", "6", (1, 1), (3,), 650000, (45, 90))
_OVERIG_HULPMIDDEL = Product("14", "14A01", "82", "4", (1, 1), (12, 24), 2400, (21, 60))
_BESCHERMD_WONEN = Product("15", "15A01", "14", "2", (7, 7), (12, 24), 14500, (45, 90), True)

_AMBULANT_UREN = Product("45", "45A01", "04", "2", (1, 3), (3, 6, 6, 12), 9800, (30, 90))
_AMBULANT_TOTAAL = Product("45", "45A02", "01", "6", (300, 2400), (6, 12), 165, (30, 90))
_JEUGD_GGZ = Product("54", "54A01", "01", "6", (600, 3000), (6, 12, 12), 195, (45, 100))
_DAGBEHANDELING = Product("41", "41A01", "16", "2", (2, 8), (6, 12), 11500, (30, 90))
_VERBLIJF_BEHANDELING = Product(
    "43", "43A01", "14", "2", (7, 7), (6, 12, 12), 32500, (30, 90), True
)
_VERBLIJF_ZONDER = Product("44", "44A01", "14", "2", (7, 7), (12,), 19500, (30, 90), True)
_PLEEGZORG = Product("35", "35A01", "14", "2", (7, 7), (12, 24), 5600, (21, 60), True)
_CRISIS = Product("46", "46A01", "14", "6", (7, 28), (1,), 46000, (0, 1), True)
_JEUGD_VERZORGING = Product("40", "40A01", "04", "2", (1, 4), (6, 12), 5900, (14, 30))
_JEUGD_VERVOER = Product("42", "42A01", "82", "2", (2, 10), (12,), 2600, (14, 30))
_JEUGD_MAATWERK = Product("50", "50A01", "84", "4", (1, 4), (6, 12), 12500, (30, 90))


@dataclass(frozen=True)
class Archetype:
    """A kind of aanbieder; every gemeente contracts one or more aanbieders of each kind."""

    name: str
    share: float  # of the domain's new clients
    packages: tuple[tuple[tuple[Product, ...], float], ...]  # what one client gets, and how often
    vot_share: float  # clients who come in through a 315 (verwijzer other than the gemeente)

    def products(self) -> tuple[Product, ...]:
        seen: dict[str, Product] = {}
        for package, _ in self.packages:
            for product in package:
                seen.setdefault(product.code, product)
        return tuple(seen.values())


@dataclass(frozen=True)
class Domain:
    name: str  # "wmo" | "jeugd"
    standard: Standard
    age_bands: tuple[str, ...]  # population bands (POPULATION_BANDS) the instroom applies to
    instroom_per_year: float  # new clients per person of those bands per year
    archetypes: tuple[Archetype, ...]
    segments: dict[str, str]  # productcategorie -> inkoop-segment
    ages: Weighted[tuple[int, int]]  # age band at Ingangsdatum, inclusive
    female_share: float
    open_ended_share: float  # toewijzingen without Einddatum (never for a total volume)
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
    verwijzers: Weighted[str]  # COD327 Type of the verwijzer on a 315
    afwijzing_redenen: Weighted[str]  # WJ759 RedenAfwijzingVerzoek on a 319 that refuses
    buurt_need: str  # which population band makes a buurt's need for this care higher

    def exit_for(self, age: int) -> Weighted[str | None]:
        chosen = self.exits[0][1]
        for min_age, exits in self.exits:
            if age >= min_age:
                chosen = exits
        return chosen


WMO = Domain(
    name="wmo",
    standard=IWMO,
    age_bands=("0-14", "15-17", "18-22", "23-24", "25-44", "45-64", "65+"),
    # Tuned so about 68 per 1,000 inwoners are in care per year (CBS 86050NED 2024*: 65-72).
    instroom_per_year=0.0266,
    archetypes=(
        Archetype(
            "Thuiszorg",
            0.46,
            (
                ((_HH_RESULTAAT,), 0.60),
                ((_HH_UREN,), 0.15),
                ((_HH_RESULTAAT, _BEGELEIDING), 0.10),
                ((_HH_RESULTAAT, _PERSOONLIJKE_VERZORGING), 0.10),
                ((_PERSOONLIJKE_VERZORGING,), 0.05),
            ),
            0.05,
        ),
        Archetype(
            "Begeleiding",
            0.15,
            (
                ((_BEGELEIDING,), 0.50),
                ((_BEGELEIDING, _DAGBESTEDING), 0.25),
                ((_DAGBESTEDING,), 0.15),
                ((_OVERIGE_ONDERSTEUNING,), 0.05),
                ((_MAATWERK,), 0.05),
            ),
            0.10,
        ),
        Archetype(
            "Hulpmiddelen",
            0.21,
            (
                ((_ROLSTOEL,), 0.35),
                ((_SCOOTMOBIEL,), 0.30),
                ((_WOONVOORZIENING,), 0.20),
                ((_OVERIG_HULPMIDDEL,), 0.15),
            ),
            0.0,
        ),
        Archetype("Vervoer", 0.13, (((_VERVOER,), 0.85), ((_VERVOER, _DAGBESTEDING), 0.15)), 0.0),
        Archetype(
            "Zorgcentrum",
            0.03,
            (
                ((_KORTDUREND_VERBLIJF,), 0.60),
                ((_KORTDUREND_VERBLIJF, _DAGBESTEDING), 0.40),
            ),
            0.05,
        ),
        Archetype("Beschermd Wonen", 0.02, (((_BESCHERMD_WONEN,), 1.0),), 0.30),
    ),
    segments={
        "01": "Huishoudelijke hulp",
        "02": "Ondersteuning thuis",
        "03": "Ondersteuning thuis",
        "06": "Ondersteuning thuis",
        "07": "Ondersteuning thuis",
        "10": "Ondersteuning thuis",
        "08": "Vervoer",
        "11": "Hulpmiddelen",
        "12": "Hulpmiddelen",
        "13": "Hulpmiddelen",
        "14": "Hulpmiddelen",
        "04": "Verblijf en opvang",
        "15": "Verblijf en opvang",
    },
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
    verwijzers=Weighted([("02", 0.50), ("05", 0.30), ("06", 0.20)]),
    afwijzing_redenen=Weighted([("3", 0.30), ("4", 0.25), ("5", 0.15), ("7", 0.30)]),
    buurt_need="65+",
)

JEUGD = Domain(
    name="jeugd",
    standard=IJW,
    age_bands=("0-14", "15-17"),
    # Tuned so about 13% of youth under 18 get jeugdhulp per year (CBS 85098NED 2023: 13.9%).
    instroom_per_year=0.0905,
    archetypes=(
        Archetype(
            "Jeugdhulp Ambulant",
            0.40,
            (
                ((_AMBULANT_UREN,), 0.55),
                ((_AMBULANT_TOTAAL,), 0.30),
                ((_AMBULANT_UREN, _JEUGD_MAATWERK), 0.15),
            ),
            0.35,
        ),
        Archetype(
            "Jeugd-ggz", 0.32, (((_JEUGD_GGZ,), 0.85), ((_JEUGD_GGZ, _AMBULANT_UREN), 0.15)), 0.75
        ),
        Archetype(
            "Dagbehandeling",
            0.10,
            (
                ((_DAGBEHANDELING,), 0.60),
                ((_DAGBEHANDELING, _JEUGD_VERVOER), 0.30),
                ((_JEUGD_VERZORGING,), 0.10),
            ),
            0.30,
        ),
        Archetype("Pleegzorg", 0.03, (((_PLEEGZORG,), 1.0),), 0.20),
        Archetype(
            "Jeugd Verblijf",
            0.04,
            (
                ((_VERBLIJF_BEHANDELING,), 0.45),
                ((_VERBLIJF_ZONDER,), 0.25),
                ((_CRISIS,), 0.30),
            ),
            0.20,
        ),
        Archetype("Jeugd Maatwerk", 0.11, (((_JEUGD_MAATWERK,), 1.0),), 0.10),
    ),
    segments={
        "45": "Jeugdhulp ambulant",
        "50": "Jeugdhulp ambulant",
        "40": "Jeugdhulp ambulant",
        "54": "Jeugd-ggz",
        "41": "Dagbehandeling",
        "42": "Dagbehandeling",
        "35": "Jeugdhulp met verblijf",
        "43": "Jeugdhulp met verblijf",
        "44": "Jeugdhulp met verblijf",
        "46": "Crisis",
    },
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
    verwijzers=Weighted([("02", 0.55), ("03", 0.10), ("04", 0.10), ("05", 0.20), ("08", 0.05)]),
    afwijzing_redenen=Weighted([("3", 0.25), ("4", 0.20), ("7", 0.25), ("8", 0.20), ("9", 0.10)]),
    buurt_need="0-14",
)
DOMAINS = (WMO, JEUGD)


# --- population ----------------------------------------------------------------------------------

# Shares of the population by age band (CBS 03759ned, Nederland 1-1-2024, rounded). They sum to 1.
POPULATION_BANDS: dict[str, float] = {
    "0-14": 0.156,
    "15-17": 0.034,
    "18-22": 0.062,
    "23-24": 0.025,
    "25-44": 0.248,
    "45-64": 0.275,
    "65+": 0.200,
}
MALE_SHARE = 0.496
