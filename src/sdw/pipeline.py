"""`sdw run`: the Dagster asset graph (sdw.build's build order), materialised in this process."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from sdw.config import PROJECT_DIR, Settings

if TYPE_CHECKING:
    from dagster import ExecuteInProcessResult


class PipelineError(Exception):
    pass


def run_pipeline(settings: Settings) -> ExecuteInProcessResult:
    # Dagster records runs in DAGSTER_HOME; keep it beside the warehouse unless told otherwise.
    home = os.environ.setdefault("DAGSTER_HOME", str(settings.warehouse.parent / "dagster_home"))
    os.makedirs(home, exist_ok=True)
    instance_config = os.path.join(home, "dagster.yaml")
    if not os.path.exists(instance_config):
        shutil.copy(PROJECT_DIR / "orchestration" / "dagster.yaml", instance_config)
    os.environ["SDW_WAREHOUSE"] = str(settings.warehouse)
    os.environ["SDW_INBOX"] = str(settings.inbox)
    os.environ["SDW_CBS_DIR"] = str(settings.cbs_dir)
    os.environ["SDW_BUDGET_DIR"] = str(settings.budget_dir)
    os.environ["SDW_DOELEN_DIR"] = str(settings.doelen_dir)

    from dagster import DagsterInstance

    from sdw.build import prepare_project

    # Dagster reads its asset graph from dbt's manifest when orchestration is first imported:
    # parse the project before, so a model edited since the last parse is built too.
    prepare_project()
    # Inside the function: orchestration imports sdw, so sdw must not import it at load.
    from orchestration.definitions import defs

    job = defs.resolve_job_def("full_refresh_job")
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    if not result.success:
        failed = [e for e in result.all_events if e.is_step_failure]
        reasons = "; ".join(
            f"{e.step_key}: {e.step_failure_data.error.message.strip().splitlines()[0]}"
            for e in failed
            if e.step_failure_data and e.step_failure_data.error
        )
        raise PipelineError(f"Dagster run {result.run_id} failed: {reasons or 'see the logs'}")
    return result
