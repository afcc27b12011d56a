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
# A zip archive is bounded as a whole too: what all its members unpack to, and how many there are.
DEFAULT_ZIP_MAX_MB = 20 * DEFAULT_MAX_FILE_MB
DEFAULT_ZIP_MAX_MEMBERS = 100_000
# Quarantine copies hold raw messages (BSNs, names, addresses): kept long enough to look into a
# file and ask the sender for a new one, then deleted.
DEFAULT_QUARANTINE_DAYS = 90


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    pseudonym_key: str | None
    inbox: Path
    cbs_dir: Path
    budget_dir: Path
    doelen_dir: Path
    quarantine_dir: Path
    reports_dir: Path
    xsd_dir: Path | None = None  # validate messages against the XSDs below this folder
    postcode_buurt: Path | None = None  # CSV postcode,buurt_code
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024
    zip_max_bytes: int = DEFAULT_ZIP_MAX_MB * 1024 * 1024
    zip_max_members: int = DEFAULT_ZIP_MAX_MEMBERS
    follow_symlinks: bool = False  # links are followed only within the folders given
    quarantine_days: int = DEFAULT_QUARANTINE_DAYS  # 0: no copies are kept

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


def _megabytes(name: str, default: int) -> int:
    """The variable's megabytes, in bytes."""
    value = os.environ.get(name) or str(default)
    try:
        megabytes = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of megabytes, got {value!r}") from None
    return int(megabytes * 1024 * 1024)


def _count(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number, 0 or more, got {value!r}")
    return int(value)


def _flag(name: str) -> bool:
    value = (os.environ.get(name) or "").strip().lower()
    if value not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ValueError(f"{name} must be 1 or 0 (true or false), got {value!r}")
    return value in ("1", "true", "yes")


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
        doelen_dir=_path("SDW_DOELEN_DIR", work_dir / "doelen"),
        quarantine_dir=_path("SDW_QUARANTINE", work_dir / "quarantine"),
        reports_dir=_path("SDW_REPORTS", work_dir / "reports"),
        xsd_dir=_optional_path("SDW_XSD_DIR"),
        postcode_buurt=_optional_path("SDW_POSTCODE_BUURT"),
        max_file_bytes=_megabytes("SDW_MAX_FILE_MB", DEFAULT_MAX_FILE_MB),
        zip_max_bytes=_megabytes("SDW_ZIP_MAX_MB", DEFAULT_ZIP_MAX_MB),
        zip_max_members=_count("SDW_ZIP_MAX_MEMBERS", DEFAULT_ZIP_MAX_MEMBERS),
        follow_symlinks=_flag("SDW_FOLLOW_SYMLINKS"),
        quarantine_days=_count("SDW_QUARANTINE_DAYS", DEFAULT_QUARANTINE_DAYS),
    )


@cache
def _dbt_vars() -> dict[str, Any]:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return dict(project.get("vars") or {})


def dbt_var(name: str) -> Any:
    """A var from dbt_project.yml, so that Python (export, demo generator) and the dbt models
    share one threshold. Raises KeyError for a var the project does not define."""
    return _dbt_vars()[name]
