"""Every file accounted for, each once; bad files quarantined; real BSNs need a key."""

import hashlib
import io
import os
import shutil
import zipfile

import pytest
from conftest import FIXTURE_MESSAGES
from raw_contents import query, raw_contents

from sdw.cli import main
from sdw.config import settings
from sdw.messages import parallel, standards
from sdw.messages.load import RefusedError, ingest_messages

EXAMPLES = "istandaarden/examples-3.2"
CASUS = "istandaarden/iwmo-2.0-voorbeeldberichten"


def file_statuses(config):
    return dict(
        query(
            config.warehouse, "select regexp_extract(path, '[^/]+$'), status from raw.ingest_files"
        )
    )


def reasons(config):
    return dict(
        query(
            config.warehouse,
            "select regexp_extract(path, '[^/]+$'), reason from raw.ingest_files "
            "where status = 'quarantined'",
        )
    )


def test_fixture_inbox_is_accounted_for(warehouse):
    report = ingest_messages([FIXTURE_MESSAGES], warehouse)
    assert (report.loaded, report.quarantined, report.duplicate) == (9, 2, 0)
    statuses = file_statuses(warehouse)
    assert statuses["truncated.xml"] == statuses["doctype.xml"] == "quarantined"
    assert len(list(warehouse.quarantine_dir.iterdir())) == 2
    assert reasons(warehouse)["doctype.xml"] == (
        "DOCTYPE or entity declaration refused (never resolved)"
    )
    # The re-sent 305 is in raw twice; cleaned keeps it once.
    assert query(
        warehouse.warehouse,
        "select (select count(*) from raw.berichten), (select count(*) from raw.start_producten)",
    ) == [(9, 6)]
    row = query(
        warehouse.warehouse,
        "select file_id, size_bytes, standard, release, message_type, message_count, "
        "client_count, product_count, retour_code_count, invalid_bsn_count, xsd_file "
        "from raw.ingest_files where path like '%/wmo301_a.xml'",
    )
    data = (FIXTURE_MESSAGES / "wmo301_a.xml").read_bytes()
    assert row == [
        (hashlib.sha256(data).hexdigest(), len(data), "iwmo", "3.2", "301", 1, 1, 1, 0, 0, None)
    ]


def test_rerun_adds_nothing_and_a_copy_is_a_duplicate(warehouse, tmp_path):
    ingest_messages([FIXTURE_MESSAGES], warehouse)
    before = raw_contents(warehouse.warehouse)
    again = ingest_messages([FIXTURE_MESSAGES], warehouse)
    assert (again.loaded, again.quarantined, again.duplicate, again.skipped) == (0, 0, 0, 11)
    assert raw_contents(warehouse.warehouse) == before
    copy = tmp_path / "elsewhere" / "copy.xml"
    copy.parent.mkdir()
    shutil.copy(FIXTURE_MESSAGES / "wmo305_a.xml", copy)
    report = ingest_messages([copy], warehouse)
    assert report.duplicate == 1
    assert query(warehouse.warehouse, "select count(*) from raw.berichten") == [(9,)]


def test_files_offered_twice_in_one_run_are_accounted_once(warehouse, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURE_MESSAGES, inbox)
    shutil.copy(FIXTURE_MESSAGES / "wmo305_a.xml", inbox / "wmo305_a_copy.xml")
    report = ingest_messages([inbox, inbox / "wmo305_a.xml", inbox], warehouse)
    assert (report.loaded, report.quarantined, report.duplicate, report.skipped) == (9, 2, 1, 13)
    assert query(
        warehouse.warehouse, "select count(*), count(distinct path) from raw.ingest_files"
    ) == [(12, 12)]


def test_real_bsns_are_refused_without_a_key(warehouse, tmp_path, monkeypatch):
    real_looking = tmp_path / "inbox" / "real.xml"
    real_looking.parent.mkdir()
    # 123456782 passes the elf-proef but lies outside the test range.
    real_looking.write_bytes(
        (FIXTURE_MESSAGES / "wmo305_a.xml").read_bytes().replace(b"999990007", b"123456782")
    )
    with pytest.raises(RefusedError, match="SDW_PSEUDONYM_KEY"):
        ingest_messages([real_looking.parent], warehouse)
    assert query(warehouse.warehouse, "select count(*) from raw.ingest_files") == [(0,)]

    monkeypatch.setenv("SDW_PSEUDONYM_KEY", "a-gemeente-secret")
    assert ingest_messages([real_looking.parent], settings()).loaded == 1


