"""The demo gemeenten: their size, wijken and buurten with postcodes, contracted aanbieders, BSNs.

Everything here is drawn from the one random generator before any message is written, so the
same seed gives the same world however the messages are written afterwards.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cache

from sdw.demo.catalogue import (
    DOMAINS,
    MALE_SHARE,
    POPULATION_BANDS,
    Archetype,
    Domain,
    Product,
    Weighted,
)
from sdw.pseudonym import TEST_BSN_RANGE

DEFAULT_GEMEENTE_CODE = "0999"
# Further gemeenten are 9001, 9002, ...: no CBS gemeente code is that high, so demo figures
# can never be mistaken for a real gemeente's.
FURTHER_GEMEENTE_CODES = 9001


INWONERS_PER_BUURT = 2_500
MIN_BUURTEN = 6
BUURTEN_PER_WIJK = 3
MIN_INWONERS = 100
# PC4s are handed out downwards from here, one per buurt.
HIGHEST_POSTCODE = 9999
LOWEST_POSTCODE = 1000

_NAME_STEMS = (
    "stad",
    "dorp",
    "veen",
    "dijk",
    "hoven",
    "wolde",
    "meer",
    "broek",
    "horst",
    "dam",
    "haven",
    "berg",
    "zijl",
    "woude",
    "kerk",
    "rade",
)
_STREETS = (
    "Teststraat",
    "Demolaan",
    "Proefweg",
    "Voorbeeldplein",
    "Nepstraat",
    "Fictielaan",
    "Oefenweg",
    "Schijnkade",
    "Modelsingel",
    "Schetsdreef",
    "Ontwerphof",
    "Probeerpad",
)


@dataclass(frozen=True)
class Buurt:
    code: str  # BU + gemeente + wijk + buurt
    wijk_code: str
    postcode: str  # the PC4 that covers this buurt (messages add two letters)
    straatnaam: str
    population: dict[str, int]  # by POPULATION_BANDS band
    mannen: int

    @property
    def inwoners(self) -> int:
        return sum(self.population.values())


@dataclass(frozen=True)
class Aanbieder:
    agb: str
    name: str  # never in a message; for people reading demo output
    archetype: Archetype
    packages: Weighted[tuple[Product, ...]]  # this aanbieder's own product mix
    report_days: int  # 305/307 leave within this many working days of the event
    declaration_days: int  # working days after month end that the 323 leaves
    utilisation: float  # share of the allocated volume it usually delivers and declares
    tariff_factor: float  # its contract tariff against the regional base
    defect_factor: float  # how sloppy it is: multiplies every defect rate (mean 1)

    def tarief(self, product: Product, year: int) -> int:
        """Its contract tariff for ``product`` in ``year``, in euro cents."""
        return round(product.tarief_in(year) * self.tariff_factor)


@dataclass
class Gemeente:
    index: int
    code: str
    naam: str
    buurten: list[Buurt]
    aanbieders: dict[str, Weighted[Aanbieder]]  # by domain name, weighted by client share
    budget_per: dict[str, str]  # by domain: "segment" or "productcategorie"
    bsns: list[str] = field(default_factory=list)  # this gemeente's pool, drawn from the end

    @property
    def inwoners(self) -> int:
        return sum(b.inwoners for b in self.buurten)

    def population(self, bands: tuple[str, ...]) -> int:
        return sum(b.population[band] for b in self.buurten for band in bands)

    def wijk_codes(self) -> list[str]:
        return list(dict.fromkeys(b.wijk_code for b in self.buurten))

    def buurt_weights(self, domain: Domain) -> Weighted[Buurt]:
        """Where this domain's clients live: the population it serves, more where need is."""
        return Weighted(
            [
                (
                    b,
                    sum(b.population[band] for band in domain.age_bands)
                    * (0.5 + b.population[domain.buurt_need] / max(1, b.inwoners) * 5),
                )
                for b in self.buurten
            ]
        )


