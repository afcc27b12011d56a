"""Writing the inbox one file at a time, and the ground truth as it happens.

Nothing is kept after a file is written, so memory does not grow with the output: planted defects
and complications stream to temporary JSON-lines files that ``GroundTruth.finish`` splices into
``ground_truth.json``.

``split_last_day`` splits a written inbox into everything before its last day and that day, for
runs that load the archive and then one more day (the incremental test, the benchmark).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sdw.demo.catalogue import MESSAGE_NUMBERS, RETOUR_OF, STANDARDS, Standard
from sdw.demo.render import Sent, antwoord_header, document, header, retour_header

_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class GroundTruth:
    """Every planted defect and every legitimate complication, one JSON object per line."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.defect_counts: dict[str, int] = {}
        self.complication_counts: dict[str, int] = {}
        self._defects = open(out_dir / ".defects.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self._complications = open(  # noqa: SIM115
            out_dir / ".complications.jsonl", "w", encoding="utf-8"
        )
        self._care = open(out_dir / ".care.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self._retouren = open(out_dir / ".retouren.jsonl", "w", encoding="utf-8")  # noqa: SIM115

    def defect(self, entry: dict[str, Any]) -> None:
        self.defect_counts[entry["type"]] = self.defect_counts.get(entry["type"], 0) + 1
        self._defects.write(json.dumps(entry) + "\n")

    def complication(self, entry: dict[str, Any]) -> None:
        kind = entry["type"]
        self.complication_counts[kind] = self.complication_counts.get(kind, 0) + 1
        self._complications.write(json.dumps(entry) + "\n")

    def care(self, entry: dict[str, Any]) -> None:
        """One product line with its start, stop and prestaties as sent (the list `care`)."""
        self._care.write(json.dumps(entry) + "\n")

    def care_so_far(self) -> Iterator[dict[str, Any]]:
        """The care records written so far, one at a time (for outputs drawn from the care)."""
        self._care.flush()
        with open(self._care.name, encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)

    def retour(self, entry: dict[str, Any]) -> None:
        """One retour (302-320) as sent, with the codes it rejects by (the list `retouren`)."""
        self._retouren.write(json.dumps(entry) + "\n")

    def relative(self, path: str) -> str:
        return Path(os.path.relpath(path, self.out_dir)).as_posix()

    def finish(self, meta: dict[str, Any]) -> Path:
        """Write ground_truth.json: ``meta``, then the lists defects, complications, care and
        retouren."""
        streams = (self._defects, self._complications, self._care, self._retouren)
        for stream in streams:
            stream.close()
        target = self.out_dir / "ground_truth.json"
        with open(target, "w", encoding="utf-8") as out:
            out.write(json.dumps(meta, indent=2)[:-2])
            for name, stream in (
                ("defects", self._defects),
                ("complications", self._complications),
                ("care", self._care),
                ("retouren", self._retouren),
            ):
                out.write(f',\n  "{name}": [')
                with open(stream.name, encoding="utf-8") as lines:
                    for i, line in enumerate(lines):
                        out.write(("\n    " if i == 0 else ",\n    ") + line.rstrip("\n"))
                out.write("\n  ]")
            out.write("\n}\n")
        for stream in streams:
            os.remove(stream.name)
        return target


class Inbox:
    """A gemeente's message archive: one message per file, in a folder per gemeente and month.

    Identificatie is unique per sender and BerichtCode (return code 9056): the Dagtekening, the
    gemeente's number (an aanbieder serves several gemeenten) and a daily sequence.
    """

    def __init__(self, root: Path, truth: GroundTruth, rng: random.Random) -> None:
        self.root = root
        self.truth = truth
        self.rng = rng
        self.files = 0
        self.messages_by_type = {s.message_type(n): 0 for s in STANDARDS for n in MESSAGE_NUMBERS}
        self.malformed_rate = 0.0
        self.retransmission_rate = 0.0
        self.conflict_rate = 0.0
        self.conflict_rng = random.Random(0)
        self._gemeente_code = ""
        self._tag = ""
        self._sequence: dict[tuple[str, str, date], int] = {}
        self._folders: dict[str, str] = {}

    def start_gemeente(self, index: int, code: str) -> None:
        self._gemeente_code = code
        self._tag = _BASE36[index // 36 % 36] + _BASE36[index % 36]
        # Sequences of earlier gemeenten can never be reused: their identificaties carry their tag.
        self._sequence.clear()
        self._folders.clear()

    def _identificatie(self, sender: str, code: str, dagtekening: date) -> str:
        key = (sender, code, dagtekening)
        sequence = self._sequence.get(key, 0) + 1
        if sequence > 9999:
            raise ValueError(f"more than 9999 messages {code} from {sender} on {dagtekening}")
        self._sequence[key] = sequence
        return f"{dagtekening:%y%m%d}{self._tag}{sequence:04d}"

    def _path(self, sender: str, code: str, identificatie: str, dagtekening: date) -> str:
        """The file's path without ``.xml``; plain strings, as this runs for every file."""
        month = f"{dagtekening:%Y-%m}"
        folder = self._folders.get(month)
        if folder is None:
            folder = os.path.join(self.root, self._gemeente_code, month)
            os.makedirs(folder, exist_ok=True)
            self._folders[month] = folder
        return os.path.join(folder, f"{sender}_{code}_{identificatie}")

    def _write(self, path: str, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        self.files += 1

    def send(
        self,
        standard: Standard,
        number: str,
        afzender: str,
        ontvanger: str,
        dagtekening: date,
        body: str,
        *,
        aanbieder_agb: str,
        defect_factor: float,
        clean: bool = True,
    ) -> Sent:
        """Write a heen-message. ``clean`` messages carry no planted content defect, so a file
        defect (malformed, re-sent) may be planted on them."""
        code = standard.bericht_codes[number]
        identificatie = self._identificatie(afzender, code, dagtekening)
        sent = Sent(standard, number, afzender, ontvanger, identificatie, dagtekening)
        data = document(standard, number, header(sent), body)
        self._store(sent, afzender, code, data, aanbieder_agb, defect_factor if clean else 0.0)
        return sent

    def _store(
        self, sent: Sent, sender: str, code: str, data: bytes, agb: str, factor: float
    ) -> None:
        base = self._path(sender, code, sent.identificatie, sent.dagtekening)
        self.messages_by_type[sent.standard.message_type(sent.number)] += 1
        if factor and self.rng.random() < self.malformed_rate * factor:
            # A transfer broke off; the sender noticed and sent the same message again.
            cut = int(len(data) * self.rng.uniform(0.3, 0.9))
            self._write(f"{base}.xml", data[:cut])
            self._write(f"{base}_2.xml", data)
            self._file_defect(
                "malformed_xml", sent, agb, path=f"{base}.xml", intact_path=f"{base}_2.xml"
            )
            return
        self._write(f"{base}.xml", data)
        if factor and self.rng.random() < self.retransmission_rate * factor:
            # Another system's export of the same message: same header, other bytes.
            self._write(f"{base}_2.xml", data.replace(b"\n", b"\r\n"))
            self._file_defect(
                "retransmission", sent, agb, path=f"{base}_2.xml", original_path=f"{base}.xml"
            )
        elif factor and self.conflict_rng.random() < self.conflict_rate * factor:
            # The same identification once more with other content, here an earlier
            # Dagtekening: the sender reused an Identificatie. The original, dated later, counts.
            self._write(f"{base}_2.xml", _dated_earlier(data, sent))
            self._file_defect(
                "conflicting_retransmission", sent, agb,
                path=f"{base}_2.xml", original_path=f"{base}.xml",
            )  # fmt: skip

    def _file_defect(self, kind: str, sent: Sent, agb: str, **paths: str) -> None:
        self.truth.defect(
            {
                "type": kind,
                "standard": sent.standard.key,
                "gemeente_code": self._gemeente_code,
                "aanbieder_agb": agb,
                "message_type": sent.number,
                "afzender": sent.afzender,
                "bericht_identificatie": sent.identificatie,
                **{name: self.truth.relative(path) for name, path in paths.items()},
            }
        )

    def retour(
        self,
        number: str,
        heen: Sent,
        dagtekening: date,
        body: str = "",
        rejected_by: Sequence[str] = (),
    ) -> None:
        """A retour from the heen-message's receiver: its header, and the rejected client if any
        (``rejected_by``: the codes other than 0200 that ``body`` carries)."""
        assert RETOUR_OF[number] == heen.number
        code = heen.standard.bericht_codes[number]
        identificatie = self._identificatie(heen.ontvanger, code, dagtekening)
        data = document(
            heen.standard, number, retour_header(number, heen, identificatie, dagtekening), body
        )
        sent = Sent(
            heen.standard, number, heen.ontvanger, heen.afzender, identificatie, dagtekening
        )
        self._store(sent, heen.ontvanger, code, data, "", 0.0)
        self.truth.retour(
            {
                "standard": heen.standard.key,
                "message_type": number,
                "afzender": heen.ontvanger,
                "ontvanger": heen.afzender,
                "retour_op_message_type": heen.number,
                "retour_op_dagtekening": heen.dagtekening.isoformat(),
                "rejected_by": list(rejected_by),
            }
        )

    def answer(self, declaratie: Sent, dagtekening: date, body: str) -> Sent:
        """The gemeente's 325 on a 323."""
        standard = declaratie.standard
        code = standard.bericht_codes["325"]
        identificatie = self._identificatie(declaratie.ontvanger, code, dagtekening)
        sent = Sent(
            standard, "325", declaratie.ontvanger, declaratie.afzender, identificatie, dagtekening
        )
        data = document(standard, "325", antwoord_header(sent, declaratie), body)
        self._store(sent, declaratie.ontvanger, code, data, "", 0.0)
        return sent


# --- splitting an inbox by day (incremental runs) ---------------------------------------------

_OWN_DAY = re.compile(rb"<(?:\w+:)?DagtekeningRetour>(\d{4}-\d{2}-\d{2})<")
_DAY = re.compile(rb"<(?:\w+:)?Dagtekening>(\d{4}-\d{2}-\d{2})<")
_NAME_DAY = re.compile(r"^[^_]+_\d+_(\d{6})")
_HEADER_BYTES = 4096


@dataclass(frozen=True)
class InboxSplit:
    """What ``split_last_day`` did: the day split on and how many files went each way."""

    day: date
    before_files: int
    last_day_files: int


def _dated_earlier(data: bytes, sent: Sent) -> bytes:
    """The message with its header's Dagtekening a day earlier (the first Dagtekening in the
    file is the header's)."""
    tag = f"{sent.standard.key}:Dagtekening>".encode()
    old = tag + sent.dagtekening.isoformat().encode()
    new = tag + (sent.dagtekening - timedelta(days=1)).isoformat().encode()
    assert old in data, "the header's Dagtekening"
    return data.replace(old, new, 1)


def file_day(path: Path) -> date | None:
    """The day a message file was sent: a retour's DagtekeningRetour, otherwise the header's
    (first) Dagtekening. A file cut off before its header ends falls back to the demo's file name
    (``<sender>_<BerichtCode>_<yymmdd...>``); None when neither tells."""
    with open(path, "rb") as f:
        head = f.read(_HEADER_BYTES)
    found = _OWN_DAY.search(head) or _DAY.search(head)
    if found:
        return date.fromisoformat(found.group(1).decode())
    named = _NAME_DAY.match(path.name)
    if named:
        digits = named.group(1)
        return date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    return None


def split_last_day(
    inbox: Path, before: Path, last_day: Path, *, day: date | None = None
) -> InboxSplit:
    """Split a message inbox in two for a "load everything, then one more day" run.

    Every ``*.xml`` file under ``inbox`` dated (``file_day``) before ``day`` goes to ``before``,
    every file dated ``day`` or later to ``last_day``; each keeps its path relative to ``inbox``.
    ``day`` defaults to the latest day any file carries, so ``last_day`` gets exactly the last
    day's traffic. Files are hard-linked where the file system allows, else copied; ``inbox`` is
    left as it is. A file whose day cannot be read goes to ``before``. Both folders are created;
    files already in them are kept (so give empty folders). Zip archives are not split.
    """
    inbox = Path(inbox)
    dated = [(path, file_day(path)) for path in sorted(inbox.rglob("*.xml")) if path.is_file()]
    if day is None:
        days = [d for _, d in dated if d is not None]
        if not days:
            raise ValueError(f"no dated message file in {inbox}")
        day = max(days)
    counts = {False: 0, True: 0}
    for path, file_date in dated:
        late = file_date is not None and file_date >= day
        target = (last_day if late else before) / path.relative_to(inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        counts[late] += 1
    Path(before).mkdir(parents=True, exist_ok=True)
    Path(last_day).mkdir(parents=True, exist_ok=True)
    return InboxSplit(day=day, before_files=counts[False], last_day_files=counts[True])
