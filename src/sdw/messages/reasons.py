"""Quarantine reasons that name the element, the line and the rule broken, never a value.

libxml2's messages quote what they reject ("The value '06-12345678' is not accepted by the
pattern ..."), and a reason travels far: raw.ingest_files.reason, marts.dq_findings.detail,
`sdw status`, the export. So no reason passes libxml2's text on. Each is built from the error's
structured fields instead: its type (an enumeration, told in words below), line and column, the
element's path, and only those names from the message text that the schema (or the loader's
layouts) declare, such as a type (`LDT_Datum`) or the elements expected instead. A value that
happens to equal such a name says nothing about a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

# libxml2 names schema components {namespace}Name; values are never written that way.
_QUALIFIED_NAME = re.compile(r"\{[^{}']*\}([A-Za-z_][\w.-]*)")
_WORD = re.compile(r"[A-Za-z_][\w.-]*")
_PATH_STEP = re.compile(r"^(?:[^:\[\]]*:)?([^:\[\]]+)(\[\d+\])?$")

_SCHEMA_RULES = {
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_1": "value is not a valid {names}",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_2": "value is not a valid {names}",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_3": "value is not a valid {names}",
    "SCHEMAV_CVC_PATTERN_VALID": "value does not match the pattern its type requires",
    "SCHEMAV_CVC_ENUMERATION_VALID": "value is not in the code list",
    "SCHEMAV_CVC_LENGTH_VALID": "value does not have the required length",
    "SCHEMAV_CVC_MINLENGTH_VALID": "value is shorter than allowed",
    "SCHEMAV_CVC_MAXLENGTH_VALID": "value is longer than allowed",
    "SCHEMAV_CVC_MININCLUSIVE_VALID": "value is below the minimum",
    "SCHEMAV_CVC_MINEXCLUSIVE_VALID": "value is below the minimum",
    "SCHEMAV_CVC_MAXINCLUSIVE_VALID": "value is above the maximum",
    "SCHEMAV_CVC_MAXEXCLUSIVE_VALID": "value is above the maximum",
    "SCHEMAV_CVC_TOTALDIGITS_VALID": "value has more digits than allowed",
    "SCHEMAV_CVC_FRACTIONDIGITS_VALID": "value has more decimals than allowed",
    "SCHEMAV_ELEMENT_CONTENT": "element not expected here (expected: {names})",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_4": "a required child element is missing (expected: {names})",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_3": "text is not allowed in this element",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_1": "this element must be empty",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1": "attribute not allowed",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2": "attribute not allowed",
    "SCHEMAV_CVC_COMPLEX_TYPE_4": "a required attribute is missing",
    "SCHEMAV_CVC_TYPE_3_1_1": "attribute not allowed",
    "SCHEMAV_CVC_TYPE_3_1_2": "element with a simple type may not have children",
    "SCHEMAV_CVC_ELT_1": "element not declared in the schema",
}

_SYNTAX_RULES = {
    "ERR_TAG_NOT_FINISHED": "file ends inside an element (truncated)",
    "ERR_DOCUMENT_END": "content after the root element",
    "ERR_DOCUMENT_EMPTY": "document is empty",
    "ERR_TAG_NAME_MISMATCH": "end tag does not match its start tag",
    "ERR_INVALID_CHAR": "character not allowed in XML",
    "ERR_INVALID_ENCODING": "bytes invalid in the declared encoding",
    "ERR_UNDECLARED_ENTITY": "undeclared entity",
}

_ERROR_TYPES = {
    code: name for name, code in vars(etree.ErrorTypes).items() if name.isupper()
}  # fmt: skip


def schema_reason(xsd_file: str, entry, names: frozenset[str]) -> str:
    """The reason for a schema error (an lxml _LogEntry), with names the XSD declares only."""
    element = element_path(entry.path, names)
    found = [n for n in _QUALIFIED_NAME.findall(entry.message)[1:] if n in names]
    rule = _SCHEMA_RULES.get(entry.type_name, f"schema rule {entry.type_name} broken")
    if "{names}" in rule:
        rule = rule.format(names=", ".join(dict.fromkeys(found)) or "see the XSD")
    return f"not valid against {xsd_file}: line {entry.line}: {element}: {rule}"


def element_path(path: str | None, names: frozenset[str]) -> str:
    """libxml2's XPath of the element as local names: Bericht/Client[2]/Bsn. A step the schema
    does not declare (the unexpected element itself) is not repeated from the message."""
    steps = []
    for step in (path or "").strip("/").split("/"):
        match = _PATH_STEP.match(step)
        if match and match[1] in names:
            steps.append(match[1] + (match[2] or ""))
        elif step:
            steps.append("(element not in the schema)")
    return "/".join(steps) or "(document)"


def syntax_reason(error: etree.XMLSyntaxError, names: Iterable[str] = ()) -> str:
    """The reason for malformed XML: where, and what is wrong, from the error's type and
    position; element names only when the layouts (or the schema) know them."""
    type_name = _ERROR_TYPES.get(error.code, "")
    rule = _SYNTAX_RULES.get(type_name) or (
        type_name.removeprefix("ERR_").replace("_", " ").lower() or "not well-formed"
    )
    known = set(names)
    elements = [w for w in dict.fromkeys(_WORD.findall(error.msg or "")) if w in known]
    if elements:
        rule += f" ({', '.join(elements)})"
    line, column = error.position if error.position else (0, 0)
    return f"malformed XML: line {line}, column {column}: {rule}"
