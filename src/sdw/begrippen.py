"""The glossary for users: the Dutch definition of every term (models/_glossary_nl.md, a block
`<term>_nl` beside the developers' `<term>` in models/_glossary.md), and which terms a mart and
its columns use (their `{{ doc('term') }}` calls in the model YAML).

Read from the source files, without dbt: the dashboard's "Definitie", `sdw rapport` and the
export's manifest (`begrippen` per mart) show these texts.
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from sdw.config import PROJECT_DIR

MODELS = PROJECT_DIR / "models"
DOC_BLOCK = re.compile(r"{%-?\s*docs\s+(\w+)\s*-?%}(.*?){%-?\s*enddocs\s*-?%}", re.S)
DOC_CALL = re.compile(r"{{\s*doc\(\s*['\"](\w+)['\"]\s*\)\s*}}")
NL = "_nl"


@cache
def doc_blocks() -> dict[str, str]:
    """Every doc block of the project by name, as written."""
    blocks: dict[str, str] = {}
    for path in sorted(MODELS.rglob("*.md")):
        for name, text in DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
            blocks[name] = text.strip()
    return blocks


def terms() -> list[str]:
    """The glossary's terms (the blocks of models/_glossary.md)."""
    text = (MODELS / "_glossary.md").read_text(encoding="utf-8")
    return [name for name, _ in DOC_BLOCK.findall(text)]


def definitie(term: str) -> str:
    """The Dutch definition of a glossary term."""
    try:
        return doc_blocks()[term + NL]
    except KeyError:
        raise KeyError(f"no Dutch definition {term}{NL} in models/_glossary_nl.md") from None


def used(text: str | None) -> list[str]:
    """The terms a description refers to, in order, once."""
    return list(dict.fromkeys(DOC_CALL.findall(text or "")))


@cache
def model_yaml() -> dict[str, dict]:
    models: dict[str, dict] = {}
    for path in sorted((MODELS / "marts").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            models[model["name"]] = model
    return models


def van_mart(model: str) -> dict[str, str]:
    """Term -> Dutch definition, for every term the mart and its columns refer to."""
    entry = model_yaml().get(model, {})
    found = used(entry.get("description"))
    for column in entry.get("columns", []):
        found += used(column.get("description"))
    return {term: definitie(term) for term in dict.fromkeys(found)}


def heeft_nl(model: str, column: str) -> bool:
    """Whether a user reads the column in Dutch (its own block, meta.definitie or a term)."""
    entry = _column(model, column)
    return bool(
        doc_blocks().get(f"{model}__{column}{NL}")
        or _meta(entry).get("definitie")
        or used(entry.get("description"))
    )


def _meta(entry: dict) -> dict:
    return entry.get("meta") or (entry.get("config") or {}).get("meta") or {}


def _column(model: str, column: str) -> dict:
    for entry in model_yaml()[model].get("columns", []):
        if entry["name"] == column:
            return entry
    raise KeyError(f"{model}.{column} is not in the model YAML")


def van_kolom(model: str, column: str) -> str:
    """What a user reads about a column: its Dutch block `<model>__<column>_nl`
    (models/marts/_kolommen_nl.md) or `meta.definitie`, else the Dutch definitions of the terms
    its description refers to, else the (English) description."""
    own = doc_blocks().get(f"{model}__{column}{NL}")
    if own:
        return " ".join(own.split())
    entry = _column(model, column)
    if _meta(entry).get("definitie"):
        return " ".join(str(_meta(entry)["definitie"]).split())
    refs = used(entry.get("description"))
    if refs:
        return " ".join(" ".join(definitie(term).split()) for term in refs)
    return " ".join((entry.get("description") or "").split())
