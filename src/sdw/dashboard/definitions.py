"""Every figure's definition, read from the dbt project: a mart's and a column's description in
the model YAML, with `{{ doc('term') }}` replaced by the glossary's doc block, as dbt renders
it. Read from the source files, so the dashboard needs no `dbt docs generate` first. What a
user sees (`markdown`, the "Definitie" of a panel) is Dutch: the glossary's Dutch blocks."""

from __future__ import annotations

import re
from functools import cache

import yaml

from sdw import begrippen
from sdw.config import PROJECT_DIR

MODELS = PROJECT_DIR / "models"
DOC_BLOCK = re.compile(r"{%-?\s*docs\s+(\w+)\s*-?%}(.*?){%-?\s*enddocs\s*-?%}", re.S)
DOC_CALL = re.compile(r"{{\s*doc\(\s*['\"](\w+)['\"]\s*\)\s*}}")


@cache
def _doc_blocks() -> dict[str, str]:
    blocks: dict[str, str] = {}
    for path in sorted(MODELS.rglob("*.md")):
        for name, text in DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
            blocks[name] = text.strip()
    return blocks


def render(description: str) -> str:
    blocks = _doc_blocks()
    return DOC_CALL.sub(lambda m: blocks.get(m.group(1), m.group(0)), description or "").strip()


@cache
def _models() -> dict[str, dict]:
    models: dict[str, dict] = {}
    for path in sorted((MODELS / "marts").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            models[model["name"]] = model
    return models


def mart(name: str) -> str:
    """The mart's description, rendered."""
    return render(_models()[name].get("description", ""))


def column(model: str, name: str) -> str:
    """A column's description, rendered."""
    for col in _models()[model].get("columns", []):
        if col["name"] == name:
            return render(col.get("description", ""))
    raise KeyError(f"{model}.{name} is not in the model YAML")


def markdown(model: str, columns: list[str]) -> str:
    """The definition a panel shows, in Dutch (sdw.begrippen): each measure it plots, then the
    other terms of the mart, and the mart it comes from."""
    lines = [f"Bron: **`marts.{model}`**", ""]
    # One line per measure: a glossary block's line breaks and paragraphs would end the list item.
    lines += [f"- **`{name}`**: {begrippen.van_kolom(model, name)}" for name in columns]
    shown = "\n".join(lines)
    # then the terms of the mart and of these measures, as the glossary defines them
    yaml = _models()[model]
    refs = begrippen.used(yaml.get("description"))
    for col in yaml.get("columns", []):
        if col["name"] in columns:
            refs += begrippen.used(col.get("description"))
    terms = [" ".join(begrippen.definitie(term).split()) for term in dict.fromkeys(refs)]
    lines += ["", *(text + "\n" for text in terms if text not in shown)]
    return "\n".join(lines).strip()
