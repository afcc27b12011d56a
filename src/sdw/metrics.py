"""The semantic layer's metrics, queried through MetricFlow: one definition for every reader.

MetricFlow (dbt-metricflow) turns a request (metrics, group-by items, filters, a time grain)
into SQL from the semantic models and metrics in `models/**/_*semantic*.yml`, as `mf query`
does. Here it only writes the SQL; the SQL runs on the connection the caller holds, e.g.
`sdw.serving.reader`'s (the published serving file on DuckDB, the server on PostgreSQL), so a
metric read by the dashboard's Verkenner is the last complete build, like every other panel.

The semantic manifest is dbt's `target/semantic_manifest.json` (written by every `dbt parse`
or build). Its relations are named without their database (`"marts"."fct_zorgperiode"`), so
the same SQL runs on the warehouse, the serving file and PostgreSQL.

    with reader(settings.warehouse) as con:
        frame = run(con, MetricQuery(metrics=("clienten_in_zorg",), grain="month",
                                     group_by=("gemeente__gemeente_naam",)))
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from sdw.config import PROJECT_DIR
from sdw.warehouse import is_postgres

MANIFEST = PROJECT_DIR / "target" / "semantic_manifest.json"
GRAINS = ("day", "week", "month", "quarter", "year")
GRAIN_LABELS = {
    "day": "Dag",
    "week": "Week",
    "month": "Maand",
    "quarter": "Kwartaal",
    "year": "Jaar",
}
METRIC_TIME = "metric_time"
# Entities users may split by, by their code (the person-level ones, client, are not offered).
ENTITIES = {
    "gemeente": "Gemeente (code)",
    "aanbieder": "Aanbieder (AGB-code)",
    "domein": "Domein (code)",
}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class MetricQueryError(ValueError):
    """A request MetricFlow cannot answer (an unknown metric or dimension, a bad filter)."""


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    description: str


@dataclass(frozen=True)
class Dimension:
    name: str  # as MetricFlow names it in a group-by: entity__dimension
    label: str  # for users


@dataclass(frozen=True)
class MetricQuery:
    """What to ask: metrics, the items to group by (MetricFlow names such as
    `gemeente__gemeente_naam`), filters (dimension name -> the values to keep), the period
    (first and last day, on metric_time) and the time grain (a row per day .. year)."""

    metrics: tuple[str, ...]
    group_by: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    grain: str | None = None
    van: date | None = None
    tot: date | None = None
    where: tuple[str, ...] = field(default=())  # raw MetricFlow where clauses, for engineers

    @property
    def time_column(self) -> str | None:
        return f"{METRIC_TIME}__{self.grain}" if self.grain else None


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _load_manifest(path: Path) -> str:
    """The semantic manifest as MetricFlow parses it, relations named without their database
    (dbt writes the database of the target it parsed for: the DuckDB file's stem, or the
    PostgreSQL database)."""
    if not path.exists():
        from sdw.build import prepare_project  # dbt parse writes it

        prepare_project()
    manifest = json.loads(path.read_text(encoding="utf-8"))
    relations = [model["node_relation"] for model in manifest["semantic_models"]]
    configuration = manifest.get("project_configuration", {})
    relations += [spine["node_relation"] for spine in configuration.get("time_spines", [])]
    for relation in relations:
        relation["database"] = None
        relation["relation_name"] = f'"{relation["schema_name"]}"."{relation["alias"]}"'
    return json.dumps(manifest)


class _SqlOnly:
    """MetricFlow's SqlClient, for writing SQL in a dialect: it never runs anything."""

    def __init__(self, postgres: bool) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
        from metricflow.sql.render.postgres import PostgresSQLSqlPlanRenderer

        self.sql_engine_type = SqlEngine.POSTGRES if postgres else SqlEngine.DUCKDB
        self.sql_plan_renderer = (
            PostgresSQLSqlPlanRenderer() if postgres else DuckDbSqlPlanRenderer()
        )

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("sdw.metrics runs MetricFlow's SQL on its own connection")

    query = execute = dry_run = _refuse

    def close(self) -> None:
        pass

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


_lock = threading.Lock()  # MetricFlow's engine numbers its nodes globally: one query at a time


@cache
def _engine(postgres: bool, manifest_path: Path, mtime_ns: int) -> Any:
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    manifest = parse_manifest_from_dbt_generated_manifest(_load_manifest(manifest_path))
    return MetricFlowEngine(SemanticManifestLookup(manifest), _SqlOnly(postgres))


def engine(postgres: bool = False, manifest: Path = MANIFEST) -> Any:
    """MetricFlow's engine for a dialect, rebuilt when dbt writes a new semantic manifest."""
    if not manifest.exists():
        _load_manifest(manifest)
    return _engine(postgres, manifest, manifest.stat().st_mtime_ns)


