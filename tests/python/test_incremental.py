"""An incremental `dbt build` after one more day of messages equals a full refresh.

A demo gemeente's inbox is split (sdw.demo.inbox.split_last_day) into everything before its last
day and that day. To the last day we add messages that correct older ones, as real traffic does:
a 323 that credits every line of an earlier declaratie and declares them again, a 305 that
deletes an earlier start (StatusAanlevering 3), a 301 with a newer version of an earlier
toewijzing (shortened), and a retransmission of an earlier 323. One warehouse loads the days
before, builds, loads the last day and builds again (incremental models recompute only what the
new files touch); another loads everything and builds with --full-refresh. Every table of the
cleaned and marts layers must hold the same rows in both.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from sdw.config import PROJECT_DIR
from sdw.demo import generate
from sdw.demo.inbox import file_day, split_last_day

BIN = Path(sys.executable).parent
# Built from the Great Expectations results, which this test does not run.
QUALITY = "tag:quality"


def _env(warehouse: Path, work: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SDW_PSEUDONYM_KEY", "SDW_XSD_DIR", "SDW_POSTCODE_BUURT")
    }
    env.update(
        SDW_WAREHOUSE=str(warehouse),
        SDW_QUARANTINE=str(work / "quarantine"),
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
    )
    return env


def _run(env: dict[str, str], *command: str) -> None:
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-4000:]}"


def _ingest(env: dict[str, str], inbox: Path) -> None:
    _run(env, str(BIN / "sdw"), "ingest", "messages", str(inbox))


def _build(env: dict[str, str], *flags: str) -> None:
    _run(env, str(BIN / "dbt"), "build", "--exclude", QUALITY, *flags)


# --- corrections, made from earlier messages -----------------------------------------------


def _message_type(data: bytes) -> str | None:
    found = re.search(rb"<(?:jw|wmo)(\d{3}):Bericht[ >]", data)
    return found.group(1).decode() if found else None


def _sub_first(pattern: bytes, value: str, data: bytes) -> bytes:
    """Replace the text of the first element matching ``pattern`` (a local name)."""
    changed, count = re.subn(
        rb"(<(?:\w+:)?" + pattern + rb">)[^<]*(</)",
        lambda m: m.group(1) + value.encode() + m.group(2),
        data,
        count=1,
    )
    assert count == 1, pattern
    return changed


def _resent(data: bytes, day: date, identificatie: str) -> bytes:
    """The same message as a new one: own Identificatie, dated ``day``."""
    data = _sub_first(rb"Identificatie", identificatie, data)
    return _sub_first(rb"Dagtekening", day.isoformat(), data)


def _credit_and_redeclare(data: bytes, day: date, identificatie: str) -> bytes:
    """A 323 crediting every line of ``data`` (VorigReferentieNummer) and declaring each again
    under a new ReferentieNummer with one unit less."""
    data = _resent(data, day, identificatie)
    data = _sub_first(rb"DeclaratieNummer", "9" + identificatie[-11:], data)
    data = _sub_first(rb"DeclaratieDagtekening", day.isoformat(), data)

    def credit(match: re.Match[bytes]) -> bytes:
        prestatie = match.group(0)
        referentie = re.search(rb"<(\w+):ReferentieNummer>([^<]*)<", prestatie)
        assert referentie
        prefix, nummer = referentie.group(1), referentie.group(2)
        credited = prestatie.replace(
            referentie.group(0),
            b"<%s:ReferentieNummer>%sC<" % (prefix, nummer),
        ).replace(
            b"</%s:ReferentieNummer>" % prefix,
            b"</%s:ReferentieNummer>\n<%s:VorigReferentieNummer>%s</%s:VorigReferentieNummer>"
            % (prefix, prefix, nummer, prefix),
            1,
        )
        credited = re.sub(rb"(DebetCredit>)D(<)", rb"\1C\2", credited)
        again = prestatie.replace(
            referentie.group(0), b"<%s:ReferentieNummer>%sN<" % (prefix, nummer)
        )
        again = re.sub(
            rb"(GeleverdVolume>)(\d+)(<)",
            lambda m: m.group(1) + str(max(int(m.group(2)) - 1, 1)).encode() + m.group(3),
            again,
        )
        return credited + b"\n" + again

    changed, count = re.subn(rb"<(\w+):Prestatie>.*?</\1:Prestatie>", credit, data, flags=re.DOTALL)
    assert count > 0
    return changed


def _deleting(data: bytes, day: date, identificatie: str) -> bytes:
    """A 305 deleting the starts ``data`` reported (StatusAanlevering 3)."""
    data = _resent(data, day, identificatie)
    return re.sub(rb"(StatusAanlevering>)1(<)", rb"\g<1>3\2", data)


def _newer_version(data: bytes, day: date, identificatie: str) -> bytes:
    """A 301 with a newer version of every toewijzing in ``data``, ending 60 days earlier."""
    data = _resent(data, day, identificatie)
    data = re.sub(
        rb"(Toewijzingsdatum>)[^<]*(<)", rb"\g<1>" + day.isoformat().encode() + rb"\2", data
    )
    data = re.sub(rb"(Toewijzingstijd>)[^<]*(<)", rb"\g<1>23:59:00\2", data)
    end = (day - timedelta(days=60)).isoformat().encode()
    return re.sub(
        rb"(<(?:\w+:)?ToegewezenProduct>.*?)(</(?:\w+:)?ToegewezenProduct>)",
        lambda m: (
            re.sub(rb"(Einddatum>)[^<]*(<)", rb"\g<1>" + end + rb"\2", m.group(1)) + m.group(2)
        ),
        data,
        flags=re.DOTALL,
    )


def _add_corrections(before: Path, last_day: Path, day: date) -> dict[str, int]:
    """Write correcting messages dated ``day`` into ``last_day``, made from files in ``before``."""
    latest: dict[str, list[tuple[date, Path]]] = {}
    for path in before.rglob("*.xml"):
        if path.name.endswith("_2.xml"):
            continue
        data = path.read_bytes()
        kind = _message_type(data)
        if kind in ("301", "305", "323") and b"StatusAanlevering>3<" not in data:
            latest.setdefault(kind, []).append((file_day(path) or date.min, path))
    made: dict[str, int] = {}
    folder = last_day / "corrections"
    folder.mkdir(parents=True, exist_ok=True)
    for kind, change, count in (
        ("323", _credit_and_redeclare, 3),
        ("305", _deleting, 3),
        ("301", _newer_version, 3),
    ):
        for i, (_, path) in enumerate(sorted(latest[kind], reverse=True)[:count]):
            identificatie = f"{day:%y%m%d}ZZ{kind}{i:02d}"
            (folder / f"{kind}_{i}.xml").write_bytes(change(path.read_bytes(), day, identificatie))
        made[kind] = count
    # A retransmission: an earlier 323 once more, other bytes.
    _, source = sorted(latest["323"], reverse=True)[5]
    (folder / "retransmission.xml").write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    return made


# --- the comparison --------------------------------------------------------------------------


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_catalog = ? and table_schema in ('cleaned', 'marts') "
        "and table_type = 'BASE TABLE' and table_name <> 'incrementele_runs'",
        [catalog],
    ).fetchall()
    return {row[0] for row in rows}


def _differences(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int, int]:
    only_incremental = con.execute(
        f"select count(*) from (select * from inc.{table} except all select * from fullref.{table})"
    ).fetchone()
    only_full = con.execute(
        f"select count(*) from (select * from fullref.{table} except all select * from inc.{table})"
    ).fetchone()
    rows = con.execute(f"select count(*) from fullref.{table}").fetchone()
    assert only_incremental and only_full and rows
    return only_incremental[0], only_full[0], rows[0]


def test_incremental_build_after_one_more_day_equals_full_refresh(tmp_path: Path) -> None:
    generate(tmp_path / "demo", seed=11, inwoners=3_000, defect_rate=0.03)
    inbox = tmp_path / "demo" / "inbox"
    before, last_day = tmp_path / "before", tmp_path / "last_day"
    split = split_last_day(inbox, before, last_day)
    assert split.before_files > 1000 and split.last_day_files >= 1
    made = _add_corrections(before, last_day, split.day)

    incremental = _env(tmp_path / "inc" / "wh.duckdb", tmp_path / "inc")
    _ingest(incremental, before)
    _build(incremental)
    _ingest(incremental, last_day)
    _build(incremental)

    full = _env(tmp_path / "full" / "wh.duckdb", tmp_path / "full")
    _ingest(full, before)
    _ingest(full, last_day)
    _build(full, "--full-refresh")

    con = duckdb.connect()
    con.execute(f"attach '{tmp_path / 'inc' / 'wh.duckdb'}' as inc (read_only)")
    con.execute(f"attach '{tmp_path / 'full' / 'wh.duckdb'}' as fullref (read_only)")
    tables = _tables(con, "fullref")
    assert _tables(con, "inc") == tables
    incremental_models = {
        row[0]
        for row in con.execute("select model_naam from inc.cleaned.incrementele_runs").fetchall()
    }
    # The marts over them are projections, rebuilt whole (one copy of the partition rules).
    assert {"cleaned.declaratieregels", "cleaned.zorgperioden"} <= incremental_models
    assert incremental_models <= tables

    different = {}
    for table in sorted(tables):
        only_incremental, only_full, rows = _differences(con, table)
        if only_incremental or only_full:
            different[table] = (only_incremental, only_full, rows)
    assert different == {}, f"incremental differs from full refresh: {different}"

    # The corrections took effect, so the comparison covered them: every credited line is gone
    # and declared again, the deleted starts are gone, the newer versions are current.
    credited = con.execute(
        "select count(*) from fullref.marts.fct_declaratieregel where referentie_nummer like '%N'"
    ).fetchone()
    assert credited and credited[0] > 0
    assert con.execute(
        "select count(*) from fullref.marts.fct_declaratieregel d "
        "where exists (select 1 from fullref.marts.fct_declaratieregel n "
        "where n.referentie_nummer = d.referentie_nummer || 'N' "
        "and n.aanbieder_agb = d.aanbieder_agb)"
    ).fetchone() == (0,)
    newer = con.execute(
        "select count(*) from fullref.marts.fct_toewijzing where toewijzingsdatum = ?",
        [split.day],
    ).fetchone()
    assert newer and newer[0] >= 1
    assert made == {"323": 3, "305": 3, "301": 3}


@pytest.mark.parametrize("day", [None, date(2025, 6, 2)])
def test_split_last_day_by_dagtekening(tmp_path: Path, day: date | None) -> None:
    generate(tmp_path / "demo", seed=3, inwoners=1_000, years=(2025, 2025))
    inbox = tmp_path / "demo" / "inbox"
    split = split_last_day(inbox, tmp_path / "a", tmp_path / "b", day=day)
    # The demo's Identificatie starts with the (retour) Dagtekening: <sender>_<code>_<yymmdd...>
    days = {
        path.relative_to(inbox): date(
            2000 + int(path.name.split("_")[2][:2]),
            int(path.name.split("_")[2][2:4]),
            int(path.name.split("_")[2][4:6]),
        )
        for path in inbox.rglob("*.xml")
    }
    expected_day = day or max(d for d in days.values() if d)
    assert split.day == expected_day
    later = {path for path, d in days.items() if d and d >= expected_day}
    assert {p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.xml")} == later
    assert {p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.xml")} == (
        set(days) - later
    )
    assert (split.before_files, split.last_day_files) == (len(days) - len(later), len(later))
