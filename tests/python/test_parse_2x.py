"""iWmo 2.0 (historic archives): the official casus messages, values read from the XML by hand.

2.0 differs from 3.x in structure, not in meaning: a Berichtspecificatie header, several clients
under Clienten, a Beschikking around the toegewezen producten (no ToewijzingNummer yet) and a
client-level StatusAanlevering in 305/307/315.
"""

import pytest
from message_rows import KEY, parse, rows

from sdw.pseudonym import pseudonymise

CASUS = "istandaarden/iwmo-2.0-voorbeeldberichten"


@pytest.fixture
def casus(shared):
    return lambda name: parse(shared / CASUS / f"{name}.xml")


def test_301_toewijzing_with_its_beschikking(casus):
    message = casus("CasusA-02-WMO301_toewijzing")
    assert (message.kind.standard, message.kind.release, message.kind.message_type) == (
        "iwmo",
        "2.0",
        "301",
    )
    bericht = message.bericht
    assert (bericht["bericht_code"], bericht["gemeente_code"], bericht["aanbieder_agb"]) == (
        "414",
        "0384",
        "98025566",
    )
    assert (bericht["bericht_identificatie"], bericht["dagtekening"]) == (
        "1d8d1f0852bf",
        "2016-02-20",
    )
    # BSN 123456782 lies outside the test range: loading it needs a key of one's own.
    assert not message.only_test_bsns
    assert rows(message, "clienten") == [
        {
            "file_id": "CasusA-02-WMO301_toewijzing.xml",
            "client_seq": 1,
            "client_pseudonym": pseudonymise(KEY, "123456782"),
            "bsn_valid": True,
            "geboortejaar": "1985",
            "geboortemaand": "01",
            "geslacht": "1",
            "postcode4": "1234",
        }
    ]
    assert rows(
        message, "beschikkingen", "beschikkingnummer", "afgiftedatum", "ingangsdatum", "einddatum"
    ) == [("425386123", "2016-02-15", "2016-02-15", "2016-12-31")]
    assert rows(
        message,
        "beschikte_producten",
        "beschikkingnummer", "product_categorie", "product_code", "volume", "eenheid",
        "frequentie",
    ) == [("425386123", "07", "07A03", "6", "04", "2")]  # fmt: skip
    assert rows(message, "toegewezen_producten") == [
        {
            "file_id": "CasusA-02-WMO301_toewijzing.xml",
            "client_seq": 1,
            "record_seq": 1,
            "beschikkingnummer": "425386123",
            "product_categorie": "07",
            "product_code": "07A03",
            "aanbieder": "98025566",
            "toewijzingsdatum": "2016-02-20",
            "toewijzingstijd": "14:23:26",
            "ingangsdatum": "2016-02-15",
            "einddatum": "2016-12-31",
            "volume": "6",
            "eenheid": "04",
            "frequentie": "2",
        }
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CasusA-04-WMO301_intrekking", ("2016-11-08", "2016-02-15", "2016-11-07", "4", "6")),
        ("CasusC-01-WMO301_intrekking", ("2016-10-10", "2016-02-15", "2016-10-09", "3", "6")),
        ("CasusC-02-WMO301_herindicatie", ("2016-10-10", "2016-10-10", "2016-12-31", None, "12")),
        ("CasusB-01-WMO301_toewijzing", ("2016-03-07", "2016-03-07", "2016-12-31", None, "22500")),
    ],
)
def test_301_intrekking_and_herindicatie(casus, name, expected):
    assert rows(
        casus(name),
        "toegewezen_producten",
        "toewijzingsdatum", "ingangsdatum", "einddatum", "reden_intrekking", "volume",
    ) == [expected]  # fmt: skip


def test_305_start(casus):
    message = casus("CasusB-02-WMO305_start")
    assert (message.bericht["afzender"], message.bericht["ontvanger"]) == ("98026987", "0384")
    assert rows(message, "clienten", "geboortejaar", "geslacht", "status_aanlevering") == [
        ("1985", "2", "1")
    ]
    assert rows(message, "start_producten") == [
        {
            "file_id": "CasusB-02-WMO305_start.xml",
            "client_seq": 1,
            "record_seq": 1,
            "beschikkingnummer": "658721123",
            "product_categorie": "01",
            "product_code": "01A01",
            "toewijzing_ingangsdatum": "2016-03-07",
            "begindatum": "2016-03-10",
            "aanbieder": "98026987",
            "volume": "22500",
            "eenheid": "83",
            "frequentie": "4",
            "status_aanlevering": "1",
        }
    ]


def test_305_correction_deletes_and_resends_in_one_message(casus):
    message = casus("CasusE-01-WMO305_correctie")
    assert rows(message, "clienten", "status_aanlevering") == [("1",)]
    assert rows(message, "start_producten", "begindatum", "status_aanlevering") == [
        ("2016-03-10", "3"),
        ("2016-03-21", "1"),
    ]


def test_305_deletion_and_new_delivery(casus):
    deleted = casus("CasusF-01-WMO305_verwijderen")
    assert rows(deleted, "clienten", "status_aanlevering") == [("9",)]
    assert rows(deleted, "start_producten", "begindatum", "volume", "status_aanlevering") == [
        ("2016-03-10", "22500", "3")
    ]
    again = casus("CasusF-02-WMO305_nieuweaanlevering")
    assert rows(again, "clienten", "status_aanlevering") == [("1",)]
    assert rows(again, "start_producten", "begindatum", "volume", "status_aanlevering") == [
        ("2016-03-10", "15000", "1")
    ]


def test_307_stop(casus):
    assert rows(
        casus("CasusB-04-WMO307_stop"),
        "stop_producten",
        "beschikkingnummer", "product_code", "begindatum", "reden_beeindiging", "einddatum",
        "status_aanlevering",
    ) == [("658721123", "01A01", "2016-03-10", "02", "2016-10-02", "1")]  # fmt: skip


def test_315_verzoek(casus):
    message = casus("CasusA-01-WMO315_verzoek")
    assert (message.bericht["gemeente_code"], message.bericht["aanbieder_agb"]) == (
        "0384",
        "98025566",
    )
    assert rows(message, "aangevraagde_producten") == [
        {
            "file_id": "CasusA-01-WMO315_verzoek.xml",
            "client_seq": 1,
            "record_seq": 1,
            "beschikkingnummer": "425386123",
            "product_categorie": "07",
            "product_code": "07A03",
            "ingangsdatum": "2016-02-15",
            "begindatum": "2016-02-15",
            "aanbieder": "98025566",
            "volume": "6",
            "eenheid": "04",
            "frequentie": "2",
            "status_aanlevering": "1",
            "verwijzer_type": "01",
            "raamcontract": "2",
        }
    ]


def test_clientnummer_names_and_addresses_are_not_read(shared):
    for path in sorted((shared / CASUS).glob("*.xml")):
        text = repr(parse(path).rows)
        for secret in ("123456782", "Gaastra", "Mistral", "Castricum", "Eekholt", "Diemen",
                       "email.nl", "0201234567", "1234AB", "1414EB"):  # fmt: skip
            assert secret not in text, (path.name, secret)