@cache
def valid_test_bsns() -> tuple[str, ...]:
    """Every test BSN that passes the elf-proef, in ascending order (9,091 numbers)."""
    bsns = []
    # The range sdw.pseudonym accepts without a key of one's own.
    for prefix in range(TEST_BSN_RANGE.start // 10, TEST_BSN_RANGE.stop // 10):
        digits = str(prefix)
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        # 9*d1 + ... + 2*d8 - d9 must be a multiple of 11, so d9 is that sum mod 11.
        check = total % 11
        if check < 10:
            bsns.append(f"{digits}{check}")
    return tuple(bsns)


def invalid_bsn(bsn: str) -> str:
    """The same number with another last digit: still in the test range, fails the elf-proef
    (a single digit weighs -1, so no other last digit can make the sum a multiple of 11)."""
    return bsn[:8] + str((int(bsn[8]) + 1) % 10)


def gemeente_sizes(rng: random.Random, inwoners: int, gemeenten: int, cap: int) -> list[int]:
    """Sizes that sum to ``inwoners``: skewed like Dutch gemeenten, none above ``cap``."""
    if inwoners < gemeenten * MIN_INWONERS:
        raise ValueError(f"give every gemeente at least {MIN_INWONERS} inwoners")
    if gemeenten == 1:
        return [inwoners]
    if inwoners > gemeenten * cap:
        need = math.ceil(inwoners / cap)
        raise ValueError(
            f"{inwoners} inwoners need at least {need} gemeenten: a gemeente holds at most "
            f"{cap} inwoners in these years (its clients must fit the test-BSN range)"
        )
    weights = [rng.lognormvariate(0, 0.8) for _ in range(gemeenten)]
    sizes = [0.0] * gemeenten
    free = list(range(gemeenten))
    left = float(inwoners)
    # Hand out shares; whoever would exceed the cap gets the cap and the rest is shared again.
    while free:
        total = sum(weights[i] for i in free)
        capped = [i for i in free if left * weights[i] / total > cap]
        if not capped:
            for i in free:
                sizes[i] = max(MIN_INWONERS, left * weights[i] / total)
            break
        for i in capped:
            sizes[i] = cap
            left -= cap
        free = [i for i in free if i not in capped]
    rounded = [int(s) for s in sizes]
    # The rounding remainder goes to the largest gemeente still below the cap.
    receiver = max(range(gemeenten), key=lambda i: (rounded[i] < cap, rounded[i]))
    rounded[receiver] += inwoners - sum(rounded)
    return rounded


def gemeente_code(index: int, first_code: str) -> str:
    return first_code if index == 0 else str(FURTHER_GEMEENTE_CODES + index - 1)


def gemeente_naam(index: int) -> str:
    stem = _NAME_STEMS[index % len(_NAME_STEMS)]
    round_ = index // len(_NAME_STEMS)
    return f"Demo{stem}" + (f" {round_ + 1}" if round_ else "")


def build_buurten(rng: random.Random, code: str, inwoners: int, first_postcode: int) -> list[Buurt]:
    count = max(MIN_BUURTEN, round(inwoners / INWONERS_PER_BUURT))
    weights = [rng.lognormvariate(0, 0.4) for _ in range(count)]
    sizes = [int(inwoners * w / sum(weights)) for w in weights]
    sizes[0] += inwoners - sum(sizes)
    buurten = []
    for i, size in enumerate(sizes):
        wijk, number = divmod(i, BUURTEN_PER_WIJK)
        wijk_code = f"{code}{wijk + 1:02d}"
        # Old buurten have more elderly people and fewer children: that is where Wmo need is.
        elderly = rng.uniform(0.10, 0.32)
        rest = (1 - elderly) / (1 - POPULATION_BANDS["65+"])
        shares = {
            band: (elderly if band == "65+" else share * rest)
            for band, share in POPULATION_BANDS.items()
        }
        population = {band: int(size * share) for band, share in shares.items()}
        population["25-44"] += size - sum(population.values())
        buurten.append(
            Buurt(
                code=f"BU{wijk_code}{number + 1:02d}",
                wijk_code=f"WK{wijk_code}",
                postcode=str(first_postcode - i),
                straatnaam=_STREETS[i % len(_STREETS)],
                population=population,
                mannen=round(size * MALE_SHARE),
            )
        )
    return buurten


def aanbieder_pool(rng: random.Random, gemeenten: int) -> dict[str, list[list[Aanbieder]]]:
    """Per domain, per archetype: the aanbieders in the country. They serve several gemeenten."""
    per_archetype = 2 + gemeenten // 3
    pool: dict[str, list[list[Aanbieder]]] = {}
    for d, domain in enumerate(DOMAINS):
        pool[domain.name] = []
        for a, archetype in enumerate(domain.archetypes):
            pool[domain.name].append(
                [_aanbieder(rng, d, a, s, archetype) for s in range(per_archetype)]
            )
    return pool


def _aanbieder(rng: random.Random, d: int, a: int, s: int, archetype: Archetype) -> Aanbieder:
    # Its own product mix: the archetype's packages, each weight shaken by up to a factor 2.
    packages = Weighted([(p, w * rng.uniform(0.5, 1.5)) for p, w in archetype.packages])
    sigma = 0.7
    return Aanbieder(
        agb=f"98{d + 1}{a + 1:02d}{s + 1:03d}",
        name=f"Demo {archetype.name} {s + 1}",
        archetype=archetype,
        packages=packages,
        report_days=rng.randint(1, 5),
        declaration_days=rng.randint(2, 12),
        utilisation=rng.uniform(0.80, 0.97),
        tariff_factor=rng.uniform(0.97, 1.03),
        # Lognormal with mean 1: most aanbieders are careful, a few cause most defects.
        defect_factor=rng.lognormvariate(-(sigma**2) / 2, sigma),
    )


def contract_aanbieders(
    rng: random.Random, inwoners: int, pool: dict[str, list[list[Aanbieder]]]
) -> dict[str, Weighted[Aanbieder]]:
    """The aanbieders one gemeente contracts: more of each kind in a larger gemeente."""
    per_kind = min(1 + inwoners // 40_000, 4)
    contracted = {}
    for domain in DOMAINS:
        pairs = []
        for archetype, candidates in zip(domain.archetypes, pool[domain.name], strict=True):
            chosen = rng.sample(candidates, min(per_kind, len(candidates)))
            shares = [rng.uniform(0.5, 1.5) for _ in chosen]
            pairs += [
                (aanbieder, archetype.share * share / sum(shares))
                for aanbieder, share in zip(chosen, shares, strict=True)
            ]
        contracted[domain.name] = Weighted(pairs)
    return contracted


def build_gemeenten(
    rng: random.Random, inwoners: int, gemeenten: int, first_code: str, cap: int
) -> list[Gemeente]:
    sizes = gemeente_sizes(rng, inwoners, gemeenten, cap)
    pool = aanbieder_pool(rng, gemeenten)
    result = []
    next_postcode = HIGHEST_POSTCODE
    for index, size in enumerate(sizes):
        code = gemeente_code(index, first_code)
        buurten = build_buurten(rng, code, size, next_postcode)
        next_postcode -= len(buurten)
        if next_postcode < LOWEST_POSTCODE:
            raise ValueError("more buurten than four-digit postcodes: fewer inwoners, please")
        result.append(
            Gemeente(
                index=index,
                code=code,
                naam=gemeente_naam(index),
                buurten=buurten,
                aanbieders=contract_aanbieders(rng, size, pool),
                budget_per={d.name: rng.choice(("segment", "productcategorie")) for d in DOMAINS},
            )
        )
    return result
