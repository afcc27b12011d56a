"""`sdw export parquet`: every mart as a Parquet file, small cells suppressed, with a manifest.

What may leave the warehouse is decided where the mart is defined: a mart below gemeente level
lists its counts of persons under `meta.small_cells` in its dbt YAML (`counts`, and `derived`:
each rate or median with the count it is computed over). A count from 1 up to the threshold
(dbt var kleine_aantallen_drempel) is blanked, and so is every value derived from it, because a
median over three clients reveals as much as the three. Each row says which cells it lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from sdw.config import PROJECT_DIR, Settings, dbt_var
from sdw.serving import reader
from sdw.warehouse import is_postgres, location

MANIFEST = PROJECT_DIR / "target" / "manifest.json"
SUPPRESSED_COLUMN = "onderdrukte_cellen"


@dataclass(frozen=True)
class SmallCells:
    counts: tuple[str, ...]
    derived: dict[str, str]  # derived column -> the count it is computed over


def published_marts(manifest_path: Path | None = None) -> dict[str, SmallCells | None]:
    """Every mart model (name -> its small-cell rule, or None when it has none)."""
    manifest_path = manifest_path or MANIFEST
    if not manifest_path.exists():
        raise FileNotFoundError(f"no dbt manifest at {manifest_path}: run `sdw build` first")
    manifest = json.loads(manifest_path.read_text())
    marts: dict[str, SmallCells | None] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        rule = node["config"].get("meta", {}).get("small_cells")
        marts[node["name"]] = (
            SmallCells(tuple(rule["counts"]), dict(rule.get("derived") or {})) if rule else None
        )
    return dict(sorted(marts.items()))


def suppression_query(table: str, columns: list[str], rule: SmallCells, minimum: int) -> str:
    small = {count: f"({count} > 0 and {count} < {minimum})" for count in rule.counts}
    # A derived cell goes with the count it is computed over.
    condition = {**small, **{column: small[count] for column, count in rule.derived.items()}}
    selected = [
        f"case when {condition[column]} then null else {column} end as {column}"
        if column in condition
        else column
        for column in columns
    ]
    lost = ", ".join(
        f"case when {condition[column]} then '{column}' end"
        for column in columns
        if column in condition
    )
    selected.append(f"concat_ws(',', {lost}) as {SUPPRESSED_COLUMN}")
    return f"select {', '.join(selected)} from {table}"


def _duckdb_type(postgres_type: str) -> str:
    """A PostgreSQL column type as DuckDB spells it (information_schema's data_type)."""
    return {
        "character varying": "varchar",
        "text": "varchar",
        "timestamp without time zone": "timestamp",
        "time without time zone": "time",
    }.get(postgres_type, postgres_type)


def export_parquet(settings: Settings, out_dir: Path) -> dict:
    minimum = int(dbt_var("kleine_aantallen_drempel"))
    marts = published_marts()
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    # What readers see: the last published build (DuckDB), or the server (PostgreSQL).
    with reader(settings.warehouse) as con:
        # DuckDB writes the Parquet: the warehouse itself, or, on PostgreSQL, an in-memory
        # DuckDB each mart's (suppressed) rows are read into.
        writer = duckdb.connect() if is_postgres(con) else con
        for name, rule in marts.items():
            table = f"marts.{name}"
            types = dict(
                con.execute(
                    "select column_name, case when data_type = 'numeric' then 'decimal(' "
                    "|| numeric_precision || ', ' || numeric_scale || ')' else data_type end "
                    "from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [name],
                ).fetchall()
            )
            columns = list(types)
            query = (
                suppression_query(table, columns, rule, minimum)
                if rule
                else f"select * from {table}"
            )
            target = out_dir / f"{name}.parquet"
            if writer is con:
                con.execute(f"copy ({query}) to '{target}' (format parquet)")
            else:
                # typed as in PostgreSQL, not as pandas would guess from the values
                typed = ", ".join(
                    f"cast({column} as {_duckdb_type(types[column])}) as {column}"
                    for column in columns
                )
                if rule:
                    typed += f", cast({SUPPRESSED_COLUMN} as varchar) as {SUPPRESSED_COLUMN}"
                writer.register("mart", con.execute(query).df())
                writer.execute(f"copy (select {typed} from mart) to '{target}' (format parquet)")
                writer.unregister("mart")
            rows = writer.execute(f"select count(*) from '{target}'").fetchone()[0]
            suppressed = (
                writer.execute(
                    f"select count(*) from '{target}' where {SUPPRESSED_COLUMN} <> ''"
                ).fetchone()[0]
                if rule
                else 0
            )
            files.append(
                {
                    "mart": table,
                    "file": target.name,
                    "rows": rows,
                    "small_cell_rule": (
                        {"counts": list(rule.counts), "derived": rule.derived} if rule else None
                    ),
                    "rows_with_suppressed_cells": suppressed,
                }
            )
    manifest = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": location(settings.warehouse),
        "small_cell_threshold": minimum,
        "suppressed_cells_column": SUPPRESSED_COLUMN,
        "files": files,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
