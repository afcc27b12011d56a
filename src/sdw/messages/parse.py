"""Streaming, namespace-aware parsing of one iWmo/iJw message into raw rows.

Each Client is handled at its end tag and then cleared, so memory stays bounded by one client
even in a 25 MB declaratie. Anything the loader cannot trust raises `Quarantine` with the reason.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from lxml import etree

from sdw.messages.layout import PRODUCT_LAYOUTS
from sdw.messages.standards import MessageKind, kind_of_namespace
from sdw.pseudonym import is_test_bsn, passes_elfproef, pseudonymise

# DTDs are refused outright: they are the only way to declare entities (XXE, billion laughs).
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_PROLOG_BYTES = 4096
_BRP_ADRES = "01"


class Quarantine(Exception):
    """The file cannot be loaded; the message says why, for raw.ingest_files.reason."""


@dataclass
class ParsedMessage:
    kind: MessageKind
    bericht: dict[str, str | None]
    clients: list[tuple] = field(default_factory=list)
    products: list[tuple] = field(default_factory=list)
    invalid_bsn_count: int = 0
    only_test_bsns: bool = True

    @property
    def product_table(self) -> str:
        return PRODUCT_LAYOUTS[self.kind.message_type].table


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _text(element: etree._Element, path: str) -> str | None:
    found = element.find("/".join(f"{{*}}{step}" for step in path.split("/")))
    if found is None or found.text is None:
        return None
    return found.text.strip()


def _refuse_doctype(data: bytes) -> None:
    # A DOCTYPE must precede the root element, so the prolog is enough to look at.
    if _DOCTYPE.search(data[:_PROLOG_BYTES]):
        raise Quarantine("DOCTYPE or entity declaration refused (never resolved)")


def _kind_of_root(root: etree._Element) -> MessageKind:
    namespace = etree.QName(root).namespace or ""
    kind = kind_of_namespace(namespace)
    if kind is None or _local(root.tag) != "Bericht":
        raise Quarantine(f"unknown namespace or root: {{{namespace}}}{_local(root.tag)}")
    if kind.message_type not in PRODUCT_LAYOUTS or not kind.release.startswith("3."):
        raise Quarantine(f"{kind.name} release {kind.release} is not supported yet")
    return kind


def _header(header: etree._Element, kind: MessageKind) -> dict[str, str | None]:
    code = _text(header, "BerichtCode")
    if code != kind.bericht_code:
        raise Quarantine(
            f"BerichtCode {code!r} does not match namespace {kind.name} "
            f"(expected {kind.bericht_code})"
        )
    afzender = _text(header, "Afzender")
    ontvanger = _text(header, "Ontvanger")
    identificatie = _text(header, "BerichtIdentificatie/Identificatie")
    if not (afzender and ontvanger and identificatie):
        raise Quarantine("header lacks Afzender, Ontvanger or BerichtIdentificatie")
    # Retour messages repeat the heenbericht's header, so the 4-digit CBS code identifies the
    # gemeente and the 8-digit AGB code the aanbieder, whoever sent the file.
    gemeente, aanbieder = (afzender, ontvanger) if len(afzender) == 4 else (ontvanger, afzender)
    return {
        "standard": kind.standard,
        "release": kind.release,
        "message_type": kind.message_type,
        "bericht_code": code,
        "afzender": afzender,
        "ontvanger": ontvanger,
        "bericht_identificatie": identificatie,
        "dagtekening": _text(header, "BerichtIdentificatie/Dagtekening"),
        "gemeente_code": gemeente,
        "aanbieder_agb": aanbieder,
    }


def _postcode4(client: etree._Element) -> str | None:
    postcodes = {}
    for contact in client.iterfind("{*}Contactgegevens/{*}Contact"):
        postcode = _text(contact, "Adres/Postcode")
        if postcode:
            postcodes.setdefault(_text(contact, "Soort"), postcode)
    postcode = postcodes.get(_BRP_ADRES) or next(iter(postcodes.values()), None)
    return postcode[:4] if postcode else None


def parse_message(data: bytes, file_id: str, key: bytes) -> ParsedMessage:
    """Parse one message file; raises Quarantine for anything that cannot be loaded."""
    _refuse_doctype(data)
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        tag=("{*}Bericht", "{*}Header", "{*}Client"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    message: ParsedMessage | None = None
    kind: MessageKind | None = None
    try:
        for event, element in events:
            if event == "start":
                if kind is None:
                    kind = _kind_of_root(element)
                continue
            name = _local(element.tag)
            if name == "Header":
                message = ParsedMessage(kind, {"file_id": file_id, **_header(element, kind)})
            elif name == "Client":
                if message is None:
                    raise Quarantine("Client before Header")
                _add_client(message, element, file_id, key)
                element.clear(keep_tail=False)
    except etree.XMLSyntaxError as error:
        raise Quarantine(f"malformed XML: {error.msg}") from None
    if message is None:
        raise Quarantine("no Header in message")
    if not message.clients:
        raise Quarantine("no Client in message")
    return message


def _add_client(message: ParsedMessage, client: etree._Element, file_id: str, key: bytes) -> None:
    bsn = _text(client, "Bsn")
    if not bsn:
        raise Quarantine("Client without Bsn")
    valid = passes_elfproef(bsn)
    message.invalid_bsn_count += not valid
    message.only_test_bsns &= is_test_bsn(bsn)
    birth = _text(client, "Geboortedatum/Datum") or ""
    client_seq = len(message.clients) + 1
    message.clients.append(
        (
            file_id,
            client_seq,
            pseudonymise(key, bsn),
            valid,
            birth[:4] or None,
            birth[5:7] or None,
            _text(client, "Geslacht"),
            _postcode4(client),
        )
    )
    layout = PRODUCT_LAYOUTS[message.kind.message_type]
    products = client.findall("/".join(f"{{*}}{step}" for step in layout.path.split("/")))
    if not products:
        raise Quarantine(f"Client {client_seq} has no {layout.path}")
    for product_seq, product in enumerate(products, start=1):
        values = tuple(_text(product, path) for path in layout.fields.values())
        message.products.append((file_id, client_seq, product_seq, *values))
