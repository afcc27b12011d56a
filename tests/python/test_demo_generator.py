"""The demo generator: deterministic, schema-valid, calibrated, and honest about what it planted.

Everything checked here is read back from the files with lxml and csv, not taken from the
generator's internals: the messages, the CBS extracts, the inkoop and budget files, and the
ground truth are checked against each other.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from lxml import etree

from sdw.cbs.load import ingest_cbs
from sdw.demo import generate
from sdw.messages.standards import BERICHT_CODES
from sdw.pseudonym import is_test_bsn, passes_elfproef

YEARS = (2024, 2025)
CALIBRATED_YEAR = 2025
HORIZON = date(2025, 12, 31)
DEFECT_RATE = 0.02  # above the default so that a small gemeente gets every defect type

_NAMESPACE = re.compile(
    r"^http://www\.istandaarden\.nl/(?P<standard>iwmo|ijw)/3_2/(?:wmo|jw)(?P<number>\d{3})/schema$"
)
_DOMAIN = {"iwmo": "wmo", "ijw": "jeugd"}
_RETOUR = {"301": "302", "305": "306", "307": "308", "315": "316", "317": "318", "319": "320"}
_HOURS = {"01": 1 / 60, "04": 1.0, "16": 4.0}
_VERBLIJF = {"35", "43", "44", "46", "04", "15"}


# --- reading the output back ---------------------------------------------------------------------


def _text(element: etree._Element, path: str) -> str | None:
    found = element.find("/".join(f"{{*}}{step}" for step in path.split("/")))
    return None if found is None else found.text


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _working_days(first: date, last: date) -> int:
    """Working days after ``first`` up to and including ``last``."""
    days, day = 0, first
    while day < last:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days


@dataclass
class Message:
    path: Path
    standard: str
    number: str
    gemeente: str
    afzender: str
    ontvanger: str
    identificatie: str  # BerichtIdentificatie; a retour's own is ``retour_identificatie``
    dagtekening: date
    root: etree._Element
    retour_identificatie: str | None = None
    retour_dagtekening: date | None = None

    @property
    def sender(self) -> str:
        """Who sent the file: a retour repeats its heen-message's header, so its receiver."""
        return self.ontvanger if self.retour_identificatie else self.afzender

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identificatie is unique per sender and message type (retour code 9056)."""
        own = self.retour_identificatie or self.identificatie
        return (self.standard, self.number, self.sender, own)


@dataclass
class Version:
    moment: tuple[str, str]
    bsn: str
    agb: str
    categorie: str
    code: str
    ingangsdatum: date
    einddatum: date | None
    reden: str | None
    volume: int
    eenheid: str
    frequentie: str


@dataclass
class Prestatie:
    message: Message
    bsn: str
    referentie: str
    nummer: int
    categorie: str
    code: str
    begin: date
    end: date
    volume: int
    eenheid: str
    tarief: int
    bedrag: int


@dataclass
class Demo:
    out: Path
    truth: dict
    files: list[Path] = field(default_factory=list)
    malformed: list[Path] = field(default_factory=list)
    copies: dict[tuple, list[Path]] = field(default_factory=lambda: defaultdict(list))
    messages: list[Message] = field(default_factory=list)  # one per message, first copy
    versions: dict[tuple[str, str, int], list[Version]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def of(self, *numbers: str) -> list[Message]:
        return [m for m in self.messages if m.number in numbers]

    def latest(self, gemeente: str, standard: str, nummer: int) -> Version | None:
        versions = self.versions.get((gemeente, standard, nummer))
        return max(versions, key=lambda v: v.moment) if versions else None

    def defects(self, kind: str) -> list[dict]:
        return [d for d in self.truth["defects"] if d["type"] == kind]

    def prestaties(self) -> list[Prestatie]:
        found = []
        for m in self.of("323"):
            for client in m.root.iterfind("{*}Declaratie/{*}Clienten/{*}Client"):
                for p in client.iterfind("{*}Prestaties/{*}Prestatie"):
                    found.append(
                        Prestatie(
                            message=m,
                            bsn=_text(client, "Bsn"),
                            referentie=_text(p, "ProductReferentie/ReferentieNummer"),
                            nummer=int(_text(p, "ToewijzingNummer")),
                            categorie=_text(p, "ProductCategorie"),
                            code=_text(p, "ProductCode"),
                            begin=_date(_text(p, "ProductPeriode/Begindatum")),
                            end=_date(_text(p, "ProductPeriode/Einddatum")),
                            volume=int(_text(p, "GeleverdVolume")),
                            eenheid=_text(p, "Eenheid"),
                            tarief=int(_text(p, "ProductTarief")),
                            bedrag=int(_text(p, "IngediendBedrag/Bedrag")),
                        )
                    )
        return found

    def classes(self, number: str) -> list[tuple[Message, etree._Element]]:
        kind = {"305": "StartProducten/{*}StartProduct", "307": "StopProducten/{*}StopProduct"}
        return [
            (m, p)
            for m in self.of(number)
            for p in m.root.iterfind(f"{{*}}Client/{{*}}{kind[number]}")
        ]

    def current_starts(self) -> dict[tuple, tuple[Message, etree._Element]]:
        """305 classes by (gemeente, standard, nummer, code, Begindatum), deletions applied."""
        starts, deleted = {}, set()
        for m, p in self.classes("305"):
            key = (
                m.gemeente,
                m.standard,
                int(_text(p, "ToewijzingNummer")),
                _text(p, "Product/Code"),
                _date(_text(p, "Begindatum")),
            )
            if _text(p, "StatusAanlevering") == "3":
                deleted.add(key)
            else:
                starts[key] = (m, p)
        return {k: v for k, v in starts.items() if k not in deleted}

    def stops(self) -> dict[tuple, tuple[Message, etree._Element]]:
        return {
            (
                m.gemeente,
                m.standard,
                int(_text(p, "ToewijzingNummer")),
                _text(p, "Product/Code"),
                _date(_text(p, "Begindatum")),
            ): (m, p)
            for m, p in self.classes("307")
        }


def read_demo(out: Path) -> Demo:
    demo = Demo(out, json.loads((out / "ground_truth.json").read_text(encoding="utf-8")))
    seen = set()
    for path in sorted((out / "inbox").rglob("*.xml")):
        demo.files.append(path)
        try:
            root = etree.parse(str(path)).getroot()
        except etree.XMLSyntaxError:
            demo.malformed.append(path)
            continue
        match = _NAMESPACE.match(etree.QName(root).namespace or "")
        assert match, f"{path.name}: unexpected namespace"
        header = root.find("{*}Header")
        message = Message(
            path=path,
            standard=match["standard"],
            number=match["number"],
            gemeente=path.relative_to(out / "inbox").parts[0],
            afzender=_text(header, "Afzender"),
            ontvanger=_text(header, "Ontvanger"),
            identificatie=_text(header, "BerichtIdentificatie/Identificatie"),
            dagtekening=_date(_text(header, "BerichtIdentificatie/Dagtekening")),
            root=root,
            retour_identificatie=_text(header, "IdentificatieRetour"),
            retour_dagtekening=_date(_text(header, "DagtekeningRetour")),
        )
        demo.copies[message.key].append(path)
        if message.key in seen:
            continue
        seen.add(message.key)
        demo.messages.append(message)
        if message.number == "301":
            client = root.find("{*}Client")
            for p in client.iterfind("{*}ToegewezenProducten/{*}ToegewezenProduct"):
                demo.versions[
                    (message.gemeente, message.standard, int(_text(p, "ToewijzingNummer")))
                ].append(
                    Version(
                        moment=(_text(p, "Toewijzingsdatum"), _text(p, "Toewijzingstijd")),
                        bsn=_text(client, "Bsn"),
                        agb=message.ontvanger,
                        categorie=_text(p, "Product/Categorie"),
                        code=_text(p, "Product/Code"),
                        ingangsdatum=_date(_text(p, "Ingangsdatum")),
                        einddatum=_date(_text(p, "Einddatum")),
                        reden=_text(p, "RedenWijziging"),
                        volume=int(_text(p, "Omvang/Volume")),
                        eenheid=_text(p, "Omvang/Eenheid"),
                        frequentie=_text(p, "Omvang/Frequentie"),
                    )
                )
    return demo


def _csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def _clients_in_care(demo: Demo, year: int) -> dict[str, dict[tuple[str, str], set[str]]]:
    """Per domain: client (gemeente, BSN of the toewijzing) -> productcategorieën in care in
    the year, from the 305 starts (deletions applied) to their 307 stops."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    stops = demo.stops()
    care: dict[str, dict[tuple[str, str], set[str]]] = {"wmo": {}, "jeugd": {}}
    for key in demo.current_starts():
        gemeente, standard, nummer, _, begin = key
        version = demo.latest(gemeente, standard, nummer)
        if version is None:
            continue  # a start without a toewijzing is no client of this gemeente
        stop = stops.get(key)
        end = _date(_text(stop[1], "Einddatum")) if stop else None
        if begin <= last and (end is None or end >= first):
            client = (gemeente, version.bsn)
            care[_DOMAIN[standard]].setdefault(client, set()).add(version.categorie)
    return care


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=7, inwoners=6_000, years=YEARS, defect_rate=DEFECT_RATE)
    return read_demo(out)


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """Two gemeenten at the default defect rate, together large enough for rates to settle."""
    out = tmp_path_factory.mktemp("calibrated")
    generate(out, seed=11, inwoners=20_000, gemeenten=2, years=(CALIBRATED_YEAR,) * 2)
    return read_demo(out)


