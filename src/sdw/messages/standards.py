"""What a message is, read from its namespace and BerichtCode — never from its file name."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from sdw.config import PROJECT_DIR

# 3.x: http://www.istandaarden.nl/iwmo/3_2/wmo301/schema
# 2.0, 2.1: http://www.istandaarden.nl/iwmo/2_0/wmo301/schema/2_0 (the release repeated)
# 2.3: http://www.istandaarden.nl/iwmo/2_3/wmo301/schema
_NAMESPACE = re.compile(
    r"^http://www\.istandaarden\.nl/(?P<standard>iwmo|ijw)/(?P<major>\d)_(?P<minor>\d)/"
    r"(?P<prefix>wmo|jw)(?P<type>\d{3})/schema(?:/(?P<suffix>\d_\d))?$"
)


@dataclass(frozen=True)
class Berichtsoort:
    """One row of seeds/berichtsoort.csv: what a message type is in a standard's release family."""

    standard: str
    release_family: str
    message_type: str
    bericht_code: str  # COD002-VEKT (reference §1.1); "416|448": either (2.3 declaratie|factuur)
    naam: str
    retour_op_message_type: str | None  # the message a retour (302-320) or 325 answers
    retour_message_type: str | None  # the reverse: the message that answers this one
    herhaalt_heenbericht: bool  # a retour 302-320: repeats its heen-message's header and body


def _read_berichtsoorten(path: Path) -> dict[tuple[str, str, str], Berichtsoort]:
    """The seed dbt loads into cleaned.berichtsoort, so the parser and the SQL share one list."""
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    soorten = (
        Berichtsoort(
            standard=row["standard"],
            release_family=row["release_family"],
            message_type=row["message_type"],
            bericht_code=row["bericht_code"],
            naam=row["naam"],
            retour_op_message_type=row["retour_op_message_type"] or None,
            retour_message_type=row["retour_message_type"] or None,
            herhaalt_heenbericht=row["herhaalt_heenbericht"] == "true",
        )
        for row in rows
    )
    return {(s.standard, s.release_family, s.message_type): s for s in soorten}


# Keyed by (standard, release family, message type); only these kinds are loaded. Read from
# the project folder, as sdw reads dbt_project.yml.
BERICHTSOORTEN = _read_berichtsoorten(PROJECT_DIR / "seeds" / "berichtsoort.csv")

# The BerichtCodes of the current release family per (standard, message type): the demo writes
# these.
BERICHT_CODES: dict[tuple[str, str], str] = {
    (s.standard, s.message_type): s.bericht_code
    for s in BERICHTSOORTEN.values()
    if s.release_family == "3"
}


def retours_repeating_heen(release_family: str) -> dict[str, str]:
    """Retour message type -> the message type whose header and body it repeats (302 -> 301);
    the same in both standards (tests/python/test_standards.py)."""
    return {
        s.message_type: s.retour_op_message_type
        for s in BERICHTSOORTEN.values()
        if s.release_family == release_family
        and s.herhaalt_heenbericht
        and s.retour_op_message_type
    }


# Releases whose structure is established from published material (XSDs, examples), each with
# the layout it is read with (src/sdw/messages/layout.py: LAYOUTS and HEADERS): 3.x one layout,
# iWmo 2.0 its own (the official casus messages), iWmo and iJw 2.3 theirs (the 2.3 XSDs). Any
# other release of a known standard, 2.1, 2.2, 2.4 or a future 3.3 alike, is quarantined as
# "not supported yet" naming the release, never read with a neighbour's layout, and retried
# when a later version of the loader lists it here.
SUPPORTED_RELEASES: dict[tuple[str, str], str] = {
    ("iwmo", "2.0"): "2.0",
    ("iwmo", "2.3"): "2.3",
    ("ijw", "2.3"): "2.3",
    **{(standard, f"3.{minor}"): "3" for standard in ("iwmo", "ijw") for minor in range(3)},
}


@dataclass(frozen=True)
class MessageKind:
    standard: str  # iwmo | ijw
    release: str  # "3.2", "2.0", ...
    message_type: str  # "301", "305", ...

    @property
    def name(self) -> str:
        return f"{'WMO' if self.standard == 'iwmo' else 'JW'}{self.message_type}"

    @property
    def family(self) -> str:
        """The major release: message structure changes between families, not within one."""
        return self.release.partition(".")[0]

    @property
    def soort(self) -> Berichtsoort | None:
        """The kind's row in seeds/berichtsoort.csv; None for a type the warehouse does not load."""
        return BERICHTSOORTEN.get((self.standard, self.family, self.message_type))

    @property
    def bericht_code(self) -> str | None:
        soort = self.soort
        return soort.bericht_code if soort else None

    @property
    def bericht_codes(self) -> tuple[str, ...]:
        """The codes the header may carry: one, or two where a type serves two purposes (the 2.3
        303 is a declaratie or a factuur)."""
        code = self.bericht_code
        return tuple(code.split("|")) if code else ()

    @property
    def is_supported_release(self) -> bool:
        return (self.standard, self.release) in SUPPORTED_RELEASES

    @property
    def layout(self) -> str | None:
        """The layout the release is read with ("3", "2.0", "2.3"); None when unsupported."""
        return SUPPORTED_RELEASES.get((self.standard, self.release))


def kind_of_namespace(namespace: str) -> MessageKind | None:
    match = _NAMESPACE.match(namespace)
    if match is None:
        return None
    if (match["standard"] == "iwmo") != (match["prefix"] == "wmo"):
        return None
    release = f"{match['major']}_{match['minor']}"
    # Some 2.x namespaces repeat the release at the end (2.0, 2.1), others not (2.3); 3.x ones
    # never do.
    if match["suffix"] is not None and (match["major"] != "2" or match["suffix"] != release):
        return None
    return MessageKind(match["standard"], release.replace("_", "."), match["type"])


_MESSAGE_SCHEMA = re.compile(r"/(?:wmo|jw)\d{3}/schema")


def basisschema_namespace(namespace: str) -> str:
    """The namespace of the basisschema a message namespace's types come from: a message's
    elements are in its own namespace, those of the shared types (Identificatie, Datum, Code)
    in this one."""
    return _MESSAGE_SCHEMA.sub("/basisschema/schema", namespace, count=1)
