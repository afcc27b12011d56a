"""One bad inbox entry blocks nothing, and the quarantine is private.

Every loader (messages, budget, CBS) reads regular files only: a FIFO, a link not followed and a
file that cannot be read are skipped with the reason, and the rest loads. Zip archives are
bounded as a whole; what is printed never obeys a file name; quarantine copies are the owner's
only and deleted after SDW_QUARANTINE_DAYS.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import stat
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURE_MESSAGES
from raw_contents import query
from test_cbs_odata import _v4_pages

from sdw.budget.load import ingest_budget
from sdw.cbs.load import ingest_cbs
from sdw.cli import main
from sdw.config import settings
from sdw.demo.budget import BUDGET_COLUMNS
from sdw.files import LINK_NOT_FOLLOWED, LINK_OUTSIDE
from sdw.messages.load import ingest_messages

BUDGET_ROWS = [("0999", "2025", "iwmo", "Huishoudelijke hulp", "01", "274000")]


@pytest.fixture(autouse=True)
def deadline():
    """Fails a test instead of hanging it (a FIFO opened for reading waits for a writer)."""

    def hung(signum, frame):
        raise TimeoutError("the loader hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _messages(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("wmo301_a.xml", "wmo305_a.xml"):
        shutil.copy(FIXTURE_MESSAGES / name, folder)
    return folder


def _budget(folder: Path, name: str = "a_budget.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([BUDGET_COLUMNS, *BUDGET_ROWS])
    return folder


def _cbs(folder: Path) -> Path:
    _v4_pages(folder)
    return folder


def _load(kind: str, folder: Path, config=None):
    load = {"messages": ingest_messages, "budget": ingest_budget, "cbs": ingest_cbs}[kind]
    return load([folder], config or settings())


MAKE = {"messages": _messages, "budget": _budget, "cbs": _cbs}
LOADED = {"messages": 2, "budget": 1, "cbs": 5}


@pytest.mark.parametrize("kind", MAKE)
def test_a_fifo_is_skipped_and_the_rest_loads(kind, warehouse, tmp_path):
    folder = MAKE[kind](tmp_path / "inbox")
    os.mkfifo(folder / "pipe.xml")
    os.mkfifo(folder / "m_pipe.csv")
    report = _load(kind, folder)
    assert report.loaded == LOADED[kind]
    assert sorted(report.not_read) == [
        (str(folder / "m_pipe.csv"), "not a regular file (a FIFO)"),
        (str(folder / "pipe.xml"), "not a regular file (a FIFO)"),
    ]
    assert report.quarantined == 0


@pytest.mark.parametrize("kind", MAKE)
def test_an_unreadable_file_is_reported_and_the_rest_loads_also_on_a_rerun(
    kind, warehouse, tmp_path, monkeypatch
):
    # Tests run as root, whom chmod 000 does not stop: the refusal is the system's answer.
    folder = MAKE[kind](tmp_path / "inbox")
    locked = folder / ("0_locked.xml" if kind == "messages" else "0_locked.csv")
    shutil.copy(next(p for p in sorted(folder.iterdir()) if p != locked), locked)
    real_open, real_read_bytes = os.open, Path.read_bytes

    def refuse(path) -> None:
        if str(path).endswith(("_locked.xml", "_locked.csv")):
            raise PermissionError(13, "Permission denied", str(path))

    def refusing_open(path, flags, *args, **kwargs):
        refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def refusing_read_bytes(self):
        refuse(self)
        return real_read_bytes(self)

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", refusing_open)
        patch.setattr(Path, "read_bytes", refusing_read_bytes)  # how budget and CBS used to read
        first = _load(kind, folder)
        assert first.loaded == LOADED[kind]
        assert first.not_read == [(str(locked), "cannot read: Permission denied")]
        again = _load(kind, folder)
        assert (again.loaded, again.skipped, again.not_read) == (0, LOADED[kind], first.not_read)

    # Readable again: it is offered again, and accounted for.
    third = _load(kind, folder)
    assert (third.loaded + third.duplicate, third.not_read) == (1, [])


@pytest.mark.parametrize("kind", MAKE)
def test_symlinks_are_not_followed_unless_asked_and_never_out_of_the_paths(
    kind, warehouse, tmp_path, monkeypatch
):
    folder = MAKE[kind](tmp_path / "inbox")
    elsewhere = _budget(tmp_path / "elsewhere", "outside.csv")
    (folder / "passwd.xml").symlink_to("/etc/passwd")
    (folder / "outside.csv").symlink_to(elsewhere / "outside.csv")
    inside = sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink())[0]
    (folder / "sub").mkdir()
    (folder / "sub" / "link_inside").symlink_to(inside)
    (folder / "loop").symlink_to(folder)

    report = _load(kind, folder)
    assert report.loaded == LOADED[kind]
    assert sorted(report.not_read) == sorted(
        (str(folder / name), LINK_NOT_FOLLOWED)
        for name in ("passwd.xml", "outside.csv", "sub/link_inside", "loop")
    )
    table = {"messages": "ingest_files", "budget": "budget_files", "cbs": "cbs_files"}[kind]
    paths = [p for (p,) in query(warehouse.warehouse, f"select path from raw.{table}")]
    assert not [p for p in paths if "passwd" in p or "outside" in p]
    kept = list(warehouse.quarantine_dir.glob("*"))
    assert not [p for p in kept if b"root:" in p.read_bytes()]

    # Asked to follow: a link within the paths given leads to a file accounted for already
    # (by its real path), one leading outside is still not followed.
    monkeypatch.setenv("SDW_FOLLOW_SYMLINKS", "1")
    followed = _load(kind, folder)
    assert sorted(followed.not_read) == [
        (str(folder / "outside.csv"), LINK_OUTSIDE),
        (str(folder / "passwd.xml"), LINK_OUTSIDE),
    ]
    assert (followed.loaded, followed.quarantined, followed.duplicate) == (0, 0, 0)
    assert followed.skipped == LOADED[kind] + 1  # the loop leads to a folder walked already
    # ... and a link to outside is followed when what it leads to is among the paths given.
    both = {"messages": ingest_messages, "budget": ingest_budget, "cbs": ingest_cbs}[kind](
        [folder, elsewhere], settings()
    )
    assert (str(folder / "outside.csv"), LINK_OUTSIDE) not in both.not_read


def test_follow_symlinks_on_the_command_line(warehouse, tmp_path, capsys):
    folder = _messages(tmp_path / "inbox")
    real = _messages(tmp_path / "inbox" / "real")
    (folder / "link.xml").symlink_to(real / "wmo301_a.xml")
    (folder / "passwd.xml").symlink_to("/etc/passwd")
    assert main(["ingest", "messages", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 loaded, 0 quarantined, 2 duplicate, 0 already loaded, 2 not read;")
    assert f"  not read {folder / 'link.xml'}: {LINK_NOT_FOLLOWED}" in out
    assert main(["ingest", "messages", "--follow-symlinks", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"  not read {folder / 'passwd.xml'}: {LINK_OUTSIDE}" in out
    assert "1 not read" in out
    assert query(warehouse.warehouse, "select count(*) from raw.ingest_files") == [(4,)]


def _zip(path: Path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _reasons(config) -> list[str]:
    return [
        r
        for (r,) in query(
            config.warehouse,
            "select reason from raw.ingest_files where status = 'quarantined' order by path",
        )
    ]


def _kept_bytes(config) -> int:
    folder = config.quarantine_dir
    return sum(p.stat().st_size for p in folder.iterdir()) if folder.exists() else 0


def test_many_small_members_compressing_too_well_are_refused_unread(warehouse, tmp_path):
    # 300 members of 100 KB that deflate some 1000:1: small each, 30 MB together.
    members = {f"m{i:03d}.xml": b"\0" * 100_000 + i.to_bytes(2) for i in range(300)}
    archive = _zip(tmp_path / "many.zip", members)
    assert archive.stat().st_size < 200_000
    report = ingest_messages([archive], warehouse)
    assert report.quarantined == 300  # none is a message; each is accounted for
    reasons = _reasons(warehouse)
    bombs = [r for r in reasons if r.endswith("(zip bomb)")]
    # Members are let through while the archive has unpacked less than 1 MiB in all.
    assert len(bombs) == 300 - 10
    assert _kept_bytes(warehouse) == 10 * 100_002


def test_an_archive_is_bounded_in_size_and_members(warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("SDW_ZIP_MAX_MB", "0.05")  # 52,428 bytes
    monkeypatch.setenv("SDW_ZIP_MAX_MEMBERS", "6")
    rng = random.Random(5)
    members = {f"m{i}.bin": rng.randbytes(10_000) for i in range(6)}
    big = _zip(tmp_path / "big.zip", members, zipfile.ZIP_STORED)
    crowded = _zip(tmp_path / "crowded.zip", {**members, "m6.bin": b"x"})
    config = settings()
    report = ingest_messages([big, crowded], config)
    assert report.quarantined == 7  # big's six members and crowded as a whole
    rows = dict(
        query(
            config.warehouse,
            "select regexp_extract(path, '[^/]+$'), reason from raw.ingest_files",
        )
    )
    over = "zip archive unpacks to more than 52,428 bytes (SDW_ZIP_MAX_MB): member not unpacked"
    assert [rows[f"big.zip!m{i}.bin"] == over for i in range(6)] == [False] * 5 + [True]
    assert rows["crowded.zip"] == (
        "zip archive holds 7 members, over the limit of 6 (SDW_ZIP_MAX_MEMBERS)"
    )
    # What is refused is not copied: five members of 10,000 bytes are kept, nothing else.
    assert _kept_bytes(config) == 5 * 10_000


def test_an_empty_archive_is_accounted_for_once(warehouse, tmp_path):
    empty = _zip(tmp_path / "empty.zip", {})
    report = ingest_messages([empty], warehouse)
    assert report.quarantined == 1
    assert query(warehouse.warehouse, "select path, status, reason from raw.ingest_files") == [
        (str(empty), "quarantined", "empty zip archive")
    ]
    again = ingest_messages([empty], warehouse)
    assert (again.quarantined, again.skipped) == (0, 1)
    assert _kept_bytes(warehouse) == 0


def test_a_file_name_cannot_forge_output_lines(warehouse, tmp_path, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    forged = "x.xml\n12 loaded, 0 quarantined\n  quarantined \x1b[2Kok.xml"
    (folder / forged).write_bytes(b"not xml")
    os.mkfifo(folder / "pipe\n.xml")
    assert main(["ingest", "messages", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert out[1].startswith(
        f"  quarantined {folder}/x.xml\\n12 loaded, 0 quarantined\\n  quarantined \\x1b[2Kok.xml: "
        "malformed XML"
    )
    assert out[2] == f"  not read {folder}/pipe\\n.xml: not a regular file (a FIFO)"
    assert main(["status"]) == 0
    status = capsys.readouterr().out
    assert "\x1b" not in status
    assert [line for line in status.splitlines() if line.startswith("  quarantined")] == [out[1]]


@pytest.mark.parametrize("kind", MAKE)
def test_a_name_that_is_not_utf8_is_skipped_and_the_rest_loads(kind, warehouse, tmp_path, capsys):
    folder = MAKE[kind](tmp_path / "inbox")
    bad = os.fsdecode(os.fsencode(folder) + b"/bad\xff.csv")
    with open(bad, "wb") as f:
        f.write(b"not xml, not csv")
    assert main(["ingest", kind, str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{LOADED[kind]} loaded, 0 quarantined, 0 duplicate, 0 already loaded, ")
    assert f"  not read {folder}/bad\\udcff.csv: name is not UTF-8: not read" in out


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_quarantine_is_private_and_copies_expire(warehouse, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "bad.xml").write_bytes(b"<Bericht>999990007")
    ingest_messages([folder], warehouse)
    [copy] = warehouse.quarantine_dir.iterdir()
    assert (_mode(warehouse.quarantine_dir), _mode(copy)) == (0o700, 0o600)

    # A folder and copy an earlier version left open are tightened by the next load.
    warehouse.quarantine_dir.chmod(0o755)
    copy.chmod(0o644)
    ingest_messages([folder], warehouse)
    assert (_mode(warehouse.quarantine_dir), _mode(copy)) == (0o700, 0o600)
    assert main(["status"]) == 0
    assert "(1 copies, each deleted after 90 days: SDW_QUARANTINE_DAYS)" in capsys.readouterr().out

    # Past SDW_QUARANTINE_DAYS the copy goes at the start of a load; the row keeps what it was.
    monkeypatch.setenv("SDW_QUARANTINE_DAYS", "30")
    old = time.time() - 31 * 86_400
    os.utime(copy, (old, old))
    ingest_messages([folder], settings())
    assert not copy.exists()
    [(file_id, reason)] = query(warehouse.warehouse, "select file_id, reason from raw.ingest_files")
    assert copy.name.startswith(file_id[:16]) and reason.startswith("malformed XML")


def test_no_copies_are_kept_with_zero_days(warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("SDW_QUARANTINE_DAYS", "0")
    folder = tmp_path / "budget"
    folder.mkdir()
    (folder / "bad.csv").write_text("gemeente,jaar\n0999,2025\n")
    report = ingest_budget([folder], settings())
    assert report.quarantined == 1
    assert _kept_bytes(warehouse) == 0


def test_a_cbsodata_folder_reads_no_linked_sibling(warehouse, tmp_path):
    from test_cbs_cbsodata import TABLE, write_dump

    folder = write_dump(tmp_path / "download" / TABLE)
    outside = tmp_path / "outside.json"
    info = json.loads((folder / "TableInfos.json").read_text())
    outside.write_text(json.dumps([{**info[0], "Title": "read through a link"}]))
    (folder / "TableInfos.json").unlink()
    (folder / "TableInfos.json").symlink_to(outside)
    report = ingest_cbs([folder], warehouse)
    assert report.not_read == [(str(folder / "TableInfos.json"), LINK_NOT_FOLLOWED)]
    assert query(warehouse.warehouse, "select distinct table_title from raw.cbs_files") == [(None,)]
