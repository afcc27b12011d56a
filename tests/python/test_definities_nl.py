"""What users read is Dutch: every glossary term has a Dutch definition (models/_glossary_nl.md)
and every quality check a Dutch name and explanation (seeds/kwaliteitscontrole.csv); the
dashboard's "Definitie" and the export's manifest show them."""

from __future__ import annotations

import csv
import re

from sdw import begrippen
from sdw.config import PROJECT_DIR
from sdw.dashboard import definitions
from sdw.quality.catalog import checks

# Words that give an English text away (none of them is Dutch).
ENGLISH = re.compile(r"\b(the|which|when|with|without|counted|one row)\b", re.I)


def test_every_glossary_term_has_a_dutch_definition_and_no_more() -> None:
    terms = begrippen.terms()
    assert len(terms) >= 30
    dutch = {
        name.removesuffix(begrippen.NL)
        for name in begrippen.doc_blocks()
        if name.endswith(begrippen.NL) and "__" not in name  # <mart>__<column>_nl: columns
    }
    assert set(terms) == dutch
    for term in terms:
        text = begrippen.definitie(term)
        assert text.startswith("**") and len(text) > 60, term
        assert not ENGLISH.search(text), (term, ENGLISH.search(text).group(0))


def test_every_check_has_a_dutch_name_and_explanation() -> None:
    with (PROJECT_DIR / "seeds" / "kwaliteitscontrole.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["check_name"] for r in rows] == list(dict.fromkeys(r["check_name"] for r in rows))
    assert {r["check_name"] for r in rows} == {check.name for check in checks()}
    assert len({r["naam"] for r in rows}) == len(rows)
    for row in rows:
        assert row["naam"] and row["uitleg"].endswith("."), row["check_name"]
        assert "_" not in row["naam"], row["check_name"]
        assert not ENGLISH.search(row["naam"] + " " + row["uitleg"]), row["check_name"]


def test_the_definition_a_panel_shows_is_dutch() -> None:
    text = definitions.markdown("gemeente_clienten_maand", ["clienten_in_zorg", "instroom"])
    assert "marts.gemeente_clienten_maand" in text
    for term in ("client_in_zorg", "instroom"):
        assert " ".join(begrippen.definitie(term).split()) in text
    # the English glossary is the developers': not what a user reads
    english = definitions.render("{{ doc('instroom') }}")
    assert " ".join(english.split()) not in text


def test_a_column_with_a_dutch_definition_of_its_own_shows_it(monkeypatch) -> None:
    yaml_models = {
        "m": {
            "description": "{{ doc('client') }}",
            "columns": [
                {"name": "a", "description": "x", "meta": {"definitie": "Eigen  tekst."}},
                {"name": "b", "description": "Plain English."},
            ],
        }
    }
    monkeypatch.setattr(begrippen, "model_yaml", lambda: yaml_models)
    assert begrippen.van_kolom("m", "a") == "Eigen tekst."
    assert begrippen.van_kolom("m", "b") == "Plain English."
    assert begrippen.van_mart("m") == {"client": begrippen.definitie("client")}


def test_every_measure_a_panel_shows_is_explained_in_dutch() -> None:
    from sdw.dashboard.pages import PAGES

    measures = {(p.model, m) for page in PAGES for p in page.panels for m in p.measures}
    assert len(measures) > 20
    assert not [f"{model}.{column}" for model, column in sorted(measures)
                if not begrippen.heeft_nl(model, column)]  # fmt: skip
    for model, column in measures:
        text = begrippen.van_kolom(model, column)
        assert not ENGLISH.search(text), (model, column, ENGLISH.search(text).group(0))
    # no Dutch column text for a column that does not exist (a renamed or dropped one)
    for name in begrippen.doc_blocks():
        if "__" in name and name.endswith(begrippen.NL):
            model, column = name.removesuffix(begrippen.NL).split("__", 1)
            assert column in {c["name"] for c in begrippen.model_yaml()[model]["columns"]}, name
