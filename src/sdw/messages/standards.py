"""What a message is, read from its namespace and BerichtCode — never from its file name."""

from __future__ import annotations

import re
from dataclasses import dataclass

# 3.x: http://www.istandaarden.nl/iwmo/3_2/wmo301/schema
# 2.x: http://www.istandaarden.nl/iwmo/2_0/wmo301/schema/2_0
_NAMESPACE = re.compile(
    r"^http://www\.istandaarden\.nl/(?P<standard>iwmo|ijw)/(?P<major>\d)_(?P<minor>\d)/"
    r"(?P<prefix>wmo|jw)(?P<type>\d{3})/schema(?:/\d_\d)?$"
)

# COD002-VEKT BerichtCode per standard and message type (reference §1.1).
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


@dataclass(frozen=True)
class MessageKind:
    standard: str  # iwmo | ijw
    release: str  # "3.2", "2.0", ...
    message_type: str  # "301", "305", ...

    @property
    def name(self) -> str:
        return f"{'WMO' if self.standard == 'iwmo' else 'JW'}{self.message_type}"

    @property
    def bericht_code(self) -> str | None:
        return BERICHT_CODES.get((self.standard, self.message_type))


def kind_of_namespace(namespace: str) -> MessageKind | None:
    match = _NAMESPACE.match(namespace)
    if match is None:
        return None
    if (match["standard"] == "iwmo") != (match["prefix"] == "wmo"):
        return None
    return MessageKind(match["standard"], f"{match['major']}.{match['minor']}", match["type"])
