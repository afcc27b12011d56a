"""Messages in transport envelopes (VECOZO berichtuitwisseling, StUF koppelvlak GGk-gemeente):
unwrapped by namespace, each message an input of its own, its header held to the routing."""

import base64
import io
import shutil
import zipfile

import pytest
from conftest import FIXTURE_MESSAGES, PROJECT_DIR
from raw_contents import query

from sdw.messages.load import ingest_messages

ENVELOPES = PROJECT_DIR / "tests" / "fixtures" / "envelopes"


def ledger(config):
    return query(
        config.warehouse,
        "select regexp_extract(path, '[^/]+$'), status, reason, standard, release, message_type "
        "from raw.ingest_files order by 1",
    )


def test_envelopes_unwrap_into_messages_and_routing_is_checked(warehouse):
    report = ingest_messages([ENVELOPES], warehouse)
    assert (report.loaded, report.quarantined, report.duplicate) == (3, 1, 0)
    assert ledger(warehouse) == [
        ("stuf_wmo305.xml!Data", "loaded", None, "iwmo", "3.2", "305"),
        ("vecozo_jw301.xml!Data!3f2c9a10-5b1e-4c7d-9e8f-000000000301.xml",
         "loaded", None, "ijw", "3.2", "301"),
        ("vecozo_jw305_a.xml!Data!3f2c9a10-5b1e-4c7d-9e8f-000000000305.xml",
         "loaded", None, "ijw", "3.2", "305"),
        ("vecozo_routing_mismatch.xml!Data!3f2c9a10-5b1e-4c7d-9e8f-000000000307.xml",
         "quarantined",
         "VECOZO envelope routing contradicts the message header: message type, sender differ",
         "ijw", "3.2", "307"),
    ]  # fmt: skip
    assert query(
        warehouse.warehouse,
        "select bericht_identificatie, afzender, ontvanger from raw.berichten order by 1",
    ) == [("J301E", "0999", "87654321"), ("J305A", "87654321", "0999"),
          ("W305E", "12345678", "0999")]  # fmt: skip
    # Rerun: every message accounted for, nothing new.
    again = ingest_messages([ENVELOPES], warehouse)
    assert (again.loaded, again.quarantined, again.duplicate, again.skipped) == (0, 0, 0, 4)


def test_a_message_in_an_envelope_and_bare_is_one_message(warehouse, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURE_MESSAGES / "jw305_a.xml", inbox / "jw305_a.xml")
    shutil.copy(ENVELOPES / "vecozo_jw305_a.xml", inbox / "vecozo_jw305_a.xml")
    report = ingest_messages([inbox], warehouse)
    assert (report.loaded, report.duplicate) == (1, 1)
    assert query(warehouse.warehouse, "select count(*) from raw.berichten") == [(1,)]


def _vecozo(data: bytes) -> bytes:
    template = (ENVELOPES / "vecozo_jw301.xml").read_bytes()
    start, end = template.index(b"<ns1:Data>") + 10, template.index(b"</ns1:Data>")
    return template[:start] + data + template[end:]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not base64!", "VECOZO envelope: message is not valid base64"),
        (b"", "VECOZO envelope: message is empty"),
        (
            base64.b64encode(_zip({"a.xml": b"<" * (4 << 20)})),
            "zip member compressed",  # a bomb in the Data is refused as in any archive
        ),
        (base64.b64encode(_zip({"a.zip": _zip({"b.xml": b"x"})})), "zip archive inside"),
    ],
)
def test_a_broken_envelope_is_quarantined_with_its_reason(warehouse, tmp_path, content, reason):
    path = tmp_path / "envelope.xml"
    path.write_bytes(_vecozo(content))
    ingest_messages([path], warehouse)
    [(_, status, found, *_)] = ledger(warehouse)
    assert status == "quarantined"
    assert found.startswith(reason), found


def test_the_envelope_itself_is_held_to_the_dtd_rule(warehouse, tmp_path):
    path = tmp_path / "envelope.xml"
    text = (ENVELOPES / "stuf_wmo305.xml").read_bytes()
    path.write_bytes(text.replace(b"?>\n", b'?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n', 1))
    ingest_messages([path], warehouse)
    assert ledger(warehouse) == [
        ("envelope.xml", "quarantined", "DOCTYPE or entity declaration refused (never resolved)",
         None, None, None)
    ]  # fmt: skip


def test_a_stuf_text_file_and_an_unknown_soap_body_are_quarantined(warehouse, tmp_path):
    stuf = (ENVELOPES / "stuf_wmo305.xml").read_text()
    start = stuf.index("<GGK:xmlBestand>")
    end = stuf.index("</GGK:xmlBestand>") + len("</GGK:xmlBestand>")
    (tmp_path / "tekst.xml").write_text(
        stuf[:start] + "<GGK:tekstBestand>eA==</GGK:tekstBestand>" + stuf[end:]
    )
    (tmp_path / "soap.xml").write_text(
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        '<x:Other xmlns:x="urn:other"/></s:Body></s:Envelope>'
    )
    ingest_messages([tmp_path / "tekst.xml", tmp_path / "soap.xml"], warehouse)
    assert [(name, reason) for name, _, reason, *_ in ledger(warehouse)] == [
        ("soap.xml", "SOAP envelope holds no VECOZO or StUF iWmo/iJw message"),
        ("tekst.xml", "StUF envelope holds a text file (tekstBestand), not an iWmo/iJw message"),
    ]
