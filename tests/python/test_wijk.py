"""Wijk and buurt: every client the postcode mapping places lands in its CBS wijk, counted per
age band and set against the wijk's population, recomputed from the generator's own records."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from test_stuurinformatie import Records, _peildatum, _rows

BANDS = [("0-14", 0, 14), ("15-24", 15, 24), ("25-44", 25, 44), ("45-64", 45, 64), ("65+", 65, 200)]


def _band(age: int | None) -> str:
    if age is None:
        return "onbekend"
    return next(name for name, low, high in BANDS if low <= age <= high)


def test_clients_per_wijk_and_age_band_with_the_population(demo):
    truth, warehouse = demo
    records = Records(truth, _peildatum(warehouse))
    mapping = warehouse.parent.parent / "demo" / "postcode_buurt.csv"
    with mapping.open(encoding="utf-8") as f:
        mapped = {row["postcode"].replace(" ", "").upper() for row in csv.DictReader(f)}

    expected: dict[tuple, set] = defaultdict(set)
    for period in records.care_periods():
        client, line, _, begin, end, _ = period
        if len(client) != 3:  # a person the gemeente issued nothing to has no address
            continue
        # The demo maps every postcode it hands out: no placed client may be left without a wijk.
        postcode = line["postcode"].replace(" ", "").upper()
        assert postcode in mapped or postcode[:4] in mapped, "the demo maps every postcode"
        gemeente, standard = records.gemeente_standard(period)
        wijk = "WK" + line["buurt_code"][2:8]
        for jaar in range(begin.year, (end or records.peildatum).year + 1):
            age = jaar - line["geboortejaar"] if line["geboortejaar"] else None
            expected[(gemeente, standard, wijk, jaar, _band(age))].add(client)

    rows = _rows(warehouse, "select * from marts.wijk_clienten_jaar")
    found = {
        (r["gemeente_code"], r["standard"], r["wijk_code"], r["jaar"], r["leeftijdsklasse"]): r
        for r in rows
    }
    counted = {key: r["clienten_in_zorg"] for key, r in found.items() if r["clienten_in_zorg"]}
    assert counted == {key: len(members) for key, members in expected.items()}
    # Every wijk the demo's KWB lists has every band, zero where nobody is in zorg.
    assert any(r["clienten_in_zorg"] == 0 for r in rows)
    assert len({r["leeftijdsklasse"] for r in rows}) == len(BANDS) + 1
    # The rate is over the band's population in the wijk that year, from the KWB file.
    with_population = [r for r in rows if r["inwoners"] and r["clienten_in_zorg"]]
    assert with_population
    for r in with_population:
        assert r["per_1000_inwoners"] == pytest.approx(
            1000 * r["clienten_in_zorg"] / r["inwoners"], abs=0.01
        )
    # CBS's own count for the wijk sits beside it (the demo writes KWB figures per wijk).
    assert any(r["cbs_clienten_wijk"] is not None for r in rows)


def test_dim_gebied_lists_the_wijken_and_buurten_of_the_clients(demo):
    truth, warehouse = demo
    buurten = {line["buurt_code"] for line in truth["care"] if line["buurt_code"]}
    wijken = {"WK" + b[2:8] for b in buurten}
    gebieden = {r["gebied_code"]: r for r in _rows(warehouse, "select * from marts.dim_gebied")}
    assert buurten | wijken <= set(gebieden)
    for code in buurten:
        assert gebieden[code]["gebied_niveau"] == "buurt"
        assert gebieden[code]["wijk_code"] == "WK" + code[2:8]
    for code in wijken:
        assert gebieden[code]["gebied_niveau"] == "wijk"
        assert gebieden[code]["inwoners"] > 0
