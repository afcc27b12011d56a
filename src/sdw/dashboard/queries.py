"""How the dashboard reads: each panel's SQL (in its page module under `pages/`, against the
marts only, filtered in SQL) runs here.

Each query takes the filter as named parameters ($gemeente, $standard, $van, $tot: the first
days of the first and the last month shown; $einde, the last day shown; $jaar, the year of the
last month; $aanbieder, the AGB code chosen on pages about one aanbieder) and returns a small
pandas frame. The SQL runs unchanged on both targets (no DuckDB-only functions), through one
connection per request from `sdw.serving.reader`: the published serving file on DuckDB, so the
dashboard never holds the warehouse a build writes and shows the last complete build; the
server on PostgreSQL.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

PARAMETER = re.compile(r"\$(\w+)")


class MartMissing(Exception):
    """A mart the query reads is not in the warehouse (not built yet)."""


@dataclass(frozen=True)
class Filter:
    gemeente: str
    standard: str  # iwmo or ijw
    van: date  # first day of the first month shown
    tot: date  # first day of the last month shown
    aanbieder: str | None = None  # the AGB code on pages about one aanbieder

    def params(self) -> dict[str, object]:
        return {
            "gemeente": self.gemeente,
            "standard": self.standard,
            "van": self.van,
            "tot": self.tot,
            "einde": self.tot.replace(day=calendar.monthrange(self.tot.year, self.tot.month)[1]),
            "jaar": self.tot.year,  # year-level marts show the year of the last month
            "aanbieder": self.aanbieder,
        }


def read(con: Any, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
    """`$name` parameters become positional ones, which both targets' connections take."""
    values = [(params or {})[name] for name in PARAMETER.findall(sql)]
    try:
        return con.execute(PARAMETER.sub("?", sql), values).df()
    except Exception as error:
        # DuckDB's catalog error, PostgreSQL's undefined_table (42P01)
        if isinstance(error, duckdb.CatalogException) or getattr(error, "sqlstate", "") == "42P01":
            raise MartMissing(str(error)) from error
        raise


def gemeenten(con: Any) -> pd.DataFrame:
    return read(
        con,
        """
        select gemeente_code, coalesce(gemeente_naam, 'gemeente ' || gemeente_code) as naam
        from marts.dim_gemeente
        order by naam, gemeente_code
        """,
    )


def maanden(con: Any) -> pd.DataFrame:
    """The months with clients in zorg, per standard: the period filter's range."""
    return read(
        con,
        """
        select gemeente_code, standard, min(maand_start) as eerste, max(maand_start) as laatste
        from marts.gemeente_clienten_maand
        group by gemeente_code, standard
        """,
    )


def aanbieders(con: Any) -> pd.DataFrame:
    """The aanbieders to choose from, with the domains they deliver in."""
    return read(
        con,
        """
        select aanbieder_agb, aanbieder_agb as naam, levert_wmo, levert_jeugd
        from marts.dim_aanbieder
        order by naam, aanbieder_agb
        """,
    )


def panel(con: Any, sql: str, where: Filter) -> pd.DataFrame:
    return read(con, sql, where.params())