def test_every_shared_example_loads(warehouse, shared, monkeypatch):
    monkeypatch.setenv(
        "SDW_PSEUDONYM_KEY", "a-gemeente-secret"
    )  # the 2.0 casus BSN is not a test BSN
    report = ingest_messages([shared / EXAMPLES, shared / CASUS], settings())
    assert (report.loaded, report.quarantined) == (32, 0)
    counts = dict(
        query(
            warehouse.warehouse,
            "select release || ' ' || message_type, count(*) from raw.berichten group by all",
        )
    )
    assert counts == {
        **{f"3.2 {t}": 1 for t in ("302", "306", "308", "316", "318", "320", "325")},
        **{f"3.2 {t}": 2 for t in ("301", "305", "307", "315", "317", "319", "323")},
        "2.0 301": 5,
        "2.0 305": 4,
        "2.0 307": 1,
        "2.0 315": 1,
    }
    assert query(
        warehouse.warehouse,
        "select count(*), count(distinct file_id) from raw.retour_codes",
    ) == [(22, 6)]  # JW308 comes back without codes


def test_with_xsds_the_two_invalid_examples_are_quarantined(warehouse, shared, monkeypatch):
    monkeypatch.setenv("SDW_XSD_DIR", str(shared / "istandaarden"))
    report = ingest_messages([shared / EXAMPLES], settings())
    assert (report.loaded, report.quarantined) == (19, 2)
    found = reasons(settings())
    assert found.keys() == {"JW315.xml", "JW318.xml"}
    assert found["JW315.xml"].startswith("not valid against JW315.xsd: line 44: ")
    assert found["JW315.xml"].endswith("/ToewijzingEinddatum: value is not a valid LDT_Datum")
    assert "2027-06-31" not in found["JW315.xml"]  # reasons never quote a value
    assert found["JW318.xml"].startswith(
        "not valid against JW318.xsd: line 33: Bericht/Client/Verzoek/RetourCode: element not "
        "expected here"
    )
    assert query(
        warehouse.warehouse,
        "select count(*) from raw.ingest_files where status = 'loaded' and xsd_file is null",
    ) == [(0,)]
    assert main(["status"]) == 0


