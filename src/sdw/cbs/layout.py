"""The raw tables the CBS loader fills, and which source columns are not measures.

Observations are long: one row per (row of the source, measure), whatever the table. CBS renumbers
measure keys in every edition (KWB 2024 `WmoClienten_100`, 2023 `WmoClienten_98`), so each row
keeps the key as in the file and the key without its number, which is what staging matches on.

Columns that describe the row rather than measure something are not observations:
- dimensions (keys without a `_N` suffix): `ID` is StatLine's row number and is dropped; the region
  dimension becomes `region_code`, the period dimension `period_code` (both trimmed, otherwise as
  in the file, e.g. "2025JJ00" or a KWB Peildatum "1-1-2025"); any other dimension is refused.
- text topics (`TEXT_TOPICS`, matched without their suffix): `Gemeentenaam` becomes `region_name`,
  which in KWB is the name of the gemeente the wijk or buurt lies in (CBS exports carry no wijk or
  buurt names); `SoortRegio` becomes `region_type`; `Codering` repeats the region code and the
  `Indelingswijziging…` flags are code-change markers, not figures: all three are dropped.
"""

from __future__ import annotations

CBS_FILE_COLUMNS = (
    "file_id",
    "path",
    "size_bytes",
    "status",  # loaded | quarantined | duplicate
    "reason",
    "layout",  # e.g. statline_csv
    "table_id",
    "row_count",
    "observation_count",
    "period_min",
    "period_max",
    "loaded_at",
)

OBSERVATION_COLUMNS = (
    "file_id",
    "row_seq",
    "region_code",
    "region_name",
    "region_type",
    "period_code",
    "measure_key",
    "measure_stable_key",
    "value",  # null when the cell is empty or a symbol such as "."
    "value_text",  # the trimmed cell when it is not a number, e.g. "."
)

CBS_TABLES: dict[str, tuple[str, ...]] = {
    "cbs_files": CBS_FILE_COLUMNS,
    "cbs_observations": OBSERVATION_COLUMNS,
}

REGION_DIMENSIONS = ("WijkenEnBuurten", "RegioS")
PERIOD_DIMENSIONS = ("Perioden", "Peildatum")
ROW_ID_DIMENSION = "ID"

# Text topic (key without suffix) -> the observation column it fills, or None to drop it.
TEXT_TOPICS: dict[str, str | None] = {
    "Gemeentenaam": "region_name",
    "SoortRegio": "region_type",
    "Codering": None,
    "IndelingswijzigingGemeenteWijkBuurt": None,
    "IndelingswijzigingWijkenEnBuurten": None,
}


class UnknownLayout(Exception):
    """The file is not in a layout this reader knows; the reason says what was missing."""


class MalformedFile(Exception):
    """The file is in a known layout but broken, e.g. a row with the wrong number of fields."""


def stable_key(key: str) -> str:
    """`AantalInwoners_5` -> `AantalInwoners`: the part of a CBS key that survives editions."""
    stem, _, number = key.rpartition("_")
    return stem if stem and number.isdigit() else key
