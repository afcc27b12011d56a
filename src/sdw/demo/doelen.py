"""Each demo gemeente's streefwaarden: targets per KPI, some met and some missed, with bad lines
planted and a corrected file for the last year.

A target is drawn around what the gemeente's care (the generator's own care records) comes
to: 0.85-1.15 times it, so some months are op koers and others not. What was written, which
lines are bad and why, and which file replaces which, go into ground_truth.json (`doelen`).
"""

from __future__ import annotations

import csv
import random
import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sdw.doelen.layout import STREEFWAARDE_COLUMNS

DOMEIN = {"iwmo": "wmo", "ijw": "jeugd"}
# A region of seed doel_gebieden, with the demo gemeenten it holds.
DEMO_REGIO = ("RG9999", {"0999", "9001", "9002", "9003"})

# (kpi, domein, periods, richting): the targets every demo gemeente sets each year.
TARGETS = (
    ("clienten_in_zorg", "wmo", ("",), "hoogstens"),
    ("clienten_in_zorg", "jeugd", ("-H1", "-H2"), "hoogstens"),
    ("instroom", "", ("",), "hoogstens"),
    ("uitstroom", "jeugd", ("",), "minstens"),
    ("wachttijd_mediaan", "jeugd", ("",), "hoogstens"),
    ("wachttijd_mediaan", "", ("-Q1", "-Q2", "-Q3", "-Q4"), "hoogstens"),
    ("gedeclareerd_bedrag", "wmo", ("",), "hoogstens"),
)

# Bad lines planted in every file: (rule, how the line is broken).
BAD_LINES = ("unknown_kpi", "not_a_number", "field_count", "richting", "periode", "overlap")


def _month(day: str) -> tuple[int, int]:
    return int(day[:4]), int(day[5:7])


def _months(first: tuple[int, int], last: tuple[int, int]):
    year, month = first
    while (year, month) <= last:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def baselines(care: Iterable[dict[str, Any]], horizon: date) -> dict[tuple, float]:
    """(gemeente, domein, kpi, year) -> a typical month's value, roughly as the marts count it
    (domein "" for both): what the targets are drawn around."""
    in_care: dict[tuple, set] = defaultdict(set)
    waits: dict[tuple, list[int]] = defaultdict(list)
    declared: dict[tuple, int] = defaultdict(int)
    last = (horizon.year, horizon.month)
    for line in care:
        gemeente, domein = line["gemeente_code"], DOMEIN[line["standard"]]
        if line["begindatum"]:
            end = _month(line["stop_einddatum"]) if line["stop_einddatum"] else last
            for month in _months(_month(line["begindatum"]), min(end, last)):
                in_care[(gemeente, domein, line["bsn"])].add(month)
            wait = (
                date.fromisoformat(line["begindatum"]) - date.fromisoformat(line["ingangsdatum"])
            ).days
            for scope in (domein, ""):
                waits[(gemeente, scope, int(line["begindatum"][:4]))].append(wait)
        for begin, _, _, bedrag, _, _ in line["prestaties"]:
            declared[(gemeente, domein, int(begin[:4]))] += bedrag
    monthly: dict[tuple, list[int]] = defaultdict(lambda: [0] * 13)
    for (gemeente, domein, _), months in in_care.items():
        for year, month in months:
            for scope in (domein, ""):
                counts = monthly[(gemeente, scope, year)]
                counts[month] += 1
                if (year, month - 1) not in months and (month > 1 or (year - 1, 12) not in months):
                    monthly[(gemeente, scope, year, "instroom")][month] += 1
                nxt = (year, month + 1) if month < 12 else (year + 1, 1)
                if nxt not in months and (year, month) < last:
                    monthly[(gemeente, scope, year, "uitstroom")][month] += 1
    out: dict[tuple, float] = {}
    for key, counts in monthly.items():
        kpi = key[3] if len(key) == 4 else "clienten_in_zorg"
        out[(key[0], key[1], kpi, key[2])] = statistics.fmean(counts[1:])
    for (gemeente, scope, year), values in waits.items():
        out[(gemeente, scope, "wachttijd_mediaan", year)] = statistics.median(values)
    for (gemeente, domein, year), cents in declared.items():
        out[(gemeente, domein, "gedeclareerd_bedrag", year)] = cents / 100 / 12
    return out


def _line(gebied, periode, kpi, domein, waarde, richting, marge) -> list[str]:
    return [gebied, periode, kpi, domein, f"{waarde:g}", richting, f"{marge:g}"]


def _target(rng: random.Random, base: float) -> tuple[float, float]:
    target = round(base * rng.uniform(0.85, 1.15), 1)
    return target, round(max(target * 0.05, 1.0), 1)


def write_doelen(
    folder: Path, seed: int, gemeenten: list[str], years: range, care: Iterable[dict], horizon: date
) -> dict[str, Any]:
    """Write <gemeente>_streefwaarden.csv per gemeente (and a correction for the last year);
    returns the truth: every line written, the bad ones with their rule, and the files."""
    rng = random.Random(f"{seed}/doelen")
    folder.mkdir(parents=True, exist_ok=True)
    base = baselines(care, horizon)
    truth: dict[str, Any] = {"files": [], "streefwaarden": [], "bad_lines": []}
    for gemeente in gemeenten:
        lines: list[list[str]] = []
        for year in years:
            for kpi, domein, periods, richting in TARGETS:
                value = base.get((gemeente, domein, kpi, year))
                if value is None:
                    continue
                for suffix in periods:
                    target, marge = _target(rng, value)
                    lines.append(
                        _line(gemeente, f"{year}{suffix}", kpi, domein, target, richting, marge)
                    )
            regio, members = DEMO_REGIO
            if gemeente == min(members.intersection(gemeenten), default=None):
                # the region's target, in the file of its first gemeente in the demo
                value = sum(base.get((g, "", "instroom", year), 0) for g in members)
                target, marge = _target(rng, value)
                lines.append(_line(regio, str(year), "instroom", "", target, "hoogstens", marge))
        _write(folder, f"{gemeente}_streefwaarden.csv", lines, rng, truth)
        # A correction for the last year: every line of the gemeente's own gebied again, with
        # new values; it replaces what the first file said for that gebied and year.
        last = str(years[-1])
        correction = [
            _line(
                row[0],
                row[1],
                row[2],
                row[3],
                round(float(row[4]) * rng.uniform(0.95, 1.1), 1),
                row[5],
                float(row[6]),
            )
            for row in lines
            if row[0] == gemeente and row[1].startswith(last)
        ]
        if correction:
            _write(folder, f"{gemeente}_streefwaarden_correctie.csv", correction, rng, truth)
    return truth


