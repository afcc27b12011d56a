"""The raw tables the CBS loader fills, and what each column of a CBS table becomes.

Observations are long: one row per (row of the source, measure), whatever the table and format.
CBS renumbers measure keys in every edition (KWB 2024 `WmoClienten_100`, 2023 `WmoClienten_98`),
so each row keeps the key as in the file and the key without its number; staging matches on that
and on the measure's title (the only stable handle on OData v4 codes such as `M000173_2`).

Columns that describe the row rather than measure something are not observations:
- dimensions (keys without a `_N` suffix, or typed so in DataProperties): `ID` is StatLine's row
  number and is dropped; the region dimension becomes `region_code`, the period dimension
  `period_code` (both trimmed, otherwise as in the file, e.g. "2025JJ00" or a KWB Peildatum
  "1-1-2025"); any other dimension (Geslacht, Leeftijd, VormenVanJeugdzorg ...) goes into
  `dimensions`, a JSON object of trimmed keys, so 03759ned's rows stay apart.
- text topics (`TEXT_TOPICS`, matched without their suffix): `Gemeentenaam` becomes `region_name`,
  which in KWB is the name of the gemeente the wijk or buurt lies in (CBS exports carry no wijk or
  buurt names); `SoortRegio` becomes `region_type`; `Codering` repeats the region code and the
  `Indelingswijziging…` flags are code-change markers, not figures: all three are dropped.

Metadata travels beside the figures: DataProperties and OData v4 MeasureCodes fill
`cbs_measures` (titles, units), dimension tables fill `cbs_dimension_codes` (titles, period status),
and TableInfos or v4 Properties give the file's table title and edition.
"""

from __future__ import annotations

from sdw.raw import RawTable

CBS_FILE_COLUMNS = (
    "file_id",
    "path",
    "size_bytes",
    "status",  # loaded | quarantined | duplicate
    "reason",
    "layout",  # statline_csv | odata_v3 | odata_v4 | cbsodata_dir
    "collection",  # what the file holds: TypedDataSet, DataProperties, Observations, Perioden ...
    "table_id",
    "table_title",
    "edition",  # when CBS last changed the table (TableInfos/Properties Modified), if given
    "next_link",  # the feed page that follows this one; null on the last page
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
    "dimensions",  # JSON object of the other dimensions' keys, e.g. {"Geslacht":"T001038"}
    "measure_key",
    "measure_stable_key",
    "value",  # the figure; null when the cell is empty, a symbol or text
    "value_text",  # the trimmed text of a text topic (a name, a code such as "JZ13")
    "value_attribute",  # why there is no figure, where CBS says: a symbol (".", "x", "-") or
    # an OData v4 ValueAttribute other than "None"
)

MEASURE_COLUMNS = (
    "file_id",
    "table_id",
    "measure_key",
    "measure_stable_key",
    "title",
    "group_title",  # the TopicGroup (v3) or MeasureGroup (v4) it sits under
    "unit",
    "decimals",
    "datatype",
    "empty_meaning",  # DataProperties `Default`: what an empty cell means (Zero, Impossible)
    "description",
)

DIMENSION_CODE_COLUMNS = (
    "file_id",
    "table_id",
    "dimension",
    "code",  # trimmed key
    "title",
    "status",  # Perioden only: Definitief, Voorlopig, Nader voorlopig
    "description",
)

CBS_FILES = RawTable(
    "cbs_files",
    CBS_FILE_COLUMNS,
    {
        **dict.fromkeys(("size_bytes", "row_count", "observation_count"), "INTEGER"),
        "loaded_at": "TIMESTAMP",
    },
)
OBSERVATIONS = RawTable(
    "cbs_observations", OBSERVATION_COLUMNS, {"row_seq": "INTEGER", "value": "DOUBLE"}
)
MEASURES = RawTable("cbs_measures", MEASURE_COLUMNS)
DIMENSION_CODES = RawTable("cbs_dimension_codes", DIMENSION_CODE_COLUMNS)

CBS_TABLES: dict[str, RawTable] = {
    table.name: table for table in (CBS_FILES, OBSERVATIONS, MEASURES, DIMENSION_CODES)
}

# StatLine's symbols for a cell without a figure: "." unknown, unreliable or secret; "x" secret
# (older tables); "-" nil, the figure is truly zero; ".." and "?" appear in older tables.
SYMBOLS = frozenset({".", "..", "x", "-", "?"})

REGION_DIMENSIONS = ("WijkenEnBuurten", "RegioS", "Regio")
PERIOD_DIMENSIONS = ("Perioden", "Peildatum")
ROW_ID_DIMENSIONS = ("ID", "Id")

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
