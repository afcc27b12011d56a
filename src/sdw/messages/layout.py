"""The raw tables the parser fills, and where each column comes from in the XML.

One layout per (layout, message type) serves iWmo and iJw alike (the layout a release is read
with: "3" for 3.x, "2.3", "2.0"; sdw.messages.standards.SUPPORTED_RELEASES): their element trees are
identical apart from the namespace, so paths use local names and the standard is a column; an
element only one of them has (JW315 GezagsdragerBekend) is simply absent in the other. A retour
message repeats the body of the message it answers, so it shares that message's layout and
tables (`raw.berichten.message_type` tells them apart) and adds its retour codes, which every
level may carry, to `raw.retour_codes`.

Raw keeps the XML's text as it is (typing happens in dbt staging), minus everything that
identifies a person: the BSN is replaced by its pseudonym, birth dates are cut to year and
month, postcodes to a buurt code or their four digits, and names, addresses, phone numbers,
e-mail addresses, relaties and free-text Commentaar are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sdw.messages.standards import retours_repeating_heen
from sdw.raw import RawTable


@dataclass(frozen=True)
class RecordSet:
    """A repeated element, loaded one row per element into `table`.

    `path` leads from the anchor (the Client, or the Bericht for message-level records) to the
    elements; `fields` map columns to paths from each element, where a leading `../` climbs to
    the parent (2.0 products take their Beschikkingnummer from the Beschikking around them).
    """

    table: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)
    required: bool = False  # at least one per anchor, or the message is structurally invalid

    @property
    def level(self) -> str:
        """The element's name, which is also the level its retour codes are reported at."""
        return self.path.rpartition("/")[2]


@dataclass(frozen=True)
class MessageLayout:
    client_records: tuple[RecordSet, ...] = ()
    bericht_records: tuple[RecordSet, ...] = ()  # directly under Bericht (Declaratie, Antwoord)
    clients_required: bool = True  # a retour may come back with the header only
    header: str | None = None  # its own HEADERS key, where the type's header differs (2.3 303)


@dataclass(frozen=True)
class HeaderLayout:
    fields: dict[str, str]  # column of raw.berichten -> path from Header
    client_fields: dict[str, str]  # what the parser reads from Client (see parse._add_client)
    contacts: str  # from Client: the addresses the postcode is taken from


# Every record row starts with these: which file, which client in it, which element.
RECORD_KEY_COLUMNS = ("file_id", "client_seq", "record_seq")

_PRODUCT = {"product_categorie": "Product/Categorie", "product_code": "Product/Code"}
_OMVANG = {
    "volume": "Omvang/Volume",
    "eenheid": "Omvang/Eenheid",
    "frequentie": "Omvang/Frequentie",
}

_START_3 = {
    "toewijzing_nummer": "ToewijzingNummer",
    **_PRODUCT,
    "toewijzing_ingangsdatum": "ToewijzingIngangsdatum",
    "begindatum": "Begindatum",
    "status_aanlevering": "StatusAanlevering",
}
_STOP_3 = {**_START_3, "reden_beeindiging": "RedenBeeindiging", "einddatum": "Einddatum"}

# iWmo 2.0 names the link to the toewijzing differently (no ToewijzingNummer yet): Beschikking-
# nummer, product and Ingangsdatum of the toegewezen product, and the aanbieder.
_START_2 = {
    "beschikkingnummer": "Beschikkingnummer",
    **_PRODUCT,
    "toewijzing_ingangsdatum": "Ingangsdatum",
    "begindatum": "Begindatum",
    "aanbieder": "Aanbieder",
    **_OMVANG,
    "status_aanlevering": "StatusAanlevering",
}
_STOP_2 = {**_START_2, "reden_beeindiging": "RedenBeeindiging", "einddatum": "Einddatum"}

_PRESTATIE = {
    "referentie_nummer": "ProductReferentie/ReferentieNummer",
    "vorig_referentie_nummer": "ProductReferentie/VorigReferentieNummer",
    "toewijzing_nummer": "ToewijzingNummer",
    "product_categorie": "ProductCategorie",
    "product_code": "ProductCode",
    "product_begindatum": "ProductPeriode/Begindatum",
    "product_einddatum": "ProductPeriode/Einddatum",
    "geleverd_volume": "GeleverdVolume",
    "eenheid": "Eenheid",
    "product_tarief": "ProductTarief",
    "ingediend_bedrag": "IngediendBedrag/Bedrag",
    "ingediend_debet_credit": "IngediendBedrag/DebetCredit",
}
_DECLARATIE_TOTAAL = {
    "declaratie_nummer": "DeclaratieNummer",
    "totaal_ingediend_bedrag": "TotaalIngediendBedrag/TotaalBedrag",
    "totaal_ingediend_debet_credit": "TotaalIngediendBedrag/DebetCredit",
}

