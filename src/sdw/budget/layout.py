"""The raw tables the budget loader fills, and the CSV layouts it reads.

Two layouts, told apart by their header (not by the file name): the inkoop catalogue (which
products a gemeente contracted from which aanbieder, at which tariff, in which inkoop segment)
and the budget (the plafond per year and segment or productcategorie). Raw keeps the text as
in the file; staging types it.
"""

from __future__ import annotations

from sdw.raw import RawTable

BUDGET_FILE_COLUMNS = (
    "file_id",
    "path",
    "size_bytes",
    "status",  # loaded | quarantined | duplicate
    "reason",
    "layout",  # inkoop | budget
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
INKOOP = RawTable("budget_inkoop", ("file_id", "row_seq", *INKOOP_COLUMNS), {"row_seq": "INTEGER"})
PLAFONDS = RawTable(
    "budget_plafonds", ("file_id", "row_seq", *PLAFOND_COLUMNS), {"row_seq": "INTEGER"}
)

# The header of each layout, and the raw table its rows go to.
LAYOUTS: dict[str, tuple[RawTable, tuple[str, ...]]] = {
    "inkoop": (INKOOP, INKOOP_COLUMNS),
    "budget": (PLAFONDS, PLAFOND_COLUMNS),
}

BUDGET_TABLES: dict[str, RawTable] = {
    table.name: table for table in (BUDGET_FILES, INKOOP, PLAFONDS)
}
