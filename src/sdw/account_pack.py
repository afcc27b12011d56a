"""`sdw export aanbieder AGB --out DIR`: the account-meeting pack, one Excel workbook for one
aanbieder ("kloppen onze data met jullie data?").

What it holds and why it may leave the warehouse:

- `Kengetallen`: per standard, productcategorie and year the aanbieder's own figures from
  `marts.aanbieder_jaar` (its own clients: it knows them, so they are not suppressed) next to its
  peers'. The peers' figures are what `sdw export parquet` shares: their medians are the mart's
  group values after the export's suppression (sdw.disclosure over every aggregate mart), and
  the other aanbieders' counts together are shown only when the export shows every one of them
  and their sum is not a small count, so the aanbieder cannot subtract its own figure from a
  total to learn a blanked one.
- `Omzetplafond`: its omzetplafonds (`inkoop_omzetplafond_uitputting`, euros, no persons) at
  the latest month: plafond, declared so far, uitputting, year-end projection and signal.
- `Bevindingen`: its open findings in `marts.dq_findings`, each identified by what the
  aanbieder can find in its own system (toewijzingnummer, bericht-identificatie, declaratie- and
  referentienummer, product and dates), looked up in the table the check guards. Never a BSN or
  pseudonym: only those columns are read.
- `Toelichting`: every figure's meaning in Dutch, with the model's definition beside it.

Sheet and column names are Dutch; the workbook is written with openpyxl.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from sdw.config import Settings, dbt_var
from sdw.dashboard import definitions
from sdw.disclosure import Suppression
from sdw.export import published_marts
from sdw.serving import reader
from sdw.warehouse import connect

MART = "aanbieder_jaar"
KEYS = ["gemeente_code", "standard", "product_categorie", "jaar"]

# Column of aanbieder_jaar -> (Dutch heading, what it means for the reader).
OWN = {
    "clienten_in_zorg": ("Cliënten in zorg", "Cliënten met een zorgperiode bij u in het jaar."),
    "clienten_gestart": ("Instroom", "Cliënten van wie de zorgperiode bij u in het jaar begon."),
    "zorgperioden_beeindigd": ("Uitstroom", "Zorgperioden bij u die in het jaar eindigden."),
    "wachttijd_mediaan": (
        "Wachttijd mediaan (dagen)",
        "Mediane wachttijd van de starts in het jaar: dagen van toewijzing tot begin van de zorg.",
    ),
    "zorgduur_mediaan": (
        "Zorgduur mediaan (dagen)",
        "Mediane zorgduur van de zorgperioden die in het jaar eindigden.",
    ),
    "aandeel_volgens_plan": (
        "Afloop volgens plan",
        "Aandeel van de beëindigde zorgperioden dat volgens plan eindigde.",
    ),
    "aandeel_voortijdig": (
        "Afloop voortijdig",
        "Aandeel van de beëindigde zorgperioden dat voortijdig eindigde (om welke reden ook).",
    ),
    "clienten_gedeclareerd": (
        "Cliënten gedeclareerd",
        "Cliënten voor wie u declareerde, met een productperiode die in het jaar begint.",
    ),
    "omzet_eur": (
        "Omzet (euro)",
        "Het door u gedeclareerde bedrag (IngediendBedrag) met een productperiode in het jaar; "
        "gedeclareerd, niet betaald.",
    ),
    "kosten_per_client_eur": (
        "Kosten per cliënt (euro)",
        "Omzet gedeeld door het aantal gedeclareerde cliënten.",
    ),
}
# Peer figures: the mart's median over the aanbieders of the same gemeente, standard,
# productcategorie and year, as the export shares it.
PEER_MEDIANS = {
    "peer_wachttijd_mediaan": (
        "Wachttijd mediaan, alle aanbieders",
        "De mediaan over alle aanbieders van hun mediane wachttijd.",
    ),
    "peer_zorgduur_mediaan": (
        "Zorgduur mediaan, alle aanbieders",
        "De mediaan over alle aanbieders van hun mediane zorgduur.",
    ),
    "peer_kosten_per_client_mediaan": (
        "Kosten per cliënt, mediaan alle aanbieders",
        "De mediaan over alle aanbieders (u inbegrepen) van hun kosten per cliënt.",
    ),
}
# Counts of the other aanbieders together.
PEER_SUMS = {
    "clienten_in_zorg": "Cliënten in zorg, overige aanbieders samen",
    "clienten_gestart": "Instroom, overige aanbieders samen",
    "zorgperioden_beeindigd": "Uitstroom, overige aanbieders samen",
    "omzet_eur": "Omzet, overige aanbieders samen",
}
SUPPRESSED = "onderdrukt"

# Columns a finding's record may carry that identify it in the aanbieder's own system.
FINDING_COLUMNS = {
    "toewijzing_nummer": "Toewijzingnummer",
    "bericht_identificatie": "Bericht-identificatie",
    "declaratie_nummer": "Declaratienummer",
    "referentie_nummer": "Referentienummer prestatie",
    "product_code": "Productcode",
    "begindatum": "Begindatum",
    "einddatum": "Einddatum",
    "ingangsdatum": "Ingangsdatum toewijzing",
    "datum": "Datum",
}
SEVERITY = {"error": "fout", "warning": "waarschuwing", "info": "informatie"}


def _suppressed_frame(con) -> pd.DataFrame:
    """aanbieder_jaar as `sdw export parquet` writes it: suppressed together with every
    aggregate mart, since their totals meet."""
    rules = {
        name: mart.rule
        for name, mart in published_marts().items()
        if mart.export == "aggregate" and mart.rule
    }
    frames = {
        name: con.execute(f"select * from marts.{name}")
        .df()
        .sort_values(list(rules[name].keys), kind="stable")
        for name in rules
    }
    minimum = int(dbt_var("kleine_aantallen_drempel"))
    return Suppression(frames, rules).run(minimum).suppressed(MART)


def kengetallen(mart: pd.DataFrame, suppressed: pd.DataFrame, agb: str) -> pd.DataFrame:
    """One row per gemeente, standard, productcategorie and year the aanbieder is in."""
    minimum = int(dbt_var("kleine_aantallen_drempel"))
    own = mart[mart["aanbieder_agb"] == agb]
    rows = []
    for _, row in own.sort_values(KEYS).iterrows():
        group = (mart[KEYS] == row[KEYS].values).all(axis=1)
        shown = suppressed.loc[(suppressed[KEYS] == row[KEYS].values).all(axis=1)]
        peers = mart[group & (mart["aanbieder_agb"] != agb)].set_index("aanbieder_agb")
        peers_shown = shown.set_index("aanbieder_agb").reindex(peers.index)
        out = {
            "Gemeente": row["gemeente_code"],
            "Standaard": row["standard"],
            "Productcategorie": row["product_categorie"],
            "Jaar": int(row["jaar"]),
            "Aantal aanbieders": int(group.sum()),
        }
        for column, (heading, _) in OWN.items():
            out[heading] = _cell(row[column])
        mine = shown[shown["aanbieder_agb"] == agb].iloc[0]
        for column, (heading, _) in PEER_MEDIANS.items():
            value = mine[column]
            out[heading] = SUPPRESSED if pd.isna(value) and pd.notna(row[column]) else _cell(value)
        for column, heading in PEER_SUMS.items():
            total = peers[column].sum()
            hidden = peers_shown[column].isna() & peers[column].notna()
            small = column != "omzet_eur" and 0 < total < minimum
            out[heading] = SUPPRESSED if hidden.any() or small else _cell(total)
        rows.append(out)
    return pd.DataFrame(rows)


def _cell(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 4) if isinstance(value, float) else value


def _guarded_tables() -> dict[str, tuple[str, str]]:
    """Per check: the table it guards and the column its finding key is."""
    from sdw.quality.catalog import SUITES_DIR

    guarded = {}
    for path in sorted(SUITES_DIR.glob("*.json")):
        suite = json.loads(path.read_text())
        for expectation in suite["expectations"]:
            meta = expectation["meta"]
            guarded[meta["check"]] = (suite["meta"]["table"], meta["finding_key"])
    return guarded


def bevindingen(findings: pd.DataFrame, settings: Settings, agb: str) -> pd.DataFrame:
    """The open findings with what identifies each in the aanbieder's own system: looked up in
    the rows of this aanbieder only, where the guarded table names one (a key need not be unique
    across aanbieders)."""
    guarded = _guarded_tables()
    looked_up: dict[tuple[str, str], dict] = {}
    with connect(settings.warehouse, read_only=True) as con:
        for check, keys in findings.groupby("check_name")["finding_key"]:
            table, key = guarded.get(check, (None, None))
            if table is None:
                continue
            schema, name = table.split(".")
            present = {
                column
                for (column,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [schema, name],
                ).fetchall()
            }
            wanted = [column for column in FINDING_COLUMNS if column in present]
            if not wanted:
                continue
            values = sorted(set(keys))
            marks = ", ".join("?" for _ in values)
            select = ", ".join(f"cast({column} as varchar) as {column}" for column in wanted)
            own = " and aanbieder_agb = ?" if "aanbieder_agb" in present else ""
            result = con.execute(
                f"select cast({key} as varchar) as finding_key, {select} "
                f"from {table} where cast({key} as varchar) in ({marks}){own}",
                values + ([agb] if own else []),
            )
            names = [d[0] for d in result.description]
            for found in result.fetchall():
                record = dict(zip(names, found, strict=True))
                looked_up[(check, record.pop("finding_key"))] = record
    rows = []
    for _, finding in findings.sort_values(["check_name", "finding_date"]).iterrows():
        record = looked_up.get((finding["check_name"], finding["finding_key"]), {})
        row = {
            "Controle": finding["check_name"],
            "Ernst": SEVERITY.get(finding["severity"], finding["severity"]),
            "Datum bevinding": _date(finding["finding_date"]),
        }
        row.update({label: record.get(column) for column, label in FINDING_COLUMNS.items()})
        row["Eerst gevonden"] = _date(finding["first_detected_at"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_finding_headings())
    # Columns no finding of this aanbieder fills are left out.
    keep = [c for c in frame.columns if c in _FIXED or frame[c].notna().any()]
    return frame[keep]


_FIXED = ("Controle", "Ernst", "Datum bevinding", "Eerst gevonden")


def _finding_headings() -> list[str]:
    return [*_FIXED[:3], *FINDING_COLUMNS.values(), _FIXED[3]]


def _date(value):
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def toelichting() -> pd.DataFrame:
    rows = [
        ("Aantal aanbieders", "Aanbieders met zorg in dezelfde gemeente, standaard, "
         "productcategorie en jaar (u inbegrepen).", ""),
    ]  # fmt: skip
    for column, (heading, meaning) in OWN.items():
        rows.append((heading, meaning, definitions.column(MART, column)))
    for column, (heading, meaning) in PEER_MEDIANS.items():
        rows.append((heading, meaning, definitions.column(MART, column)))
    for column, heading in PEER_SUMS.items():
        rows.append(
            (
                heading,
                f"De som van '{OWN[column][0]}' over de andere aanbieders; '{SUPPRESSED}' waar "
                "een van hen in de gedeelde cijfers is afgeschermd (kleine aantallen) of de som "
                "een klein aantal is.",
                definitions.column(MART, column),
            )
        )
    for column, (heading, meaning) in PLAFOND.items():
        rows.append((heading, meaning, definitions.column(PLAFOND_MART, column)))
    rows.append(
        (
            "Bevindingen",
            "Openstaande bevindingen van de datakwaliteitscontroles op uw berichten, met het "
            "toewijzingnummer, de bericht-identificatie en de data waarmee u ze in uw eigen "
            "systeem terugvindt.",
            definitions.mart("dq_findings"),
        )
    )
    return pd.DataFrame(rows, columns=["Begrip", "Betekenis", "Definitie in het datamodel"])


# The aanbieder's omzetplafonds (inkoop_omzetplafond_uitputting) at the latest month of each.
PLAFOND = {
    "plafond_eur": ("Omzetplafond (euro)", "Het plafond dat de gemeente met u afsprak."),
    "gedeclareerd_cumulatief_eur": (
        "Gedeclareerd tot nu (euro)",
        "Wat u tot en met de laatste maand tegen het plafond declareerde.",
    ),
    "uitputting_percentage": ("Uitputting (%)", "Gedeclareerd tot nu als deel van het plafond."),
    "prognose_jaareinde_eur": (
        "Prognose jaareinde (euro)",
        "Lineaire doortrekking: gedeclareerd tot nu gedeeld door de maanden met declaraties, "
        "maal twaalf.",
    ),
    "is_signaal": (
        "Signaal",
        "De prognose komt boven de signaalgrens van het plafond (dbt-variabele "
        "budget_signaal_percentage).",
    ),
}
PLAFOND_MART = "inkoop_omzetplafond_uitputting"


def omzetplafond(con, agb: str) -> pd.DataFrame:
    frame = con.execute(
        f"select * from marts.{PLAFOND_MART} as p where p.aanbieder_agb = ? and p.maand_start = "
        f"(select max(q.maand_start) from marts.{PLAFOND_MART} as q where "
        "q.gemeente_code = p.gemeente_code and q.standard = p.standard and q.jaar = p.jaar "
        "and q.aanbieder_agb = p.aanbieder_agb and q.segment is not distinct from p.segment) "
        "order by p.gemeente_code, p.standard, p.jaar, p.segment",
        [agb],
    ).df()
    rows = []
    for _, row in frame.iterrows():
        out = {
            "Gemeente": row["gemeente_code"],
            "Standaard": row["standard"],
            "Jaar": int(row["jaar"]),
            "Segment": row["segment"] if pd.notna(row["segment"]) else "hele standaard",
            "Tot en met maand": _date(row["maand_start"]),
        }
        out.update({heading: _cell(row[column]) for column, (heading, _) in PLAFOND.items()})
        out["Signaal"] = "ja" if row["is_signaal"] else "nee"
        rows.append(out)
    columns = ["Gemeente", "Standaard", "Jaar", "Segment", "Tot en met maand"]
    return pd.DataFrame(rows, columns=[*columns, *(h for h, _ in PLAFOND.values())])


def export_aanbieder(settings: Settings, agb: str, out_dir: Path) -> Path:
    """Write the workbook for aanbieder ``agb`` into ``out_dir``; returns its path."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    with reader(settings.warehouse) as con:
        mart = con.execute(f"select * from marts.{MART}").df()
        if not (mart["aanbieder_agb"] == agb).any():
            raise ValueError(f"aanbieder {agb} has no figures in marts.{MART}")
        suppressed = _suppressed_frame(con)
        (naam,) = con.execute(
            "select aanbieder_naam from marts.dim_aanbieder where aanbieder_agb = ?", [agb]
        ).fetchone() or (agb,)
        plafonds = omzetplafond(con, agb)
        findings = con.execute(
            "select check_name, severity, finding_key, finding_date, first_detected_at "
            "from marts.dq_findings where status = 'open' and aanbieder_agb = ?",
            [agb],
        ).df()
    sheets = {
        "Overzicht": pd.DataFrame(
            [
                ("Aanbieder", naam),
                ("AGB-code", agb),
                ("Gemaakt op", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
                ("Drempel kleine aantallen", int(dbt_var("kleine_aantallen_drempel"))),
                ("Openstaande bevindingen", len(findings)),
            ],
            columns=["Onderdeel", "Waarde"],
        ),
        "Kengetallen": kengetallen(mart, suppressed, agb),
        "Omzetplafond": plafonds,
        "Bevindingen": bevindingen(findings, settings, agb),
        "Toelichting": toelichting(),
    }
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(list(frame.columns))
        for values in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in values])
        for i, column in enumerate(frame.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in frame[column])], default=10)
            sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, 80)
        sheet.freeze_panes = "A2"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"accountgesprek_{agb}.xlsx"
    workbook.save(target)
    return target
