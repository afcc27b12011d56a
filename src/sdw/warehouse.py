"""The embedded DuckDB warehouse: connections and the raw schema the loaders own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from sdw.budget.layout import BUDGET_TABLES
from sdw.cbs.layout import CBS_TABLES
from sdw.messages.layout import INGEST_FILE_COLUMNS, table_columns
from sdw.quality.results import RESULT_COLUMNS, RUN_COLUMNS

SCHEMAS = ("raw", "staging", "cleaned", "marts")

# Raw keeps the source's text; these are the columns the loaders themselves compute.
_COLUMN_TYPES = {
    **dict.fromkeys(
        ("client_seq", "record_seq", "code_seq", "size_bytes", "message_count",
         "client_count", "product_count", "retour_code_count", "invalid_bsn_count",
         "evaluated_count", "finding_count", "row_seq", "row_count", "observation_count"),
        "INTEGER",
    ),
    "value": "DOUBLE",
    **dict.fromkeys(("bsn_valid", "success"), "BOOLEAN"),
    **dict.fromkeys(("loaded_at", "run_at"), "TIMESTAMP"),
}  # fmt: skip


def raw_tables() -> dict[str, tuple[str, ...]]:
    """Every table in the raw schema, loaders' and quality runner's alike."""
    return {
        "ingest_files": INGEST_FILE_COLUMNS,
        **table_columns(),
        "dq_check_runs": RUN_COLUMNS,
        "dq_check_results": RESULT_COLUMNS,
        **CBS_TABLES,
        **BUDGET_TABLES,
    }


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
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


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    existing: dict[str, list[str]] = {}
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'raw' order by table_name, ordinal_position"
    ).fetchall():
        existing.setdefault(table, []).append(column)
    message_tables = {"ingest_files", *table_columns()}
    for table, columns in raw_tables().items():
        if table in message_tables and existing.get(table, list(columns)) != list(columns):
            # Message tables are rebuilt from the files they came from, so starting afresh
            # loses nothing; inserting into the old layout would mix meanings.
            raise OutdatedWarehouseError(
                f"raw.{table} has the columns of an older version; remove the warehouse file "
                "and load the files again"
            )
        ddl = ", ".join(f"{column} {_COLUMN_TYPES.get(column, 'VARCHAR')}" for column in columns)
        con.execute(f"create table if not exists raw.{table} ({ddl})")


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Bulk insert into a raw table: one columnar scan instead of a statement per row."""
    frame = pd.DataFrame(rows, columns=list(raw_tables()[table]), dtype=object)
    con.register("rows_to_insert", frame)
    try:
        con.execute(f"insert into raw.{table} by name select * from rows_to_insert")
    finally:
        con.unregister("rows_to_insert")
