"""Parsing on the machine's other cores, once a load is big enough to be worth it.

The loader hands over chunks of files in order and gets their results back in the same order,
so what is written, and where a batch ends, does not depend on how many workers there are.
Small loads (and machines with one core) parse in the loader's own process: starting workers
costs a few tenths of a second. Workers run in a forkserver, never forked from the loader, so
they inherit none of its threads or its open warehouse.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable

from sdw.messages.parse import (
    ParseContext,
    ParsedMessage,
    Quarantine,
    Rejected,
    message_kind,
    parse_message,
)

# Parse in process until this many files have been parsed; a load that gets here is a big one.
POOL_AFTER_FILES = 2_000

_context: ParseContext | None = None  # each worker's own, set by _start_worker


def parse_chunk(items: list[tuple[bytes, str]], context: ParseContext | None = None) -> list:
    """ParsedMessage, or the quarantine reason, for each (data, file_id)."""
    context = context or _context
    results: list[ParsedMessage | str] = []
    for data, file_id in items:
        try:
            results.append(parse_message(data, file_id, context))
        except Quarantine as reason:
            results.append(Rejected(str(reason), message_kind(data)))
    return results


def _start_worker(context: ParseContext) -> None:
    global _context
    _context = context


def worker_count() -> int:
    """One core is the loader's own: it reads, hashes and writes while the workers parse."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max((cores or 1) - 1, 0)


class Parsing:
    """Chunks parsed in process or by a pool; `submit` returns how to wait for the results."""

    def __init__(self, context: ParseContext, workers: int | None = None) -> None:
        self.context = context
        self.workers = worker_count() if workers is None else workers
        self.parsed = 0
        self._pool = None

    def submit(self, items: list[tuple[bytes, str]]) -> Callable[[], list]:
        self.parsed += len(items)
        if self._pool is None and self.workers and self.parsed > POOL_AFTER_FILES:
            forkserver = multiprocessing.get_context("forkserver")
            forkserver.set_forkserver_preload(["sdw.messages.parallel"])
            self._pool = forkserver.Pool(
                self.workers, initializer=_start_worker, initargs=(self.context,)
            )
        if self._pool is None:
            results = parse_chunk(items, self.context)
            return lambda: results
        return self._pool.apply_async(parse_chunk, (items,)).get

    def close(self, finished: bool = False) -> None:
        """Stop the workers. After a load that got all its results, let them exit on their own
        (close, then join): terminating idle workers races with the pool's own upkeep, which
        may start a replacement that never exits, and the join then waits forever. After an
        error or an interruption, terminate them."""
        if self._pool is not None:
            if finished:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None