_LAYOUTS_3 = {
    "301": MessageLayout(
        client_records=(
            RecordSet(
                "toegewezen_producten",
                "ToegewezenProducten/ToegewezenProduct",
                {
                    "toewijzing_nummer": "ToewijzingNummer",
                    "referentie_aanbieder": "ReferentieAanbieder",
                    **_PRODUCT,
                    "toewijzingsdatum": "Toewijzingsdatum",
                    "toewijzingstijd": "Toewijzingstijd",
                    "ingangsdatum": "Ingangsdatum",
                    "einddatum": "Einddatum",
                    "reden_wijziging": "RedenWijziging",
                    **_OMVANG,
                    "budget": "Budget",
                },
                required=True,
            ),
        )
    ),
    "305": MessageLayout(
        client_records=(
            RecordSet("start_producten", "StartProducten/StartProduct", _START_3, required=True),
        )
    ),
    "307": MessageLayout(
        client_records=(
            RecordSet("stop_producten", "StopProducten/StopProduct", _STOP_3, required=True),
        )
    ),
    "315": MessageLayout(
        client_records=(
            RecordSet(
                "aangevraagde_producten",
                "AangevraagdeProducten/AangevraagdProduct",
                {
                    "referentie_aanbieder": "ReferentieAanbieder",
                    "beschikkingnummer": "BeschikkingNummer",
                    **_PRODUCT,
                    "beschikking_ingangsdatum": "BeschikkingIngangsdatum",
                    "toewijzing_ingangsdatum": "ToewijzingIngangsdatum",
                    "toewijzing_einddatum": "ToewijzingEinddatum",
                    **_OMVANG,
                    "budget": "Budget",
                    # Verwijzer/Naam names a person: never read.
                    "verwijzer_type": "Verwijzer/Type",
                    "verwijzer_zorgverlener_code": "Verwijzer/ZorgverlenerCode",
                    "raamcontract": "Raamcontract",
                },
                required=True,
            ),
        )
    ),
    "317": MessageLayout(
        client_records=(
            RecordSet(
                "wijzigingsverzoeken",
                "Verzoek",
                {"referentie_aanbieder": "ReferentieAanbieder", "reden_verzoek": "RedenVerzoek"},
                required=True,
            ),
            RecordSet(
                "ongewijzigde_producten",
                "Verzoek/OngewijzigdeProducten/OngewijzigdProduct",
                {"toewijzing_nummer": "ToewijzingNummer"},
            ),
            RecordSet(
                "te_wijzigen_producten",
                "Verzoek/TeWijzigenProducten/TeWijzigenProduct",
                {
                    "toewijzing_nummer": "ToewijzingNummer",
                    "gewenste_ingangsdatum": "GewensteIngangsdatum",
                    "einddatum": "Einddatum",
                    **_OMVANG,
                    "budget": "Budget",
                },
            ),
            RecordSet(
                "nieuwe_producten",
                "Verzoek/NieuweProducten/NieuwProduct",
                {
                    **_PRODUCT,
                    "gewenste_ingangsdatum": "GewensteIngangsdatum",
                    "einddatum": "Einddatum",
                    **_OMVANG,
                    "budget": "Budget",
                },
            ),
        )
    ),
    "319": MessageLayout(
        bericht_records=(
            RecordSet(
                "antwoorden",
                "Antwoord",
                {
                    "referentie_aanbieder": "ReferentieAanbieder",
                    "verzoek_antwoord": "VerzoekAntwoord",
                    "reden_afwijzing_verzoek": "RedenAfwijzingVerzoek",
                    "woonplaatsbeginsel_gemeente": "Woonplaatsbeginsel/Gemeente",  # iJw only
                },
                required=True,
            ),
        ),
        clients_required=False,
    ),
    "323": MessageLayout(
        client_records=(
            RecordSet("prestaties", "Prestaties/Prestatie", _PRESTATIE, required=True),
        ),
        bericht_records=(
            RecordSet(
                "declaraties",
                "Declaratie",
                {
                    **_DECLARATIE_TOTAAL,
                    "declaratie_begindatum": "DeclaratiePeriode/Begindatum",
                    "declaratie_einddatum": "DeclaratiePeriode/Einddatum",
                    "declaratie_dagtekening": "DeclaratieDagtekening",
                },
                required=True,
            ),
        ),
    ),
    # 325 answers a 323 with the declaratie's totals and the rejected prestaties, so its rows
    # join the 323's tables, with the toegekend totals as extra columns.
    "325": MessageLayout(
        client_records=(RecordSet("prestaties", "Prestaties/Prestatie", _PRESTATIE),),
        bericht_records=(
            RecordSet(
                "declaraties",
                "DeclaratieAntwoord",
                {
                    **_DECLARATIE_TOTAAL,
                    "totaal_toegekend_bedrag": "TotaalToegekendBedrag/TotaalBedrag",
                    "totaal_toegekend_debet_credit": "TotaalToegekendBedrag/DebetCredit",
                },
                required=True,
            ),
        ),
        clients_required=False,
    ),
}

