"""What every loader does with the files it is offered: find them, identify them by content,
account for each exactly once, and keep a copy of what it could not load.

Only regular files are read. Anything else in a folder (a FIFO, device or socket, a symbolic link
not followed, a file that cannot be opened or read, a name that is not UTF-8) is skipped unread
and reported with the reason, and the rest loads; it is offered again on the next run. Links
are followed only when asked (SDW_FOLLOW_SYMLINKS, `--follow-symlinks`) and only to what lies
within the paths given.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from sdw.config import Settings
from sdw.raw import RawTable
from sdw.warehouse import insert_rows, transaction

# O_NONBLOCK: should a FIFO take a file's place after the walk looked, opening it must not wait
# for a writer. O_NOFOLLOW: nor may a link take its place. Neither changes how a file reads.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFDIR: "a folder",
}
LINK_NOT_FOLLOWED = "symbolic link: not followed (--follow-symlinks or SDW_FOLLOW_SYMLINKS)"
LINK_OUTSIDE = "symbolic link to outside the paths given: not followed"


class NotRead(Exception):
    """An entry that is not read: the message says why (it never quotes the file's content)."""


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "of another kind")


def _why(error: OSError) -> str:
    return f"cannot read: {error.strerror or error}"


Skip = Callable[[str, str], None]


def files_under(
    paths: Iterable[Path], skip: Skip, *, follow_symlinks: bool = False
) -> Iterator[str]:
    """The real path of each regular file named, or below a named folder, in a stable order:
    per folder its files by name, then its folders by name. Everything else is passed to
    ``skip`` with the reason. A path named that does not exist is an error (a typo, not an
    entry); links among the paths named are the user's own choice and are followed."""
    roots = []
    for path in paths:
        if not os.path.lexists(path):
            raise FileNotFoundError(f"no such file or folder: {path}")
        roots.append(os.path.realpath(path))
    for real in roots:
        if not _utf8(real):
            skip(real, "name is not UTF-8: not read")
            continue
        try:
            mode = os.stat(real).st_mode
        except OSError as error:
            skip(real, _why(error))
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(real, roots, skip, follow_symlinks, set())
        elif stat.S_ISREG(mode):
            yield real
        else:
            skip(real, f"not a regular file ({_kind(mode)})")


def _walk(
    folder: str, roots: list[str], skip: Skip, follow: bool, walked: set[str]
) -> Iterator[str]:
    if folder in walked:  # a link back up the tree, or to a folder walked already
        return
    walked.add(folder)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        skip(folder, f"cannot list folder: {error.strerror or error}")
        return
    folders = []
    # The entry's type comes with the listing (d_type): no system call per regular file.
    for entry in entries:
        name = entry.name
        if entry.is_file(follow_symlinks=False) and (name.isascii() or _utf8(name)):
            yield entry.path
            continue
        if not name.isascii() and not _utf8(name):
            # The warehouse keeps paths as text: bytes that are not UTF-8 cannot be one.
            skip(entry.path, "name is not UTF-8: not read")
            continue
        if entry.is_symlink():
            target = _followed(entry.path, roots, skip) if follow else None
            if target is None:
                if not follow:
                    skip(entry.path, LINK_NOT_FOLLOWED)
                continue
            path, mode = target
        elif entry.is_dir(follow_symlinks=False):
            folders.append(entry.path)
            continue
        else:
            path, mode = entry.path, entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISDIR(mode):
            folders.append(path)
        elif stat.S_ISREG(mode):
            yield path
        else:
            skip(entry.path, f"not a regular file ({_kind(mode)})")
    for path in folders:
        yield from _walk(path, roots, skip, follow, walked)


def _utf8(name: str) -> bool:
    try:
        name.encode()
    except UnicodeEncodeError:  # undecodable bytes, kept by the file system encoding as surrogates
        return False
    return True


def _followed(link: str, roots: list[str], skip: Skip) -> tuple[str, int] | None:
    """The real path a link leads to and its mode, if it lies within one of the roots."""
    target = os.path.realpath(link)
    if not any(target == root or target.startswith(root.rstrip("/") + "/") for root in roots):
        skip(link, LINK_OUTSIDE)
        return None
    try:
        return target, os.stat(target).st_mode
    except OSError as error:
        skip(link, f"symbolic link: {_why(error)}")
        return None


