"""What a message is, read from its namespace and BerichtCode — never from its file name."""

from __future__ import annotations

import re
from dataclasses import dataclass

# 3.x: http://www.istandaarden.nl/iwmo/3_2/wmo301/schema
# 2.x: http://www.istandaarden.nl/iwmo/2_0/wmo301/schema/2_0
_NAMESPACE = re.compile(
    r"^http://www\.istandaarden\.nl/(?P<standard>iwmo|ijw)/(?P<major>\d)_(?P<minor>\d)/"
    r"(?P<prefix>wmo|jw)(?P<type>\d{3})/schema(?:/(?P<suffix>\d_\d))?$"
)

# COD002-VEKT BerichtCode per standard and message type (reference §1.1). iWmo 2.0 shares the
# codes of 3.x for the messages both have.
BERICHT_CODES: dict[tuple[str, str], str] = {
    **{
        ("iwmo", t): c
        for t, c in {
            "301": "414", "302": "415", "305": "418", "306": "419", "307": "420",
            "308": "421", "315": "444", "316": "445", "317": "480", "318": "481",
            "319": "482", "320": "483", "323": "484", "325": "485",
        }.items()
    },
    **{
        ("ijw", t): c
        for t, c in {
            "301": "436", "302": "437", "305": "438", "306": "439", "307": "440",
            "308": "441", "315": "446", "316": "447", "317": "486", "318": "487",
            "319": "488", "320": "489", "323": "490", "325": "491",
        }.items()
    },
}  # fmt: skip

# The message a retour answers. 302-320 repeat that message's header (and body); 325 is the
# gemeente's own message that points to the 323 through DeclaratieIdentificatie.
ANSWERS: dict[str, str] = {
    "302": "301", "306": "305", "308": "307", "316": "315", "318": "317", "320": "319",
    "325": "323",
}  # fmt: skip

# Releases whose structure is established (XSDs, examples). Other releases of a known standard
# are quarantined as "not supported yet", and retried when a later version of the loader runs.
SUPPORTED_RELEASES = {
    ("iwmo", "2.0"),
    *((standard, f"3.{minor}") for standard in ("iwmo", "ijw") for minor in range(3)),
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
    def bericht_code(self) -> str | None:
        return BERICHT_CODES.get((self.standard, self.message_type))

    @property
    def is_supported_release(self) -> bool:
        return (self.standard, self.release) in SUPPORTED_RELEASES


def kind_of_namespace(namespace: str) -> MessageKind | None:
    match = _NAMESPACE.match(namespace)
    if match is None:
        return None
    if (match["standard"] == "iwmo") != (match["prefix"] == "wmo"):
        return None
    release = f"{match['major']}_{match['minor']}"
    # 2.x namespaces repeat the release at the end; 3.x ones have none.
    if (match["major"] == "2") != (match["suffix"] is not None) or match["suffix"] not in (
        None,
        release,
    ):
        return None
    return MessageKind(match["standard"], release.replace("_", "."), match["type"])


_MESSAGE_SCHEMA = re.compile(r"/(?:wmo|jw)\d{3}/schema")


def basisschema_namespace(namespace: str) -> str:
    """The namespace of the basisschema a message namespace's types come from: a message's
    elements are in its own namespace, those of the shared types (Identificatie, Datum, Code)
    in this one."""
    return _MESSAGE_SCHEMA.sub("/basisschema/schema", namespace, count=1)