_LAYOUTS_2 = {
    "301": MessageLayout(
        client_records=(
            RecordSet(
                "beschikkingen",
                "Beschikking",
                {
                    "beschikkingnummer": "Beschikkingnummer",
                    "afgiftedatum": "Afgiftedatum",
                    "ingangsdatum": "Ingangsdatum",
                    "einddatum": "Einddatum",
                },
                required=True,
            ),
            RecordSet(
                "beschikte_producten",
                "Beschikking/BeschiktProducten/BeschiktProduct",
                {
                    "beschikkingnummer": "../../Beschikkingnummer",
                    **_PRODUCT,
                    "ingangsdatum": "Ingangsdatum",
                    "einddatum": "Einddatum",
                    **_OMVANG,
                },
            ),
            RecordSet(
                "toegewezen_producten",
                "Beschikking/ToegewezenProducten/ToegewezenProduct",
                {
                    "beschikkingnummer": "../../Beschikkingnummer",
                    **_PRODUCT,
                    "aanbieder": "Aanbieder",
                    "toewijzingsdatum": "Toewijzingsdatum",
                    "toewijzingstijd": "Toewijzingstijd",
                    "ingangsdatum": "Ingangsdatum",
                    "einddatum": "Einddatum",
                    "reden_intrekking": "RedenIntrekking",
                    **_OMVANG,
                },
            ),
        )
    ),
    "305": MessageLayout(
        client_records=(
            RecordSet("start_producten", "StartProducten/StartProduct", _START_2, required=True),
        )
    ),
    "307": MessageLayout(
        client_records=(
            RecordSet("stop_producten", "StopProducten/StopProduct", _STOP_2, required=True),
        )
    ),
    "315": MessageLayout(
        client_records=(
            RecordSet(
                "aangevraagde_producten",
                "Producten/Product",
                {
                    "beschikkingnummer": "Beschikkingnummer",
                    **_PRODUCT,
                    "ingangsdatum": "Ingangsdatum",
                    "begindatum": "Begindatum",
                    "aanbieder": "Aanbieder",
                    **_OMVANG,
                    "status_aanlevering": "StatusAanlevering",
                    "verwijzer_type": "Verwijzer/Type",
                    "raamcontract": "Raamcontract",
                },
                required=True,
            ),
        )
    ),
}


