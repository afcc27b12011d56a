import os
from pathlib import Path

import pytest

from sdw.build import prepare_project
from sdw.config import PROJECT_DIR, Settings, settings
from sdw.demo import generate
from sdw.pipeline import run_pipeline

FIXTURE_MESSAGES = PROJECT_DIR / "tests" / "fixtures" / "messages"


def pytest_configure(config: pytest.Config) -> None:
    """Dagster reads its asset graph from dbt's manifest when a test module first imports
    orchestration, at collection: parse the project before (once per session, as `sdw run`
    does), so a fresh clone has a manifest and a model changed since the last parse is in it."""
    prepare_project()


def shared_dir() -> Path:
    return Path(os.environ.get("SDW_SHARED_DIR", PROJECT_DIR.parent / "shared"))


@pytest.fixture
def shared() -> Path:
    path = shared_dir()
    if not (path / "istandaarden").is_dir():
        pytest.skip(f"shared reference folder not found at {path} (set SDW_SHARED_DIR)")
    return path


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh, empty warehouse in tmp_path, with the demo key (no SDW_PSEUDONYM_KEY)."""
    for name in ("SDW_PSEUDONYM_KEY", "SDW_INBOX", "SDW_QUARANTINE", "SDW_REPORTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SDW_WAREHOUSE", str(tmp_path / "warehouse" / "test.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    return settings()


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> tuple[dict, Path]:
    """A small demo gemeente, every defect type planted, through the whole pipeline once per
    session: (the generator's ground truth, the warehouse file). Tests only read it."""
    root = tmp_path_factory.mktemp("demo")
    # A small demo sends few 315s, the only messages the misaddressed-gemeente defect rides on.
    truth = generate(
        root / "demo",
        seed=7,
        inwoners=5_000,
        defect_rate=0.03,
        defect_rates={"unknown_gemeente_code": 0.3},
    )
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SDW_PSEUDONYM_KEY", "SDW_QUARANTINE", "SDW_REPORTS"):
            patch.delenv(name, raising=False)
        patch.setenv("SDW_WAREHOUSE", str(root / "warehouse" / "demo.duckdb"))
        patch.setenv("SDW_INBOX", str(root / "demo" / "inbox"))
        patch.setenv("SDW_CBS_DIR", str(root / "demo" / "cbs"))
        patch.setenv("SDW_BUDGET_DIR", str(root / "demo" / "budget"))
        patch.setenv("SDW_DOELEN_DIR", str(root / "demo" / "doelen"))
        # as `make demo`: clients' postcodes become the CBS buurt the generator placed them in
        patch.setenv("SDW_POSTCODE_BUURT", str(root / "demo" / "postcode_buurt.csv"))
        patch.setenv("DAGSTER_HOME", str(root / "dagster_home"))
        config = settings()
        run_pipeline(config)
    return truth, config.warehouse
