"""Parquet export: only shareable marts, suppressed so that no blanked cell can be recomputed.

The attack below is written from the outside, as a hostile but fair user of the export would:
it knows what the marts mean (their descriptions), not sdw.disclosure's relations, and it tries
to recompute every blanked cell by differencing within and across files, through rates, the
peers' medians and any person-level file. It is checked against the warehouse's true values.
"""

import json
from collections import defaultdict
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURE_MESSAGES

from sdw.build import build
from sdw.config import dbt_var, settings
from sdw.disclosure import SmallCells, Suppression, Total, parse_rule
from sdw.export import (
    NOT_FOR_SHARING,
    PERSON_KEY,
    SUPPRESSED_COLUMN,
    export_parquet,
    published_marts,
)
from sdw.messages.load import ingest_messages

PERSON_LEVEL = {
    "dim_client",
    "fct_zorgperiode",
    "fct_toewijzing",
    "fct_toewijzing_versie",
    "fct_client_maand",
    "fct_declaratieregel",
    "fct_verzoek",
    "client_toewijzing",
    "dq_findings",
}

# -- the attack --------------------------------------------------------------------------------

Cell = tuple[str, str, int]  # file (mart name), column, row

# What the attacker reads in the marts' descriptions: sums that hold between files.
# (file, column, keys) on each side; a key `jaar` of a monthly file is the year of maand_start.
SUMS = [
    (
        (
            "aanbieder_jaar",
            "toewijzingen_ingegaan",
            ["gemeente_code", "standard", "product_categorie", "jaar"],
        ),
        (
            "gemeente_product_jaar",
            "toewijzingen",
            ["gemeente_code", "standard", "product_categorie", "jaar"],
        ),
    ),
    (
        ("aanbieder_jaar", "omzet_eur", ["gemeente_code", "standard", "product_categorie", "jaar"]),
        (
            "gemeente_product_kosten_jaar",
            "gedeclareerd_eur",
            ["gemeente_code", "standard", "product_categorie", "jaar"],
        ),
    ),
    (
        (
            "aanbieder_jaar",
            "clienten_gedeclareerd",
            ["gemeente_code", "standard", "product_categorie", "jaar"],
        ),
        (
            "gemeente_product_kosten_jaar",
            "clienten_gedeclareerd",
            ["gemeente_code", "standard", "product_categorie", "jaar"],
        ),
    ),
    (
        (
            "gemeente_product_kosten_jaar",
            "gedeclareerd_eur",
            ["gemeente_code", "standard", "product_categorie", "jaar"],
        ),
        (
            "gemeente_budget_uitputting",
            "gedeclareerd_maand_eur",
            ["gemeente_code", "standard", "product_categorie", "jaar"],
        ),
    ),
    (
        (
            "keten_aanbieder_maand",
            "toewijzingen_ingegaan",
            ["gemeente_code", "aanbieder_agb", "standard", "jaar"],
        ),
        (
            "aanbieder_jaar",
            "toewijzingen_ingegaan",
            ["gemeente_code", "aanbieder_agb", "standard", "jaar"],
        ),
    ),
    (
        (
            "keten_aanbieder_maand",
            "starts_gemeld",
            ["gemeente_code", "aanbieder_agb", "standard", "jaar"],
        ),
        (
            "aanbieder_jaar",
            "clienten_gestart",
            ["gemeente_code", "aanbieder_agb", "standard", "jaar"],
        ),
    ),
    (
        (
            "gemeente_marktaandeel_gebied",
            "clienten",
            ["gemeente_code", "standard", "aanbieder_agb", "jaar"],
        ),
        (
            "aanbieder_jaar",
            "clienten_in_zorg",
            ["gemeente_code", "standard", "aanbieder_agb", "jaar"],
        ),
    ),
]
# Within one file: a column holding the total of another over the rows of its group.
GROUP_TOTALS = [
    (
        "gemeente_marktaandeel_gebied",
        "clienten",
        "clienten_in_gebied",
        ["gemeente_code", "standard", "gebied", "jaar"],
    ),
]
# Across the columns of a row: ratio = scale * numerator / denominator.
RATIOS = [
    (
        "keten_aanbieder_maand",
        "aandeel_zonder_start",
        "toewijzingen_zonder_start",
        "toewijzingen_ingegaan",
        1,
    ),
    (
        "keten_aanbieder_maand",
        "aandeel_te_laat_gemeld",
        "starts_te_laat_gemeld",
        "starts_gemeld",
        1,
    ),
    ("gemeente_marktaandeel_gebied", "marktaandeel", "clienten", "clienten_in_gebied", 1),
    ("aanbieder_jaar", "kosten_per_client_eur", "omzet_eur", "clienten_gedeclareerd", 1),
    (
        "aanbieder_jaar",
        "kosten_per_client_ratio",
        "kosten_per_client_eur",
        "peer_kosten_per_client_mediaan",
        1,
    ),
    (
        "gemeente_product_kosten_jaar",
        "kosten_per_client_eur",
        "gedeclareerd_eur",
        "clienten_gedeclareerd",
        1,
    ),
    (
        "gemeente_product_kosten_jaar",
        "eur_per_eenheid",
        "gedeclareerd_eur",
        "gedeclareerd_volume",
        1,
    ),
    (
        "dq_bsn_verzender_maand",
        "ongeldige_bsn_percentage",
        "ongeldige_bsns",
        "client_vermeldingen",
        100,
    ),
]
# Medians over an aanbieder's peers: (file, peer column, own column, peer group).
PEER_MEDIANS = [
    ("aanbieder_jaar", peer, own, ["gemeente_code", "standard", "product_categorie", "jaar"])
    for peer, own in [
        ("peer_wachttijd_mediaan", "wachttijd_mediaan"),
        ("peer_zorgduur_mediaan", "zorgduur_mediaan"),
        ("peer_kosten_per_client_mediaan", "kosten_per_client_eur"),
    ]
]
# Once the window has passed, herhaald_beroep's ended-according-to-plan count is aanbieder_jaar's
# zorgperioden_beeindigd times aandeel_volgens_plan.
PRODUCTS = [
    (
        ("herhaald_beroep", column),
        ("aanbieder_jaar", "aandeel_volgens_plan", "zorgperioden_beeindigd"),
        ["gemeente_code", "standard", "aanbieder_agb", "product_categorie", "jaar"],
    )
    for column in ("beeindigd_volgens_plan_6m_bekend", "beeindigd_volgens_plan_12m_bekend")
]