# iWmo and iJw 2.3 (the published 2.3 XSDs): the header and most bodies of 3.x, a BeschikkingNummer
# beside the ToewijzingNummer in 305 and 307, a client-level StatusAanlevering, and the toegewezen
# producten of a 301 inside the client's Beschikking. The 303 declaratie/factuur and its retour
# 304 have a header of their own (HEADERS "2.3/303", "2.3/304"), which also holds what 3.x puts in
# a Declaratie element: the declaratie's number, period and totals are read from it into the
# 323's raw.declaraties. Their prestaties land in the 323's raw.prestaties, the amounts one level
# down (IngediendeBedragPrestatie), with what 3.x lacks kept beside them: the BeschikkingNummer,
# Verrekenpercentage and BTW, and in a 304 the amount toegekend per prestatie.
_BESCHIKKING_23 = {"beschikkingnummer": "BeschikkingNummer"}
_BEDRAG_23 = "IngediendeBedragPrestatie"
_TOEGEKEND_23 = "ToegekendeBedragPrestatie/ToegekendBedrag"
_PRESTATIE_23 = {
    **_BESCHIKKING_23,
    **{c: p for c, p in _PRESTATIE.items() if c not in ("geleverd_volume", "eenheid")},
    "geleverd_volume": f"{_BEDRAG_23}/GeleverdVolume",
    "eenheid": f"{_BEDRAG_23}/Eenheid",
    "product_tarief": f"{_BEDRAG_23}/ProductTarief",
    "ingediend_bedrag": f"{_BEDRAG_23}/DeclaratieFactuurBedrag/Bedrag",
    "ingediend_debet_credit": f"{_BEDRAG_23}/DeclaratieFactuurBedrag/DebetCredit",
    "verrekenpercentage": f"{_BEDRAG_23}/Verrekenpercentage",
    "btw_percentage": f"{_BEDRAG_23}/BtwPercentage",
    "btw_bedrag": f"{_BEDRAG_23}/BtwBedrag/Bedrag",
    "btw_debet_credit": f"{_BEDRAG_23}/BtwBedrag/DebetCredit",
}
_TOTAAL_23 = "DeclaratieFactuurBedragen/DeclaratieFactuurTotaalBedrag"
_DECLARATIE_23 = {
    "declaratie_nummer": "DeclaratieFactuurIdentificatie/DeclarantFactuurNummer",
    "totaal_ingediend_bedrag": f"{_TOTAAL_23}/TotaalBedrag",
    "totaal_ingediend_debet_credit": f"{_TOTAAL_23}/DebetCredit",
    "declaratie_begindatum": "DeclaratieFactuurIdentificatie/DeclaratiePeriode/Begindatum",
    "declaratie_einddatum": "DeclaratieFactuurIdentificatie/DeclaratiePeriode/Einddatum",
    "declaratie_dagtekening": "DeclaratieFactuurIdentificatie/FactuurDagtekening",
}
_LAYOUTS_23 = {
    "301": MessageLayout(
        client_records=(
            RecordSet(
                "beschikkingen",
                "Beschikking",
                {
                    **_BESCHIKKING_23,
                    "afgiftedatum": "Afgiftedatum",
                    "ingangsdatum": "Ingangsdatum",
                    "einddatum": "Einddatum",
                },
                required=True,
            ),
            RecordSet(
                "toegewezen_producten",
                "Beschikking/ToegewezenProducten/ToegewezenProduct",
                {
                    "beschikkingnummer": "../../BeschikkingNummer",
                    **{
                        column: path
                        for column, path in _LAYOUTS_3["301"].client_records[0].fields.items()
                        if column != "budget"
                    },
                },
            ),
        )
    ),
    "305": MessageLayout(
        client_records=(
            RecordSet(
                "start_producten",
                "StartProducten/StartProduct",
                {**_BESCHIKKING_23, **_START_3},
                required=True,
            ),
        )
    ),
    "307": MessageLayout(
        client_records=(
            RecordSet(
                "stop_producten",
                "StopProducten/StopProduct",
                {**_BESCHIKKING_23, **_STOP_3},
                required=True,
            ),
        )
    ),
    "315": _LAYOUTS_3["315"],
    "303": MessageLayout(
        client_records=(
            RecordSet("prestaties", "Prestaties/Prestatie", _PRESTATIE_23, required=True),
        ),
        bericht_records=(RecordSet("declaraties", "Header", _DECLARATIE_23, required=True),),
        header="2.3/303",
    ),
    # 304 answers a 303 as 325 answers a 323 (raw.berichten.message_type tells them apart).
    "304": MessageLayout(
        client_records=(
            RecordSet(
                "prestaties",
                "Prestaties/Prestatie",
                {
                    **_PRESTATIE_23,
                    # per prestatie here; a 325 has only the declaratie's toegekend total
                    "toegekend_bedrag": f"{_TOEGEKEND_23}/Bedrag",
                    "toegekend_debet_credit": f"{_TOEGEKEND_23}/DebetCredit",
                },
            ),
        ),
        bericht_records=(
            RecordSet(
                "declaraties",
                "Header",
                {
                    **{c: p for c, p in _DECLARATIE_23.items() if "totaal" not in c},
                    "totaal_ingediend_bedrag": "RetourBedragen/IngediendTotaalBedrag/TotaalBedrag",
                    "totaal_ingediend_debet_credit": (
                        "RetourBedragen/IngediendTotaalBedrag/DebetCredit"
                    ),
                    "totaal_toegekend_bedrag": "RetourBedragen/ToegekendTotaalBedrag/TotaalBedrag",
                    "totaal_toegekend_debet_credit": (
                        "RetourBedragen/ToegekendTotaalBedrag/DebetCredit"
                    ),
                },
                required=True,
            ),
        ),
        clients_required=False,
        header="2.3/304",
    ),
}


