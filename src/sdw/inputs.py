"""The files a loader is offered: plain files, folders (recursively) and zip archives.

Each file, and each member of an archive, is one input with its own path (`archive.zip!dir/m.xml`)
and its own content id. Anything too big to read safely — a file over the size limit, a member
that would unpack beyond it or that compresses suspiciously well (a zip bomb), an archive with
too many members or whose members together unpack beyond SDW_ZIP_MAX_MB, an archive that cannot
be opened — comes out refused, with the reason, instead of being read. What is not a regular file
(sdw.files.files_under) is not offered at all: it is passed to ``skip``.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sdw.config import Settings
from sdw.files import NotRead, Skip, content_id, files_under, open_regular, read_fd

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive

# XML compresses about tenfold; far beyond this a member is a bomb, not a message. Until the
# archive's members together unpack to the floor they are let through whatever their ratio:
# they are too small to hurt; past it, every member is held to the ratio, small ones too.
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
    # What the envelope it came in says about it (sdw.messages.envelopes.Routing), if any
    routing: Any = None

    @property
    def name(self) -> str:
        return Path(self.path.rpartition("!")[2]).name or "member"


def offered_files(paths: Iterable[Path], settings: Settings, skip: Skip) -> Iterator[Offered]:
    """Every input below `paths`, in a stable order; what is not read goes to ``skip``."""
    for path in files_under(paths, skip, follow_symlinks=settings.follow_symlinks):
        try:
            yield from _offered(path, settings)
        except NotRead as why:
            skip(path, str(why))


def _offered(path: str, settings: Settings) -> Iterator[Offered]:
    # os.open and os.read rather than open(): half the cost for the few-KB files an inbox holds.
    max_bytes = settings.max_file_bytes
    fd, size = open_regular(path)
    try:
        data = read_fd(fd, size if size <= max_bytes else len(ZIP_MAGIC[0]))
        if data[:4] in ZIP_MAGIC:
            with os.fdopen(fd, "rb", closefd=False) as archive:
                yield from zip_members(path, archive, size, settings)
        elif size > max_bytes:
            reason = f"file is {size:,} bytes, over the limit of {max_bytes:,} (SDW_MAX_FILE_MB)"
            yield Offered(path, size, _sha256(fd), None, reason)
        else:
            yield Offered(path, len(data), content_id(data), data)
    finally:
        os.close(fd)


def _stream_sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(_HASH_CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256(fd: int) -> str:
    digest = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := read_fd(fd, _HASH_CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def zip_members(
    path: str, archive_file: BinaryIO, size: int, settings: Settings
) -> Iterator[Offered]:
    """The members of a zip archive, each as an input of its own (`path!member`)."""

    def refused(reason: str) -> Offered:
        return Offered(path, size, _stream_sha256(archive_file), None, reason)

    limit = settings.zip_max_members
    try:
        # The count the archive declares (read by zipfile's own, private, end-record reader),
        # checked before zipfile builds an object for each member of a huge central directory.
        declared = zipfile._EndRecData(archive_file)
        if declared and declared[zipfile._ECD_ENTRIES_TOTAL] > limit:
            count = declared[zipfile._ECD_ENTRIES_TOTAL]
            yield refused(_too_many(count, limit))
            return
        archive = zipfile.ZipFile(archive_file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        yield refused(f"corrupt zip archive: {error}")
        return
    with archive:
        members = sorted(
            (m for m in archive.infolist() if not m.is_dir()), key=lambda m: m.filename
        )
        if not members:
            # Accounted for like any file, so that it is not offered as new on every run.
            yield refused("empty zip archive")
        elif len(members) > limit:
            yield refused(_too_many(len(members), limit))
        else:
            unpacked = 0
            for member in members:
                offered = _member(archive, member, f"{path}!{member.filename}", settings, unpacked)
                if offered.data is not None:
                    unpacked += member.file_size
                yield offered


def _too_many(count: int, limit: int) -> str:
    return f"zip archive holds {count:,} members, over the limit of {limit:,} (SDW_ZIP_MAX_MEMBERS)"


def _member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    path: str,
    settings: Settings,
    unpacked: int,
) -> Offered:
    """The member, unpacked unless a bound refuses it; ``unpacked``: what the archive's earlier
    members unpacked to."""
    # A member refused unread has no content to hash: its id is that of its entry in the
    # archive, which is as stable as the archive itself.
    entry_id = content_id(
        f"{member.filename}\0{member.CRC}\0{member.compress_size}\0{member.file_size}".encode()
    )
    size = member.file_size
    max_bytes = settings.max_file_bytes
    if size > max_bytes:
        reason = f"zip member unpacks to {size:,} bytes, over the limit of {max_bytes:,}"
        return Offered(path, size, entry_id, None, f"{reason} (SDW_MAX_FILE_MB)")
    if unpacked + size > _RATIO_FLOOR_BYTES and size > MAX_COMPRESSION_RATIO * member.compress_size:
        ratio = size / max(member.compress_size, 1)
        reason = f"zip member compressed {ratio:,.0f}:1, beyond {MAX_COMPRESSION_RATIO}:1"
        return Offered(path, size, entry_id, None, f"{reason} (zip bomb)")
    if unpacked + size > settings.zip_max_bytes:
        reason = (
            f"zip archive unpacks to more than {settings.zip_max_bytes:,} bytes "
            "(SDW_ZIP_MAX_MB): member not unpacked"
        )
        return Offered(path, size, entry_id, None, reason)
    try:
        # zipfile reads no further than the declared size and checks the CRC at the end, so a
        # member lying about its size cannot unpack beyond the limits checked above.
        with archive.open(member) as f:
            data = f.read(max_bytes + 1)
    except _UNPACK_ERRORS as error:
        return Offered(path, size, entry_id, None, f"cannot unpack zip member: {error}")
    if data[:4] in ZIP_MAGIC:
        reason = "zip archive inside an archive: not unpacked"
        return Offered(path, len(data), content_id(data), data, reason)
    return Offered(path, len(data), content_id(data), data)
