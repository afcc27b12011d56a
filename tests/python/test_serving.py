"""Readers and the pipeline coexist: each successful build publishes the marts into a serving
file that readers open read-only, so a reader never fails on a running build and a build never
fails on a reader; a failed build publishes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import FIXTURE_MESSAGES

from orchestration.definitions import defs
from sdw import serving
from sdw.build import PUBLISH, BuildError, build
from sdw.config import settings
from sdw.dashboard import pages, queries
from sdw.messages.load import ingest_messages
from sdw.serving import publish, reader, serving_path


def marts(path: Path) -> dict[str, int]:
    """Every table of schema marts in a DuckDB file, with its row count."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        return {
            name: con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            for (name,) in names
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture messages loaded and built once (dbt, checks, quality marts, published)."""
    root = tmp_path_factory.mktemp("serving")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SDW_PSEUDONYM_KEY", "SDW_INBOX", "SDW_TARGET", "SDW_XSD_DIR"):
            patch.delenv(name, raising=False)
        patch.setenv("SDW_WAREHOUSE", str(root / "warehouse" / "w.duckdb"))
        patch.setenv("SDW_QUARANTINE", str(root / "quarantine"))
        patch.setenv("SDW_REPORTS", str(root / "reports"))
        ingest_messages([FIXTURE_MESSAGES], settings())
        build(settings())
    return root / "warehouse" / "w.duckdb"


@pytest.fixture
def env(built, monkeypatch) -> Path:
    for name in ("SDW_PSEUDONYM_KEY", "SDW_INBOX", "SDW_TARGET", "SDW_XSD_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SDW_WAREHOUSE", str(built))
    monkeypatch.setenv("SDW_QUARANTINE", str(built.parent.parent / "quarantine"))
    monkeypatch.setenv("SDW_REPORTS", str(built.parent.parent / "reports"))
    return built


def test_a_build_publishes_every_mart_beside_the_warehouse(env):
    published = serving_path(env)
    assert published == env.parent / "w.serving.duckdb"
    in_warehouse = marts(env)
    assert "fct_zorgperiode" in in_warehouse and "dq_findings" in in_warehouse
    assert marts(published) == in_warehouse
    with duckdb.connect(str(published), read_only=True) as con:
        # only the marts: nothing of raw, staging or cleaned leaves with it
        schemas = {s for (s,) in con.execute("select schema_name from duckdb_schemas()").fetchall()}
        assert schemas & {"raw", "staging", "cleaned"} == set()
        # the descriptions dbt persisted come along, for BI tools
        (comment,) = con.execute(
            "select comment from duckdb_tables() where table_name = 'fct_zorgperiode'"
        ).fetchone()
        assert comment
    assert oct(published.stat().st_mode & 0o777) == oct(env.stat().st_mode & 0o777)
    assert [p.name for p in env.parent.iterdir() if p.name.startswith(".")] == []


def test_readers_never_fail_while_a_build_runs(env):
    """Dashboard queries in threads, all the while a second `sdw build` runs in another
    process: not one query fails, each sees a complete build, and the build succeeds."""
    with reader(env) as con:
        gemeente = queries.gemeenten(con).gemeente_code.iloc[0]
    before = serving_path(env).stat().st_ino
    where = queries.Filter(
        gemeente=gemeente,
        standard="iwmo",
        van=queries.date(2020, 1, 1),
        tot=queries.date(2030, 12, 1),
    )
    stop = threading.Event()
    errors: list[BaseException] = []
    reads: list[int] = []

    def hammer() -> None:
        while not stop.is_set():
            try:
                with reader(env) as con:
                    for panel in pages.panels():
                        queries.panel(con, panel.sql, where)
                    zorgperioden = con.execute("select count(*) from marts.fct_zorgperiode")
                    assert zorgperioden.fetchone()[0] == 2  # the fixture's two
                reads.append(1)
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        second = subprocess.run(
            [sys.executable, "-m", "sdw.cli", "build"],
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert second.returncode == 0, second.stderr[-2000:]
    assert errors == []
    assert len(reads) > 10
    assert serving_path(env).stat().st_ino != before  # the second build was published


def test_a_failed_build_publishes_nothing(env, monkeypatch):
    published = serving_path(env)
    before = (published.stat().st_ino, published.stat().st_mtime_ns, marts(published))
    monkeypatch.setattr("sdw.build.DBT_EXECUTABLE", Path("/bin/false"))  # dbt fails
    with pytest.raises(BuildError):
        build(settings())
    assert (published.stat().st_ino, published.stat().st_mtime_ns, marts(published)) == before


def test_a_publish_interrupted_before_the_swap_leaves_the_previous_file(env, monkeypatch):
    published = serving_path(env)
    before = (published.stat().st_ino, marts(published))

    def disk_full(path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serving, "_fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        publish(env)
    assert (published.stat().st_ino, marts(published)) == before
    assert sorted(p.name for p in env.parent.iterdir()) == ["w.duckdb", "w.serving.duckdb"]


def test_readers_see_a_publish_at_their_next_connection(env):
    """A reader keeps the snapshot it opened; the next connection in the same process sees
    the new publish (not DuckDB's instance of the replaced file, still open in the process)."""
    probe = "select count(*) from information_schema.tables where table_name = 'probe'"
    with reader(env) as old:
        with duckdb.connect(str(env)) as con:
            con.execute("create table marts.probe as select 1 as x")
        try:
            publish(env)
            with reader(env) as new:
                assert new.execute(probe).fetchone()[0] == 1
            assert old.execute(probe).fetchone()[0] == 0
            assert old.execute("select count(*) from marts.fct_zorgperiode").fetchone()[0] == 2
        finally:
            with duckdb.connect(str(env)) as con:
                con.execute("drop table marts.probe")
            publish(env)


def test_without_a_published_build_readers_are_told_to_build(tmp_path, monkeypatch):
    monkeypatch.delenv("SDW_TARGET", raising=False)
    with pytest.raises(FileNotFoundError, match="sdw build"), reader(tmp_path / "w.duckdb"):
        pass


def test_the_dagster_run_publishes_last_after_every_mart():
    graph = defs.resolve_asset_graph()
    published = graph.get(dg.AssetKey(["serving", "marts"]))
    every_mart = {key for key in graph.get_all_asset_keys() if key.path[0] == "marts"}
    assert every_mart and published.parent_keys == every_mart
    for job in ("inbox_job", "full_refresh_job"):
        assert PUBLISH.name in defs.resolve_job_def(job).graph.node_names()