def test_the_file_name_says_nothing(warehouse, shared, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(shared / EXAMPLES / "WMO307.xml", inbox / "WMO301.xml")
    shutil.copy(shared / EXAMPLES / "WMO301.xml", inbox / "stop.txt")
    ingest_messages([inbox], warehouse)
    assert sorted(
        query(
            warehouse.warehouse,
            "select regexp_extract(path, '[^/]+$'), message_type from raw.ingest_files",
        )
    ) == [("WMO301.xml", "307"), ("stop.txt", "301")]


def _zip(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_members_are_files_of_their_own(warehouse, shared, tmp_path):
    examples = shared / EXAMPLES
    archive = _zip(
        tmp_path / "archive.zip",
        {
            "2026/04/JW301.xml": (examples / "JW301.xml").read_bytes(),
            "2026/04/JW302.xml": (examples / "JW302.xml").read_bytes(),
            "readme.txt": b"not a message",
            "copy/JW301.xml": (examples / "JW301.xml").read_bytes(),
        },
    )
    report = ingest_messages([archive], warehouse)
    assert (report.loaded, report.quarantined, report.duplicate) == (2, 1, 1)
    base = os.path.realpath(archive)
    assert sorted(query(warehouse.warehouse, "select path, status from raw.ingest_files")) == [
        (f"{base}!2026/04/JW301.xml", "loaded"),
        (f"{base}!2026/04/JW302.xml", "loaded"),
        (f"{base}!copy/JW301.xml", "duplicate"),
        (f"{base}!readme.txt", "quarantined"),
    ]
    assert (warehouse.quarantine_dir / next(warehouse.quarantine_dir.iterdir()).name).name.endswith(
        "-readme.txt"
    )
    again = ingest_messages([archive], warehouse)
    assert (again.loaded, again.quarantined, again.duplicate, again.skipped) == (0, 0, 0, 4)


def test_zip_bombs_and_broken_archives_are_quarantined_unread(warehouse, shared, tmp_path):
    valid = (shared / EXAMPLES / "WMO305.xml").read_bytes()
    inner = io.BytesIO()
    _zip(inner, {"WMO305.xml": valid})
    bomb = _zip(
        tmp_path / "bomb.zip",
        {
            "a.xml": valid,
            "bomb.xml": b"<x>" + b" " * 50_000_000 + b"</x>",
            "inner.zip": inner.getvalue(),
        },
    )
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    report = ingest_messages([bomb, broken], warehouse)
    assert (report.loaded, report.quarantined) == (1, 3)
    found = reasons(warehouse)
    assert found["bomb.zip!bomb.xml"].startswith("zip member compressed ")
    assert found["bomb.zip!bomb.xml"].endswith(":1, beyond 200:1 (zip bomb)")
    assert found["bomb.zip!inner.zip"] == "zip archive inside an archive: not unpacked"
    assert found["broken.zip"].startswith("corrupt zip archive: ")
    # Nothing refused unread is copied to the quarantine folder.
    assert [p.name.split("-", 1)[1] for p in warehouse.quarantine_dir.iterdir()] == ["inner.zip"]


def test_files_over_the_size_limit_are_refused_unread(warehouse, shared, tmp_path, monkeypatch):
    monkeypatch.setenv("SDW_MAX_FILE_MB", "0.01")  # 10 KiB
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(shared / EXAMPLES / "WMO305.xml", inbox)
    (inbox / "big.xml").write_bytes(b"<x>" + b"y" * 20_000 + b"</x>")
    _zip(inbox / "big.zip", {"big.xml": os.urandom(20_000)}, zipfile.ZIP_STORED)
    report = ingest_messages([inbox], settings())
    assert (report.loaded, report.quarantined) == (1, 2)
    assert reasons(settings()) == {
        "big.xml": "file is 20,007 bytes, over the limit of 10,485 (SDW_MAX_FILE_MB)",
        "big.zip!big.xml": "zip member unpacks to 20,000 bytes, over the limit of 10,485 "
        "(SDW_MAX_FILE_MB)",
    }


def test_quarantined_files_are_retried_and_replaced_once_supported(
    warehouse, shared, tmp_path, monkeypatch
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("JW305.xml", "WMO305.xml"):
        shutil.copy(shared / EXAMPLES / name, inbox)
    shutil.copy(FIXTURE_MESSAGES / "truncated.xml", inbox)
    monkeypatch.delitem(standards.SUPPORTED_RELEASES, ("ijw", "3.2"))
    first = ingest_messages([inbox], warehouse)
    assert (first.loaded, first.quarantined) == (1, 2)
    assert reasons(warehouse)["JW305.xml"] == "JW305 release 3.2 is not supported yet"
    truncated_at = query(
        warehouse.warehouse,
        "select loaded_at from raw.ingest_files where path like '%truncated.xml'",
    )

    monkeypatch.undo()
    second = ingest_messages([inbox], warehouse)
    assert (second.loaded, second.quarantined, second.skipped) == (1, 0, 2)
    assert sorted(
        query(
            warehouse.warehouse,
            "select regexp_extract(path, '[^/]+$'), status from raw.ingest_files",
        )
    ) == [("JW305.xml", "loaded"), ("WMO305.xml", "loaded"), ("truncated.xml", "quarantined")]
    # Still quarantined for the same reason: its row is left as it was.
    assert (
        query(
            warehouse.warehouse,
            "select loaded_at from raw.ingest_files where path like '%truncated.xml'",
        )
        == truncated_at
    )
    assert query(warehouse.warehouse, "select count(*) from raw.start_producten") == [(4,)]
    before = raw_contents(warehouse.warehouse)
    third = ingest_messages([inbox], warehouse)
    assert (third.loaded, third.quarantined, third.skipped) == (0, 0, 3)
    assert raw_contents(warehouse.warehouse) == before


def test_parsing_in_worker_processes_gives_the_same_warehouse(
    warehouse, shared, tmp_path, monkeypatch
):
    inputs = [FIXTURE_MESSAGES, shared / EXAMPLES]
    ingest_messages(inputs, warehouse, workers=0)
    in_process = raw_contents(warehouse.warehouse)

    monkeypatch.setenv("SDW_WAREHOUSE", str(tmp_path / "pool.duckdb"))
    monkeypatch.setattr(parallel, "POOL_AFTER_FILES", 0)
    ingest_messages(inputs, settings(), workers=2)
    assert raw_contents(settings().warehouse) == in_process


def test_progress_shows_files_and_messages_per_second(warehouse, capsys, monkeypatch):
    from sdw.messages import load

    monkeypatch.setattr(load, "BATCH_FILES", 2)
    monkeypatch.setattr(load, "PROGRESS_SECONDS", 0.0)
    assert main(["ingest", "messages", str(FIXTURE_MESSAGES)]) == 0
    progress = [line for line in capsys.readouterr().err.splitlines() if "messages/s" in line]
    assert progress
    assert " files, " in progress[0] and "product lines/s" in progress[0]
