"""What the message loader wrote: every raw table's rows, comparable between two warehouses."""

from __future__ import annotations

from pathlib import Path

import duckdb

from sdw.messages.layout import table_columns


def raw_contents(warehouse: Path) -> dict[str, list[tuple]]:
    """Every message table's rows, sorted, without loaded_at (the one column a rerun changes)."""
    tables = {"ingest_files": None, **table_columns()}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        contents = {}
        for table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if c != "loaded_at"
            ]
            rows = con.execute(f"select {', '.join(columns)} from raw.{table}").fetchall()
            contents[table] = sorted(rows, key=repr)
    return contents


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
