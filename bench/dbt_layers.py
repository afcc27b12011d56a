"""dbt's own per-node timings (run_results.json), summed per layer of the project.

A node's layer is the folder under models/ its fqn names (staging, cleaned, marts); a data test
counts for the layer of the model it tests; seeds, unit tests and hooks are "other". dbt runs
two threads, so the per-layer sums add up to more than the wall time of the build.
"""

from __future__ import annotations

import json
from pathlib import Path

LAYERS = ("staging", "cleaned", "marts")


def _layer(node: dict | None, nodes: dict) -> str:
    if node is None:
        return "other"
    attached = node.get("attached_node")
    if attached and attached in nodes:
        node = nodes[attached]
    fqn = node.get("fqn") or []
    kind = node.get("resource_type")
    if kind in ("model", "test") and len(fqn) > 1 and fqn[1] in LAYERS:
        return fqn[1]
    return "other"


def layer_seconds(target: Path) -> dict:
    """{"layers": {layer: seconds}, "nodes": n, "elapsed": dbt's wall, "slowest": [...]}"""
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())
    nodes = manifest.get("nodes", {})
    seconds = dict.fromkeys((*LAYERS, "other"), 0.0)
    timed = []
    failed = []
    for result in results["results"]:
        node = nodes.get(result["unique_id"])
        seconds[_layer(node, nodes)] += result["execution_time"]
        timed.append((result["execution_time"], result["unique_id"]))
        if result["status"] not in ("success", "pass", "warn", "skipped", "no-op"):
            failed.append(result["unique_id"])
    return {
        "layers": {name: round(value, 2) for name, value in seconds.items()},
        "nodes": len(results["results"]),
        "dbt_elapsed": round(results["elapsed_time"], 2),
        "slowest": [
            {"node": unique_id.split(".", 2)[-1], "seconds": round(value, 2)}
            for value, unique_id in sorted(timed, reverse=True)[:5]
        ],
        "failed": failed,
    }
