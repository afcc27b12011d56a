"""The dbt project as Dagster assets: one asset per model, keyed [schema, model], grouped by layer.

Two steps of the build order (sdw.build): the warehouse, and after the Great Expectations checks
the quality marts built from their results; each with the step's selection.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from sdw.build import DBT_EXECUTABLE, DBT_PROJECT, DBT_QUALITY_MARTS, DBT_WAREHOUSE, DbtStep
from sdw.config import settings
from sdw.warehouse import connect, target

# Under `dagster dev` (make dev) the project is parsed at every load of the code location, so
# "Reload definitions" shows a model edited since. Elsewhere the manifest is prepared before
# this import: by `sdw run` (sdw.build.prepare_project), `make parse` (make defs-check) or a
# deployment (`dagster-dbt project prepare-and-package`).
DBT_PROJECT.prepare_if_dev()
if not DBT_PROJECT.manifest_path.exists():
    raise FileNotFoundError(
        f"no dbt manifest at {DBT_PROJECT.manifest_path}: run `make parse` (or `sdw build`)"
    )


class LayerTranslator(DagsterDbtTranslator):
    """Keys name the warehouse relation (raw.x, staging.x, ...); groups are the layers."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            return spec.replace_attributes(key=dg.AssetKey(["raw", props["name"]]))
        return spec.replace_attributes(
            key=dg.AssetKey([props["schema"], props["name"]]),
            group_name=props["schema"],
        )


translator = LayerTranslator()


def build_with_row_counts(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """`dbt build`, each materialisation reported with its row count, failures by name.

    dagster-dbt's own fetch_row_counts queries while dbt runs, but DuckDB lets one process
    hold the file; so the events wait until dbt has finished and the counts are read then
    (from DuckDB or PostgreSQL, whichever the target is).
    """
    # The target is read per run (SDW_TARGET, what `sdw run --target` sets), not at import.
    invocation = dbt.cli(["build", "--target", target()], context=context, raise_on_error=False)
    events = list(invocation.stream())
    if not invocation.is_successful():
        raise dg.Failure(description=failure_summary(invocation.get_artifact("run_results.json")))
    outputs = [event for event in events if isinstance(event, dg.Output)]
    counts = {}
    if outputs:
        with connect(settings().warehouse, read_only=True) as con:
            for event in outputs:
                relation = ".".join(context.asset_key_for_output(event.output_name).path)
                counts[event.output_name] = con.execute(
                    f"select count(*) from {relation}"
                ).fetchone()[0]
    for event in events:
        if isinstance(event, dg.Output):
            metadata = {**event.metadata, "dagster/row_count": counts[event.output_name]}
            yield event.with_metadata(metadata)
        else:
            yield event


def failure_summary(run_results: Mapping[str, Any]) -> str:
    """Which models and tests failed, and dbt's reason for each."""
    failed = [
        f"{result['unique_id']}: {(result.get('message') or result['status']).strip()}"
        for result in run_results.get("results", [])
        if result["status"] in ("error", "fail")
    ]
    return "dbt build failed: " + ("; ".join(failed) or "see the dbt log in the compute logs")


def _dbt_assets(step: DbtStep):
    """The models of one dbt step of the build order, as Dagster assets."""
    return dbt_assets(
        manifest=DBT_PROJECT.manifest_path,
        dagster_dbt_translator=translator,
        select=step.select or "fqn:*",  # dbt_assets' own default: every node
        exclude=step.exclude,
        name=step.name,
    )


@_dbt_assets(DBT_WAREHOUSE)
def dbt_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Staging, cleaned and the marts: dbt build, tests included."""
    yield from build_with_row_counts(context, dbt)


@_dbt_assets(DBT_QUALITY_MARTS)
def dbt_quality_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """The quality marts, from the check results."""
    yield from build_with_row_counts(context, dbt)


dbt_resource = DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT_EXECUTABLE))
