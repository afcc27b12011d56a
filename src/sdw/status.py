"""What the warehouse holds: loads, quarantine, the last run, quality, rows per mart."""

from __future__ import annotations

import unicodedata
from typing import Any

from sdw.config import Settings
from sdw.files import quarantine_copies
from sdw.messages.key import describe, stored_fingerprint
from sdw.pseudonym import key_fingerprint
from sdw.warehouse import connect, location, table_exists

# Line and paragraph separators, controls (a newline, an escape sequence), format characters
# (bidirectional overrides) and lone surrogates (bytes of a name that are not UTF-8).
_UNPRINTABLE = ("Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn")


def printable(text: str) -> str:
    """The text with what could forge or hide a line escaped as Python writes it (\\n, \\x1b,
    \\u202e): a file name is shown, never obeyed."""
    if text.isprintable():
        return text
    return "".join(
        repr(char)[1:-1] if unicodedata.category(char) in _UNPRINTABLE else char for char in text
    )


def status_lines(settings: Settings, *, list_quarantined: bool = True) -> list[str]:
    lines = [f"warehouse: {location(settings.warehouse)}"]
    with connect(settings.warehouse, read_only=True) as con:
        if not table_exists(con, "raw", "ingest_files"):
            return [*lines, "nothing loaded yet"]
        files = dict(
            con.execute("select status, count(*) from raw.ingest_files group by status").fetchall()
        )
        last = con.execute("select max(loaded_at) from raw.ingest_files").fetchone()[0]
        lines.append(
            "message files: {loaded} loaded, {quarantined} quarantined, {duplicate} duplicate"
            " (last load {last:%Y-%m-%d %H:%M} UTC)".format(
                **{s: files.get(s, 0) for s in ("loaded", "quarantined", "duplicate")}, last=last
            )
            if last
            else "message files: none"
        )
        lines.extend(_kind_lines(con))
        lines.extend(_key_lines(con, settings))
        if list_quarantined:
            for path, reason in con.execute(
                "select path, reason from raw.ingest_files where status = 'quarantined' "
                "order by path"
            ).fetchall():
                lines.append(f"  quarantined {printable(path)}: {printable(reason or '')}")
        marts = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        if marts:
            lines.append("rows per mart:")
            for (name,) in marts:
                count = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
                lines.append(f"  marts.{name}: {count}")
        checks = con.execute(
            """
            select check_name, severity, finding_count, run_at
            from (
                select
                    *,
                    row_number() over (partition by check_name order by run_at desc) as rang
                from raw.dq_check_runs
            ) as runs
            where rang = 1
            order by check_name
            """
        ).fetchall()
        if checks:
            last_run = max(c[3] for c in checks)
            lines.append(f"quality (last check run {last_run:%Y-%m-%d %H:%M} UTC):")
            lines.extend(f"  {name} ({severity}): {n} findings" for name, severity, n, _ in checks)
        else:
            lines.append("quality: no check run yet")
    lines.append(
        f"quarantined files kept in: {printable(str(settings.quarantine_dir))} "
        f"({quarantine_copies(settings)} copies, each deleted after {settings.quarantine_days} "
        "days: SDW_QUARANTINE_DAYS)"
    )
    lines.append(f"quality reports (Data Docs): {settings.reports_dir / 'data_docs'}/index.html")
    return lines


def _kind_lines(con: Any) -> list[str]:
    """Files per standard, release and message type: what part of an archive is usable. A
    duplicate counts under the kind of the file it copies; a file whose namespace said nothing
    (not an iWmo/iJw message, malformed XML) under "not a known message"."""
    counts = con.execute(
        """
        select kinds.standard, kinds.release, kinds.message_type, files.status, count(*)
        from raw.ingest_files as files
        left join (
            select
                file_id,
                max(standard) as standard,
                max(release) as release,
                max(message_type) as message_type
            from raw.ingest_files
            where standard is not null
            group by file_id
        ) as kinds on files.file_id = kinds.file_id
        group by kinds.standard, kinds.release, kinds.message_type, files.status
        """
    ).fetchall()
    per_kind: dict[tuple, dict[str, int]] = {}
    for standard, release, message_type, status, count in counts:
        per_kind.setdefault((standard, release, message_type), {})[status] = count
    if not per_kind:
        return []
    lines = ["files per standard, release and message type:"]
    for kind in sorted(per_kind, key=lambda k: tuple((v is None, v or "") for v in k)):
        found = per_kind[kind]
        name = " ".join(kind) if kind[0] is not None else "not a known message"
        lines.append(
            f"  {name}: "
            + ", ".join(f"{found.get(s, 0)} {s}" for s in ("loaded", "quarantined", "duplicate"))
        )
    return lines


def _key_lines(con: Any, settings: Settings) -> list[str]:
    stored = stored_fingerprint(con)
    if stored is None:
        return ["pseudonym key: none recorded yet (the first load records it)"]
    lines = [f"pseudonym key: fingerprint {describe(stored)}"]
    if key_fingerprint(settings.effective_key) != stored:
        lines.append("  the current key differs: loading is refused (see `sdw rekey`)")
    return lines
