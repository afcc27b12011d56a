"""marts.dq_bsn_verzender_maand counts, per sender and month, exactly the BSNs the demo generator
mistyped (ground truth `invalid_bsn`) and every message the senders sent themselves."""

from __future__ import annotations

from collections import Counter

import duckdb

# Messages a party sends of its own accord; 302-320 and 325 answer one of these (README: the
# traffic) and repeat its BSNs, so the mart leaves them out.
OWN_MESSAGES = ("301", "305", "307", "315", "317", "319", "323")


def _month(identificatie: str) -> str:
    # The demo's BerichtIdentificatie starts with its Dagtekening as yymmdd (sdw.demo.inbox).
    return f"20{identificatie[:2]}-{identificatie[2:4]}-01"


def _key(defect: dict) -> tuple[str, str, str, str]:
    """(verzender, gemeente, aanbieder, month): the aanbieder sent the message."""
    agb = defect["aanbieder_agb"]
    return (agb, defect["gemeente_code"], agb, _month(defect["bericht_identificatie"]))


def test_invalid_bsns_per_sender_and_month_are_the_planted_ones(demo):
    truth, warehouse = demo
    planted = Counter(_key(d) for d in truth["defects"] if d["type"] == "invalid_bsn")
    assert planted, "the demo plants invalid BSNs"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute(
            "select verzender, gemeente_code, aanbieder_agb, cast(maand_start as varchar), "
            "ongeldige_bsns, berichten_met_ongeldige_bsn, verzender_rol "
            "from marts.dq_bsn_verzender_maand where ongeldige_bsns > 0"
        ).fetchall()
    assert {row[:4]: row[4] for row in found} == dict(planted)
    # One mistyped BSN per message (a 305/307 names one client, a 323 gets one wrong block).
    assert all(row[5] == row[4] for row in found)
    assert {row[6] for row in found} == {"aanbieder"}


def test_messages_per_sender_add_up_to_the_messages_sent(demo):
    truth, warehouse = demo
    sent = sum(
        count
        for message_type, count in truth["counts"]["messages_by_type"].items()
        if message_type.removeprefix("WMO").removeprefix("JW") in OWN_MESSAGES
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        by_role = dict(
            con.execute(
                "select verzender_rol, sum(berichten) from marts.dq_bsn_verzender_maand group by 1"
            ).fetchall()
        )
    assert sum(by_role.values()) == sent
    # The gemeente sends the 301s and 319s, the aanbieders the rest.
    from_gemeente = sum(
        count
        for message_type, count in truth["counts"]["messages_by_type"].items()
        if message_type.removeprefix("WMO").removeprefix("JW") in ("301", "319")
    )
    assert by_role["gemeente"] == from_gemeente
