"""Loading message files from the inbox into the raw tables."""

import dagster as dg

from sdw.config import settings
from sdw.messages.layout import table_columns
from sdw.messages.load import ingest_messages

RAW_MESSAGE_TABLES = ["ingest_files", *table_columns()]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", table], group_name="raw", kinds={"python", "duckdb"})
        for table in RAW_MESSAGE_TABLES
    ],
    name="raw_messages",
    description="Load every new iWmo/iJw message file in SDW_INBOX into the raw tables.",
)
def raw_messages(context: dg.AssetExecutionContext):
    config = settings()
    if not config.inbox.is_dir():
        raise dg.Failure(f"no inbox folder at {config.inbox}: set SDW_INBOX")
    report = ingest_messages([config.inbox], config)
    for reason in report.quarantine_reasons:
        context.log.warning("quarantined %s: %s", *reason)
    for table in RAW_MESSAGE_TABLES:
        yield dg.MaterializeResult(
            asset_key=["raw", table],
            metadata={
                "files_loaded": report.loaded,
                "files_quarantined": report.quarantined,
                "files_duplicate": report.duplicate,
                "files_already_loaded": report.skipped,
                "product_lines": report.products,
            },
        )
