"""`sdw ingest budget`: the demo's inkoop and budget files into raw, every file accounted for."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import duckdb

from sdw.budget.load import ingest_budget
from sdw.config import Settings
from sdw.demo.budget import BUDGET_COLUMNS, INKOOP_COLUMNS

BUDGET_ROWS = [
    ("0999", "2025", "iwmo", "Huishoudelijke hulp", "01", "274000"),
    ("0999", "2025", "iwmo", "Ondersteuning thuis", "", "243000"),
    ("0999", "2025", "ijw", "Jeugd-ggz", "54", "61000"),
]
INKOOP_ROWS = [
    ("0999", "2025", "iwmo", "Huishoudelijke hulp", "01", "01A01", "82", "98101002", "19500"),
    ("0999", "2025", "ijw", "Jeugd-ggz", "54", "54A01", "01", "98202001", "195"),
]


def _write(path: Path, header: tuple[str, ...], rows: list[tuple], delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _query(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_loads_both_layouts_once(tmp_path: Path, warehouse: Settings) -> None:
    folder = tmp_path / "budget"
    _write(folder / "0999_budget.csv", BUDGET_COLUMNS, BUDGET_ROWS)
    # Told apart by the header, not the name; a StatLine-style ";" is read too.
    _write(folder / "catalogus.csv", INKOOP_COLUMNS, INKOOP_ROWS, delimiter=";")
    report = ingest_budget([folder], warehouse)
    assert (report.loaded, report.quarantined, report.rows) == (2, 0, 5)
    assert (
        _query(
            warehouse,
            "select gemeente_code, jaar, standard, segment, productcategorie, plafond_eur "
            "from raw.budget_plafonds order by row_seq",
        )
        == BUDGET_ROWS
    )
    assert (
        _query(
            warehouse,
            "select gemeente_code, jaar, standard, segment, productcategorie, productcode, "
            "eenheid, aanbieder_agb, tarief_eurocent from raw.budget_inkoop order by row_seq",
        )
        == INKOOP_ROWS
    )
    assert sorted(_query(warehouse, "select layout, status, row_count from raw.budget_files")) == [
        ("budget", "loaded", 3),
        ("inkoop", "loaded", 2),
    ]
    # Offered again: nothing new; the same content under another path: a duplicate.
    again = ingest_budget([folder], warehouse)
    assert (again.loaded, again.skipped) == (0, 2)
    copy = _write(tmp_path / "elders" / "kopie.csv", BUDGET_COLUMNS, BUDGET_ROWS)
    assert ingest_budget([copy], warehouse).duplicate == 1
    assert _query(warehouse, "select count(*) from raw.budget_plafonds") == [(3,)]


def test_a_bad_file_is_quarantined_with_its_reason(tmp_path: Path, warehouse: Settings) -> None:
    folder = tmp_path / "budget"
    bad = {
        "kolommen.csv": ((("gemeente", "jaar", "bedrag"), [("0999", "2025", "1")]), "header"),
        "jaar.csv": ((BUDGET_COLUMNS, [("0999", "25", "iwmo", "X", "", "1000")]), "line 2: jaar"),
        "bedrag.csv": (
            (BUDGET_COLUMNS, [("0999", "2025", "iwmo", "X", "", "1.000,50")]),
            "plafond_eur",
        ),
        "dubbel.csv": (
            (
                BUDGET_COLUMNS,
                [
                    ("0999", "2025", "iwmo", "X", "", "1000"),
                    ("0999", "2025", "iwmo", "X", "02", "5"),
                ],
            ),
            "line 3: the plafond for 2025 iwmo X 02 overlaps the one on line 2",
        ),
        "tarief.csv": (
            (INKOOP_COLUMNS, [("0999", "2025", "ijw", "X", "54", "54A01", "01", "1", "1.95")]),
            "tarief_eurocent",
        ),
        "leeg.csv": ((BUDGET_COLUMNS, []), "no rows"),
    }
    for name, ((header, rows), _) in bad.items():
        _write(folder / name, header, rows)
    (folder / "kapot.csv").write_bytes(b"\xff\xfe\x00gemeente")
    good = _write(folder / "goed.csv", BUDGET_COLUMNS, BUDGET_ROWS)
    report = ingest_budget([folder], warehouse)
    assert (report.loaded, report.quarantined) == (1, len(bad) + 1)
    reasons = dict(_query(warehouse, "select path, reason from raw.budget_files"))
    for name, (_, reason) in bad.items():
        assert reason in reasons[str((folder / name).resolve())], name
    assert "UTF-8" in reasons[str((folder / "kapot.csv").resolve())]
    assert reasons[str(good.resolve())] is None
    # Nothing of a quarantined file reached raw, and a copy of each is kept.
    assert _query(warehouse, "select count(*) from raw.budget_plafonds") == [(3,)]
    assert len(list(warehouse.quarantine_dir.iterdir())) == len(bad) + 1


def test_the_demo_budget_files_load(tmp_path: Path, warehouse: Settings) -> None:
    from sdw.demo.budget import write_budget
    from sdw.demo.world import build_gemeenten

    rng = random.Random(3)
    [gemeente] = build_gemeenten(rng, 20_000, 1, "0999", 60_000)
    write_budget(rng, tmp_path / "budget", gemeente, range(2024, 2026), {})
    report = ingest_budget([tmp_path / "budget"], warehouse)
    # The catalogue (with product names and percelen), the budget and the aanbieder register.
    assert (report.loaded, report.quarantined) == (3, 0)
    files = list((tmp_path / "budget").glob("*.csv"))
    written = sum(len(p.read_text().splitlines()) - 1 for p in files)
    assert report.rows == written


def _split_by_standard(budget: Path, folder: Path) -> dict[str, Path]:
    """The demo's budget file as one file per standard, as a gemeente with separate Wmo and
    Jeugd budgets sends them."""
    with open(budget, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    files = {}
    for standard in sorted({row[2] for row in rows}):
        path = folder / f"{budget.stem}_{standard}.csv"
        _write(path, BUDGET_COLUMNS, [tuple(row) for row in rows if row[2] == standard])
        files[standard] = path
    return files


def _budget_lines(settings: Settings) -> dict[tuple, str]:
    """(standard, jaar, budget_key) -> plafond, of gemeente_budget_uitputting's lines."""
    rows = _query(
        settings,
        "select distinct standard, jaar, budget_key, cast(plafond_eur as varchar) "
        "from marts.gemeente_budget_uitputting",
    )
    return {(standard, jaar, key): plafond for standard, jaar, key, plafond in rows}