def _keys(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for key in keys:
        if key in frame.columns:
            out[key] = frame[key].astype(str)
        elif key == "jaar":
            out[key] = pd.to_datetime(frame["maand_start"]).dt.year.astype(str)
        else:
            return None
    return out


class Attack:
    """Recompute blanked cells of `published` (files as read back) from what stays visible;
    `truth` (the marts unsuppressed, same row order) says whether a candidate is right."""

    def __init__(self, published, truth, counts: dict[str, set[str]]):
        self.published, self.truth, self.counts = published, truth, counts
        self.blanked: set[Cell] = set()
        for name, frame in published.items():
            if SUPPRESSED_COLUMN not in frame.columns:
                continue
            for row, lost in enumerate(frame[SUPPRESSED_COLUMN]):
                for column in filter(None, (lost or "").split(",")):
                    self.blanked.add((name, column, row))
        self.known: dict[Cell, float] = {}  # blanked cells recomputed so far
        self.recovered: dict[Cell, float] = {}

    def _value(self, cell: Cell):
        if cell in self.known:
            return self.known[cell]
        if cell in self.blanked:
            return None
        value = self.published[cell[0]].at[cell[2], cell[1]]
        return 0.0 if pd.isna(value) else float(value)

    def _true(self, cell: Cell) -> float:
        value = self.truth[cell[0]].at[cell[2], cell[1]]
        return 0.0 if pd.isna(value) else float(value)

    def _found(self, cell: Cell, candidate: float) -> None:
        true = self._true(cell)
        # a count to the unit; an amount or rate to a cent, a tenth of a per mille
        tolerance = 0.5 if cell[1] in self.counts.get(cell[0], ()) else 0.01 + 0.001 * abs(true)
        if cell in self.blanked and cell not in self.known and abs(candidate - true) < tolerance:
            self.known[cell] = true
            self.recovered[cell] = candidate

    def relations(self) -> list[list[tuple[Cell, float]]]:
        """Linear relations (cells with coefficients summing to 0) that hold on the truth."""
        found = []
        for sides in SUMS:
            groups = defaultdict(list)
            for sign, (name, column, keys) in zip((1.0, -1.0), sides, strict=True):
                frame = self.published.get(name)
                if frame is None or column not in frame.columns:
                    break
                key_frame = _keys(frame, keys)
                if key_frame is None:
                    break
                for row, key in enumerate(key_frame.itertuples(index=False, name=None)):
                    groups[key].append(((name, column, row), sign))
            else:
                found += [cells for cells in groups.values()]
        for name, part, total, keys in GROUP_TOTALS:
            frame = self.published.get(name)
            if frame is None:
                continue
            rows_by_group = defaultdict(list)
            for row, key in enumerate(_keys(frame, keys).itertuples(index=False, name=None)):
                rows_by_group[key].append(row)
            for rows in rows_by_group.values():
                # the total appears on every row of the group: each copy equals the sum
                for total_row in rows:
                    cells = [((name, part, row), 1.0) for row in rows]
                    found.append([*cells, ((name, total, total_row), -1.0)])
        exact = []
        for cells in found:
            if abs(sum(coefficient * self._true(cell) for cell, coefficient in cells)) < 0.005:
                exact.append(cells)
        return exact

    def _rows(self) -> None:
        """Rates, products and the peers' medians, row by row."""
        for name, ratio, numerator, denominator, scale in RATIOS:
            frame = self.published.get(name)
            if frame is None or not {ratio, numerator, denominator} <= set(frame.columns):
                continue
            for row in range(len(frame)):
                cell = (name, ratio, row)
                if cell not in self.known and (
                    cell in self.blanked or pd.isna(frame.at[row, ratio])
                ):
                    continue
                r = self._value(cell)
                n = self._value((name, numerator, row))
                d = self._value((name, denominator, row))
                if n is None and d is not None:
                    self._found((name, numerator, row), r * d / scale)
                if d is None and n not in (None, 0.0) and r:
                    self._found((name, denominator, row), n * scale / r)
        for (name, column), (other, rate, count), keys in PRODUCTS:
            frame, other_frame = self.published.get(name), self.published.get(other)
            if frame is None or other_frame is None:
                continue
            index = {
                key: row
                for row, key in enumerate(
                    _keys(other_frame, keys).itertuples(index=False, name=None)
                )
            }
            for row, key in enumerate(_keys(frame, keys).itertuples(index=False, name=None)):
                if key not in index:
                    continue
                own, r, n = (
                    (name, column, row),
                    (other, rate, index[key]),
                    (other, count, index[key]),
                )
                if self._value(own) is None and None not in (self._value(r), self._value(n)):
                    self._found(own, self._value(r) * self._value(n))
                if self._value(r) is None and self._value(own) is not None and self._value(n):
                    self._found(r, self._value(own) / self._value(n))
        for name, peer, own, keys in PEER_MEDIANS:
            frame = self.published.get(name)
            if frame is None or not {peer, own} <= set(frame.columns):
                continue
            groups = defaultdict(list)
            for row, key in enumerate(_keys(frame, keys).itertuples(index=False, name=None)):
                groups[key].append(row)
            for rows in groups.values():
                # the median's inputs: the peers with a value (blanked ones count, unknown)
                inputs = [
                    r
                    for r in rows
                    if (name, own, r) in self.blanked or not pd.isna(frame.at[r, own])
                ]
                hidden = [r for r in inputs if self._value((name, own, r)) is None]
                median = self._value((name, peer, rows[0]))
                if len(hidden) != 1 or median is None or len(inputs) > 2:
                    continue
                others = [self._value((name, own, r)) for r in inputs if r != hidden[0]]
                self._found((name, own, hidden[0]), median * len(inputs) - sum(others))

    def _linear(self, relations) -> None:
        """Solve the relations for the blanked cells; a cell is recovered where the system
        determines it, or where its blanked counts (each at least 1) can only all be 1."""
        for cells in relations:
            unknown = [(cell, c) for cell, c in cells if self._value(cell) is None]
            rest = sum(c * self._value(cell) for cell, c in cells if self._value(cell) is not None)
            signs = {c for _, c in unknown}
            if (
                unknown
                and len(signs) == 1
                and all(cell[1] in self.counts.get(cell[0], ()) for cell, _ in unknown)
                and -rest * signs.pop() == len(unknown)
            ):
                for cell, _ in unknown:
                    self._found(cell, 1.0)
        rows, b, index = [], [], {}
        for cells in relations:
            unknown = [(cell, c) for cell, c in cells if self._value(cell) is None]
            if not unknown:
                continue
            row = {}
            for cell, c in unknown:
                row[index.setdefault(cell, len(index))] = row.get(index.get(cell), 0.0) + c
            rows.append(row)
            b.append(
                -sum(c * self._value(cell) for cell, c in cells if self._value(cell) is not None)
            )
        if not rows:
            return
        matrix = np.zeros((len(rows), len(index)))
        for i, row in enumerate(rows):
            for j, c in row.items():
                matrix[i, j] = c
        solution, *_ = np.linalg.lstsq(matrix, np.array(b), rcond=None)
        _, singular, vt = np.linalg.svd(matrix)
        rank = int((singular > 1e-9).sum())
        null_space = vt[rank:]
        for cell, j in index.items():
            if not null_space.size or np.abs(null_space[:, j]).max() < 1e-9:
                self._found(cell, float(solution[j]))

    def run(self) -> dict[Cell, float]:
        relations = self.relations()
        for _ in range(3):  # what one step recovers feeds the next
            before = len(self.known)
            self._rows()
            self._linear(relations)
            if len(self.known) == before:
                break
        return self.recovered


def read_export(directory: Path) -> tuple[dict, dict[str, pd.DataFrame]]:
    manifest = json.loads((directory / "manifest.json").read_text())
    with duckdb.connect() as con:
        files = {
            entry["file"].removesuffix(".parquet"): con.execute(
                f"select * from '{directory / entry['file']}'"
            ).df()
            for entry in manifest["files"]
        }
    return manifest, files


def true_marts(warehouse: Path, manifest: dict) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            entry["file"].removesuffix(".parquet"): con.execute(f"select * from {entry['mart']}")
            .df()
            .sort_values(entry["small_cell_rule"]["keys"], kind="stable")
            .reset_index(drop=True)
            for entry in manifest["files"]
            if entry["small_cell_rule"]
        }


