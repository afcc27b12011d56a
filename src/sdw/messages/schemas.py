"""Optional validation against the published XSDs (SDW_XSD_DIR).

The XSDs are found below the folder by file name (WMO301.xsd, JW325.xsd, ...) and told apart by
their targetNamespace, so several releases can sit side by side (the shared layout is
`iwmo-3.2/`, `ijw-3.2/`, each with its `basisschema.xsd`). A schema is compiled the first time
a message needs it and kept for the rest of the process. A message whose namespace has no XSD
in the folder loads unvalidated; raw.ingest_files.xsd_file says which files were validated.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

_XSD_NAME = re.compile(r"^(?:wmo|jw)\d{3}\.xsd$", re.IGNORECASE)
_BRACED_NAMESPACE = re.compile(r"\{[^}]*\}")


class SchemaError(Exception):
    """A configured XSD cannot be read or compiled: the configuration, not a message, is wrong."""


@dataclass
class SchemaSet:
    folder: Path
    _paths: dict[str, Path] = field(default_factory=dict)  # targetNamespace -> XSD
    _compiled: dict[str, etree.XMLSchema] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.folder.is_dir():
            raise SchemaError(f"SDW_XSD_DIR {self.folder} is not a folder")
        for root, dirs, files in os.walk(self.folder):
            dirs.sort()
            for name in sorted(files):
                if _XSD_NAME.match(name):
                    path = Path(root) / name
                    self._paths.setdefault(_target_namespace(path), path)

    def __reduce__(self):
        # Compiled schemas cannot be pickled: a worker process compiles its own.
        return schema_set, (self.folder,)

    def schema_for(self, namespace: str) -> tuple[str, etree.XMLSchema] | None:
        """(XSD file name, compiled schema) for a message namespace, or None if there is none."""
        path = self._paths.get(namespace)
        if path is None:
            return None
        if namespace not in self._compiled:
            try:
                self._compiled[namespace] = etree.XMLSchema(etree.parse(str(path)))
            except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as error:
                raise SchemaError(f"cannot compile {path}: {error}") from None
        return path.name, self._compiled[namespace]


@cache
def schema_set(folder: Path) -> SchemaSet:
    return SchemaSet(folder)


def _target_namespace(path: Path) -> str:
    try:
        for _, element in etree.iterparse(str(path), events=("start",)):
            return element.get("targetNamespace", "")
    except (etree.XMLSyntaxError, OSError) as error:
        raise SchemaError(f"cannot read {path}: {error}") from None
    return ""


def first_error(schema: etree.XMLSchema, data: bytes) -> str:
    """The first schema error with its line, for the quarantine reason.

    Validation while streaming stops at the first error but knows no line numbers, so the
    (already rejected) document is validated once more as a tree to say where it went wrong.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        document = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    if schema.validate(document):
        return "invalid while streaming"
    error = schema.error_log[0]
    return f"line {error.line}: {unqualified(error.message)}"


def unqualified(message: str) -> str:
    """libxml2 names elements {namespace}Name; the name alone is what a reader needs."""
    return _BRACED_NAMESPACE.sub("", message)