# --- determinism, layout, schema ---------------------------------------------------------------


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_same_seed_gives_identical_files_and_other_seed_differs(tmp_path: Path) -> None:
    arguments = {"inwoners": 1_500, "years": (2025, 2025), "defect_rate": DEFECT_RATE}
    first = generate(tmp_path / "a", seed=5, **arguments)
    again = generate(tmp_path / "b", seed=5, **arguments)
    assert again == first
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    generate(tmp_path / "c", seed=6, **arguments)
    other = _tree(tmp_path / "c")
    for folder in ("inbox/", "cbs/", "budget/", "doelen/", "ground_truth.json"):
        mine = {k: v for k, v in _tree(tmp_path / "a").items() if k.startswith(folder)}
        theirs = {k: v for k, v in other.items() if k.startswith(folder)}
        assert mine != theirs, folder


def test_output_layout(demo: Demo) -> None:
    out = demo.out
    assert sorted(p.name for p in out.iterdir()) == [
        "budget",
        "cbs",
        "doelen",
        "ground_truth.json",
        "inbox",
        "postcode_buurt.csv",
    ]
    for path in demo.files:
        gemeente, month, name = path.relative_to(out / "inbox").parts
        assert gemeente == "0999" and re.fullmatch(r"\d{4}-\d{2}", month), path
        assert re.fullmatch(r"\d{4,8}_\d{3}_\w{1,12}(_2)?\.xml", name), path
    for m in demo.messages:
        sent = m.retour_dagtekening or m.dagtekening
        assert m.path.parent.name == f"{sent:%Y-%m}", m.path
        assert sent <= HORIZON


