"""Transport envelopes around iWmo/iJw messages, recognised by namespace and unwrapped.

Archives often keep messages as they travelled:

- VECOZO berichtuitwisseling: a SOAP envelope whose Header holds a RouteringHeader (Afzender,
  Geadresseerden, Berichtsubtype such as JW315, Berichtversie) and whose Body holds
  IndienenBericht (or a sibling operation) with the message base64-encoded, usually as a zip
  archive, in a `Data` element. Namespaces `http://schemas.vecozo.nl/berichtuitwisseling/...`.
- The StUF koppelvlak between the Gemeentelijk Gegevensknooppunt and the gemeente (VNG, ggk0210):
  `envelopHeenbericht-ggk_Di01` / `envelopRetourbericht-ggk_Du01`, bare or in a SOAP Body, whose
  StUF stuurgegevens name zender, ontvanger and functie (WMO301, JW305, ...) and whose
  parameters/bericht/xmlBestand holds the message base64-encoded.

Each message inside becomes an input of its own (`envelope.xml!Data`, or
`envelope.xml!Data!member.xml` when the Data is a zip archive), carrying the envelope's routing;
the loader holds the message's header to it (`routing_mismatch`). The envelope is read with the
parser settings messages are read with (no DTD, no entities, no network), a zipped Data is held
to the bounds of any zip archive (sdw.inputs), and what is decoded goes through every check a
file goes through. A file whose root is not an envelope passes through untouched.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from sdw.config import Settings
from sdw.files import content_id
from sdw.inputs import ZIP_MAGIC, Offered, zip_members
from sdw.messages.parse import Quarantine, refuse_dtd
from sdw.messages.standards import MessageKind

_SOAP = frozenset(
    ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")
)
_VECOZO = re.compile(r"^http://schemas\.vecozo\.nl/berichtuitwisseling/")
_GGK = re.compile(r"^http://www\.stufstandaarden\.nl/koppelvlak/ggk\d{4}$")
_STUF = "http://www.egem.nl/StUF/StUF0301"
# The root's start tag names its namespace; a file without one of these words there is not an
# envelope, and is not parsed twice.
_MARKERS = (b"soap", b"SOAP", b"stufstandaarden")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_WHITESPACE = re.compile(rb"\s+")


@dataclass(frozen=True)
class Routing:
    """What an envelope says about the message it carries."""

    envelope: str  # "VECOZO" or "StUF"
    sender: str | None
    receivers: tuple[str, ...]
    message: str | None  # WMO301, JW315, ...
    family: str | None = None  # VECOZO Berichtversie: the release family (3, 2)


def routing_mismatch(routing: Routing, bericht: dict, kind: MessageKind) -> str | None:
    """The quarantine reason when the envelope's routing contradicts the message header, naming
    what differs and never a value."""
    differs = []
    if routing.message != kind.name:
        differs.append("message type")
    if routing.family is not None and routing.family != kind.family:
        differs.append("release")
    if routing.sender != bericht["afzender"]:
        differs.append("sender")
    if bericht["ontvanger"] not in routing.receivers:
        differs.append("receiver")
    if not differs:
        return None
    return (
        f"{routing.envelope} envelope routing contradicts the message header: "
        f"{', '.join(differs)} differ"
    )


class _Refused(Exception):
    """The envelope cannot be unwrapped; the message says why."""


def unwrap_envelopes(offered: Iterable[Offered], settings: Settings) -> Iterator[Offered]:
    """Every input, with each envelope replaced by the messages inside it."""
    for item in offered:
        if item.data is None or item.refusal is not None or not _may_be_envelope(item.data):
            yield item
            continue
        try:
            root = _envelope_root(item.data)
            if root is None:
                yield item
                continue
            yield from _unwrapped(item, root, settings)
        except (_Refused, Quarantine) as why:
            yield dataclasses.replace(item, refusal=str(why))


def _may_be_envelope(data: bytes) -> bool:
    if b"\0" in data[:4]:  # UTF-16 or UTF-32: no byte pattern to go by
        return True
    first = _FIRST_ELEMENT.search(data)
    if first is None:
        return False
    end = data.find(b">", first.start())
    start_tag = data[first.start() : end if end >= 0 else len(data)]
    return any(marker in start_tag for marker in _MARKERS)


def _envelope_root(data: bytes) -> etree._Element | None:
    """The parsed envelope, or None when the root is not one (then the file is a message)."""
    refuse_dtd(data)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None  # the message parser says what is wrong with it
    namespace = etree.QName(root).namespace or ""
    if namespace in _SOAP or _GGK.match(namespace):
        return root
    return None


def _unwrapped(item: Offered, root: etree._Element, settings: Settings) -> Iterator[Offered]:
    name = etree.QName(root)
    if name.namespace in _SOAP:
        if name.localname != "Envelope":
            raise _Refused("SOAP document whose root is not an Envelope")
        body = _child(root, name.namespace, "Body")
        operation = (
            next((e for e in body if isinstance(e.tag, str)), None) if body is not None else None
        )
        namespace = (etree.QName(operation).namespace or "") if operation is not None else ""
        if _VECOZO.match(namespace):
            routing, payloads = _vecozo(root, name.namespace, operation)
        elif _GGK.match(namespace):
            routing, payloads = _stuf(operation)
        else:
            raise _Refused("SOAP envelope holds no VECOZO or StUF iWmo/iJw message")
    else:
        routing, payloads = _stuf(root)
    if not payloads:
        raise _Refused(f"{routing.envelope} envelope holds no message (no Data element)")
    if len(payloads) > settings.zip_max_members:
        raise _Refused(
            f"{routing.envelope} envelope holds {len(payloads):,} messages, over the limit of "
            f"{settings.zip_max_members:,} (SDW_ZIP_MAX_MEMBERS)"
        )
    for seq, element in enumerate(payloads, start=1):
        path = f"{item.path}!Data" + (f"[{seq}]" if len(payloads) > 1 else "")
        data = _decoded(element, routing.envelope)
        if data[:4] in ZIP_MAGIC:
            for member in zip_members(path, io.BytesIO(data), len(data), settings):
                yield dataclasses.replace(member, routing=routing)
        else:
            yield Offered(path, len(data), content_id(data), data, routing=routing)


def _child(element: etree._Element, namespace: str, localname: str) -> etree._Element | None:
    return element.find(f"{{{namespace}}}{localname}")


def _local_children(element: etree._Element | None, localname: str, pattern) -> list:
    """Children with this local name in a namespace the pattern accepts."""
    if element is None:
        return []
    return [
        child
        for child in element
        if isinstance(child.tag, str)
        and etree.QName(child).localname == localname
        and pattern(etree.QName(child).namespace or "")
    ]


def _text(elements: list) -> str | None:
    for element in elements:
        if element.text and element.text.strip():
            return element.text.strip()
    return None


def _vecozo(
    root: etree._Element, soap: str, operation: etree._Element
) -> tuple[Routing, list[etree._Element]]:
    vecozo = _VECOZO.match
    header = _child(root, soap, "Header")
    routering = next(iter(_local_children(header, "RouteringHeader", vecozo)), None)

    def codes(*steps: str) -> list[str]:
        level = [routering] if routering is not None else []
        for step in steps:
            level = [c for e in level for c in _local_children(e, step, vecozo)]
        return [e.text.strip() for e in level if e.text and e.text.strip()]

    family = _text(_local_children(routering, "Berichtversie", vecozo))
    routing = Routing(
        envelope="VECOZO",
        sender=next(iter(codes("Afzender", "Code")), None),
        receivers=tuple(codes("Geadresseerden", "Relatie", "Code")),
        message=_text(_local_children(routering, "Berichtsubtype", vecozo)),
        family=str(int(family)) if family and family.isdigit() else family,
    )
    payloads = [
        e
        for e in operation.iter()
        if isinstance(e.tag, str)
        and etree.QName(e).localname == "Data"
        and vecozo(etree.QName(e).namespace or "")
    ]
    return routing, payloads


def _stuf(envelope: etree._Element) -> tuple[Routing, list[etree._Element]]:
    ggk = _GGK.match
    if not etree.QName(envelope).localname.startswith("envelop"):
        raise _Refused("StUF koppelvlak document that is not an envelop-bericht")
    stuurgegevens = next(iter(_local_children(envelope, "stuurgegevens", ggk)), None)

    def stuf(element: etree._Element | None, *steps: str) -> str | None:
        for step in steps:
            element = _child(element, _STUF, step) if element is not None else None
        return element.text.strip() if element is not None and element.text else None

    routing = Routing(
        envelope="StUF",
        sender=stuf(stuurgegevens, "zender", "organisatie"),
        receivers=tuple(filter(None, [stuf(stuurgegevens, "ontvanger", "organisatie")])),
        message=stuf(stuurgegevens, "functie"),
    )
    bericht = [
        b
        for parameters in _local_children(envelope, "parameters", ggk)
        for b in _local_children(parameters, "bericht", ggk)
    ]
    if any(_local_children(b, "tekstBestand", ggk) for b in bericht):
        raise _Refused("StUF envelope holds a text file (tekstBestand), not an iWmo/iJw message")
    return routing, [x for b in bericht for x in _local_children(b, "xmlBestand", ggk)]


def _decoded(element: etree._Element, envelope: str) -> bytes:
    text = (element.text or "").encode("ascii", "replace")
    try:
        data = base64.b64decode(_WHITESPACE.sub(b"", text), validate=True)
    except (binascii.Error, ValueError):
        raise _Refused(f"{envelope} envelope: message is not valid base64") from None
    if not data:
        raise _Refused(f"{envelope} envelope: message is empty")
    return data
