"""Where quality findings land: one row per check per run, one row per finding per run.

These raw tables are append-only; marts.dq_findings folds them into a history per finding
(first and last detected, open or closed), so a fixed finding is closed, not forgotten.
"""

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
