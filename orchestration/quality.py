"""Great Expectations in the asset graph.

The checks run once, as the asset that produces their results (raw.dq_check_runs/_results);
each rule then shows as an asset check on the table it guards, reading its outcome from there.
"""

import dagster as dg

from sdw.build import QUALITY_CHECKS
from sdw.config import settings
from sdw.quality.catalog import checks
from sdw.warehouse import connect

RESULT_KEYS = [dg.AssetKey(["raw", "dq_check_runs"]), dg.AssetKey(["raw", "dq_check_results"])]
CHECKS = checks()
GUARDED = sorted({check.table for check in CHECKS})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name="quality",
            kinds={"great_expectations"},
            deps=[dg.AssetKey(table.split(".")) for table in GUARDED],
        )
        for key in RESULT_KEYS
    ],
    name=QUALITY_CHECKS.name,
    description="Run the Great Expectations checkpoints and store their findings.",
)
def quality_checks(context: dg.AssetExecutionContext):
    report = QUALITY_CHECKS.run(settings())
    metadata = {
        "findings": report.finding_count,
        "data_docs": dg.MetadataValue.path(str(report.data_docs / "index.html")),
    }
    for outcome in report.outcomes:
        context.log.info("%s: %d findings", outcome.check_name, len(outcome.findings))
    for key in RESULT_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            check.name,
            asset=dg.AssetKey(check.table.split(".")),
            description=check.explanation,
            additional_deps=RESULT_KEYS,
        )
        for check in CHECKS
    ],
    name="quality_findings",
)
def quality_findings():
    """Each rule's outcome in the latest quality run: passed when it found nothing."""
    with connect(settings().warehouse, read_only=True) as con:
        latest = con.execute(
            """
            select check_name, severity, evaluated_count, finding_count
            from (
                select
                    *,
                    row_number() over (partition by check_name order by run_at desc) as rang
                from raw.dq_check_runs
            ) as runs
            where rang = 1
            """
        ).fetchall()
    outcomes = {row[0]: row[1:] for row in latest}
    for check in CHECKS:
        severity, evaluated, findings = outcomes[check.name]
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(check.table.split(".")),
            check_name=check.name,
            passed=findings == 0,
            severity=dg.AssetCheckSeverity.ERROR
            if severity == "error"
            else dg.AssetCheckSeverity.WARN,
            metadata={"evaluated": evaluated, "findings": findings},
        )
