"""The outcome marts (models/marts/uitkomsten) against what the demo generator itself did.

Every expected value is computed here from the generator's own records (the `care` list of
ground_truth.json, read through test_stuurinformatie.Records, which applies the planted defects
the gemeente cannot see through) and from the RedenBeeindiging codes the generator draws for
care that ends early (sdw.demo.catalogue), not from the marts' SQL.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from test_stuurinformatie import Records, _peildatum, _rows

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
