"""The dbt project as Dagster assets: one asset per model, keyed [schema, model], grouped by layer.

The quality marts are built from the Great Expectations results, so they form a second dbt
step that runs after the checks; everything else is the first.
"""

import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from sdw.config import PROJECT_DIR, settings
from sdw.warehouse import connect, target

# The dbt installed beside this Python, so nothing depends on an activated virtualenv.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)


_DBT_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}


def _manifest_is_stale(manifest: Path) -> bool:
    """No manifest (a fresh clone), or a project file changed after it was written: a model
    added since would otherwise be missing from the asset graph (a KeyError at run time)."""
    if not manifest.exists():
        return True
    written = manifest.stat().st_mtime
    sources = [PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources += (PROJECT_DIR / folder).rglob("*.*")
    return any(
        path.suffix in _DBT_SOURCE_SUFFIXES and path.stat().st_mtime > written for path in sources
    )


if _manifest_is_stale(dbt_project.manifest_path):
    # `dbt parse` takes a few seconds; it runs only when the project changed.
    # Into the folder Dagster reads, whatever DBT_TARGET_PATH says.
    subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--quiet",
            "--target-path",
            str(dbt_project.manifest_path.parent),
        ],
        cwd=PROJECT_DIR,
        check=True,
    )

QUALITY_SELECTION = "tag:quality"


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


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    exclude=QUALITY_SELECTION,
    name="dbt_warehouse",
)
def dbt_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Staging, cleaned and the marts: dbt build, tests included."""
    yield from build_with_row_counts(context, dbt)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    select=QUALITY_SELECTION,
    name="dbt_quality_marts",
)
def dbt_quality_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """The quality marts, from the check results."""
    yield from build_with_row_counts(context, dbt)


dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
