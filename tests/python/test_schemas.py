"""Validation against the published XSDs, when SDW_XSD_DIR points at them."""

import pytest
from lxml import etree
from message_rows import KEY, parse

from sdw.messages import parse as parse_module
from sdw.messages.parse import ParseContext, Quarantine
from sdw.messages.schemas import SchemaError, SchemaSet

EXAMPLES = "istandaarden/examples-3.2"
# Reasons name the element, the line and the rule, never the value (2027-06-31 here).
INVALID = {
    "JW315": "not valid against JW315.xsd: line 44: Bericht/Client/AangevraagdeProducten/"
    "AangevraagdProduct[1]/ToewijzingEinddatum: value is not a valid LDT_Datum",
    "JW318": "not valid against JW318.xsd: line 33: Bericht/Client/Verzoek/RetourCode: element "
    "not expected here (expected: OngewijzigdeProducten, TeWijzigenProducten, NieuweProducten, "
    "RetourCodes)",
}


@pytest.fixture
def validating(shared):
    return ParseContext(KEY, schemas=SchemaSet(shared / "istandaarden"))


def test_valid_examples_load_and_say_which_xsd_validated_them(shared, validating):
    for path in sorted((shared / EXAMPLES).glob("*.xml")):
        if path.stem in INVALID:
            continue
        message = parse(path, validating)
        assert message.xsd_file == f"{path.stem}.xsd", path.name


@pytest.mark.parametrize("streamed", [False, True], ids=["tree", "streamed"])
@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_examples_name_the_first_schema_error(shared, validating, name, streamed):
    with pytest.MonkeyPatch.context() as patch:
        if streamed:
            patch.setattr(parse_module, "TREE_MAX_BYTES", 0)
        with pytest.raises(Quarantine) as raised:
            parse(shared / EXAMPLES / f"{name}.xml", validating)
    assert str(raised.value) == INVALID[name]


def test_without_an_xsd_for_the_namespace_a_message_loads_unvalidated(shared, validating):
    casus = shared / "istandaarden/iwmo-2.0-voorbeeldberichten/CasusB-02-WMO305_start.xml"
    assert parse(casus, validating).xsd_file is None


def test_schemas_are_told_apart_by_target_namespace(shared, tmp_path):
    # Two releases side by side: each message finds the XSD of its own namespace.
    for release in ("3_1", "3_2"):
        folder = tmp_path / f"iwmo-{release}"
        folder.mkdir()
        for xsd in (shared / "istandaarden/iwmo-3.2").glob("*.xsd"):
            text = xsd.read_bytes().replace(b"/3_2/", f"/{release}/".encode())
            (folder / xsd.name).write_bytes(text)
    schemas = SchemaSet(tmp_path)
    example = (shared / EXAMPLES / "WMO305.xml").read_bytes()
    for release in ("3_1", "3_2"):
        namespace = f"http://www.istandaarden.nl/iwmo/{release}/wmo305/schema"
        name, schema, _ = schemas.schema_for(namespace)
        assert name == "WMO305.xsd"
        assert schema.validate(etree.fromstring(example.replace(b"/3_2/", f"/{release}/".encode())))


def test_a_missing_folder_is_a_configuration_error(tmp_path):
    with pytest.raises(SchemaError, match="is not a folder"):
        SchemaSet(tmp_path / "nowhere")