def attack_export(directory: Path, warehouse: Path) -> dict[Cell, float]:
    manifest, files = read_export(directory)
    counts = {
        entry["file"].removesuffix(".parquet"): set(entry["small_cell_rule"]["counts"])
        for entry in manifest["files"]
        if entry["small_cell_rule"]
    }
    truth = true_marts(warehouse, manifest)
    published = {name: files[name] for name in truth}
    return Attack(published, truth, counts).run()


# -- tests ---------------------------------------------------------------------------------------


def test_the_attack_recovers_a_single_suppressed_cell():
    """The attack works: one blanked cell in a group whose total another file publishes, and a
    rate next to a blanked count, are both recomputed."""
    aanbieders = pd.DataFrame(
        {
            "gemeente_code": ["0034"] * 3,
            "standard": ["iwmo"] * 3,
            "product_categorie": ["01"] * 3,
            "jaar": [2024] * 3,
            "aanbieder_agb": ["a", "b", "c"],
            "toewijzingen_ingegaan": [3, 25, 40],
            SUPPRESSED_COLUMN: ["toewijzingen_ingegaan", "", ""],
        }
    )
    products = pd.DataFrame(
        {
            "gemeente_code": ["0034"],
            "standard": ["iwmo"],
            "product_categorie": ["01"],
            "jaar": [2024],
            "toewijzingen": [68],
            SUPPRESSED_COLUMN: [""],
        }
    )
    keten = pd.DataFrame(
        {
            "toewijzingen_ingegaan": [20],
            "toewijzingen_zonder_start": [4],
            "aandeel_zonder_start": [0.2],
            SUPPRESSED_COLUMN: ["toewijzingen_zonder_start"],
        }
    )
    truth = {
        "aanbieder_jaar": aanbieders,
        "gemeente_product_jaar": products,
        "keten_aanbieder_maand": keten,
    }
    published = {name: frame.copy() for name, frame in truth.items()}
    published["aanbieder_jaar"].loc[0, "toewijzingen_ingegaan"] = None
    published["keten_aanbieder_maand"].loc[0, "toewijzingen_zonder_start"] = None
    counts = {
        "aanbieder_jaar": {"toewijzingen_ingegaan"},
        "keten_aanbieder_maand": {"toewijzingen_zonder_start"},
    }
    recovered = Attack(published, truth, counts).run()
    assert recovered.keys() == {
        ("aanbieder_jaar", "toewijzingen_ingegaan", 0),
        ("keten_aanbieder_maand", "toewijzingen_zonder_start", 0),
    }
    assert round(recovered[("aanbieder_jaar", "toewijzingen_ingegaan", 0)]) == 3


