"""Releases: 2.3 loads beside 3.x, a release not seen before is quarantined naming it (never read
with a neighbour's layout) and loads once its layout is listed, and `sdw status` counts files
per standard, release and message type."""

import shutil
from datetime import date

from conftest import PROJECT_DIR
from raw_contents import query

from sdw.build import run_dbt
from sdw.messages import standards
from sdw.messages.load import ingest_messages
from sdw.status import status_lines

HISTORIC = PROJECT_DIR / "tests" / "fixtures" / "historic"
ENVELOPES = PROJECT_DIR / "tests" / "fixtures" / "envelopes"


def _release_33(inbox):
    """The 3.2 start of the historic fixtures, as a message of a future release 3.3."""
    text = (HISTORIC / "wmo305_32_of_23.xml").read_text()
    path = inbox / "wmo305_33.xml"
    path.write_text(text.replace("/3_2/", "/3_3/").replace("Subversie>2<", "Subversie>3<"))
    return path


def test_an_unseen_release_is_quarantined_by_name_and_loads_once_its_layout_is_added(
    warehouse, tmp_path, monkeypatch
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _release_33(inbox)
    first = ingest_messages([inbox], warehouse)
    assert (first.loaded, first.quarantined) == (0, 1)
    assert query(
        warehouse.warehouse,
        "select status, reason, standard, release, message_type from raw.ingest_files",
    ) == [("quarantined", "WMO305 release 3.3 is not supported yet", "iwmo", "3.3", "305")]

    # A later loader lists 3.3 with the layout it is read with: the reparse loads it.
    monkeypatch.setitem(standards.SUPPORTED_RELEASES, ("iwmo", "3.3"), "3")
    second = ingest_messages([inbox], warehouse)
    assert (second.loaded, second.quarantined) == (1, 0)
    assert query(
        warehouse.warehouse,
        "select status, reason, release from raw.ingest_files",
    ) == [("loaded", None, "3.3")]
    assert query(warehouse.warehouse, "select release, message_type from raw.berichten") == [
        ("3.3", "305")
    ]


def test_historic_messages_load_and_status_counts_them_per_kind(warehouse, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(HISTORIC, inbox)
    shutil.copy(ENVELOPES / "vecozo_routing_mismatch.xml", inbox)
    _release_33(inbox)
    (inbox / "other.xml").write_text("<x/>")
    report = ingest_messages([inbox], warehouse)
    assert (report.loaded, report.quarantined) == (15, 3)
    assert query(
        warehouse.warehouse,
        "select standard, release, count(*) from raw.berichten group by 1, 2 order by 1, 2",
    ) == [("ijw", "2.3", 6), ("iwmo", "2.3", 8), ("iwmo", "3.2", 1)]
    lines = status_lines(warehouse, list_quarantined=False)
    start = lines.index("files per standard, release and message type:")
    assert lines[start + 1 : start + 18] == [
        "  ijw 2.3 301: 1 loaded, 0 quarantined, 0 duplicate",
        "  ijw 2.3 303: 1 loaded, 0 quarantined, 0 duplicate",
        "  ijw 2.3 304: 1 loaded, 0 quarantined, 0 duplicate",
        "  ijw 2.3 305: 1 loaded, 0 quarantined, 0 duplicate",
        "  ijw 2.3 307: 1 loaded, 0 quarantined, 0 duplicate",
        "  ijw 2.3 315: 1 loaded, 0 quarantined, 0 duplicate",
        "  ijw 3.2 307: 0 loaded, 1 quarantined, 0 duplicate",
        "  iwmo 2.3 301: 2 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 2.3 302: 1 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 2.3 303: 1 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 2.3 304: 1 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 2.3 305: 1 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 2.3 307: 1 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 2.3 315: 1 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 3.2 305: 1 loaded, 0 quarantined, 0 duplicate",
        "  iwmo 3.3 305: 0 loaded, 1 quarantined, 0 duplicate",
        "  not a known message: 0 loaded, 1 quarantined, 0 duplicate",
    ]


def test_a_23_declaratie_lands_in_cleaned_declaratieregels(warehouse, tmp_path):
    # The 2.3 toewijzing, the 303 declaring against it and the 304 answering it: the 303's
    # prestaties are declaratieregels linked to the toewijzing; the retour adds none.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("wmo301_23.xml", "wmo303_23.xml", "wmo304_23.xml"):
        shutil.copy(HISTORIC / name, inbox)
    assert ingest_messages([inbox], warehouse).loaded == 3
    run_dbt(warehouse, "build", "--select", "+declaratieregels", "--exclude-resource-type", "test")
    assert query(
        warehouse.warehouse,
        "select release_family, declaratie_nummer, referentie_nummer, toewijzing_nummer, "
        "begindatum, geleverd_volume, ingediend_eurocent, toewijzing_id is not null "
        "from cleaned.declaratieregels order by referentie_nummer",
    ) == [
        ("2", "F2019001", "R23W1", 5201, date(2019, 1, 15), 6, 17700, True),
        ("2", "F2019001", "R23W2", 5201, date(2019, 1, 15), 2, 5900, True),
    ]