def metrics(manifest: Path = MANIFEST) -> list[Metric]:
    """Every metric of the semantic layer, with its Dutch label, sorted by label."""
    found = json.loads(_load_manifest(manifest))["metrics"]
    return sorted(
        (
            Metric(m["name"], m.get("label") or m["name"], (m.get("description") or "").strip())
            for m in found
        ),
        key=lambda m: m.label.lower(),
    )


def _dimension_labels(manifest: Path) -> dict[str, str]:
    """Dimension label per dunder name (entity__dimension), from the semantic models."""
    labels: dict[str, str] = {}
    for model in json.loads(_load_manifest(manifest))["semantic_models"]:
        primary = [e["name"] for e in model["entities"] if e["type"] == "primary"]
        for dimension in model["dimensions"]:
            for entity in primary:
                labels[f"{entity}__{dimension['name']}"] = (
                    dimension.get("label") or dimension["name"]
                )
    return labels


def dimensions(
    metric_names: list[str], postgres: bool = False, manifest: Path = MANIFEST
) -> list[Dimension]:
    """The categorical dimensions every one of the metrics can be grouped and filtered by,
    sorted by label (time is the grain, not a dimension here)."""
    if not metric_names:
        return []
    from metricflow_semantic_interfaces.type_enums import DimensionType

    labels = _dimension_labels(manifest)
    with _lock:
        mf = engine(postgres, manifest)
        found = mf.simple_dimensions_for_metrics(list(metric_names))
        entities = mf.entities_for_metrics(list(metric_names))
    # A fact's own `standard` is offered once, as the shared domein; multi-hop paths
    # (toewijzing__client__wijk) repeat a dimension a direct entity already gives.
    names = {
        d.dunder_name
        for d in found
        if d.type is DimensionType.CATEGORICAL
        and not d.dunder_name.endswith("__standard")
        and d.dunder_name.count("__") == 1  # not the same dimension again via another entity
    }
    labels |= ENTITIES
    names |= {e.name for e in entities if e.name in ENTITIES}
    return sorted(
        (Dimension(name, labels.get(name, name)) for name in names),
        key=lambda d: (d.label.lower(), d.name),
    )


def _where(query: MetricQuery) -> list[str]:
    clauses = list(query.where)
    for name, values in query.filters:
        if not _NAME.match(name.replace("__", "_")):
            raise MetricQueryError(f"not a dimension name: {name!r}")
        if values:
            listed = ", ".join(_literal(v) for v in values)
            kind = "Dimension" if "__" in name else "Entity"  # gemeente, aanbieder, domein
            clauses.append(f"{{{{ {kind}('{name}') }}}} in ({listed})")
    return clauses


