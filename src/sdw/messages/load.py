"""Load message files into raw: every file accounted for, each one atomically.

A file's rows and its raw.ingest_files row are written in the same transaction, so a killed load
leaves whole files or nothing, and a rerun skips exactly the files already accounted for
(sdw.files.FileLedger).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from sdw.config import Settings
from sdw.files import FileLedger, content_id, files_under, keep_quarantined
from sdw.messages.layout import BERICHT_COLUMNS, INGEST_FILE_COLUMNS
from sdw.messages.parse import ParsedMessage, Quarantine, parse_message
from sdw.warehouse import connect, ensure_raw_schema, insert_rows

# Flush to the warehouse every so many files: large enough for bulk inserts, small enough that
# an interrupted load loses little work.
BATCH_FILES = 1000


class RefusedError(Exception):
    """Loading would break a rule the user must fix first (e.g. real BSNs without a key)."""


@dataclass
class IngestReport:
    loaded: int = 0
    quarantined: int = 0
    duplicate: int = 0
    skipped: int = 0  # already accounted for by an earlier run
    messages: int = 0
    products: int = 0
    seconds: float = 0.0
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.loaded + self.quarantined + self.duplicate + self.skipped


class _Batch:
    """Rows of whole files, written together in one transaction."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.files = 0

    def add_file(self, record: dict, message: ParsedMessage | None = None) -> None:
        self.rows["ingest_files"].append(tuple(record[c] for c in INGEST_FILE_COLUMNS))
        if message is not None:
            self.rows["berichten"].append(tuple(message.bericht[c] for c in BERICHT_COLUMNS))
            self.rows["clienten"].extend(message.clients)
            self.rows[message.product_table].extend(message.products)
        self.files += 1

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        if not self.files:
            return
        con.execute("begin transaction")
        try:
            for table, rows in self.rows.items():
                if rows:
                    insert_rows(con, table, rows)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        self.rows.clear()
        self.files = 0


def _file_record(path: Path, file_id: str, size: int, status: str, **values) -> dict:
    return {
        "file_id": file_id,
        "path": str(path.resolve()),
        "size_bytes": size,
        "status": status,
        "reason": None,
        "standard": None,
        "release": None,
        "message_type": None,
        "message_count": 0,
        "client_count": 0,
        "product_count": 0,
        "invalid_bsn_count": 0,
        "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        **values,
    }


def ingest_messages(
    paths: Iterable[Path],
    settings: Settings,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    started = time.perf_counter()
    key = settings.effective_key
    with connect(settings.warehouse) as con:
        ensure_raw_schema(con)
        ledger = FileLedger(con, "ingest_files")
        batch = _Batch()
        try:
            for path in files_under(paths):
                data = path.read_bytes()
                file_id = content_id(data)
                match ledger.classify(file_id, path):
                    case "accounted":
                        report.skipped += 1
                    case "duplicate":
                        batch.add_file(_file_record(path, file_id, len(data), "duplicate"))
                        report.duplicate += 1
                    case "new":
                        _ingest_one(path, data, file_id, key, settings, batch, report)
                if batch.files >= BATCH_FILES:
                    batch.write(con)
                    if progress:
                        report.seconds = time.perf_counter() - started
                        progress(report)
        finally:
            # Whole files only: what was parsed before an error or refusal is still written.
            batch.write(con)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(
    path: Path,
    data: bytes,
    file_id: str,
    key: bytes,
    settings: Settings,
    batch: _Batch,
    report: IngestReport,
) -> None:
    try:
        message = parse_message(data, file_id, key)
    except Quarantine as reason:
        batch.add_file(_file_record(path, file_id, len(data), "quarantined", reason=str(reason)))
        keep_quarantined(settings, path, file_id, data)
        report.quarantined += 1
        report.quarantine_reasons.append((str(path), str(reason)))
        return
    if not settings.has_own_key and not message.only_test_bsns:
        raise RefusedError(
            f"{path}: holds BSNs outside the test range and SDW_PSEUDONYM_KEY is not set. "
            "Set SDW_PSEUDONYM_KEY to your own secret before loading real messages."
        )
    kind = message.kind
    batch.add_file(
        _file_record(
            path,
            file_id,
            len(data),
            "loaded",
            standard=kind.standard,
            release=kind.release,
            message_type=kind.message_type,
            message_count=1,
            client_count=len(message.clients),
            product_count=len(message.products),
            invalid_bsn_count=message.invalid_bsn_count,
        ),
        message,
    )
    report.loaded += 1
    report.messages += 1
    report.products += len(message.products)


def print_progress(report: IngestReport) -> None:
    rate = report.files / report.seconds if report.seconds else 0.0
    print(f"  {report.files} files, {rate:,.0f} files/s", file=sys.stderr)


def warn_demo_key(settings: Settings) -> None:
    if not settings.has_own_key:
        print(
            "warning: SDW_PSEUDONYM_KEY is not set; using the public demo key, "
            "so only test BSNs (999900000-999999999) can be loaded.",
            file=sys.stderr,
        )
