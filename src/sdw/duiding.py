"""Duiding: an analyst's short explanation of a figure, shown with it on the dashboard and in
the report for the raad ("tellen en vertellen").

The duiding lives outside the warehouse, in one YAML file per gemeente under SDW_DUIDING_DIR
(default `duiding/` in the project folder, kept in version control): a pipeline run, a rebuild
or `sdw rekey` never touches it, and its history is the repository's. Readers (the dashboard,
`sdw rapport`) read the files directly, validated, so a duiding written today shows without a
rebuild.

    # duiding/0363.yml
    gemeente: "0363"
    duiding:
      - pagina: overzicht          # the dashboard page the figure is on (PAGINAS)
        periode: "2025"            # 2025, 2025-H1, 2025-K2 or 2025-06
        figuur: clienten_in_zorg   # optional: the figure (a mart column or panel) it is about
        tekst: >
          De daling in het tweede halfjaar komt door de nieuwe toegang per 1 juli.

A file that breaks a rule fails as a whole with the file, the entry and the rule broken:
an unknown page, a gemeente the warehouse does not know, a period that is not one, a text that
is empty, longer than MAX_TEKST characters, or looks like it holds personal data (a BSN-like
number, an e-mail address, a phone number). Duiding is about aggregates, never about a person.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from sdw.config import PROJECT_DIR

# The dashboard's pages by name (sdw.dashboard.page.Page.naam: the URL path without "/"; the
# Overzicht is "/"), with their titles.
PAGINAS = {
    "overzicht": "Overzicht",
    "inkoop": "Inkoop en markt",
    "aanbieder": "Aanbieder",
    "wijk": "Wijk en regio",
    "keten": "Keten en kwaliteit",
    "doelen": "Doelen",
    "verkenner": "Verkenner",
}
MAX_TEKST = 1000
PERIODE = re.compile(r"^(?P<jaar>\d{4})(?:-(?:H(?P<h>[12])|K(?P<k>[1-4])|(?P<m>0[1-9]|1[0-2])))?$")
PERSONAL = {
    # nine digits, also written in groups (123.456.789, 1234 56 789)
    "een getal van negen cijfers (een BSN?)": re.compile(
        r"(?<!\d)(?<!\d\.)(?:\d[\s.-]?){8}\d(?!\d)(?!\.\d)"
    ),
    "een e-mailadres": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "een telefoonnummer": re.compile(r"(?<!\d)(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){9}(?!\d)"),
}


class DuidingError(ValueError):
    """A duiding file that cannot be used: which file, which entry, what rule."""


@dataclass(frozen=True)
class Duiding:
    gemeente_code: str
    pagina: str
    periode: str
    periode_start: date
    periode_eind: date
    figuur: str | None
    tekst: str
    bron: str  # file name, for people looking it up

    def overlapt(self, van: date, tot: date) -> bool:
        return self.periode_start <= tot and self.periode_eind >= van


def directory() -> Path:
    value = os.environ.get("SDW_DUIDING_DIR")
    path = Path(value) if value else Path("duiding")
    return path if path.is_absolute() else PROJECT_DIR / path


def periode_grenzen(periode: str) -> tuple[date, date]:
    """First and last day of a period written as 2025, 2025-H1, 2025-K2 or 2025-06."""
    match = PERIODE.match(periode)
    if not match:
        raise ValueError(f"periode {periode!r} is not a year (2025), halfjaar (2025-H1), "
                         "kwartaal (2025-K2) or month (2025-06)")  # fmt: skip
    jaar = int(match["jaar"])
    if match["h"]:
        first, last = 6 * int(match["h"]) - 5, 6 * int(match["h"])
    elif match["k"]:
        first, last = 3 * int(match["k"]) - 2, 3 * int(match["k"])
    elif match["m"]:
        first = last = int(match["m"])
    else:
        first, last = 1, 12
    return date(jaar, first, 1), date(jaar, last, calendar.monthrange(jaar, last)[1])


def _entry(path: Path, number: int, code: str, entry: object) -> Duiding:
    where = f"{path.name}, duiding {number}"
    if not isinstance(entry, dict):
        raise DuidingError(f"{where}: an entry has pagina, periode, tekst (and figuur)")
    unknown = sorted(set(entry) - {"pagina", "periode", "figuur", "tekst"})
    if unknown:
        raise DuidingError(f"{where}: unknown field(s) {unknown}")
    pagina = str(entry.get("pagina") or "")
    if pagina not in PAGINAS:
        raise DuidingError(f"{where}: unknown pagina {pagina!r}; one of {sorted(PAGINAS)}")
    periode = str(entry.get("periode") or "")
    try:
        start, eind = periode_grenzen(periode)
    except ValueError as error:
        raise DuidingError(f"{where}: {error}") from None
    tekst = " ".join(str(entry.get("tekst") or "").split())
    if not tekst:
        raise DuidingError(f"{where}: tekst is empty")
    if len(tekst) > MAX_TEKST:
        raise DuidingError(f"{where}: tekst has {len(tekst)} characters, at most {MAX_TEKST}")
    for what, pattern in PERSONAL.items():
        if pattern.search(tekst):
            # the value itself is not repeated: it may be personal
            raise DuidingError(f"{where}: tekst contains {what}; duiding is never about a person")
    figuur = entry.get("figuur")
    if figuur is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", str(figuur)):
        raise DuidingError(f"{where}: figuur {figuur!r} is not a figure name (snake_case)")
    return Duiding(code, pagina, periode, start, eind, figuur and str(figuur), tekst, path.name)


def read_file(path: Path, gemeenten: Iterable[str] | None = None) -> list[Duiding]:
    """One gemeente's file, validated; `gemeenten`: the codes the warehouse knows."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise DuidingError(f"{path.name}: not readable YAML ({type(error).__name__})") from None
    if not isinstance(document, dict) or set(document) - {"gemeente", "duiding"}:
        raise DuidingError(f"{path.name}: expected the keys gemeente and duiding")
    code = str(document.get("gemeente") or "")
    if not re.fullmatch(r"\d{4}", code):
        raise DuidingError(f"{path.name}: gemeente must be a 4-digit CBS code in quotes")
    if path.stem != code:
        raise DuidingError(f"{path.name}: holds gemeente {code}; name the file {code}.yml")
    known = set(gemeenten) if gemeenten is not None else None
    if known is not None and code not in known:
        raise DuidingError(f"{path.name}: unknown gemeente {code} (not in marts.dim_gemeente)")
    entries = document.get("duiding") or []
    if not isinstance(entries, list):
        raise DuidingError(f"{path.name}: duiding must be a list of entries")
    return [_entry(path, number, code, entry) for number, entry in enumerate(entries, 1)]


def load(folder: Path | None = None, gemeenten: Iterable[str] | None = None) -> list[Duiding]:
    """Every gemeente's duiding in the folder (none when it does not exist), validated."""
    folder = folder or directory()
    if not folder.is_dir():
        return []
    known = list(gemeenten) if gemeenten is not None else None
    found: list[Duiding] = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yml", ".yaml") and path.is_file():
            found += read_file(path, known)
        elif not path.name.startswith(".") and path.name != "README.md":
            raise DuidingError(f"{path.name}: not a duiding file (<gemeentecode>.yml)")
    return found


def voor(
    duidingen: Iterable[Duiding], gemeente: str, van: date, tot: date, pagina: str | None = None
) -> list[Duiding]:
    """The duiding shown with a page (or, without one, in the report) for a gemeente and the
    days van..tot, ordered by period and page."""
    return sorted(
        (
            d
            for d in duidingen
            if d.gemeente_code == gemeente
            and d.overlapt(van, tot)
            and (pagina is None or d.pagina == pagina)
        ),
        key=lambda d: (list(PAGINAS).index(d.pagina), d.periode_start, d.periode_eind, d.bron),
    )
