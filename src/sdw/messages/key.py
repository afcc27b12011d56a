"""The pseudonym key a warehouse's messages were loaded with, and a deliberate change of it.

Pseudonyms are one-way: a warehouse loaded with one key cannot join what another key makes (one
BSN, two pseudonyms, two clients), and no stored pseudonym can be converted to another key. So
the first load records the key's fingerprint (sdw.pseudonym.key_fingerprint, never the key) in
raw.pseudonym_key, and once a pseudonym is stored every load with another key is refused before
anything is written. `sdw rekey --confirm` is the way to change it: it drops what the old key
made and records the new key, so that the message files are loaded again from the inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sdw.config import DEMO_PSEUDONYM_KEY, Settings
from sdw.messages.layout import MESSAGE_TABLES
from sdw.pseudonym import key_fingerprint
from sdw.raw import RawTable
from sdw.warehouse import connect, ensure_raw_schema, table_exists, transaction

# One row: the fingerprint of the key the warehouse's pseudonyms are made with.
PSEUDONYM_KEY = RawTable(
    "pseudonym_key", ("fingerprint", "recorded_at"), {"recorded_at": "TIMESTAMP"}
)
TABLE = f"raw.{PSEUDONYM_KEY.name}"
SHORT = 12  # hex digits of the fingerprint shown to people
DEMO_FINGERPRINT = key_fingerprint(DEMO_PSEUDONYM_KEY.encode())


class KeyChangedError(Exception):
    """The key differs from the one the warehouse's pseudonyms were made with."""


def describe(fingerprint: str) -> str:
    """The short form people see: enough to tell keys apart, and whether it is the demo key."""
    demo = " (the public demo key)" if fingerprint == DEMO_FINGERPRINT else ""
    return fingerprint[:SHORT] + demo


def stored_fingerprint(con: Any) -> str | None:
    if not table_exists(con, "raw", PSEUDONYM_KEY.name):
        return None
    row = con.execute(f"select fingerprint from {TABLE}").fetchone()
    return row[0] if row else None


def _record(con: Any, fingerprint: str) -> None:
    con.execute(f"delete from {TABLE}")
    con.execute(
        f"insert into {TABLE} (fingerprint, recorded_at) values (?, ?)",
        [fingerprint, datetime.now(UTC).replace(tzinfo=None)],
    )


def check_key(con: Any, settings: Settings) -> None:
    """Record the key on the first load; refuse any other key once a pseudonym was made with
    it (a first load refused for real BSNs under the demo key leaves the key open). The
    loader has made the raw tables (sdw.sources.RAW_TABLES), this one among them."""
    fingerprint = key_fingerprint(settings.effective_key)
    stored = stored_fingerprint(con)
    if stored == fingerprint:
        return
    if stored is None or not con.execute("select count(*) from raw.clienten").fetchone()[0]:
        with transaction(con):
            _record(con, fingerprint)
        return
    raise KeyChangedError(
        f"the warehouse's pseudonyms were made with another key (fingerprint "
        f"{describe(stored)}; this key: {describe(fingerprint)}): set SDW_PSEUDONYM_KEY to "
        "that key, or run `sdw rekey --confirm` to drop the loaded messages and load them "
        "again with this one"
    )


@dataclass
class RekeyReport:
    previous: str | None
    fingerprint: str
    files_forgotten: int
    tables_dropped: list[str]


def rekey(settings: Settings) -> RekeyReport:
    """Drop every row the old key made (the message tables and their ledger, so that the files
    are loaded again) and the incremental models built from them, and record the new key. One
    transaction: an interrupted rekey leaves the warehouse as it was."""
    fingerprint = key_fingerprint(settings.effective_key)
    with connect(settings.warehouse) as con:
        ensure_raw_schema(con, [*MESSAGE_TABLES.values(), PSEUDONYM_KEY])
        previous = stored_fingerprint(con)
        files = con.execute("select count(*) from raw.ingest_files").fetchone()[0]
        incremental = _incremental_models(con)
        with transaction(con):
            for table in MESSAGE_TABLES:
                con.execute(f"delete from raw.{table}")
            # Incremental models only recompute the partitions new files touch, so rows of the
            # old pseudonyms would stay: they are dropped and built whole by the next build.
            for model in incremental:
                con.execute(f"drop table if exists {model} cascade")
            if incremental:
                con.execute("delete from cleaned.incrementele_runs")
            _record(con, fingerprint)
    return RekeyReport(previous, fingerprint, files, incremental)


def _incremental_models(con: Any) -> list[str]:
    if not table_exists(con, "cleaned", "incrementele_runs"):
        return []
    rows = con.execute("select distinct model_naam from cleaned.incrementele_runs").fetchall()
    return sorted(name for (name,) in rows)