def _write(
    folder: Path, name: str, lines: list[list[str]], rng: random.Random, truth: dict
) -> None:
    """The lines, with one bad line of each kind planted at a random place."""
    rows: list[tuple[list[str], str | None]] = [(line, None) for line in lines]
    for rule in BAD_LINES:
        good = rng.choice(lines)
        bad = list(good)
        if rule == "unknown_kpi":
            bad[2] = "wachtlijst_lengte"
        elif rule == "not_a_number":
            bad[4] = "veel"
        elif rule == "field_count":
            bad = bad[:-1]
        elif rule == "richting":
            bad[5] = "max"
        elif rule == "periode":
            bad[1] = bad[1][:4] + "-13"
        else:  # overlap: the same target again, after the line it repeats
            rows.append((bad, rule))
            continue
        rows.insert(rng.randrange(len(rows) + 1), (bad, rule))
    with open(folder / name, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(STREEFWAARDE_COLUMNS)
        for number, (row, rule) in enumerate(rows, 2):
            writer.writerow(row)
            if rule is None:
                truth["streefwaarden"].append(
                    {
                        "file": name,
                        "line": number,
                        **dict(zip(STREEFWAARDE_COLUMNS, row, strict=True)),
                    }
                )
            else:
                truth["bad_lines"].append({"file": name, "line": number, "rule": rule})
    truth["files"].append(name)


UITKOMST_BAD_LINES = ("doelrealisatie", "tevredenheid", "einddatum", "field_count", "agb", "double")


def write_uitkomsten(folder: Path, seed: int, care: Iterable[dict], truth: dict[str, Any]) -> None:
    """<gemeente>_uitkomsten.csv: for part of the ended zorgperioden (each aanbieder its own
    response rate) doelrealisatie and tevredenheid, better with some aanbieders than others and
    after care that ended according to plan; bad lines planted. Adds `uitkomsten` (every good
    report) and the bad lines to ``truth``."""
    from sdw.demo.catalogue import DOMAINS
    from sdw.doelen.layout import UITKOMST_COLUMNS

    plan = {d.reden_plan for d in DOMAINS}
    rng = random.Random(f"{seed}/uitkomsten")
    aanbieders: dict[str, tuple[float, float]] = {}
    per_gemeente: dict[str, list[list[str]]] = defaultdict(list)
    for line in care:
        if not (line["begindatum"] and line["stop_einddatum"] and line["reden"]):
            continue
        agb = line["aanbieder_agb"]
        if agb not in aanbieders:
            aanbieders[agb] = (rng.uniform(0.35, 0.9), rng.uniform(0.25, 0.85))
        respons, kwaliteit = aanbieders[agb]
        if rng.random() >= respons:
            continue
        volgens_plan = line["reden"] in plan
        ja = kwaliteit if volgens_plan else kwaliteit * 0.4
        draw = rng.random()
        doel = "ja" if draw < ja else "deels" if draw < ja + (1 - ja) / 2 else "nee"
        score = round(rng.gauss(5 + 4 * kwaliteit * (1 if volgens_plan else 0.6), 1.2))
        score_text = str(min(10, max(1, score)))
        missing = rng.random()
        if missing < 0.08:
            score_text = ""
        elif missing < 0.12:
            doel = ""
        per_gemeente[line["gemeente_code"]].append(
            [
                line["gemeente_code"],
                agb,
                line["toewijzing_nummer"],
                line["stop_einddatum"],
                doel,
                score_text,
            ]
        )
    truth.setdefault("uitkomsten", [])
    for gemeente, lines in sorted(per_gemeente.items()):
        name = f"{gemeente}_uitkomsten.csv"
        rows: list[tuple[list, str | None]] = [(row, None) for row in lines]
        for rule in UITKOMST_BAD_LINES:
            bad = [str(v) for v in rng.choice(lines)]
            if rule == "doelrealisatie":
                bad[4] = "misschien"
            elif rule == "tevredenheid":
                bad[5] = "11"
            elif rule == "einddatum":
                bad[3] = bad[3][8:10] + "-" + bad[3][5:7] + "-" + bad[3][:4]
            elif rule == "field_count":
                bad = bad[:-1]
            elif rule == "agb":
                bad[1] = bad[1][:3]
            else:  # a second report on the same zorgperiode, after the first
                rows.append((bad, rule))
                continue
            rows.insert(rng.randrange(len(rows) + 1), (bad, rule))
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(UITKOMST_COLUMNS)
            for number, (row, rule) in enumerate(rows, 2):
                writer.writerow(row)
                if rule is None:
                    record = dict(zip(UITKOMST_COLUMNS, (str(v) for v in row), strict=True))
                    truth["uitkomsten"].append({"file": name, "line": number, **record})
                else:
                    truth["bad_lines"].append({"file": name, "line": number, "rule": rule})
        truth["files"].append(name)
