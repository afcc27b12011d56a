"""The quality checks: GX on pandas batches read from DuckDB, vectorised, and honest.

GX 1.24's SQL datasource cannot run on DuckDB (see sdw.quality.runner), so every suite is
validated as a pandas batch. That is fast only for column-wise expectations: pair and
multicolumn expectations run row by row in GX's pandas engine (1M rows took 48 s against 0.4 s
for the same rule as a column test computed in dbt). These tests keep it that way.
"""

import json
import shutil
from contextlib import contextmanager
from types import SimpleNamespace

import duckdb
import pytest
from conftest import FIXTURE_MESSAGES

from sdw.build import build
from sdw.quality import runner
from sdw.quality.catalog import SUITES_DIR, checks
from sdw.quality.project import sync
from sdw.quality.runner import GX_PROJECT_DIR, CheckOutcome, gx_context, run_checks

# Column-map expectations GX evaluates with vectorised pandas operations.
VECTORISED = {
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_null",
}


def test_every_expectation_is_a_vectorised_column_test():
    for path in SUITES_DIR.glob("*.json"):
        for expectation in json.loads(path.read_text())["expectations"]:
            assert expectation["type"] in VECTORISED, (path.name, expectation["type"])
            assert {"check", "explanation", "finding_key", "reference", "date", "detail"} <= set(
                expectation["meta"]
            )


def test_a_finding_reads_its_date_key_and_reference_from_the_columns_read():
    # The runner reads only a suite's finding_columns and the checked columns.
    for path in SUITES_DIR.glob("*.json"):
        suite = json.loads(path.read_text())
        columns = set(suite["meta"]["finding_columns"])
        for expectation in suite["expectations"]:
            meta = expectation["meta"]
            assert {meta["date"], meta["finding_key"], meta["reference"]} <= columns, (
                path.name,
                meta["check"],
            )


def test_checks_have_unique_names_and_known_severities():
    names = [check.name for check in checks()]
    assert len(names) == len(set(names))
    assert {check.severity for check in checks()} <= {"critical", "warning", "info"}


def test_build_finds_the_stop_before_start_and_writes_data_docs(warehouse):
    from sdw.messages.load import ingest_messages

    ingest_messages([FIXTURE_MESSAGES], warehouse)
    report = build(warehouse)
    (outcome,) = [o for o in report.outcomes if o.check_name == "stop_before_start"]
    assert outcome.evaluated_count == 2
    assert [f["reference"] for f in outcome.findings] == ["5001"]
    assert outcome.findings[0]["detail"] == (
        "toewijzing 5001, product 02A01: stop on 2024-01-20 before start on 2024-02-05"
    )
    assert (report.data_docs / "index.html").is_file()
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        runs = dict(
            con.execute("select check_name, finding_count from raw.dq_check_runs").fetchall()
        )
    assert set(runs) == {check.name for check in checks()}
    # The fixtures hold one stop before its start, one re-sent 305, and two files that cannot
    # be loaded (truncated, DOCTYPE). The jeugd start of 2024-02-12, corrected on 2024-02-20 from
    # a start on 2024-02-08 reported on 2024-02-12, was reported in time: not late.
    assert runs["stop_before_start"] == 1
    assert runs["retransmission"] == 1
    assert runs["quarantined_file"] == 2
    assert runs["start_reported_late"] == 0
    assert runs["invalid_bsn"] == runs["stop_without_start"] == 0


def test_the_gx_project_is_in_step_with_its_suites(tmp_path, warehouse):
    project = tmp_path / "expectations"
    shutil.copytree(GX_PROJECT_DIR, project, ignore=shutil.ignore_patterns("uncommitted"))
    before = {p.relative_to(project): p.read_bytes() for p in project.rglob("*.json")}
    sync(gx_context(warehouse, project))
    after = {p.relative_to(project): p.read_bytes() for p in project.rglob("*.json")}
    assert after == before, "run `make gx-sync` and commit the result"


def test_checks_refuse_a_warehouse_that_was_not_built(warehouse):
    with pytest.raises(duckdb.CatalogException, match="does not exist"):
        run_checks(warehouse)


def test_an_error_while_storing_the_results_leaves_neither_the_run_nor_half_its_findings(
    warehouse, monkeypatch
):
    # The checks' outcome without dbt or GX: one rule that found two rows.
    finding = {
        "gemeente_code": "0999", "aanbieder_agb": "12345678", "finding_key": "k",
        "reference": "5001", "finding_date": "2024-01-20", "detail": "stop before start",
    }  # fmt: skip
    outcome = CheckOutcome(
        "stop_before_start", "zorgperioden", "cleaned.zorgperioden", "error", "uitleg", 2,
        findings=[finding, {**finding, "finding_key": "l"}],
    )  # fmt: skip
    checkpoints = SimpleNamespace(all=lambda: [SimpleNamespace(name="zorgperioden")])
    monkeypatch.setattr(
        runner, "gx_context", lambda settings: SimpleNamespace(checkpoints=checkpoints)
    )
    monkeypatch.setattr(runner, "_validate", lambda checkpoint, con: [outcome])
    store = runner.insert_rows

    def disk_full_after_one_finding(con, table, rows):
        if table.name == "dq_check_results":
            store(con, table, rows[:1])
            raise OSError(28, "No space left on device")
        store(con, table, rows)

    monkeypatch.setattr(runner, "insert_rows", disk_full_after_one_finding)
    # A connection that outlives the run (as a pooled one would): what the runner wrote must be
    # rolled back by the runner, not discarded by a close.
    warehouse.warehouse.parent.mkdir(parents=True)
    con = duckdb.connect(str(warehouse.warehouse))

    @contextmanager
    def kept_open(path, read_only=False):
        yield con

    monkeypatch.setattr(runner, "connect", kept_open)
    with pytest.raises(OSError, match="No space"):
        run_checks(warehouse)
    count = (
        "select (select count(*) from raw.dq_check_runs), "
        "(select count(*) from raw.dq_check_results)"
    )
    assert con.execute(count).fetchone() == (0, 0)
    con.close()
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as reopened:
        assert reopened.execute(count).fetchone() == (0, 0)