def test_the_attack_forces_blanked_counts_that_can_only_be_one():
    truth = {
        "gemeente_marktaandeel_gebied": pd.DataFrame(
            {
                "gemeente_code": ["0034"] * 3,
                "standard": ["iwmo"] * 3,
                "gebied": ["1234"] * 3,
                "jaar": [2024] * 3,
                "clienten": [1, 1, 30],
                "clienten_in_gebied": [32] * 3,
                "marktaandeel": [None] * 3,
                SUPPRESSED_COLUMN: ["clienten", "clienten", ""],
            }
        )
    }
    published = {"gemeente_marktaandeel_gebied": truth["gemeente_marktaandeel_gebied"].copy()}
    published["gemeente_marktaandeel_gebied"].loc[[0, 1], "clienten"] = None
    recovered = Attack(published, truth, {"gemeente_marktaandeel_gebied": {"clienten"}}).run()
    assert set(recovered) == {
        ("gemeente_marktaandeel_gebied", "clienten", 0),
        ("gemeente_marktaandeel_gebied", "clienten", 1),
    }


def test_secondary_suppression_leaves_no_group_with_one_blanked_cell():
    frame = pd.DataFrame(
        {
            "gemeente_code": ["0034"] * 4 + ["0035"] * 2,
            "aanbieder_agb": ["a", "b", "c", "d", "a", "b"],
            "clienten": [3, 40, 12, 0, 50, 60],
            "aandeel": [0.1, 0.2, 0.3, 0.0, 0.4, 0.5],
        }
    )
    rule = SmallCells(
        counts=("clienten",),
        derived={"aandeel": ("clienten",)},
        keys=("gemeente_code", "aanbieder_agb"),
        totals=(Total(("clienten",), ("aanbieder_agb",)),),
    )
    suppression = Suppression({"m": frame}, {"m": rule}).run(10)
    # 3 is primary; its complement is the smallest non-zero other cell (12, not 0 or 40),
    # and the rate of each goes with it. The other gemeente has nothing to hide.
    assert suppression.blank["m"]["clienten"].tolist() == [True, False, True, False, False, False]
    assert suppression.blank["m"]["aandeel"].tolist() == [True, False, True, False, False, False]
    assert suppression.lost("m").tolist() == [
        "clienten,aandeel",
        "",
        "clienten,aandeel",
        "",
        "",
        "",
    ]


