"""The parser reads what the XML holds, and refuses what it cannot trust."""

import pytest

from sdw.messages.parse import Quarantine, parse_message
from sdw.pseudonym import passes_elfproef, pseudonymise

KEY = b"test-key"


def parse(path):
    return parse_message(path.read_bytes(), "file", KEY)


def test_wmo301_example_values(shared):
    message = parse(shared / "istandaarden/examples-3.2/WMO301.xml")
    assert message.bericht["standard"] == "iwmo"
    assert message.bericht["release"] == "3.2"
    assert message.bericht["message_type"] == "301"
    assert message.bericht["gemeente_code"] == "0384"
    assert message.bericht["aanbieder_agb"] == "42420001"
    assert message.bericht["bericht_identificatie"] == "123456789012"
    (client,) = message.clients
    assert client[2] == pseudonymise(KEY, "999900006")
    assert client[3:8] == (True, "1967", "08", "1", "9999")
    (product,) = message.products
    assert product[3:12] == (
        "101", "42420002", "01", "01A01", "2023-08-13", "12:34:56", "2023-01-01", "2023-12-31",
        None,
    )  # fmt: skip


def test_jw305_and_jw307_example_values(shared):
    start = parse(shared / "istandaarden/examples-3.2/JW305.xml")
    assert start.bericht["standard"] == "ijw"
    assert start.bericht["aanbieder_agb"] == "65656055"
    assert [p[3:9] for p in start.products] == [
        ("300201", "55", "55A11", "2026-04-01", "2026-04-03", "1"),
        ("300202", "55", "55A12", "2026-04-01", "2026-04-15", "1"),
    ]
    stop = parse(shared / "istandaarden/examples-3.2/JW307.xml")
    assert [(p[3], p[9], p[10]) for p in stop.products] == [
        ("300201", "31", "2026-07-17"),
        ("300202", "31", "2026-07-17"),
    ]


def test_no_personal_data_in_parsed_rows(shared):
    message = parse(shared / "istandaarden/examples-3.2/WMO301.xml")
    text = repr((message.bericht, message.clients, message.products))
    for secret in ("999900006", "Wit", "Jansen", "a@b.com", "0101234567", "Straatweg", "9999XX"):
        assert secret not in text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE"),
        (b"<wmo301:Bericht xmlns:wmo301='http://www.istandaarden.nl/iwmo/3_2/wmo301/schema'>",
         "malformed XML"),
        (b"<Bericht xmlns='urn:other'><Header/></Bericht>", "unknown namespace"),
        (b"", "malformed XML"),
    ],
)  # fmt: skip
def test_untrusted_files_are_quarantined_with_reason(content, reason):
    with pytest.raises(Quarantine, match=reason):
        parse_message(content, "file", KEY)


def test_bericht_code_must_match_namespace(shared):
    data = (shared / "istandaarden/examples-3.2/WMO305.xml").read_bytes()
    with pytest.raises(Quarantine, match="BerichtCode '420' does not match namespace WMO305"):
        parse_message(data.replace(b">418<", b">420<"), "file", KEY)


def test_invalid_bsn_marks_the_record_not_the_file(shared):
    data = (shared / "istandaarden/examples-3.2/WMO305.xml").read_bytes()
    message = parse_message(data.replace(b"999900006", b"999900007"), "file", KEY)
    assert not passes_elfproef("999900007")
    assert message.invalid_bsn_count == 1
    assert message.clients[0][3] is False
    assert len(message.products) == 2
