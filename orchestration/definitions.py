"""The code location: every asset, check, job, schedule and sensor of the warehouse."""

import dagster as dg

from orchestration.dbt import dbt_quality_marts, dbt_resource, dbt_warehouse
from orchestration.ingest import raw_budget, raw_cbs, raw_doelen, raw_messages
from orchestration.jobs import full_refresh_job, inbox_job
from orchestration.quality import quality_checks, quality_findings
from orchestration.schedules import daily_full_refresh
from orchestration.sensors import inbox_sensor
from orchestration.serving import serving_marts

defs = dg.Definitions(
    assets=[
        raw_messages,
        raw_cbs,
        raw_budget,
        raw_doelen,
        dbt_warehouse,
        quality_checks,
        dbt_quality_marts,
        serving_marts,
    ],
    asset_checks=[quality_findings],
    jobs=[inbox_job, full_refresh_job],
    schedules=[daily_full_refresh],
    sensors=[inbox_sensor],
    resources={"dbt": dbt_resource},
    executor=dg.in_process_executor,  # one DuckDB file: one writer at a time
)
