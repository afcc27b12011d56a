"""The stuurinformatie marts against what the demo generator itself did.

Every expected value is computed here, in Python, from the generator's own records: the
`care` list of ground_truth.json (each product line with its start, stop and prestaties as
sent), the planted defects (which say which messages the gemeente cannot link) and the budget
and inkoop files the generator wrote. None of it reads the SQL the marts are built with; the
only thing read from the warehouse besides the mart is the peildatum (its latest Dagtekening),
which every stock is measured on.
"""

from __future__ import annotations

import calendar
import csv
import math
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from sdw.config import dbt_var
from sdw.demo.catalogue import DOMAINS

VOLGENS_PLAN = {d.standard.key: d.reden_plan for d in DOMAINS}
CENT = 0.011  # amounts are rounded to cents in the marts
AANBIEDER_JAAR = ("gemeente_code", "aanbieder_agb", "standard", "product_categorie", "jaar")
PRODUCT_JAAR = ("gemeente_code", "standard", "product_categorie", "product_code", "eenheid", "jaar")
HERHAALD_BEROEP = ("gemeente_code", "standard", "aanbieder_agb", "product_categorie", "jaar")


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _month(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _months(first: date, last: date) -> list[date]:
    out, month = [], _month(first)
    while month <= last:
        out.append(month)
        month = _add_months(month, 1)
    return out


def _quantile(values: list[float], fraction: float) -> float:
    """Continuous quantile (linear interpolation), as quantile_cont/percentile_cont."""
    xs = sorted(values)
    position = (len(xs) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(xs) - 1)
    return xs[low] + (xs[high] - xs[low]) * (position - low)


def _rows(warehouse: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _peildatum(warehouse: Path) -> date:
    return _rows(warehouse, "select max(dagtekening) as d from cleaned.berichten")[0]["d"]


class Records:
    """The zorgperioden and prestaties the messages carry, as the generator sent them.

    A 305 whose BSN was mistyped (planted invalid_bsn) starts care for a person the gemeente
    does not know: its lines belong to that unknown person, and the correct 307 that follows
    cannot stop it. A 307 with a mistyped BSN stops nothing, so its lines stay open. A 305 under
    a number the gemeente never issued (no_matching_toewijzing) is care of yet another person.
    """

    def __init__(self, truth: dict, peildatum: date) -> None:
        self.truth = truth
        self.peildatum = peildatum
        self.lines = truth["care"]
        invalid: dict[str, dict[tuple, str]] = {"305": {}, "307": {}}
        self.invalid_323: set[tuple] = set()
        phantoms: dict[tuple, dict] = {}
        for d in truth["defects"]:
            key = (d["gemeente_code"], d["standard"], d["aanbieder_agb"])
            if d["type"] == "invalid_bsn" and d["message_type"] in invalid:
                for nummer in d["toewijzing_nummers"]:
                    invalid[d["message_type"]][(*key, nummer)] = d["bericht_identificatie"]
            elif d["type"] == "invalid_bsn":
                self.invalid_323.add((*key, d["declaratie_nummer"][4:10]))
            elif d["type"] == "no_matching_toewijzing":
                phantom = phantoms.setdefault((*key, d["toewijzing_nummer"]), {})
                phantom["begindatum"] = _d(d["begindatum"])
                if d["message_type"] == "307":
                    phantom["einddatum"] = _d(d["einddatum"])
        self.phantoms = phantoms
        # A start sent with a wrong Begindatum, then deleted by the message that states the right
        # one: when one of the two carried a mistyped BSN, each start belongs to another person.
        resent = {
            (c["gemeente_code"], c["standard"], c["aanbieder_agb"], c["toewijzing_nummer"]): c
            for c in truth["complications"]
            if c["type"] == "start_deleted_and_resent"
        }
        self.periods = []  # (client key, line or None, aanbieder, begindatum, einddatum, reden)
        for line in self.lines:
            begindatum = _d(line["begindatum"])
            if begindatum is None:
                continue
            agb = line["aanbieder_agb"]
            nummer = (line["gemeente_code"], line["standard"], agb, line["toewijzing_nummer"])
            client = (line["gemeente_code"], line["standard"], line["bsn"])
            einddatum, reden = _d(line["stop_einddatum"]), line["reden"]
            if nummer in invalid["307"]:
                einddatum, reden = None, None
            if nummer in invalid["305"]:
                unknown = ("onbekend", invalid["305"][nummer])
                correction = resent.get(nummer)
                if correction is None:
                    client, einddatum, reden = unknown, None, None
                elif correction["bericht_identificatie"] == invalid["305"][nummer]:
                    # The right start went to the unknown person; the wrong one stays, open.
                    wrong = _d(correction["deleted_begindatum"])
                    self.periods.append((client, line, agb, wrong, None, None))
                    client, einddatum, reden = unknown, None, None
                else:
                    # The wrong start went to the unknown person and was never deleted.
                    wrong = _d(correction["deleted_begindatum"])
                    self.periods.append((unknown, line, agb, wrong, None, None))
            self.periods.append((client, line, agb, begindatum, einddatum, reden))
        for (gemeente, standard, agb, nummer), phantom in phantoms.items():
            end = phantom.get("einddatum")
            reden = VOLGENS_PLAN[standard] if end else None
            client = ("zonder_toewijzing", gemeente, standard, agb, nummer)
            self.periods.append((client, None, agb, phantom["begindatum"], end, reden))

    def care_periods(self):
        """Periods that are care: begun by the peildatum and not stopped before they began."""
        for period in self.periods:
            _, _, _, begin, end, _ = period
            if begin <= self.peildatum and (end is None or end >= begin):
                yield period

    @staticmethod
    def gemeente_standard(period) -> tuple[str, str]:
        client, line, *_ = period
        if line is not None:
            return line["gemeente_code"], line["standard"]
        return client[1], client[2]


@pytest.fixture(scope="module")
def records(demo) -> Records:
    truth, warehouse = demo
    return Records(truth, _peildatum(warehouse))


def test_the_demo_has_care_and_defects_to_check_against(demo, records):
    truth, _ = demo
    assert len(records.lines) == truth["counts"]["product_lines"]
    assert sum(len(line["prestaties"]) for line in records.lines) == truth["counts"]["prestaties"]
    assert records.phantoms and records.invalid_323


def test_clients_in_zorg_per_month_with_instroom_and_uitstroom(demo, records):
    _, warehouse = demo
    months: dict[tuple, set[date]] = defaultdict(set)
    for period in records.care_periods():
        client, _, _, begin, end, _ = period
        gemeente, standard = records.gemeente_standard(period)
        for month in _months(begin, end or records.peildatum):
            months[(gemeente, standard, client)].add(month)
    expected: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    last = _month(records.peildatum)
    for (gemeente, standard, _), in_care in months.items():
        for month in in_care:
            cell = expected[(gemeente, standard, month)]
            cell[0] += 1
            cell[1] += _add_months(month, -1) not in in_care
            cell[2] += _add_months(month, 1) not in in_care and month < last
    found = {
        (r["gemeente_code"], r["standard"], r["maand_start"]): [
            r["clienten_in_zorg"],
            r["instroom"],
            r["uitstroom"],
        ]
        for r in _rows(warehouse, "select * from marts.gemeente_clienten_maand")
    }
    assert found == dict(expected)
    # The demo's years hold a few hundred clients in zorg a month, and real flows.
    in_2025 = [v for (g, s, m), v in found.items() if m.year == 2025]
    assert sum(v[0] for v in in_2025) > 2_000 and sum(v[1] for v in in_2025) > 100


def test_wachttijd_and_clients_started_per_aanbieder(demo, records):
    _, warehouse = demo
    # A start under a number the gemeente never issued has a toewijzing the records do not
    # name, so the aanbieder's years with such a start are not compared.
    unknown = {(g, agb, s, p["begindatum"].year) for (g, s, agb, _), p in records.phantoms.items()}
    waits: dict[tuple, list[int]] = defaultdict(list)
    clients: dict[tuple, set] = defaultdict(set)
    for client, line, agb, begin, _, _ in records.periods:
        if line is None:
            continue
        key = (line["gemeente_code"], agb, line["standard"], line["product_categorie"], begin.year)
        waits[key].append((begin - _d(line["ingangsdatum"])).days)
        clients[key].add(client)
    found = {
        (
            r["gemeente_code"],
            r["aanbieder_agb"],
            r["standard"],
            r["product_categorie"],
            r["jaar"],
        ): r
        for r in _rows(warehouse, "select * from marts.aanbieder_jaar where clienten_gestart > 0")
    }
    compared = 0
    for key, days in waits.items():
        if key[:3] + key[4:] in unknown:
            continue
        row = found[key]
        assert row["clienten_gestart"] == len(clients[key]), key
        assert row["wachttijd_mediaan"] == pytest.approx(_quantile(days, 0.5)), key
        assert row["wachttijd_p80"] == pytest.approx(_quantile(days, 0.8)), key
        compared += 1
    assert compared >= 50
    assert {k for k in found if k[:3] + k[4:] not in unknown} == {
        k for k in waits if k[:3] + k[4:] not in unknown
    }


def _declared(records: Records):
    """(line, prestatie) for every prestatie the aanbieders sent."""
    for line in records.lines:
        for prestatie in line["prestaties"]:
            yield line, prestatie


def test_omzet_and_cost_per_client_against_peers(demo, records):
    _, warehouse = demo
    omzet: dict[tuple, int] = defaultdict(int)
    clients: dict[tuple, set] = defaultdict(set)
    for line, (begin, _, _, bedrag, _, _) in _declared(records):
        key = (
            line["gemeente_code"],
            line["aanbieder_agb"],
            line["standard"],
            line["product_categorie"],
            int(begin[:4]),
        )
        omzet[key] += bedrag
        clients[key].add(line["bsn"])
    found = {
        (
            r["gemeente_code"],
            r["aanbieder_agb"],
            r["standard"],
            r["product_categorie"],
            r["jaar"],
        ): r
        for r in _rows(warehouse, "select * from marts.aanbieder_jaar where omzet_eur > 0")
    }
    assert set(found) == set(omzet)
    for key, cents in omzet.items():
        assert float(found[key]["omzet_eur"]) == pytest.approx(cents / 100, abs=CENT), key
    # A declaratie block with a mistyped BSN is another person to the gemeente: the clients of
    # that aanbieder's months are not compared.
    mistyped = {(g, agb, s, int(month[:4])) for g, s, agb, month in records.invalid_323}
    costs: dict[tuple, list[float]] = defaultdict(list)
    compared = 0
    for key, cents in omzet.items():
        row = found[key]
        if key[:3] + key[4:] not in mistyped:
            assert row["clienten_gedeclareerd"] == len(clients[key]), key
            expected = cents / 100 / len(clients[key])
            assert float(row["kosten_per_client_eur"]) == pytest.approx(expected, abs=CENT)
            compared += 1
        costs[(key[0], key[2], key[3], key[4])].append(float(row["kosten_per_client_eur"]))
    assert compared >= 30
    # Peers: the median over the aanbieders of the same productcategorie; the ratio to it.
    for key, row in found.items():
        peers = costs[(key[0], key[2], key[3], key[4])]
        median = _quantile(peers, 0.5)
        assert float(row["peer_kosten_per_client_mediaan"]) == pytest.approx(median, abs=CENT)
        ratio = float(row["kosten_per_client_eur"]) / float(row["peer_kosten_per_client_mediaan"])
        assert row["kosten_per_client_ratio"] == pytest.approx(ratio, rel=1e-9)
    assert any(len(p) > 1 for p in costs.values())


def _allocated_volume(line: dict, peildatum: date) -> float | None:
    """The volume a toewijzing allows from its Ingangsdatum to its end or the peildatum."""
    start = _d(line["ingangsdatum"])
    end = min(_d(line["einddatum"]) or peildatum, peildatum)
    days = (end - start).days + 1
    if days <= 0:
        return 0
    months = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
    per = {"1": days, "2": days / 7, "4": months, "6": 1}.get(line["frequentie"])
    return None if per is None else line["volume"] * per


def test_declared_versus_allocated_per_toewijzing(demo, records):
    _, warehouse = demo
    found = {
        (r["gemeente_code"], r["standard"], r["aanbieder_agb"], r["toewijzing_nummer"]): r
        for r in _rows(warehouse, "select * from marts.client_toewijzing")
    }
    tarief = {}
    for path in (Path(warehouse).parents[1] / "demo" / "budget").glob("*_inkoop.csv"):
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                key = (r["gemeente_code"], r["standard"], r["aanbieder_agb"], r["productcode"])
                tarief[(*key, int(r["jaar"]))] = int(r["tarief_eurocent"])
    compared = 0
    for line in records.lines:
        key = (
            line["gemeente_code"],
            line["standard"],
            line["aanbieder_agb"],
            line["toewijzing_nummer"],
        )
        row = found.get(key)
        if row is None or line["product_code"] != row["product_code"]:
            continue
        # A prestatie links to its toewijzing by client and product code: one under a mistyped
        # BSN is not compared, one under an unknown code does not link.
        months = {p[0][:4] + p[0][5:7] for p in line["prestaties"]}
        if any((*key[:3], month) in records.invalid_323 for month in months):
            continue
        linked = [p for p in line["prestaties"] if p[4] == line["product_code"]]
        assert row["declaratieregel_count"] == len(linked), key
        assert row["gedeclareerd_volume"] == sum(p[2] for p in linked), key
        assert float(row["gedeclareerd_eur"]) == pytest.approx(
            sum(p[3] for p in linked) / 100, abs=CENT
        )
        allocated = _allocated_volume(line, records.peildatum)
        assert row["toegewezen_volume_tot_peildatum"] == pytest.approx(allocated), key
        year = _d(line["ingangsdatum"]).year
        years = sorted(y for (*k, y) in tarief if tuple(k) == (*key[:3], line["product_code"]))
        nearest = min(max(year, years[0]), years[-1])
        cents = tarief[(*key[:3], line["product_code"], nearest)]
        assert float(row["tarief_eur"]) == pytest.approx(cents / 100), key
        if allocated:
            share = sum(p[2] for p in linked) / allocated
            assert row["aandeel_volume_gedeclareerd"] == pytest.approx(share), key
        compared += 1
    assert compared >= 500


def test_budget_uitputting_and_projection(demo, records):
    truth, warehouse = demo
    folder = Path(warehouse).parents[1] / "demo" / "budget"
    segment_of, plafonds = {}, []
    for path in folder.glob("*_inkoop.csv"):
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                key = (r["gemeente_code"], int(r["jaar"]), r["standard"], r["productcategorie"])
                segment_of[key] = r["segment"]
    for path in folder.glob("*_budget.csv"):
        with open(path, encoding="utf-8") as f:
            plafonds += list(csv.DictReader(f))
    per_month: dict[tuple, int] = defaultdict(int)
    last_month: dict[tuple, date] = {}
    for line, (begin, _, _, bedrag, _, _) in _declared(records):
        day = _d(begin)
        if day > records.peildatum:
            continue
        gemeente, standard, categorie = (
            line["gemeente_code"],
            line["standard"],
            line["product_categorie"],
        )
        segment = segment_of[(gemeente, day.year, standard, categorie)]
        for budget_key in (segment, categorie):
            per_month[(gemeente, standard, day.year, budget_key, _month(day))] += bedrag
        last_month[(gemeente, standard)] = max(
            last_month.get((gemeente, standard), date.min), _month(day)
        )
    signaal = dbt_var("budget_signaal_percentage")
    expected = {}
    for r in plafonds:
        gemeente, standard, jaar = r["gemeente_code"], r["standard"], int(r["jaar"])
        budget_key = r["productcategorie"] or r["segment"]
        plafond = float(r["plafond_eur"])
        cumulative = 0
        for month in _months(date(jaar, 1, 1), min(date(jaar, 12, 31), records.peildatum)):
            cumulative += per_month.get((gemeente, standard, jaar, budget_key, month), 0)
            last = last_month.get((gemeente, standard))
            if last is None or last.year < jaar:
                counted = 0
            else:
                counted = month.month if last.year > jaar else min(month.month, last.month)
            projection = cumulative / 100 / counted * 12 if counted else None
            expected[(gemeente, standard, jaar, budget_key, month)] = (
                plafond,
                cumulative / 100,
                100 * cumulative / 100 / plafond,
                counted,
                projection,
                projection is not None and 100 * projection >= signaal * plafond,
            )
    found = {
        (r["gemeente_code"], r["standard"], r["jaar"], r["budget_key"], r["maand_start"]): r
        for r in _rows(warehouse, "select * from marts.gemeente_budget_uitputting")
    }
    assert set(found) == set(expected)
    for key, (plafond, cumulative, pct, counted, projection, signal) in expected.items():
        row = found[key]
        assert float(row["plafond_eur"]) == plafond, key
        assert float(row["gedeclareerd_cumulatief_eur"]) == pytest.approx(cumulative, abs=CENT)
        assert row["uitputting_percentage"] == pytest.approx(pct), key
        assert row["maanden_gedeclareerd"] == counted, key
        if projection is None:
            assert row["prognose_jaareinde_eur"] is None, key
        else:
            assert float(row["prognose_jaareinde_eur"]) == pytest.approx(projection, abs=CENT)
        assert row["is_signaal"] == signal, key
    # Both ways of budgeting, and both sides of the signal, are in the demo.
    assert {r["budget_niveau"] for r in found.values()} == {"segment", "productcategorie"}
    december = [r for k, r in found.items() if k[4].month == 12]
    assert any(r["is_signaal"] for r in december) and not all(r["is_signaal"] for r in december)
    assert truth["gemeenten"][0]["budget_per"]


def test_herhaald_beroep_after_care_ended_according_to_plan(demo, records):
    _, warehouse = demo
    starts: dict[tuple, list[date]] = defaultdict(list)
    for client, line, _, begin, _, _ in records.periods:
        standard = line["standard"] if line is not None else client[2]
        starts[(standard, client)].append(begin)
    expected: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    skipped = set()
    for client, line, agb, _, end, reden in records.care_periods():
        if end is None or line is None:
            if end is not None:  # a start without toewijzing that ended: its product unknown
                skipped.add((client[1], client[2], agb, end.year))
            continue
        standard = line["standard"]
        if reden != VOLGENS_PLAN[standard]:
            continue
        cell = expected[(line["gemeente_code"], standard, agb, line["product_categorie"], end.year)]
        later = [b for b in starts[(standard, client)] if b > end]
        for i, months in enumerate((6, 12)):
            window = _add_months(end, months)
            if window <= records.peildatum:
                cell[2 * i] += 1
                cell[2 * i + 1] += any(b <= window for b in later)
    found = {
        (
            r["gemeente_code"],
            r["standard"],
            r["aanbieder_agb"],
            r["product_categorie"],
            r["jaar"],
        ): [
            r["beeindigd_volgens_plan_6m_bekend"],
            r["herhaald_beroep_6m"],
            r["beeindigd_volgens_plan_12m_bekend"],
            r["herhaald_beroep_12m"],
        ]
        for r in _rows(warehouse, "select * from marts.herhaald_beroep")
    }
    kept = {k: v for k, v in found.items() if (k[0], k[1], k[2], k[4]) not in skipped}
    assert kept == {k: v for k, v in expected.items() if (k[0], k[1], k[2], k[4]) not in skipped}
    # Enough ended care to compare. Since this session's demo changes the session demo has no
    # client coming back within the windows (a generator question, in the closing note), so
    # the counts of returns compared above are zeros.
    assert sum(v[0] for v in kept.values()) > 100 and sum(v[2] for v in kept.values()) > 100


def test_market_share_per_aanbieder_per_area(demo, records):
    _, warehouse = demo
    clients: dict[tuple, set] = defaultdict(set)
    for period in records.care_periods():
        client, line, agb, begin, end, _ = period
        gemeente, standard = records.gemeente_standard(period)
        # The area is the buurt the generator placed the client in (the demo fixture maps
        # postcodes to buurten, as `make demo` does). Only a 301 gives a client's address: a
        # person the gemeente issued nothing to (a mistyped BSN, a start without toewijzing)
        # lives in area 'onbekend'.
        area = line["buurt_code"] if len(client) == 3 else "onbekend"
        for jaar in range(begin.year, (end or records.peildatum).year + 1):
            clients[(gemeente, standard, area, agb, jaar)].add(client)
    per_area: dict[tuple, set] = defaultdict(set)
    for (g, s, area, _, jaar), members in clients.items():
        per_area[(g, s, area, jaar)] |= members
    found = {
        (r["gemeente_code"], r["standard"], r["gebied"], r["aanbieder_agb"], r["jaar"]): r
        for r in _rows(warehouse, "select * from marts.gemeente_marktaandeel_gebied")
    }
    assert set(found) == set(clients)
    for key, members in clients.items():
        row = found[key]
        area_total = len(per_area[(key[0], key[1], key[2], key[4])])
        assert row["clienten"] == len(members), key
        assert row["clienten_in_gebied"] == area_total, key
        assert row["marktaandeel"] == pytest.approx(len(members) / area_total), key
    # Areas with more than one aanbieder, so the shares are shares; and areas are buurten.
    assert any(0 < r["marktaandeel"] < 1 for r in found.values())
    assert len({key[2] for key in found if key[2].startswith("BU")}) > 1


def test_cost_per_product(demo, records):
    _, warehouse = demo
    cells: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, set()])
    for line, (begin, _, volume, bedrag, code, _) in _declared(records):
        key = (
            line["gemeente_code"],
            line["standard"],
            line["product_categorie"],
            code,
            line["eenheid"],
            int(begin[:4]),
        )
        cell = cells[key]
        cell[0] += 1
        cell[1] += volume
        cell[2] += bedrag
        cell[3].add(line["bsn"])
    found = {
        tuple(r[c] for c in PRODUCT_JAAR): r
        for r in _rows(warehouse, "select * from marts.gemeente_product_kosten_jaar")
    }
    assert set(found) == set(cells)
    # A declaratie block with a mistyped BSN is another person: its standard's year is not
    # compared on clients.
    mistyped = {(g, s, int(month[:4])) for g, s, _, month in records.invalid_323}
    compared = 0
    for key, (regels, volume, cents, clients) in cells.items():
        row = found[key]
        assert (row["declaratieregels"], row["gedeclareerd_volume"]) == (regels, volume), key
        assert float(row["gedeclareerd_eur"]) == pytest.approx(cents / 100, abs=CENT), key
        assert float(row["eur_per_eenheid"]) == pytest.approx(cents / 100 / volume, abs=CENT)
        if (key[0], key[1], key[5]) not in mistyped:
            assert row["clienten_gedeclareerd"] == len(clients), key
            expected = cents / 100 / len(clients)
            assert float(row["kosten_per_client_eur"]) == pytest.approx(expected, abs=CENT)
            compared += 1
    assert compared >= 5 and len(cells) >= 30


