"""One client's care, drawn whole on the day the client arrives: verzoek, toewijzing and its
changes, start, stop, and each month's delivered volume.

What is drawn here is the truth; the messages that report it (generator.py) may carry planted
defects, which are decided here too so that every random draw happens in one fixed order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sdw.demo.catalogue import HOURS_PER_UNIT, Domain, Product, Weighted
from sdw.demo.world import Aanbieder, Buurt

ONE_DAY = timedelta(days=1)

# How far before the first year clients are simulated, so that long Wmo care is already
# running on 1 January of the first year.
LEAD_IN_YEARS = 5

# Probability that a toewijzing line gets a newer 301 version when one makes sense; lines
# where none does dilute it to about 10% of all lines.
VERSION_RATE = 0.13
VOW_SHARE = 0.5  # of those extensions, the share the aanbieder asks for with a 317
WITHDRAW_RATE = 0.02  # toewijzing lines deleted before care starts (RedenWijziging 13)
START_CORRECTION_RATE = 0.03  # 305 sent with a wrong Begindatum, deleted and re-sent
VERZOEK_REJECT_RATE = 0.02  # 315/317 rejected by the gemeente's retour and sent again

VOT_OUTCOMES = Weighted([("toegewezen", 0.85), ("onderzoek", 0.07), ("afgewezen", 0.08)])
VOW_OUTCOMES = Weighted([("toegewezen", 0.75), ("onderzoek", 0.10), ("afgewezen", 0.15)])
VOW_AFWIJZING = Weighted([("2", 0.30), ("4", 0.30), ("7", 0.40)])

# Defects planted on one toewijzing line; a line carries at most one.
LINE_DEFECTS = (
    "toewijzing_without_305",
    "late_305",
    "stop_before_start",
    "unknown_product_code",
    "over_24h",
    "outside_period",
    "volume_above_allocation",
)
DEFECT_TYPES = (
    *LINE_DEFECTS,
    "no_matching_toewijzing",
    "invalid_bsn",
    "retransmission",
    "conflicting_retransmission",
    "malformed_xml",
    "unknown_gemeente_code",
    "tariff_above_contract",
    "tariff_below_contract",
    "product_not_contracted",
)
# Starts with one of these go in a 305 of their own, so no other line shares the defect.
_SOLO_START = ("late_305", "toewijzing_without_305")


# --- dates ------------------------------------------------------------------------------------


def next_working_day(day: date) -> date:
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def working_days_after(day: date, n: int) -> date:
    """The n-th working day after ``day``; for 0, ``day`` itself or the next working day."""
    if n == 0:
        return next_working_day(day)
    for _ in range(n):
        day = next_working_day(day + ONE_DAY)
    return day


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # 31 January + 1 month lands on the last day of February, not in March.
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - ONE_DAY


def clock(rng: random.Random) -> str:
    return f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


@dataclass(frozen=True)
class Period:
    lead_in_start: date
    first_day: date  # 1 January of the first year
    horizon: date  # 31 December of the last year: nothing is sent after it


# --- the simulated world ----------------------------------------------------------------------


@dataclass
class Verzoek:
    """A 315 (VOT) or 317 (VOW), and the gemeente's answer."""

    sent: date
    outcome: str  # toegewezen | onderzoek | afgewezen
    answered: date | None = None  # the 319 (onderzoek, afgewezen)
    reden_afwijzing: str | None = None
    reden_verzoek: str = "1"  # 317: WJ758
    rejected_first: date | None = None  # an earlier attempt the retour (316/318) rejected
    line: Line | None = None  # 317: the line it asks to extend
    einddatum: date | None = None  # 317: the Einddatum asked for
    referentie: str = ""  # ReferentieAanbieder, issued when the client is written
    verwijzer: str | None = None  # 315: COD327 Type of the verwijzer, once the 315 is sent
    identificatie: str = ""  # 315: the accepted message's BerichtIdentificatie


@dataclass
class Version:
    """One state of a toewijzing line as a 301 states it."""

    toewijzingsdatum: date
    toewijzingstijd: str
    einddatum: date | None
    reden_wijziging: str | None = None
    verzoek: Verzoek | None = None  # the 317 it grants

    @property
    def moment(self) -> tuple[date, str]:
        return self.toewijzingsdatum, self.toewijzingstijd


