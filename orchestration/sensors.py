"""Start a run when message files arrive in the inbox.

The sensor never opens the warehouse (a run may hold DuckDB's single write lock): its cursor is
the newest change time it has seen in the inbox. A file counts as new when it was written or
moved in after that moment; the run's loader then skips whatever is already accounted for.
"""

import dagster as dg

from orchestration.jobs import inbox_job
from sdw.config import settings


def _changed_ns(path) -> int:
    stat = path.stat()
    # A file moved or copied in with its old mtime still gets a new ctime.
    return max(stat.st_mtime_ns, stat.st_ctime_ns)


@dg.sensor(
    job=inbox_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Runs inbox_job when new files appear in SDW_INBOX.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    inbox = settings().inbox
    if not inbox.is_dir():
        return dg.SkipReason(f"no inbox folder at {inbox} (SDW_INBOX)")
    seen_until = int(context.cursor or 0)
    changed = [_changed_ns(p) for p in inbox.rglob("*") if p.is_file()]
    new = [ns for ns in changed if ns > seen_until]
    if not new:
        return dg.SkipReason("no new files in the inbox")
    newest = max(new)
    context.update_cursor(str(newest))
    return dg.RunRequest(run_key=f"inbox-{newest}", tags={"sdw/new_files": str(len(new))})