def test_starts_reported_and_reported_late_per_aanbieder_and_month(demo, records):
    truth, warehouse = demo
    starts: dict[tuple, int] = defaultdict(int)
    for period in records.periods:
        _, _, agb, begin, _, _ = period
        gemeente, standard = records.gemeente_standard(period)
        starts[(gemeente, agb, standard, _month(begin))] += 1
    # The generator reports every start within the 5 working days, except the planted late ones.
    late: dict[tuple, int] = defaultdict(int)
    for d in truth["defects"]:
        if d["type"] == "late_305":
            begin = _month(_d(d["begindatum"]))
            late[(d["gemeente_code"], d["aanbieder_agb"], d["standard"], begin)] += 1
    found = {
        (r["gemeente_code"], r["aanbieder_agb"], r["standard"], r["maand_start"]): r
        for r in _rows(
            warehouse, "select * from marts.keten_aanbieder_maand where starts_gemeld > 0"
        )
    }
    assert {k: r["starts_gemeld"] for k, r in found.items()} == dict(starts)
    assert {
        k: r["starts_te_laat_gemeld"] for k, r in found.items() if r["starts_te_laat_gemeld"]
    } == dict(late)
    assert sum(late.values()) >= 5


def test_keten_retouren_per_aanbieder_and_month(demo):
    """Every retour the generator sent on an aanbieder's 305/307/315/317, with the codes it
    rejected classes by: counted per gemeente, aanbieder and month of the answered message."""
    truth, warehouse = demo
    expected: dict[tuple, dict] = defaultdict(
        lambda: {"beantwoord": 0, "afgekeurd": 0, "codes": defaultdict(int)}
    )
    for retour in truth["retouren"]:
        if retour["retour_op_message_type"] not in {"305", "307", "315", "317"}:
            continue
        key = (
            retour["afzender"],
            retour["ontvanger"],
            retour["standard"],
            _month(date.fromisoformat(retour["retour_op_dagtekening"])),
        )
        cell = expected[key]
        cell["beantwoord"] += 1
        cell["afgekeurd"] += bool(retour["rejected_by"])
        for code in retour["rejected_by"]:
            cell["codes"][code] += 1
    assert sum(cell["afgekeurd"] for cell in expected.values()) > 0, "no rejection planted"

    rows = _rows(warehouse, "select * from marts.keten_retouren_aanbieder_maand")
    got = {
        (r["gemeente_code"], r["aanbieder_agb"], r["standard"], r["maand_start"]): r for r in rows
    }
    assert set(got) == set(expected)
    for key, cell in expected.items():
        row = got[key]
        assert (row["berichten_beantwoord"], row["berichten_afgekeurd"]) == (
            cell["beantwoord"],
            cell["afgekeurd"],
        ), key
        assert row["aandeel_afgekeurd"] == pytest.approx(cell["afgekeurd"] / cell["beantwoord"])
        top = min(cell["codes"].items(), key=lambda item: (-item[1], item[0]), default=(None, 0))
        assert (
            row["meest_voorkomende_retourcode"],
            row["meest_voorkomende_retourcode_aantal"],
        ) == (top), key
