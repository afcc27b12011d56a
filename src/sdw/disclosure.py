"""Small-cell suppression of the shareable export: primary, then secondary until nothing blanked
can be recomputed from what stays visible.

The rules live next to each mart in its dbt YAML, under `meta.small_cells`:

- `counts`: counts of persons. A value from 1 up to the threshold (dbt var
  kleine_aantallen_drempel) minus 1 is blanked (primary suppression). Zero reveals no one: it
  stays, so everyone knows a blanked count is at least 1.
- `derived`: column -> the columns it is computed from in the same row (a rate, a median, an
  amount per client). Blanked as soon as one of them is: a median over three clients reveals as
  much as the three, and a visible rate with a visible denominator gives the numerator back.
- `group_values`: column -> `{group: [key columns], from: [columns]}`: a value repeated on every
  row of a group (an area's total, the median over an aanbieder's peers). Blanked on every row of
  the group once it is blanked on one, or once one of the group's `from` cells is.
- `keys`: the key columns of a row, to find the groups below.
- `totals`: `{columns, over, total?}`: summing `columns` over the key column(s) `over` gives a
  total that is published or can be derived, conservatively assumed known even where no mart
  shows it. With `total`, the group's total is that (group value) column of the same mart.
- `links`: `{column, keys, mart, other_column}`: summed per `keys`, this mart's column equals
  the other mart's (a mart without a `jaar` column rolls `maand_start` up to its year). This is
  how the gemeente-level marts' totals, and a month mart against a year mart, enter.

Secondary suppression treats every total and link as a linear relation over cells, and blanks
further cells until, in every relation, the number of blanked cells is zero or at least two, and
blanked counts on one side of a relation cannot all be forced to 1 (a blanked count is known to
be at least 1). The extra cell is the smallest non-zero visible cell of the relation, of the
mart of the lone blanked cell first, ties broken by mart, column and row, so the export is
deterministic (the marts are sorted by their keys first). A link also serves where one value
gives another away without adding up (herhaald_beroep's count and aanbieder_jaar's rate): in a
relation of two cells, one blanked means both.

Two relations combined can still leave one blanked cell alone, so each round also solves the
relations for the blanked cells, as an attacker would (numpy, per connected part), and blanks
the smallest visible cell that leaves a determined cell undetermined. Derived and group values
follow every new blank. It iterates until nothing changes. Distinct counts of clients do not
add up across aanbieders in general, but they do when every client has one aanbieder; the YAML
declares them as totals and links anyway, to be safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Total:
    columns: tuple[str, ...]
    over: tuple[str, ...]
    total: str | None = None


@dataclass(frozen=True)
class Link:
    column: str
    keys: tuple[str, ...]
    mart: str
    other_column: str


@dataclass(frozen=True)
class GroupValue:
    group: tuple[str, ...]
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmallCells:
    counts: tuple[str, ...]
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    group_values: dict[str, GroupValue] = field(default_factory=dict)
    totals: tuple[Total, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the rule may blank."""
        named = [*self.counts, *self.derived, *self.group_values]
        for total in self.totals:
            named += [*total.columns, *([total.total] if total.total else [])]
        named += [link.column for link in self.links]
        return tuple(dict.fromkeys(named))

    def as_dict(self) -> dict:
        return {
            "counts": list(self.counts),
            "derived": {column: list(inputs) for column, inputs in self.derived.items()},
            "keys": list(self.keys),
            "group_values": {
                column: {"group": list(value.group), "from": list(value.inputs)}
                for column, value in self.group_values.items()
            },
            "totals": [
                {"columns": list(t.columns), "over": list(t.over), "total": t.total}
                for t in self.totals
            ],
            "links": [
                {"column": k.column, "keys": list(k.keys), "mart": k.mart, "other": k.other_column}
                for k in self.links
            ],
        }


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def parse_rule(rule: dict) -> SmallCells:
    """A mart's `meta.small_cells` block as a SmallCells."""
    return SmallCells(
        counts=_names(rule.get("counts")),
        derived={column: _names(inputs) for column, inputs in (rule.get("derived") or {}).items()},
        keys=_names(rule.get("keys")),
        group_values={
            column: GroupValue(_names(value["group"]), _names(value.get("from")))
            for column, value in (rule.get("group_values") or {}).items()
        },
        totals=tuple(
            Total(_names(t["columns"]), _names(t["over"]), t.get("total"))
            for t in rule.get("totals") or []
        ),
        links=tuple(
            Link(k["column"], _names(k["keys"]), k["mart"], k["other_column"])
            for k in rule.get("links") or []
        ),
    )


# A cell: (mart, column, rows). A group value is one cell spanning the rows of its group.
Cell = tuple[str, str, tuple[int, ...]]


def _group_rows(frame: pd.DataFrame, by: list[str]) -> Iterator[tuple[int, ...]]:
    if not by:
        yield tuple(range(len(frame)))
        return
    for rows in frame.groupby(by, dropna=False, sort=True).indices.values():
        yield tuple(int(row) for row in rows)