def _schemas(shared: Path, tmp: Path) -> dict[tuple[str, str], etree.XMLSchema]:
    """Every message's schema. iWmo publishes no XSD for its retours and 325, so those are the
    iJw twin's (reference §1.5) with the iWmo namespaces, basisschema and BerichtCode."""
    schemas = {}
    for number in sorted({number for _, number in BERICHT_CODES}):
        wmo, jw = BERICHT_CODES[("iwmo", number)], BERICHT_CODES[("ijw", number)]
        schemas[("ijw", number)] = etree.XMLSchema(
            etree.parse(str(shared / "istandaarden" / "ijw-3.2" / f"JW{number}.xsd"))
        )
        published = shared / "istandaarden" / "iwmo-3.2" / f"WMO{number}.xsd"
        if published.exists():
            schemas[("iwmo", number)] = etree.XMLSchema(etree.parse(str(published)))
            continue
        twin = (shared / "istandaarden" / "ijw-3.2" / f"JW{number}.xsd").read_text("utf-8")
        basis = (shared / "istandaarden" / "iwmo-3.2" / "basisschema.xsd").resolve().as_uri()
        derived = (
            twin.replace("/ijw/3_2/basisschema/", "/iwmo/3_2/basisschema/")
            .replace(f"/ijw/3_2/jw{number}/", f"/iwmo/3_2/wmo{number}/")
            .replace('schemaLocation="basisschema.xsd"', f'schemaLocation="{basis}"')
            .replace(f'<xs:pattern value="{jw}"/>', f'<xs:pattern value="{wmo}"/>')
        )
        (tmp / f"WMO{number}.xsd").write_text(derived, encoding="utf-8")
        schemas[("iwmo", number)] = etree.XMLSchema(etree.parse(str(tmp / f"WMO{number}.xsd")))
    return schemas


def test_every_well_formed_file_validates_against_its_xsd(
    demo: Demo, shared: Path, tmp_path: Path
) -> None:
    schemas = _schemas(shared, tmp_path)
    validated: dict[tuple[str, str], int] = defaultdict(int)
    failures = []
    for path in demo.files:
        if path in demo.malformed:
            continue
        document = etree.parse(str(path))
        match = _NAMESPACE.match(etree.QName(document.getroot()).namespace)
        key = (match["standard"], match["number"])
        if schemas[key].validate(document):
            validated[key] += 1
        else:
            failures.append(f"{path.name}: {schemas[key].error_log.last_error}")
    assert not failures, "\n".join(failures[:10])
    assert set(validated) == set(schemas), "every message type of both standards is present"


def test_ground_truth_counts_match_the_files(demo: Demo) -> None:
    counts = demo.truth["counts"]
    assert counts["files"] == len(demo.files)
    by_type: dict[str, int] = defaultdict(int)
    for m in demo.messages:
        by_type[f"{'WMO' if m.standard == 'iwmo' else 'JW'}{m.number}"] += 1
    assert counts["messages_by_type"] == dict(by_type)
    clients = defaultdict(set)
    for (gemeente, standard, _), versions in demo.versions.items():
        clients[_DOMAIN[standard]].update((gemeente, v.bsn) for v in versions)
    assert counts["clients"] == {domain: len(found) for domain, found in clients.items()}
    assert counts["prestaties"] == len(demo.prestaties())
    assert counts["defects"] == {
        kind: len(demo.defects(kind)) for kind in {d["type"] for d in demo.truth["defects"]}
    }


def test_bsns_are_test_numbers_and_only_planted_ones_fail_the_elfproef(demo: Demo) -> None:
    planted = {
        (d["aanbieder_agb"], d["message_type"], d["bericht_identificatie"], d["bsn"])
        for d in demo.defects("invalid_bsn")
    }
    found = set()
    for m in demo.of("301", "305", "307", "315", "317", "323"):
        for bsn in m.root.iter("{*}Bsn"):
            assert is_test_bsn(bsn.text), bsn.text
            if not passes_elfproef(bsn.text):
                found.add((m.afzender, m.number, m.identificatie, bsn.text))
    assert planted and found == planted
    wmo = {v.bsn for (_, s, _), vs in demo.versions.items() if s == "iwmo" for v in vs}
    jeugd = {v.bsn for (_, s, _), vs in demo.versions.items() if s == "ijw" for v in vs}
    assert wmo.isdisjoint(jeugd), "one BSN is one person within a gemeente"


