"""Garbage in: the loader never crashes, and accounts for every file exactly once.

The garbage is made deterministically from the fixture messages (and the shared examples when
present): truncated, garbled, oversized, entity bombs and XXE, wrong namespaces and roots, deep
nesting, binary noise, broken and hostile zip archives.
"""

import io
import os
import random
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURE_MESSAGES, shared_dir
from message_rows import KEY
from raw_contents import query, raw_contents

from sdw.config import settings
from sdw.messages.layout import table_columns
from sdw.messages.load import ingest_messages
from sdw.messages.parse import Quarantine, parse_message

SEED = 20_261_123
FILES_PER_KIND = 12
MAX_FILE_MB = "0.05"  # so that "oversized" stays cheap

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]><lolz>&lol9;</lolz>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


def _bases() -> list[bytes]:
    paths = sorted(FIXTURE_MESSAGES.glob("*_*.xml"))
    examples = shared_dir() / "istandaarden" / "examples-3.2"
    if examples.is_dir():
        paths += sorted(examples.glob("*.xml"))
    return [p.read_bytes() for p in paths]


def _garble(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def garbage() -> dict[str, bytes]:
    rng = random.Random(SEED)
    bases = _bases()
    kinds = {
        "truncated": lambda b: b[: rng.randrange(len(b))],
        "garbled": lambda b: _garble(rng, b),
        "spliced": lambda b: b[: rng.randrange(len(b))] + rng.choice(bases)[rng.randrange(100) :],
        "noise": lambda b: rng.randbytes(rng.randrange(1, 5000)),
        "wrong_namespace": lambda b: b.replace(b"istandaarden.nl", b"example.org"),
        "wrong_root": lambda b: b.replace(b":Bericht", b":Berichten"),
        "other_release": lambda b: b.replace(b"/3_2/", b"/4_0/"),
        "bomb": lambda b: BILLION_LAUGHS.encode(),
        "bomb_late": lambda b: b"<!--" + b"-" * 6000 + b"-->" + BILLION_LAUGHS.encode()[21:],
        "bomb_utf16": lambda b: BILLION_LAUGHS.replace("?>", ' encoding="UTF-16"?>', 1).encode(
            "utf-16"
        ),
        "xxe": lambda b: XXE.encode(),
        "xxe_in_message": lambda b: b.replace(b"?>", b"?>" + XXE[21:].split("<x>")[0].encode(), 1),
        "deep": lambda b: b"<a>" * 20_000 + b"</a>" * 20_000,
        "oversized": lambda b: b + b"<!--" + b"x" * 60_000 + b"-->",
        "empty": lambda b: b"",
        "zip_truncated": lambda b: _zip({"m.xml": b})[: rng.randrange(10, 200)],
        "zip_garbage": lambda b: _zip({"a.xml": _garble(rng, b), "b.xml": rng.randbytes(300)}),
        "zip_bomb": lambda b: _zip({"bomb.xml": b"<a>" + b"\0" * 3_000_000 + b"</a>"}),
    }
    files = {}
    for kind, make in kinds.items():
        for i in range(FILES_PER_KIND):
            suffix = ".zip" if kind.startswith("zip") else ".xml"
            files[f"{kind}_{i:02d}{suffix}"] = make(rng.choice(bases))
    return files


@pytest.fixture
def fuzz_inbox(tmp_path) -> Path:
    inbox = tmp_path / "fuzz"
    inbox.mkdir()
    for name, data in garbage().items():
        (inbox / name).write_bytes(data)
    return inbox


def test_parser_only_ever_quarantines():
    for name, data in garbage().items():
        if name.endswith(".zip"):
            continue
        try:
            parse_message(data, name, KEY)
        except Quarantine as reason:
            assert str(reason), name


def test_loader_accounts_for_every_file_once(warehouse, fuzz_inbox, monkeypatch):
    monkeypatch.setenv("SDW_MAX_FILE_MB", MAX_FILE_MB)
    config = settings()
    report = ingest_messages([fuzz_inbox], config)

    rows = query(config.warehouse, "select path, status, reason from raw.ingest_files")
    paths = [path for path, _, _ in rows]
    assert len(paths) == len(set(paths)) == report.files
    offered = {os.path.realpath(p) for p in fuzz_inbox.iterdir()}
    # Each file is accounted for itself, or (a readable archive) through its members.
    accounted = {path.split("!")[0] for path in paths}
    assert accounted == offered
    assert {status for _, status, _ in rows} <= {"loaded", "quarantined", "duplicate"}
    assert all(reason for _, status, reason in rows if status == "quarantined")
    for kind in ("bomb", "bomb_late", "bomb_utf16", "xxe", "xxe_in_message"):
        # The copies of one bomb are duplicates of the first, which is refused unexpanded.
        assert query(
            config.warehouse,
            "select distinct reason from raw.ingest_files where status <> 'duplicate' "
            "and regexp_matches(path, ?)",
            [f"/{kind}_[0-9]+\\.xml$"],
        ) == [("DOCTYPE or entity declaration refused (never resolved)",)], kind
    oversized = query(
        config.warehouse,
        "select status, reason from raw.ingest_files "
        "where status <> 'duplicate' and regexp_matches(path, '/oversized_')",
    )
    assert oversized
    assert all(
        status == "quarantined" and reason.startswith("file is ") for status, reason in oversized
    )
    # Whatever loaded is complete: no record points to a file that is not loaded.
    loaded = {f for (f,) in query(config.warehouse, "select file_id from raw.ingest_files "
                                                     "where status = 'loaded'")}  # fmt: skip
    for table in table_columns():
        file_ids = {f for (f,) in query(config.warehouse, f"select file_id from raw.{table}")}
        assert file_ids <= loaded, table

    before = raw_contents(config.warehouse)
    again = ingest_messages([fuzz_inbox], config)
    assert (again.loaded, again.quarantined, again.duplicate) == (0, 0, 0)
    assert again.skipped == report.files
    assert raw_contents(config.warehouse) == before