@dataclass
class Line:
    """One ToegewezenProduct, what the aanbieder did with it and what it reported."""

    product: Product
    ingangsdatum: date
    volume: int
    versions: list[Version]  # [0] is the initial grant
    defect: str | None = None  # one of LINE_DEFECTS
    withdrawn: bool = False  # deleted before care started (RedenWijziging 13)
    utilisation: float = 1.0  # share of the allocation delivered
    begindatum: date = date.min
    start_sent: date | None = None  # the 305 with the right Begindatum; None: none by the horizon
    wrong_begindatum: date | None = None  # complication: first 305, deleted by the one above
    wrong_start_sent: date | None = None
    end: date | None = None  # last day of delivery, None while still running at the horizon
    reden: str | None = None
    stop_sent: date | None = None  # None: no 307 by the horizon
    reported_end: date | None = None  # the 307's Einddatum: differs from end only when planted
    nummer: int = 0  # ToewijzingNummer, issued when the client is written
    referentie: str | None = None  # ReferentieAanbieder of the 315 it answers
    gevraagde_ingangsdatum: date | None = None  # what the 315 asked for
    declared: int = 0  # volume declared so far (frequentie 6: a total for the toewijzing)
    defect_done: bool = False

    @property
    def delivers(self) -> bool:
        return not self.withdrawn and self.begindatum != date.min

    @property
    def final_einddatum(self) -> date | None:
        return max(self.versions, key=lambda v: v.moment).einddatum

    def version_at(self, moment: tuple[date, str]) -> Version:
        return max((v for v in self.versions if v.moment <= moment), key=lambda v: v.moment)


@dataclass
class Client:
    domain: Domain
    aanbieder: Aanbieder
    geboortedatum: date
    geslacht: str
    buurt: Buurt
    postcode: str
    huisnummer: int
    requested: list[tuple[Product, date, date | None, int]]  # what a 315 asks for
    lines: list[Line]  # empty when the verzoek was refused
    sent_301: date
    vot: Verzoek | None = None
    vows: list[Verzoek] = field(default_factory=list)
    bsn: str = ""
    number: int = 0

    def message_dates(self) -> Iterator[date]:
        for verzoek in ([self.vot] if self.vot else []) + self.vows:
            yield verzoek.sent
            if verzoek.answered:
                yield verzoek.answered
        if self.lines:
            yield self.sent_301
        for line in self.lines:
            yield from (v.toewijzingsdatum for v in line.versions[1:])
            yield from (d for d in (line.start_sent, line.stop_sent) if d is not None)


def _wachttijd(rng: random.Random, product: Product) -> int:
    usual, longest = product.wachttijd
    if longest <= 1:
        return rng.randint(0, longest)
    # Mostly within the usual time (skewed to the start), with a tail to the longest.
    if rng.random() < 0.85:
        return int(rng.triangular(0, usual, usual / 8))
    return rng.randint(usual + 1, longest)


def _line_defect(
    rng: random.Random, rates: dict[str, float], factor: float, product: Product
) -> str | None:
    for kind in LINE_DEFECTS:
        if rng.random() >= rates[kind] * factor:
            continue
        if kind == "over_24h" and product.eenheid not in ("01", "04"):
            continue
        # An etmaal too many is more than 24 hours a day: that is over_24h, not this.
        if kind == "volume_above_allocation" and product.eenheid == "14":
            continue
        return kind
    return None


