"""The warehouse on PostgreSQL: the same loaders, dbt project and checks as on DuckDB give the
same marts, and role sdw_bi_reader reads the marts and nothing else.

A PostgreSQL server of the test's own runs on loopback in a temporary folder (sdw.pg_local).
Without PostgreSQL binaries the tests skip, unless SDW_REQUIRE_POSTGRES=1 (CI) makes that a
failure.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import psycopg
import pytest
import yaml

from sdw.build import build
from sdw.config import PROJECT_DIR, settings
from sdw.dashboard import pages, queries
from sdw.export import export_parquet
from sdw.messages.load import ingest_messages
from sdw.pg_local import PostgresUnavailable, bin_dir, create_database, start, stop
from sdw.pipeline import run_pipeline
from sdw.serving import reader

FIXTURE_MESSAGES = PROJECT_DIR / "tests" / "fixtures" / "messages"
READER = "sdw_bi_reader"


@pytest.fixture(scope="session")
def pg_server():
    try:
        bin_dir()
    except PostgresUnavailable as missing:
        if os.environ.get("SDW_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"SDW_REQUIRE_POSTGRES=1: {missing}")
        pytest.skip(str(missing))
    folder = Path(tempfile.mkdtemp(prefix="sdw-pg-"))
    try:
        yield start(folder)
    finally:
        stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def use_postgres(patch: pytest.MonkeyPatch, server: dict[str, str], database: str) -> None:
    create_database(server, database)
    for name, value in server.items():
        patch.setenv(name, value)
    patch.setenv("SDW_PG_DATABASE", database)
    patch.setenv("SDW_TARGET", "postgres")


def pg_connect(server: dict[str, str], database: str, user: str | None = None):
    return psycopg.connect(
        host=server["SDW_PG_HOST"],
        port=server["SDW_PG_PORT"],
        user=user or server["SDW_PG_USER"],
        dbname=database,
        autocommit=True,
    )


def _value(value):
    """One cell, comparable across the two databases: numbers as floats to 9 digits."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return float(f"{number:.9g}") if math.isfinite(number) else number
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def mart_rows(duck: duckdb.DuckDBPyConnection, pg, table: str) -> tuple[list, list]:
    """A mart's rows on DuckDB and on PostgreSQL, sorted, without timestamp columns (when a
    check ran or a file was loaded differs between the two runs by nature)."""
    columns = [
        name
        for name, data_type in duck.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        if not data_type.startswith("TIMESTAMP")
    ]
    query = f"select {', '.join(columns)} from marts.{table}"
    key = lambda row: tuple((v is None, str(v)) for v in row)  # noqa: E731
    on_duck = sorted((tuple(map(_value, r)) for r in duck.execute(query).fetchall()), key=key)
    on_pg = sorted((tuple(map(_value, r)) for r in pg.execute(query).fetchall()), key=key)
    return on_duck, on_pg


