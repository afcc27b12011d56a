"""`sdw ingest doelen`: streefwaarden into raw, every file and every line accounted for.

A line that breaks a rule is left out with its line number and the rule, never its values; the
rest of the file loads. A file that cannot be read as a whole is quarantined. Reruns add nothing.
What counts of a corrected file (cleaned.streefwaarden) is held to the demo in test_uitkomsten.py.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from sdw.config import Settings
from sdw.doelen.layout import STREEFWAARDE_COLUMNS
from sdw.doelen.load import ingest_doelen, read_doelen_file

GOOD = [
    ("0999", "2025", "clienten_in_zorg", "wmo", "180", "hoogstens", "5"),
    ("0999", "2025-Q1", "wachttijd_mediaan", "", "14,5", "hoogstens", ""),
    ("RG9999", "2025-H2", "instroom", "jeugd", "20", "minstens", "2"),
    ("0999", "2025-07", "gedeclareerd_bedrag", "wmo", "95000.50", "hoogstens", "1000"),
]
# (the line, the rule its reason must name); each carries a value the reason must not quote.
BAD = [
    (("0999", "2025", "wachtlijst_XYZZY", "wmo", "10", "hoogstens", "1"), "kpi"),
    (("0999", "2025", "instroom", "wmo", "XYZZY", "hoogstens", "1"), "streefwaarde"),
    (("0999", "2025", "instroom", "wmo", "10", "XYZZY", "1"), "richting"),
    (("0999", "2025-XYZZY", "instroom", "wmo", "10", "hoogstens", "1"), "periode"),
    (("0999", "2025", "instroom", "XYZZY", "10", "hoogstens", "1"), "domein"),
    (("9-XYZZY", "2025", "instroom", "wmo", "10", "hoogstens", "1"), "gebied"),
    (("0999", "2025", "instroom", "wmo", "10", "hoogstens", "-1"), "signaalmarge"),
    (("0999", "2025", "instroom", "wmo", "10", "hoogstens"), "fields"),
    # the Q1 wachttijd target again, for one of its months: it overlaps line 3
    (("0999", "2025-02", "wachttijd_mediaan", "", "12", "hoogstens", "1"), "overlaps line 3"),
]


def _write(path: Path, rows: list[tuple], header=STREEFWAARDE_COLUMNS, delimiter=",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _query(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_good_lines_load_bad_lines_are_left_out_with_line_and_rule(tmp_path, warehouse):
    rows = [GOOD[0], GOOD[1], BAD[0][0], GOOD[2], *(line for line, _ in BAD[1:]), GOOD[3]]
    path = _write(tmp_path / "doelen" / "streefwaarden.csv", rows, delimiter=";")
    report = ingest_doelen([path.parent], warehouse)
    assert (report.loaded, report.quarantined, report.rows) == (1, 0, 4)
    assert report.lines_quarantined == len(BAD)
    loaded = _query(
        warehouse,
        "select line_number, gebied, periode, kpi, domein, streefwaarde, richting, signaalmarge "
        "from raw.doelen_streefwaarden order by line_number",
    )
    assert loaded == [(2, *GOOD[0]), (3, *GOOD[1]), (5, *GOOD[2]), (len(rows) + 1, *GOOD[3])]
    left_out = _query(
        warehouse,
        "select line_number, reason from raw.doelen_regels_quarantaine order by line_number",
    )
    lines = [4, *range(6, 6 + len(BAD) - 1)]
    assert [line for line, _ in left_out] == lines
    for (line, reason), (_, rule) in zip(left_out, BAD, strict=True):
        assert reason.startswith(f"line {line}: ") and rule in reason, reason
        assert "XYZZY" not in reason and "-1" not in reason.split(":", 1)[1]
    assert _query(
        warehouse, "select status, row_count, lines_quarantined from raw.doelen_files"
    ) == [("loaded", 4, len(BAD))]
    # a copy of the file with bad lines is kept, owner-only
    kept = list(warehouse.quarantine_dir.iterdir())
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o077 == 0
    # offered again, under its own name or another: nothing more
    again = ingest_doelen([path.parent], warehouse)
    assert (again.loaded, again.skipped, again.rows) == (0, 1, 0)
    copy = tmp_path / "elders" / "kopie.csv"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    assert ingest_doelen([copy], warehouse).duplicate == 1
    assert _query(warehouse, "select count(*) from raw.doelen_streefwaarden") == [(4,)]


def test_files_that_cannot_be_read_whole_are_quarantined(tmp_path, warehouse):
    folder = tmp_path / "doelen"
    _write(folder / "a_header.csv", [GOOD[0]], header=("gemeente", "jaar", "doel"))
    (folder / "b_latin1.csv").write_bytes(",".join(STREEFWAARDE_COLUMNS).encode() + b"\n\xe9\n")
    (folder / "c_empty.csv").write_bytes(b"")
    _write(folder / "d_only_header.csv", [])
    _write(folder / "e_only_bad.csv", [line for line, _ in BAD[:2]])
    (folder / "f_quote.csv").write_text(",".join(STREEFWAARDE_COLUMNS) + '\n"0999,2025\n')
    report = ingest_doelen([folder], warehouse)
    assert (report.loaded, report.quarantined) == (0, 6)
    reasons = dict(_query(warehouse, "select path, reason from raw.doelen_files"))
    by_name = {Path(path).name: reason for path, reason in reasons.items()}
    assert "header" in by_name["a_header.csv"]
    assert "UTF-8" in by_name["b_latin1.csv"]
    assert by_name["c_empty.csv"] == "empty file"
    assert by_name["d_only_header.csv"] == "a header but no rows"
    assert by_name["e_only_bad.csv"].startswith("no valid line (2 left out; the first: line 2: kpi")
    assert "line 2" in by_name["f_quote.csv"] or "line 3" in by_name["f_quote.csv"]
    assert not any("XYZZY" in reason for reason in by_name.values())
    assert _query(warehouse, "select count(*) from raw.doelen_streefwaarden") == [(0,)]


def test_periods_and_numbers_as_gemeenten_write_them():
    layout, rows, bad = read_doelen_file(
        "\ufeffGebied;Periode;KPI;Domein;Streefwaarde;Richting;Signaalmarge\r\n"
        "0999;2025-H1;instroom;WMO;1,5;Minstens;0,5\r\n".encode()
    )
    assert layout == "streefwaarden" and not bad
    assert rows == [(2, ("0999", "2025-H1", "instroom", "wmo", "1,5", "minstens", "0,5"))]


def test_every_kpi_is_a_metric_of_the_semantic_layer():
    import yaml

    from sdw.config import PROJECT_DIR
    from sdw.doelen.load import KPI_SEED

    metrics = {
        metric["name"]
        for path in (PROJECT_DIR / "models").rglob("*semantic*.yml")
        for metric in (yaml.safe_load(path.read_text()) or {}).get("metrics", [])
    }
    with open(KPI_SEED, encoding="utf-8", newline="") as f:
        kpis = list(csv.DictReader(f))
    assert kpis and {kpi["metric"] for kpi in kpis} <= metrics


def test_outcome_reports_load_with_the_same_guarantees(tmp_path, warehouse):
    from sdw.doelen.layout import UITKOMST_COLUMNS

    good = [
        ("0999", "98101002", "100003", "2025-03-31", "ja", "8"),
        ("0999", "98101002", "100004", "2025-04-30", "Deels", ""),
        ("0999", "98202001", "100005", "2025-05-31", "", "4"),
    ]
    bad = [
        (("0999", "98101002", "100006", "2025-03-31", "XYZZY", "8"), "doelrealisatie"),
        (("0999", "98101002", "100007", "2025-03-31", "ja", "11"), "tevredenheid"),
        (("0999", "98101002", "100008", "31-03-2025", "ja", "8"), "einddatum"),
        (("0999", "981XYZZY", "100009", "2025-03-31", "ja", "8"), "aanbieder_agb"),
        (("0999", "98101002", "1000X", "2025-03-31", "ja", "8"), "toewijzingnummer"),
        (("0999", "98101002", "100010", "2025-03-31", "", ""), "neither"),
        # the first line's zorgperiode again: left out, the first report stands
        (("0999", "98101002", "100003", "2025-03-31", "nee", "2"), "second report"),
    ]
    path = _write(
        tmp_path / "doelen" / "uitkomsten.csv",
        [*good, *(line for line, _ in bad)],
        header=UITKOMST_COLUMNS,
    )
    report = ingest_doelen([path], warehouse)
    assert (report.loaded, report.rows, report.lines_quarantined) == (1, 3, len(bad))
    loaded = _query(
        warehouse,
        "select gemeente_code, aanbieder_agb, toewijzingnummer, einddatum, doelrealisatie, "
        "tevredenheid from raw.doelen_uitkomsten order by line_number",
    )
    assert loaded == [good[0], (*good[1][:4], "deels", ""), good[2]]
    left_out = _query(
        warehouse, "select reason from raw.doelen_regels_quarantaine order by line_number"
    )
    for (reason,), (_, rule) in zip(left_out, bad, strict=True):
        assert rule in reason and "XYZZY" not in reason, reason
    assert ingest_doelen([path], warehouse).skipped == 1
