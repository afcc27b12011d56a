"""A client's postcode, reduced at the door to what wijk/buurt analysis needs.

With a postcode→buurt mapping configured (a CSV at SDW_POSTCODE_BUURT with the columns
`postcode,buurt_code`, postcodes as six characters like `1234AB` or four digits like `1234`),
a client's postcode becomes the CBS buurt code it maps to; otherwise only its four digits are
kept. The full postcode is never written.
"""

from __future__ import annotations

import csv
from pathlib import Path


class PostcodeMappingError(Exception):
    """The configured mapping cannot be read; loading without it would keep the wrong detail."""


class PostcodeAreas:
    def __init__(self, buurten: dict[str, str] | None = None) -> None:
        self._buurten = buurten or {}

    @classmethod
    def from_csv(cls, path: Path | None) -> PostcodeAreas:
        if path is None:
            return cls()
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                reader = csv.DictReader(f)
                missing = {"postcode", "buurt_code"} - set(reader.fieldnames or ())
                if missing:
                    raise PostcodeMappingError(
                        f"{path}: needs the columns postcode,buurt_code (missing {sorted(missing)})"
                    )
                return cls(
                    {
                        _normalise(row["postcode"]): row["buurt_code"].strip()
                        for row in reader
                        if row["postcode"] and row["buurt_code"]
                    }
                )
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise PostcodeMappingError(f"cannot read SDW_POSTCODE_BUURT {path}: {error}") from None

    def reduce(self, postcode: str | None) -> tuple[str | None, str | None]:
        """(postcode4, buurt_code): the buurt when the mapping knows the postcode, else the four
        digits; nothing for a postcode that is not Dutch-shaped."""
        if not postcode:
            return None, None
        full = _normalise(postcode)
        head = full[:4]
        digits = head if len(head) == 4 and head.isascii() and head.isdigit() else None
        buurt = self._buurten.get(full) or (digits and self._buurten.get(digits))
        if buurt:
            return None, buurt
        return digits, None


def _normalise(postcode: str) -> str:
    return postcode.replace(" ", "").upper()
