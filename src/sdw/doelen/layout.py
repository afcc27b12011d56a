"""The raw tables the doelen loader fills, and the CSV layouts it reads.

Layouts are told apart by their header (not by the file name). Raw keeps the text as in the
file; staging types it. A line that breaks a rule is not loaded: it gets a row in
raw.doelen_regels_quarantaine with its line number and the rule (never its values), and the
file's other lines load.
"""

from __future__ import annotations

from sdw.raw import RawTable

DOELEN_FILE_COLUMNS = (
    "file_id",
    "path",
    "size_bytes",
    "status",  # loaded | quarantined | duplicate
    "reason",
    "layout",  # streefwaarden | uitkomsten
    "row_count",
    "lines_quarantined",
    "loaded_at",
)

# A target per gebied (gemeente code, or a region of seed doel_gebieden), period, KPI (seed
# doel_kpi) and domein (wmo, jeugd, or empty for both).
STREEFWAARDE_COLUMNS = (
    "gebied",
    "periode",
    "kpi",
    "domein",
    "streefwaarde",
    "richting",
    "signaalmarge",
)

# What care achieved, per ended zorgperiode, as the aanbieder (or the contract team) reports it:
# keyed by toewijzingnummer and aanbieder, so no BSN is needed. doelrealisatie ja, deels or nee;
# tevredenheid a score from 1 to 10; either may be empty (not asked or not answered).
UITKOMST_COLUMNS = (
    "gemeente_code",
    "aanbieder_agb",
    "toewijzingnummer",
    "einddatum",
    "doelrealisatie",
    "tevredenheid",
)

DOELEN_FILES = RawTable(
    "doelen_files",
    DOELEN_FILE_COLUMNS,
    {
        "size_bytes": "INTEGER",
        "row_count": "INTEGER",
        "lines_quarantined": "INTEGER",
        "loaded_at": "TIMESTAMP",
    },
)
STREEFWAARDEN = RawTable(
    "doelen_streefwaarden",
    ("file_id", "line_number", *STREEFWAARDE_COLUMNS),
    {"line_number": "INTEGER"},
)
UITKOMSTEN = RawTable(
    "doelen_uitkomsten", ("file_id", "line_number", *UITKOMST_COLUMNS), {"line_number": "INTEGER"}
)
REGELS_QUARANTAINE = RawTable(
    "doelen_regels_quarantaine",
    ("file_id", "layout", "line_number", "reason"),
    {"line_number": "INTEGER"},
)

# The header of each layout, and the raw table its rows go to.
LAYOUTS: dict[str, tuple[RawTable, tuple[str, ...]]] = {
    "streefwaarden": (STREEFWAARDEN, STREEFWAARDE_COLUMNS),
    "uitkomsten": (UITKOMSTEN, UITKOMST_COLUMNS),
}

DOELEN_TABLES: dict[str, RawTable] = {
    table.name: table for table in (DOELEN_FILES, STREEFWAARDEN, UITKOMSTEN, REGELS_QUARANTAINE)
}