def test_secondary_suppression_follows_links_and_group_values_across_marts():
    aanbieders = pd.DataFrame(
        {
            "gemeente_code": ["0034", "0034"],
            "gebied": ["1234", "1234"],
            "aanbieder_agb": ["a", "b"],
            "clienten": [1, 1],
            "clienten_in_gebied": [2, 2],
        }
    )
    totals = pd.DataFrame({"gemeente_code": ["0034"], "clienten": [2]})
    rules = {
        "per_gebied": parse_rule(
            {
                "keys": ["gemeente_code", "gebied", "aanbieder_agb"],
                "counts": ["clienten", "clienten_in_gebied"],
                "group_values": {"clienten_in_gebied": {"group": ["gemeente_code", "gebied"]}},
                "links": [
                    {
                        "column": "clienten",
                        "keys": ["gemeente_code"],
                        "mart": "gemeente",
                        "other_column": "clienten",
                    }
                ],
            }
        ),
        "gemeente": parse_rule({"keys": ["gemeente_code"], "counts": []}),
    }
    suppression = Suppression({"per_gebied": aanbieders, "gemeente": totals}, rules).run(10)
    assert suppression.blank["per_gebied"]["clienten_in_gebied"].all()
    # 1 + 1 = 2 with both known to be at least 1 gives both: the gemeente's total goes too.
    assert suppression.blank["gemeente"]["clienten"].tolist() == [True]


