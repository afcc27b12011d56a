"""Duiding files: read and validated, a clear error for what cannot be used."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sdw import duiding
from sdw.duiding import DuidingError

GOOD = """\
gemeente: "0999"
duiding:
  - pagina: overzicht
    periode: "2025"
    figuur: clienten_in_zorg
    tekst: >
      De daling in het tweede halfjaar komt door
      de nieuwe toegang per 1 juli.
  - pagina: keten
    periode: 2025-H2
    tekst: Twee aanbieders stapten over op nieuwe software.
  - pagina: overzicht
    periode: 2024-03
    tekst: Vorig jaar.
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_duiding_file_is_read_with_its_periods(tmp_path) -> None:
    write(tmp_path, "0999.yml", GOOD)
    found = duiding.load(tmp_path, gemeenten=["0999", "0363"])
    assert [(d.pagina, d.periode, d.figuur) for d in found] == [
        ("overzicht", "2025", "clienten_in_zorg"),
        ("keten", "2025-H2", None),
        ("overzicht", "2024-03", None),
    ]
    assert found[0].tekst == (
        "De daling in het tweede halfjaar komt door de nieuwe toegang per 1 juli."
    )
    assert (found[1].periode_start, found[1].periode_eind) == (date(2025, 7, 1), date(2025, 12, 31))
    assert duiding.periode_grenzen("2024-K1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert duiding.periode_grenzen("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    # What a page shows for a selection: its own page, periods overlapping the selection.
    year = duiding.voor(found, "0999", date(2025, 1, 1), date(2025, 12, 31))
    assert [d.periode for d in year] == ["2025", "2025-H2"]
    page = duiding.voor(found, "0999", date(2025, 1, 1), date(2025, 6, 30), "overzicht")
    assert [d.periode for d in page] == ["2025"]
    assert duiding.voor(found, "0363", date(2025, 1, 1), date(2025, 12, 31)) == []
    assert duiding.load(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("0999.yml", GOOD.replace("keten", "ketens"), r"duiding 2: unknown pagina"),
        ("0999.yml", GOOD.replace("2025-H2", "2025-H3"), r"duiding 2: periode '2025-H3'"),
        ("0999.yml", GOOD.replace('"0999"', '"0998"'), r"holds gemeente 0998"),
        ("0998.yml", GOOD.replace('"0999"', '"0998"'), r"unknown gemeente 0998"),
        ("0999.yml", GOOD.replace("Vorig jaar.", "''"), r"duiding 3: tekst is empty"),
        ("0999.yml", GOOD.replace("Vorig jaar.", "x" * 1001), r"at most 1000"),
        ("0999.yml", GOOD.replace("Vorig jaar.", "Zie 999912345."), r"negen cijfers"),
        ("0999.yml", GOOD.replace("Vorig jaar.", "Mail a.b@example.nl"), r"e-mailadres"),
        ("0999.yml", GOOD.replace("Vorig jaar.", "Bel 06-12345678"), r"telefoonnummer"),
        ("0999.yml", GOOD.replace("figuur:", "auteur:"), r"unknown field\(s\) \['auteur'\]"),
        ("0999.yml", "gemeente: [", r"not readable YAML"),
        ("notes.txt", "x", r"not a duiding file"),
    ],
)
def test_a_file_that_breaks_a_rule_fails_with_a_clear_error(tmp_path, name, text, error) -> None:
    write(tmp_path, name, text)
    with pytest.raises(DuidingError, match=error) as raised:
        duiding.load(tmp_path, gemeenten=["0999"])
    # the error never repeats what may be personal
    for value in ("999912345", "a.b@example.nl", "12345678"):
        assert value not in str(raised.value)


def test_a_page_shows_the_duiding_of_its_page_gemeente_and_period(tmp_path) -> None:
    from sdw.dashboard.duiding import blok

    write(tmp_path, "0999.yml", GOOD)
    shown = blok("overzicht", "0999", date(2025, 1, 1), date(2025, 12, 1), folder=tmp_path)
    items = shown.children[1].children
    assert shown.className == "duiding" and len(items) == 1
    assert items[0].children[1].startswith("De daling in het tweede halfjaar")
    # one figure's duiding, another period, another page, another gemeente: nothing or less
    assert blok("overzicht", "0999", date(2025, 1, 1), date(2025, 1, 1), folder=tmp_path,
                figuren={"instroom"}) is None  # fmt: skip
    assert blok("overzicht", "0999", date(2025, 1, 1), date(2025, 1, 1), folder=tmp_path,
                behalve={"clienten_in_zorg"}) is None  # fmt: skip
    march = blok("overzicht", "0999", date(2024, 3, 1), date(2024, 3, 1), folder=tmp_path)
    assert [li.children[1] for li in march.children[1].children] == ["Vorig jaar."]
    assert blok("doelen", "0999", date(2025, 1, 1), date(2025, 12, 1), folder=tmp_path) is None
    assert blok("overzicht", "0363", date(2025, 1, 1), date(2025, 12, 1), folder=tmp_path) is None
    # the last month selected counts whole: a duiding of December shows with "t/m december"
    write(tmp_path, "0999.yml", GOOD.replace('"2025"', "2025-12"))
    assert blok("overzicht", "0999", date(2025, 12, 1), date(2025, 12, 1), folder=tmp_path)
    # a broken file does not break the page: the block says what is wrong
    write(tmp_path, "0999.yml", GOOD.replace("keten", "ketens"))
    broken = blok("overzicht", "0999", date(2025, 1, 1), date(2025, 12, 1), folder=tmp_path)
    assert broken.className == "duiding duiding-fout" and "unknown pagina" in broken.children[1]
    with pytest.raises(ValueError, match="unknown page"):
        blok("start", "0999", date(2025, 1, 1), date(2025, 12, 1), folder=tmp_path)
