"""Where instroom comes from: instroom_verwijzer_jaar against the demo generator's own records.

The generator draws each 315's verwijzer from its domain's mix (sdw.demo.catalogue) and writes
it on every product line the 315 led to (ground_truth.json `care`: verwijzer_type, None for a
client the gemeente's toegang sent without a 315). Every expected value is counted here from
those records, not from the mart's SQL.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from test_stuurinformatie import _d, _rows

KEY = ("gemeente_code", "standard", "jaar", "product_categorie", "verwijzer_type")


def test_toewijzingen_per_verwijzer_type_and_year(demo):
    truth, warehouse = demo
    counts: dict[tuple, list] = defaultdict(lambda: [0, 0, set()])
    for line in truth["care"]:
        if line["withdrawn"]:
            continue
        verwijzer = line["verwijzer_type"] or "01"
        key = (line["gemeente_code"], line["standard"], _d(line["ingangsdatum"]).year)
        cell = counts[(*key, line["product_categorie"], verwijzer)]
        cell[0] += 1
        cell[1] += line["verwijzer_type"] is not None
        cell[2].add(line["bsn"])
    totals: dict[tuple, int] = defaultdict(int)
    for key, (n, _, _) in counts.items():
        totals[key[:4]] += n
    expected = {
        key: (n, via, len(clients), n / totals[key[:4]])
        for key, (n, via, clients) in counts.items()
    }
    rows = _rows(warehouse, "select * from marts.instroom_verwijzer_jaar")
    found = {
        tuple(r[k] for k in KEY): (
            r["toewijzingen"],
            r["toewijzingen_via_verzoek"],
            r["clienten"],
            pytest.approx(r["aandeel_toewijzingen"]),
        )
        for r in rows
    }
    assert found == expected
    # A realistic mix: every domain's verwijzers appear, the huisarts most of the 315s, and the
    # gemeente's own toegang next to them.
    by_type: dict[str, int] = defaultdict(int)
    for key, (n, *_) in expected.items():
        by_type[key[-1]] += n
    assert {"01", "02", "03", "04", "05", "06", "08"} <= by_type.keys()
    referred = {t: n for t, n in by_type.items() if t != "01"}
    assert max(referred, key=referred.get) == "02"
    assert {r["verwijzer_omschrijving"] for r in rows if r["verwijzer_type"] == "02"} == {
        "Huisarts"
    }
