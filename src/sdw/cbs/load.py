"""Load CBS files into raw: every file accounted for, each one atomically.

The accounting is every loader's (sdw.files.FileLedger): a file is identified by its sha256;
offered again under the same path it is skipped, under another path it is recorded as `duplicate`
and adds nothing. A file no reader recognises, or one that breaks part-way, is `quarantined` with
the reason. A file's observations, measures and dimension codes and its raw.cbs_files row are
written in one transaction, so a killed load leaves whole files or nothing.

Some loads are several files: a feed split over pages (odata.nextLink), or a cbsodata folder with
one file per collection. Each file is accounted for on its own row; what joins them is the table
id, and staging keeps a figure offered by more than one page once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import duckdb

from sdw.cbs.cbsodata_dir import read_cbsodata_dir
from sdw.cbs.extract import Extract, Source, table_id_in
from sdw.cbs.layout import (
    CBS_FILE_COLUMNS,
    CBS_FILES,
    DIMENSION_CODES,
    MEASURES,
    OBSERVATION_COLUMNS,
    OBSERVATIONS,
    MalformedFile,
    UnknownLayout,
)
from sdw.cbs.odata_v3 import read_odata_v3
from sdw.cbs.odata_v4 import read_odata_v4
from sdw.cbs.statline_csv import read_statline_csv
from sdw.config import Settings
from sdw.files import LoadReport, begin_load, each_new_file, file_row
from sdw.sources import RAW_TABLES
from sdw.warehouse import connect, ensure_raw_schema, insert_rows, transaction

# Each reader checks its layout when called (raising UnknownLayout) and returns what the file
# holds, its observations streaming; the first reader that recognises a file reads it.
READERS: dict[str, Callable[[Source], Extract]] = {
    "statline_csv": read_statline_csv,
    "odata_v3": read_odata_v3,
    "odata_v4": read_odata_v4,
    "cbsodata_dir": read_cbsodata_dir,
}

# Observations are inserted in chunks inside the file's transaction, so a national table is never
# held in memory whole, twice over (as tuples and as the DataFrame insert_rows builds).
CHUNK_ROWS = 100_000

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_ROW_SEQ = OBSERVATION_COLUMNS.index("row_seq")
_PERIOD = OBSERVATION_COLUMNS.index("period_code")


@dataclass
class CbsReport(LoadReport):
    observations: int = 0


@dataclass
class _Tally:
    """What cbs_files says about a loaded file, counted while its observations stream past."""

    observations: int = 0
    row_seqs: set[int] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)

    def add(self, chunk: list[tuple]) -> None:
        self.observations += len(chunk)
        self.row_seqs.update(row[_ROW_SEQ] for row in chunk)
        self.periods.update(row[_PERIOD] for row in chunk if row[_PERIOD] is not None)

    def columns(self) -> dict:
        return {
            "row_count": len(self.row_seqs),
            "observation_count": self.observations,
            "period_min": min(self.periods, key=_period_order, default=None),
            "period_max": max(self.periods, key=_period_order, default=None),
        }


def ingest_cbs(paths: Iterable[Path], settings: Settings) -> CbsReport:
    report = CbsReport()
    started = time.perf_counter()
    begin_load(settings)
    with connect(settings.warehouse) as con:
        ensure_raw_schema(con, RAW_TABLES)
        for path, data, file_id in each_new_file(
            con, paths, settings, CBS_FILES, _file_row, report
        ):
            _ingest_one(con, settings, path, data, file_id, report)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    path: Path,
    data: bytes,
    file_id: str,
    report: CbsReport,
) -> None:
    layout = None
    try:
        with transaction(con):
            layout, extract = _open(Source(path, data, file_id))
            tally = _insert_observations(con, extract.observations)
            if extract.measures:
                insert_rows(con, MEASURES, extract.measures)
            if extract.codes:
                insert_rows(con, DIMENSION_CODES, extract.codes)
            row = _file_row(
                path,
                file_id,
                data,
                "loaded",
                layout=layout,
                collection=extract.collection,
                table_id=extract.table_id or table_id_in(path.name),
                table_title=extract.table_title,
                edition=extract.edition,
                next_link=extract.next_link,
                **tally.columns(),
            )
            insert_rows(con, CBS_FILES, [row])
    except (UnknownLayout, MalformedFile) as error:
        reason = str(error)
        row = _file_row(path, file_id, data, "quarantined", reason=reason, layout=layout)
        with transaction(con):
            insert_rows(con, CBS_FILES, [row])
        report.quarantine(settings, path, file_id, data, reason)
        return
    report.loaded += 1
    report.observations += tally.observations


def _open(source: Source) -> tuple[str, Extract]:
    """The layout of the first reader that recognises the file, and what it holds."""
    reasons = []
    for layout, reader in READERS.items():
        try:
            return layout, reader(source)
        except UnknownLayout as reason:
            reasons.append(f"{layout}: {reason}")
    raise UnknownLayout("not a CBS layout this loader reads (" + "; ".join(reasons) + ")")


def _insert_observations(con: duckdb.DuckDBPyConnection, observations: Iterator[tuple]) -> _Tally:
    tally = _Tally()
    while chunk := list(islice(observations, CHUNK_ROWS)):
        insert_rows(con, OBSERVATIONS, chunk)
        tally.add(chunk)
    return tally


def _file_row(path: Path, file_id: str, data: bytes, status: str, **values) -> tuple:
    values = {"table_id": table_id_in(path.name), "row_count": 0, "observation_count": 0, **values}
    return file_row(CBS_FILE_COLUMNS, str(path), file_id, len(data), status, **values)


def _period_order(code: str) -> str:
    """Sort key: a KWB Peildatum "1-1-2025" as 20250101; codes such as 2025JJ00 sort as they are."""
    found = _DAY_MONTH_YEAR.fullmatch(code)
    if not found:
        return code
    day, month, year = found.groups()
    return f"{year}{month:0>2}{day:0>2}"