def simulate_client(
    rng: random.Random,
    domain: Domain,
    aanbieders: Weighted[Aanbieder],
    buurten: Weighted[Buurt],
    arrival: date,
    period: Period,
    rates: dict[str, float],
) -> Client:
    aanbieder = aanbieders.draw(rng)
    package = aanbieder.packages.draw(rng)
    age_low, age_high = domain.ages.draw(rng)
    buurt = buurten.draw(rng)
    granted = arrival
    vot = None
    if rng.random() < aanbieder.archetype.vot_share:
        vot, granted = _simulate_vot(rng, domain, arrival, period)
        # The 315 asks for a start within two weeks; a decision after that starts on its day.
        ingangsdatum = max(arrival + timedelta(days=rng.randint(0, 14)), granted)
    else:
        ingangsdatum = granted + timedelta(days=0 if rng.random() < 0.4 else rng.randint(1, 14))
    age_days = rng.randint(max(30, int(age_low * 365.25)), int((age_high + 1) * 365.25) - 1)
    tijd = clock(rng)
    client = Client(
        domain=domain,
        aanbieder=aanbieder,
        geboortedatum=ingangsdatum - timedelta(days=age_days),
        geslacht="2" if rng.random() < domain.female_share else "1",
        buurt=buurt,
        postcode=buurt.postcode + "".join(rng.choices("ABCDEFGHJKLMNPRTVWXZ", k=2)),
        huisnummer=rng.randint(1, 199),
        requested=[],
        lines=[],
        sent_301=granted,
        vot=vot,
    )
    for product in package:
        # A total volume (frequentie 6) is only meaningful within an end date.
        if product.frequentie != "6" and rng.random() < domain.open_ended_share:
            einddatum = None
        else:
            einddatum = add_months(ingangsdatum, rng.choice(product.months)) - ONE_DAY
        client.requested.append((product, ingangsdatum, einddatum, rng.randint(*product.volume)))
    if (vot is not None and vot.outcome == "afgewezen") or granted > period.horizon:
        return client  # refused, or not decided by the horizon

    next_day = working_days_after(granted, 1)
    # Most gemeenten send the same day; some batch overnight, but never past the horizon.
    if rng.random() >= 0.7 and next_day <= period.horizon:
        client.sent_301 = next_day
    for product, start, einddatum, volume in client.requested:
        line = Line(product, start, volume, [Version(granted, tijd, einddatum)])
        if vot is not None:
            line.gevraagde_ingangsdatum = start
        line.utilisation = min(1.0, aanbieder.utilisation * rng.uniform(0.9, 1.08))
        if rng.random() < WITHDRAW_RATE:
            # Sent to the wrong aanbieder or no longer wanted: deleted (RedenWijziging 13).
            issued = working_days_after(client.sent_301, rng.randint(1, 10))
            if issued <= period.horizon:
                line.withdrawn = True
                line.versions.append(Version(issued, clock(rng), start, "13"))
        if not line.withdrawn:
            line.defect = _line_defect(rng, rates, aanbieder.defect_factor, product)
        client.lines.append(line)

    delivering = [line for line in client.lines if not line.withdrawn]
    if not delivering:
        return client
    _simulate_starts(rng, client, delivering, period)
    exit_reden = domain.exit_for(age_days // 365).draw(rng)
    exit_day = max(line.begindatum for line in delivering) + timedelta(
        days=rng.randint(*domain.exit_days)
    )
    for line in delivering:
        _simulate_end(rng, client, line, exit_reden, exit_day)
    _simulate_stops(rng, client, delivering, period)
    return client


def _simulate_vot(
    rng: random.Random, domain: Domain, arrival: date, period: Period
) -> tuple[Verzoek, date]:
    """A 315 on the arrival day; returns it and the day the gemeente decides."""
    vot = Verzoek(sent=arrival, outcome=VOT_OUTCOMES.draw(rng))
    if rng.random() < VERZOEK_REJECT_RATE:
        # The aanbieder re-used a ReferentieAanbieder (retour code 9347) and sends it again.
        vot.rejected_first = arrival
        vot.sent = working_days_after(arrival, rng.randint(2, 6))
    decided = working_days_after(vot.sent, rng.randint(1, 5))
    if vot.outcome == "toegewezen":
        return vot, decided
    vot.answered = decided
    if vot.outcome == "afgewezen":
        vot.reden_afwijzing = domain.afwijzing_redenen.draw(rng)
        return vot, decided
    return vot, next_working_day(decided + timedelta(days=rng.randint(10, 40)))


def _simulate_starts(rng: random.Random, client: Client, lines: list[Line], period: Period) -> None:
    sent_by_key: dict[tuple[date, int], date] = {}
    report_days = client.aanbieder.report_days
    for i, line in enumerate(lines):
        einddatum = line.versions[0].einddatum
        # Leave at least a week of care inside the toewijzing.
        latest = date.max if einddatum is None else max(line.ingangsdatum, einddatum - 7 * ONE_DAY)
        shared = lines[0].begindatum
        if i > 0 and rng.random() < 0.6 and shared <= latest:
            line.begindatum = shared
        else:
            wachttijd = timedelta(days=_wachttijd(rng, line.product))
            line.begindatum = min(line.ingangsdatum + wachttijd, latest)
        if line.defect is None and rng.random() < START_CORRECTION_RATE:
            _plan_correction(rng, line, report_days, period)
            if line.start_sent is not None:
                continue
        # Products that start on the same day travel in one 305, unless one carries a defect.
        key = (line.begindatum, i if line.defect in _SOLO_START else -1)
        if key not in sent_by_key:
            late = rng.randint(8, 30) if line.defect == "late_305" else None
            delay = late if late is not None else rng.randint(0, report_days)
            sent_by_key[key] = working_days_after(line.begindatum, delay)
        sent = sent_by_key[key]
        if line.defect != "toewijzing_without_305" and sent <= period.horizon:
            line.start_sent = sent


def _plan_correction(rng: random.Random, line: Line, report_days: int, period: Period) -> None:
    """A 305 with a wrong Begindatum, then one message deleting it and stating the right one."""
    shift = rng.choice((-1, 1)) * rng.randint(1, 10)
    wrong = line.begindatum + timedelta(days=shift)
    if wrong < line.ingangsdatum:
        wrong = line.begindatum + timedelta(days=abs(shift))
    first = working_days_after(wrong, rng.randint(0, report_days))
    correction = working_days_after(max(first, line.begindatum), rng.randint(3, 15))
    if correction <= period.horizon:
        line.wrong_begindatum, line.wrong_start_sent = wrong, first
        line.start_sent = correction


def _simulate_end(
    rng: random.Random, client: Client, line: Line, exit_reden: str | None, exit_day: date
) -> None:
    domain = client.domain
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
            end = _extend(rng, client, line, einddatum)
    if exit_reden is not None and exit_day < end:
        end, reden = exit_day, exit_reden
        # Nobody extends the toewijzing of a client who has already left.
        line.versions = [v for v in line.versions if v.toewijzingsdatum <= exit_day]
        # A 317 it asked is kept only if it was sent, and answered, before the client left.
        client.vows = [
            v
            for v in client.vows
            if v.line is not line
            or (
                v.sent <= exit_day
                and (v.outcome == "afgewezen" or any(x.verzoek is v for x in line.versions))
            )
        ]
    line.end, line.reden = end, reden


def _extend(rng: random.Random, client: Client, line: Line, einddatum: date) -> date:
    """A verlenging: decided by the gemeente (herbeoordeling) or asked for with a 317."""
    domain = client.domain
    first = line.versions[0]
    new_end = add_months(einddatum + ONE_DAY, rng.choice(domain.verlenging_months)) - ONE_DAY
    if rng.random() >= VOW_SHARE:
        # Herbeoordeling: the gemeente extends a few weeks before the old Einddatum.
        issued = max(first.toewijzingsdatum + ONE_DAY, einddatum - timedelta(rng.randint(10, 40)))
        issued = next_working_day(issued)
        if issued > einddatum:
            return einddatum
        line.versions.append(Version(issued, clock(rng), new_end, "04"))
        return new_end

    sent = next_working_day(einddatum - timedelta(days=rng.randint(20, 45)))
    if sent <= max(first.toewijzingsdatum, line.begindatum + 7 * ONE_DAY):
        return einddatum
    vow = Verzoek(sent=sent, outcome=VOW_OUTCOMES.draw(rng), line=line, einddatum=new_end)
    vow.reden_verzoek = rng.choice(("1", "2"))
    others = [x for x in client.lines if x is not line and not x.withdrawn]
    if others and rng.random() < VERZOEK_REJECT_RATE * 10:
        # It left out the client's other toewijzingen (retour code 9349) and sends it again.
        vow.rejected_first = sent
        vow.sent = working_days_after(sent, rng.randint(2, 6))
    decided = working_days_after(vow.sent, rng.randint(1, 5))
    client.vows.append(vow)
    if vow.outcome == "afgewezen":
        vow.answered, vow.reden_afwijzing = decided, VOW_AFWIJZING.draw(rng)
        return einddatum
    if vow.outcome == "onderzoek":
        vow.answered = decided
        decided = min(working_days_after(decided, rng.randint(5, 15)), einddatum)
    line.versions.append(Version(decided, clock(rng), new_end, "12", vow))
    return new_end


def _simulate_stops(rng: random.Random, client: Client, lines: list[Line], period: Period) -> None:
    domain = client.domain
    sent_by_end: dict[date, date] = {}
    for line in lines:
        assert line.end is not None
        # A verlenging decided after the horizon has not been sent yet.
        line.versions = [v for v in line.versions if v.toewijzingsdatum <= period.horizon]
        if line.end not in sent_by_end:
            sent_by_end[line.end] = working_days_after(
                line.end, rng.randint(0, client.aanbieder.report_days)
            )
        if line.end > period.horizon:
            line.end = line.reden = None
            continue
        if line.start_sent is None:
            continue  # no 305, so no 307 either
        # A stop is never reported before its start.
        sent = max(sent_by_end[line.end], line.start_sent)
        if sent > period.horizon:
            continue
        line.stop_sent = sent
        line.reported_end = line.end
        if line.defect == "stop_before_start":
            line.reported_end = line.begindatum - timedelta(days=rng.randint(1, 45))
            continue
        current = line.versions[-1]
        shortened = current.einddatum is None or line.end < current.einddatum
        if len(line.versions) == 1 and shortened and rng.random() < VERSION_RATE:
            issued = working_days_after(sent, rng.randint(1, 10))
            if issued <= period.horizon:
                reden = domain.wijziging_after_stop.get(line.reden or "", domain.wijziging_default)
                line.versions.append(Version(issued, clock(rng), line.end, reden))


def in_scope(client: Client, period: Period) -> bool:
    """Care still running at the horizon or in the years, or any message in the years."""
    for line in client.lines:
        if line.delivers and (line.end is None or line.end >= period.first_day):
            return True
    return max(client.message_dates()) >= period.first_day


def care_periods(client: Client, years: range) -> Iterator[tuple[str, bool]]:
    """(CBS period code, with verblijf) for every year and half-year the client had care in."""
    for year in years:
        for code, first, last in (
            (f"{year}JJ00", date(year, 1, 1), date(year, 12, 31)),
            (f"{year}HJ01", date(year, 1, 1), date(year, 6, 30)),
            (f"{year}HJ02", date(year, 7, 1), date(year, 12, 31)),
        ):
            active = [
                line
                for line in client.lines
                if line.delivers
                and line.begindatum <= last
                and (line.end is None or line.end >= first)
            ]
            if active:
                yield code, any(line.product.verblijf for line in active)


# --- what is delivered and declared in a month ----------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    """One month's prestatie of one line, before it is written."""

    begindatum: date  # ProductPeriode: the month within the toewijzing
    einddatum: date
    volume: int
    defect: str | None


def allowed_volume(product: Product, volume: int, begin: date, end: date) -> float:
    """The allocated volume for a ProductPeriode (frequentie 6: for the whole toewijzing)."""
    if product.frequentie == "2":
        return volume * ((end - begin).days + 1) / 7
    return volume  # per maand (a ProductPeriode lies within one month) or totaal


def delivered_in_month(
    rng: random.Random, line: Line, first: date, last: date, horizon: date, plant: bool
) -> Delivered | None:
    """What the aanbieder declares for ``line`` in the month first..last, with its planted
    defect when ``plant`` (the prestatie is written); None when nothing was delivered in it."""
    if not line.delivers:
        return None
    delivery_end = min(line.end or horizon, horizon)
    start, stop = max(first, line.begindatum), min(last, delivery_end)
    if start > stop:
        return None
    einddatum = line.final_einddatum
    # OP367/9387: the ProductPeriode is the month, cut to the toewijzing.
    begin = max(first, line.ingangsdatum)
    end = last if einddatum is None else min(last, einddatum)
    product, days = line.product, (stop - start).days + 1
    if product.frequentie == "6":
        total_days = ((einddatum or last) - line.ingangsdatum).days + 1
        done = min(total_days, (stop - line.ingangsdatum).days + 1)
        target = math.ceil(line.volume * line.utilisation * done / total_days)
        volume = max(0, min(line.volume, target) - line.declared)
    elif product.frequentie == "4":
        volume = (
            line.volume if product.eenheid == "82" else max(1, int(line.volume * line.utilisation))
        )
    elif product.eenheid == "14":
        volume = days  # an etmaal for every day of stay
    else:
        volume = int(allowed_volume(product, line.volume, start, stop) * line.utilisation)
    defect = None
    if plant and line.defect is not None and not line.defect_done:
        volume, begin, defect = _plant(rng, line, volume, begin, end)
    if volume <= 0:
        return None
    line.declared += volume
    return Delivered(begin, end, volume, defect)


def _plant(
    rng: random.Random, line: Line, volume: int, begin: date, end: date
) -> tuple[int, date, str | None]:
    product, kind = line.product, line.defect
    days = (end - begin).days + 1
    if kind == "over_24h" and days >= 2:
        hours = days * 24 + rng.randint(1, 24)
        planted = round(hours / HOURS_PER_UNIT[product.eenheid])
    elif kind == "volume_above_allocation":
        if product.frequentie == "6":
            if line.declared:
                # Only a first prestatie shows a total overrun on its own: earlier ones may lie
                # before the archive starts.
                return volume, begin, None
            planted = line.volume + rng.randint(1, max(1, line.volume // 5))
        else:
            allowed = allowed_volume(product, line.volume, begin, end)
            planted = int(allowed * rng.uniform(1.3, 1.8)) + 1
        # Stay within 24 hours a day: more than that is the over_24h defect.
        per_unit = HOURS_PER_UNIT.get(product.eenheid)
        if per_unit is not None and planted * per_unit > days * 24:
            return volume, begin, None
    elif kind == "outside_period" and begin.day > 1:
        # The aanbieder declares the whole first month, from before the Ingangsdatum.
        planted, begin = volume, begin - timedelta(days=rng.randint(1, begin.day - 1))
    else:
        return volume, begin, None
    line.defect_done = True
    return planted, begin, kind
