"""Helpers for the message tests: parse a file, read its rows by column name."""

from __future__ import annotations

from pathlib import Path

from sdw.messages.layout import table_columns
from sdw.messages.parse import ParseContext, ParsedMessage, parse_message

KEY = b"test-key"


def parse(path: Path, context: ParseContext | None = None) -> ParsedMessage:
    return parse_message(path.read_bytes(), path.name, context or ParseContext(KEY))


def rows(message: ParsedMessage, table: str, *columns: str) -> list:
    """The table's rows of one message: dicts of the non-null values, or tuples of `columns`."""
    names = table_columns()[table]
    found = [dict(zip(names, row, strict=True)) for row in message.rows.get(table, [])]
    if columns:
        return [tuple(row[c] for c in columns) for row in found]
    return [{k: v for k, v in row.items() if v is not None} for row in found]


def codes(message: ParsedMessage) -> list[tuple]:
    """(level, client_seq, record_seq, retour_code) for every retour code, in order."""
    return rows(message, "retour_codes", "level", "client_seq", "record_seq", "retour_code")
