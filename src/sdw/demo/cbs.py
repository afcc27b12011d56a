"""CBS StatLine CSV extracts for the demo gemeenten, in the shape of a real StatLine export.

The layout copies ``../shared/cbs/kwb_almere_2018_2025_statline_export.csv``: `;`-separated,
UTF-8 with a BOM, an ``ID`` row number first, region codes and text topics padded with spaces,
``.`` (padded) for a figure CBS keeps secret. Measure keys carry the edition's ``_N`` suffix.

Two tables, as many files as there are editions:
- 85098NED Indicatoren jeugdzorg in natura; gemeenten: ``RegioS`` x ``Perioden`` (YYYYJJ00,
  YYYYHJ01, YYYYHJ02). Jeugdbescherming and jeugdreclassering are not in the message traffic
  (no gecertificeerde instelling is simulated), so those columns are ".".
- Kerncijfers wijken en buurten, one table per year (``WijkenEnBuurten``, with the ``Peildatum``
  column the shared multi-edition export has): population by age band, jeugdzorg and Wmo clients
  per gemeente, wijk and buurt, rounded and made secret the way CBS does.

Every figure is counted from the simulated care, so it agrees with the messages up to the
planted defects. Tables whose extra dimensions (Leeftijd, TypeMaatwerkvoorziening) our reader
cannot place, such as 03759ned and 86050NED, are left out: their content is in these two.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sdw.demo.world import Buurt, Gemeente

SECRET = "         ."  # as padded in the shared export

JEUGDZORG_TABLE = "85098NED"
_JEUGDZORG_COLUMNS = (
    "ID",
    "RegioS",
    "Perioden",
    "JongerenMetJeugdhulpInNatura_1",
    "JongerenMetJeugdhMetVerblInNat_2",
    "JongerenMetJeugdbescherming_3",
    "JeugdbeschEnJeugdhMetVerblInNat_4",
    "JongerenMetJeugdreclassering_5",
)

# KWB edition per Peildatum year: table id and the suffixes of (jeugdzorg count, jeugdzorg %,
# Wmo clients, Wmo per 1,000, most common postcode), read off the shared real export. CBS
# renumbers every edition; the loader matches on the key without its number.
_KWB_EDITIONS: dict[int, tuple[str, tuple[int, int, int, int, int]]] = {
    2018: ("84286NED", (84, 85, 86, 87, 113)),
    2019: ("84583NED", (87, 88, 89, 90, 113)),
    2020: ("84799NED", (87, 88, 89, 90, 114)),
    2021: ("85039NED", (87, 88, 89, 90, 114)),
    2022: ("85318NED", (87, 88, 89, 90, 114)),
    2023: ("85618NED", (96, 97, 98, 99, 123)),
    2024: ("85984NED", (91, 92, 93, 94, 118)),
    # The shared export predates the 2025 care figures; they are assumed numbered as in 2024.
    2025: ("86165NED", (91, 92, 93, 94, 120)),
}
_KWB_AGE_BANDS = (
    ("k_0Tot15Jaar_8", ("0-14",)),
    ("k_15Tot25Jaar_9", ("15-17", "18-22", "23-24")),
    ("k_25Tot45Jaar_10", ("25-44",)),
    ("k_45Tot65Jaar_11", ("45-64",)),
    ("k_65JaarOfOuder_12", ("65+",)),
)
_UNDER_23 = ("0-14", "15-17", "18-22")


def kwb_edition(year: int) -> tuple[str | None, tuple[int, int, int, int, int]]:
    """The table id (None for a year without a known edition) and its measure suffixes."""
    if year in _KWB_EDITIONS:
        return _KWB_EDITIONS[year]
    nearest = min(_KWB_EDITIONS, key=lambda known: abs(known - year))
    return None, _KWB_EDITIONS[nearest][1]


class _Export:
    def __init__(self, path: Path, columns: Iterable[str]) -> None:
        self.path = path
        self._file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._file.write(";".join(columns) + "\n")
        self._next_id = 0

    def row(self, values: Iterable[str]) -> None:
        self._file.write(";".join((str(self._next_id), *values)) + "\n")
        self._next_id += 1

    def close(self) -> None:
        self._file.close()


def _count(value: int) -> str:
    """A KWB count: secret below 8, otherwise rounded to a multiple of 5."""
    return SECRET if value < 8 else str(5 * round(value / 5))


def _population(value: int, exact: bool) -> str:
    return str(value) if exact else str(5 * round(value / 5))


class CbsExtracts:
    """The CBS files, written gemeente by gemeente as each one's care is counted."""

    def __init__(self, folder: Path, years: range) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.years = years
        self._jeugdzorg = _Export(
            folder / f"{JEUGDZORG_TABLE}_jeugdzorg_in_natura_gemeenten.csv", _JEUGDZORG_COLUMNS
        )
        self._kwb: dict[int, _Export] = {}
        for year in years:
            table, (jz, jz_pct, wmo, wmo_rel, postcode) = kwb_edition(year)
            indeling = (
                "IndelingswijzigingGemeenteWijkBuurt_4"
                if year >= 2022
                else "IndelingswijzigingWijkenEnBuurten_4"
            )
            columns = (
                "ID",
                "Peildatum",
                "WijkenEnBuurten",
                "Gemeentenaam_1",
                "SoortRegio_2",
                "Codering_3",
                indeling,
                "AantalInwoners_5",
                "Mannen_6",
                "Vrouwen_7",
                *(key for key, _ in _KWB_AGE_BANDS),
                f"JongerenMetJeugdzorgInNatura_{jz}",
                f"PercentageJongerenMetJeugdzorg_{jz_pct}",
                f"WmoClienten_{wmo}",
                f"WmoClientenRelatief_{wmo_rel}",
                f"MeestVoorkomendePostcode_{postcode}",
            )
            name = f"{table}_" if table else ""
            self._kwb[year] = _Export(
                folder / f"{name}kerncijfers_wijken_en_buurten_{year}.csv", columns
            )

    def paths(self) -> list[Path]:
        return [self._jeugdzorg.path, *(export.path for export in self._kwb.values())]

    def close(self) -> None:
        self._jeugdzorg.close()
        for export in self._kwb.values():
            export.close()

    def add_gemeente(self, gemeente: Gemeente, tally: dict[tuple[str, str, str], int]) -> None:
        """``tally``: clients in care by (measure, CBS period code, buurt code), where measure
        is "wmo", "jeugd" or "jeugd_verblijf"."""
        youth = gemeente.population(("0-14", "15-17"))
        for year in self.years:
            for period in (f"{year}JJ00", f"{year}HJ01", f"{year}HJ02"):
                jeugd = sum(tally.get(("jeugd", period, b.code), 0) for b in gemeente.buurten)
                verblijf = sum(
                    tally.get(("jeugd_verblijf", period, b.code), 0) for b in gemeente.buurten
                )
                self._jeugdzorg.row(
                    (
                        f"GM{gemeente.code}".ljust(10),
                        period,
                        f"{100 * jeugd / youth:.1f}" if youth and jeugd >= 8 else SECRET,
                        f"{100 * verblijf / jeugd:.1f}" if verblijf >= 8 else SECRET,
                        SECRET,
                        SECRET,
                        SECRET,
                    )
                )
            areas: list[tuple[str, str, list[Buurt], str | None]] = [
                (f"GM{gemeente.code}", "Gemeente", gemeente.buurten, None)
            ]
            for wijk in gemeente.wijk_codes():
                in_wijk = [b for b in gemeente.buurten if b.wijk_code == wijk]
                areas.append((wijk, "Wijk", in_wijk, None))
                areas += [(b.code, "Buurt", [b], b.postcode) for b in in_wijk]
            for code, kind, buurten, postcode in areas:
                self._kwb[year].row(
                    self._kwb_values(gemeente, year, code, kind, buurten, postcode, tally)
                )

    def _kwb_values(
        self,
        gemeente: Gemeente,
        year: int,
        code: str,
        kind: str,
        buurten: list[Buurt],
        postcode: str | None,
        tally: dict[tuple[str, str, str], int],
    ) -> list[str]:
        # CBS publishes the gemeente's population exactly and rounds wijken and buurten.
        exact = kind == "Gemeente"
        inwoners = sum(b.inwoners for b in buurten)
        mannen = sum(b.mannen for b in buurten)
        under_23 = sum(b.population[band] for b in buurten for band in _UNDER_23)
        period = f"{year}JJ00"
        jeugd = sum(tally.get(("jeugd", period, b.code), 0) for b in buurten)
        wmo = sum(tally.get(("wmo", period, b.code), 0) for b in buurten)
        return [
            f"1-1-{year}",
            code.ljust(10),
            gemeente.naam.ljust(40),
            kind.ljust(10),
            code.ljust(10),
            "1",  # no boundary or code change
            _population(inwoners, exact),
            _population(mannen, exact),
            _population(inwoners - mannen, exact),
            *(
                _population(sum(b.population[band] for b in buurten for band in bands), exact)
                for _, bands in _KWB_AGE_BANDS
            ),
            _count(jeugd),
            f"{100 * jeugd / under_23:.1f}" if jeugd >= 8 and under_23 else SECRET,
            _count(wmo),
            str(round(1000 * wmo / inwoners)) if wmo >= 8 and inwoners else SECRET,
            postcode or SECRET,
        ]
