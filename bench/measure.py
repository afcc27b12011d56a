"""One benchmark step as a child process: its wall time and the peak memory of its process tree.

Memory is measured two ways: the kernel's ru_maxrss of the child and every descendant it waited
for (os.wait4; the largest single process), and the summed RSS of the whole process tree
sampled every SAMPLE_SECONDS from /proc (the loader and its parsing workers together), which is
what the 2 GB target is held to.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1


@dataclass
class StepRun:
    seconds: float
    peak_rss_mb: float  # summed over the process tree, sampled
    max_rss_mb: float  # largest single process (ru_maxrss)
    returncode: int
    output: str

    def figures(self) -> dict:
        return {
            "seconds": round(self.seconds, 2),
            "peak_rss_mb": round(max(self.peak_rss_mb, self.max_rss_mb)),
        }


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [pid], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def run_step(command: list[str], env: dict[str, str], cwd: Path | None = None) -> StepRun:
    """Run `command`, sampling its tree's memory; stdout and stderr are kept (stderr echoed)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []

    def drain() -> None:
        for line in child.stdout:
            lines.append(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    peak_kb = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak_kb = max(peak_kb, sum(_rss_kb(p) for p in _tree(child.pid)))
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    output = "".join(lines)
    if child.returncode:
        sys.stderr.write(output[-4000:])
    return StepRun(seconds, peak_kb / 1024, usage.ru_maxrss / 1024, child.returncode, output)


def last_json(output: str) -> dict:
    """The last line of a step's output that is a JSON object (the step's own figures)."""
    for line in reversed(output.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON figures in the step's output: {output[-500:]}")


def machine() -> dict:
    """CPU model, cores and RAM as /proc reports them."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        total_kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": model,
        "cores": cores,
        "ram_gb": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }
