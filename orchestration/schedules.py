"""The daily full refresh: CBS extracts and every mart, before the working day starts."""

import dagster as dg

from orchestration.jobs import full_refresh_job

daily_full_refresh = dg.ScheduleDefinition(
    name="daily_full_refresh",
    job=full_refresh_job,
    cron_schedule="0 5 * * *",
    execution_timezone="Europe/Amsterdam",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