def test_a_rule_naming_a_missing_column_fails_clearly():
    frame = pd.DataFrame({"gemeente_code": ["0034"], "clienten": [3]})
    rule = SmallCells(counts=("clienten", "clienten_oud"), keys=("gemeente_code",))
    with pytest.raises(ValueError, match=r"m: .*\['clienten_oud'\]"):
        Suppression({"m": frame}, {"m": rule})


def test_a_mart_is_exported_only_when_its_yaml_says_so(tmp_path):
    manifest = {
        "nodes": {
            f"model.sdw.{name}": {
                "resource_type": "model",
                "schema": "marts",
                "name": name,
                "config": {"meta": meta},
            }
            for name, meta in {
                "nieuw_persoonsniveau": {},
                "dim_gemeente": {"export": "public"},
                "per_aanbieder": {
                    "export": "aggregate",
                    "small_cells": {"keys": ["a"], "counts": ["n"]},
                },
            }.items()
        }
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    marts = published_marts(path)
    assert {name: mart.export for name, mart in marts.items()} == {
        "dim_gemeente": "public",
        "nieuw_persoonsniveau": None,
        "per_aanbieder": "aggregate",
    }
    manifest["nodes"]["model.sdw.per_aanbieder"]["config"]["meta"]["small_cells"].pop("keys")
    path.write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match=r"needs meta\.small_cells\.keys"):
        published_marts(path)


def test_shared_export_holds_no_person_level_file_and_no_cell_can_be_recomputed(
    demo, tmp_path, monkeypatch
):
    _, warehouse = demo
    monkeypatch.setenv("SDW_WAREHOUSE", str(warehouse))
    manifest = export_parquet(settings(), tmp_path / "export")
    names = {entry["file"].removesuffix(".parquet") for entry in manifest["files"]}
    assert not names & PERSON_LEVEL
    assert {entry["export"] for entry in manifest["files"]} <= {"public", "aggregate"}
    assert not manifest["person_level"] and "waarschuwing" not in manifest
    with duckdb.connect() as con:
        for path in sorted((tmp_path / "export").glob("*.parquet")):
            columns = [row[0] for row in con.execute(f"describe select * from '{path}'").fetchall()]
            assert not [c for c in columns if PERSON_KEY.search(c)], path.name
    assert {"aanbieder_jaar", "keten_aanbieder_maand", "dq_bsn_verzender_maand"} <= names
    blanked = sum(entry["rows_with_suppressed_cells"] for entry in manifest["files"])
    assert blanked > 0
    assert manifest["small_cell_threshold"] == dbt_var("kleine_aantallen_drempel") == 10
    # No count of persons from 1 to 9 is left visible.
    _, files = read_export(tmp_path / "export")
    for entry in manifest["files"]:
        rule = entry["small_cell_rule"]
        frame = files[entry["file"].removesuffix(".parquet")]
        for column in rule["counts"] if rule else []:
            assert not frame[column].between(1, 9).any(), (entry["file"], column)
    assert attack_export(tmp_path / "export", warehouse) == {}


