"""What every loader does with the files it is offered: find them, identify them by content,
account for each exactly once, and keep a copy of what it could not load."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from sdw.config import Settings
from sdw.warehouse import insert_rows


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

    Files are looked up in the table a group at a time, so memory does not grow with what the
    warehouse holds; what was classified but is not written yet is remembered until `written`.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, table: str, *, retry_quarantined: bool = False
    ) -> None:
        self._con = con
        self._table = table
        self._retry = retry_quarantined
        self._pending: set[tuple[str, str]] = set()
        self._pending_contents: dict[str, int] = {}  # file_id -> files classified, not written

    def classify(self, file_id: str, path: Path | str) -> str:
        """`accounted`, `retry`, `duplicate` or `new`; then remembers the file as accounted for."""
        key = str(path.resolve()) if isinstance(path, Path) else path
        return self.classify_all([(file_id, key)])[0][0]

    def classify_all(self, files: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
        """(outcome, the reason it was quarantined before, for `retry`) per (file_id, path)."""
        known: dict[tuple[str, str], tuple[str, str | None]] = {}
        contents: set[str] = set()
        for file_id, path, status, reason in self._lookup({f for f, _ in files}):
            known[(file_id, path)] = (status, reason)
            if status != "duplicate":
                contents.add(file_id)
        outcomes = []
        for key in files:
            file_id = key[0]
            if key in self._pending:
                outcomes.append(("accounted", None))
                continue
            status, reason = known.get(key, (None, None))
            if status == "quarantined" and self._retry:
                outcome = "retry"
            elif status is not None:
                outcomes.append(("accounted", None))
                continue
            elif file_id in contents or file_id in self._pending_contents:
                outcome = "duplicate"
            else:
                outcome = "new"
            self._pending.add(key)
            self._pending_contents[file_id] = self._pending_contents.get(file_id, 0) + 1
            outcomes.append((outcome, reason if outcome == "retry" else None))
        return outcomes

    def written(self, files: list[tuple[str, str]]) -> None:
        """These classified files are in the table now (or need no row): stop remembering them."""
        for key in files:
            self._pending.discard(key)
            left = self._pending_contents.get(key[0], 0) - 1
            if left > 0:
                self._pending_contents[key[0]] = left
            else:
                self._pending_contents.pop(key[0], None)

    def _lookup(self, file_ids: set[str]) -> list[tuple]:
        if not file_ids:
            return []
        self._con.register("ledger_lookup", pd.DataFrame({"file_id": sorted(file_ids)}))
        try:
            return self._con.execute(
                f"select file_id, path, status, reason from raw.{self._table} "
                "where file_id in (select file_id from ledger_lookup)"
            ).fetchall()
        finally:
            self._con.unregister("ledger_lookup")


def each_new_file(
    con: Any,
    paths: Iterable[Path],
    ledger_table: str,
    file_row: Callable[[Path, str, bytes, str], tuple],
    report: Any,
) -> Iterator[tuple[Path, bytes, str]]:
    """(path, content, file_id) of each file under ``paths`` that raw.<ledger_table> has not
    accounted for. A file already accounted for counts in ``report.skipped``; a copy of one
    under another path is recorded as a duplicate (``file_row`` makes its ledger row) and counts
    in ``report.duplicate``."""
    ledger = FileLedger(con, ledger_table)
    for path in files_under(paths):
        data = path.read_bytes()
        file_id = content_id(data)
        match ledger.classify(file_id, path):
            case "accounted":
                report.skipped += 1
            case "duplicate":
                insert_rows(con, ledger_table, [file_row(path, file_id, data, "duplicate")])
                report.duplicate += 1
            case "new":
                yield path, data, file_id


def keep_quarantined(settings: Settings, path: Path | str, file_id: str, data: bytes) -> Path:
    """Our own copy of a file we could not load: the inbox is not ours to keep."""
    settings.quarantine_dir.mkdir(parents=True, exist_ok=True)
    name = Path(str(path).rpartition("!")[2]).name  # an archive member is kept by its own name
    target = settings.quarantine_dir / f"{file_id[:16]}-{name}"
    if not target.exists():
        target.write_bytes(data)
    return target
