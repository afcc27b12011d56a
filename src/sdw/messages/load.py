"""Load message files into raw: every file accounted for, each one atomically.

Files (and zip members) are written in batches of whole files: a file's rows and its
raw.ingest_files row go into the warehouse in the same transaction, so a killed load leaves
whole files or nothing, and a rerun skips exactly the files already accounted for
(sdw.files.FileLedger). A file quarantined before is parsed again; only when the outcome has
changed does its new ingest_files row replace the old one, in the transaction of its new rows.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from sdw.config import Settings
from sdw.files import FileLedger, LoadReport, begin_load
from sdw.inputs import Offered, offered_files
from sdw.messages.envelopes import routing_mismatch, unwrap_envelopes
from sdw.messages.key import check_key
from sdw.messages.layout import MESSAGE_TABLES
from sdw.messages.parallel import Parsing
from sdw.messages.parse import ParseContext, ParsedMessage, Rejected
from sdw.messages.schemas import schema_set
from sdw.postcodes import PostcodeAreas
from sdw.sources import RAW_TABLES
from sdw.warehouse import connect, ensure_raw_schema, insert_rows, is_postgres, transaction

# A batch is written when it holds this many files or rows: large enough for bulk inserts to
# pay off, small enough that memory stays bounded and an interrupted load loses little work.
# Each insert has a fixed cost of some milliseconds (DuckDB analyses the frame's columns), so
# few-KB messages want many files to a batch (measured: 5000 files spent 24% more time writing).
BATCH_FILES = 20_000
BATCH_ROWS = 200_000
# Files are looked up in the ledger a group at a time (one query scans raw.ingest_files), and
# travel to the parsers in chunks, a few chunks in flight at a time. Together these bound what
# is held in memory, whatever the number of files.
LOOKUP_FILES = 8192
LOOKUP_BYTES = 32 << 20
CHUNK_FILES = 256
CHUNK_BYTES = 16 << 20
IN_FLIGHT_CHUNKS = 8
PROGRESS_SECONDS = 1.0


class RefusedError(Exception):
    """Loading would break a rule the user must fix first (e.g. real BSNs without a key)."""


@dataclass
class IngestReport(LoadReport):
    messages: int = 0
    products: int = 0
    bytes_read: int = 0


class _Batch:
    """Rows of whole files, written together in one transaction."""

    def __init__(self, ledger: FileLedger) -> None:
        self.ledger = ledger
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.replaced: list[tuple[str, str]] = []  # (file_id, path) of retried files
        self.accounted: list[tuple[str, str]] = []  # every file the ledger may now forget
        self.files = 0
        self.row_count = 0

    @property
    def full(self) -> bool:
        return self.files >= BATCH_FILES or self.row_count >= BATCH_ROWS

    def add_file(self, record: tuple, message: ParsedMessage | None = None) -> None:
        self.rows["ingest_files"].append(record)
        if message is not None:
            for table, rows in message.rows.items():
                self.rows[table].extend(rows)
                self.row_count += len(rows)
        self.files += 1

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        if not self.files:
            self._forget()
            return
        with transaction(con):
            if self.replaced:
                replaced = pd.DataFrame(self.replaced, columns=["file_id", "path"])
                con.register("replaced_files", replaced)
                con.execute(
                    "delete from raw.ingest_files as f using replaced_files as r "
                    "where f.file_id = r.file_id and f.path = r.path"
                )
                con.unregister("replaced_files")
            for table, rows in self.rows.items():
                if rows:
                    insert_rows(con, MESSAGE_TABLES[table], rows)
        self.rows.clear()
        self.replaced.clear()
        self.files = self.row_count = 0
        self._forget()

    def _forget(self) -> None:
        self.ledger.written(self.accounted)
        self.accounted.clear()


def _file_record(
    offered: Offered,
    status: str,
    reason: str | None = None,
    message: ParsedMessage | None = None,
) -> tuple:
    """A raw.ingest_files row, in INGEST_FILE_COLUMNS order (a tuple, not a dict: per file)."""
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    if message is None:
        kind = getattr(reason, "kind", None)  # what a quarantined file's namespace said
        standard, release, message_type = (
            (kind.standard, kind.release, kind.message_type) if kind else (None, None, None)
        )
        reason = None if reason is None else str(reason)
        return (offered.file_id, offered.path, offered.size, status, reason, standard, release,
                message_type, 0, 0, 0, 0, 0, None, None, loaded_at)  # fmt: skip
    kind = message.kind
    return (
        offered.file_id, offered.path, offered.size, status, reason,
        kind.standard, kind.release, kind.message_type, 1, message.client_count,
        message.product_count, message.retour_code_count, message.invalid_bsn_count,
        message.xsd_file, message.content_fingerprint, loaded_at,
    )  # fmt: skip


def parse_context(settings: Settings) -> ParseContext:
    return ParseContext(
        key=settings.effective_key,
        postcodes=PostcodeAreas.from_csv(settings.postcode_buurt),
        schemas=schema_set(settings.xsd_dir) if settings.xsd_dir else None,
    )


def ingest_messages(
    paths: Iterable[Path],
    settings: Settings,
    progress: Callable[[IngestReport], None] | None = None,
    *,
    workers: int | None = None,
) -> IngestReport:
    report = IngestReport()
    started = last_progress = time.perf_counter()
    begin_load(settings)
    parsing = Parsing(parse_context(settings), workers)
    with connect(settings.warehouse) as con:
        # Inserts of a few thousand rows gain nothing from DuckDB's threads, and lose the core
        # the parsing workers need (measured: 4.9 against 7.1 µs per row).
        if not is_postgres(con):
            con.execute("set threads = 1")
        ensure_raw_schema(con, RAW_TABLES)
        check_key(con, settings)  # before anything is written: one key per warehouse
        ledger = FileLedger(con, "ingest_files", retry_quarantined=True)
        batch = _Batch(ledger)
        pending: deque[tuple[list[_Item], Callable[[], list]]] = deque()

        def account_until(in_flight: int) -> None:
            nonlocal last_progress
            while len(pending) > in_flight:
                chunk, results = pending.popleft()
                _account(chunk, results(), settings, batch, report)
                if batch.full:
                    batch.write(con)
                    now = time.perf_counter()
                    if progress and now - last_progress >= PROGRESS_SECONDS:
                        report.seconds, last_progress = now - started, now
                        progress(report)

        finished = False
        try:
            offered = unwrap_envelopes(offered_files(paths, settings, report.skip), settings)
            for chunk in _chunks(offered, ledger):
                to_parse = [(i.offered.data, i.offered.file_id) for i in chunk if i.parse]
                pending.append((chunk, parsing.submit(to_parse)))
                account_until(IN_FLIGHT_CHUNKS)
            account_until(0)
            finished = True
        finally:
            parsing.close(finished)
            # Whole files only: what was parsed before an error or refusal is still written.
            batch.write(con)
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Item:
    offered: Offered
    outcome: str  # from FileLedger.classify_all
    previous: str | None  # the reason a retried file was quarantined for

    @property
    def size(self) -> int:
        return self.offered.size if self.outcome != "accounted" else 0

    @property
    def parse(self) -> bool:
        return self.outcome in ("new", "retry") and self.offered.refusal is None


def _chunks(offered: Iterable[Offered], ledger: FileLedger) -> Iterator[list[_Item]]:
    """Files in order, classified a lookup group at a time, in chunks for the parsers."""
    for group in _groups(offered, LOOKUP_FILES, LOOKUP_BYTES):
        outcomes = ledger.classify_all([(o.file_id, o.path) for o in group])
        items = [_Item(o, *outcome) for o, outcome in zip(group, outcomes, strict=True)]
        yield from _groups(items, CHUNK_FILES, CHUNK_BYTES)


def _groups(items: Iterable, files: int, size: int) -> Iterator[list]:
    """Consecutive runs of at most `files` items holding at most `size` bytes (or one item)."""
    group: list = []
    held = 0
    for item in items:
        group.append(item)
        held += item.size
        if len(group) >= files or held >= size:
            yield group
            group, held = [], 0
    if group:
        yield group


def _account(
    chunk: list[_Item], results: list, settings: Settings, batch: _Batch, report: IngestReport
) -> None:
    parsed = iter(results)
    for item in chunk:
        offered = item.offered
        if item.outcome == "accounted":
            report.skipped += 1
            continue
        batch.accounted.append((offered.file_id, offered.path))
        report.bytes_read += offered.size
        if item.outcome == "duplicate":
            batch.add_file(_file_record(offered, "duplicate"))
            report.duplicate += 1
            continue
        result = next(parsed) if item.parse else offered.refusal
        if not isinstance(result, str) and offered.routing is not None:
            mismatch = routing_mismatch(offered.routing, result.bericht, result.kind)
            result = Rejected(mismatch, result.kind) if mismatch else result
        if isinstance(result, str):
            _quarantine(item, result, settings, batch, report)
            continue
        if not settings.has_own_key and not result.only_test_bsns:
            raise RefusedError(
                f"{offered.path}: holds BSNs outside the test range and SDW_PSEUDONYM_KEY is not "
                "set. Set SDW_PSEUDONYM_KEY to your own secret before loading real messages."
            )
        if item.previous is not None:
            batch.replaced.append((offered.file_id, offered.path))
        batch.add_file(_file_record(offered, "loaded", message=result), result)
        report.loaded += 1
        report.messages += 1
        report.products += result.product_count


def _quarantine(
    item: _Item, reason: str, settings: Settings, batch: _Batch, report: IngestReport
) -> None:
    offered = item.offered
    if reason == item.previous:  # retried, and still quarantined for the same reason
        report.skipped += 1
        return
    if item.previous is not None:
        batch.replaced.append((offered.file_id, offered.path))
    batch.add_file(_file_record(offered, "quarantined", reason))
    report.quarantine(settings, offered.path, offered.file_id, offered.data, reason)


def print_progress(report: IngestReport) -> None:
    seconds = report.seconds or 1.0
    print(
        f"  {report.files:,} files, {report.messages:,} messages "
        f"({report.files / seconds:,.0f} files/s, {report.messages / seconds:,.0f} messages/s, "
        f"{report.products / seconds:,.0f} product lines/s)",
        file=sys.stderr,
        flush=True,
    )


def warn_demo_key(settings: Settings) -> None:
    if not settings.has_own_key:
        print(
            "warning: SDW_PSEUDONYM_KEY is not set; using the public demo key, "
            "so only test BSNs (999900000-999999999) can be loaded.",
            file=sys.stderr,
        )