# --- retours -----------------------------------------------------------------------------------


def test_every_heen_message_has_its_retour_repeating_its_header(demo: Demo) -> None:
    retours = {
        (m.standard, m.number, m.afzender, m.ontvanger, m.identificatie): m
        for m in demo.of(*_RETOUR.values())
    }
    for m in demo.of(*_RETOUR):
        retour = retours.get(
            (m.standard, _RETOUR[m.number], m.afzender, m.ontvanger, m.identificatie)
        )
        if retour is None:
            # A retour is due within 3 working days (OP090); past the horizon it is not sent yet.
            assert _working_days(m.dagtekening, HORIZON) < 3, m.path
            continue
        assert _text(retour.root, "Header/BerichtIdentificatie/Dagtekening") == str(m.dagtekening)
        assert 0 <= _working_days(m.dagtekening, retour.retour_dagtekening) <= 3
        body = next(iter(retour.root.iterfind("{*}Client")), None)
        body = next(iter(retour.root.iterfind("{*}Antwoord")), body)
        if body is None:
            assert _text(retour.root, "Header/RetourCodes/RetourCode") == "0200"
        else:
            # A retour holds only clients with a rejected class (OP065).
            codes = [c.text for c in body.iter("{*}RetourCode")]
            assert any(code != "0200" for code in codes), retour.path


def test_retours_reject_exactly_the_classes_the_gemeente_can_see_are_wrong(demo: Demo) -> None:
    expected = {}
    for d in demo.defects("no_matching_toewijzing") + demo.defects("invalid_bsn"):
        if d["message_type"] in ("305", "307"):
            expected[(d["aanbieder_agb"], d["message_type"], d["bericht_identificatie"])] = "9019"
    unknown = {
        (d["gemeente_code"], d["standard"], d["toewijzing_nummer"])
        for d in demo.defects("unknown_product_code")
    }
    for m, p in demo.classes("305") + demo.classes("307"):
        if (m.gemeente, m.standard, int(_text(p, "ToewijzingNummer"))) in unknown:
            expected[(m.afzender, m.number, m.identificatie)] = "S329"
    rejected = {}
    for retour in demo.of("306", "308"):
        path = "{*}Client/*/*/{*}RetourCodes/{*}RetourCode"
        codes = {c.text for c in retour.root.iterfind(path)} - {"0200"}
        if codes:
            [code] = codes
            rejected[(retour.afzender, str(int(retour.number) - 1), retour.identificatie)] = code
    assert rejected
    assert all(expected.get(key) == code for key, code in rejected.items())
    heen = {(m.afzender, m.number, m.identificatie): m for m in demo.of("305", "307")}
    for key in expected:
        # Every expected rejection is there, unless its retour would fall after the horizon.
        assert key in rejected or _working_days(heen[key].dagtekening, HORIZON) < 3, key
    for retour in demo.of("316", "318"):
        if retour.root.find("{*}Client") is not None:
            codes = {c.text for c in retour.root.iter("{*}RetourCode")} - {"0200"}
            assert codes == ({"9347"} if retour.number == "316" else {"9349"})


_PRESTATIE_CODES = {"over_24h": "9321", "volume_above_allocation": "9321", "outside_period": "9307"}


def test_325_answers_each_323_and_rejects_exactly_the_planted_prestaties(demo: Demo) -> None:
    planted = {
        (d["standard"], d["referentie_nummer"]): _PRESTATIE_CODES[d["type"]]
        for d in demo.truth["defects"]
        if d["type"] in _PRESTATIE_CODES
    }
    invalid = {
        (d["aanbieder_agb"], d["bericht_identificatie"], d["bsn"])
        for d in demo.defects("invalid_bsn")
        if d["message_type"] == "323"
    }
    unknown = {(d["standard"], d["product_code"]) for d in demo.defects("unknown_product_code")}

    def expected(p: Prestatie) -> str | None:
        if (p.message.afzender, p.message.identificatie, p.bsn) in invalid:
            return "8187"  # the prestatie does not belong to this client
        if (p.message.standard, p.code) in unknown:
            return "9340"  # ProductCode is not the toewijzing's
        return planted.get((p.message.standard, p.referentie))

    answers = {
        (m.ontvanger, _text(m.root, "Header/DeclaratieIdentificatie/Identificatie")): m
        for m in demo.of("325")
    }
    prestaties = defaultdict(list)
    for p in demo.prestaties():
        prestaties[(p.message.afzender, p.message.identificatie)].append(p)
    answered = 0
    for m in demo.of("323"):
        answer = answers.get((m.afzender, m.identificatie))
        if answer is None:
            assert _working_days(m.dagtekening, HORIZON) < 10, m.path  # due within 10 days
            continue
        answered += 1
        mine = prestaties[(m.afzender, m.identificatie)]
        got = {
            _text(p, "ProductReferentie/ReferentieNummer"): _text(p, "RetourCodes/RetourCode")
            for p in answer.root.iterfind(".//{*}Prestatie")
        }
        assert got == {p.referentie: expected(p) for p in mine if expected(p)}, m.path
        ingediend = sum(p.bedrag for p in mine)
        afgewezen = sum(p.bedrag for p in mine if p.referentie in got)
        antwoord = answer.root.find("{*}DeclaratieAntwoord")
        assert int(_text(antwoord, "TotaalIngediendBedrag/TotaalBedrag")) == ingediend
        assert int(_text(antwoord, "TotaalToegekendBedrag/TotaalBedrag")) == ingediend - afgewezen
        assert _text(antwoord, "RetourCodes/RetourCode") == ("0200" if got else "8001")
    assert answered


