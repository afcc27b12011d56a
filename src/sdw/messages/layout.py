"""The raw tables the parser fills, and where each column comes from in the XML.

One layout serves iWmo and iJw: their 3.x element trees are identical for these messages, so
paths use local names and the standard is a column. Raw keeps the XML's text as it is (typing
happens in dbt staging), minus everything that identifies a person: the BSN is replaced by its
pseudonym, birth dates are cut to year and month, postcodes to their four digits, and names,
addresses, phone numbers, e-mail addresses and relaties are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProductLayout:
    """A repeated product element under Client, loaded one row per element."""

    table: str
    path: str  # from Client, e.g. "StartProducten/StartProduct"
    fields: dict[str, str] = field(default_factory=dict)  # column -> path from the product


# Columns every product row starts with: which file and which client in it.
PRODUCT_KEY_COLUMNS = ("file_id", "client_seq", "product_seq")

_START_FIELDS = {
    "toewijzing_nummer": "ToewijzingNummer",
    "product_categorie": "Product/Categorie",
    "product_code": "Product/Code",
    "toewijzing_ingangsdatum": "ToewijzingIngangsdatum",
    "begindatum": "Begindatum",
    "status_aanlevering": "StatusAanlevering",
}

PRODUCT_LAYOUTS: dict[str, ProductLayout] = {
    "301": ProductLayout(
        table="toegewezen_producten",
        path="ToegewezenProducten/ToegewezenProduct",
        fields={
            "toewijzing_nummer": "ToewijzingNummer",
            "referentie_aanbieder": "ReferentieAanbieder",
            "product_categorie": "Product/Categorie",
            "product_code": "Product/Code",
            "toewijzingsdatum": "Toewijzingsdatum",
            "toewijzingstijd": "Toewijzingstijd",
            "ingangsdatum": "Ingangsdatum",
            "einddatum": "Einddatum",
            "reden_wijziging": "RedenWijziging",
            "volume": "Omvang/Volume",
            "eenheid": "Omvang/Eenheid",
            "frequentie": "Omvang/Frequentie",
            "budget": "Budget",
        },
    ),
    "305": ProductLayout(
        table="start_producten", path="StartProducten/StartProduct", fields=_START_FIELDS
    ),
    "307": ProductLayout(
        table="stop_producten",
        path="StopProducten/StopProduct",
        fields={
            **_START_FIELDS,
            "reden_beeindiging": "RedenBeeindiging",
            "einddatum": "Einddatum",
        },
    ),
}

BERICHT_COLUMNS = (
    "file_id",
    "standard",
    "release",
    "message_type",
    "bericht_code",
    "afzender",
    "ontvanger",
    "bericht_identificatie",
    "dagtekening",
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
)

INGEST_FILE_COLUMNS = (
    "file_id",
    "path",
    "size_bytes",
    "status",
    "reason",
    "standard",
    "release",
    "message_type",
    "message_count",
    "client_count",
    "product_count",
    "invalid_bsn_count",
    "loaded_at",
)


def table_columns() -> dict[str, tuple[str, ...]]:
    """Every raw table the message loader writes, with its columns in order."""
    tables = {"berichten": BERICHT_COLUMNS, "clienten": CLIENT_COLUMNS}
    for layout in PRODUCT_LAYOUTS.values():
        tables[layout.table] = PRODUCT_KEY_COLUMNS + tuple(layout.fields)
    return tables
