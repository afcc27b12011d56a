"""What readers read: the marts of the last successful build, never a build in progress.

On DuckDB one process may write the warehouse file, and a reader that opens it blocks that
writer (and fails while the writer holds it). So each successful build ends by publishing the
marts into a serving file beside the warehouse (`<stem>.serving.duckdb`): written whole under
a temporary name, flushed to disk, then renamed over the previous one in one atomic step.
Readers (the dashboard, `sdw export`, BI tools) open the serving file read-only: they see the
previous complete build until the next one is published, and never hold the warehouse.

On PostgreSQL dbt replaces each mart in a transaction of its own, so a reader sees a whole
table, old or new; readers there read the server itself and nothing is published.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb

from sdw.warehouse import connect, location, target

SCHEMA = "marts"


def serving_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.serving.duckdb")


def source(warehouse: Path) -> str:
    """What readers read, for people: the serving file, or the PostgreSQL server."""
    return location(serving_path(warehouse))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_marts(con: Any, into: str) -> int:
    """Every table of the marts, with the descriptions dbt persisted, into database `into`."""
    tables = con.execute(
        "select table_name, comment from duckdb_tables() "
        "where database_name = current_database() and schema_name = ? order by table_name",
        [SCHEMA],
    ).fetchall()
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where database_name = current_database() and schema_name = ? and comment is not null",
        [SCHEMA],
    ).fetchall()
    con.execute(f"create schema {into}.{SCHEMA}")
    for name, comment in tables:
        con.execute(f"create table {into}.{SCHEMA}.{name} as select * from {SCHEMA}.{name}")
        if comment:
            con.execute(f"comment on table {into}.{SCHEMA}.{name} is {_literal(comment)}")
    for table, column, comment in columns:
        con.execute(f"comment on column {into}.{SCHEMA}.{table}.{column} is {_literal(comment)}")
    return len(tables)


def publish(warehouse: Path) -> float | None:
    """Publish the warehouse's marts for readers; the seconds it took (None on PostgreSQL,
    where readers read the server). Call it only after a successful build: what it publishes
    is what readers see until the next call."""
    if target() == "postgres":
        return None
    started = time.perf_counter()
    serving = serving_path(warehouse)
    temporary = serving.with_name(f".{serving.name}.tmp")
    # The writer's lock on the warehouse serialises publishers, so one temporary name serves;
    # one left by a publish that was killed is simply replaced.
    for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        with connect(warehouse) as con:
            con.execute(f"attach {_literal(str(temporary))} as serving")
            try:
                con.execute("begin")
                _copy_marts(con, "serving")
                con.execute("commit")
                con.execute("checkpoint serving")
            finally:
                con.execute("detach serving")
        # As private as the warehouse it is taken from: it holds the same person-level marts.
        os.chmod(temporary, warehouse.stat().st_mode & 0o777)
        _fsync(temporary)
        os.replace(temporary, serving)
        _fsync(serving.parent)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise
    return time.perf_counter() - started


@contextmanager
def reader(warehouse: Path) -> Iterator[Any]:
    """A read-only connection to what readers see: the published marts on DuckDB, the server on
    PostgreSQL. Open one per request: it keeps the snapshot it opened, and the next one sees
    the latest publish."""
    if target() == "postgres":
        with connect(warehouse, read_only=True) as con:
            yield con
        return
    serving = serving_path(warehouse)
    if not serving.exists():
        raise FileNotFoundError(
            f"no published marts at {serving}: run `sdw build` or `sdw run` first"
        )
    # Attached to an in-memory database rather than opened with duckdb.connect(path): that
    # returns the database already open in this process under the same path, which after a
    # publish is the replaced file, for as long as any request still holds it.
    con = duckdb.connect()
    try:
        con.execute(f"attach {_literal(str(serving))} as serving (read_only)")
        con.execute("use serving")
        yield con
    finally:
        con.close()
