"""What a reader is given (one file) and what it gives back (one file's worth of CBS content)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sdw.cbs.layout import UnknownLayout

# CBS table ids: 85098NED, 03759ned, 80137ENG. In file names, folder names and OData URLs.
TABLE_ID = re.compile(r"(?<![0-9A-Za-z])\d{5}(?:NED|ENG)(?![0-9A-Za-z])", re.IGNORECASE)


def table_id_in(text: str | None) -> str | None:
    found = TABLE_ID.search(text or "")
    return found.group(0) if found else None


@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    file_id: str

    @cached_property
    def json(self) -> object:
        """The file as JSON, parsed once however many readers ask (UnknownLayout if it is not)."""
        if self.data.lstrip()[:1] not in (b"{", b"["):
            raise UnknownLayout("not JSON")
        try:
            return json.loads(self.data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UnknownLayout(f"not JSON: {error}") from None


@dataclass
class Extract:
    """One file read: its table, its collection and rows for each raw table it feeds.

    `observations` is a lazy iterator so a national table streams into the warehouse in chunks;
    measures and codes are small and come as lists.
    """

    collection: str
    table_id: str | None = None
    table_title: str | None = None
    edition: str | None = None
    next_link: str | None = None
    observations: Iterator[tuple] = field(default_factory=lambda: iter(()))
    measures: list[tuple] = field(default_factory=list)
    codes: list[tuple] = field(default_factory=list)
