"""The dbt project as Dagster assets: one asset per model, keyed [schema, model], grouped by layer.

The quality marts are built from the Great Expectations results, so they form a second dbt
step that runs after the checks; everything else is the first.
"""

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from sdw.config import PROJECT_DIR

# The dbt installed beside this Python, so nothing depends on an activated virtualenv.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
if not dbt_project.manifest_path.exists():
    # A fresh clone has no manifest yet; `dbt parse` makes it in a few seconds.
    subprocess.run([DBT_EXECUTABLE, "parse", "--quiet"], cwd=PROJECT_DIR, check=True)

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


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    exclude=QUALITY_SELECTION,
    name="dbt_warehouse",
)
def dbt_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Staging, cleaned and the marts: dbt build, tests included."""
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    select=QUALITY_SELECTION,
    name="dbt_quality_marts",
)
def dbt_quality_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """The quality marts, from the check results."""
    yield from dbt.cli(["build"], context=context).stream()


dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