def test_the_attack_breaks_primary_suppression_alone(demo, tmp_path, monkeypatch):
    """What the export did before: small cells blanked, no complements. The attack recomputes
    blanked cells from it, so it would have caught that export."""
    _, warehouse = demo
    monkeypatch.setenv("SDW_WAREHOUSE", str(warehouse))
    monkeypatch.setattr(Suppression, "_secondary", lambda self: False)
    monkeypatch.setattr(Suppression, "_audit", lambda self: False)
    export_parquet(settings(), tmp_path / "export")
    recovered = attack_export(tmp_path / "export", warehouse)
    assert {mart for mart, _, _ in recovered} >= {"aanbieder_jaar"}


def test_person_level_export_is_explicit_and_says_it_is_not_for_sharing(
    demo, tmp_path, monkeypatch
):
    _, warehouse = demo
    monkeypatch.setenv("SDW_WAREHOUSE", str(warehouse))
    manifest = export_parquet(settings(), tmp_path / "engineers", person_level=True)
    assert manifest["waarschuwing"] == NOT_FOR_SHARING
    assert manifest["person_level"] is True
    names = {entry["file"].removesuffix(".parquet") for entry in manifest["files"]}
    assert names >= PERSON_LEVEL
    saved = json.loads((tmp_path / "engineers" / "manifest.json").read_text())
    assert saved["waarschuwing"] == "niet voor delen: bevat gegevens op persoonsniveau"
    # A shared export never lands next to the person-level files.
    with pytest.raises(FileExistsError, match=r"dim_client\.parquet"):
        export_parquet(settings(), tmp_path / "engineers")


def test_export_writes_the_shareable_marts_with_a_manifest(warehouse, tmp_path):
    ingest_messages([FIXTURE_MESSAGES], warehouse)
    build(warehouse)
    manifest = export_parquet(warehouse, tmp_path / "export")
    files = {entry["mart"]: entry for entry in manifest["files"]}
    shareable = {f"marts.{name}" for name, mart in published_marts().items() if mart.export}
    assert set(files) == shareable
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        for mart, entry in files.items():
            exported = con.execute(
                f"select count(*) from '{tmp_path / 'export' / entry['file']}'"
            ).fetchone()[0]
            assert (
                exported
                == entry["rows"]
                == con.execute(f"select count(*) from {mart}").fetchone()[0]
            )
        # The fixtures are two clients: every person count below gemeente level is blanked.
        keten = con.execute(
            f"select starts_gemeld, {SUPPRESSED_COLUMN} "
            f"from '{tmp_path / 'export' / 'keten_aanbieder_maand.parquet'}' "
            "where starts_gemeld is not null and starts_gemeld > 0"
        ).fetchall()
    assert keten == []
    assert files["marts.keten_aanbieder_maand"]["rows_with_suppressed_cells"] > 0
    assert json.loads((tmp_path / "export" / "manifest.json").read_text()) == manifest


def test_export_needs_a_built_project(warehouse, tmp_path, monkeypatch):
    monkeypatch.setattr("sdw.export.MANIFEST", tmp_path / "missing.json")
    with pytest.raises(FileNotFoundError, match="sdw build"):
        export_parquet(warehouse, tmp_path / "export")
