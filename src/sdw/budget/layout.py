"""The raw tables the budget loader fills, and the CSV layouts it reads.

Three layouts, told apart by their header (not by the file name): the inkoop catalogue (which
products a gemeente contracted from which aanbieder, at which tariff, in which inkoop segment
and perceel), the budget (the plafond per year and segment or productcategorie) and the
aanbieder register (the names of the AGB codes). A layout has required columns and optional
ones; a file names the required ones and any of the optional ones, in any order. Raw keeps the
text as in the file (an optional column the file lacks is empty); staging types it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdw.raw import RawTable

BUDGET_FILE_COLUMNS = (
    "file_id",
    "path",
    "size_bytes",
    "status",  # loaded | quarantined | duplicate
    "reason",
    "layout",  # inkoop | budget | aanbieders
    "row_count",
    "loaded_at",
)

INKOOP_COLUMNS = (
    "gemeente_code",
    "jaar",
    "standard",
    "segment",
    "productcategorie",
    "productcode",
    "eenheid",
    "aanbieder_agb",
    "tarief_eurocent",
)
# Optional in the catalogue: the product's name and the lot (perceel) within the segment.
INKOOP_OPTIONAL = ("productnaam", "perceel")

PLAFOND_COLUMNS = (
    "gemeente_code",
    "jaar",
    "standard",
    "segment",
    "productcategorie",
    "plafond_eur",
)

BUDGET_FILES = RawTable(
    "budget_files",
    BUDGET_FILE_COLUMNS,
    {"size_bytes": "INTEGER", "row_count": "INTEGER", "loaded_at": "TIMESTAMP"},
)
# The aanbieder register: which organisation an AGB code is (KvK number and kind optional).
AANBIEDER_COLUMNS = ("gemeente_code", "aanbieder_agb", "naam")
AANBIEDER_OPTIONAL = ("kvk_nummer", "soort")

INKOOP = RawTable(
    "budget_inkoop",
    ("file_id", "row_seq", *INKOOP_COLUMNS, *INKOOP_OPTIONAL),
    {"row_seq": "INTEGER"},
)
# Optional in the budget: an omzetplafond is the plafond of one aanbieder (for the whole
# standard when segment is empty, or for one segment).
PLAFOND_OPTIONAL = ("aanbieder_agb",)
PLAFONDS = RawTable(
    "budget_plafonds",
    ("file_id", "row_seq", *PLAFOND_COLUMNS, *PLAFOND_OPTIONAL),
    {"row_seq": "INTEGER"},
)
AANBIEDERS = RawTable(
    "budget_aanbieders",
    ("file_id", "row_seq", *AANBIEDER_COLUMNS, *AANBIEDER_OPTIONAL),
    {"row_seq": "INTEGER"},
)


@dataclass(frozen=True)
class Layout:
    """A CSV layout: the raw table its rows go to, the columns a file must name and those it
    may name. A row is written in the order `required + optional`."""

    table: RawTable
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)

    def matches(self, header: tuple[str, ...]) -> bool:
        return set(self.required) <= set(header) <= set(self.columns)


LAYOUTS: dict[str, Layout] = {
    "inkoop": Layout(INKOOP, INKOOP_COLUMNS, INKOOP_OPTIONAL),
    "budget": Layout(PLAFONDS, PLAFOND_COLUMNS, PLAFOND_OPTIONAL),
    "aanbieders": Layout(AANBIEDERS, AANBIEDER_COLUMNS, AANBIEDER_OPTIONAL),
}

BUDGET_TABLES: dict[str, RawTable] = {
    table.name: table for table in (BUDGET_FILES, INKOOP, PLAFONDS, AANBIEDERS)
}
