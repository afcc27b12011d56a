"""The Dagster code location: one graph from files to marts, checks, jobs, sensor, schedule."""

import itertools
import logging
import shutil
from types import SimpleNamespace

import dagster as dg
import pytest
from conftest import FIXTURE_MESSAGES

from orchestration.dbt import failure_summary
from orchestration.definitions import defs
from orchestration.ingest import retrying_io
from orchestration.sensors import inbox_sensor
from sdw.build import DBT_PROJECT, STEPS
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


def test_dagster_runs_the_steps_of_sdw_build_in_its_order():
    graph = defs.resolve_asset_graph()
    step_of = {key: node.node_def.name for node in defs.assets for key in node.keys}
    names = [step.name for step in STEPS]
    # The other steps each step's assets read from directly.
    reads = {name: set() for name in names}
    for key, name in step_of.items():
        if name in reads:
            parents = {step_of[parent] for parent in graph.get(key).parent_keys}
            reads[name] |= parents & set(names) - {name}
    # Each step reads what the step before it made, and nothing a later step makes: a chain,
    # so Dagster has one order for them, the build module's.
    for before, step in itertools.pairwise(names):
        assert before in reads[step], f"{step} does not wait for {before}"
    for position, step in enumerate(names):
        assert not reads[step] & set(names[position + 1 :]), f"{step} reads a later step"
    # The two dbt steps together build every model of the project.
    dbt_keys = {key for key, name in step_of.items() if name in (names[0], names[2])}
    models = {key for key in graph.get_all_asset_keys() if key.path[0] in ("staging", "cleaned")}
    assert models and models <= dbt_keys


def test_dagster_dev_parses_the_project_where_dagster_reads_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_IS_DEV_CLI", "1")  # what `dagster dev` sets
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "elsewhere"))
    before = DBT_PROJECT.manifest_path.stat().st_mtime_ns
    DBT_PROJECT.prepare_if_dev()
    assert DBT_PROJECT.manifest_path.stat().st_mtime_ns > before
    assert not (tmp_path / "elsewhere").exists()
    # Outside `dagster dev` the manifest is prepared beforehand (sdw run, make parse).
    monkeypatch.delenv("DAGSTER_IS_DEV_CLI")
    before = DBT_PROJECT.manifest_path.stat().st_mtime_ns
    DBT_PROJECT.prepare_if_dev()
    assert DBT_PROJECT.manifest_path.stat().st_mtime_ns == before


def test_every_gx_rule_is_an_asset_check_on_the_table_it_guards():
    graph = defs.resolve_asset_graph()
    check_keys = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    for check in checks():
        assert (check.table.replace(".", "/"), check.name) in check_keys
    # dbt tests are asset checks too.
    assert ("marts/fct_zorgperiode", "unique_fct_zorgperiode_zorgperiode_id") in check_keys


def test_sensor_starts_one_run_for_new_files_and_none_for_seen_ones(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("SDW_INBOX", str(inbox))
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        assert isinstance(inbox_sensor(context), dg.SkipReason)

        for name in ("a.xml", "b.xml"):
            shutil.copy(FIXTURE_MESSAGES / "wmo305_a.xml", inbox / name)
        first = inbox_sensor(context)
        assert isinstance(first, dg.RunRequest)
        assert first.tags["sdw/new_files"] == "2"

        # Evaluated again with the cursor it left: the same files start nothing.
        context = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        assert isinstance(inbox_sensor(context), dg.SkipReason)

        shutil.copy(FIXTURE_MESSAGES / "jw305_a.xml", inbox / "c.xml")
        second = inbox_sensor(context)
        assert isinstance(second, dg.RunRequest)
        assert second.tags["sdw/new_files"] == "1"
        assert second.run_key != first.run_key


def test_jobs_and_schedule():
    assert defs.resolve_job_def("inbox_job").name == "inbox_job"
    (schedule,) = defs.schedules
    assert schedule.job_name == "full_refresh_job"


def test_file_system_errors_are_retried_with_backoff_and_others_are_not():
    # The two things retrying_io reads from the asset context of a first attempt.
    context = SimpleNamespace(retry_number=0, log=logging.getLogger("test"))

    def unreachable_share():
        raise PermissionError("share not mounted")

    with pytest.raises(dg.RetryRequested) as retry:
        retrying_io(context, unreachable_share)
    assert (retry.value.max_retries, retry.value.seconds_to_wait) == (3, 5)
    with pytest.raises(KeyError):
        retrying_io(context, lambda: {}["bug"])


def test_a_failed_dbt_build_names_the_models_and_why():
    run_results = {
        "results": [
            {"unique_id": "model.sociaal_domein.zorgstarts", "status": "success", "message": "OK"},
            {
                "unique_id": "test.sociaal_domein.not_null_fct_zorgperiode_begindatum.1a",
                "status": "fail",
                "message": "Got 1 result, configured to fail if != 0",
            },
            {"unique_id": "model.sociaal_domein.zorgperioden", "status": "error", "message": None},
        ]
    }
    assert failure_summary(run_results) == (
        "dbt build failed: test.sociaal_domein.not_null_fct_zorgperiode_begindatum.1a: "
        "Got 1 result, configured to fail if != 0; model.sociaal_domein.zorgperioden: error"
    )
