"""Client counts from the core marts agree with what the demo generator produced.

The expected figures are recomputed from the generator's own records (ground_truth.json: `care`,
one entry per product line with the client's BSN, birth year, start and stop as sent, and the
planted defects), never from the warehouse: `dim_client` (one row per person the messages name)
and the CBS-comparable count `eigen_clienten_periode` (distinct clients in zorg per standard and
period, jeugd under 18).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb

from sdw.config import DEMO_PSEUDONYM_KEY
from sdw.demo.inbox import file_day
from sdw.pseudonym import pseudonymise

DOMAIN_OF = {"iwmo": "wmo", "ijw": "jeugd"}
# The standard's total in eigen_clienten_periode (seed cbs_vormen): every product counts in it.
TOTAL_FORM = {"iwmo": "WMO", "ijw": "JH"}


def _pseudonym(bsn: str) -> str:
    return pseudonymise(DEMO_PSEUDONYM_KEY.encode(), bsn)


def _invalid_bsn_messages(truth: dict) -> dict[tuple[str, str, str, int, str], str]:
    """(standard, gemeente, aanbieder, toewijzing number, 305/307) -> the invalid BSN it carried."""
    found = {}
    for d in truth["defects"]:
        if d["type"] == "invalid_bsn" and d["message_type"] in ("305", "307"):
            for nummer in d["toewijzing_nummers"]:
                key = (d["standard"], d["gemeente_code"], d["aanbieder_agb"], nummer)
                found[(*key, d["message_type"])] = d["bsn"]
    return found


def expected_zorg(truth: dict) -> list[tuple[str, str, str, date, date | None, int | None]]:
    """Every zorgperiode the messages tell, as (standard, gemeente, person, begin, end, birth
    year): a started care line, under the BSN its 305 carried; a stop links only when its 305
    and 307 name the same client; a 305 under a toewijzing never issued is a person of its own."""
    invalid = _invalid_bsn_messages(truth)
    periods = []
    for line in truth["care"]:
        if line["begindatum"] is None:
            continue
        key = (line["standard"], line["gemeente_code"], line["aanbieder_agb"])
        key += (line["toewijzing_nummer"],)
        start_bsn = invalid.get((*key, "305"), line["bsn"])
        stop_bsn = invalid.get((*key, "307"), line["bsn"])
        end = line["stop_einddatum"] if start_bsn == stop_bsn else None
        periods.append(
            (
                line["standard"],
                line["gemeente_code"],
                _pseudonym(start_bsn),
                date.fromisoformat(line["begindatum"]),
                date.fromisoformat(end) if end else None,
                line["geboortejaar"],
            )
        )
    phantoms: dict[tuple, dict] = {}
    for d in truth["defects"]:
        if d["type"] == "no_matching_toewijzing":
            key = (d["standard"], d["gemeente_code"], d["aanbieder_agb"], d["toewijzing_nummer"])
            entry = phantoms.setdefault(key, {"einddatum": None})
            entry.update(begindatum=d["begindatum"], geboortejaar=d["geboortejaar"])
            if d["message_type"] == "307":
                entry["einddatum"] = d["einddatum"]
    for key, entry in phantoms.items():
        periods.append(
            (
                key[0],
                key[1],
                "phantom:" + "|".join(map(str, key)),
                date.fromisoformat(entry["begindatum"]),
                date.fromisoformat(entry["einddatum"]) if entry["einddatum"] else None,
                entry["geboortejaar"],
            )
        )
    return periods


def expected_cbs_counts(truth: dict, peildatum: date) -> dict[tuple, int]:
    """(gemeente, standard, periode_type, periode_start) -> clients in zorg in the period, as
    CBS counts them: distinct persons with care on any day of it (up to the peildatum), jeugd
    only under 18 by birth year; a stop dated before its start is not care."""
    persons: dict[tuple, set[str]] = defaultdict(set)
    for standard, gemeente, person, begin, end, geboortejaar in expected_zorg(truth):
        if begin > peildatum or (end is not None and end < begin):
            continue
        last = end or peildatum
        for year in range(begin.year, last.year + 1):
            periods = [("jaar", date(year, 1, 1), date(year, 12, 31))]
            periods += [("halfjaar", date(year, 1, 1), date(year, 6, 30))]
            periods += [("halfjaar", date(year, 7, 1), date(year, 12, 31))]
            for kind, first, final in periods:
                if begin > final or last < first:
                    continue
                if standard == "ijw" and year - geboortejaar > 18:
                    continue
                persons[(gemeente, standard, kind, first)].add(person)
    return {key: len(found) for key, found in persons.items()}


def test_dim_client_counts_every_person_the_messages_name(demo: tuple[dict, Path]) -> None:
    truth, warehouse = demo
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select client_pseudonym, heeft_wmo, heeft_jeugd from marts.dim_client"
        ).fetchall()
    dim = {pseudonym: {"wmo": wmo, "jeugd": jeugd} for pseudonym, wmo, jeugd in rows}

    # People with a toewijzing, and a BSN that failed the elf-proef (a person of its own).
    named: dict[str, set[str]] = defaultdict(set)
    for line in truth["care"]:
        named[_pseudonym(line["bsn"])].add(DOMAIN_OF[line["standard"]])
    invalid = {d["bsn"] for d in truth["defects"] if d["type"] == "invalid_bsn"}
    for d in truth["defects"]:
        if d["type"] == "invalid_bsn":
            named[_pseudonym(d["bsn"])].add(DOMAIN_OF[d["standard"]])
    assert {_pseudonym(bsn) for bsn in invalid} <= set(named)
    clients = {line["bsn"] for line in truth["care"]}
    assert len(clients) == sum(truth["counts"]["clients"].values())

    assert set(named) <= set(dim)
    for pseudonym, domains in named.items():
        assert {domain for domain, seen in dim[pseudonym].items() if seen} == domains
    # Everyone else: a refused 315, or a 305 under a toewijzing never issued (no BSN listed).
    others = defaultdict(int)
    for pseudonym in set(dim) - set(named):
        for domain, seen in dim[pseudonym].items():
            others[domain] += seen
    assert dict(others) == truth["counts"]["persons_without_toewijzing"]
    assert len(dim) == len(named) + sum(truth["counts"]["persons_without_toewijzing"].values())


def test_cbs_comparable_client_counts_match_the_generator(demo: tuple[dict, Path]) -> None:
    truth, warehouse = demo
    inbox = warehouse.parent.parent / "demo" / "inbox"
    peildatum = max(day for path in inbox.rglob("*.xml") if (day := file_day(path)))
    expected = expected_cbs_counts(truth, peildatum)
    assert expected, "the demo has care"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select gemeente_code, standard, periode_type, periode_start, clienten "
            "from cleaned.eigen_clienten_periode "
            "where (standard, vorm_code) in (('iwmo', 'WMO'), ('ijw', 'JH'))"
        ).fetchall()
    actual = {(g, s, kind, first): n for g, s, kind, first, n in rows}
    assert actual == expected
    # and the totals are the ones the benchmark reads
    years = {first.year for (_, _, kind, first) in expected if kind == "jaar"}
    assert set(truth["years"]) <= years
