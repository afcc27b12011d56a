"""Where quality findings land: one row per check per run, one row per finding per run.

These raw tables are append-only; marts.dq_findings folds them into a history per finding
(first and last detected, open or closed), so a fixed finding is closed, not forgotten.
"""

from sdw.raw import RawTable

RUN_COLUMNS = (
    "run_id",
    "run_at",
    "check_name",
    "suite_name",
    "table_name",
    "severity",
    "explanation",
    "evaluated_count",
    "finding_count",
    "success",
)

RESULT_COLUMNS = (
    "run_id",
    "run_at",
    "check_name",
    "severity",
    "gemeente_code",
    "aanbieder_agb",
    "finding_key",
    "reference",
    "finding_date",
    "detail",
)

CHECK_RUNS = RawTable(
    "dq_check_runs",
    RUN_COLUMNS,
    {
        "run_at": "TIMESTAMP",
        "evaluated_count": "INTEGER",
        "finding_count": "INTEGER",
        "success": "BOOLEAN",
    },
)
CHECK_RESULTS = RawTable("dq_check_results", RESULT_COLUMNS, {"run_at": "TIMESTAMP"})
QUALITY_TABLES = (CHECK_RUNS, CHECK_RESULTS)
