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
from typing import NamedTuple

from lxml import etree

from sdw.messages.reasons import schema_reason, syntax_reason

_XSD_NAME = re.compile(r"^(?:wmo|jw)\d{3}\.xsd$", re.IGNORECASE)
_XS = "{http://www.w3.org/2001/XMLSchema}"


class SchemaError(Exception):
    """A configured XSD cannot be read or compiled: the configuration, not a message, is wrong."""


class Validator(NamedTuple):
    file: str  # the XSD's file name, for raw.ingest_files.xsd_file and reasons
    schema: etree.XMLSchema
    names: frozenset[str]  # every name the XSDs beside it declare: what a reason may repeat


@dataclass
class SchemaSet:
    folder: Path
    _paths: dict[str, Path] = field(default_factory=dict)  # targetNamespace -> XSD
    _compiled: dict[str, Validator] = field(default_factory=dict)

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

    def schema_for(self, namespace: str) -> Validator | None:
        """The compiled XSD of a message namespace, or None if there is none."""
        path = self._paths.get(namespace)
        if path is None:
            return None
        if namespace not in self._compiled:
            try:
                schema = etree.XMLSchema(etree.parse(str(path)))
            except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as error:
                raise SchemaError(f"cannot compile {path}: {error}") from None
            self._compiled[namespace] = Validator(path.name, schema, _declared_names(path.parent))
        return self._compiled[namespace]


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


@cache
def _declared_names(folder: Path) -> frozenset[str]:
    """The names the folder's XSDs declare (elements, types, attributes): a message's XSD and
    the basisschema beside it."""
    names = set()
    for path in folder.glob("*.xsd"):
        try:
            for _, element in etree.iterparse(str(path), events=("start",)):
                if isinstance(element.tag, str) and element.tag.startswith(_XS):
                    name = element.get("name")
                    if name:
                        names.add(name)
        except (etree.XMLSyntaxError, OSError) as error:
            raise SchemaError(f"cannot read {path}: {error}") from None
    return frozenset(names)


def first_error(validator: Validator, data: bytes) -> str:
    """The quarantine reason for a file the streaming validation rejected.

    Validation while streaming stops at the first error but knows no line numbers, so the
    (already rejected) document is validated once more as a tree to say where it went wrong.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        document = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as error:
        return syntax_reason(error, validator.names)
    if validator.schema.validate(document):
        return f"not valid against {validator.file}: invalid while streaming"
    return schema_reason(validator.file, validator.schema.error_log[0], validator.names)
