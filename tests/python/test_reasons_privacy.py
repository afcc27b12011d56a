"""No personal value in any quarantine reason or finding.

Messages carrying planted BSNs, names, phone numbers, e-mail and address values are made
schema-invalid (SDW_XSD_DIR) or malformed exactly where those values sit, so that libxml2's own
message would quote them. Loaded, built and exported, no table in any schema, no line of
`sdw status` and no exported file may hold any of them.
"""

import json

import duckdb
import pytest
from conftest import FIXTURE_MESSAGES

from sdw.cli import main
from sdw.messages import parse as parse_module
from sdw.messages.parse import ParseContext, Quarantine, parse_message
from sdw.messages.schemas import SchemaSet

BSN = "123456782"  # passes the elf-proef, outside the test range
BAD_BSN = "12345678A"
NAME = "Zwartsenberg"
PHONE = "06-98765432"
EMAIL = "z.oudejans@voorbeeld.nl"
STREET = "Dorpsstraat"
HOUSE_NUMBER = "12bis"
# Every value the files below plant, and the fixture BSNs of the messages that do load.
PLANTED = (BSN, BAD_BSN, NAME, PHONE, EMAIL, "oudejans", STREET, HOUSE_NUMBER, "999990007",
           "999990019")  # fmt: skip


def planted_files(wmo301: bytes) -> dict[str, bytes]:
    """Each file fails on the planted value itself (first schema error, or syntax error)."""

    def swap(old: bytes, new: str, data: bytes = wmo301) -> bytes:
        assert old in data, old
        return data.replace(old, new.encode(), 1)

    return {
        # schema-invalid: the value is what the XSD rejects
        "s1.xml": swap(b">999900006<", f">{BAD_BSN}<"),
        "s2.xml": swap(b">1967-08-13<", f">{NAME}<"),
        "s3.xml": swap(b">0101234567<", f">{PHONE}<"),
        "s4.xml": swap(b"<iwmo:Huisnummer>10<", f"<iwmo:Huisnummer>{HOUSE_NUMBER}<"),
        "s5.xml": swap(b"<wmo301:Client>", f"<wmo301:Email>{EMAIL}</wmo301:Email><wmo301:Client>"),
        "s6.xml": swap(b">999900006<", f">{BSN}<", swap(b">1967-08-13<", f">{NAME}{BSN}<")),
        "s7.xml": swap(b">414<", f">{NAME}<"),
        # malformed: the value lands where libxml2 quotes names, entities or bytes
        "m1.xml": swap(b"<iwmo:Achternaam>Wit", f"<iwmo:Achternaam {NAME}>Wit"),
        "m2.xml": swap(b"<iwmo:Straatnaam>straat", f"<iwmo:Straatnaam>&{STREET};"),
        "m3.xml": swap(b"<wmo301:Bsn>999900006", f"<{EMAIL}>{BSN}"),
        "m4.xml": swap(b"<iwmo:Achternaam>Wit</iwmo:Achternaam>", f"<{NAME}>Wit</{STREET}>"),
        "m5.xml": swap(b">0101234567<", f">{PHONE}<")[: wmo301.index(b"0101234567") + 5],
        "m6.xml": swap(b">Wit<", f">{NAME}<").replace(NAME.encode(), b"Zw\xc3\x28rtsenberg"),
        "m7.xml": swap(b"http://www.istandaarden.nl/iwmo/3_2/wmo301/schema", f"mailto:{EMAIL}"),
    }


@pytest.fixture
def inbox(shared, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    wmo301 = (shared / "istandaarden/examples-3.2/WMO301.xml").read_bytes()
    for name, data in planted_files(wmo301).items():
        (folder / name).write_bytes(data)
    return folder


def leaks(text: str) -> list[str]:
    return [value for value in PLANTED if value.lower() in text.lower()]


@pytest.mark.parametrize("streamed", [False, True], ids=["tree", "streamed"])
def test_no_reason_quotes_a_planted_value(shared, inbox, streamed, monkeypatch):
    if streamed:
        monkeypatch.setattr(parse_module, "TREE_MAX_BYTES", 0)
    context = ParseContext(b"key", schemas=SchemaSet(shared / "istandaarden"))
    reasons = {}
    for path in sorted(inbox.iterdir()):
        with pytest.raises(Quarantine) as raised:
            parse_message(path.read_bytes(), path.name, context)
        reasons[path.name] = str(raised.value)
    assert {name: leaks(reason) for name, reason in reasons.items() if leaks(reason)} == {}
    # The reasons still say where and what.
    assert reasons["s1.xml"] == (
        "not valid against WMO301.xsd: line 19: Bericht/Client/Bsn: value does not match the "
        "pattern its type requires"
    )
    assert reasons["s3.xml"].endswith("/Telefoon01/Telefoonnummer: value does not match the "
                                      "pattern its type requires")  # fmt: skip
    assert reasons["s5.xml"].endswith(
        "(element not in the schema): element not expected here (expected: Client)"
    )
    assert "BerichtCode" in reasons["s7.xml"]  # the schema's reason, or the header check's
    assert reasons["m1.xml"] == "malformed XML: line 26, column 34: attribute without value"
    assert reasons["m5.xml"] == (
        "malformed XML: file ends inside the message (truncated)"
        if streamed
        else "malformed XML: line 83, column 34: file ends inside an element (truncated)"
    )
    assert reasons["m7.xml"] == "unknown namespace or root: {another namespace}Bericht"


def test_no_table_status_line_or_export_holds_a_planted_value(
    warehouse, shared, inbox, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("SDW_XSD_DIR", str(shared / "istandaarden"))
    assert main(["ingest", "messages", str(inbox), str(FIXTURE_MESSAGES)]) == 0
    assert main(["build"]) == 0
    assert main(["status"]) == 0
    assert main(["export", "parquet", str(tmp_path / "export")]) == 0
    output = capsys.readouterr().out
    assert "quarantined " in output and not leaks(output)

    found = {}
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        quarantined = con.execute(
            "select count(*) from raw.ingest_files where status = 'quarantined'"
        ).fetchone()[0]
        details = con.execute(
            "select count(*) from marts.dq_findings where check_name = 'quarantined_file'"
        ).fetchone()[0]
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
        for schema, table in tables:
            text = repr(con.execute(f'select * from "{schema}"."{table}"').fetchall())
            if leaks(text):
                found[f"{schema}.{table}"] = leaks(text)
        exported = sorted((tmp_path / "export").rglob("*.parquet"))
        for path in exported:
            text = repr(con.execute("select * from read_parquet(?)", [str(path)]).fetchall())
            if leaks(text):
                found[path.name] = leaks(text)
    assert quarantined == 16 and details == 16  # 14 planted, and the fixtures' two
    assert len(tables) > 50 and exported
    assert found == {}
    assert not leaks(json.dumps(json.loads((tmp_path / "export/manifest.json").read_text())))