def _year_keys(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """The frame's key columns, `jaar` from `maand_start` where the mart has no year."""
    out = pd.DataFrame(index=frame.index)
    for key in keys:
        if key in frame.columns:
            out[key] = frame[key]
        elif key == "jaar" and "maand_start" in frame.columns:
            out[key] = pd.to_datetime(frame["maand_start"]).dt.year.astype("int64")
        else:
            raise KeyError(f"cannot link on {key}: the mart has no such column")
    return out


def _components(
    relations: list[dict[Cell, float]], is_blank
) -> Iterator[tuple[list[dict[Cell, float]], set[Cell]]]:
    """The relations holding blanked cells, in parts that share no blanked cell."""
    parent: dict[Cell, Cell] = {}

    def root(cell: Cell) -> Cell:
        while parent.setdefault(cell, cell) != cell:
            cell = parent[cell]
        return cell

    holding = []
    for relation in relations:
        blanked = [cell for cell in relation if is_blank(cell)]
        if blanked:
            holding.append((relation, blanked))
            for cell in blanked[1:]:
                parent[root(cell)] = root(blanked[0])
    parts: dict[Cell, tuple[list, set]] = {}
    for relation, blanked in holding:
        part = parts.setdefault(root(blanked[0]), ([], set()))
        part[0].append(relation)
        part[1].update(blanked)
    yield from parts.values()


def _determined(relations: list[dict[Cell, float]], unknown: set[Cell]) -> list[Cell]:
    """The unknown cells the relations pin down (each relation's sum is known): those with no
    weight in the null space of the relations' matrix."""
    index: dict[Cell, int] = {}
    rows = [{c: k for c, k in relation.items() if c in unknown} for relation in relations]
    for row in rows:
        for cell in row:
            index.setdefault(cell, len(index))
    matrix = np.zeros((len(rows), len(index)))
    for i, row in enumerate(rows):
        for cell, coefficient in row.items():
            matrix[i, index[cell]] = coefficient
    _, singular, vt = np.linalg.svd(matrix)
    null_space = vt[int((singular > 1e-9).sum()) :]
    return [
        cell
        for cell, j in index.items()
        if not null_space.shape[0] or np.abs(null_space[:, j]).max() < 1e-9
    ]


class Suppression:
    """The blanked cells of a set of marts that are exported together."""

    def __init__(self, frames: dict[str, pd.DataFrame], rules: dict[str, SmallCells]) -> None:
        self.frames = {name: frame.reset_index(drop=True) for name, frame in frames.items()}
        self.rules = rules
        for name, rule in rules.items():
            named = {*rule.columns, *rule.keys}
            named |= {
                c for value in rule.group_values.values() for c in (*value.group, *value.inputs)
            }
            named |= {c for inputs in rule.derived.values() for c in inputs}
            missing = sorted(named - set(self.frames[name].columns))
            missing += [
                f"{link.mart}.{link.other_column}"
                for link in rule.links
                if link.mart in self.frames and link.other_column not in self.frames[link.mart]
            ]
            if missing:
                raise ValueError(f"{name}: meta.small_cells names unknown columns {missing}")
        # Plain arrays per column: cells are read and set many thousand times.
        self._blank = {
            name: {column: np.zeros(len(frame), dtype=bool) for column in frame.columns}
            for name, frame in self.frames.items()
        }
        self._values = {
            name: {
                column: pd.to_numeric(frame[column], errors="coerce")
                .astype("float64")
                .fillna(0.0)
                .to_numpy()
                for column in frame.columns
            }
            for name, frame in self.frames.items()
        }
        # Cells of a group value, per mart and column: row -> the cell's rows.
        self._spans: dict[tuple[str, str], dict[int, tuple[int, ...]]] = {}
        for name, rule in rules.items():
            for column, value in rule.group_values.items():
                span: dict[int, tuple[int, ...]] = {}
                for rows in _group_rows(self.frames[name], list(value.group)):
                    span.update(dict.fromkeys(rows, rows))
                self._spans[(name, column)] = span
        self.relations = self._relations()

    @property
    def blank(self) -> dict[str, pd.DataFrame]:
        """Per mart, which cells are blanked."""
        return {name: pd.DataFrame(columns) for name, columns in self._blank.items()}

    # -- cells -------------------------------------------------------------------------------
    def _cell(self, mart: str, column: str, row: int) -> Cell:
        span = self._spans.get((mart, column))
        return (mart, column, span[row] if span else (row,))

    def value(self, cell: Cell) -> float:
        mart, column, rows = cell
        return float(self._values[mart][column][rows[0]])

    def is_blank(self, cell: Cell) -> bool:
        mart, column, rows = cell
        return bool(self._blank[mart][column][rows[0]])

    def _set_blank(self, cell: Cell) -> bool:
        mart, column, rows = cell
        if self.is_blank(cell):
            return False
        self._blank[mart][column][list(rows)] = True
        return True

    # -- relations ---------------------------------------------------------------------------
    def _relations(self) -> list[dict[Cell, float]]:
        """Every linear relation: cells with coefficients whose sum is known."""
        relations: list[dict[Cell, float]] = []
        for name, rule in self.rules.items():
            frame = self.frames[name]
            for total in rule.totals:
                by = [key for key in rule.keys if key not in total.over]
                for rows in _group_rows(frame, by):
                    for column in total.columns:
                        cells = dict.fromkeys((self._cell(name, column, r) for r in rows), 1.0)
                        if total.total:
                            cells[self._cell(name, total.total, rows[0])] = -1.0
                        # one cell alone: its total is itself, published or not as its mart says
                        if len(cells) > 1:
                            relations.append(cells)
            for link in rule.links:
                other = self.frames.get(link.mart)
                if other is None:
                    continue  # the other mart is not in this export: nothing to difference
                sides = [
                    (name, link.column, _year_keys(frame, link.keys), 1.0),
                    (link.mart, link.other_column, _year_keys(other, link.keys), -1.0),
                ]
                groups: dict[tuple, dict[Cell, float]] = {}
                for mart, column, keys, sign in sides:
                    for row, key in enumerate(keys.itertuples(index=False, name=None)):
                        groups.setdefault(key, {})[self._cell(mart, column, row)] = sign
                relations += groups.values()
        return relations

    # -- the iteration -----------------------------------------------------------------------
    def _follow(self) -> bool:
        """Blank derived and group values after what they are computed from."""
        changed = False
        for name, rule in self.rules.items():
            blank = self._blank[name]
            for _ in range(len(rule.derived) + 1):  # chains of derived columns
                before = sum(int(column.sum()) for column in blank.values())
                for column, inputs in rule.derived.items():
                    for source in inputs:
                        blank[column] |= blank[source]
                for column, value in rule.group_values.items():
                    hit = np.logical_or.reduce([blank[c] for c in (column, *value.inputs)])
                    for rows in set(self._spans[(name, column)].values()):
                        if hit[list(rows)].any():
                            blank[column][list(rows)] = True
                if sum(int(column.sum()) for column in blank.values()) == before:
                    break
                changed = True
        return changed

    def _complement(self, cells: Iterable[Cell], lone: Cell) -> Cell | None:
        """The smallest non-zero visible cell, of the lone blanked cell's mart first. A zero
        is never taken: blanking it would hide nothing and, pinned by another relation, give
        itself away."""
        visible = [cell for cell in cells if not self.is_blank(cell) and self.value(cell) != 0]
        if not visible:
            return None
        return min(
            visible,
            key=lambda cell: (cell[0] != lone[0], abs(self.value(cell)), cell[0], cell[1], cell[2]),
        )

    def _is_count(self, cell: Cell) -> bool:
        return cell[1] in self.rules[cell[0]].counts

    def _secondary(self) -> bool:
        changed = False
        for cells in self.relations:
            blanked = [cell for cell in cells if self.is_blank(cell)]
            if not blanked:
                continue
            # Each blanked count is at least 1 (zero is never blanked as a count): blanked
            # counts on one side of a relation that sum to their number are all 1.
            all_ones = (
                len({cells[cell] for cell in blanked}) == 1
                and all(self._is_count(cell) for cell in blanked)
                and sum(self.value(cell) for cell in blanked) == len(blanked)
            )
            if len(blanked) == 1 or all_ones:
                extra = self._complement(cells, blanked[0])
                if extra is not None and self._set_blank(extra):
                    changed = True
        return changed

    def _order(self, cell: Cell) -> tuple:
        return (abs(self.value(cell)), cell[0], cell[1], cell[2])

    def _audit(self) -> bool:
        """Solve the relations for the blanked cells, as an attacker would, per connected part.
        Where a blanked cell is still determined (two relations combined can leave it alone),
        blank the smallest visible cell of that part that makes it undetermined."""
        changed = False
        for relations, blanked in _components(self.relations, self.is_blank):
            determined = _determined(relations, blanked)
            if not determined:
                continue
            target = min(determined, key=self._order)
            candidates = sorted(
                {
                    cell
                    for relation in relations
                    for cell in relation
                    if cell not in blanked and self.value(cell) != 0
                },
                key=self._order,
            )
            choice = next(
                (c for c in candidates if target not in _determined(relations, blanked | {c})),
                candidates[0] if candidates else None,
            )
            if choice is not None and self._set_blank(choice):
                changed = True
        return changed

    def run(self, minimum: int) -> Suppression:
        for name, rule in self.rules.items():
            for column in rule.counts:
                values = self._values[name][column]
                self._blank[name][column] = (values > 0) & (values < minimum)
        self._follow()
        while self._secondary() or self._audit():
            self._follow()
        return self

    def suppressed(self, name: str) -> pd.DataFrame:
        """The mart with its blanked cells emptied (None)."""
        frame = self.frames[name].copy()
        for column, blank in self._blank[name].items():
            if blank.any():
                frame[column] = frame[column].astype(object).where(~blank, None)
        return frame

    def lost(self, name: str) -> pd.Series:
        """Per row, the blanked columns, comma-separated."""
        blank = self._blank[name]
        columns = [column for column, cells in blank.items() if cells.any()]
        return pd.Series(
            [
                ",".join(column for column in columns if blank[column][row])
                for row in range(len(self.frames[name]))
            ],
            dtype=object,
        )
