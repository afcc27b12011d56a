"""`sdw export parquet`: the shareable marts as Parquet files, suppressed, with a manifest.

What may leave the warehouse is decided where the mart is defined, in its dbt YAML, and the
default is no: a mart is written only when its YAML says `meta.export`:

- `public`: holds no persons at all (dim_gemeente, dim_datum, dim_product, the aanbieders, CBS's
  own published figures). Written as it is.
- `aggregate`: counts and amounts over persons, never a row per person. Written after small-cell
  suppression (sdw.disclosure) as its `meta.small_cells` declares; a gemeente-level mart has no
  primary suppression (empty `counts`) but its cells can still be blanked as the complement of a
  blanked cell below gemeente level, where one of its totals gives that cell away.

Every other mart (one row per client, toewijzing, zorgperiode or declaratieregel, the quality
findings that name records, and any mart added later without the key) is not written. A
shareable mart with a column named like a person key (pseudonym, bsn, geboorte*, postcode) is
refused outright. Secondary suppression runs over all shareable marts together, because a total
in one can give away a blanked cell in another; each row lists its blanked cells in
`onderdrukte_cellen`. The manifest gives each mart's terms with their Dutch definitions
(`begrippen`, from models/_glossary_nl.md).

`--person-level` (export_parquet(person_level=True)) is for engineers: every mart, unsuppressed,
with a manifest that says it is not for sharing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from sdw import begrippen
from sdw.config import PROJECT_DIR, Settings, dbt_var
from sdw.disclosure import SmallCells, Suppression, parse_rule
from sdw.serving import reader
from sdw.warehouse import is_postgres, location

MANIFEST = PROJECT_DIR / "target" / "manifest.json"
SUPPRESSED_COLUMN = "onderdrukte_cellen"
SHAREABLE = ("public", "aggregate")
PERSON_KEY = re.compile(r"pseudonym|^bsn|^geboorte|postcode", re.IGNORECASE)
NOT_FOR_SHARING = "niet voor delen: bevat gegevens op persoonsniveau"


@dataclass(frozen=True)
class Mart:
    name: str
    export: str | None  # public, aggregate, or None: not shareable
    rule: SmallCells | None


def published_marts(manifest_path: Path | None = None) -> dict[str, Mart]:
    """Every mart model by name, with what its YAML says about exporting it."""
    manifest_path = manifest_path or MANIFEST
    if not manifest_path.exists():
        raise FileNotFoundError(f"no dbt manifest at {manifest_path}: run `sdw build` first")
    manifest = json.loads(manifest_path.read_text())
    marts: dict[str, Mart] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        meta = node["config"].get("meta", {})
        export, rule = meta.get("export"), meta.get("small_cells")
        if export not in (None, *SHAREABLE):
            raise ValueError(f"{node['name']}: meta.export must be one of {SHAREABLE}")
        if export == "public" and rule:
            raise ValueError(f"{node['name']}: a public mart has no small cells to suppress")
        if export == "aggregate" and not (rule and rule.get("keys")):
            raise ValueError(f"{node['name']}: an aggregate mart needs meta.small_cells.keys")
        marts[node["name"]] = Mart(node["name"], export, parse_rule(rule) if rule else None)
    return dict(sorted(marts.items()))


def _duckdb_type(postgres_type: str) -> str:
    """A PostgreSQL column type as DuckDB spells it (information_schema's data_type)."""
    return {
        "character varying": "varchar",
        "text": "varchar",
        "timestamp without time zone": "timestamp",
        "time without time zone": "time",
    }.get(postgres_type, postgres_type)


def _column_types(con, name: str) -> dict[str, str]:
    return dict(
        con.execute(
            "select column_name, case when data_type = 'numeric' then 'decimal(' "
            "|| numeric_precision || ', ' || numeric_scale || ')' else data_type end "
            "from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [name],
        ).fetchall()
    )


def _write_frame(writer, frame: pd.DataFrame, types: dict[str, str], target: Path) -> None:
    # typed as in the warehouse, not as pandas would guess from the values
    typed = ", ".join(
        f"cast({column} as {_duckdb_type(kind)}) as {column}" for column, kind in types.items()
    )
    writer.register("mart", frame)
    writer.execute(f"copy (select {typed} from mart) to '{target}' (format parquet)")
    writer.unregister("mart")


def suppress(con, rules: dict[str, SmallCells], minimum: int) -> Suppression:
    """The aggregate marts, suppressed together: their totals meet across marts. Everything
    that leaves the warehouse (this export, `sdw rapport`) blanks the same cells."""
    frames = {
        name: con.execute(f"select * from marts.{name}")
        .df()
        .sort_values(list(rules[name].keys), kind="stable")
        for name in rules
    }
    return Suppression(frames, rules).run(minimum)


def export_parquet(settings: Settings, out_dir: Path, *, person_level: bool = False) -> dict:
    minimum = int(dbt_var("kleine_aantallen_drempel"))
    marts = published_marts()
    chosen = {
        name: mart for name, mart in marts.items() if person_level or mart.export in SHAREABLE
    }
    # A folder that is shared whole must not keep files of an earlier (person-level) export.
    stale = sorted(
        path.name
        for path in (out_dir.glob("*.parquet") if out_dir.is_dir() else [])
        if path.stem not in chosen
    )
    if stale and not person_level:
        raise FileExistsError(f"{out_dir} holds files this export does not write: {stale}")
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    # What readers see: the last published build (DuckDB), or the server (PostgreSQL).
    with reader(settings.warehouse) as con:
        types = {name: _column_types(con, name) for name in chosen}
        if not person_level:
            for name, columns in types.items():
                keys = [column for column in columns if PERSON_KEY.search(column)]
                if keys:
                    raise ValueError(f"{name} is marked shareable but has person keys: {keys}")
        rules = {name: mart.rule for name, mart in chosen.items() if mart.rule and not person_level}
        suppression = suppress(con, rules, minimum)
        writer = duckdb.connect()
        for name, mart in chosen.items():
            target = out_dir / f"{name}.parquet"
            if name in rules:
                frame = suppression.suppressed(name)
                frame[SUPPRESSED_COLUMN] = suppression.lost(name)
                _write_frame(writer, frame, {**types[name], SUPPRESSED_COLUMN: "varchar"}, target)
            elif is_postgres(con):
                _write_frame(
                    writer, con.execute(f"select * from marts.{name}").df(), types[name], target
                )
            else:
                con.execute(f"copy (select * from marts.{name}) to '{target}' (format parquet)")
            rows = writer.execute(f"select count(*) from '{target}'").fetchone()[0]
            suppressed = (
                writer.execute(
                    f"select count(*) from '{target}' where {SUPPRESSED_COLUMN} <> ''"
                ).fetchone()[0]
                if name in rules
                else 0
            )
            files.append(
                {
                    "mart": f"marts.{name}",
                    "file": target.name,
                    "export": mart.export,
                    "rows": rows,
                    "small_cell_rule": rules[name].as_dict() if name in rules else None,
                    "rows_with_suppressed_cells": suppressed,
                    # what its figures mean, in Dutch, for whoever receives the file
                    "begrippen": begrippen.van_mart(name),
                }
            )
        writer.close()
    manifest = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": location(settings.warehouse),
        "person_level": person_level,
        "small_cell_threshold": minimum,
        "suppressed_cells_column": SUPPRESSED_COLUMN,
        "files": files,
    }
    if person_level:
        manifest = {"waarschuwing": NOT_FOR_SHARING, **manifest}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