def open_regular(path: str) -> tuple[int, int]:
    """(descriptor, size) of a regular file opened for reading; NotRead for anything else."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise NotRead(_why(error)) from None
    try:
        info = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise NotRead(_why(error)) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRead(f"not a regular file ({_kind(info.st_mode)})")
    return fd, info.st_size


def read_fd(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from the descriptor's position; NotRead when reading fails."""
    parts = []
    try:
        while size > 0 and (part := os.read(fd, size)):
            parts.append(part)
            size -= len(part)
    except OSError as error:
        raise NotRead(_why(error)) from None
    return b"".join(parts)


def read_regular(path: str) -> bytes:
    """The whole content of a regular file; NotRead for anything else or a failed read."""
    fd, size = open_regular(path)
    try:
        data = read_fd(fd, size)
        # A file still growing: read to its end, as read_bytes() would.
        while more := read_fd(fd, 1 << 20):
            data += more
        return data
    finally:
        os.close(fd)


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class LoadReport:
    """What one load did with what it was offered; each loader's report adds its own counts."""

    loaded: int = 0
    quarantined: int = 0
    duplicate: int = 0
    skipped: int = 0  # already accounted for by an earlier run
    seconds: float = 0.0
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)
    # Entries not read at all (not a regular file, a link not followed, unreadable): no row,
    # they have no content to account for; offered again, they are tried again.
    not_read: list[tuple[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.loaded + self.quarantined + self.duplicate + self.skipped

    def skip(self, path: str, reason: str) -> None:
        self.not_read.append((path, reason))

    def quarantine(
        self, settings: Settings, path: Path | str, file_id: str, data: bytes | None, reason: str
    ) -> None:
        """Count a file quarantined (its row is the loader's) and keep a copy of what was read."""
        if data is not None:
            keep_quarantined(settings, path, file_id, data)
        self.quarantined += 1
        self.quarantine_reasons.append((str(path), reason))


def file_row(columns: tuple[str, ...], path: str, file_id: str, size: int, status: str,
             **values: Any) -> tuple:  # fmt: skip
    """A row of a raw.<x>_files table: the columns every ledger has, then the loader's own
    (``values``; a column given nowhere is null)."""
    record = {
        "file_id": file_id,
        "path": path,
        "size_bytes": size,
        "status": status,
        "reason": None,
        "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        **values,
    }
    return tuple(record.get(column) for column in columns)


class FileLedger:
    """The files a raw.<table> with (file_id, path, status, reason) columns accounts for.

    A file is its content (sha256): offered again under the same path it is already accounted
    for, under another path it is a duplicate that adds nothing. With `retry_quarantined`, a
    file quarantined before is offered for another try instead (`retry`): a reason such as "not
    supported yet" may no longer hold for a newer loader.

    Files are looked up in the table a group at a time, so memory does not grow with what the
    warehouse holds; what was classified but is not written yet is remembered until `written`.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, table: str, *, retry_quarantined: bool = False
    ) -> None:
        self._con = con
        self._table = table
        self._retry = retry_quarantined
        self._pending: set[tuple[str, str]] = set()
        self._pending_contents: dict[str, int] = {}  # file_id -> files classified, not written

    def classify(self, file_id: str, path: Path | str) -> str:
        """`accounted`, `retry`, `duplicate` or `new`; then remembers the file as accounted for."""
        key = str(path.resolve()) if isinstance(path, Path) else path
        return self.classify_all([(file_id, key)])[0][0]

    def classify_all(self, files: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
        """(outcome, the reason it was quarantined before, for `retry`) per (file_id, path)."""
        known: dict[tuple[str, str], tuple[str, str | None]] = {}
        contents: set[str] = set()
        for file_id, path, status, reason in self._lookup({f for f, _ in files}):
            known[(file_id, path)] = (status, reason)
            if status != "duplicate":
                contents.add(file_id)
        outcomes = []
        for key in files:
            file_id = key[0]
            if key in self._pending:
                outcomes.append(("accounted", None))
                continue
            status, reason = known.get(key, (None, None))
            if status == "quarantined" and self._retry:
                outcome = "retry"
            elif status is not None:
                outcomes.append(("accounted", None))
                continue
            elif file_id in contents or file_id in self._pending_contents:
                outcome = "duplicate"
            else:
                outcome = "new"
            self._pending.add(key)
            self._pending_contents[file_id] = self._pending_contents.get(file_id, 0) + 1
            outcomes.append((outcome, reason if outcome == "retry" else None))
        return outcomes

    def written(self, files: list[tuple[str, str]]) -> None:
        """These classified files are in the table now (or need no row): stop remembering them."""
        for key in files:
            self._pending.discard(key)
            left = self._pending_contents.get(key[0], 0) - 1
            if left > 0:
                self._pending_contents[key[0]] = left
            else:
                self._pending_contents.pop(key[0], None)

    def _lookup(self, file_ids: set[str]) -> list[tuple]:
        if not file_ids:
            return []
        self._con.register("ledger_lookup", pd.DataFrame({"file_id": sorted(file_ids)}))
        try:
            return self._con.execute(
                f"select file_id, path, status, reason from raw.{self._table} "
                "where file_id in (select file_id from ledger_lookup)"
            ).fetchall()
        finally:
            self._con.unregister("ledger_lookup")


def each_new_file(
    con: Any,
    paths: Iterable[Path],
    settings: Settings,
    ledger_table: RawTable,
    file_row: Callable[[Path, str, bytes, str], tuple],
    report: LoadReport,
) -> Iterator[tuple[Path, bytes, str]]:
    """(path, content, file_id) of each file under ``paths`` that raw.<ledger_table> has not
    accounted for. A file already accounted for counts in ``report.skipped``; a copy of one
    under another path is recorded as a duplicate (``file_row`` makes its ledger row) and counts
    in ``report.duplicate``; what cannot be read is in ``report.not_read``."""
    ledger = FileLedger(con, ledger_table.name)
    for name in files_under(paths, report.skip, follow_symlinks=settings.follow_symlinks):
        try:
            data = read_regular(name)
        except NotRead as why:
            report.skip(name, str(why))
            continue
        path = Path(name)
        file_id = content_id(data)
        match ledger.classify(file_id, name):
            case "accounted":
                report.skipped += 1
            case "duplicate":
                with transaction(con):
                    insert_rows(con, ledger_table, [file_row(path, file_id, data, "duplicate")])
                report.duplicate += 1
            case "new":
                yield path, data, file_id


# A copy's name keeps the end of the original's, short enough for any file system.
_KEPT_NAME_CHARS = 48


def keep_quarantined(settings: Settings, path: Path | str, file_id: str, data: bytes) -> None:
    """Our own copy of a file we could not load (the inbox is not ours to keep), readable by
    the owner only: it holds raw messages. None with SDW_QUARANTINE_DAYS=0."""
    if settings.quarantine_days <= 0:
        return
    _private_folder(settings.quarantine_dir)
    name = Path(str(path).rpartition("!")[2]).name  # an archive member is kept by its own name
    target = settings.quarantine_dir / f"{file_id[:16]}-{name[-_KEPT_NAME_CHARS:]}"
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return  # kept already
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        folder.chmod(0o700)  # made by an earlier version, or by hand


def begin_load(settings: Settings) -> None:
    """What every load does first: the quarantine folder made private (an existing one
    tightened), and copies older than SDW_QUARANTINE_DAYS deleted. The ledger rows stay: they
    keep the reason and the hash."""
    folder = settings.quarantine_dir
    if not folder.is_dir():
        return
    _private_folder(folder)
    oldest = time.time() - settings.quarantine_days * 86_400
    for entry in os.scandir(folder):
        if not entry.is_file(follow_symlinks=False):
            continue
        info = entry.stat(follow_symlinks=False)
        if settings.quarantine_days <= 0 or info.st_mtime < oldest:
            os.unlink(entry.path)
        elif stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(entry.path, 0o600)


def quarantine_copies(settings: Settings) -> int:
    """How many copies the quarantine folder holds."""
    try:
        with os.scandir(settings.quarantine_dir) as entries:
            return sum(1 for e in entries if e.is_file(follow_symlinks=False))
    except FileNotFoundError:
        return 0
