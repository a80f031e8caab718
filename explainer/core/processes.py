"""Worker processes for the stages with much to do: how many cores, whether fork is safe, and
one function over many items in workers, results in order (so the output does not depend on
how many workers there were)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# From this many files to parse on, worker processes (started, and sending results back)
# take less time than parsing here.
PARALLEL_FILES = 1000


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this platform forks and no other thread runs here (forking a process that runs
    threads can deadlock the child; Python 3.12 warns)."""
    import multiprocessing  # here: `explainer validate` with nothing to parse never needs it

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def map_in_workers(
    function: Callable[..., Any], *iterables: Iterable[Any], workers: int, chunks_per_worker: int = 8
) -> Iterator[Any]:
    """`function` over the items in `workers` processes, results in the items' order. Started
    by fork where it is safe (quickest: they inherit what is imported), else by the platform's
    safe method. The pool and its threads are gone once the results are all read."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if can_fork():
        method = "fork"
    else:
        methods = multiprocessing.get_all_start_methods()
        method = "forkserver" if "forkserver" in methods else "spawn"
    columns = [list(items) for items in iterables]
    count = len(columns[0]) if columns else 0
    chunk = max(1, count // (workers * chunks_per_worker))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        yield from pool.map(function, *columns, chunksize=chunk)
