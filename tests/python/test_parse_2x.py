"""iWmo 2.0 and iWmo/iJw 2.3 (historic archives), values read from the XML by hand.

iWmo 2.0: the official casus messages.

2.0 differs from 3.x in structure, not in meaning: a Berichtspecificatie header, several clients
under Clienten, a Beschikking around the toegewezen producten (no ToewijzingNummer yet) and a
client-level StatusAanlevering in 305/307/315.
"""

import re

import pytest
from conftest import PROJECT_DIR
from message_rows import KEY, parse, rows

from sdw.messages.parse import Quarantine, parse_message
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


# iWmo and iJw 2.3: fixtures built from the published 2.3 XSDs (tests/fixtures/historic), which
# they validate against. The 3.x header, a Beschikking around the toegewezen producten of a 301,
# BeschikkingNummer beside the ToewijzingNummer in 305 and 307.
HISTORIC = PROJECT_DIR / "tests" / "fixtures" / "historic"


def historic(name):
    return parse(HISTORIC / name)


@pytest.mark.parametrize(
    ("name", "dagtekening", "product"),
    [
        ("wmo301_23.xml", "2019-01-10", ("880001", "5201", "02A05", "2019-01-14", "3")),
        ("jw301_23.xml", "2019-02-07", ("770001", "7201", "45A48", "2019-02-11", "4")),
    ],
)
def test_23_toewijzing_inside_its_beschikking(name, dagtekening, product):
    message = historic(name)
    standard = "iwmo" if name.startswith("wmo") else "ijw"
    assert (message.kind.standard, message.kind.release, message.kind.message_type) == (
        standard,
        "2.3",
        "301",
    )
    assert (message.bericht["gemeente_code"], message.bericht["dagtekening"]) == (
        "0999",
        dagtekening,
    )
    assert rows(message, "clienten", "geboortejaar", "postcode4", "status_aanlevering") == [
        ("1950", "9993", None)
    ]
    assert rows(
        message, "toegewezen_producten",
        "beschikkingnummer", "toewijzing_nummer", "product_code", "ingangsdatum", "volume",
    ) == [product]  # fmt: skip
    assert rows(message, "beschikkingen", "beschikkingnummer") == [(product[0],)]


def test_23_start_stop_verzoek_and_retour():
    start = historic("wmo305_23.xml")
    assert rows(start, "clienten", "status_aanlevering") == [("1",)]
    assert rows(
        start, "start_producten", "beschikkingnummer", "toewijzing_nummer", "begindatum"
    ) == [("880001", "5201", "2019-01-15")]
    assert rows(
        historic("jw307_23.xml"), "stop_producten",
        "toewijzing_nummer", "reden_beeindiging", "einddatum",
    ) == [("7201", "31", "2019-08-10")]  # fmt: skip
    verzoek = historic("jw315_23.xml")
    assert rows(verzoek, "clienten", "gezagsdrager_bekend") == [("1",)]
    assert rows(verzoek, "aangevraagde_producten", "product_code", "verwijzer_type") == [
        ("45A48", "01")
    ]
    retour = historic("wmo302_23.xml")
    assert (retour.kind.message_type, retour.bericht["identificatie_retour"]) == ("302", "H302W")