def _with_retours(family: str, layouts: dict[str, MessageLayout]) -> dict[str, MessageLayout]:
    """Retours (seeds/berichtsoort.csv: herhaalt_heenbericht) repeat the heen message's body, and
    may leave it out altogether."""
    retours = {
        retour: MessageLayout(
            client_records=tuple(
                RecordSet(r.table, r.path, r.fields) for r in layouts[heen].client_records
            ),
            bericht_records=tuple(
                RecordSet(r.table, r.path, r.fields) for r in layouts[heen].bericht_records
            ),
            clients_required=False,
        )
        for retour, heen in retours_repeating_heen(family).items()
    }
    return {**layouts, **retours}


# Keyed by (layout, message type): the layout a release is read with is
# sdw.messages.standards.SUPPORTED_RELEASES. Retours only where their structure is published
# (3.x, 2.3); the iWmo 2.0 casus messages hold none.
LAYOUTS: dict[tuple[str, str], MessageLayout] = {
    **{("3", t): layout for t, layout in _with_retours("3", _LAYOUTS_3).items()},
    **{("2.3", t): layout for t, layout in _with_retours("2", _LAYOUTS_23).items()},
    **{("2.0", t): layout for t, layout in _LAYOUTS_2.items()},
}

_CLIENT_3 = {
    "geboortedatum": "Geboortedatum/Datum",
    "geboortedatum_gebruik": "Geboortedatum/DatumGebruik",
    "geslacht": "Geslacht",
    "gezagsdrager_bekend": "GezagsdragerBekend",  # JW315/JW316 only
}

HEADERS: dict[str, HeaderLayout] = {
    "3": HeaderLayout(
        fields={
            "bericht_code": "BerichtCode",
            "afzender": "Afzender",
            "ontvanger": "Ontvanger",
            "bericht_identificatie": "BerichtIdentificatie/Identificatie",
            "dagtekening": "BerichtIdentificatie/Dagtekening",
            "identificatie_retour": "IdentificatieRetour",
            "dagtekening_retour": "DagtekeningRetour",
            "declaratie_identificatie": "DeclaratieIdentificatie/Identificatie",
            "declaratie_dagtekening": "DeclaratieIdentificatie/Dagtekening",
        },
        client_fields=_CLIENT_3,
        contacts="Contactgegevens/Contact",
    ),
    "2.0": HeaderLayout(
        fields={
            "bericht_code": "Berichtspecificatie/Code",
            "afzender": "Afzender",
            "ontvanger": "Ontvanger",
            "bericht_identificatie": "Berichtidentificatie/Identificatie",
            "dagtekening": "Berichtidentificatie/Dagtekening",
        },
        client_fields={**_CLIENT_3, "status_aanlevering": "StatusAanlevering"},
        contacts="Adressen/Adres",
    ),
}
HEADERS["2.3"] = HeaderLayout(
    fields=HEADERS["3"].fields,
    client_fields={**_CLIENT_3, "status_aanlevering": "StatusAanlevering"},
    contacts="Contactgegevens/Contact",
)

