"""Every defect the demo generator plants is found by the check meant for it, and nothing else.

One small demo (every defect type present, seed fixed) goes through the whole pipeline once; per
defect type the findings of its check are compared with ground_truth.json by the defect's keys.
Recall: planted defects the check found. Precision: the check's findings that are planted.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

# Ground-truth defect type -> the check that must find it.
CHECK_FOR_DEFECT = {
    "toewijzing_without_305": "toewijzing_without_start",
    "late_305": "start_reported_late",
    "stop_before_start": "stop_before_start",
    "unknown_product_code": "unknown_product_code",
    "over_24h": "over_24h",
    "outside_period": "declared_outside_toewijzing",
    "volume_above_allocation": "volume_above_allocation",
    "no_matching_toewijzing": "start_without_toewijzing",
    "invalid_bsn": "invalid_bsn",
    "retransmission": "retransmission",
    "conflicting_retransmission": "conflicting_retransmission",
    "malformed_xml": "quarantined_file",
    "unknown_gemeente_code": "gemeente_unknown_to_cbs",
    "tariff_above_contract": "tariff_not_contracted",
    "tariff_below_contract": "tariff_below_contract",
    "product_not_contracted": "product_not_contracted",
}

# Per check: how a finding's keys are read from the table it guards (joined on finding_key),
# and the same keys taken from a ground-truth entry.
_ZORGPERIODE = (
    "select aanbieder_agb, toewijzing_nummer, product_code, cast(begindatum as varchar) "
    "from cleaned.zorgperioden where zorgperiode_id = ?",
    lambda d: (d["aanbieder_agb"], d["toewijzing_nummer"], d["product_code"], d["begindatum"]),
)
_DECLARATIEREGEL = (
    "select aanbieder_agb, declaratie_nummer, referentie_nummer "
    "from cleaned.declaratieregels where declaratieregel_id = ?",
    lambda d: (d["aanbieder_agb"], d["declaratie_nummer"], d["referentie_nummer"]),
)
_CONTRACT_PRESTATIE = (
    "select aanbieder_agb, declaratie_nummer, referentie_nummer "
    "from cleaned.contract_toetsingen where contract_toetsing_id = ?",
    _DECLARATIEREGEL[1],
)
KEYS = {
    "toewijzing_without_start": (
        "select aanbieder_agb, toewijzing_nummer, product_code "
        "from cleaned.toewijzing_opvolging where toewijzing_id = ?",
        lambda d: (d["aanbieder_agb"], d["toewijzing_nummer"], d["product_code"]),
    ),
    "start_reported_late": _ZORGPERIODE,
    "stop_before_start": _ZORGPERIODE,
    "unknown_product_code": (
        "select aanbieder_agb, toewijzing_nummer, product_code "
        "from cleaned.gebruikte_productcodes where gebruikte_productcode_id = ?",
        lambda d: (d["aanbieder_agb"], d["toewijzing_nummer"], d["product_code"]),
    ),
    "over_24h": _DECLARATIEREGEL,
    "declared_outside_toewijzing": _DECLARATIEREGEL,
    "volume_above_allocation": _DECLARATIEREGEL,
    "start_without_toewijzing": (
        "select aanbieder_agb, toewijzing_nummer "
        "from cleaned.zorgperioden where zorgperiode_id = ?",
        lambda d: (d["aanbieder_agb"], d["toewijzing_nummer"]),
    ),
    "invalid_bsn": (
        "select aanbieder_agb, message_type, bericht_identificatie "
        "from cleaned.client_vermeldingen where vermelding_id = ?",
        lambda d: (d["aanbieder_agb"], d["message_type"], d["bericht_identificatie"]),
    ),
    "retransmission": (
        "select verzender, message_type, bericht_identificatie "
        "from cleaned.berichten where file_id = ?",
        lambda d: (d["afzender"], d["message_type"], d["bericht_identificatie"]),
    ),
    "conflicting_retransmission": (
        "select verzender, message_type, bericht_identificatie "
        "from cleaned.berichten where file_id = ?",
        lambda d: (d["afzender"], d["message_type"], d["bericht_identificatie"]),
    ),
    "gemeente_unknown_to_cbs": (
        "select gemeente_code, aanbieder_agb, jaar "
        "from cleaned.gebruikte_gemeentecodes where gebruikte_gemeentecode_id = ?",
        lambda d: (d["gemeente_code_sent"], d["aanbieder_agb"], int(d["dagtekening"][:4])),
    ),
    "tariff_not_contracted": _CONTRACT_PRESTATIE,
    "tariff_below_contract": _CONTRACT_PRESTATIE,
    "product_not_contracted": (
        "select record_soort, aanbieder_agb, toewijzing_nummer, product_code, referentie_nummer "
        "from cleaned.contract_toetsingen where contract_toetsing_id = ?",
        lambda d: (
            d["record"],
            d["aanbieder_agb"],
            d["toewijzing_nummer"],
            d["product_code"],
            d.get("referentie_nummer"),
        ),
    ),
    "quarantined_file": (
        "select regexp_extract(?, '(inbox/.*)$', 1)",
        lambda d: (d["path"],),
    ),
}


def found_keys(warehouse: Path, check: str) -> set[tuple]:
    """The keys of every finding of ``check`` in the last quality run."""
    sql, _ = KEYS[check]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        keys = con.execute(
            "select finding_key from raw.dq_check_results where check_name = ? "
            "and run_id = (select run_id from raw.dq_check_runs order by run_at desc limit 1)",
            [check],
        ).fetchall()
        return {tuple(con.execute(sql, [key]).fetchone()) for (key,) in keys}


def recall_precision(truth: dict, warehouse: Path, defect: str) -> tuple[float, float, set, set]:
    check = CHECK_FOR_DEFECT[defect]
    planted = {KEYS[check][1](d) for d in truth["defects"] if d["type"] == defect}
    found = found_keys(warehouse, check)
    hits = planted & found
    recall = len(hits) / len(planted) if planted else 1.0
    precision = len(hits) / len(found) if found else 1.0
    return recall, precision, planted - found, found - planted


def test_every_defect_type_is_planted(demo):
    truth, _ = demo
    assert {d["type"] for d in truth["defects"]} == set(CHECK_FOR_DEFECT)


@pytest.mark.parametrize("defect", sorted(CHECK_FOR_DEFECT))
def test_check_finds_exactly_the_planted_defects(demo, defect):
    truth, warehouse = demo
    recall, precision, missed, extra = recall_precision(truth, warehouse, defect)
    assert (recall, precision) == (1.0, 1.0), (
        f"{defect} -> {CHECK_FOR_DEFECT[defect]}: recall {recall:.0%}, precision "
        f"{precision:.0%}; missed {sorted(missed)[:5]}, not planted {sorted(extra)[:5]}"
    )
