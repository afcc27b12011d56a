import os
from pathlib import Path

import pytest

from sdw.config import PROJECT_DIR, Settings, settings

FIXTURE_MESSAGES = PROJECT_DIR / "tests" / "fixtures" / "messages"


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
