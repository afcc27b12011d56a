"""The Dagster code location: one graph from message files to marts, checks on what they guard."""

import dagster as dg

from orchestration.definitions import defs
from sdw.quality.catalog import checks


def test_asset_graph_runs_from_raw_through_every_layer():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "raw/berichten",
        "raw/start_producten",
        "staging/stg_istandaarden__start_producten",
        "cleaned/zorgperioden",
        "marts/fct_zorgperiode",
        "raw/dq_check_results",
        "marts/dq_findings",
    } <= keys
    groups = {graph.get(dg.AssetKey(["cleaned", "zorgperioden"])).group_name}
    groups.add(graph.get(dg.AssetKey(["marts", "fct_zorgperiode"])).group_name)
    assert groups == {"cleaned", "marts"}
    # Findings are built after the checks, which run after what they guard.
    upstream = graph.get(dg.AssetKey(["marts", "dq_findings"])).parent_keys
    assert dg.AssetKey(["staging", "stg_kwaliteit__check_results"]) in upstream
    assert (
        dg.AssetKey(["cleaned", "zorgperioden"])
        in graph.get(dg.AssetKey(["raw", "dq_check_results"])).parent_keys
    )


def test_every_gx_rule_is_an_asset_check_on_the_table_it_guards():
    graph = defs.resolve_asset_graph()
    check_keys = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    for check in checks():
        assert (check.table.replace(".", "/"), check.name) in check_keys
    # dbt tests are asset checks too.
    assert ("marts/fct_zorgperiode", "unique_fct_zorgperiode_zorgperiode_id") in check_keys