# --- every planted defect is in the files, and nothing else is -------------------------------


def test_stop_before_start(demo: Demo) -> None:
    starts, found = demo.current_starts(), set()
    for key, (m, p) in demo.stops().items():
        _, standard, nummer, _, begin = key
        if _date(_text(p, "Einddatum")) < begin:
            assert key in starts, key
            found.add((standard, m.afzender, nummer, begin.isoformat(), m.identificatie))
    planted = {
        (
            d["standard"],
            d["aanbieder_agb"],
            d["toewijzing_nummer"],
            d["begindatum"],
            d["bericht_identificatie"],
        )
        for d in demo.defects("stop_before_start")
    }
    assert planted and found == planted


def test_late_305(demo: Demo) -> None:
    found = set()
    for m in demo.of("305"):
        products = m.root.findall("{*}Client/{*}StartProducten/{*}StartProduct")
        if any(_text(p, "StatusAanlevering") == "3" for p in products):
            continue  # a correction is sent when the error is found, not within 5 days
        for p in products:
            if _working_days(_date(_text(p, "Begindatum")), m.dagtekening) > 5:  # OP271
                found.add((m.afzender, int(_text(p, "ToewijzingNummer")), m.identificatie))
    planted = {
        (d["aanbieder_agb"], d["toewijzing_nummer"], d["bericht_identificatie"])
        for d in demo.defects("late_305")
    }
    assert planted and found == planted


def test_toewijzing_without_305(demo: Demo) -> None:
    started = {
        (m.gemeente, m.standard, int(_text(p, "ToewijzingNummer"))) for m, p in demo.classes("305")
    }
    planted = {
        (d["gemeente_code"], d["standard"], d["toewijzing_nummer"]): d
        for d in demo.defects("toewijzing_without_305")
    }
    assert planted
    for key in planted:
        assert key in demo.versions and key not in started, key
    # Every older toewijzing without a start, unless deleted (RedenWijziging 13), is planted;
    # younger ones may still be waiting for care to start.
    for key in demo.versions:
        version = demo.latest(*key)
        due = version.ingangsdatum <= HORIZON - timedelta(days=150)
        if due and version.reden != "13" and key not in started:
            assert key in planted, key


def test_305_and_307_with_no_matching_toewijzing(demo: Demo) -> None:
    found = {
        (m.afzender, m.number, m.identificatie, int(_text(p, "ToewijzingNummer")))
        for m, p in demo.classes("305") + demo.classes("307")
        if (m.gemeente, m.standard, int(_text(p, "ToewijzingNummer"))) not in demo.versions
    }
    planted = {
        (d["aanbieder_agb"], d["message_type"], d["bericht_identificatie"], d["toewijzing_nummer"])
        for d in demo.defects("no_matching_toewijzing")
    }
    assert planted and found == planted


def _inkoop(demo: Demo) -> dict[tuple[str, str, str, str], int]:
    """Contracted tariff by (jaar, standard, aanbieder, productcode), from the inkoop files."""
    return {
        (r["jaar"], r["standard"], r["aanbieder_agb"], r["productcode"]): int(r["tarief_eurocent"])
        for path in sorted((demo.out / "budget").glob("*_inkoop.csv"))
        for r in _csv(path)
    }


def test_unknown_product_codes(demo: Demo) -> None:
    known = {code for _, _, _, code in _inkoop(demo)}
    found = {
        (m.gemeente, int(_text(p, "ToewijzingNummer")), _text(p, "Product/Code"))
        for m, p in demo.classes("305") + demo.classes("307")
        if _text(p, "Product/Code") not in known
    }
    found |= {
        (p.message.gemeente, p.nummer, p.code) for p in demo.prestaties() if p.code not in known
    }
    planted = {
        (d["gemeente_code"], d["toewijzing_nummer"], d["product_code"])
        for d in demo.defects("unknown_product_code")
    }
    assert planted and found == planted
    assert all(v.code in known for vs in demo.versions.values() for v in vs)


def _allowed(version: Version, p: Prestatie) -> float:
    if version.frequentie == "2":  # per week
        return version.volume * ((p.end - p.begin).days + 1) / 7
    return version.volume  # per maand (a ProductPeriode is within one month) or in total


