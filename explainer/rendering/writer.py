"""The one writer of a build folder: every file of a build goes through it, once.

A `FileJob` is one file to make: its path inside the folder and a function that gives its
content. A `Writer` owns one fresh folder and knows every path it has written: a second job
for a path already written (or being written) is an error before anything of it is written,
never an overwrite (as Pelican's Writer refuses). Pages, chart files, open data, the feed,
the theme's assets, the shared pages, the site engine's config and the charts' images all
reach the disk through it.

How the files are written is the writer's business too, so that the build reads as a list of
steps. Rendering a page (Jinja2, Markdown) and creating its file cost about the same, and no
page depends on another, so for a large dataset (`Writer.parallel`) a batch of jobs is shared
out among forked worker processes: they see the checked dataset as it is in memory (no copy,
no pickling; the garbage collector is frozen meanwhile, so the memory stays shared) while
this process goes on with other work (the charts' figures, the open data) and the writer
collects the batches at the end. Workers are plain forks, with no pool and no thread in this
process, so a second batch can be forked once the first is under way. Where fork is missing
(Windows), unsafe (another thread is running) or not worth it (under a hundred pages), a batch
is written here, at once, in order; the folder comes out the same. `Background` runs a slow
task (drawing the charts' images in a browser) in a thread while the site engine runs.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from explainer.core.processes import can_fork, usable_cpus

# Below this many pages, forking workers saves nothing worth having (a fork costs a few ms).
PARALLEL_THRESHOLD = 100


Content = Callable[[], str | bytes]


@dataclass(frozen=True)
class FileJob:
    path: str
    """Inside the folder, with "/" separators."""
    content: Content
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


# --- the writer ----------------------------------------------------------------------------------


class Writer:
    """Every file of one fresh folder, each written once; `folder(name)` is a view of a part
    of it (paths relative to that part) sharing what was written.

        out = Writer(build_dir)
        docs = out.folder("docs")
        with out.parallel(pages=1500):            # forks workers for large batches
            docs.start(page_jobs, keep_a_core=True)   # written meanwhile, on the other cores
            docs.write_all(open_data_jobs)            # written here, now
            out.wait()
        out.write(FileJob("mkdocs.yml", config_text))
    """

    def __init__(self, root: Path) -> None:
        self._state = _State(root)
        self._prefix = ""

    def folder(self, name: str) -> Writer:
        view = Writer.__new__(Writer)
        view._state = self._state
        view._prefix = f"{self._prefix}{name.strip('/')}/"
        return view

    @property
    def root(self) -> Path:
        """Where this view writes (the folder itself, or the part of it a view names)."""
        return self._state.root / self._prefix if self._prefix else self._state.root

    def moved_to(self, root: Path) -> None:
        """The folder was renamed (a kept build folder swapped into place): write there now."""
        self._state.root = root

    def wrote(self, path: str) -> bool:
        """Whether `path` (inside this view) has been written or is being written."""
        return self._prefix + path in self._state.written

    def paths(self) -> list[str]:
        """Every path written inside this view, sorted, relative to it."""
        size = len(self._prefix)
        return sorted(path[size:] for path in self._state.written if path.startswith(self._prefix))

    def write(self, job: FileJob) -> None:
        self.write_all([job])

    def write_all(self, jobs: Sequence[FileJob]) -> None:
        """Write `jobs` here, now, in order."""
        self._claim(jobs)
        root = self.root
        for job in jobs:
            write_file(root, job)

    def copy_tree(self, source: Path, under: str = "") -> list[str]:
        """Every file below `source` (hidden files and `__pycache__` left out) at the same place
        below `under`; returns their paths inside this view."""
        jobs = [
            FileJob(_joined(under, path.relative_to(source).as_posix()), path.read_bytes) for path in files_in(source)
        ]
        self.write_all(jobs)
        return [job.path for job in jobs]

    @contextlib.contextmanager
    def parallel(self, pages: int) -> Iterator[int]:
        """Within this block, `start` shares a batch out among forked workers when there are
        enough `pages` to be worth it (yields how many workers: 0 writes everything here).
        The garbage collector is frozen meanwhile: the dataset lives until the end, the
        workers share its memory, and the collector need not walk it again and again while
        the stages make millions of small objects (20-25% of the pages stage at 10,000
        events). A failure ends the workers; leaving the block waits for them."""
        self._state.workers = workers_for(pages)
        gc.freeze()
        try:
            yield self._state.workers
            self.wait()
        except BaseException:
            for batch in self._state.batches:
                batch.abort()
            self._state.batches.clear()
            raise
        finally:
            self._state.workers = 0
            gc.unfreeze()

    def start(self, jobs: Sequence[FileJob], *, keep_a_core: bool = False) -> None:
        """Start writing `jobs`: in forked workers inside `parallel` for a large build (one core
        fewer with `keep_a_core`, for this process's own work meanwhile), else here and now.
        `wait` collects them."""
        self._claim(jobs)
        workers = self._state.workers
        if workers and keep_a_core:
            workers = max(workers - 1, 1)
        self._state.batches.append(start_files(self.root, jobs, workers=workers))

    def wait(self) -> None:
        """Return once every batch started is written; raise the first worker's error."""
        batches, self._state.batches = self._state.batches, []
        try:
            for batch in batches:
                batch.wait()
        except BaseException:
            for batch in batches:
                batch.abort()
            raise

    def _claim(self, jobs: Iterable[FileJob]) -> None:
        written = self._state.written
        claimed: list[str] = []
        for job in jobs:
            path = self._prefix + job.path
            if path in written:
                for earlier in claimed:  # nothing of this batch is written: it claims nothing
                    written.discard(earlier)
                raise FileExistsError(f"{self._state.root / path} was already written by another stage")
            written.add(path)
            claimed.append(path)


@dataclass
class _State:
    root: Path
    written: set[str] = field(default_factory=set)
    batches: list[Batch] = field(default_factory=list)
    workers: int = 0


def _joined(folder: str, path: str) -> str:
    return f"{folder.strip('/')}/{path}" if folder.strip("/") else path


def files_in(source: Path) -> list[Path]:
    """The files below `source`, sorted, without hidden files or folders and `__pycache__`."""
    if not source.is_dir():
        return []
    return [
        path
        for path in sorted(source.rglob("*"))
        if path.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(source).parts)
    ]


T = TypeVar("T")


class Background(Generic[T]):
    """`task` run in a thread, started at once, while this process does other work (the
    charts' images are drawn, a browser taking seconds to start, while the site engine runs).
    No worker can be forked meanwhile (`can_fork`), so start it after the files are written."""

    def __init__(self, task: Callable[[], T], name: str) -> None:
        self._result: list[T] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(task,), name=name)
        self._thread.start()

    def _run(self, task: Callable[[], T]) -> None:
        try:
            self._result.append(task())
        except BaseException as exc:
            self._error.append(exc)

    def result(self) -> T:
        """Wait for the task; its result, or its error raised here."""
        self._thread.join()
        if self._error:
            raise self._error[0]
        return self._result[0]
