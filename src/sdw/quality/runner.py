"""Run the Great Expectations checkpoints against the warehouse and store the findings.

Why pandas batches: GX 1.24's SQL datasource on DuckDB (duckdb-engine) reads its metric results
after closing the connection that produced them, which DuckDB has already discarded, so the first
metric fails (`table.row_count: list index out of range`). Instead each suite's table is read
from DuckDB in one columnar scan, only the columns the suite needs, and validated in memory.
The heavy lifting (joins, date arithmetic) is done set-based in dbt before that, so every
expectation is a vectorised column test (tests/python/test_quality.py covers both facts).

Why findings are not GX's unexpected rows: GX builds its list of unexpected rows (result format
COMPLETE) one row at a time, deep-copies it and renders it into Data Docs, which took over a
minute for 37,000 findings in a warehouse with a million declaratieregels (bench/checks.py).
GX therefore reports a SUMMARY (counts and the first rows, which Data Docs show), and the
runner selects the findings with the same condition on the same frame, vectorised, refusing
to store them when their number differs from GX's unexpected count.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from sdw.config import PROJECT_DIR, Settings
from sdw.quality.results import CHECK_RESULTS, CHECK_RUNS
from sdw.sources import RAW_TABLES
from sdw.warehouse import connect, ensure_raw_schema, insert_rows, transaction

GX_PROJECT_DIR = PROJECT_DIR / "expectations"

# GX's expectation severities, in the words findings use.
SEVERITY = {"critical": "error", "warning": "warning", "info": "info"}


@dataclass
class CheckOutcome:
    check_name: str
    suite_name: str
    table_name: str
    severity: str
    explanation: str
    evaluated_count: int
    findings: list[dict] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.findings


@dataclass
class QualityReport:
    run_id: str
    run_at: datetime
    outcomes: list[CheckOutcome]
    data_docs: Path

    @property
    def finding_count(self) -> int:
        return sum(len(o.findings) for o in self.outcomes)


def _plain(value: object) -> object:
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def gx_context(settings: Settings, project_dir: Path = GX_PROJECT_DIR):
    import great_expectations as gx  # a slow import: only when checks really run

    os.environ["SDW_DATA_DOCS"] = str(settings.reports_dir / "data_docs") + os.sep
    # Validation results beside the warehouse's Data Docs, which index them all: shared by
    # every warehouse in the project folder, they grew with every run anywhere.
    os.environ["SDW_GX_VALIDATIONS"] = str(settings.reports_dir / "gx_validations") + os.sep
    return gx.get_context(mode="file", project_root_dir=str(project_dir))


def _unexpected(frame: pd.DataFrame, expectation_type: str, kwargs: dict) -> pd.Series:
    """The rows GX counts as unexpected for a column-map expectation (nulls are not, except
    for the null expectations themselves), as a boolean mask."""
    values = frame[kwargs["column"]]
    if expectation_type == "expect_column_values_to_not_be_null":
        return values.isna()
    if expectation_type == "expect_column_values_to_be_null":
        return values.notna()
    present = values.notna()
    if expectation_type == "expect_column_values_to_be_in_set":
        return present & ~values.isin(kwargs["value_set"])
    if expectation_type == "expect_column_values_to_be_between":
        outside = pd.Series(False, index=frame.index)
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None:
            outside |= values <= low if kwargs.get("strict_min") else values < low
        if high is not None:
            outside |= values >= high if kwargs.get("strict_max") else values > high
        return present & outside
    raise ValueError(f"the runner cannot select the findings of {expectation_type}")


def _validate(checkpoint, con: duckdb.DuckDBPyConnection) -> list[CheckOutcome]:
    (definition,) = checkpoint.validation_definitions
    suite = definition.suite
    table = suite.meta["table"]
    index_columns = list(suite.meta["finding_columns"])
    checked = [e.column for e in suite.expectations if getattr(e, "column", None)]
    columns = list(dict.fromkeys(index_columns + checked))
    frame = con.execute(f"select {', '.join(columns)} from {table}").df()
    # GX fingerprints the whole batch; it gets the checked columns, the findings the rest.
    result = checkpoint.run(batch_parameters={"dataframe": frame[list(dict.fromkeys(checked))]})
    outcomes = []
    for run_result in result.run_results.values():
        for expectation_result in run_result.results:
            config = expectation_result.expectation_config
            meta = config.meta
            mask = _unexpected(frame, config.type, config.kwargs)
            gx_count = expectation_result.result.get("unexpected_count") or 0
            if int(mask.sum()) != gx_count:
                raise RuntimeError(
                    f"{meta['check']}: GX counts {gx_count} unexpected rows in {table}, "
                    f"the runner selected {int(mask.sum())}"
                )
            unexpected = frame.loc[mask, index_columns].to_dict("records")
            rows = [{k: _plain(v) for k, v in row.items()} for row in unexpected]
            outcomes.append(
                CheckOutcome(
                    check_name=meta["check"],
                    suite_name=suite.name,
                    table_name=table,
                    severity=SEVERITY[str(config.severity.value)],
                    explanation=meta["explanation"],
                    evaluated_count=len(frame),
                    findings=[
                        {
                            "gemeente_code": row.get("gemeente_code"),
                            "aanbieder_agb": row.get("aanbieder_agb"),
                            "finding_key": str(row[meta["finding_key"]]),
                            "reference": str(row[meta["reference"]]),
                            "finding_date": row[meta["date"]],
                            "detail": meta["detail"].format(**row),
                        }
                        for row in rows
                    ],
                )
            )
    return outcomes


def run_checks(settings: Settings) -> QualityReport:
    """Validate every checkpoint and append its outcome to raw.dq_check_runs/_results."""
    context = gx_context(settings)
    run_id = uuid.uuid4().hex
    run_at = datetime.now(UTC).replace(tzinfo=None)
    with connect(settings.warehouse) as con:
        ensure_raw_schema(con, RAW_TABLES)
        outcomes = [
            outcome
            for checkpoint in sorted(context.checkpoints.all(), key=lambda c: c.name)
            for outcome in _validate(checkpoint, con)
        ]
        # The run's rows and its findings all or none: an error part-way leaves no half run.
        with transaction(con):
            insert_rows(
                con,
                CHECK_RUNS,
                [
                    (
                        run_id, run_at, o.check_name, o.suite_name, o.table_name, o.severity,
                        o.explanation, o.evaluated_count, len(o.findings), o.success,
                    )
                    for o in outcomes
                ],
            )  # fmt: skip
            findings = [
                (run_id, run_at, o.check_name, o.severity, *f.values())
                for o in outcomes
                for f in o.findings
            ]
            if findings:
                insert_rows(con, CHECK_RESULTS, findings)
    return QualityReport(run_id, run_at, outcomes, settings.reports_dir / "data_docs")
