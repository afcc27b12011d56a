"""The run's last step: publish the marts for readers (sdw.serving), once every mart is built.

It depends on every mart, so Dagster runs it only when the dbt steps and the checks before them
succeeded: a failed run publishes nothing and readers keep the previous build.
"""

import dagster as dg

from orchestration.dbt import dbt_quality_marts, dbt_warehouse
from sdw.build import PUBLISH
from sdw.config import settings
from sdw.serving import serving_path

MARTS = sorted(
    (key for key in [*dbt_warehouse.keys, *dbt_quality_marts.keys] if key.path[0] == "marts"),
    key=lambda key: key.path,
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["serving", "marts"],
            deps=MARTS,
            group_name="serving",
            kinds={"duckdb"},
            description="The marts published into the serving file readers open (DuckDB only).",
        )
    ],
    name=PUBLISH.name,
)
def serving_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    config = settings()
    seconds = PUBLISH.run(config)
    if seconds is None:
        context.log.info("PostgreSQL target: readers read the server, nothing to publish")
        return dg.MaterializeResult(metadata={"published": False})
    return dg.MaterializeResult(
        metadata={
            "published": True,
            "path": dg.MetadataValue.path(str(serving_path(config.warehouse))),
            "seconds": round(seconds, 2),
        }
    )