# The 2.3 declaratie/factuur (303) and its retour (304): the 323's tables. The header names
# Gemeente and Aanbieder and holds the declaratie (number, period, totals); the amounts of a
# prestatie sit in IngediendeBedragPrestatie; a 304 repeats the prestaties with the amount
# toegekend to each, and points to its 303 as a 325 to its 323.
@pytest.mark.parametrize(
    ("name", "header", "declaratie", "prestaties"),
    [
        (
            "wmo303_23.xml",
            ("iwmo", "416", "12345678", "0999", "0999", "12345678", "F2019001", "2019-02-05"),
            ("F2019001", "23600", "D", "2019-01-01", "2019-01-31", "2019-02-05"),
            [
                ("880001", "5201", "02", "02A05", "2019-01-15", "2019-01-31", "6", "04", "2950",
                 "17700", "D", "R23W1"),
                ("880001", "5201", "02", "02A05", "2019-01-15", "2019-01-31", "2", "04", "2950",
                 "5900", "D", "R23W2"),
            ],
        ),
        (
            "jw303_23.xml",  # BerichtCode 450: a factuur, not a declaratie (432)
            ("ijw", "450", "87654321", "0999", "0999", "87654321", "J2019002", "2019-03-04"),
            ("J2019002", "64000", "D", "2019-02-01", "2019-02-28", "2019-03-04"),
            [
                ("770001", "7201", "45", "45A48", "2019-02-11", "2019-02-28", "10", "04", "6400",
                 "64000", "D", "R23J1"),
            ],
        ),
    ],
)  # fmt: skip
def test_23_declaratie_or_factuur_lands_in_the_323_tables(name, header, declaratie, prestaties):
    message = historic(name)
    assert (message.kind.release, message.kind.message_type) == ("2.3", "303")
    bericht = message.bericht
    assert (
        message.kind.standard, bericht["bericht_code"], bericht["afzender"], bericht["ontvanger"],
        bericht["gemeente_code"], bericht["aanbieder_agb"], bericht["bericht_identificatie"],
        bericht["dagtekening"],
    ) == header  # fmt: skip
    assert message.only_test_bsns
    assert rows(message, "clienten", "geboortejaar", "postcode4") == [
        ({"iwmo": "1950", "ijw": "2009"}[header[0]], None)
    ]
    assert rows(
        message, "declaraties",
        "declaratie_nummer", "totaal_ingediend_bedrag", "totaal_ingediend_debet_credit",
        "declaratie_begindatum", "declaratie_einddatum", "declaratie_dagtekening",
    ) == [declaratie]  # fmt: skip
    assert rows(
        message, "prestaties",
        "beschikkingnummer", "toewijzing_nummer", "product_categorie", "product_code",
        "product_begindatum", "product_einddatum", "geleverd_volume", "eenheid",
        "product_tarief", "ingediend_bedrag", "ingediend_debet_credit", "referentie_nummer",
    ) == prestaties  # fmt: skip
    assert message.product_count == len(prestaties)
    assert rows(message, "retour_codes") == []


def test_23_retour_declaratie_points_to_its_303_with_the_toegekend_amounts():
    retour = historic("wmo304_23.xml")
    assert (retour.kind.message_type, retour.bericht["bericht_code"]) == ("304", "417")
    bericht = retour.bericht
    assert (bericht["afzender"], bericht["ontvanger"], bericht["gemeente_code"]) == (
        "0999", "12345678", "0999",
    )  # fmt: skip
    assert (
        bericht["bericht_identificatie"], bericht["dagtekening"],
        bericht["declaratie_identificatie"], bericht["declaratie_dagtekening"],
    ) == ("G23W304", "2019-02-12", "F2019001", "2019-02-05")  # fmt: skip
    assert rows(
        retour, "declaraties",
        "declaratie_nummer", "totaal_ingediend_bedrag", "totaal_toegekend_bedrag",
        "totaal_toegekend_debet_credit",
    ) == [("F2019001", "23600", "17700", "D")]  # fmt: skip
    assert rows(
        retour, "prestaties", "referentie_nummer", "ingediend_bedrag", "toegekend_bedrag"
    ) == [("R23W1", "17700", "17700"), ("R23W2", "5900", "0")]
    # The header's codes once, at the header; each prestatie's with its row.
    assert rows(retour, "retour_codes", "level", "record_table", "record_seq", "retour_code") == [
        ("Header", "berichten", None, "0200"),
        ("Prestatie", "prestaties", 1, "0200"),
        ("Prestatie", "prestaties", 2, "8001"),
    ]
    assert historic("jw304_23.xml").bericht["declaratie_identificatie"] == "J2019002"


def test_23_declaratie_with_the_bericht_code_of_another_type_is_quarantined():
    data = (HISTORIC / "wmo303_23.xml").read_bytes().replace(b">416<", b">414<")
    with pytest.raises(
        Quarantine,
        match=re.escape("BerichtCode '414' does not match namespace WMO303 (expected 416|448)"),
    ):
        parse_message(data, "file", KEY)


_ISTANDAARDEN = "http://www.istandaarden.nl"


@pytest.mark.parametrize(
    ("namespace", "reason"),
    [
        ("iwmo/2_1/wmo301/schema/2_1", "WMO301 release 2.1 is not supported yet"),
        ("ijw/2_2/jw305/schema", "JW305 release 2.2 is not supported yet"),
        ("iwmo/2_4/wmo307/schema", "WMO307 release 2.4 is not supported yet"),
        ("iwmo/2_0/wmo303/schema/2_0", "WMO303 release 2.0 is not supported yet"),
        ("ijw/2_0/jw301/schema/2_0", "JW301 release 2.0 is not supported yet"),
        ("iwmo/2_0/wmo302/schema/2_0", "WMO302 release 2.0 is not supported yet"),
    ],
)
def test_releases_and_types_not_published_stay_quarantined(namespace, reason):
    with pytest.raises(Quarantine, match=re.escape(reason)):
        data = f"<x:Bericht xmlns:x='{_ISTANDAARDEN}/{namespace}'/>".encode()
        parse_message(data, "file", KEY)
