"""What the dashboard reads: one SQL query per panel, against the marts only, filtered in SQL.

Each query takes the filter as named parameters ($gemeente, $standard, $van, $tot: the first
days of the first and the last month shown; $einde, the last day shown; $jaar, the year of the
last month) and returns a small pandas frame. The SQL runs unchanged on both targets (no
DuckDB-only functions), through one connection per request from `sdw.serving.reader`: the
published serving file on DuckDB, so the dashboard never holds the warehouse a build writes and
shows the last complete build; the server on PostgreSQL.
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

    def params(self) -> dict[str, object]:
        return {
            "gemeente": self.gemeente,
            "standard": self.standard,
            "van": self.van,
            "tot": self.tot,
            "einde": self.tot.replace(day=calendar.monthrange(self.tot.year, self.tot.month)[1]),
            "jaar": self.tot.year,  # year-level marts show the year of the last month
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


CLIENTEN_MAAND = """
select maand_start, clienten_in_zorg, instroom, uitstroom
from marts.gemeente_clienten_maand
where gemeente_code = $gemeente and standard = $standard and maand_start between $van and $tot
order by maand_start
"""

# Year-level marts show the year of the period's last month.
WACHTTIJD_AANBIEDER = """
select
    a.aanbieder_agb,
    a.product_categorie,
    coalesce(p.omschrijving, a.product_categorie) as categorie,
    a.jaar,
    a.clienten_gestart,
    a.wachttijd_mediaan,
    a.wachttijd_p80,
    a.peer_wachttijd_mediaan
from marts.aanbieder_jaar as a
left join (
    select distinct standard, product_categorie, productcategorie_omschrijving as omschrijving
    from marts.dim_product
) as p on a.standard = p.standard and a.product_categorie = p.product_categorie
where
    a.gemeente_code = $gemeente and a.standard = $standard and a.jaar = $jaar
    and a.wachttijd_mediaan is not null
order by a.wachttijd_mediaan, a.aanbieder_agb, a.product_categorie
"""

# Zorgperioden ended in the period, per quarter of zorgduur (bins of 91 days, labelled by their
# first month; the last holds 48 months and more), with the overall median as the total row.
ZORGDUUR = """
with beeindigd as (
    select
        zorgduur_dagen,
        least(3 * floor(zorgduur_dagen / 91.0), 48) as maanden,
        coalesce(afloop, 'onbekend') as afloop
    from marts.fct_zorgperiode
    where
        gemeente_code = $gemeente and standard = $standard and zorgduur_dagen is not null
        and einddatum between $van and $einde
)

select
    maanden,
    afloop,
    count(*) as zorgperioden,
    percentile_cont(0.5) within group (order by zorgduur_dagen) as zorgduur_mediaan
from beeindigd
group by grouping sets ((maanden, afloop), ())
order by maanden, afloop
"""

# Each budget line of the year of the period's last month, as of the latest month up to it.
BUDGET_UITPUTTING = """
with maand as (
    select max(maand_start) as maand_start
    from marts.gemeente_budget_uitputting
    where
        gemeente_code = $gemeente and standard = $standard and jaar = $jaar
        and maand_start <= $tot
)

select
    b.budget_niveau,
    b.budget_key,
    coalesce(p.omschrijving, b.segment, b.budget_key) as budgetregel,
    b.maand_start,
    b.plafond_eur,
    b.gedeclareerd_cumulatief_eur,
    b.uitputting_percentage,
    b.prognose_jaareinde_eur,
    b.prognose_percentage,
    b.is_signaal
from marts.gemeente_budget_uitputting as b
inner join maand on b.maand_start = maand.maand_start
left join (
    select distinct standard, product_categorie, productcategorie_omschrijving as omschrijving
    from marts.dim_product
) as p on b.standard = p.standard and b.product_categorie = p.product_categorie
where b.gemeente_code = $gemeente and b.standard = $standard
order by b.prognose_percentage nulls first, b.budget_key
"""

MARKTAANDEEL_GEBIED = """
select gebied, aanbieder_agb, jaar, clienten, clienten_in_gebied, marktaandeel
from marts.gemeente_marktaandeel_gebied
where gemeente_code = $gemeente and standard = $standard and jaar = $jaar
order by gebied, aanbieder_agb
"""

# Aanbieders of the domain (dim_aanbieder) with every check that ran, findings summed over the
# months of the period.
SCORECARD_AANBIEDER = """
select
    s.aanbieder_agb,
    s.check_name,
    min(s.severity) as severity,
    sum(s.open_findings) as open_findings,
    sum(s.berichten) as berichten,
    100.0 * sum(s.open_findings) / nullif(sum(s.berichten), 0) as findings_per_100_berichten
from marts.dq_scorecard_aanbieder as s
inner join marts.dim_aanbieder as a on s.aanbieder_agb = a.aanbieder_agb
where
    s.gemeente_code = $gemeente and s.maand_start between $van and $tot
    and case $standard when 'iwmo' then a.levert_wmo else a.levert_jeugd end
group by s.aanbieder_agb, s.check_name
order by s.aanbieder_agb, s.check_name
"""

# The latest calendar year with figures up to the period's end.
BENCHMARK = """
with jaren as (
    select max(periode_start) as periode_start
    from marts.benchmark_gemeente
    where
        gemeente_code = $gemeente and standard = $standard and periode_type = 'jaar'
        and periode_start <= $tot
)

select
    b.periode_start,
    b.vorm_code,
    b.vorm_omschrijving,
    b.is_totaal,
    b.eigen_clienten,
    b.eigen_per_1000,
    b.cbs_gemeente_per_1000,
    b.cbs_jeugdregio_per_1000,
    b.cbs_grootteklasse_per_1000,
    b.cbs_nederland_per_1000
from marts.benchmark_gemeente as b
inner join jaren using (periode_start)
where b.gemeente_code = $gemeente and b.standard = $standard and b.periode_type = 'jaar'
order by b.is_totaal, b.eigen_per_1000
"""


def panel(con: Any, sql: str, where: Filter) -> pd.DataFrame:
    return read(con, sql, where.params())