def test_declaration_defects(demo: Demo) -> None:
    """More than 24 hours a day; outside the toewijzing; above the allocated volume."""
    found: dict[str, set[str]] = defaultdict(set)
    totals: dict[tuple, int] = defaultdict(int)
    prestaties = demo.prestaties()
    for p in sorted(prestaties, key=lambda p: (p.message.gemeente, p.message.standard, p.begin)):
        version = demo.latest(p.message.gemeente, p.message.standard, p.nummer)
        days = (p.end - p.begin).days + 1
        if p.volume * _HOURS.get(p.eenheid, 0) > 24 * days or (
            p.eenheid == "14" and p.volume > days
        ):
            found["over_24h"].add((p.message.standard, p.referentie))
            continue
        if p.begin < version.ingangsdatum or (version.einddatum and p.end > version.einddatum):
            found["outside_period"].add((p.message.standard, p.referentie))
        line = (p.message.gemeente, p.message.standard, p.nummer)
        totals[line] += p.volume
        if version.frequentie == "6":
            if totals[line] > version.volume and totals[line] - p.volume <= version.volume:
                found["volume_above_allocation"].add((p.message.standard, p.referentie))
        elif p.volume > _allowed(version, p):
            found["volume_above_allocation"].add((p.message.standard, p.referentie))
    for kind in ("over_24h", "outside_period", "volume_above_allocation"):
        planted = {(d["standard"], d["referentie_nummer"]) for d in demo.defects(kind)}
        assert planted and found[kind] == planted, kind


def test_retransmissions_and_malformed_files(demo: Demo) -> None:
    inbox = demo.out
    resent = {str(paths[1].relative_to(inbox)) for paths in demo.copies.values() if len(paths) > 1}
    conflicts = {d["path"] for d in demo.defects("conflicting_retransmission")}
    assert resent == {d["path"] for d in demo.defects("retransmission")} | conflicts
    assert resent - conflicts and conflicts
    for d in demo.defects("retransmission"):
        original, copy = (inbox / d["original_path"]).read_bytes(), (inbox / d["path"]).read_bytes()
        assert original != copy and original == copy.replace(b"\r\n", b"\n")
    for d in demo.defects("conflicting_retransmission"):
        # The same identification with another content: a day earlier, so the original counts.
        original, copy = (inbox / d["original_path"]), (inbox / d["path"])
        dates = [
            _date(_text(etree.parse(str(p)).getroot(), "Header/BerichtIdentificatie/Dagtekening"))
            for p in (original, copy)
        ]
        assert dates[1] == dates[0] - timedelta(days=1)
    malformed = {str(p.relative_to(inbox)) for p in demo.malformed}
    assert malformed == {d["path"] for d in demo.defects("malformed_xml")} != set()
    for d in demo.defects("malformed_xml"):
        intact = etree.parse(str(inbox / d["intact_path"])).getroot()
        assert (
            _text(intact, "Header/BerichtIdentificatie/Identificatie") == d["bericht_identificatie"]
        )
        assert (inbox / d["intact_path"]).read_bytes().startswith((inbox / d["path"]).read_bytes())


def test_legitimate_complications_are_in_the_files(demo: Demo) -> None:
    by_id = {
        (m.number, m.sender, m.retour_identificatie or m.identificatie): m for m in demo.messages
    }
    kinds = {c["type"] for c in demo.truth["complications"]}
    assert kinds >= {"start_deleted_and_resent", "toewijzing_changed"}
    for c in demo.truth["complications"]:
        if c["type"] == "start_deleted_and_resent":
            m = by_id[("305", c["aanbieder_agb"], c["bericht_identificatie"])]
            classes = [
                (_text(p, "Begindatum"), _text(p, "StatusAanlevering"))
                for p in m.root.iterfind("{*}Client/{*}StartProducten/{*}StartProduct")
            ]
            assert classes == [(c["deleted_begindatum"], "3"), (c["begindatum"], "1")]
        elif c["type"] == "toewijzing_changed":
            versions = demo.versions[(c["gemeente_code"], c["standard"], c["toewijzing_nummer"])]
            newer = sorted({(v.moment, v.reden) for v in versions})[1:]
            assert [reden for _, reden in newer] == c["reden_wijziging"]
        else:
            assert c["type"] == "verzoek_rejected_and_resent"
            key = (c["message_type"], c["aanbieder_agb"], c["rejected_identificatie"])
            assert key in by_id


# --- calibration on CBS figures -------------------------------------------------------------


def test_client_rates_match_cbs_levels(calibrated: Demo) -> None:
    """CBS 86050NED 2024*: 65-72 Wmo clients per 1,000; 85098NED: 12-14% of youth under 18 with
    jeugdhulp (2023: 13.9%), 8-10% of them with verblijf; 86050NED 2024*: hulp bij het
    huishouden 31 of 72 per 1,000 (43%). Tolerances allow for 20,000 inwoners."""
    gemeenten = calibrated.truth["gemeenten"]
    care = _clients_in_care(calibrated, CALIBRATED_YEAR)
    wmo, jeugd = care["wmo"], care["jeugd"]
    per_1000 = 1000 * len(wmo) / sum(g["inwoners"] for g in gemeenten)
    jeugd_share = len(jeugd) / sum(g["jongeren_tot_18"] for g in gemeenten)
    verblijf = sum(1 for cats in jeugd.values() if cats & _VERBLIJF) / len(jeugd)
    huishouden = sum(1 for cats in wmo.values() if "01" in cats) / len(wmo)
    assert 62 <= per_1000 <= 74, per_1000
    assert 0.115 <= jeugd_share <= 0.145, jeugd_share
    assert 0.05 <= verblijf <= 0.12, verblijf
    assert 0.38 <= huishouden <= 0.50, huishouden