def test_a_budget_file_replaces_only_what_it_covers(tmp_path: Path, warehouse: Settings) -> None:
    from sdw.build import run_dbt
    from sdw.demo.budget import write_budget
    from sdw.demo.world import build_gemeenten

    rng = random.Random(3)
    [gemeente] = build_gemeenten(rng, 20_000, 1, "0999", 60_000)
    write_budget(rng, tmp_path / "demo", gemeente, range(2025, 2026), {})
    split = _split_by_standard(tmp_path / "demo" / "0999_budget.csv", tmp_path / "budget")
    assert set(split) == {"iwmo", "ijw"}
    with open(tmp_path / "demo" / "0999_budget.csv", encoding="utf-8", newline="") as f:
        offered = {
            (row[2], int(row[1]), row[4] or row[3]): f"{int(row[5])}.00"
            for row in list(csv.reader(f))[1:]
        }

    # Separate Wmo and Jeugd files: both load, and every line of both counts.
    assert ingest_budget([tmp_path / "budget"], warehouse).loaded == 2
    ingest_budget([tmp_path / "demo" / "0999_inkoop.csv"], warehouse)
    build = ("build", "--select", "+gemeente_budget_uitputting", "--vars", "peildatum: 2025-03-31")
    run_dbt(warehouse, *build)
    assert _budget_lines(warehouse) == offered

    # A later Wmo file for the same gemeente and year replaces the Wmo lines, and only those.
    with open(split["iwmo"], encoding="utf-8", newline="") as f:
        wmo = list(csv.reader(f))[1:]
    corrected = [(*row[:5], str(int(row[5]) + 1000)) for row in wmo]
    _write(tmp_path / "correctie" / "0999_budget_iwmo_v2.csv", BUDGET_COLUMNS, corrected)
    assert ingest_budget([tmp_path / "correctie"], warehouse).loaded == 1
    run_dbt(warehouse, *build)
    expected = {
        key: (f"{int(plafond[:-3]) + 1000}.00" if key[0] == "iwmo" else plafond)
        for key, plafond in offered.items()
    }
    assert _budget_lines(warehouse) == expected
