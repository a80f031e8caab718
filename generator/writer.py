"""Write the many files of a fresh build folder, on every core when there are many.

A `FileJob` is one file to make: its path inside the folder and a function that gives its
content. Rendering a page (Jinja2, Markdown) and creating its file cost about the same, and no
page depends on another, so for a large dataset the jobs are shared out among forked worker
processes: they see the checked dataset as it is in memory (no copy, no pickling; the build
freezes the garbage collector first, so the memory stays shared) while this process does the
work that cannot be split (the charts' static images, the open data). Where fork is missing
(Windows), unsafe (another thread is running) or not worth it (a few hundred files), the same
jobs run here, one after the other; the folder comes out the same either way.

Files are created, never overwritten: two jobs (or stages) making the same file is an error.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path

# Below this many files, starting worker processes costs more than they save.
PARALLEL_THRESHOLD = 2000
CHUNK = 100  # files per task: small enough to balance the workers, large enough to be cheap


@dataclass(frozen=True)
class FileJob:
    path: str
    """Inside the folder, with "/" separators."""
    content: Callable[[], str | bytes]
    """Text is written as UTF-8 with "\\n" line ends, on every platform."""


def write_file(root: Path, job: FileJob) -> None:
    data = job.content()
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = root / job.path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise FileExistsError(f"{path} was already written by another stage") from None


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def write_files(
    root: Path,
    jobs: Sequence[FileJob],
    *,
    meanwhile: Callable[[], None] | None = None,
    workers: int | None = None,
    threshold: int | None = None,
) -> int:
    """Make every job's file under `root`, and run `meanwhile` in this process at the same
    time. Returns the number of worker processes used (0: all done here, in order)."""
    count = workers if workers is not None else usable_cpus()
    least = PARALLEL_THRESHOLD if threshold is None else threshold
    context = _fork_context() if count > 1 and len(jobs) >= least else None
    if context is None:
        if meanwhile is not None:
            meanwhile()
        for job in jobs:
            write_file(root, job)
        return 0
    global _shared
    _shared = (root, jobs)
    try:
        # With fork, the pool starts all its workers at the first submit, before any of its
        # own threads: so everything is submitted first, and `meanwhile` (which may start
        # threads, e.g. the image renderer's) runs only once the workers exist.
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures = [pool.submit(_write_range, start, start + CHUNK) for start in range(0, len(jobs), CHUNK)]
            try:
                if meanwhile is not None:
                    meanwhile()
                for future in futures:
                    future.result()
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        _shared = None
    return count


_shared: tuple[Path, Sequence[FileJob]] | None = None
"""What the forked workers write: set just before they are started, so they inherit it."""


def _write_range(start: int, stop: int) -> int:
    if _shared is None:  # pragma: no cover - only a worker started outside write_files
        raise RuntimeError("no jobs: a worker must be forked by write_files")
    root, jobs = _shared
    for job in jobs[start:stop]:
        write_file(root, job)
    return len(jobs[start:stop])


def _fork_context() -> BaseContext | None:
    """fork, if this platform has it and no other thread runs (forking a process that runs
    threads can deadlock the child); else None: the jobs then run in this process."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")
