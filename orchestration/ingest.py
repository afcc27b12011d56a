"""Loading files into the raw tables: message files from SDW_INBOX, CBS extracts from SDW_CBS_DIR,
the gemeente's inkoop catalogue and budget plafonds from SDW_BUDGET_DIR.

The loaders skip files they already account for, so a run loads exactly what is new. Reading
a folder can fail for passing reasons (a share being remounted, a file still being copied):
such errors are retried with backoff; anything else fails the run at once with its reason.
"""

from collections.abc import Callable

import dagster as dg

from sdw.budget.layout import BUDGET_TABLES
from sdw.budget.load import BudgetReport, ingest_budget
from sdw.cbs.layout import CBS_TABLES
from sdw.cbs.load import CbsReport, ingest_cbs
from sdw.config import settings
from sdw.doelen.layout import DOELEN_TABLES
from sdw.doelen.load import DoelenReport, ingest_doelen
from sdw.messages.layout import table_columns
from sdw.messages.load import ingest_messages
from sdw.status import printable

RAW_MESSAGE_TABLES = ["ingest_files", *table_columns()]
MAX_RETRIES = 3


def retrying_io(context: dg.AssetExecutionContext, load: Callable):
    try:
        return load()
    except OSError as error:
        wait = 5 * 2**context.retry_number
        context.log.warning("file system error, retrying in %ss: %s", wait, error)
        raise dg.RetryRequested(max_retries=MAX_RETRIES, seconds_to_wait=wait) from error


def _specs(tables, description: str) -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            ["raw", table],
            group_name="raw",
            kinds={"python", "duckdb"},
            owners=["team:data-engineering"],
            description=description,
        )
        for table in tables
    ]


def _report(context, keys, report, **metadata):
    listed = (("quarantined", report.quarantine_reasons), ("not read", report.not_read))
    for what, entries in listed:
        for path, reason in entries:
            context.log.warning("%s %s: %s", what, printable(path), printable(reason))
    for key in keys:
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "files_loaded": report.loaded,
                "files_quarantined": report.quarantined,
                "files_duplicate": report.duplicate,
                "files_already_loaded": report.skipped,
                "entries_not_read": len(report.not_read),
                **metadata,
            },
        )


@dg.multi_asset(
    specs=_specs(RAW_MESSAGE_TABLES, "iWmo/iJw messages as loaded from SDW_INBOX."),
    name="raw_messages",
    description="Load every new iWmo/iJw message file in SDW_INBOX into the raw tables.",
)
def raw_messages(context: dg.AssetExecutionContext):
    config = settings()
    if not config.inbox.is_dir():
        raise dg.Failure(f"no inbox folder at {config.inbox}: set SDW_INBOX")
    report = retrying_io(context, lambda: ingest_messages([config.inbox], config))
    yield from _report(
        context, [["raw", t] for t in RAW_MESSAGE_TABLES], report, product_lines=report.products
    )


@dg.multi_asset(
    specs=_specs(CBS_TABLES, "CBS StatLine extracts as loaded from SDW_CBS_DIR."),
    name="raw_cbs",
    description="Load every new CBS extract in SDW_CBS_DIR (optional) into the raw tables.",
)
def raw_cbs(context: dg.AssetExecutionContext):
    config = settings()
    if config.cbs_dir.is_dir():
        report = retrying_io(context, lambda: ingest_cbs([config.cbs_dir], config))
    else:
        context.log.info("no CBS folder at %s (SDW_CBS_DIR): nothing to load", config.cbs_dir)
        report = CbsReport()
    keys = [["raw", table] for table in CBS_TABLES]
    yield from _report(context, keys, report, observations=report.observations)


@dg.multi_asset(
    specs=_specs(
        BUDGET_TABLES, "Inkoop catalogue and budget plafonds as loaded from SDW_BUDGET_DIR."
    ),
    name="raw_budget",
    description="Load every new inkoop or budget CSV in SDW_BUDGET_DIR (optional) into raw.",
)
def raw_budget(context: dg.AssetExecutionContext):
    config = settings()
    if config.budget_dir.is_dir():
        report = retrying_io(context, lambda: ingest_budget([config.budget_dir], config))
    else:
        context.log.info(
            "no budget folder at %s (SDW_BUDGET_DIR): nothing to load", config.budget_dir
        )
        report = BudgetReport()
    keys = [["raw", table] for table in BUDGET_TABLES]
    yield from _report(context, keys, report, rows=report.rows)


@dg.multi_asset(
    specs=_specs(DOELEN_TABLES, "Streefwaarden and outcome reports as loaded from SDW_DOELEN_DIR."),
    name="raw_doelen",
    description="Load every new streefwaarden or uitkomsten CSV in SDW_DOELEN_DIR (optional).",
)
def raw_doelen(context: dg.AssetExecutionContext):
    config = settings()
    if config.doelen_dir.is_dir():
        report = retrying_io(context, lambda: ingest_doelen([config.doelen_dir], config))
    else:
        context.log.info(
            "no doelen folder at %s (SDW_DOELEN_DIR): nothing to load", config.doelen_dir
        )
        report = DoelenReport()
    keys = [["raw", table] for table in DOELEN_TABLES]
    yield from _report(
        context, keys, report, rows=report.rows, lines_quarantined=report.lines_quarantined
    )
