"""What a run materialises: everything, or what new message files change."""

import dagster as dg

from orchestration.ingest import raw_messages

# New message files: load them, then rebuild everything downstream (models, checks, marts).
inbox_job = dg.define_asset_job(
    "inbox_job",
    selection=dg.AssetSelection.assets(raw_messages).downstream(),
    description="Load new message files from SDW_INBOX and rebuild what depends on them.",
)

full_refresh_job = dg.define_asset_job(
    "full_refresh_job",
    selection=dg.AssetSelection.all(),
    description="Load new messages and CBS extracts, rebuild every model, run every check.",
)
