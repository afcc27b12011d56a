"""Configuration from the environment: one place that knows every SDW_* variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

# The repository root: dbt_project.yml, expectations/ and the default warehouse live here.
PROJECT_DIR = Path(__file__).resolve().parents[2]

DEFAULT_WAREHOUSE = "warehouse/sociaal_domein.duckdb"

# Published, not secret: pseudonyms made with it are only ever pseudonyms of test BSNs,
# because without SDW_PSEUDONYM_KEY only test BSNs may be loaded (see sdw.pseudonym).
DEMO_PSEUDONYM_KEY = "sdw-demo-key-not-secret"

# iStandaarden messages may be 25 MB (OP179); larger files are refused unread, and so are zip
# members that would unpack to more.
DEFAULT_MAX_FILE_MB = 100


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    pseudonym_key: str | None
    inbox: Path
    cbs_dir: Path
    budget_dir: Path
    quarantine_dir: Path
    reports_dir: Path
    xsd_dir: Path | None = None  # validate messages against the XSDs below this folder
    postcode_buurt: Path | None = None  # CSV postcode,buurt_code
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024

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


def _optional_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return _path(name, Path(value)) if value else None


def _max_file_bytes() -> int:
    value = os.environ.get("SDW_MAX_FILE_MB") or str(DEFAULT_MAX_FILE_MB)
    try:
        megabytes = float(value)
    except ValueError:
        raise ValueError(f"SDW_MAX_FILE_MB must be a number of megabytes, got {value!r}") from None
    return int(megabytes * 1024 * 1024)


def settings() -> Settings:
    """Read the environment now, so tests and CLI runs can change it between calls."""
    warehouse = _path("SDW_WAREHOUSE", Path(DEFAULT_WAREHOUSE))
    work_dir = warehouse.parent
    return Settings(
        warehouse=warehouse,
        pseudonym_key=os.environ.get("SDW_PSEUDONYM_KEY") or None,
        inbox=_path("SDW_INBOX", work_dir / "inbox"),
        cbs_dir=_path("SDW_CBS_DIR", work_dir / "cbs"),
        budget_dir=_path("SDW_BUDGET_DIR", work_dir / "budget"),
        quarantine_dir=_path("SDW_QUARANTINE", work_dir / "quarantine"),
        reports_dir=_path("SDW_REPORTS", work_dir / "reports"),
        xsd_dir=_optional_path("SDW_XSD_DIR"),
        postcode_buurt=_optional_path("SDW_POSTCODE_BUURT"),
        max_file_bytes=_max_file_bytes(),
    )


@cache
def _dbt_vars() -> dict[str, Any]:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return dict(project.get("vars") or {})


def dbt_var(name: str) -> Any:
    """A var from dbt_project.yml, so that Python (export, demo generator) and the dbt models
    share one threshold. Raises KeyError for a var the project does not define."""
    return _dbt_vars()[name]