def test_wachttijd_zorgduur_and_reden_beeindiging(calibrated: Demo) -> None:
    """Medians from the files; see the README for the measured values they guard."""
    waits, durations = defaultdict(list), defaultdict(list)
    plan = defaultdict(lambda: [0, 0])
    stops = calibrated.stops()
    for key in calibrated.current_starts():
        gemeente, standard, nummer, _, begin = key
        version = calibrated.latest(gemeente, standard, nummer)
        if version is None:
            continue
        domain = _DOMAIN[standard]
        waits[domain].append((begin - version.ingangsdatum).days)
        if key in stops:
            end = _date(_text(stops[key][1], "Einddatum"))
            if end >= begin:
                durations[domain].append((end - begin).days)
            plan[domain][0] += _text(stops[key][1], "RedenBeeindiging") in ("19", "31")
            plan[domain][1] += 1
    median = {d: sorted(v)[len(v) // 2] for d, v in waits.items()}
    assert 5 <= median["wmo"] <= 15 and 7 <= median["jeugd"] <= 21, median
    assert all(max(v) <= 110 for v in waits.values())
    duration = {d: sorted(v)[len(v) // 2] for d, v in durations.items()}
    assert 250 <= duration["wmo"] <= 500 and 100 <= duration["jeugd"] <= 250, duration
    share = {d: done / total for d, (done, total) in plan.items()}
    assert 0.55 <= share["wmo"] <= 0.75 and 0.50 <= share["jeugd"] <= 0.70, share


def test_cbs_files_load_and_agree_with_the_messages(calibrated: Demo, warehouse) -> None:
    report = ingest_cbs([calibrated.out / "cbs"], warehouse)
    assert (report.loaded, report.quarantined) == (2, 0), report.quarantine_reasons
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        rows = con.execute(
            "select f.table_id, o.region_code, o.period_code, o.measure_stable_key, o.value "
            "from raw.cbs_observations o join raw.cbs_files f using (file_id)"
        ).fetchall()
    values = {(table, region, period, key): value for table, region, period, key, value in rows}
    for year, kwb in ((CALIBRATED_YEAR, "86165NED"),):
        care = _clients_in_care(calibrated, year)
        for g in calibrated.truth["gemeenten"]:
            region = f"GM{g['gemeente_code']}"
            jeugd = sum(1 for gemeente, _ in care["jeugd"] if gemeente == g["gemeente_code"])
            wmo = sum(1 for gemeente, _ in care["wmo"] if gemeente == g["gemeente_code"])
            share = values[("85098NED", region, f"{year}JJ00", "JongerenMetJeugdhulpInNatura")]
            # CBS counts care; the files miss what defects hide (a start never reported...).
            assert abs(share - 100 * jeugd / g["jongeren_tot_18"]) <= 1.0
            assert values[(kwb, region, f"1-1-{year}", "AantalInwoners")] == g["inwoners"]
            assert abs(values[(kwb, region, f"1-1-{year}", "WmoClienten")] - wmo) <= 0.05 * wmo
            assert values[(kwb, region, f"1-1-{year}", "WmoClientenRelatief")] == pytest.approx(
                1000 * wmo / g["inwoners"], abs=4
            )
    # Buurten sum to their gemeente, up to CBS's rounding to 5.
    buurten = [
        v
        for (t, r, p, k), v in values.items()
        if t == "86165NED" and r.startswith("BU") and k == "AantalInwoners"
    ]
    assert abs(sum(buurten) - sum(g["inwoners"] for g in calibrated.truth["gemeenten"])) <= 3 * len(
        buurten
    )


def test_kwb_export_imitates_the_statline_format(calibrated: Demo) -> None:
    [path] = calibrated.out.glob("cbs/86165NED_*.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfID;Peildatum;WijkenEnBuurten;Gemeentenaam_1;")
    rows = _csv(path, delimiter=";")
    kinds = {row["SoortRegio_2"] for row in rows}
    assert kinds == {"Gemeente  ", "Wijk      ", "Buurt     "}
    assert all(
        len(row["WijkenEnBuurten"]) == 10 and len(row["Gemeentenaam_1"]) == 40 for row in rows
    )
    postcodes = {
        r["postcode"]: r["buurt_code"] for r in _csv(calibrated.out / "postcode_buurt.csv")
    }
    for row in rows:
        if row["SoortRegio_2"].strip() == "Buurt":
            assert postcodes[row["MeestVoorkomendePostcode_120"]] == row["WijkenEnBuurten"]
    # Every client's postcode lies in a buurt of its own gemeente.
    for m in calibrated.of("301"):
        postcode = _text(m.root, "Client/Contactgegevens/Contact/Adres/Postcode")
        assert postcodes[postcode[:4]].startswith(f"BU{m.gemeente}")


def test_declared_tariffs_are_the_contracted_ones(calibrated: Demo) -> None:
    tarieven = _inkoop(calibrated)
    unknown = {d["product_code"] for d in calibrated.defects("unknown_product_code")}
    # Wrong tariffs and prestaties without a contract are planted (src/sdw/demo/contract.py).
    planted = {
        (d["aanbieder_agb"], d["referentie_nummer"])
        for kind in ("tariff_above_contract", "tariff_below_contract", "product_not_contracted")
        for d in calibrated.defects(kind)
        if "referentie_nummer" in d
    }
    for p in calibrated.prestaties():
        assert p.bedrag == p.volume * p.tarief
        if p.code not in unknown and (p.message.afzender, p.referentie) not in planted:
            key = (str(p.begin.year), p.message.standard, p.message.afzender, p.code)
            assert tarieven[key] == p.tarief, key


def test_budget_files_cover_the_declared_care(calibrated: Demo) -> None:
    rejected = {
        (m.ontvanger, _text(p, "ProductReferentie/ReferentieNummer"))
        for m in calibrated.of("325")
        for p in m.root.iterfind(".//{*}Prestatie")
    }
    declared: dict[tuple, int] = defaultdict(int)
    for p in calibrated.prestaties():
        if (p.message.afzender, p.referentie) not in rejected and p.begin.year == CALIBRATED_YEAR:
            declared[(p.message.gemeente, p.message.standard, p.categorie)] += p.bedrag
    for g in calibrated.truth["gemeenten"]:
        code = g["gemeente_code"]
        inkoop = _csv(calibrated.out / "budget" / f"{code}_inkoop.csv")
        segment_of = {(r["standard"], r["productcategorie"]): r["segment"] for r in inkoop}
        contracted = {(r["standard"], r["aanbieder_agb"]) for r in inkoop}
        assert all(
            (m.standard, m.ontvanger) in contracted
            for m in calibrated.of("301")
            if m.gemeente == code
        )
        budget = _csv(calibrated.out / "budget" / f"{code}_budget.csv")
        assert list(budget[0]) == [
            "gemeente_code",
            "jaar",
            "standard",
            "segment",
            "productcategorie",
            "plafond_eur",
        ]
        for standard, domain in _DOMAIN.items():
            rows = [
                r for r in budget if r["standard"] == standard and r["jaar"] == str(CALIBRATED_YEAR)
            ]
            per_segment = g["budget_per"][domain] == "segment"
            assert {r["productcategorie"] == "" for r in rows} == {per_segment}
            spend: dict[tuple[str, str], int] = defaultdict(int)
            for (gemeente, s, categorie), cents in declared.items():
                if gemeente == code and s == standard:
                    line = (segment_of[(standard, categorie)], "" if per_segment else categorie)
                    spend[line] += cents
            plafonds = {(r["segment"], r["productcategorie"]): int(r["plafond_eur"]) for r in rows}
            assert set(spend) <= set(plafonds)
            # The plafond is 0.90-1.15 of the year's cost; the archive lacks the last year's
            # December declaraties (sent in January, after the horizon).
            assert 0.75 <= sum(spend.values()) / 100 / sum(plafonds.values()) <= 1.15, code


# --- more gemeenten, and limits --------------------------------------------------------------


def test_several_gemeenten_share_aanbieders_and_test_bsns(tmp_path: Path) -> None:
    truth = generate(tmp_path, seed=3, inwoners=4_500, gemeenten=3, years=(2025, 2025))
    codes = [g["gemeente_code"] for g in truth["gemeenten"]]
    assert codes == ["0999", "9001", "9002"]
    assert sum(g["inwoners"] for g in truth["gemeenten"]) == 4_500
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == codes
    assert sorted(p.name for p in (tmp_path / "budget").iterdir()) == sorted(
        f"{code}_{kind}.csv"
        for code in codes
        for kind in ("budget", "inkoop", "aanbieders", "omzetplafonds")
    )
    demo = read_demo(tmp_path)
    # Identificatie stays unique per sender and BerichtCode across gemeenten (retour code 9056).
    assert all(
        len(paths) == 1 or paths[1].name.endswith("_2.xml") for paths in demo.copies.values()
    )
    bsns = defaultdict(set)
    for (gemeente, _, _), versions in demo.versions.items():
        bsns[gemeente].update(v.bsn for v in versions)
    assert "one person" in truth["bsn_scope"]
    everyone = set.union(*bsns.values())
    assert len(bsns) == len(codes)
    assert len(everyone) == sum(map(len, bsns.values())), "a BSN is one person, in one gemeente"
    senders = {m.ontvanger for m in demo.of("301")}
    per_gemeente = [{m.ontvanger for m in demo.of("301") if m.gemeente == c} for c in codes]
    assert len(senders) < sum(len(s) for s in per_gemeente), "aanbieders serve several gemeenten"


def test_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="test-BSN range"):
        generate(tmp_path / "big", inwoners=500_000)
    assert not (tmp_path / "big").exists()
    with pytest.raises(ValueError, match="unknown defect types"):
        generate(tmp_path / "x", defect_rates={"typo": 0.1})
    (tmp_path / "full" / "inbox").mkdir(parents=True)
    (tmp_path / "full" / "inbox" / "stray.xml").write_text("<x/>")
    with pytest.raises(FileExistsError):
        generate(tmp_path / "full", inwoners=100)