def assert_same_marts(duck_path: Path, server: dict[str, str], database: str) -> dict[str, int]:
    with duckdb.connect(str(duck_path), read_only=True) as duck, pg_connect(server, database) as pg:
        marts = [
            name
            for (name,) in duck.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "order by table_name"
            ).fetchall()
        ]
        on_pg = {
            name
            for (name,) in pg.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        assert set(marts) == on_pg
        counts = {}
        for table in marts:
            on_duck, on_postgres = mart_rows(duck, pg, table)
            only_duck = [row for row in on_duck if row not in on_postgres][:3]
            only_pg = [row for row in on_postgres if row not in on_duck][:3]
            assert on_postgres == on_duck, (
                f"marts.{table} differs: only on DuckDB {only_duck}; only on PostgreSQL {only_pg}"
            )
            counts[table] = len(on_duck)
    return counts


@pytest.fixture(scope="module")
def fixture_warehouses(pg_server, tmp_path_factory) -> tuple[Path, str]:
    """tests/fixtures/messages loaded and built (dbt, checks, quality marts) on DuckDB and on
    PostgreSQL (database `fixture`)."""
    root = tmp_path_factory.mktemp("pg_fixture")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SDW_PSEUDONYM_KEY", "SDW_INBOX", "SDW_TARGET", "SDW_XSD_DIR"):
            patch.delenv(name, raising=False)
        patch.setenv("SDW_WAREHOUSE", str(root / "fixture.duckdb"))
        patch.setenv("SDW_QUARANTINE", str(root / "quarantine"))
        patch.setenv("SDW_REPORTS", str(root / "reports"))
        ingest_messages([FIXTURE_MESSAGES], settings())
        build(settings())
        use_postgres(patch, pg_server, "fixture")
        first = ingest_messages([FIXTURE_MESSAGES], settings())
        again = ingest_messages([FIXTURE_MESSAGES], settings())
        build(settings())
    assert (first.loaded, first.quarantined) == (9, 2)
    assert (again.loaded, again.quarantined, again.skipped) == (0, 0, 11)
    return root / "fixture.duckdb", "fixture"


def test_fixture_messages_load_and_build_the_same_on_postgres(fixture_warehouses, pg_server):
    duck_path, database = fixture_warehouses
    with (
        duckdb.connect(str(duck_path), read_only=True) as duck,
        pg_connect(pg_server, database) as pg,
    ):
        query = "select file_id, path, status, reason from raw.ingest_files order by path"
        assert pg.execute(query).fetchall() == duck.execute(query).fetchall()
        query = "select check_name, finding_key from raw.dq_check_results order by 1, 2"
        assert pg.execute(query).fetchall() == duck.execute(query).fetchall()
    counts = assert_same_marts(duck_path, pg_server, database)
    # the fixture's two clients, each with one zorgperiode, and its two quarantined files
    assert counts["fct_zorgperiode"] == 2
    assert counts["dim_client"] == 2


def test_bi_reader_reads_marts_and_nothing_else(fixture_warehouses, pg_server):
    _, database = fixture_warehouses
    with pg_connect(pg_server, database) as owner:
        expected = owner.execute("select count(*) from marts.fct_zorgperiode").fetchone()[0]
    with pg_connect(pg_server, database, user=READER) as reader:
        assert reader.execute("select count(*) from marts.fct_zorgperiode").fetchone()[0] == (
            expected
        )
        assert reader.execute("select count(*) from marts.dq_findings").fetchone()[0] > 0
        for relation in (
            "raw.ingest_files",
            "raw.clienten",
            "staging.stg_istandaarden__berichten",
            "cleaned.berichten",
            "cleaned.zorgperioden",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                reader.execute(f"select * from {relation} limit 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            reader.execute("create table marts.mine (x integer)")


def dashboard_figures(warehouse: Path) -> dict[tuple, list]:
    """What every dashboard panel shows for every gemeente and domain over the whole period,
    read through the dashboard's own queries from the current target (SDW_TARGET), rows
    sorted (the two servers may collate text differently)."""
    figures: dict[tuple, list] = {}
    with reader(warehouse) as con:
        gemeenten = queries.gemeenten(con)
        bereik = queries.maanden(con)
        figures[("gemeenten",)] = sorted(map(tuple, gemeenten.itertuples(index=False)))
        van, tot = bereik.eerste.min().date(), bereik.laatste.max().date()
        agbs = list(queries.aanbieders(con).aanbieder_agb)
        for gemeente in gemeenten.gemeente_code:
            for standard in ("iwmo", "ijw"):
                for panel in pages.panels():
                    # a page about one aanbieder: every aanbieder's figures
                    chosen = agbs if "$aanbieder" in panel.sql else [None]
                    rows = []
                    for agb in chosen:
                        where = queries.Filter(gemeente, standard, van, tot, aanbieder=agb)
                        frame = queries.panel(con, panel.sql, where)
                        rows += [(agb, *map(_value, row)) for row in frame.itertuples(index=False)]
                    figures[(gemeente, standard, panel.id)] = sorted(
                        (tuple(None if pd.isna(v) else v for v in row) for row in rows), key=repr
                    )
    return figures


def assert_same_dashboard(duck_path: Path, server: dict[str, str], database: str) -> dict:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SDW_TARGET", "duckdb")
        on_duck = dashboard_figures(duck_path)
        use_postgres(patch, server, database)
        on_pg = dashboard_figures(duck_path.with_name("not_read.duckdb"))
    assert on_pg.keys() == on_duck.keys()
    for key, rows in on_duck.items():
        assert on_pg[key] == rows, key
    return on_duck


def test_dashboard_shows_the_same_figures_on_postgres(fixture_warehouses, pg_server):
    """`sdw --target postgres dashboard` reads the server, not the DuckDB file: the same
    queries give the same figures on both targets."""
    duck_path, database = fixture_warehouses
    figures = assert_same_dashboard(duck_path, pg_server, database)
    shown = {key[-1] for key, rows in figures.items() if rows and len(key) == 3}
    assert {"clienten", "wachttijd", "zorgduur", "scorecard"} <= shown


def test_demo_through_dagster_on_postgres_gives_the_same_marts(demo, pg_server, tmp_path):
    """The session's demo (every message type, CBS extracts, budgets, planted defects), run
    through the Dagster graph again with SDW_TARGET=postgres: every mart holds the same rows."""
    truth, duck_path = demo
    demo_dir = duck_path.parent.parent / "demo"
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SDW_PSEUDONYM_KEY", "SDW_XSD_DIR"):
            patch.delenv(name, raising=False)
        patch.setenv("SDW_WAREHOUSE", str(tmp_path / "unused.duckdb"))
        patch.setenv("SDW_INBOX", str(demo_dir / "inbox"))
        patch.setenv("SDW_CBS_DIR", str(demo_dir / "cbs"))
        patch.setenv("SDW_BUDGET_DIR", str(demo_dir / "budget"))
        patch.setenv("SDW_DOELEN_DIR", str(demo_dir / "doelen"))
        patch.setenv("SDW_POSTCODE_BUURT", str(demo_dir / "postcode_buurt.csv"))  # as the fixture
        patch.setenv("SDW_QUARANTINE", str(tmp_path / "quarantine"))
        patch.setenv("SDW_REPORTS", str(tmp_path / "reports"))
        patch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
        use_postgres(patch, pg_server, "demo")
        run_pipeline(settings())
    assert not (tmp_path / "unused.duckdb").exists()
    assert_same_marts(duck_path, pg_server, "demo")
    # every panel of the dashboard, budget and CBS benchmark included
    figures = assert_same_dashboard(duck_path, pg_server, "demo")
    assert {key[-1] for key, rows in figures.items() if rows and len(key) == 3} == {
        p.id for p in pages.panels()
    }
    # and against the generator's own records, not only against DuckDB:
    malformed = sum(1 for d in truth["defects"] if d["type"] == "malformed_xml")
    clients = truth["counts"]["clients"]
    with pg_connect(pg_server, "demo") as pg:
        loaded = pg.execute("select count(*) from raw.ingest_files where status = 'loaded'")
        assert loaded.fetchone()[0] == truth["counts"]["files"] - malformed
        allocated = pg.execute(
            "select count(distinct client_pseudonym) filter (where standard = 'iwmo'), "
            "count(distinct client_pseudonym) filter (where standard = 'ijw') "
            "from marts.fct_toewijzing_versie"
        )
        assert allocated.fetchone() == (clients["wmo"], clients["jeugd"])


def test_export_parquet_from_postgres_matches_duckdb(
    fixture_warehouses, pg_server, tmp_path, monkeypatch
):
    duck_path, database = fixture_warehouses
    monkeypatch.delenv("SDW_TARGET", raising=False)
    monkeypatch.setenv("SDW_WAREHOUSE", str(duck_path))
    from_duckdb = export_parquet(settings(), tmp_path / "duckdb")
    use_postgres(monkeypatch, pg_server, database)
    from_postgres = export_parquet(settings(), tmp_path / "postgres")
    assert from_postgres["files"] == from_duckdb["files"]  # rows and suppressed cells too
    with duckdb.connect() as local:
        for entry in from_duckdb["files"]:
            types, rows = {}, {}
            for side in ("duckdb", "postgres"):
                result = local.execute(f"select * from '{tmp_path / side / entry['file']}'")
                types[side] = [d[1] for d in result.description]
                # when a check ran differs between the two runs by nature
                keep = [i for i, t in enumerate(types[side]) if "TIMESTAMP" not in str(t)]
                rows[side] = sorted(str([row[i] for i in keep]) for row in result.fetchall())
            assert types["postgres"] == types["duckdb"], entry["file"]
            assert rows["postgres"] == rows["duckdb"], entry["file"]


def test_unit_test_names_fit_postgres_identifiers():
    """dbt names a unit test's relation after the test; PostgreSQL cuts identifiers at 63
    bytes and dbt then refuses to run the test. Checked without a server, so it fails early."""
    too_long = [
        f"{path.relative_to(PROJECT_DIR)}: {test['name']}"
        for path in sorted((PROJECT_DIR / "models").rglob("*.yml"))
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests") or []
        if len(test["name"].encode()) > 63
    ]
    assert not too_long, "unit test names longer than 63 bytes: " + ", ".join(too_long)


def test_metrics_through_metricflow_give_the_same_on_postgres(fixture_warehouses, pg_server):
    """sdw.metrics asks MetricFlow for PostgreSQL's SQL on that target: the same figures as on
    DuckDB, and the mart's."""
    from sdw.metrics import MetricQuery, run

    duck_path, database = fixture_warehouses

    def _cell(value):
        if value is None or pd.isna(value):
            return None
        if isinstance(value, dt.date):
            return pd.Timestamp(value)
        return _value(value.item() if hasattr(value, "item") else value)

    asked = [
        MetricQuery(
            ("clienten_in_zorg", "instroom", "uitstroom"), ("gemeente", "domein"), grain="month"
        ),
        MetricQuery(
            ("wachttijd_mediaan", "wachttijd_p80", "zorgperioden_gestart"), ("domein__naam",)
        ),
        MetricQuery(
            ("gedeclareerd_bedrag", "toewijzingen"), ("client__leeftijdsklasse",), grain="year"
        ),
    ]

    def answers() -> list:
        with reader(duck_path) as con:
            return [
                sorted(
                    (tuple(map(_cell, row)) for row in run(con, q).itertuples(index=False)),
                    key=repr,
                )
                for q in asked
            ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SDW_TARGET", "duckdb")
        on_duck = answers()
        use_postgres(patch, pg_server, database)
        on_pg = answers()
    assert on_pg == on_duck
    with pg_connect(pg_server, database) as pg:
        monthly = pg.execute(
            "select maand_start, gemeente_code, standard, clienten_in_zorg, instroom, uitstroom "
            "from marts.gemeente_clienten_maand"
        ).fetchall()
    assert monthly and on_pg[0] == sorted((tuple(map(_cell, row)) for row in monthly), key=repr)
