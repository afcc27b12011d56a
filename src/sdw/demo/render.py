"""iWmo/iJw 3.2 message text, as string templates: this is the generator's hot path.

One template per message part serves both standards: ``m`` is the message's element prefix
(``wmo305``, ``jw305``), ``b`` the basisschema's (``iwmo``, ``ijw``). Children of a basisschema
type (CDT_*) carry ``b``, children of a message type carry ``m``, as the XSDs qualify them.

A retour repeats its heen-message's classes and adds RetourCodes to each, so the templates of
messages whose retours can reject something take codes: None renders the heen-message. A retour
that rejects nothing is its header alone (the body is 0..1 and holds only rejected clients).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sdw.demo.catalogue import Standard

ACCEPTED = "0200"  # geen opmerking over deze berichtklasse


class Sent(NamedTuple):
    """A message as its retour or answer must refer to it."""

    standard: Standard
    number: str
    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: date


@dataclass(frozen=True)
class Person:
    """The identity blocks of one client; the name and contact details are fake but present."""

    bsn: str
    number: int  # makes the fake name, mail address and phone number unique
    geboortedatum: date
    geslacht: str
    postcode: str
    huisnummer: int
    straatnaam: str
    plaatsnaam: str


def _codes(m: str, code: str | None, ind: str) -> str:
    if code is None:
        return ""
    return (
        f"{ind}<{m}:RetourCodes>\n{ind}\t<{m}:RetourCode>{code}</{m}:RetourCode>\n"
        f"{ind}</{m}:RetourCodes>\n"
    )


def _opt(prefix: str, name: str, value: object, ind: str) -> str:
    return "" if value is None else f"{ind}<{prefix}:{name}>{value}</{prefix}:{name}>\n"


def document(standard: Standard, number: str, header: str, body: str) -> bytes:
    m = f"{standard.element_prefix}{number}"
    b = standard.key
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{m}:Bericht xmlns:{b}="{standard.namespace("basisschema")}"'
        f' xmlns:{m}="{standard.namespace(m)}">\n{header}{body}</{m}:Bericht>\n'
    ).encode()


def _xsd(m: str, b: str, name: str, standard: Standard) -> str:
    basis, bericht = standard.xsd_versie
    return (
        f"\t\t<{m}:{name}>\n"
        f"\t\t\t<{b}:BasisschemaXsdVersie>{basis}</{b}:BasisschemaXsdVersie>\n"
        f"\t\t\t<{b}:BerichtXsdVersie>{bericht}</{b}:BerichtXsdVersie>\n"
        f"\t\t</{m}:{name}>\n"
    )


def _identification(m: str, b: str, name: str, identificatie: str, dagtekening: date) -> str:
    return (
        f"\t\t<{m}:{name}>\n"
        f"\t\t\t<{b}:Identificatie>{identificatie}</{b}:Identificatie>\n"
        f"\t\t\t<{b}:Dagtekening>{dagtekening}</{b}:Dagtekening>\n"
        f"\t\t</{m}:{name}>\n"
    )


def _header_start(m: str, b: str, code: str, heen: Sent) -> str:
    return (
        f"\t<{m}:Header>\n"
        f"\t\t<{m}:BerichtCode>{code}</{m}:BerichtCode>\n"
        f"\t\t<{m}:BerichtVersie>3</{m}:BerichtVersie>\n"
        f"\t\t<{m}:BerichtSubversie>2</{m}:BerichtSubversie>\n"
        f"\t\t<{m}:Afzender>{heen.afzender}</{m}:Afzender>\n"
        f"\t\t<{m}:Ontvanger>{heen.ontvanger}</{m}:Ontvanger>\n"
        + _identification(m, b, "BerichtIdentificatie", heen.identificatie, heen.dagtekening)
        + _xsd(m, b, "XsdVersie", heen.standard)
    )


def header(sent: Sent) -> str:
    m, b = f"{sent.standard.element_prefix}{sent.number}", sent.standard.key
    code = sent.standard.bericht_codes[sent.number]
    return _header_start(m, b, code, sent) + f"\t</{m}:Header>\n"


def retour_header(number: str, heen: Sent, identificatie: str, dagtekening: date) -> str:
    """The heen-message's header, repeated, plus the retour's own identification."""
    m, b = f"{heen.standard.element_prefix}{number}", heen.standard.key
    code = heen.standard.bericht_codes[number]
    return (
        _header_start(m, b, code, heen)
        + f"\t\t<{m}:IdentificatieRetour>{identificatie}</{m}:IdentificatieRetour>\n"
        + f"\t\t<{m}:DagtekeningRetour>{dagtekening}</{m}:DagtekeningRetour>\n"
        + _xsd(m, b, "XsdVersieRetour", heen.standard)
        + _codes(m, ACCEPTED, "\t\t")
        + f"\t</{m}:Header>\n"
    )


def antwoord_header(sent: Sent, declaratie: Sent) -> str:
    """325: its own header, pointing at the 323 it answers."""
    m, b = f"{sent.standard.element_prefix}325", sent.standard.key
    return (
        _header_start(m, b, sent.standard.bericht_codes["325"], sent)
        + _identification(
            m, b, "DeclaratieIdentificatie", declaratie.identificatie, declaratie.dagtekening
        )
        + _xsd(m, b, "XsdVersieDeclaratie", sent.standard)
        + _codes(m, ACCEPTED, "\t\t")
        + f"\t</{m}:Header>\n"
    )


# --- client identity -----------------------------------------------------------------------------


def _identity(m: str, b: str, person: Person, ind: str, full_name: bool) -> str:
    """Bsn to Naam: 301/302 use CDT_VolledigeNaam, the other messages CDT_VerkorteNaam."""
    return (
        f"{ind}<{m}:Bsn>{person.bsn}</{m}:Bsn>\n"
        f"{ind}<{m}:Geboortedatum>\n{ind}\t<{b}:Datum>{person.geboortedatum}</{b}:Datum>\n"
        f"{ind}</{m}:Geboortedatum>\n"
        f"{ind}<{m}:Geslacht>{person.geslacht}</{m}:Geslacht>\n"
        f"{ind}<{m}:Naam>\n"
        f"{ind}\t<{b}:Geslachtsnaam>\n{ind}\t\t<{b}:Achternaam>Demo{person.number}</{b}:Achternaam>"
        f"\n{ind}\t</{b}:Geslachtsnaam>\n"
        f"{ind}\t<{b}:Voornamen>Test</{b}:Voornamen>\n{ind}\t<{b}:Voorletters>T</{b}:Voorletters>\n"
        + (f"{ind}\t<{b}:NaamGebruik>1</{b}:NaamGebruik>\n" if full_name else "")
        + f"{ind}</{m}:Naam>\n"
    )


def _contactgegevens(m: str, b: str, person: Person) -> str:
    # The 0000 area code does not exist, so the number cannot reach anyone.
    return (
        f"\t\t<{m}:Contactgegevens>\n\t\t\t<{m}:Contact>\n"
        f"\t\t\t\t<{m}:Soort>01</{m}:Soort>\n"  # BRP-adres
        f"\t\t\t\t<{m}:Adres>\n"
        f"\t\t\t\t\t<{b}:Huis>\n\t\t\t\t\t\t<{b}:Huisnummer>{person.huisnummer}</{b}:Huisnummer>\n"
        f"\t\t\t\t\t</{b}:Huis>\n"
        f"\t\t\t\t\t<{b}:Postcode>{person.postcode}</{b}:Postcode>\n"
        f"\t\t\t\t\t<{b}:Straatnaam>{person.straatnaam}</{b}:Straatnaam>\n"
        f"\t\t\t\t\t<{b}:Plaatsnaam>{person.plaatsnaam}</{b}:Plaatsnaam>\n"
        f"\t\t\t\t\t<{b}:LandCode>NL</{b}:LandCode>\n"
        f"\t\t\t\t</{m}:Adres>\n"
        f"\t\t\t\t<{m}:Telefoon>\n\t\t\t\t\t<{b}:Telefoon01>\n"
        f"\t\t\t\t\t\t<{b}:Telefoonnummer>0000{person.number:06d}</{b}:Telefoonnummer>\n"
        f"\t\t\t\t\t\t<{b}:Landnummer>0031</{b}:Landnummer>\n"
        f"\t\t\t\t\t</{b}:Telefoon01>\n\t\t\t\t</{m}:Telefoon>\n"
        f"\t\t\t\t<{m}:Emailadres>test{person.number:03d}@example.invalid</{m}:Emailadres>\n"
        f"\t\t\t</{m}:Contact>\n\t\t</{m}:Contactgegevens>\n"
    )


def _product(b: str, categorie: str, code: str, ind: str, m: str) -> str:
    return (
        f"{ind}<{m}:Product>\n{ind}\t<{b}:Categorie>{categorie}</{b}:Categorie>\n"
        f"{ind}\t<{b}:Code>{code}</{b}:Code>\n{ind}</{m}:Product>\n"
    )


def _omvang(m: str, b: str, volume: int, eenheid: str, frequentie: str, ind: str) -> str:
    return (
        f"{ind}<{m}:Omvang>\n{ind}\t<{b}:Volume>{volume}</{b}:Volume>\n"
        f"{ind}\t<{b}:Eenheid>{eenheid}</{b}:Eenheid>\n"
        f"{ind}\t<{b}:Frequentie>{frequentie}</{b}:Frequentie>\n{ind}</{m}:Omvang>\n"
    )


# --- 301 / 302 ------------------------------------------------------------------------------------


class ToegewezenProduct(NamedTuple):
    nummer: int
    referentie: str | None
    categorie: str
    code: str
    toewijzingsdatum: date
    toewijzingstijd: str
    ingangsdatum: date
    einddatum: date | None
    reden_wijziging: str | None
    volume: int
    eenheid: str
    frequentie: str


def toewijzing(m: str, b: str, person: Person, products: Sequence[ToegewezenProduct]) -> str:
    parts = [f"\t<{m}:Client>\n", _identity(m, b, person, "\t\t", True)]
    parts.append(_contactgegevens(m, b, person))
    parts.append(f"\t\t<{m}:ToegewezenProducten>\n")
    for p in products:
        parts.append(
            f"\t\t\t<{m}:ToegewezenProduct>\n"
            f"\t\t\t\t<{m}:ToewijzingNummer>{p.nummer}</{m}:ToewijzingNummer>\n"
            + _opt(m, "ReferentieAanbieder", p.referentie, "\t\t\t\t")
            + _product(b, p.categorie, p.code, "\t\t\t\t", m)
            + f"\t\t\t\t<{m}:Toewijzingsdatum>{p.toewijzingsdatum}</{m}:Toewijzingsdatum>\n"
            f"\t\t\t\t<{m}:Toewijzingstijd>{p.toewijzingstijd}</{m}:Toewijzingstijd>\n"
            f"\t\t\t\t<{m}:Ingangsdatum>{p.ingangsdatum}</{m}:Ingangsdatum>\n"
            + _opt(m, "Einddatum", p.einddatum, "\t\t\t\t")
            + _opt(m, "RedenWijziging", p.reden_wijziging, "\t\t\t\t")
            + _omvang(m, b, p.volume, p.eenheid, p.frequentie, "\t\t\t\t")
            + f"\t\t\t</{m}:ToegewezenProduct>\n"
        )
    parts.append(f"\t\t</{m}:ToegewezenProducten>\n\t</{m}:Client>\n")
    return "".join(parts)


# --- 305 / 306 / 307 / 308 ------------------------------------------------------------------------


class Delivery(NamedTuple):
    """A StartProduct (einddatum None) or a StopProduct."""

    nummer: int
    categorie: str
    code: str
    ingangsdatum: date
    begindatum: date
    status: str  # StatusAanlevering: 1 eerste aanlevering, 3 verwijderen
    reden: str | None = None
    einddatum: date | None = None


def deliveries(
    m: str, b: str, person: Person, stop: bool, classes: Sequence[tuple[Delivery, str | None]]
) -> str:
    """305/307 (every code None) or their retours 306/308 (a code per class)."""
    kind = "StopProduct" if stop else "StartProduct"
    parts = [f"\t<{m}:Client>\n", _identity(m, b, person, "\t\t", False), f"\t\t<{m}:{kind}en>\n"]
    for d, code in classes:
        parts.append(
            f"\t\t\t<{m}:{kind}>\n"
            f"\t\t\t\t<{m}:ToewijzingNummer>{d.nummer}</{m}:ToewijzingNummer>\n"
            + _product(b, d.categorie, d.code, "\t\t\t\t", m)
            + f"\t\t\t\t<{m}:ToewijzingIngangsdatum>{d.ingangsdatum}</{m}:ToewijzingIngangsdatum>\n"
            f"\t\t\t\t<{m}:Begindatum>{d.begindatum}</{m}:Begindatum>\n"
            + _opt(m, "RedenBeeindiging", d.reden, "\t\t\t\t")
            + _opt(m, "Einddatum", d.einddatum, "\t\t\t\t")
            + f"\t\t\t\t<{m}:StatusAanlevering>{d.status}</{m}:StatusAanlevering>\n"
            + _codes(m, code, "\t\t\t\t")
            + f"\t\t\t</{m}:{kind}>\n"
        )
    parts.append(f"\t\t</{m}:{kind}en>\n")
    retour = classes and classes[0][1] is not None
    parts.append(_codes(m, ACCEPTED if retour else None, "\t\t") + f"\t</{m}:Client>\n")
    return "".join(parts)


# --- 315 / 316 ------------------------------------------------------------------------------------


class AangevraagdProduct(NamedTuple):
    referentie: str
    categorie: str
    code: str
    ingangsdatum: date
    einddatum: date | None
    volume: int
    eenheid: str
    frequentie: str
    verwijzer_type: str
    verwijzer_naam: str | None
    verwijzer_agb: str | None


def verzoek_om_toewijzing(
    m: str,
    b: str,
    person: Person,
    products: Sequence[AangevraagdProduct],
    codes: Sequence[str] | None = None,
) -> str:
    """315, or its retour 316 with a code per AangevraagdProduct."""
    parts = [f"\t<{m}:Client>\n", _identity(m, b, person, "\t\t", False)]
    parts.append(f"\t\t<{m}:AangevraagdeProducten>\n")
    for i, p in enumerate(products):
        code = None if codes is None else codes[i]
        parts.append(
            f"\t\t\t<{m}:AangevraagdProduct>\n"
            f"\t\t\t\t<{m}:ReferentieAanbieder>{p.referentie}</{m}:ReferentieAanbieder>\n"
            + _product(b, p.categorie, p.code, "\t\t\t\t", m)
            + f"\t\t\t\t<{m}:ToewijzingIngangsdatum>{p.ingangsdatum}</{m}:ToewijzingIngangsdatum>\n"
            + _opt(m, "ToewijzingEinddatum", p.einddatum, "\t\t\t\t")
            + _omvang(m, b, p.volume, p.eenheid, p.frequentie, "\t\t\t\t")
            + f"\t\t\t\t<{m}:Verwijzer>\n\t\t\t\t\t<{b}:Type>{p.verwijzer_type}</{b}:Type>\n"
            + _opt(b, "Naam", p.verwijzer_naam, "\t\t\t\t\t")
            + _opt(b, "ZorgverlenerCode", p.verwijzer_agb, "\t\t\t\t\t")
            + f"\t\t\t\t</{m}:Verwijzer>\n"
            + _codes(m, code, "\t\t\t\t")
            + f"\t\t\t</{m}:AangevraagdProduct>\n"
        )
    parts.append(f"\t\t</{m}:AangevraagdeProducten>\n")
    client_code = None if codes is None else ACCEPTED
    parts.append(_codes(m, client_code, "\t\t") + f"\t</{m}:Client>\n")
    return "".join(parts)


# --- 317 / 318 ------------------------------------------------------------------------------------


class TeWijzigenProduct(NamedTuple):
    nummer: int
    gewenste_ingangsdatum: date
    einddatum: date
    volume: int
    eenheid: str
    frequentie: str


def verzoek_om_wijziging(
    m: str,
    b: str,
    bsn: str,
    referentie: str,
    reden: str,
    ongewijzigd: Sequence[int],
    te_wijzigen: Sequence[TeWijzigenProduct],
    verzoek_code: str | None = None,
) -> str:
    """317, or its retour 318 that rejects the Verzoek as a whole with ``verzoek_code``."""
    code = None if verzoek_code is None else ACCEPTED
    parts = [
        f"\t<{m}:Client>\n\t\t<{m}:Bsn>{bsn}</{m}:Bsn>\n\t\t<{m}:Verzoek>\n",
        f"\t\t\t<{m}:ReferentieAanbieder>{referentie}</{m}:ReferentieAanbieder>\n",
        f"\t\t\t<{m}:RedenVerzoek>{reden}</{m}:RedenVerzoek>\n",
    ]
    if ongewijzigd:
        parts.append(f"\t\t\t<{m}:OngewijzigdeProducten>\n")
        for nummer in ongewijzigd:
            parts.append(
                f"\t\t\t\t<{m}:OngewijzigdProduct>\n"
                f"\t\t\t\t\t<{m}:ToewijzingNummer>{nummer}</{m}:ToewijzingNummer>\n"
                + _codes(m, code, "\t\t\t\t\t")
                + f"\t\t\t\t</{m}:OngewijzigdProduct>\n"
            )
        parts.append(f"\t\t\t</{m}:OngewijzigdeProducten>\n")
    parts.append(f"\t\t\t<{m}:TeWijzigenProducten>\n")
    for p in te_wijzigen:
        parts.append(
            f"\t\t\t\t<{m}:TeWijzigenProduct>\n"
            f"\t\t\t\t\t<{m}:ToewijzingNummer>{p.nummer}</{m}:ToewijzingNummer>\n"
            f"\t\t\t\t\t<{m}:GewensteIngangsdatum>{p.gewenste_ingangsdatum}"
            f"</{m}:GewensteIngangsdatum>\n"
            f"\t\t\t\t\t<{m}:Einddatum>{p.einddatum}</{m}:Einddatum>\n"
            + _omvang(m, b, p.volume, p.eenheid, p.frequentie, "\t\t\t\t\t")
            + _codes(m, code, "\t\t\t\t\t")
            + f"\t\t\t\t</{m}:TeWijzigenProduct>\n"
        )
    parts.append(f"\t\t\t</{m}:TeWijzigenProducten>\n")
    parts.append(_codes(m, verzoek_code, "\t\t\t") + f"\t\t</{m}:Verzoek>\n")
    parts.append(_codes(m, code, "\t\t") + f"\t</{m}:Client>\n")
    return "".join(parts)


# --- 319 / 320 ------------------------------------------------------------------------------------


def antwoord(
    m: str,
    referentie: str,
    verzoek_antwoord: str,
    reden_afwijzing: str | None,
    woonplaats_gemeente: str | None,
) -> str:
    woonplaats = ""
    if woonplaats_gemeente is not None:
        woonplaats = (
            f"\t\t<{m}:Woonplaatsbeginsel>\n\t\t\t<{m}:Gemeente>{woonplaats_gemeente}</{m}:Gemeente>"
            f"\n\t\t</{m}:Woonplaatsbeginsel>\n"
        )
    return (
        f"\t<{m}:Antwoord>\n"
        f"\t\t<{m}:ReferentieAanbieder>{referentie}</{m}:ReferentieAanbieder>\n"
        f"\t\t<{m}:VerzoekAntwoord>{verzoek_antwoord}</{m}:VerzoekAntwoord>\n"
        + _opt(m, "RedenAfwijzingVerzoek", reden_afwijzing, "\t\t")
        + woonplaats
        + f"\t</{m}:Antwoord>\n"
    )


# --- 323 / 325 ------------------------------------------------------------------------------------


class Prestatie(NamedTuple):
    referentie: str
    nummer: int
    categorie: str
    code: str
    begindatum: date
    einddatum: date
    volume: int
    eenheid: str
    tarief: int  # euro cents
    bedrag: int  # euro cents, debet


def _prestatie(m: str, b: str, p: Prestatie, code: str | None) -> str:
    return (
        f"\t\t\t\t\t\t<{m}:Prestatie>\n"
        f"\t\t\t\t\t\t\t<{m}:ProductReferentie>\n"
        f"\t\t\t\t\t\t\t\t<{b}:ReferentieNummer>{p.referentie}</{b}:ReferentieNummer>\n"
        f"\t\t\t\t\t\t\t</{m}:ProductReferentie>\n"
        f"\t\t\t\t\t\t\t<{m}:ToewijzingNummer>{p.nummer}</{m}:ToewijzingNummer>\n"
        f"\t\t\t\t\t\t\t<{m}:ProductCategorie>{p.categorie}</{m}:ProductCategorie>\n"
        f"\t\t\t\t\t\t\t<{m}:ProductCode>{p.code}</{m}:ProductCode>\n"
        f"\t\t\t\t\t\t\t<{m}:ProductPeriode>\n"
        f"\t\t\t\t\t\t\t\t<{b}:Begindatum>{p.begindatum}</{b}:Begindatum>\n"
        f"\t\t\t\t\t\t\t\t<{b}:Einddatum>{p.einddatum}</{b}:Einddatum>\n"
        f"\t\t\t\t\t\t\t</{m}:ProductPeriode>\n"
        f"\t\t\t\t\t\t\t<{m}:GeleverdVolume>{p.volume}</{m}:GeleverdVolume>\n"
        f"\t\t\t\t\t\t\t<{m}:Eenheid>{p.eenheid}</{m}:Eenheid>\n"
        f"\t\t\t\t\t\t\t<{m}:ProductTarief>{p.tarief}</{m}:ProductTarief>\n"
        f"\t\t\t\t\t\t\t<{m}:IngediendBedrag>\n"
        f"\t\t\t\t\t\t\t\t<{b}:Bedrag>{p.bedrag}</{b}:Bedrag>\n"
        f"\t\t\t\t\t\t\t\t<{b}:DebetCredit>D</{b}:DebetCredit>\n"
        f"\t\t\t\t\t\t\t</{m}:IngediendBedrag>\n"
        + _codes(m, code, "\t\t\t\t\t\t\t")
        + f"\t\t\t\t\t\t</{m}:Prestatie>\n"
    )


def _clienten(
    m: str, b: str, clients: Sequence[tuple[str, Sequence[tuple[Prestatie, str | None]]]]
) -> str:
    parts = [f"\t\t<{m}:Clienten>\n"]
    for bsn, prestaties in clients:
        parts.append(
            f"\t\t\t<{m}:Client>\n\t\t\t\t<{m}:Bsn>{bsn}</{m}:Bsn>\n\t\t\t\t<{m}:Prestaties>\n"
        )
        parts.extend(_prestatie(m, b, p, code) for p, code in prestaties)
        retour = prestaties[0][1] is not None
        parts.append(
            f"\t\t\t\t</{m}:Prestaties>\n"
            + _codes(m, ACCEPTED if retour else None, "\t\t\t\t")
            + f"\t\t\t</{m}:Client>\n"
        )
    parts.append(f"\t\t</{m}:Clienten>\n")
    return "".join(parts)


def _totaal(m: str, b: str, name: str, cents: int) -> str:
    return (
        f"\t\t<{m}:{name}>\n\t\t\t<{b}:TotaalBedrag>{cents}</{b}:TotaalBedrag>\n"
        f"\t\t\t<{b}:DebetCredit>D</{b}:DebetCredit>\n\t\t</{m}:{name}>\n"
    )


def declaratie(
    m: str,
    b: str,
    nummer: str,
    begin: date,
    end: date,
    dagtekening: date,
    clients: Sequence[tuple[str, Sequence[Prestatie]]],
) -> str:
    total = sum(p.bedrag for _, prestaties in clients for p in prestaties)
    return (
        f"\t<{m}:Declaratie>\n"
        f"\t\t<{m}:DeclaratieNummer>{nummer}</{m}:DeclaratieNummer>\n"
        f"\t\t<{m}:DeclaratiePeriode>\n\t\t\t<{b}:Begindatum>{begin}</{b}:Begindatum>\n"
        f"\t\t\t<{b}:Einddatum>{end}</{b}:Einddatum>\n\t\t</{m}:DeclaratiePeriode>\n"
        f"\t\t<{m}:DeclaratieDagtekening>{dagtekening}</{m}:DeclaratieDagtekening>\n"
        + _totaal(m, b, "TotaalIngediendBedrag", total)
        + _clienten(m, b, [(bsn, [(p, None) for p in ps]) for bsn, ps in clients])
        + f"\t</{m}:Declaratie>\n"
    )


def declaratie_antwoord(
    m: str,
    b: str,
    nummer: str,
    ingediend: int,
    rejected: Sequence[tuple[str, Sequence[tuple[Prestatie, str]]]],
) -> str:
    """325: only the clients and prestaties that were rejected (OP304)."""
    afgewezen = sum(p.bedrag for _, prestaties in rejected for p, _ in prestaties)
    return (
        f"\t<{m}:DeclaratieAntwoord>\n"
        f"\t\t<{m}:DeclaratieNummer>{nummer}</{m}:DeclaratieNummer>\n"
        + _totaal(m, b, "TotaalIngediendBedrag", ingediend)
        + _totaal(m, b, "TotaalToegekendBedrag", ingediend - afgewezen)
        + (_clienten(m, b, rejected) if rejected else "")
        # 8001: declaratie volledig toegewezen.
        + _codes(m, ACCEPTED if rejected else "8001", "\t\t")
        + f"\t</{m}:DeclaratieAntwoord>\n"
    )