# The 2.3 declaratie/factuur (303) names Gemeente and Aanbieder instead of Afzender and
# Ontvanger and has no BerichtIdentificatie: the aanbieder's DeclarantFactuurNummer and
# FactuurDagtekening identify it. Its retour 304 is the gemeente's, identified by its
# GemeenteReferentieNummer and RetourDagtekening, and points to its 303 as a 325 to its 323.
_IDENTIFICATIE_303 = {
    "bericht_identificatie": "DeclaratieFactuurIdentificatie/DeclarantFactuurNummer",
    "dagtekening": "DeclaratieFactuurIdentificatie/FactuurDagtekening",
}
HEADERS["2.3/303"] = HeaderLayout(
    fields={
        "bericht_code": "BerichtCode",
        "afzender": "Aanbieder",
        "ontvanger": "Gemeente",
        **_IDENTIFICATIE_303,
    },
    client_fields=_CLIENT_3,
    contacts="Contactgegevens/Contact",  # a 303 has none: no postcode is read
)
HEADERS["2.3/304"] = HeaderLayout(
    fields={
        "bericht_code": "BerichtCode",
        "afzender": "Gemeente",
        "ontvanger": "Aanbieder",
        "bericht_identificatie": "RetourHeader/GemeenteReferentieNummer",
        "dagtekening": "RetourHeader/RetourDagtekening",
        "declaratie_identificatie": _IDENTIFICATIE_303["bericht_identificatie"],
        "declaratie_dagtekening": _IDENTIFICATIE_303["dagtekening"],
    },
    client_fields=_CLIENT_3,
    contacts="Contactgegevens/Contact",
)

BERICHT_COLUMNS = (
    "file_id",
    "standard",
    "release",
    "message_type",
    *dict.fromkeys(c for header in HEADERS.values() for c in header.fields),
    "gemeente_code",
    "aanbieder_agb",
)

CLIENT_COLUMNS = (
    "file_id",
    "client_seq",
    "client_pseudonym",
    "bsn_valid",
    "geboortejaar",
    "geboortemaand",
    "geslacht",
    "postcode4",
    "buurt_code",
    "gezagsdrager_bekend",
    "status_aanlevering",
)

RETOUR_CODE_COLUMNS = (
    "file_id",
    "level",  # the element the codes belong to: Header, Client, ToegewezenProduct, Prestatie, ...
    "client_seq",
    "record_table",  # berichten, clienten or the record table, with record_seq the row in it
    "record_seq",
    "code_seq",
    "retour_code",
)

INGEST_FILE_COLUMNS = (
    "file_id",  # sha256 of the content
    "path",
    "size_bytes",
    "status",
    "reason",
    "standard",
    "release",
    "message_type",
    "message_count",
    "client_count",
    "product_count",  # rows of the record tables below Client: product lines, prestaties
    "retour_code_count",
    "invalid_bsn_count",
    "xsd_file",  # the XSD the file was validated against (SDW_XSD_DIR), if any
    "content_fingerprint",  # sha256 of what the message says (parse.ParsedMessage), if loaded
    "loaded_at",
)


@cache
def record_tables() -> dict[str, tuple[str, ...]]:
    """Every record table with its columns: the union of what all layouts write to it."""
    tables: dict[str, dict[str, None]] = {}
    for layout in LAYOUTS.values():
        for records in (*layout.client_records, *layout.bericht_records):
            columns = tables.setdefault(records.table, dict.fromkeys(RECORD_KEY_COLUMNS))
            columns.update(dict.fromkeys(records.fields))
    return {table: tuple(columns) for table, columns in tables.items()}


def table_columns() -> dict[str, tuple[str, ...]]:
    """Every raw table the message loader writes, with its columns in order."""
    return {
        "berichten": BERICHT_COLUMNS,
        "clienten": CLIENT_COLUMNS,
        **record_tables(),
        "retour_codes": RETOUR_CODE_COLUMNS,
    }


# What the loader computes rather than copies from the XML; every other column is text.
_TYPES = {
    **dict.fromkeys(
        ("client_seq", "record_seq", "code_seq", "size_bytes", "message_count", "client_count",
         "product_count", "retour_code_count", "invalid_bsn_count"),
        "INTEGER",
    ),
    "bsn_valid": "BOOLEAN",
    "loaded_at": "TIMESTAMP",
}  # fmt: skip


def _declared(name: str, columns: tuple[str, ...]) -> RawTable:
    types = {column: _TYPES[column] for column in columns if column in _TYPES}
    return RawTable(name, columns, types, rebuild_on_change=True)


# The message loader's raw tables by name (a parsed message's rows are keyed by table name).
MESSAGE_TABLES: dict[str, RawTable] = {
    name: _declared(name, columns)
    for name, columns in {"ingest_files": INGEST_FILE_COLUMNS, **table_columns()}.items()
}
