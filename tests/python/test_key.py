"""One pseudonym key per warehouse: recorded on the first load, any other refused, `sdw rekey`."""

import shutil

from conftest import FIXTURE_MESSAGES
from raw_contents import query, raw_contents

from sdw.cli import main
from sdw.config import DEMO_PSEUDONYM_KEY, settings
from sdw.messages.key import DEMO_FINGERPRINT
from sdw.pseudonym import key_fingerprint, pseudonymise

OWN_KEY = "the gemeente's own secret"


def pseudonyms(config) -> set[str]:
    return {p for (p,) in query(config.warehouse, "select client_pseudonym from raw.clienten")}


def test_another_key_is_refused_until_rekey(warehouse, tmp_path, monkeypatch, capsys):
    assert main(["ingest", "messages", str(FIXTURE_MESSAGES)]) == 0
    assert query(warehouse.warehouse, "select fingerprint from raw.pseudonym_key") == [
        (DEMO_FINGERPRINT,)
    ]
    assert key_fingerprint(DEMO_PSEUDONYM_KEY.encode()) == DEMO_FINGERPRINT
    demo = pseudonymise(DEMO_PSEUDONYM_KEY.encode(), "999990007")
    assert demo in pseudonyms(warehouse)
    capsys.readouterr()
    assert main(["status"]) == 0
    assert f"pseudonym key: fingerprint {DEMO_FINGERPRINT[:12]} (the public demo key)" in (
        capsys.readouterr().out.splitlines()
    )

    # Another key: refused with one line that says how to go on, and nothing written, not
    # even for a file the warehouse has not seen.
    before = raw_contents(warehouse.warehouse)
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(FIXTURE_MESSAGES / "wmo301_a.xml", extra / "new.xml")
    (extra / "new.xml").write_text((extra / "new.xml").read_text().replace("W301A", "W301Z"))
    monkeypatch.setenv("SDW_PSEUDONYM_KEY", OWN_KEY)
    capsys.readouterr()
    assert main(["ingest", "messages", str(FIXTURE_MESSAGES), str(extra)]) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert error[-1].startswith("sdw: error: the warehouse's pseudonyms were made with another key")
    assert "sdw rekey --confirm" in error[-1]
    assert raw_contents(warehouse.warehouse) == before
    assert main(["status"]) == 0
    assert "  the current key differs: loading is refused (see `sdw rekey`)" in (
        capsys.readouterr().out.splitlines()
    )

    # Rekey needs confirming, then forgets the old key's rows; the files load again.
    assert main(["rekey"]) == 1
    assert raw_contents(warehouse.warehouse) == before
    assert main(["rekey", "--confirm"]) == 0
    assert query(warehouse.warehouse, "select count(*) from raw.ingest_files") == [(0,)]
    assert pseudonyms(warehouse) == set()
    assert main(["ingest", "messages", str(FIXTURE_MESSAGES)]) == 0
    own = pseudonymise(OWN_KEY.encode(), "999990007")
    assert own in pseudonyms(warehouse) and demo not in pseudonyms(warehouse)
    assert len(query(warehouse.warehouse, "select * from raw.berichten")) == 9
    capsys.readouterr()
    assert main(["status"]) == 0
    assert f"pseudonym key: fingerprint {key_fingerprint(OWN_KEY.encode())[:12]}" in (
        capsys.readouterr().out.splitlines()
    )

    # And back to no key (the demo key) is just another key.
    monkeypatch.delenv("SDW_PSEUDONYM_KEY")
    assert main(["ingest", "messages", str(FIXTURE_MESSAGES)]) == 1
    assert settings().pseudonym_key is None


def test_rekey_drops_the_incremental_models_built_with_the_old_key(warehouse, monkeypatch):
    from sdw.build import run_dbt

    main(["ingest", "messages", str(FIXTURE_MESSAGES)])
    run_dbt(
        warehouse, "build", "--select", "+fct_declaratieregel", "+fct_zorgperiode",
        "--exclude", "test_type:data",
    )  # fmt: skip
    incremental = {
        name
        for (name,) in query(
            warehouse.warehouse, "select distinct model_naam from cleaned.incrementele_runs"
        )
    }
    assert "cleaned.zorgperioden" in incremental
    monkeypatch.setenv("SDW_PSEUDONYM_KEY", OWN_KEY)
    assert main(["rekey", "--confirm"]) == 0
    tables = {
        f"{schema}.{name}"
        for schema, name in query(
            warehouse.warehouse,
            "select table_schema, table_name from information_schema.tables",
        )
    }
    assert not incremental & tables
    assert query(warehouse.warehouse, "select count(*) from cleaned.incrementele_runs") == [(0,)]
