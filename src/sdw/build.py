"""`sdw build` without Dagster: dbt, then the quality checks, then the marts made from them,
then the marts published for readers (sdw.serving)."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

from sdw.config import PROJECT_DIR, Settings
from sdw.quality.runner import QualityReport, run_checks
from sdw.serving import publish
from sdw.warehouse import target

# dbt models built from the Great Expectations results (see dbt_project.yml).
QUALITY_SELECTION = "tag:quality"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# Looked up here, in the parent: the child between fork and exec should do as little as it can.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


class BuildError(Exception):
    pass


def _die_with(parent: int):
    """What the child runs before exec: the kernel sends it SIGTERM when sdw dies, kill -9
    included, so dbt does not build on orphaned, holding the DuckDB file's lock."""

    def preexec() -> None:
        if _PRCTL is not None:
            _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != parent:  # sdw died before the request was made
                os._exit(1)

    return preexec


def run_dbt(settings: Settings, *args: str) -> None:
    env = {**os.environ, "SDW_WAREHOUSE": str(settings.warehouse)}
    command = [str(DBT_EXECUTABLE), *args, "--target", target()]
    completed = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, check=False, preexec_fn=_die_with(os.getpid())
    )
    if completed.returncode != 0:
        raise BuildError(f"`dbt {' '.join(args)}` failed (its output above says which model)")


def build(settings: Settings) -> QualityReport:
    run_dbt(settings, "build", "--exclude", QUALITY_SELECTION)
    report = run_checks(settings)
    run_dbt(settings, "build", "--select", QUALITY_SELECTION)
    publish(settings.warehouse)  # only now: a failed step above publishes nothing
    return report
