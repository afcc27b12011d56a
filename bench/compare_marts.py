"""Compare the marts of two DuckDB warehouses row for row: did a refactoring change any figure?

    python bench/compare_marts.py before.duckdb after.duckdb \
        --moved product_hulpvorm=cleaned.product_hulpvorm \
        --renamed fct_cbs_cijfer.period_type=periode_type \
        --ignore-column loaded_at

Every table of schema `marts` in A is compared with the table of the same name in B (or where
--moved says it went) as a multiset of rows, columns matched by name (a --renamed column of A
by its new name in B). Columns --ignore-column names (e.g. load times, which differ between two
runs of the same code) are left out. Per mart it prints `equal`, or how many rows are only in A
and only in B with a few of them, or that a table or column is missing. The exit code is 0 when
every mart is equal, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

EXAMPLES = 3


@dataclass
class Outcome:
    table: str
    equal: bool
    notes: list[str] = field(default_factory=list)


def _columns(con: duckdb.DuckDBPyConnection, db: str, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [db, schema, table],
    ).fetchall()
    return [name for (name,) in rows]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def compare_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    target: tuple[str, str],
    renamed: dict[str, str],
    ignored: set[str],
) -> Outcome:
    outcome = Outcome(table, equal=True)
    a_columns = [c for c in _columns(con, "a", "marts", table) if c not in ignored]
    b_columns = _columns(con, "b", *target)
    if not b_columns:
        return Outcome(table, False, [f"missing in B (looked for {'.'.join(target)})"])
    b_set = {c for c in b_columns if c not in ignored}
    pairs = [(c, renamed.get(c, c)) for c in a_columns]
    missing = [b for _, b in pairs if b not in b_set]
    extra = sorted(b_set - {b for _, b in pairs})
    if missing:
        outcome.equal = False
        outcome.notes.append(f"columns only in A: {', '.join(missing)}")
    if extra:
        outcome.equal = False
        outcome.notes.append(f"columns only in B: {', '.join(extra)}")
    pairs = [(a, b) for a, b in pairs if b in b_set]
    a_select = ", ".join(_quote(a) for a, _ in pairs)
    b_select = ", ".join(f"{_quote(b)} as {_quote(a)}" for a, b in pairs)
    a_rel = f"a.marts.{_quote(table)}"
    b_rel = f"b.{_quote(target[0])}.{_quote(target[1])}"
    for label, left, right in (
        ("only in A", f"select {a_select} from {a_rel}", f"select {b_select} from {b_rel}"),
        ("only in B", f"select {b_select} from {b_rel}", f"select {a_select} from {a_rel}"),
    ):
        diff = f"({left}) except all ({right})"
        (count,) = con.execute(f"select count(*) from ({diff}) as d").fetchone()
        if count:
            outcome.equal = False
            names = [a for a, _ in pairs]
            examples = con.execute(f"select * from ({diff}) as d limit {EXAMPLES}").fetchall()
            outcome.notes.append(f"{count} rows {label}, e.g.:")
            outcome.notes.extend(
                "    " + ", ".join(f"{n}={v!r}" for n, v in zip(names, row, strict=True))
                for row in examples
            )
    return outcome


def compare(
    a: str,
    b: str,
    moved: dict[str, str] | None = None,
    renamed: dict[str, dict[str, str]] | None = None,
    ignored: set[str] | None = None,
) -> list[Outcome]:
    moved = moved or {}
    renamed = renamed or {}
    con = duckdb.connect()
    con.execute(f"attach '{a}' as a (read_only)")
    con.execute(f"attach '{b}' as b (read_only)")
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'a' and table_schema = 'marts' order by table_name"
        ).fetchall()
    ]
    outcomes = []
    for table in tables:
        schema, _, name = moved.get(table, f"marts.{table}").rpartition(".")
        outcomes.append(
            compare_table(
                con, table, (schema or "marts", name), renamed.get(table, {}), ignored or set()
            )
        )
    b_only = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'b' and table_schema = 'marts' order by table_name"
    ).fetchall()
    for (name,) in b_only:
        if name not in tables:
            outcomes.append(Outcome(name, False, ["only in B"]))
    return outcomes


def _pairs(values: Sequence[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        left, sep, right = value.partition("=")
        if not sep or not left or not right:
            raise SystemExit(f"{flag} {value!r}: expected LEFT=RIGHT")
        pairs.append((left, right))
    return pairs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="the warehouse before (DuckDB file)")
    parser.add_argument("b", help="the warehouse after (DuckDB file)")
    parser.add_argument(
        "--moved", action="append", default=[], help="MART=SCHEMA.TABLE: where a mart of A is in B"
    )
    parser.add_argument(
        "--renamed",
        action="append",
        default=[],
        help="MART.COLUMN=NEW: a column of A's mart has this name in B",
    )
    parser.add_argument(
        "--ignore-column", action="append", default=[], help="a column left out everywhere"
    )
    args = parser.parse_args(argv)
    renamed: dict[str, dict[str, str]] = {}
    for left, new in _pairs(args.renamed, "--renamed"):
        table, _, column = left.partition(".")
        renamed.setdefault(table, {})[column] = new
    outcomes = compare(
        args.a, args.b, dict(_pairs(args.moved, "--moved")), renamed, set(args.ignore_column)
    )
    for outcome in outcomes:
        print(f"{outcome.table}: {'equal' if outcome.equal else 'DIFFERENT'}")
        for note in outcome.notes:
            print(f"  {note}")
    different = sum(not o.equal for o in outcomes)
    print(f"{len(outcomes) - different} of {len(outcomes)} marts equal")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
