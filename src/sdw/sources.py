"""Every source's raw tables, in one list: what a loader makes before it writes, and what the
dbt sources (models/staging/*/_*__sources.yml) must read (tests/python/test_sources.py).

A source declares its tables where it lives (sdw.raw.RawTable); adding one is a line here.
"""

from __future__ import annotations

from sdw.budget.layout import BUDGET_TABLES
from sdw.cbs.layout import CBS_TABLES
from sdw.doelen.layout import DOELEN_TABLES
from sdw.messages.key import PSEUDONYM_KEY
from sdw.messages.layout import MESSAGE_TABLES
from sdw.quality.results import QUALITY_TABLES
from sdw.raw import RawTable

# Every loader makes them all, whichever runs first: dbt's staging views select from every
# source, and a view cannot be made over a table that does not exist.
RAW_TABLES: tuple[RawTable, ...] = (
    *MESSAGE_TABLES.values(),
    PSEUDONYM_KEY,
    *QUALITY_TABLES,
    *CBS_TABLES.values(),
    *BUDGET_TABLES.values(),
    *DOELEN_TABLES.values(),
)

# Raw tables no dbt model reads, and why.
NOT_READ_BY_DBT: dict[str, str] = {
    PSEUDONYM_KEY.name: "bookkeeping of the loader: which key the stored pseudonyms were made "
    "with (sdw.messages.key), shown by `sdw status`, never analysed",
}
