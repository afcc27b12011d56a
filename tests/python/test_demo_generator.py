"""The demo generator: deterministic, schema-valid, and honest about what it planted.

Everything checked here is read back from the XML files, not from the generator's internals.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from sdw.demo import generate
from sdw.demo.generator import POSTCODE_AREAS

INWONERS = 5_000
YEARS = (2024, 2025)
YOUTH_SHARE = 0.20

_NAMESPACE = re.compile(
    r"^http://www\.istandaarden\.nl/(?P<standard>iwmo|ijw)/3_2/(?:wmo|jw)(?P<number>\d{3})/schema$"
)
_DOMAIN = {"iwmo": "wmo", "ijw": "jeugd"}


def _files(inbox: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(inbox.iterdir())}


def _text(element: etree._Element, path: str) -> str:
    found = element.find("/".join(f"{{*}}{step}" for step in path.split("/")))
    assert found is not None and found.text is not None, path
    return found.text


@dataclass
class Inbox:
    """What the files say, keyed the way the standard links them: (standard, nummer, begin)."""

    types: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bsns: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    starts: dict[tuple[str, int, str, date], str] = field(default_factory=dict)  # -> BSN
    # -> (Einddatum, Identificatie, Afzender, Ontvanger)
    stops: dict[tuple[str, int, str, date], tuple[date, str, str, str]] = field(
        default_factory=dict
    )
    contacts: list[etree._Element] = field(default_factory=list)  # 301 Client/Contactgegevens


def _read_inbox(inbox: Path) -> Inbox:
    result = Inbox()
    for path in sorted(inbox.iterdir()):
        root = etree.parse(str(path)).getroot()
        match = _NAMESPACE.match(etree.QName(root).namespace or "")
        assert match, f"{path.name}: unexpected namespace"
        standard, number = match["standard"], match["number"]
        result.types[f"{'WMO' if standard == 'iwmo' else 'JW'}{number}"] += 1
        client = root.find("{*}Client")
        bsn = _text(client, "Bsn")
        result.bsns[_DOMAIN[standard]].add(bsn)
        for product in client.iterfind("{*}StartProducten/{*}StartProduct"):
            result.starts[_product_key(standard, product)] = bsn
        for product in client.iterfind("{*}StopProducten/{*}StopProduct"):
            result.stops[_product_key(standard, product)] = (
                date.fromisoformat(_text(product, "Einddatum")),
                _text(root, "Header/BerichtIdentificatie/Identificatie"),
                _text(root, "Header/Afzender"),
                _text(root, "Header/Ontvanger"),
            )
        result.contacts.extend(client.iterfind("{*}Contactgegevens"))
    return result


def _product_key(standard: str, product: etree._Element) -> tuple[str, int, str, date]:
    return (
        standard,
        int(_text(product, "ToewijzingNummer")),
        _text(product, "Product/Code"),
        date.fromisoformat(_text(product, "Begindatum")),
    )


def _clients_in_year(inbox: Inbox, domain: str, year: int) -> int:
    """Distinct clients with delivery (305 start up to 307 stop, or still running) in the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    clients = set()
    for key, bsn in inbox.starts.items():
        standard, _, _, begin = key
        if _DOMAIN[standard] != domain:
            continue
        stop = inbox.stops.get(key)
        end = stop[0] if stop else date.max
        if begin <= last and end >= first:
            clients.add(bsn)
    return len(clients)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo_a")
    # A higher defect rate than the default so a small gemeente surely gets some.
    truth = generate(out, seed=7, inwoners=INWONERS, years=YEARS, stop_before_start_rate=0.05)
    return out, truth


@pytest.fixture(scope="module")
def inbox(demo: tuple[Path, dict]) -> Inbox:
    return _read_inbox(demo[0] / "inbox")


def test_same_seed_gives_identical_files_and_other_seed_differs(
    demo: tuple[Path, dict], tmp_path: Path
) -> None:
    out, truth = demo
    again = generate(
        tmp_path / "same", seed=7, inwoners=INWONERS, years=YEARS, stop_before_start_rate=0.05
    )
    assert again == truth
    assert _files(tmp_path / "same" / "inbox") == _files(out / "inbox")
    assert (tmp_path / "same" / "ground_truth.json").read_bytes() == (
        out / "ground_truth.json"
    ).read_bytes()

    generate(tmp_path / "other", seed=8, inwoners=INWONERS, years=YEARS)
    assert _files(tmp_path / "other" / "inbox") != _files(out / "inbox")


