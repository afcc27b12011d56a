"""`sdw fetch cbs`: download CBS tables through cbsodata into folders `sdw ingest cbs` loads.

cbsodata follows the feed's odata.nextLink itself and, with `dir=`, writes every collection as
raw JSON with CBS's own keys (read by sdw.cbs.cbsodata_dir). A table is written to a scratch
folder first and moved into place when complete, so an interrupted download never leaves half a
table where the loader looks.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sdw.cbs.extract import TABLE_ID


class FetchError(Exception):
    """A download failed; the message is one line for the user."""


@dataclass(frozen=True)
class Fetched:
    table_id: str
    folder: Path
    rows: int


def fetch_tables(
    table_ids: Iterable[str],
    out: Path,
    *,
    filters: str | None = None,
    select: str | None = None,
) -> list[Fetched]:
    # Imported here: only this command needs cbsodata and requests, and both are slow to import.
    import cbsodata
    import requests

    fetched = []
    for table_id in table_ids:
        if not TABLE_ID.fullmatch(table_id):
            raise FetchError(f"{table_id!r} is not a CBS table id such as 85098NED or 03759ned")
        target = out / table_id
        scratch = out / f".{table_id}.partial"
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            # cbsodata 1.3.5 inverts `typed`: False (its default) downloads the TypedDataSet,
            # numbers with null for a missing figure, which is what we want.
            data = cbsodata.download_data(
                table_id, dir=str(scratch), typed=False, filters=filters, select=select
            )
        except requests.exceptions.HTTPError as error:
            shutil.rmtree(scratch, ignore_errors=True)
            raise FetchError(f"CBS refused {table_id}: {_first_line(error)}") from None
        except requests.exceptions.RequestException as error:
            shutil.rmtree(scratch, ignore_errors=True)
            raise FetchError(
                f"cannot reach opendata.cbs.nl for {table_id} (no network?): {_first_line(error)}"
            ) from None
        shutil.rmtree(target, ignore_errors=True)
        scratch.rename(target)
        fetched.append(Fetched(table_id, target, len(data.get("TypedDataSet", []))))
    return fetched


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
