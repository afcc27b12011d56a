"""`sdw build` without Dagster: dbt, then the quality checks, then the marts made from them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sdw.config import PROJECT_DIR, Settings
from sdw.quality.runner import QualityReport, run_checks
from sdw.warehouse import target

# dbt models built from the Great Expectations results (see dbt_project.yml).
QUALITY_SELECTION = "tag:quality"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"


class BuildError(Exception):
    pass


def run_dbt(settings: Settings, *args: str) -> None:
    env = {**os.environ, "SDW_WAREHOUSE": str(settings.warehouse)}
    command = [str(DBT_EXECUTABLE), *args, "--target", target()]
    if subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False).returncode != 0:
        raise BuildError(f"`dbt {' '.join(args)}` failed (its output above says which model)")


def build(settings: Settings) -> QualityReport:
    run_dbt(settings, "build", "--exclude", QUALITY_SELECTION)
    report = run_checks(settings)
    run_dbt(settings, "build", "--select", QUALITY_SELECTION)
    return report