def test_every_file_validates_against_its_xsd(demo: tuple[Path, dict], shared: Path) -> None:
    folders = {"iwmo": ("iwmo-3.2", "WMO"), "ijw": ("ijw-3.2", "JW")}
    schemas = {
        (standard, number): etree.XMLSchema(
            etree.parse(str(shared / "istandaarden" / folder / f"{prefix}{number}.xsd"))
        )
        for standard, (folder, prefix) in folders.items()
        for number in ("301", "305", "307")
    }
    failures = []
    for path in sorted((demo[0] / "inbox").iterdir()):
        document = etree.parse(str(path))
        match = _NAMESPACE.match(etree.QName(document.getroot()).namespace or "")
        assert match, path.name
        schema = schemas[(match["standard"], match["number"])]
        if not schema.validate(document):
            failures.append(f"{path.name}: {schema.error_log.last_error}")
    assert not failures, "\n".join(failures[:10])


def test_ground_truth_counts_match_the_files(demo: tuple[Path, dict], inbox: Inbox) -> None:
    out, truth = demo
    assert json.loads((out / "ground_truth.json").read_text(encoding="utf-8")) == truth
    counts = truth["counts"]
    assert counts["files"] == sum(inbox.types.values()) == len(list((out / "inbox").iterdir()))
    assert {k: v for k, v in counts["messages_by_type"].items() if v} == dict(inbox.types)
    assert counts["clients"] == {domain: len(bsns) for domain, bsns in inbox.bsns.items()}


def test_bsns_are_unique_test_numbers_passing_the_elfproef(inbox: Inbox) -> None:
    wmo, jeugd = inbox.bsns["wmo"], inbox.bsns["jeugd"]
    assert wmo.isdisjoint(jeugd)
    for bsn in wmo | jeugd:
        assert 999_900_000 <= int(bsn) <= 999_999_999, bsn
        weighted = sum(int(d) * w for d, w in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
        assert weighted % 11 == 0, bsn


def test_planted_stop_before_start_defects_are_exactly_those_in_the_files(
    demo: tuple[Path, dict], inbox: Inbox
) -> None:
    _, truth = demo
    planted = {
        (d["standard"], d["toewijzing_nummer"], d["product_code"], d["begindatum"], d["einddatum"])
        for d in truth["defects"]
        if d["type"] == "stop_before_start"
    }
    assert planted, "a 5% rate should plant at least one defect"

    found = set()
    for key, (einddatum, identificatie, agb, gemeente) in inbox.stops.items():
        assert key in inbox.starts, f"307 without its 305: {key}"
        standard, nummer, code, begindatum = key
        if einddatum < begindatum:
            found.add((standard, nummer, code, begindatum.isoformat(), einddatum.isoformat()))
            [listed] = [
                d
                for d in truth["defects"]
                if (d["standard"], d["toewijzing_nummer"]) == (standard, nummer)
            ]
            assert listed["bericht_identificatie"] == identificatie
            assert (listed["aanbieder_agb"], listed["gemeente_code"]) == (agb, gemeente)
    assert found == planted


@pytest.mark.parametrize("year", YEARS)
def test_client_rates_match_cbs_levels(inbox: Inbox, year: int) -> None:
    wmo_per_1000 = _clients_in_year(inbox, "wmo", year) / INWONERS * 1000
    jeugd_share = _clients_in_year(inbox, "jeugd", year) / (INWONERS * YOUTH_SHARE)
    assert 60 <= wmo_per_1000 <= 75, wmo_per_1000
    assert 0.11 <= jeugd_share <= 0.15, jeugd_share


def test_301s_carry_fake_but_complete_contact_details(inbox: Inbox) -> None:
    postcodes = {area.postcode for area in POSTCODE_AREAS}
    assert inbox.contacts
    for contactgegevens in inbox.contacts:
        contact = contactgegevens.find("{*}Contact")
        assert _text(contact, "Soort") == "01"  # BRP-adres
        postcode = _text(contact, "Adres/Postcode")
        assert re.fullmatch(r"\d{4}[A-Z]{2}", postcode) and postcode[:4] in postcodes
        assert _text(contact, "Emailadres").endswith("@example.invalid")
        assert _text(contact, "Telefoon/Telefoon01/Telefoonnummer").startswith("0000")


def test_refuses_an_inbox_that_already_holds_files(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "stray.xml").write_text("<x/>")
    with pytest.raises(FileExistsError):
        generate(tmp_path, inwoners=100)
