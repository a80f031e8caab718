"""Write the many files of a fresh build folder, on every core when there are many.

A `FileJob` is one file to make: its path inside the folder and a function that gives its
content. Rendering a page (Jinja2, Markdown) and creating its file cost about the same, and no
page depends on another, so for a large dataset a batch of jobs is shared out among forked
worker processes: they see the checked dataset as it is in memory (no copy, no pickling; the
build freezes the garbage collector first, so the memory stays shared) while this process
goes on with other work (the charts' figures, the open data) and
collects the batch with `wait()`. Workers are plain forks, with no pool and no thread in
this process, so a second batch can be forked once the first is under way.

Where fork is missing (Windows), unsafe (another thread is running) or not worth it (under a
hundred pages), a batch is written here, at once, in order; the folder comes out the same.
Files are created, never overwritten: two jobs (or stages) making the same file is an error.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from explainer.core.processes import can_fork, usable_cpus

# Below this many pages, forking workers saves nothing worth having (a fork costs a few ms).
PARALLEL_THRESHOLD = 100


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
    folder = path.parent
    if folder not in _folders:  # one mkdir per folder, not one per file (each is a system call)
        folder.mkdir(parents=True, exist_ok=True)
        _folders.add(folder)
    try:
        handle = open(path, "xb")  # noqa: SIM115 - closed below
    except FileNotFoundError:  # the folder was removed since (an earlier build in this process)
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(path, "xb")  # noqa: SIM115
    except FileExistsError:
        raise FileExistsError(f"{path} was already written by another stage") from None
    with handle:
        handle.write(data)


_folders: set[Path] = set()
"""Folders this process has made or found (a worker inherits what its parent knew)."""


def workers_for(pages: int) -> int:
    """How many worker processes a build of `pages` pages should use: 0 writes them here."""
    cpus = usable_cpus()
    return cpus if cpus > 1 and pages >= PARALLEL_THRESHOLD and can_fork() else 0


@dataclass
class Batch:
    """Jobs being written by forked workers (none: already written here)."""

    children: list[tuple[int, int]] = field(default_factory=list)  # (pid, read end of its error pipe)

    def wait(self) -> None:
        """Return once every worker is done; raise the first worker's error, if any."""
        errors = []
        try:
            for pid, pipe in self.children:
                with os.fdopen(pipe, "rb") as reader:
                    message = reader.read()  # until the worker exits: it never blocks on a full pipe
                _, status = os.waitpid(pid, 0)
                if message or os.waitstatus_to_exitcode(status) != 0:
                    errors.append(_error_from(message, status))
        finally:
            self.children = []
        if errors:
            raise errors[0]

    def abort(self) -> None:
        """Stop the workers (this process failed): end them and reap them."""
        for pid, pipe in self.children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(OSError):
                os.close(pipe)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self.children = []


def start_files(root: Path, jobs: Sequence[FileJob], *, workers: int) -> Batch:
    """Start writing `jobs` under `root` in `workers` forked processes, each taking every
    `workers`-th job; with 0 workers (or no safe fork), write them here before returning."""
    if workers < 1 or not jobs or not can_fork():
        for job in jobs:
            write_file(root, job)
        return Batch()
    batch = Batch()
    try:
        for index in range(min(workers, len(jobs))):
            batch.children.append(_fork_worker(root, jobs[index::workers]))
    except BaseException:
        batch.abort()
        raise
    return batch


def _fork_worker(root: Path, jobs: Sequence[FileJob]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:  # this process
        os.close(write_end)
        return pid, read_end
    # The worker: write its jobs, report an error through the pipe, and leave without running
    # this process's exit handlers or flushing its buffers (they belong to the parent).
    code = 0
    try:
        os.close(read_end)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for job in jobs:
            write_file(root, job)
    except BaseException as exc:
        code = 1
        with contextlib.suppress(BaseException):
            os.write(write_end, _error_message(exc))
    finally:
        os._exit(code)


def _error_message(exc: BaseException) -> bytes:
    """The worker's exception, pickled when it can be (so the caller sees its type), with
    its traceback as text."""
    text = "".join(traceback.format_exception(exc))[-20_000:]
    try:
        return pickle.dumps((exc, text))
    except Exception:
        return pickle.dumps((None, text))


def _error_from(message: bytes, status: int) -> BaseException:
    if message:
        try:
            exc, text = pickle.loads(message)
        except Exception:
            exc, text = None, message.decode("utf-8", "replace")
        if isinstance(exc, BaseException):
            exc.add_note(f"in a worker process:\n{text}")
            return exc
        return RuntimeError(f"a worker process failed:\n{text}")
    return RuntimeError(f"a worker process ended with status {os.waitstatus_to_exitcode(status)}")
