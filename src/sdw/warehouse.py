"""The warehouse: connections, transactions, and the raw tables the sources declare.

Two targets, chosen by SDW_TARGET (what `--target` sets): `duckdb`, the embedded file at
SDW_WAREHOUSE, and `postgres`, a server named by SDW_PG_HOST, SDW_PG_PORT, SDW_PG_USER,
SDW_PG_PASSWORD and SDW_PG_DATABASE (the variables profiles.yml reads). Loaders, the quality
runner and status speak to either through the same few calls: `execute(sql, params)` with `?`
placeholders, `transaction`, `register` of a pandas frame as a table, and `insert_rows`,
which on PostgreSQL is a COPY. This is the ground floor: it knows no source. Each source declares
its raw tables (sdw.raw.RawTable) and hands them to `ensure_raw_schema` and `insert_rows`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from sdw.raw import RawTable

SCHEMAS = ("raw", "staging", "cleaned", "marts")
TARGETS = ("duckdb", "postgres")


def target() -> str:
    """The warehouse sdw and dbt use: SDW_TARGET, `duckdb` unless told otherwise."""
    name = os.environ.get("SDW_TARGET") or "duckdb"
    if name not in TARGETS:
        raise ValueError(f"SDW_TARGET must be one of {', '.join(TARGETS)}, got {name!r}")
    return name


def postgres_settings() -> dict[str, str]:
    """Connection parameters from SDW_PG_*, with the defaults profiles.yml has."""
    return {
        "host": os.environ.get("SDW_PG_HOST") or "127.0.0.1",
        "port": os.environ.get("SDW_PG_PORT") or "5432",
        "user": os.environ.get("SDW_PG_USER") or "sdw",
        "password": os.environ.get("SDW_PG_PASSWORD") or "",
        "dbname": os.environ.get("SDW_PG_DATABASE") or "sociaal_domein",
    }


class PostgresResult:
    """What `PostgresConnection.execute` returns: DuckDB's fetch methods over a cursor."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def df(self) -> pd.DataFrame:
        """As DuckDB's .df() gives it: integers as (nullable) Int64, numeric as float64, dates
        as datetime64, so that what is computed from the frame (the quality runner's finding
        texts) is the same."""
        description = self._cursor.description
        frame = pd.DataFrame(
            self._cursor.fetchall(), columns=[column.name for column in description], dtype=object
        )
        for column in description:
            kind = _FRAME_TYPES.get(column.type_code)
            if kind == "datetime64":
                frame[column.name] = pd.to_datetime(frame[column.name])
            elif kind:
                frame[column.name] = frame[column.name].astype(kind)
        return frame


# PostgreSQL type oids and the pandas dtype DuckDB gives the same SQL type.
_FRAME_TYPES = {
    20: "Int64", 21: "Int64", 23: "Int64",  # bigint, smallint, integer
    700: "float64", 701: "float64", 1700: "float64",  # real, double precision, numeric
    16: "boolean",  # boolean
    1082: "datetime64",  # date
}  # fmt: skip


class PostgresConnection:
    """A psycopg connection in autocommit mode, so that `begin`/`commit` (or the statements
    `begin transaction`/`commit`/`rollback`) delimit transactions exactly as on DuckDB."""

    target = "postgres"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PostgresResult:
        cursor = self.raw.cursor()
        if params is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql.replace("?", "%s"), list(params))
        return PostgresResult(cursor)

    def begin(self) -> None:
        self.execute("begin")

    def commit(self) -> None:
        self.execute("commit")

    def rollback(self) -> None:
        self.execute("rollback")

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """A temporary table holding the frame (text columns), as DuckDB's register would."""
        columns = ", ".join(f"{column} text" for column in frame.columns)
        self.execute(f"drop table if exists pg_temp.{name}")
        self.execute(f"create temporary table {name} ({columns})")
        with self.raw.cursor().copy(f"copy pg_temp.{name} from stdin") as copy:
            for row in frame.itertuples(index=False):
                copy.write_row([None if pd.isna(v) else str(v) for v in row])

    def unregister(self, name: str) -> None:
        self.execute(f"drop table if exists pg_temp.{name}")

    def close(self) -> None:
        self.raw.close()


def _connect_postgres() -> PostgresConnection:
    import psycopg  # only when the target is PostgreSQL

    try:
        raw = psycopg.connect(**postgres_settings(), autocommit=True)
    except psycopg.OperationalError as error:
        parameters = postgres_settings()
        raise ConnectionError(
            f"cannot reach PostgreSQL at {parameters['host']}:{parameters['port']} as "
            f"{parameters['user']} (SDW_PG_* variables; `make postgres` starts a local one): "
            f"{str(error).strip()}"
        ) from error
    return PostgresConnection(raw)


def location(path: Path) -> str:
    """Where the current target's warehouse is, for people: the file or the server."""
    if target() == "postgres":
        pg = postgres_settings()
        return f"postgresql://{pg['user']}@{pg['host']}:{pg['port']}/{pg['dbname']}"
    return str(path)


def is_postgres(con: Any) -> bool:
    return isinstance(con, PostgresConnection)


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[Any]:
    """The warehouse of the current target: the DuckDB file at `path`, or the PostgreSQL
    server SDW_PG_* name (then `path` is not used)."""
    if target() == "postgres":
        con = _connect_postgres()
        try:
            yield con
        finally:
            con.close()
        return
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `sdw run` or `make demo` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


class OutdatedWarehouseError(Exception):
    """A raw message table was made by an older version of the loader."""


_POSTGRES_TYPES = {"DOUBLE": "DOUBLE PRECISION"}


@contextmanager
def transaction(con: Any) -> Iterator[None]:
    """Every write to the warehouse runs in one: all or none (a file's rows, a batch of files,
    a check run), so an interrupted write leaves no half state."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def ensure_raw_schema(con: Any, tables: Iterable[RawTable]) -> None:
    """The schemas, and these raw tables as declared (made if missing)."""
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    existing: dict[str, list[str]] = {}
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'raw' order by table_name, ordinal_position"
    ).fetchall():
        existing.setdefault(table, []).append(column)
    for table in tables:
        columns = list(table.columns)
        if table.rebuild_on_change and existing.get(table.name, columns) != columns:
            raise OutdatedWarehouseError(
                f"raw.{table.name} has the columns of an older version; remove the warehouse "
                "file and load the files again"
            )
        types = table.column_types()
        if is_postgres(con):
            types = {c: _POSTGRES_TYPES.get(t, t) for c, t in types.items()}
        ddl = ", ".join(f"{column} {data_type}" for column, data_type in types.items())
        con.execute(f"create table if not exists raw.{table.name} ({ddl})")


def table_exists(con: Any, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def insert_rows(con: Any, table: RawTable, rows: list[tuple]) -> None:
    """Bulk insert into a raw table, rows in its declared column order: one columnar scan
    (DuckDB) or one COPY (PostgreSQL) instead of a statement per row."""
    if is_postgres(con):
        columns = ", ".join(table.columns)
        with con.raw.cursor().copy(f"copy raw.{table.name} ({columns}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # DuckDB finds the frame by its variable name (a replacement scan): registering and
    # unregistering a view instead costs some 6 ms a call, most of a small batch's insert.
    rows_to_insert = pd.DataFrame(rows, columns=list(table.columns), dtype=object)  # noqa: F841
    con.execute(f"insert into raw.{table.name} by name select * from rows_to_insert")
