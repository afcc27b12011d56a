"""Keep the GX project's plumbing in step with its suites.

The suites (expectations/gx/expectations/*.json) are where rules are written. Each suite names
the table it guards and the columns a finding reports; from that follow a dataframe asset, a
validation definition and a checkpoint per suite, which this module writes (`make gx-sync`), so
adding a rule never means editing four files by hand.
"""

from __future__ import annotations

import great_expectations as gx

from sdw.quality.runner import gx_context

DATASOURCE = "warehouse"
BATCH = "whole"


def sync(context) -> list[str]:
    """Create or update every suite's asset, validation definition and checkpoint."""
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except KeyError:
        datasource = context.data_sources.add_pandas(DATASOURCE)
    suites = sorted(context.suites.all(), key=lambda suite: suite.name)
    names = {suite.name for suite in suites}
    for checkpoint in context.checkpoints.all():
        if checkpoint.name not in names:
            context.checkpoints.delete(checkpoint.name)
    for definition in context.validation_definitions.all():
        if definition.name not in names:
            context.validation_definitions.delete(definition.name)
    for asset in list(datasource.assets):
        if asset.name not in names:
            datasource.delete_asset(asset.name)
    for suite in suites:
        try:
            asset = datasource.get_asset(suite.name)
        except LookupError:
            asset = datasource.add_dataframe_asset(suite.name)
        try:
            batch = asset.get_batch_definition(BATCH)
        except KeyError:
            batch = asset.add_batch_definition_whole_dataframe(BATCH)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
        )
        context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=suite.name,
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
                # Counts and the first values: the runner selects the findings itself (GX
                # would look up the columns of every unexpected row one at a time).
                result_format={"result_format": "SUMMARY"},
            )
        )
    return sorted(names)


if __name__ == "__main__":
    from sdw.config import settings

    print("in sync:", ", ".join(sync(gx_context(settings()))))
