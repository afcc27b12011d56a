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
    """The files a raw.<table> with (file_id, path, status) columns already accounts for.

    A file is its content (sha256): offered again under the same path it is already accounted
    for, under another path it is a duplicate that adds nothing.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        rows = con.execute(f"select file_id, path, status from raw.{table}").fetchall()
        self._accounted = {(file_id, path) for file_id, path, _ in rows}
        self._contents = {file_id for file_id, _, status in rows if status != "duplicate"}

    def classify(self, file_id: str, path: Path) -> str:
        """`accounted`, `duplicate` or `new`; then remembers the file as accounted for."""
        key = (file_id, str(path.resolve()))
        if key in self._accounted:
            return "accounted"
        self._accounted.add(key)
        if file_id in self._contents:
            return "duplicate"
        self._contents.add(file_id)
        return "new"


def keep_quarantined(settings: Settings, path: Path, file_id: str, data: bytes) -> Path:
    """Our own copy of a file we could not load: the inbox is not ours to keep."""
    settings.quarantine_dir.mkdir(parents=True, exist_ok=True)
    target = settings.quarantine_dir / f"{file_id[:16]}-{path.name}"
    if not target.exists():
        target.write_bytes(data)
    return target
