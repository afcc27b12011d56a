"""bench/compare_marts.py: two builds' marts compared row for row, moved and renamed marts
followed, and any difference named and failing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from sdw.config import PROJECT_DIR

SCRIPT = PROJECT_DIR / "bench" / "compare_marts.py"


def _warehouse(path: Path, statements: list[str]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema cleaned")
        for statement in statements:
            con.execute(statement)
    return path


def _compare(a: Path, b: Path, *flags: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(SCRIPT), str(a), str(b), *flags]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_equal_marts_pass_moved_and_renamed_ones_followed(tmp_path: Path) -> None:
    # Rows are a multiset: the same rows in another order and column order are equal.
    a = _warehouse(
        tmp_path / "a.duckdb",
        [
            "create table marts.telling as select * from (values (1, 'x'), (1, 'x'), (2, 'y')) "
            "as t (n, code)",
            "create table marts.stap as select 1 as period_type, now() as loaded_at",
        ],
    )
    b = _warehouse(
        tmp_path / "b.duckdb",
        [
            "create table marts.telling as select * from (values ('y', 2), ('x', 1), ('x', 1)) "
            "as t (code, n)",
            "create table cleaned.stap as select 1 as periode_type, now() as loaded_at",
        ],
    )
    done = _compare(
        a, b, "--moved", "stap=cleaned.stap", "--renamed", "stap.period_type=periode_type",
        "--ignore-column", "loaded_at",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert "2 of 2 marts equal" in done.stdout


def test_a_difference_is_named_and_fails(tmp_path: Path) -> None:
    a = _warehouse(
        tmp_path / "a.duckdb",
        [
            "create table marts.telling as select * from (values (1, 'x'), (1, 'x')) "
            "as t (n, code)",
            "create table marts.weg as select 1 as n",
        ],
    )
    b = _warehouse(
        tmp_path / "b.duckdb",
        ["create table marts.telling as select * from (values (1, 'x'), (3, 'z')) as t (n, code)"],
    )
    done = _compare(a, b)
    assert done.returncode == 1
    assert "telling: DIFFERENT" in done.stdout
    assert "1 rows only in A" in done.stdout and "n=1, code='x'" in done.stdout
    assert "1 rows only in B" in done.stdout and "n=3, code='z'" in done.stdout
    assert "weg: DIFFERENT" in done.stdout and "missing in B" in done.stdout
