"""The raw tables: declared by the sources, read by dbt, made by a ground floor that knows no
source.

Every table a loader writes is declared once (sdw.raw.RawTable, listed in sdw.sources); the dbt
sources in models/staging/*/_*__sources.yml must name exactly those tables, so that a table no
model reads, or a source no loader fills, fails here rather than in a build.
"""

import ast
from pathlib import Path

import duckdb
import pytest
import yaml

from sdw.config import PROJECT_DIR
from sdw.messages.layout import MESSAGE_TABLES
from sdw.raw import RawTable
from sdw.sources import NOT_READ_BY_DBT, RAW_TABLES
from sdw.warehouse import OutdatedWarehouseError, ensure_raw_schema, insert_rows

STAGING = PROJECT_DIR / "models" / "staging"


def dbt_sources(staging: Path) -> dict[str, tuple[str, ...] | None]:
    """Each raw table a dbt source names, with its columns where the YAML lists them."""
    tables: dict[str, tuple[str, ...] | None] = {}
    for path in sorted(staging.glob("**/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            assert source.get("schema", source["name"]) == "raw", f"{path}: not the raw schema"
            for table in source["tables"]:
                name = table.get("identifier", table["name"])
                assert name not in tables, f"{path}: raw.{name} is a source twice"
                columns = tuple(column["name"] for column in table.get("columns", []))
                tables[name] = columns or None
    return tables


def differences(sources: dict[str, tuple[str, ...] | None], declared: tuple[RawTable, ...]):
    """What is wrong between the dbt sources and the declared raw tables, for people."""
    by_name = {table.name: table for table in declared}
    problems = [
        f"raw.{name} is a dbt source but no loader writes it"
        for name in sources
        if name not in by_name
    ]
    for name, table in by_name.items():
        if name in NOT_READ_BY_DBT:
            if name in sources:
                problems.append(f"raw.{name} is listed as not read by dbt, yet is a source")
        elif name not in sources:
            problems.append(f"raw.{name} is written by a loader but no dbt source reads it")
        elif sources[name] is not None and set(sources[name]) != set(table.columns):
            problems.append(
                f"raw.{name}: the source lists {sorted(sources[name])}, "
                f"the loader writes {sorted(table.columns)}"
            )
    return problems


def test_the_dbt_sources_are_exactly_the_raw_tables_the_loaders_write():
    assert len({table.name for table in RAW_TABLES}) == len(RAW_TABLES), "a table twice"
    assert set(NOT_READ_BY_DBT) <= {table.name for table in RAW_TABLES}
    assert differences(dbt_sources(STAGING), RAW_TABLES) == []


def test_a_source_without_a_loader_or_a_table_without_a_source_is_found(tmp_path):
    folder = tmp_path / "staging" / "extra"
    folder.mkdir(parents=True)
    (folder / "_extra__sources.yml").write_text(
        yaml.safe_dump(
            {
                "version": 2,
                "sources": [
                    {
                        "name": "extra",
                        "schema": "raw",
                        "tables": [
                            {"name": "nobody_writes_this"},
                            {"name": "berichten", "columns": [{"name": "file_id"}]},
                        ],
                    }
                ],
            }
        )
    )
    problems = differences(dbt_sources(tmp_path / "staging"), RAW_TABLES)
    assert "raw.nobody_writes_this is a dbt source but no loader writes it" in problems
    assert "raw.clienten is written by a loader but no dbt source reads it" in problems
    assert any(p.startswith("raw.berichten: the source lists ['file_id']") for p in problems)


def test_the_ground_floor_imports_no_source():
    """warehouse.py is below every source: it may know how a table is declared, nothing else."""
    tree = ast.parse((PROJECT_DIR / "src" / "sdw" / "warehouse.py").read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert {name for name in imported if name.startswith("sdw")} == {"sdw.raw"}


def test_a_table_is_made_and_filled_as_declared():
    table = RawTable("t", ("file_id", "n", "loaded_at"), {"n": "INTEGER", "loaded_at": "TIMESTAMP"})
    con = duckdb.connect()
    ensure_raw_schema(con, [table])
    insert_rows(con, table, [("f", 3, None)])
    assert con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = 't' order by ordinal_position"
    ).fetchall() == [("file_id", "VARCHAR"), ("n", "INTEGER"), ("loaded_at", "TIMESTAMP")]
    assert con.execute("select * from raw.t").fetchall() == [("f", 3, None)]


def test_types_for_a_column_the_table_lacks_are_a_mistake():
    with pytest.raises(ValueError, match=r"raw\.t: types for columns it lacks"):
        RawTable("t", ("file_id",), {"row_count": "INTEGER"})


def test_a_message_table_of_an_older_layout_is_refused_and_another_table_is_not():
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.clienten (file_id varchar, client_seq integer)")
    with pytest.raises(OutdatedWarehouseError, match=r"raw\.clienten has the columns of an older"):
        ensure_raw_schema(con, [MESSAGE_TABLES["clienten"]])
    # A table not rebuilt from files is left as it is.
    con.execute("create table raw.kept (file_id varchar)")
    ensure_raw_schema(con, [RawTable("kept", ("file_id", "added_later"))])
    assert con.execute(
        "select column_name from information_schema.columns where table_name = 'kept'"
    ).fetchall() == [("file_id",)]
