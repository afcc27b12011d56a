"""The outcome marts (models/marts/uitkomsten) against what the demo generator itself did.

Every expected value is computed here from the generator's own records (the `care` list of
ground_truth.json, read through test_stuurinformatie.Records, which applies the planted defects
the gemeente cannot see through) and from the RedenBeeindiging codes the generator draws for
care that ends early (sdw.demo.catalogue), not from the marts' SQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from test_stuurinformatie import (
    CENT,
    VOLGENS_PLAN,
    Records,
    _add_months,
    _d,
    _declared,
    _month,
    _months,
    _peildatum,
    _quantile,
    _rows,
)

from sdw.demo.catalogue import DOMAINS

# The generator's codes for care ended early, per standard; whom each names is the code list's
# (iWmo 21-23, iJw 32-35).
EARLY = {d.standard.key: set(d.reden_early.items) for d in DOMAINS}
BY_WHOM = {
    "21": "uitval_door_client",
    "32": "uitval_door_client",
    "22": "uitval_door_aanbieder",
    "33": "uitval_door_aanbieder",
    "23": "uitval_in_overeenstemming",
    "34": "uitval_in_overeenstemming",
    "35": "uitval_extern",
}
UITVAL_KEY = ("gemeente_code", "standard", "aanbieder_agb", "product_categorie", "jaar")


@pytest.fixture(scope="module")
def records(demo) -> Records:
    truth, warehouse = demo
    return Records(truth, _peildatum(warehouse))


def test_uitval_per_aanbieder_productcategorie_and_year_next_to_peers(demo, records):
    _, warehouse = demo
    expected: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    skipped = set()  # ended starts without toewijzing: the records do not know their product
    for client, line, agb, _, end, reden in records.care_periods():
        if end is None:
            continue
        if line is None:
            skipped.add((client[1], client[2], agb, end.year))
            continue
        standard = line["standard"]
        cell = expected[(line["gemeente_code"], standard, agb, line["product_categorie"], end.year)]
        cell["beeindigd"] += 1
        if reden in EARLY[standard]:
            cell["uitval"] += 1
            cell[BY_WHOM[reden]] += 1
    found = {
        tuple(r[k] for k in UITVAL_KEY): r
        for r in _rows(warehouse, "select * from marts.uitval_aanbieder_jaar")
    }

    def kept(keys):
        return {k for k in keys if (k[0], k[1], k[2], k[4]) not in skipped}

    assert kept(found) == kept(expected)
    peers: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    members: dict[tuple, list[tuple]] = defaultdict(list)
    compared = 0
    for key in found:
        members[(key[0], key[1], key[3], key[4])].append(key)
    for key in expected:
        group = peers[(key[0], key[1], key[3], key[4])]
        group[0] += 1
        group[1] += expected[key]["beeindigd"]
        group[2] += expected[key]["uitval"]
    for key in kept(expected):
        row, cell = found[key], expected[key]
        assert row["zorgperioden_beeindigd"] == cell["beeindigd"], key
        assert row["zorgperioden_uitval"] == cell["uitval"], key
        for column in set(BY_WHOM.values()):
            assert row[column] == cell[column], (key, column)
        assert row["aandeel_uitval"] == pytest.approx(cell["uitval"] / cell["beeindigd"])
        # The peers: compared where no member of the group is a start the records cannot place.
        group_key = (key[0], key[1], key[3], key[4])
        if not any((g, s, a, j) in skipped for g, s, a, _, j in members[group_key]):
            group = peers[group_key]
            assert row["peer_aanbieders"] == group[0], key
            assert row["peer_aandeel_uitval"] == pytest.approx(group[2] / group[1]), key
            assert row["verschil_met_peers"] == pytest.approx(
                cell["uitval"] / cell["beeindigd"] - group[2] / group[1]
            )
            compared += 1
    assert compared >= 20
    # the demo ends care early for real, and by the client as by the aanbieder
    assert sum(c["uitval"] for c in expected.values()) > 50
    for column in ("uitval_door_client", "uitval_door_aanbieder"):
        assert sum(c[column] for c in expected.values()) > 0


STANDARD = {"wmo": ("iwmo",), "jeugd": ("ijw",), "": ("iwmo", "ijw")}
SCOPE = {"wmo": "iwmo", "jeugd": "ijw", "": "alle"}
REGIONS = {"RG9999": {"0999", "9001", "9002", "9003"}}  # seed doel_gebieden


def _periode_months(periode: str) -> tuple[int, int, int]:
    year, rest = int(periode[:4]), periode[5:]
    if not rest:
        return year, 1, 12
    if rest[0] == "Q":
        return year, 3 * int(rest[1]) - 2, 3 * int(rest[1])
    if rest[0] == "H":
        return year, 6 * int(rest[1]) - 5, 6 * int(rest[1])
    return year, int(rest), int(rest)


def _targets_that_count(doelen: dict) -> list[dict]:
    """Of each gebied and year, the good lines of the file loaded last that names it."""
    order = {name: i for i, name in enumerate(sorted(doelen["files"]))}
    last: dict[tuple, int] = {}
    for line in doelen["streefwaarden"]:
        key = (line["gebied"], line["periode"][:4])
        last[key] = max(last.get(key, -1), order[line["file"]])
    return [
        line
        for line in doelen["streefwaarden"]
        if order[line["file"]] == last[(line["gebied"], line["periode"][:4])]
    ]


def _realised(records: Records):
    """(gemeente, standard, kpi, month) -> the value the generator's records give, and the
    (gemeente, standard, month) whose median wachttijd they cannot tell (a start under a
    number the gemeente never issued repeats an Ingangsdatum the records do not keep)."""
    in_care: dict[tuple, set[date]] = defaultdict(set)
    for period in records.care_periods():
        client, _, _, begin, end, _ = period
        gemeente, standard = records.gemeente_standard(period)
        for month in _months(begin, end or records.peildatum):
            in_care[(gemeente, standard, client)].add(month)
    value: dict[tuple, float] = defaultdict(float)
    last = _month(records.peildatum)
    for (gemeente, standard, _), months in in_care.items():
        for month in months:
            value[(gemeente, standard, "clienten_in_zorg", month)] += 1
            value[(gemeente, standard, "instroom", month)] += _add_months(month, -1) not in months
            uit = _add_months(month, 1) not in months and month < last
            value[(gemeente, standard, "uitstroom", month)] += uit
    waits: dict[tuple, list[int]] = defaultdict(list)
    unknown = set()
    for period in records.periods:
        client, line, _, begin, _, _ = period
        gemeente, standard = records.gemeente_standard(period)
        if line is None:
            unknown.add((gemeente, standard, _month(begin)))
        else:
            waits[(gemeente, standard, _month(begin))].append(
                (begin - _d(line["ingangsdatum"])).days
            )
    for line, (begin, _, _, bedrag, _, _) in _declared(records):
        key = (line["gemeente_code"], line["standard"], "gedeclareerd_bedrag", _month(_d(begin)))
        value[key] += bedrag / 100
    return value, waits, unknown


def test_kpi_realisatie_against_the_targets_the_generator_wrote(demo, records):
    truth, warehouse = demo
    value, waits, unknown = _realised(records)
    last = _month(records.peildatum)
    expected: dict[tuple, dict] = {}
    for line in _targets_that_count(truth["doelen"]):
        gebied = line["gebied"]
        gemeenten = REGIONS.get(gebied, {gebied})
        year, first, final = _periode_months(line["periode"])
        for month_number in range(first, final + 1):
            month = date(year, month_number, 1)
            if month > last:
                continue
            standards = STANDARD[line["domein"]]
            cells = [(g, s) for g in gemeenten for s in standards]
            if line["kpi"] == "wachttijd_mediaan":
                if any((g, s, month) in unknown for g, s in cells):
                    continue  # not comparable
                days = [w for g, s in cells for w in waits.get((g, s, month), [])]
                realised = _quantile(days, 0.5) if days else None
            else:
                realised = sum(value.get((g, s, line["kpi"], month), 0) for g, s in cells)
            target, marge = float(line["streefwaarde"]), float(line["signaalmarge"] or 0)
            status = None
            if realised is not None:
                short = realised - target if line["richting"] == "hoogstens" else target - realised
                status = (
                    "op koers" if short <= 0 else "signaal" if short <= marge else "niet gehaald"
                )
            key = (gebied, SCOPE[line["domein"]], line["kpi"], month)
            expected[key] = {"gerealiseerd": realised, "streefwaarde": target, "status": status}
            expected[key]["richting"] = line["richting"]
    rows = _rows(warehouse, "select * from marts.kpi_realisatie")
    found = {(r["gebied_code"], r["standard"], r["kpi"], r["maand_start"]): r for r in rows}
    compared = {k for k in found if k in expected}
    assert set(found) - compared <= {k for k in found if k[2] == "wachttijd_mediaan"}
    assert compared == set(expected)
    for key in sorted(compared):
        row, cell = found[key], expected[key]
        assert row["streefwaarde"] == pytest.approx(cell["streefwaarde"]), key
        if cell["gerealiseerd"] is None:
            assert row["gerealiseerd"] is None and row["status"] is None, key
            continue
        assert row["gerealiseerd"] == pytest.approx(cell["gerealiseerd"], abs=CENT), key
        assert row["verschil"] == pytest.approx(
            cell["gerealiseerd"] - cell["streefwaarde"], abs=CENT
        )
        assert row["status"] == cell["status"], key
        before = (*key[:3], _add_months(key[3], -1))
        if before in expected and expected[before]["gerealiseerd"] is not None:
            change = cell["gerealiseerd"] - expected[before]["gerealiseerd"]
            better = change < 0 if cell["richting"] == "hoogstens" else change > 0
            trend = "gelijk" if abs(change) < 1e-9 else "beter" if better else "slechter"
            assert row["trend"] == trend, key
        elif before not in found or found[before]["gerealiseerd"] is None:
            assert row["trend"] is None, key
    assert len(compared) >= 100
    statuses = {cell["status"] for cell in expected.values()}
    assert {"op koers", "niet gehaald"} <= statuses
    assert {r["gebied_soort"] for r in rows} == {"gemeente", "regio"}


def test_streefwaarden_bad_lines_left_out_exactly(demo):
    truth, warehouse = demo
    planted = {(b["file"], b["line"]) for b in truth["doelen"]["bad_lines"]}
    found = _rows(
        warehouse,
        "select f.path, q.line_number, q.reason from raw.doelen_regels_quarantaine as q "
        "inner join raw.doelen_files as f using (file_id)",
    )
    assert {(Path(r["path"]).name, r["line_number"]) for r in found} == planted
    loaded = _rows(
        warehouse,
        "select f.path, s.line_number from raw.doelen_streefwaarden as s "
        "inner join raw.doelen_files as f using (file_id)",
    )
    good = {(line["file"], line["line"]) for line in truth["doelen"]["streefwaarden"]}
    assert {(Path(r["path"]).name, r["line_number"]) for r in loaded} == good
    reported = _rows(
        warehouse,
        "select f.path, u.line_number from raw.doelen_uitkomsten as u "
        "inner join raw.doelen_files as f using (file_id)",
    )
    good = {(line["file"], line["line"]) for line in truth["doelen"]["uitkomsten"]}
    assert {(Path(r["path"]).name, r["line_number"]) for r in reported} == good
    assert {b["rule"] for b in truth["doelen"]["bad_lines"]} >= {"unknown_kpi", "overlap", "double"}


def test_outcomes_per_aanbieder_side_by_side_against_peers(demo, records):
    truth, warehouse = demo
    reports = {
        (r["gemeente_code"], r["aanbieder_agb"], int(r["toewijzingnummer"]), r["einddatum"]): r
        for r in truth["doelen"]["uitkomsten"]
    }
    starts: dict[tuple, list[date]] = defaultdict(list)
    for client, line, _, begin, _, _ in records.periods:
        standard = line["standard"] if line is not None else client[2]
        starts[(standard, client)].append(begin)
    expected: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    skipped = set()
    for client, line, agb, _, end, reden in records.care_periods():
        if end is None:
            continue
        if line is None:
            skipped.add((client[1], client[2], agb, end.year))
            continue
        standard = line["standard"]
        cell = expected[(line["gemeente_code"], standard, agb, line["product_categorie"], end.year)]
        cell["zorgperioden_beeindigd"] += 1
        cell["zorgperioden_uitval"] += reden in EARLY[standard]
        if reden == VOLGENS_PLAN[standard] and _add_months(end, 12) <= records.peildatum:
            cell["beeindigd_volgens_plan_12m_bekend"] += 1
            later = [b for b in starts[(standard, client)] if end < b <= _add_months(end, 12)]
            cell["herhaald_beroep_12m"] += bool(later)
        key = (line["gemeente_code"], agb, int(line["toewijzing_nummer"]), end.isoformat())
        report = reports.get(key)
        if report is None:
            continue
        cell["zorgperioden_gemeld"] += 1
        if report["doelrealisatie"]:
            cell["doelrealisatie_gemeld"] += 1
            cell["doel_bereikt"] += report["doelrealisatie"] == "ja"
            cell["doel_deels_bereikt"] += report["doelrealisatie"] == "deels"
        if report["tevredenheid"]:
            cell["tevredenheid_gemeld"] += 1
            cell["tevredenheid_som"] += int(report["tevredenheid"])
    rows = _rows(warehouse, "select * from marts.uitkomsten_aanbieder_jaar")
    found = {tuple(r[k] for k in UITVAL_KEY): r for r in rows}

    def kept(keys):
        return {k for k in keys if (k[0], k[1], k[2], k[4]) not in skipped}

    assert kept(found) == kept(expected)
    groups: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, cell in expected.items():
        for column, count in cell.items():
            groups[(key[0], key[1], key[3], key[4])][column] += count
    members: dict[tuple, list[tuple]] = defaultdict(list)
    for key in found:
        members[(key[0], key[1], key[3], key[4])].append(key)

    def share(cell, numerator, denominator):
        return cell[numerator] / cell[denominator] if cell[denominator] else None

    ratios = {
        "respons": ("zorgperioden_gemeld", "zorgperioden_beeindigd"),
        "aandeel_doel_bereikt": ("doel_bereikt", "doelrealisatie_gemeld"),
        "tevredenheid_gemiddeld": ("tevredenheid_som", "tevredenheid_gemeld"),
        "aandeel_uitval": ("zorgperioden_uitval", "zorgperioden_beeindigd"),
        "aandeel_herhaald_beroep_12m": ("herhaald_beroep_12m", "beeindigd_volgens_plan_12m_bekend"),
    }
    compared = 0
    for key in kept(expected):
        row, cell = found[key], expected[key]
        for column, count in cell.items():
            if column != "tevredenheid_som":
                assert row[column] == count, (key, column)
        for column, (numerator, denominator) in ratios.items():
            assert row[column] == pytest.approx(share(cell, numerator, denominator)), (key, column)
        group_key = (key[0], key[1], key[3], key[4])
        if not any((g, s, a, j) in skipped for g, s, a, _, j in members[group_key]):
            group = groups[group_key]
            for column, (numerator, denominator) in ratios.items():
                peer = share(group, numerator, denominator)
                assert row[f"peer_{column}"] == pytest.approx(peer), (key, column)
            compared += 1
    assert compared >= 20
    # Reports for part of the ended care, and aanbieders that differ in what they report.
    total = {c: sum(cell[c] for cell in expected.values()) for c in ratios["respons"]}
    assert 0.2 < total["zorgperioden_gemeld"] / total["zorgperioden_beeindigd"] < 0.95
    by_aanbieder: dict[str, list[float]] = defaultdict(lambda: [0, 0])
    for key, cell in expected.items():
        by_aanbieder[key[2]][0] += cell["doel_bereikt"]
        by_aanbieder[key[2]][1] += cell["doelrealisatie_gemeld"]
    shares = [ja / n for ja, n in by_aanbieder.values() if n >= 20]
    assert len(shares) >= 3 and max(shares) - min(shares) > 0.15
