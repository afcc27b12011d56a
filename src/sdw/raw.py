"""How a source declares a table of the raw schema: its name, its columns and their types.

Each source declares the raw tables it writes where it lives (sdw/messages/layout.py,
sdw/messages/key.py, sdw/cbs/layout.py, sdw/budget/layout.py, sdw/quality/results.py);
sdw.sources lists them all; sdw.warehouse creates and fills them without knowing any source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

TEXT = "VARCHAR"  # raw keeps the source's text; typing it is dbt staging's work


@dataclass(frozen=True, eq=False)  # a declaration is itself: compared and hashed by identity
class RawTable:
    """raw.<name>, with its columns in order. `types` names the columns that are not text
    (what the loader itself computes: counts, sequence numbers, timestamps, a figure).

    `rebuild_on_change`: the table is rebuilt from the files its rows came from, so a
    warehouse holding an older layout of it is refused (OutdatedWarehouseError) rather than
    written into, which would mix meanings; starting afresh loses nothing."""

    name: str
    columns: tuple[str, ...]
    types: Mapping[str, str] = field(default_factory=dict)
    rebuild_on_change: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.types) - set(self.columns)
        if unknown:
            raise ValueError(f"raw.{self.name}: types for columns it lacks: {sorted(unknown)}")

    def column_types(self) -> dict[str, str]:
        """Every column with its type, in order."""
        return {column: self.types.get(column, TEXT) for column in self.columns}
