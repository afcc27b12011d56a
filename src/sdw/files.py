"""What every loader does with the files it is offered: find them, identify them by content,
account for each exactly once, and keep a copy of what it could not load."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from sdw.config import Settings


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every file below a named folder, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileLedger:
    """The files a raw.<table> with (file_id, path, status, reason) columns accounts for.

    A file is its content (sha256): offered again under the same path it is already accounted
    for, under another path it is a duplicate that adds nothing. With `retry_quarantined`, a
    file quarantined before is offered for another try instead (`retry`): a reason such as "not
    supported yet" may no longer hold for a newer loader.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, table: str, *, retry_quarantined: bool = False
    ) -> None:
        rows = con.execute(f"select file_id, path, status, reason from raw.{table}").fetchall()
        self._accounted = {(file_id, path) for file_id, path, _, _ in rows}
        self._contents = {file_id for file_id, _, status, _ in rows if status != "duplicate"}
        self._quarantined = (
            {(f, p): reason for f, p, status, reason in rows if status == "quarantined"}
            if retry_quarantined
            else {}
        )
        self._retried: dict[tuple[str, str], str] = {}

    def classify(self, file_id: str, path: Path | str) -> str:
        """`accounted`, `retry`, `duplicate` or `new`; then remembers the file as accounted for."""
        key = (file_id, str(path.resolve()) if isinstance(path, Path) else path)
        if key in self._quarantined:
            self._retried[key] = self._quarantined.pop(key)
            return "retry"
        if key in self._accounted:
            return "accounted"
        self._accounted.add(key)
        if file_id in self._contents:
            return "duplicate"
        self._contents.add(file_id)
        return "new"

    def quarantine_reason(self, file_id: str, path: str) -> str | None:
        """Why a file classified `retry` was quarantined before."""
        return self._retried.get((file_id, path))


def keep_quarantined(settings: Settings, path: Path | str, file_id: str, data: bytes) -> Path:
    """Our own copy of a file we could not load: the inbox is not ours to keep."""
    settings.quarantine_dir.mkdir(parents=True, exist_ok=True)
    name = Path(str(path).rpartition("!")[2]).name  # an archive member is kept by its own name
    target = settings.quarantine_dir / f"{file_id[:16]}-{name}"
    if not target.exists():
        target.write_bytes(data)
    return target
