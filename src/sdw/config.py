"""Configuration from the environment: one place that knows every SDW_* variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The repository root: dbt_project.yml, expectations/ and the default warehouse live here.
PROJECT_DIR = Path(__file__).resolve().parents[2]

DEFAULT_WAREHOUSE = "warehouse/sociaal_domein.duckdb"

# Published, not secret: pseudonyms made with it are only ever pseudonyms of test BSNs,
# because without SDW_PSEUDONYM_KEY only test BSNs may be loaded (see sdw.pseudonym).
DEMO_PSEUDONYM_KEY = "sdw-demo-key-not-secret"


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    pseudonym_key: str | None
    inbox: Path
    cbs_dir: Path
    quarantine_dir: Path
    reports_dir: Path

    @property
    def has_own_key(self) -> bool:
        return self.pseudonym_key is not None

    @property
    def effective_key(self) -> bytes:
        return (self.pseudonym_key or DEMO_PSEUDONYM_KEY).encode()


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    path = Path(value) if value else default
    return path if path.is_absolute() else PROJECT_DIR / path


def settings() -> Settings:
    """Read the environment now, so tests and CLI runs can change it between calls."""
    warehouse = _path("SDW_WAREHOUSE", Path(DEFAULT_WAREHOUSE))
    work_dir = warehouse.parent
    return Settings(
        warehouse=warehouse,
        pseudonym_key=os.environ.get("SDW_PSEUDONYM_KEY") or None,
        inbox=_path("SDW_INBOX", work_dir / "inbox"),
        cbs_dir=_path("SDW_CBS_DIR", work_dir / "cbs"),
        quarantine_dir=_path("SDW_QUARANTINE", work_dir / "quarantine"),
        reports_dir=_path("SDW_REPORTS", work_dir / "reports"),
    )
