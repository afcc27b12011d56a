"""The checks the GX project defines, read from its suite files without importing GX.

Dagster needs the list at definition time (one asset check per rule, on the table it guards);
importing Great Expectations for that would slow every code-location load by seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sdw.config import PROJECT_DIR

SUITES_DIR = PROJECT_DIR / "expectations" / "gx" / "expectations"


@dataclass(frozen=True)
class Check:
    name: str
    suite: str
    table: str  # schema.table it guards
    severity: str  # GX severity: critical, warning, info
    explanation: str


def checks() -> list[Check]:
    found = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        suite = json.loads(path.read_text())
        for expectation in suite["expectations"]:
            meta = expectation["meta"]
            found.append(
                Check(
                    name=meta["check"],
                    suite=suite["name"],
                    table=suite["meta"]["table"],
                    severity=expectation.get("severity", "critical"),
                    explanation=meta["explanation"],
                )
            )
    return found
