"""The files a loader is offered: plain files, folders (recursively) and zip archives.

Each file, and each member of an archive, is one input with its own path (`archive.zip!dir/m.xml`)
and its own content id. Anything too big to read safely — a file over the size limit, a member
that would unpack beyond it or that compresses suspiciously well (a zip bomb), an archive that
cannot be opened — comes out refused, with the reason, instead of being read.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sdw.files import content_id

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive

# XML compresses about tenfold; far beyond this a member is a bomb, not a message. Members
# below the floor are let through whatever their ratio: they are too small to hurt.
MAX_COMPRESSION_RATIO = 200
_RATIO_FLOOR_BYTES = 1 << 20
_HASH_CHUNK_BYTES = 1 << 20
# What a damaged member raises: bad CRC or header, broken deflate stream, truncation,
# encryption or a compression method zipfile lacks.
_UNPACK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True)
class Offered:
    path: str  # absolute; archive members as archive!member
    size: int  # bytes of content (uncompressed for members)
    file_id: str  # sha256 of the content
    data: bytes | None  # None when refused unread
    refusal: str | None = None  # why it is quarantined without being parsed

    @property
    def name(self) -> str:
        return Path(self.path.rpartition("!")[2]).name or "member"


def offered_files(paths: Iterable[Path], max_bytes: int) -> Iterator[Offered]:
    """Every input below `paths`, in a stable order."""
    for path in paths:
        if path.is_dir():
            top = os.path.realpath(path)
            for folder, dirs, files in os.walk(top):
                dirs.sort()
                for name in sorted(files):
                    yield from _offered(os.path.join(folder, name), max_bytes)
        elif path.is_file():
            yield from _offered(os.path.realpath(path), max_bytes)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def _offered(path: str, max_bytes: int) -> Iterator[Offered]:
    # os.open and os.read rather than open(): half the cost for the few-KB files an inbox holds.
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = _read(fd, size if size <= max_bytes else len(_ZIP_MAGIC[0]))
    finally:
        os.close(fd)
    if data[:4] in _ZIP_MAGIC:
        yield from _members(path, max_bytes)
    elif size > max_bytes:
        reason = f"file is {size:,} bytes, over the limit of {max_bytes:,} (SDW_MAX_FILE_MB)"
        yield Offered(path, size, _file_sha256(path), None, reason)
    else:
        yield Offered(path, len(data), content_id(data), data)


def _read(fd: int, size: int) -> bytes:
    parts = []
    while size > 0 and (part := os.read(fd, size)):
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _members(path: str, max_bytes: int) -> Iterator[Offered]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        size = os.stat(path).st_size
        yield Offered(path, size, _file_sha256(path), None, f"corrupt zip archive: {error}")
        return
    with archive:
        members = sorted(
            (m for m in archive.infolist() if not m.is_dir()), key=lambda m: m.filename
        )
        for member in members:
            yield _member(archive, member, f"{path}!{member.filename}", max_bytes)


def _member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: str, max_bytes: int
) -> Offered:
    # A member refused unread has no content to hash: its id is that of its entry in the
    # archive, which is as stable as the archive itself.
    entry_id = content_id(
        f"{member.filename}\0{member.CRC}\0{member.compress_size}\0{member.file_size}".encode()
    )
    size = member.file_size
    if size > max_bytes:
        reason = f"zip member unpacks to {size:,} bytes, over the limit of {max_bytes:,}"
        return Offered(path, size, entry_id, None, f"{reason} (SDW_MAX_FILE_MB)")
    if size > max(_RATIO_FLOOR_BYTES, MAX_COMPRESSION_RATIO * member.compress_size):
        ratio = size / max(member.compress_size, 1)
        reason = f"zip member compressed {ratio:,.0f}:1, beyond {MAX_COMPRESSION_RATIO}:1"
        return Offered(path, size, entry_id, None, f"{reason} (zip bomb)")
    try:
        # zipfile reads no further than the declared size and checks the CRC at the end, so a
        # member lying about its size cannot unpack beyond the limits checked above.
        with archive.open(member) as f:
            data = f.read(max_bytes + 1)
    except _UNPACK_ERRORS as error:
        return Offered(path, size, entry_id, None, f"cannot unpack zip member: {error}")
    if data[:4] in _ZIP_MAGIC:
        reason = "zip archive inside an archive: not unpacked"
        return Offered(path, len(data), content_id(data), data, reason)
    return Offered(path, len(data), content_id(data), data)
