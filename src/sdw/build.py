"""The build order, stated once: dbt builds the warehouse, the Great Expectations checks run on
it, dbt builds the quality marts from their findings, and the marts are published for readers
(sdw.serving). `sdw build` runs STEPS here, without Dagster; the Dagster assets in orchestration/
are the same steps with the same selections and functions (test_orchestration holds that their
graph runs them in this order).

DBT_PROJECT is the one handle on the dbt project, dagster-dbt's DbtProject: where the manifest
is that Dagster reads its asset graph from, and how it is parsed (see prepare_project).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import DagsterDbtProjectPreparer
from dagster_shared.record import replace

from sdw.config import PROJECT_DIR, Settings
from sdw.quality.runner import QualityReport, run_checks
from sdw.serving import publish
from sdw.warehouse import target

# dbt models built from the Great Expectations results (see dbt_project.yml).
QUALITY_SELECTION = "tag:quality"
# The dbt installed beside this Python, so nothing depends on an activated virtualenv.
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


def _dbt(args: list[str], env: dict[str, str]) -> None:
    # Artifacts (manifest.json above all) go where Dagster reads them, whatever
    # DBT_TARGET_PATH says: a parse or a build here is what the asset graph is read from.
    command = [
        str(DBT_EXECUTABLE), *args, "--target", target(),
        "--target-path", str(DBT_PROJECT.manifest_path.parent),
    ]  # fmt: skip
    completed = subprocess.run(
        command,
        cwd=DBT_PROJECT.project_dir,
        env=env,
        check=False,
        preexec_fn=_die_with(os.getpid()),
    )
    if completed.returncode != 0:
        raise BuildError(f"`dbt {' '.join(args)}` failed (its output above says which model)")


def run_dbt(settings: Settings, *args: str) -> None:
    _dbt(list(args), {**os.environ, "SDW_WAREHOUSE": str(settings.warehouse)})


class _Parse(DagsterDbtProjectPreparer):
    """dagster-dbt's preparation (the project has no packages, so: dbt parse), through the dbt
    beside this Python and dying with its parent like every dbt sdw starts."""

    def prepare(self, project: DbtProject) -> None:
        _dbt(["parse", "--quiet"], dict(os.environ))


# The record's constructor takes no preparer; dagster-dbt calls this one in prepare_if_dev
# (under `dagster dev`) and in `dagster-dbt project prepare-and-package` (make parse).
DBT_PROJECT = replace(
    DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR), preparer=_Parse()
)


@cache
def prepare_project() -> DbtProject:
    """Parse the dbt project into DBT_PROJECT.manifest_path, once per process: Dagster builds its
    asset graph from that manifest when orchestration is first imported, once per process too.
    Call it before that import, so a model added or changed since the last parse is in the graph.
    """
    DBT_PROJECT.preparer.prepare(DBT_PROJECT)
    return DBT_PROJECT


@dataclass(frozen=True)
class DbtStep:
    """`dbt build` of a selection; its Dagster asset is @dbt_assets with the same selection."""

    name: str  # the Dagster node (asset) that runs this step in orchestration/
    select: str | None = None
    exclude: str | None = None

    def run(self, settings: Settings) -> None:
        select = ["--select", self.select] if self.select else []
        exclude = ["--exclude", self.exclude] if self.exclude else []
        run_dbt(settings, "build", *select, *exclude)


@dataclass(frozen=True)
class Step:
    name: str  # the Dagster node (asset) that runs this step in orchestration/
    run: Callable[[Settings], Any]  # what `sdw build` and that asset both call


DBT_WAREHOUSE = DbtStep("dbt_warehouse", exclude=QUALITY_SELECTION)
QUALITY_CHECKS = Step("quality_checks", run_checks)
DBT_QUALITY_MARTS = DbtStep("dbt_quality_marts", select=QUALITY_SELECTION)
# Last: a step that fails above it stops the build, so readers keep the previous publish.
PUBLISH = Step("serving_marts", lambda settings: publish(settings.warehouse))
STEPS = (DBT_WAREHOUSE, QUALITY_CHECKS, DBT_QUALITY_MARTS, PUBLISH)


def build(settings: Settings) -> QualityReport:
    """Every step in order; the first that fails raises and nothing after it runs."""
    results = {step.name: step.run(settings) for step in STEPS}
    return results[QUALITY_CHECKS.name]
