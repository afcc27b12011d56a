"""The semantic layer's metrics through MetricFlow (sdw.metrics) on the session's demo: the SQL
MetricFlow writes, run on the published marts, gives the values of the marts that count the
same thing (each proven against the generator's ground truth in test_stuurinformatie.py)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from sdw import metrics
from sdw.metrics import MetricQuery
from sdw.serving import reader


@pytest.fixture(scope="module")
def warehouse(demo, no_target) -> Path:
    return demo[1]


@pytest.fixture(scope="module")
def no_target():
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SDW_TARGET", raising=False)
        yield patch


def ask(warehouse: Path, query: MetricQuery) -> pd.DataFrame:
    with reader(warehouse) as con:
        return metrics.run(con, query)


def mart(warehouse: Path, sql: str) -> pd.DataFrame:
    with reader(warehouse) as con:
        return con.execute(sql).df()


def same(found: dict, expected: dict) -> None:
    assert found.keys() == expected.keys()
    for key, values in expected.items():
        for got, want in zip(found[key], values, strict=True):
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert got is None or math.isnan(got), key
            else:
                assert got == pytest.approx(want, rel=1e-9), key


def test_clients_in_zorg_instroom_uitstroom_per_month_equal_the_mart(warehouse):
    frame = ask(
        warehouse,
        MetricQuery(
            metrics=("clienten_in_zorg", "instroom", "uitstroom"),
            group_by=("gemeente", "domein"),
            grain="month",
        ),
    )
    found = {
        (r.gemeente, r.domein, r.metric_time__month.date()): (
            r.clienten_in_zorg,
            r.instroom,
            r.uitstroom,
        )
        for r in frame.itertuples()
    }
    expected = {
        (r.gemeente_code, r.standard, r.maand_start.date()): (
            r.clienten_in_zorg,
            r.instroom,
            r.uitstroom,
        )
        for r in mart(warehouse, "select * from marts.gemeente_clienten_maand").itertuples()
    }
    assert len(expected) > 24
    same(found, expected)


def test_wachttijd_per_aanbieder_productcategorie_and_year_equals_aanbieder_jaar(warehouse):
    frame = ask(
        warehouse,
        MetricQuery(
            metrics=("wachttijd_mediaan", "wachttijd_p80"),
            group_by=("gemeente", "domein", "aanbieder", "product__product_categorie"),
            grain="year",
        ),
    )
    found = {
        (
            r.gemeente,
            r.domein,
            r.aanbieder,
            r.product__product_categorie,
            r.metric_time__year.year,
        ): (r.wachttijd_mediaan, r.wachttijd_p80)
        for r in frame.itertuples()
        if not pd.isna(r.wachttijd_mediaan)
    }
    rows = mart(warehouse, "select * from marts.aanbieder_jaar where clienten_gestart > 0")
    expected = {
        (r.gemeente_code, r.standard, r.aanbieder_agb, r.product_categorie, r.jaar): (
            r.wachttijd_mediaan,
            r.wachttijd_p80,
        )
        for r in rows.itertuples()
    }
    assert len(expected) >= 50
    same(found, expected)


def test_budget_uitputting_per_budget_line_and_month_equals_the_mart(warehouse):
    frame = ask(
        warehouse,
        MetricQuery(
            metrics=("budget_uitputting", "budget_plafond", "budget_gedeclareerd"),
            group_by=("gemeente", "domein", "budget_maand__budget_key"),
            grain="month",
        ),
    )
    found = {
        (r.gemeente, r.domein, r.budget_maand__budget_key, r.metric_time__month.date()): (
            r.budget_uitputting,
            r.budget_plafond,
            r.budget_gedeclareerd,
        )
        for r in frame.itertuples()
    }
    rows = mart(warehouse, "select * from marts.gemeente_budget_uitputting")
    expected = {
        (r.gemeente_code, r.standard, r.budget_key, r.maand_start.date()): (
            r.uitputting_percentage,
            float(r.plafond_eur),
            float(r.gedeclareerd_cumulatief_eur),
        )
        for r in rows.itertuples()
    }
    assert len(expected) > 100
    same(found, expected)
    # A year is its last month: the plafond once, not summed over the months.
    per_year = ask(
        warehouse,
        MetricQuery(metrics=("budget_plafond",), group_by=("gemeente", "domein"), grain="year"),
    )
    last = rows[rows.maand_start == rows.groupby(["gemeente_code", "standard", "jaar"])
                .maand_start.transform("max")]  # fmt: skip
    totals = last.groupby(["gemeente_code", "standard", "jaar"]).plafond_eur.sum()
    assert {
        (r.gemeente, r.domein, r.metric_time__year.year): float(r.budget_plafond)
        for r in per_year.itertuples()
    } == {key: float(value) for key, value in totals.items()}


def test_keten_shares_per_aanbieder_and_month_equal_the_mart(warehouse):
    frame = ask(
        warehouse,
        MetricQuery(
            metrics=("aandeel_zonder_start", "aandeel_te_laat_gemeld"),
            group_by=("gemeente", "domein", "aanbieder"),
            grain="month",
        ),
    )
    found = {
        (r.gemeente, r.domein, r.aanbieder, r.metric_time__month.date()): (
            r.aandeel_zonder_start,
            r.aandeel_te_laat_gemeld,
        )
        for r in frame.itertuples()
    }
    rows = mart(warehouse, "select * from marts.keten_aanbieder_maand")
    expected = {
        (r.gemeente_code, r.standard, r.aanbieder_agb, r.maand_start.date()): (
            r.aandeel_zonder_start,
            r.aandeel_te_laat_gemeld,
        )
        for r in rows.itertuples()
    }
    same(found, expected)


def test_declared_amount_per_productcategorie_and_year_equals_the_cost_mart(warehouse):
    frame = ask(
        warehouse,
        MetricQuery(
            metrics=("gedeclareerd_bedrag",),
            group_by=("gemeente", "domein", "product__product_categorie"),
            grain="year",
        ),
    )
    found = {
        (r.gemeente, r.domein, r.product__product_categorie, r.metric_time__year.year): (
            float(r.gedeclareerd_bedrag),
        )
        for r in frame.itertuples()
    }
    rows = mart(
        warehouse,
        "select gemeente_code, standard, product_categorie, jaar, sum(gedeclareerd_eur) as eur "
        "from marts.gemeente_product_kosten_jaar group by gemeente_code, standard, "
        "product_categorie, jaar",
    )
    expected = {
        (r.gemeente_code, r.standard, r.product_categorie, r.jaar): (float(r.eur),)
        for r in rows.itertuples()
    }
    assert len(expected) >= 10
    same(found, expected)


def test_dimensions_filters_and_labels(warehouse):
    offered = {d.name: d.label for d in metrics.dimensions(["clienten_in_zorg", "instroom"])}
    for name in (
        "domein__naam",
        "gemeente",
        "gemeente__gemeente_naam",
        "gemeente__jeugdregio_naam",
        "client__leeftijdsklasse",
        "client__wijk",
    ):
        assert name in offered
    assert offered["client__leeftijdsklasse"] == "Leeftijdsklasse"
    assert "client" not in offered  # no person-level grouping
    labels = {m.name: m.label for m in metrics.metrics()}
    assert labels["clienten_in_zorg"] == "Cliënten in zorg"
    assert {"budget_uitputting", "kosten_per_client", "aandeel_herhaald_beroep_6m"} <= set(labels)

    # A filter on a dimension and a period: the distinct Wmo clients in 2025's months.
    frame = ask(
        warehouse,
        MetricQuery(
            metrics=("clienten_in_zorg",),
            group_by=("client__leeftijdsklasse",),
            filters=(("domein__naam", ("Wmo",)),),
            van=pd.Timestamp("2025-01-01").date(),
            tot=pd.Timestamp("2025-12-31").date(),
        ),
    )
    rows = mart(
        warehouse,
        "select c.leeftijdsklasse, count(distinct m.client_pseudonym) as n "
        "from marts.fct_client_maand as m "
        "left join marts.dim_client as c on m.client_pseudonym = c.client_pseudonym "
        "where m.standard = 'iwmo' and extract(year from m.maand_start) = 2025 "
        "group by c.leeftijdsklasse",
    )
    assert dict(zip(frame.client__leeftijdsklasse, frame.clienten_in_zorg, strict=True)) == dict(
        zip(rows.leeftijdsklasse, rows.n, strict=True)
    )
    assert sum(rows.n) > 100


def test_a_request_metricflow_cannot_answer_is_a_clear_error(warehouse):
    with pytest.raises(metrics.MetricQueryError, match="bestaat_niet"):
        metrics.sql(MetricQuery(metrics=("bestaat_niet",)))
    with pytest.raises(metrics.MetricQueryError, match="time grain"):
        metrics.sql(MetricQuery(metrics=("instroom",), grain="eeuw"))
    with pytest.raises(metrics.MetricQueryError, match="dimension name"):
        metrics.sql(MetricQuery(metrics=("instroom",), filters=(("x') or 1=1 --", ("a",)),)))


def test_a_download_blanks_small_counts_of_persons_and_what_they_carry(warehouse):
    """Verkenner downloads leave the warehouse: a row whose zorgperioden number from 1 to the
    threshold - 1 has its figures blanked; every other row keeps the figures `run` gives."""
    from sdw.config import dbt_var

    minimum = int(dbt_var("kleine_aantallen_drempel"))
    keys = ["metric_time__year", "aanbieder", "product__product_categorie"]
    query = MetricQuery(
        metrics=("wachttijd_mediaan", "zorgduur_mediaan"), group_by=tuple(keys[1:]), grain="year"
    )
    count = MetricQuery(metrics=("zorgperioden_gestart",), group_by=query.group_by, grain="year")
    whole = {tuple(r[k] for k in keys): r for r in ask(warehouse, query).to_dict("records")}
    counts = {tuple(r[k] for k in keys): r for r in ask(warehouse, count).to_dict("records")}
    with reader(warehouse) as con:
        shared = metrics.run_suppressed(con, query, minimum)
    assert list(shared.columns) == [*keys, "wachttijd_mediaan", "zorgduur_mediaan"]
    small = {k for k, r in counts.items() if 1 <= r["zorgperioden_gestart"] < minimum}
    assert small and len(small) < len(whole)
    blanked = {
        tuple(r[k] for k in keys) for r in shared.to_dict("records") if r[query.metrics[0]] is None
    }
    assert small <= blanked
    assert blanked - small, "the demo has lone blanks to cover, so the complement is exercised"
    for row in shared.to_dict("records"):
        key = tuple(row[k] for k in keys)
        for metric in query.metrics:
            if key in blanked:
                assert row[metric] is None, (key, metric)
            else:
                same({key: [row[metric]]}, {key: [whole[key][metric]]})
    # A download grouped by every key but one would give a lone blank back: there is none.
    for i in range(len(keys)):
        groups: dict[tuple, list[bool]] = {}
        for key in whole:
            groups.setdefault(key[:i] + key[i + 1 :], []).append(key in blanked)
        assert all(sum(flags) != 1 or len(flags) == 1 for flags in groups.values()), keys[i]


def test_a_lone_blank_takes_the_smallest_other_row_of_its_group_with_it():
    """Planted: gemeenten 1 and 2, aanbieders A..C; 1's A is small. Grouped by aanbieder
    alone, A's total less 2's A gives 1's A back, so 2's A goes too; grouped by gemeente, each
    gemeente then has one blank, so each loses one more row: C in both (1's smallest, and the
    row that pairs up 1's C), a rectangle, where the smallest rows alone would spread blanks
    over the whole table."""
    keys = pd.DataFrame(
        {"gemeente": ["1", "1", "1", "2", "2", "2"], "aanbieder": ["A", "B", "C", "A", "B", "C"]}
    )
    size = pd.Series([3, 40, 12, 50, 60, 70])
    blank = metrics._complement(keys, pd.Series([True] + [False] * 5), size)
    assert list(blank) == [True, False, True, True, False, True]  # a rectangle: A and C
    # every group of both coarser downloads holds no lone blank
    for key in ("gemeente", "aanbieder"):
        assert all(n != 1 for n in blank.groupby(keys[key]).sum())