def _moment(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def sql(query: MetricQuery, postgres: bool = False, manifest: Path = MANIFEST) -> str:
    """MetricFlow's SQL for the query, in the dialect of the target."""
    if not query.metrics:
        raise MetricQueryError("no metric chosen")
    if query.grain is not None and query.grain not in GRAINS:
        raise MetricQueryError(f"unknown time grain {query.grain!r}: one of {', '.join(GRAINS)}")
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    group_by = ([query.time_column] if query.time_column else []) + list(query.group_by)
    request = MetricFlowQueryRequest.create(
        metric_names=list(query.metrics),
        group_by_names=group_by,
        where_constraints=_where(query) or None,
        order_by_names=group_by or None,
        time_constraint_start=_moment(query.van),
        time_constraint_end=_moment(query.tot),
    )
    with _lock:
        mf = engine(postgres, manifest)
        try:
            explained = mf.explain(request)
        except Exception as error:  # MetricFlow's own errors say what is wrong in the request
            raise MetricQueryError(str(error).strip()) from error
    statement = explained.sql_statement
    if statement.bind_parameter_set.param_dict:
        raise MetricQueryError("MetricFlow wrote SQL with bind parameters; not supported here")
    return statement.sql


def run(con: Any, query: MetricQuery, manifest: Path = MANIFEST) -> pd.DataFrame:
    """The query's result on the connection (DuckDB or PostgreSQL): a column per group-by item
    (the time column `metric_time__<grain>` first) and one per metric, rows in that order."""
    postgres = is_postgres(con)
    if postgres:  # date_trunc gives a timestamptz there: midnight UTC, not the day before
        con.execute("set time zone 'UTC'")
    frame = con.execute(sql(query, postgres=postgres, manifest=manifest)).df()
    if query.time_column and query.time_column in frame:
        column = pd.to_datetime(frame[query.time_column], utc=postgres)
        frame[query.time_column] = column.dt.tz_localize(None) if postgres else column
    return frame


# What leaves the warehouse as a download: per semantic model, the metric that counts the
# persons its figures are computed over. A model not named here counts no persons (budget
# lines in euros, messages of the keten), so its figures are shared as the export shares them.
PERSONEN = {
    "client_maanden": ("clienten_in_zorg",),
    "zorgperioden": ("zorgperioden_gestart",),
    "declaratieregels": ("gedeclareerde_clienten",),
    "toewijzingen": ("toegewezen_clienten",),
    "verzoeken": ("verzoeken",),
    "herhaald_beroep_jaren": (
        "beeindigd_volgens_plan_6m_bekend",
        "beeindigd_volgens_plan_12m_bekend",
    ),
    "wachtenden": ("wachtende_toewijzingen",),
}


def _models_of(manifest: Path) -> dict[str, set[str]]:
    """Each metric's semantic models: its measure's, or those of the metrics a ratio or derived
    metric is made of."""
    parsed = json.loads(_load_manifest(manifest))
    model_of = {m["name"]: sm["name"] for sm in parsed["semantic_models"] for m in sm["measures"]}
    parts: dict[str, list[str]] = {}
    found: dict[str, set[str]] = {}
    for metric in parsed["metrics"]:
        params = metric["type_params"]
        measure = (params.get("measure") or {}).get("name")
        found[metric["name"]] = {model_of[measure]} if measure in model_of else set()
        inputs = [
            params.get("numerator"),
            params.get("denominator"),
            *(params.get("metrics") or []),
        ]
        parts[metric["name"]] = [i["name"] for i in inputs if i]
    for _ in range(3):  # a derived metric of ratios: resolve a few levels deep
        for name, names in parts.items():
            for part in names:
                found[name] |= found.get(part, set())
    return found


def run_suppressed(
    con: Any, query: MetricQuery, minimum: int, manifest: Path = MANIFEST
) -> pd.DataFrame:
    """`run`, for a download: each row's figures are blanked where a count of the persons they
    are computed over is from 1 to `minimum` - 1 (primary suppression, as the export's; a zero
    reveals no one), and then as many more as `_complement` needs so that a coarser download
    cannot give them back. The counts are asked along with the query and left out of the result."""
    models = _models_of(manifest)
    personen = sorted(
        {
            p
            for metric in query.metrics
            for model in models.get(metric, ())
            for p in PERSONEN.get(model, ())
        }
    )
    extra = tuple(p for p in personen if p not in query.metrics)
    frame = run(con, replace(query, metrics=query.metrics + extra), manifest)
    small = pd.Series(False, index=frame.index)
    for column in personen:
        values = pd.to_numeric(frame[column], errors="coerce")
        small |= values.between(1, minimum - 1)
    keys = [c for c in frame.columns if c not in query.metrics and c not in extra]
    size = (
        frame[personen].apply(pd.to_numeric, errors="coerce").max(axis=1).fillna(0)
        if personen
        else None
    )
    blank = _complement(frame[keys], small, size) if size is not None else small
    shared = [m for m in query.metrics if any(PERSONEN.get(x) for x in models.get(m, ()))]
    frame = frame.astype({m: "object" for m in shared})
    frame.loc[blank, shared] = None
    return frame.drop(columns=list(extra))


def _complement(keys: pd.DataFrame, blank: pd.Series, size: pd.Series) -> pd.Series:
    """Secondary suppression of a download grouped by `keys`. The same query grouped by all
    keys but one is another download, and its total less the shown rows would give a lone
    blanked row back (for a sum exactly, for a median or a distinct count as a bound). So in
    every such group a lone blank takes another row with it, until none is alone: the row that
    pairs up a lone blank along another key if there is one (so blanks form rectangles rather
    than spread), else the smallest."""
    blank = blank.copy()
    columns = list(keys.columns)
    # per key: each row's group in the download without that key, and each group's blanks
    group = {
        key: keys.groupby(rest, dropna=False, sort=False).ngroup().to_dict()
        if (rest := [c for c in columns if c != key])
        else dict.fromkeys(keys.index, 0)
        for key in columns
    }
    blanks = {key: {} for key in columns}
    members: dict[str, dict[int, list]] = {key: {} for key in columns}
    for key in columns:
        for row, g in group[key].items():
            members[key].setdefault(g, []).append(row)
            blanks[key][g] = blanks[key].get(g, 0) + int(blank[row])

    def cost(row: Any, along: str) -> tuple:
        others = [blanks[k][group[k][row]] for k in columns if k != along]
        return (sum(1 if n == 0 else -1 if n == 1 else 0 for n in others), size[row], row)

    changed = True
    while changed:
        changed = False
        for key in columns:
            for g, rows in members[key].items():
                shown = [r for r in rows if not blank[r]]
                if blanks[key][g] != 1 or not shown:
                    continue
                row = min(shown, key=lambda r: cost(r, key))
                blank[row] = True
                for k in columns:
                    blanks[k][group[k][row]] += 1
                changed = True
    return blank
