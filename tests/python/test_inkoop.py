"""Inkoop en contractmanagement: the aanbieder register and product names through `sdw ingest
budget`, and the inkoop marts against the demo generator's own records.

Expected values come from the files the generator wrote (register, catalogue, budget) and its
ground truth (`care`: every product line with its start, stop and prestaties as sent), never
from the marts' SQL.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from sdw.budget.load import ingest_budget
from sdw.config import Settings
from sdw.demo.budget import INKOOP_COLUMNS

REGISTER = ("gemeente_code", "aanbieder_agb", "naam", "kvk_nummer", "soort")


def _write(path: Path, header: tuple[str, ...], rows: list[tuple], delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _csv(folder: Path, pattern: str) -> list[dict]:
    rows = []
    for path in sorted(folder.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows


def _rows(warehouse: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _budget_folder(warehouse: Path) -> Path:
    return Path(warehouse).parents[1] / "demo" / "budget"


# --- names: loading ----------------------------------------------------------------------------


def test_register_and_optional_catalogue_columns_load(tmp_path: Path, warehouse: Settings):
    folder = tmp_path / "budget"
    # Only the required register columns, in another order, with ";".
    _write(
        folder / "register.csv",
        ("naam", "aanbieder_agb", "gemeente_code"),
        [("Zorg BV", "98201001", "0999"), ("Hulp & Co", "98202001", "0999")],
        delimiter=";",
    )
    # The catalogue with its optional columns, perceel before productnaam.
    _write(
        folder / "catalogus.csv",
        (*INKOOP_COLUMNS, "perceel", "productnaam"),
        [("0999", "2025", "ijw", "Jeugd-ggz", "54", "54A01", "01", "98202001", "195", "", "GGZ")],
    )
    report = ingest_budget([folder], warehouse)
    assert (report.loaded, report.quarantined, report.rows) == (2, 0, 3)
    assert sorted(
        _query(
            warehouse.warehouse,
            f"select {', '.join(REGISTER)} from raw.budget_aanbieders",
        )
    ) == [("0999", "98201001", "Zorg BV", "", ""), ("0999", "98202001", "Hulp & Co", "", "")]
    assert _query(
        warehouse.warehouse, "select productnaam, perceel, tarief_eurocent from raw.budget_inkoop"
    ) == [("GGZ", "", "195")]


def test_a_bad_register_is_quarantined_without_quoting_a_value(tmp_path: Path, warehouse: Settings):
    folder = tmp_path / "budget"
    secret = "Jansen Zorg"  # a sole trader's name is a person's name
    bad = {
        "agb.csv": [("0999", "9820100", secret, "", "")],
        "naam.csv": [("0999", "98201001", "", "", "")],
        "kvk.csv": [("0999", "98201001", secret, "1234-5678", "")],
        "dubbel.csv": [("0999", "98201001", secret, "", ""), ("0999", "98201001", "X", "", "")],
        "gemeente.csv": [("999", "98201001", secret, "", "")],
    }
    for name, rows in bad.items():
        _write(folder / name, REGISTER, rows)
    _write(folder / "kolom.csv", (*REGISTER, "adres"), [("0999", "98201001", secret, "", "", "")])
    report = ingest_budget([folder], warehouse)
    assert (report.loaded, report.quarantined) == (0, len(bad) + 1)
    reasons = dict(_query(warehouse.warehouse, "select path, reason from raw.budget_files"))
    expected = {
        "agb.csv": "line 2: aanbieder_agb is not 8 digits",
        "naam.csv": "line 2: no naam",
        "kvk.csv": "line 2: kvk_nummer is not 8 digits",
        "dubbel.csv": "line 3: the aanbieder_agb of line 2 again",
        "gemeente.csv": "line 2: gemeente_code is not 4 digits",
        "kolom.csv": "is no layout",
    }
    for name, reason in expected.items():
        found = reasons[str((folder / name).resolve())]
        assert reason in found, name
        assert secret not in found and "9820100" not in found, name
    assert _query(warehouse.warehouse, "select count(*) from raw.budget_aanbieders") == [(0,)]


def test_a_later_register_replaces_the_names_it_gives(tmp_path: Path, warehouse: Settings):
    from sdw.build import run_dbt

    first = [("0999", "98201001", "Oud BV", "", ""), ("0999", "98202001", "Blijft BV", "", "")]
    _write(tmp_path / "a" / "register.csv", REGISTER, first)
    assert ingest_budget([tmp_path / "a"], warehouse).loaded == 1
    # Loaded later: a new name for one aanbieder, and another gemeente naming a third.
    _write(
        tmp_path / "b" / "register.csv",
        REGISTER,
        [
            ("0999", "98201001", "Nieuw BV", "12345678", "zzp"),
            ("1234", "98203001", "Elders", "", ""),
        ],
    )
    assert ingest_budget([tmp_path / "b"], warehouse).loaded == 1
    # Offered again: nothing changes (the ledger has it).
    assert ingest_budget([tmp_path / "a", tmp_path / "b"], warehouse).loaded == 0
    run_dbt(warehouse, "build", "--select", "+aanbieder_namen")
    assert sorted(
        _query(
            warehouse.warehouse,
            "select aanbieder_agb, aanbieder_naam, kvk_nummer, aanbieder_soort "
            "from cleaned.aanbieder_namen",
        )
    ) == [
        ("98201001", "Nieuw BV", "12345678", "zzp"),
        ("98202001", "Blijft BV", None, None),
        ("98203001", "Elders", None, None),
    ]


# --- names: in the marts -----------------------------------------------------------------------


def test_dimensions_carry_the_names_and_the_code_where_none_is_known(demo):
    truth, warehouse = demo
    folder = _budget_folder(warehouse)
    register = {r["aanbieder_agb"]: r for r in _csv(folder, "*_aanbieders.csv")}
    found = {
        agb: (naam, kvk, soort, geregistreerd)
        for agb, naam, kvk, soort, geregistreerd in _query(
            warehouse,
            "select aanbieder_agb, aanbieder_naam, kvk_nummer, aanbieder_soort, is_geregistreerd "
            "from marts.dim_aanbieder",
        )
    }
    for agb, (naam, kvk, soort, geregistreerd) in found.items():
        row = register.get(agb)
        if row is None:
            assert (naam, kvk, soort, geregistreerd) == (agb, None, None, False), agb
        else:
            expected = (row["naam"], row["kvk_nummer"] or None, row["soort"] or None, True)
            assert (naam, kvk, soort, geregistreerd) == expected, agb
    # Both kinds are in the demo: named aanbieders (the successor too) and one without a name.
    overname = truth["gemeenten"][0]["overname"]
    assert found[overname["opvolger_agb"]][0] == register[overname["opvolger_agb"]]["naam"]
    assert any(not v[3] for v in found.values()) and sum(v[3] for v in found.values()) > 5

    catalogue = {
        (r["standard"], r["productcategorie"], r["productcode"]): r["productnaam"]
        for r in _csv(folder, "*_inkoop.csv")
    }
    products = _query(
        warehouse,
        "select standard, product_categorie, product_code, product_naam from marts.dim_product",
    )
    for standard, categorie, code, naam in products:
        named = catalogue.get((standard, categorie, code))
        assert naam == (named or code or categorie), (standard, categorie, code)
    assert any(naam == code for _, _, code, naam in products)
    assert sum(naam != code for _, _, code, naam in products) > 10


# --- market per segment and perceel ------------------------------------------------------------


class Market:
    """Per gemeente, standard, year, segment, perceel and aanbieder, from the generator's
    records: the clients in zorg, the omzet, and whether it was active or contracted."""

    def __init__(self, truth: dict, warehouse: Path) -> None:
        from test_stuurinformatie import Records, _peildatum

        self.records = records = Records(truth, _peildatum(warehouse))
        catalogue = _csv(_budget_folder(warehouse), "*_inkoop.csv")
        self.contracted: dict[tuple, set] = defaultdict(set)
        by_code: dict[tuple, set] = defaultdict(set)
        by_categorie: dict[tuple, set] = defaultdict(set)
        self.years: dict[tuple, list[int]] = defaultdict(list)
        for r in catalogue:
            g, s, jaar = r["gemeente_code"], r["standard"], int(r["jaar"])
            place = (r["segment"], r["perceel"] or None)
            by_code[(g, s, jaar, r["productcategorie"], r["productcode"])].add(place)
            by_categorie[(g, s, jaar, r["productcategorie"])].add(place)
            self.contracted[(g, s, jaar, *place)].add(r["aanbieder_agb"])
            if jaar not in self.years[(g, s)]:
                self.years[(g, s)].append(jaar)

        def place(g, s, jaar, categorie, code):
            years = sorted(self.years[(g, s)])
            nearest = min(max(jaar, years[0]), years[-1])
            found = by_code.get((g, s, nearest, categorie, code))
            if not found:
                found = by_categorie.get((g, s, nearest, categorie))
            return next(iter(found)) if found and len(found) == 1 else None

        # A start the gemeente never issued a toewijzing for carries the product of the
        # client's own first start (sdw.demo.generator._plant_unissued).
        started: dict[tuple, set] = defaultdict(set)
        for line in records.lines:
            if line["begindatum"] and line["defect"] is None:
                key = (line["gemeente_code"], line["standard"], line["aanbieder_agb"])
                started[(*key, line["begindatum"])].add(
                    (line["product_categorie"], line["product_code"])
                )
        self.clients: dict[tuple, set] = defaultdict(set)
        self.omzet: dict[tuple, int] = defaultdict(int)
        self.active: set[tuple] = set()
        self.place, self.started = place, started
        for period in records.care_periods():
            client, line, agb, begin, end, _ = period
            g, s = records.gemeente_standard(period)
            product = self.product(period)
            for jaar in range(begin.year, (end or records.peildatum).year + 1):
                where = place(g, s, jaar, *product)
                if where is not None:
                    self.clients[(g, s, jaar, *where, agb)].add(client)
                    self.active.add((g, s, jaar, *where, agb))
        for line in records.lines:
            g, s, agb = line["gemeente_code"], line["standard"], line["aanbieder_agb"]
            for begin, _, _, bedrag, code, _ in line["prestaties"]:
                jaar = int(begin[:4])
                where = place(g, s, jaar, line["product_categorie"], code)
                if where is not None:
                    self.omzet[(g, s, jaar, *where, agb)] += bedrag
                    self.active.add((g, s, jaar, *where, agb))
        last = records.peildatum.year
        self.rows = set(self.active)
        self.rows |= {(*k, agb) for k, agbs in self.contracted.items() for agb in agbs}
        self.rows |= {(g, s, j + 1, *rest) for g, s, j, *rest in self.active if j < last}
        self.known_years = {(g, s, j) for g, s, j, *_ in self.active}

    def product(self, period) -> tuple[str, str]:
        """The (productcategorie, productcode) of a care period."""
        _, line, agb, begin, _, _ = period
        if line is not None:
            return line["product_categorie"], line["product_code"]
        g, s = self.records.gemeente_standard(period)
        products = self.started[(g, s, agb, begin.isoformat())]
        assert len(products) == 1, (g, s, agb, begin)
        return next(iter(products))

    def shares(self, key: tuple) -> tuple[float | None, float | None]:
        market = [r for r in self.rows if r[:5] == key[:5]]
        clients = sum(len(self.clients.get(r, ())) for r in market)
        omzet = sum(self.omzet.get(r, 0) for r in market)
        return (
            len(self.clients.get(key, ())) / clients if clients else None,
            self.omzet.get(key, 0) / omzet if omzet else None,
        )


def _approx(a, b) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
    )


@pytest.fixture(scope="module")
def market(demo) -> Market:
    truth, warehouse = demo
    return Market(truth, warehouse)


def test_market_share_per_aanbieder_per_segment(demo, market):
    _, warehouse = demo
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.inkoop_markt_aanbieder")
        names = [c[0] for c in cursor.description]
        found = {}
        for values in cursor.fetchall():
            r = dict(zip(names, values, strict=True))
            key = (r["gemeente_code"], r["standard"], r["jaar"], r["segment"], r["perceel"])
            found[(*key, r["aanbieder_agb"])] = r
    assert set(found) == market.rows and len(found) > 50
    for key, row in found.items():
        previous = (*key[:2], key[2] - 1, *key[3:])
        known = (*key[:2], key[2] - 1) in market.known_years
        active, was_active = key in market.active, previous in market.active
        assert row["is_actief"] == active, key
        assert row["is_gecontracteerd"] == (key[-1] in market.contracted.get(key[:5], ())), key
        assert row["clienten"] == len(market.clients.get(key, ())), key
        assert float(row["omzet_eur"]) == pytest.approx(market.omzet.get(key, 0) / 100), key
        clients, omzet = market.shares(key)
        assert _approx(row["aandeel_clienten"], clients), key
        assert _approx(row["aandeel_omzet"], omzet), key
        before = market.shares(previous) if previous in market.rows else (None, None)
        assert _approx(row["aandeel_clienten_vorig_jaar"], before[0]), key
        assert _approx(row["aandeel_omzet_vorig_jaar"], before[1]), key
        assert row["is_toetreder"] == ((active and not was_active) if known else None), key
        assert row["is_vertrokken"] == ((was_active and not active) if known else None), key
    # The planted successor enters; aanbieders enter and leave in the demo's own years too.
    overname = demo[0]["gemeenten"][0]["overname"]
    first = min(k[2] for k in market.active if k[-1] == overname["opvolger_agb"])
    assert first == int(overname["vanaf"][:4])
    assert found[next(k for k in found if k[2] == first and k[-1] == overname["opvolger_agb"])][
        "is_toetreder"
    ]
    years = range(*demo[0]["years"])
    assert any(r["is_toetreder"] for k, r in found.items() if k[2] in years)
    assert any(r["is_vertrokken"] for r in found.values())
    assert any(k[4] is not None for k in found) and any(k[4] is None for k in found)


# Minutes per unit of the units of time that are hours of care (the etmaal, 14, is verblijf).
MINUTEN = {"01": 1, "04": 60, "16": 240}
COLUMNS = {
    "kosten": "kosten_per_client_eur",
    "uren": "uren_per_client",
    "zorgduur": "zorgduur_mediaan",
}


def test_outliers_against_the_peers_of_the_same_market(demo, market):
    from test_stuurinformatie import _quantile

    _, warehouse = demo
    records = market.records
    uren: dict[tuple, float] = defaultdict(float)
    for line in records.lines:
        g, s, agb = line["gemeente_code"], line["standard"], line["aanbieder_agb"]
        for begin, _, volume, _, code, _ in line["prestaties"]:
            where = market.place(g, s, int(begin[:4]), line["product_categorie"], code)
            if where is not None and line["eenheid"] in MINUTEN:
                uren[(g, s, int(begin[:4]), *where, agb)] += volume * MINUTEN[line["eenheid"]] / 60
    # Per client, the longest zorgduur of its periods in the market that ended in the year.
    zorgduur: dict[tuple, dict] = defaultdict(dict)
    for period in records.care_periods():
        client, _, agb, begin, end, _ = period
        if end is None:
            continue
        g, s = records.gemeente_standard(period)
        where = market.place(g, s, end.year, *market.product(period))
        if where is not None:
            days = zorgduur[(g, s, end.year, *where, agb)]
            days[client] = max(days.get(client, 0), (end - begin).days + 1)

    expected = {}
    for key, clients in market.clients.items():
        if not clients:
            continue
        durations = list(zorgduur.get(key, {}).values())
        expected[key] = {
            "kosten": market.omzet.get(key, 0) / 100 / len(clients),
            "uren": uren.get(key, 0.0) / len(clients),
            "zorgduur": _quantile(durations, 0.5) if durations else None,
        }

    def fences(values: list[float]) -> tuple[float, float]:
        q1, q3 = _quantile(values, 0.25), _quantile(values, 0.75)
        return q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)

    def signal(value, low_high) -> str | None:
        if value is None:
            return None
        low, high = low_high
        return "hoog" if value > high else "laag" if value < low else "normaal"

    rows = _rows(warehouse, "select * from marts.inkoop_uitschieters")
    found = {
        (r["gemeente_code"], r["standard"], r["jaar"], r["segment"], r["perceel"],
         r["aanbieder_agb"]): r
        for r in rows
    }  # fmt: skip
    assert set(found) == set(expected) and len(found) > 20
    flagged = 0
    for key, row in found.items():
        peers = [v for k, v in expected.items() if k[:5] == key[:5]]
        mine = expected[key]
        assert row["clienten"] == len(market.clients[key]), key
        assert row["aanbieders"] == len(peers), key
        for measure, column in COLUMNS.items():
            values = [p[measure] for p in peers if p[measure] is not None]
            assert _approx_or_none(row[column], mine[measure]), (key, measure)
            expected_signal = signal(mine[measure], fences(values)) if values else None
            assert row[f"{measure}_signaal"] == expected_signal, (key, measure)
            flagged += row[f"{measure}_signaal"] in ("hoog", "laag")
    assert flagged > 0, "the demo's aanbieders differ enough for some to stand out"


def _approx_or_none(a, b) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and a == pytest.approx(b, rel=1e-9, abs=1e-9)
    )


def test_market_per_segment_and_perceel(demo, market):
    _, warehouse = demo
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.inkoop_markt_segment")
        names = [c[0] for c in cursor.description]
        found = {}
        for values in cursor.fetchall():
            r = dict(zip(names, values, strict=True))
            found[(r["gemeente_code"], r["standard"], r["jaar"], r["segment"], r["perceel"])] = r
    assert set(found) == {r[:5] for r in market.rows} and len(found) > 20
    for key, row in found.items():
        members = [r for r in market.rows if r[:5] == key]
        active = [r for r in members if r in market.active]
        clients = set().union(*(market.clients.get(r, set()) for r in members))
        assert row["actieve_aanbieders"] == len(active), key
        assert row["clienten"] == len(clients), key
        omzet = sum(market.omzet.get(r, 0) for r in members)
        assert float(row["omzet_eur"]) == pytest.approx(omzet / 100), key
        covered = key[2] in market.years[key[:2]]
        contracted = len(market.contracted.get(key, ())) if covered else None
        assert row["gecontracteerde_aanbieders"] == contracted, key
        for measure, index in (("omzet", 1), ("clienten", 0)):
            shares = sorted(
                (s for s in (market.shares(r)[index] for r in members) if s is not None),
                reverse=True,
            )
            cr3 = sum(shares[:3]) if shares else None
            hhi = sum((100 * s) ** 2 for s in shares) if shares else None
            assert _approx(row[f"cr3_{measure}"], cr3), (key, measure)
            assert _approx(row[f"hhi_{measure}"], hhi), (key, measure)
        known = (*key[:2], key[2] - 1) in market.known_years
        previous = {r[-1] for r in market.active if r[:5] == (*key[:2], key[2] - 1, *key[3:])}
        now = {r[-1] for r in active}
        assert row["toetreders"] == (len(now - previous) if known else None), key
        assert row["vertrekkers"] == (len(previous - now) if known else None), key
    assert any(0 < (r["hhi_omzet"] or 0) < 10_000 for r in found.values())


# --- contract use ------------------------------------------------------------------------------


def test_contract_use_per_aanbieder_product_and_year(demo):
    truth, warehouse = demo
    contracts = {}
    years: dict[tuple, set] = defaultdict(set)
    for r in _csv(_budget_folder(warehouse), "*_inkoop.csv"):
        key = (
            r["gemeente_code"],
            r["standard"],
            int(r["jaar"]),
            r["aanbieder_agb"],
            r["productcategorie"],
            r["productcode"],
        )
        contracts[key] = int(r["tarief_eurocent"])
        years[key[:2]].add(key[2])
    toegewezen: dict[tuple, list] = defaultdict(list)
    declared: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in truth["care"]:
        g, s, agb = line["gemeente_code"], line["standard"], line["aanbieder_agb"]
        if not line["withdrawn"]:
            jaar = int(line["ingangsdatum"][:4])
            key = (g, s, jaar, agb, line["product_categorie"], line["product_code"])
            toegewezen[key].append(line["bsn"])
        for begin, _, volume, bedrag, code, _ in line["prestaties"]:
            cell = declared[(g, s, int(begin[:4]), agb, line["product_categorie"], code)]
            cell[0] += 1
            cell[1] += volume
            cell[2] += bedrag

    def covered(key):
        return min(years[key[:2]]) <= key[2] <= max(years[key[:2]])

    expected = {k for k in (*contracts, *toegewezen, *declared) if covered(k)}
    found = {
        (
            r["gemeente_code"],
            r["standard"],
            r["jaar"],
            r["aanbieder_agb"],
            r["product_categorie"],
            r["product_code"],
        ): r
        for r in _rows(warehouse, "select * from marts.inkoop_contractgebruik")
    }
    assert set(found) == expected
    for key, row in found.items():
        tarief = contracts.get(key)
        count, volume, bedrag = declared.get(key, (0, 0, 0))
        clients = toegewezen.get(key, [])
        assert row["is_gecontracteerd"] == (tarief is not None), key
        assert row["is_zonder_contract"] == (tarief is None), key
        assert row["is_ongebruikt"] == (tarief is not None and not clients and not count), key
        assert row["toewijzingen"] == len(clients), key
        assert row["clienten_toegewezen"] == len(set(clients)), key
        assert row["declaratieregels"] == count, key
        assert row["gedeclareerd_volume"] == volume, key
        assert float(row["gedeclareerd_eur"]) == pytest.approx(bedrag / 100), key
        if tarief is None:
            assert row["tarief_eur"] is None and row["verschil_met_tarief_eur"] is None, key
        else:
            assert float(row["tarief_eur"]) == pytest.approx(tarief / 100), key
            if count:
                verschil = (bedrag - volume * tarief) / 100
                assert float(row["verschil_met_tarief_eur"]) == pytest.approx(verschil), key
    # Contracts used and unused, and care without a contract (unknown product codes), are in
    # the demo.
    assert sum(r["is_ongebruikt"] for r in found.values()) >= 1
    assert sum(r["is_zonder_contract"] for r in found.values()) >= 1
    assert sum(r["toewijzingen"] > 0 and r["is_gecontracteerd"] for r in found.values()) > 10


# --- omzetplafond --------------------------------------------------------------------------------


def test_omzetplafond_uitputting_and_projection(demo):
    from test_stuurinformatie import Records, _month, _months, _peildatum

    from sdw.config import dbt_var

    truth, warehouse = demo
    records = Records(truth, _peildatum(warehouse))
    folder = _budget_folder(warehouse)
    segment_of = {
        (r["gemeente_code"], int(r["jaar"]), r["standard"], r["productcategorie"]): r["segment"]
        for r in _csv(folder, "*_inkoop.csv")
    }
    plafonds = [r for r in _csv(folder, "*_omzetplafonds.csv") if r["aanbieder_agb"]]
    per_month: dict[tuple, int] = defaultdict(int)
    last_month: dict[tuple, date] = {}
    for line in records.lines:
        g, s, agb = line["gemeente_code"], line["standard"], line["aanbieder_agb"]
        for begin, _, _, bedrag, _, _ in line["prestaties"]:
            day = date.fromisoformat(begin)
            if day > records.peildatum:
                continue
            segment = segment_of.get((g, day.year, s, line["product_categorie"]))
            for key in ("", segment):
                per_month[(g, s, agb, day.year, key, _month(day))] += bedrag
            last_month[(g, s)] = max(last_month.get((g, s), date.min), _month(day))
    signaal = dbt_var("budget_signaal_percentage")
    expected = {}
    for r in plafonds:
        g, s, jaar, agb = r["gemeente_code"], r["standard"], int(r["jaar"]), r["aanbieder_agb"]
        plafond = float(r["plafond_eur"])
        cumulative = 0
        for month in _months(date(jaar, 1, 1), min(date(jaar, 12, 31), records.peildatum)):
            cumulative += per_month.get((g, s, agb, jaar, r["segment"], month), 0)
            last = last_month.get((g, s))
            if last is None or last.year < jaar:
                counted = 0
            else:
                counted = month.month if last.year > jaar else min(month.month, last.month)
            projection = cumulative / 100 / counted * 12 if counted else None
            expected[(g, s, jaar, agb, r["segment"] or None, month)] = (
                plafond,
                cumulative / 100,
                100 * cumulative / 100 / plafond,
                counted,
                projection,
                projection is not None and 100 * projection >= signaal * plafond,
            )
    found = {
        (
            r["gemeente_code"],
            r["standard"],
            r["jaar"],
            r["aanbieder_agb"],
            r["segment"],
            r["maand_start"],
        ): r
        for r in _rows(warehouse, "select * from marts.inkoop_omzetplafond_uitputting")
    }
    assert set(found) == set(expected) and len(found) >= 24
    for key, (plafond, cumulative, pct, counted, projection, signal) in expected.items():
        row = found[key]
        assert float(row["plafond_eur"]) == plafond, key
        assert float(row["gedeclareerd_cumulatief_eur"]) == pytest.approx(cumulative, abs=0.011)
        assert row["uitputting_percentage"] == pytest.approx(pct), key
        assert row["maanden_gedeclareerd"] == counted, key
        if projection is None:
            assert row["prognose_jaareinde_eur"] is None, key
        else:
            assert float(row["prognose_jaareinde_eur"]) == pytest.approx(projection, abs=0.011)
        assert row["is_signaal"] == signal, key
    # Plafonds on the whole standard and per segment; some run over, some do not.
    assert {k[4] is None for k in found} == {True, False}
    december = [r for k, r in found.items() if k[5].month == 12]
    assert any(r["is_signaal"] for r in december) and not all(r["is_signaal"] for r in december)


def test_a_bad_omzetplafond_is_quarantined(tmp_path: Path, warehouse: Settings):
    from sdw.demo.inkoop import OMZETPLAFOND_COLUMNS

    folder = tmp_path / "budget"
    bad = {
        "agb.csv": ([("0999", "2025", "ijw", "", "", "1000", "123")], "aanbieder_agb is not 8"),
        "categorie.csv": (
            [("0999", "2025", "ijw", "Crisis", "46", "1000", "98201001")],
            "an omzetplafond has no productcategorie",
        ),
        "dubbel.csv": (
            [
                ("0999", "2025", "ijw", "", "", "1000", "98201001"),
                ("0999", "2025", "ijw", "Crisis", "", "500", "98201001"),
            ],
            "line 3: the omzetplafond for 2025 ijw Crisis of an aanbieder overlaps line 2",
        ),
    }
    for name, (rows, _) in bad.items():
        _write(folder / name, OMZETPLAFOND_COLUMNS, rows)
    good = [
        ("0999", "2025", "ijw", "", "", "1000", "98201001"),
        ("0999", "2025", "ijw", "Crisis", "", "500", "98202001"),
        ("0999", "2025", "ijw", "Crisis", "", "700", ""),
    ]
    _write(folder / "goed.csv", OMZETPLAFOND_COLUMNS, good)
    report = ingest_budget([folder], warehouse)
    assert (report.loaded, report.quarantined) == (1, len(bad))
    reasons = dict(_query(warehouse.warehouse, "select path, reason from raw.budget_files"))
    for name, (_, reason) in bad.items():
        assert reason in reasons[str((folder / name).resolve())], name
    assert sorted(
        _query(
            warehouse.warehouse,
            "select segment, plafond_eur, aanbieder_agb from raw.budget_plafonds",
        )
    ) == sorted((r[3], r[5], r[6]) for r in good)
