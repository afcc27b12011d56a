"""Every file accounted for, each once; bad files quarantined; real BSNs need a key."""

import shutil

import duckdb
import pytest
from conftest import FIXTURE_MESSAGES

from sdw.config import settings
from sdw.messages.load import RefusedError, ingest_messages


def file_statuses(config):
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return dict(
            con.execute(
                "select regexp_extract(path, '[^/]+$'), status from raw.ingest_files"
            ).fetchall()
        )


def test_fixture_inbox_is_accounted_for(warehouse):
    report = ingest_messages([FIXTURE_MESSAGES], warehouse)
    assert (report.loaded, report.quarantined, report.duplicate) == (9, 2, 0)
    statuses = file_statuses(warehouse)
    assert statuses["truncated.xml"] == statuses["doctype.xml"] == "quarantined"
    assert (warehouse.quarantine_dir).is_dir()
    assert len(list(warehouse.quarantine_dir.iterdir())) == 2
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        reason = con.execute(
            "select reason from raw.ingest_files where path like '%doctype.xml'"
        ).fetchone()[0]
        counts = con.execute(
            "select (select count(*) from raw.berichten), "
            "(select count(*) from raw.start_producten)"
        ).fetchone()
    assert reason == "DOCTYPE or entity declaration refused (never resolved)"
    assert counts == (9, 6)  # the re-sent 305 is in raw twice; cleaned keeps it once


def test_rerun_adds_nothing_and_a_copy_is_a_duplicate(warehouse, tmp_path):
    ingest_messages([FIXTURE_MESSAGES], warehouse)
    again = ingest_messages([FIXTURE_MESSAGES], warehouse)
    assert (again.loaded, again.quarantined, again.duplicate, again.skipped) == (0, 0, 0, 11)
    copy = tmp_path / "elsewhere" / "copy.xml"
    copy.parent.mkdir()
    shutil.copy(FIXTURE_MESSAGES / "wmo305_a.xml", copy)
    report = ingest_messages([copy], warehouse)
    assert report.duplicate == 1
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.berichten").fetchone()[0] == 9


def test_real_bsns_are_refused_without_a_key(warehouse, tmp_path, monkeypatch):
    real_looking = tmp_path / "inbox" / "real.xml"
    real_looking.parent.mkdir()
    # 123456782 passes the elf-proef but lies outside the test range.
    real_looking.write_bytes(
        (FIXTURE_MESSAGES / "wmo305_a.xml").read_bytes().replace(b"999990007", b"123456782")
    )
    with pytest.raises(RefusedError, match="SDW_PSEUDONYM_KEY"):
        ingest_messages([real_looking.parent], warehouse)
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.ingest_files").fetchone()[0] == 0

    monkeypatch.setenv("SDW_PSEUDONYM_KEY", "a-gemeente-secret")
    assert ingest_messages([real_looking.parent], settings()).loaded == 1
