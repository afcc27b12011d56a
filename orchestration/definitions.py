"""The code location: every asset, check and resource of the warehouse in one Definitions."""

import dagster as dg

from orchestration.dbt import dbt_quality_marts, dbt_resource, dbt_warehouse
from orchestration.ingest import raw_messages
from orchestration.quality import quality_checks, quality_findings

defs = dg.Definitions(
    assets=[raw_messages, dbt_warehouse, quality_checks, dbt_quality_marts],
    asset_checks=[quality_findings],
    resources={"dbt": dbt_resource},
    executor=dg.in_process_executor,  # one DuckDB file: one writer at a time
)
