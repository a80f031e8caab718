"""`explainer.rendering.writer`: files written by forked workers are the files written here, errors in a
worker reach the build, and the generated folder does not depend on how many processes made it."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

import pytest
from conftest import fresh_python

from explainer.rendering.writer import FileJob, start_files

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="this platform cannot fork workers"
)


def _jobs(count: int) -> list[FileJob]:
    return [FileJob(f"part-{i % 7}/file-{i}.txt", f"file {i}\nline two\n".__str__) for i in range(count)]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _fail() -> str:
    raise ValueError("a template could not be rendered")


@needs_fork
def test_workers_write_exactly_what_one_process_writes(tmp_path: Path) -> None:
    out = fresh_python(
        f"""
        from pathlib import Path
        from tests.test_writer import _jobs
        from explainer.rendering.writer import start_files
        here = start_files(Path({str(tmp_path / "one")!r}), _jobs(450), workers=0)
        print(len(here.children))  # written here, before start_files returned
        there = start_files(Path({str(tmp_path / "two")!r}), _jobs(450), workers=2)
        print(len(there.children))  # two workers write while this process goes on
        there.wait()
        """
    )
    assert out.split() == ["0", "2"]
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")
    assert len(_digest(tmp_path / "two")) == 450
    assert (tmp_path / "two" / "part-3" / "file-10.txt").read_bytes() == b"file 10\nline two\n"


def test_an_error_in_a_job_fails_the_whole_write(tmp_path: Path) -> None:
    jobs = [*_jobs(250), FileJob("broken.md", _fail)]
    with pytest.raises(ValueError, match="could not be rendered"):
        start_files(tmp_path, jobs, workers=0)


def test_a_file_made_twice_is_an_error_not_an_overwrite(tmp_path: Path) -> None:
    jobs = [FileJob("index.md", "first".__str__), *_jobs(300), FileJob("index.md", "second".__str__)]
    with pytest.raises(FileExistsError, match="already written by another stage"):
        start_files(tmp_path, jobs, workers=0)
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "first"


def _slow() -> str:
    import time

    time.sleep(0.05)
    return "slow"


@needs_fork
def test_errors_in_workers_reach_the_caller_and_abort_ends_the_workers(tmp_path: Path) -> None:
    out = fresh_python(
        f"""
        import os, time
        from pathlib import Path
        from tests.test_writer import _fail, _jobs, _slow
        from explainer.rendering.writer import FileJob, start_files

        cases = {{
            "job": [*_jobs(250), FileJob("broken.md", _fail)],
            "twice": [FileJob("index.md", "first".__str__), *_jobs(300), FileJob("index.md", "x".__str__)],
        }}
        for name, jobs in cases.items():
            try:
                start_files(Path({str(tmp_path)!r}) / name, jobs, workers=2).wait()
            except Exception as exc:
                print(name, type(exc).__name__, exc)
            else:
                print(name, "no error")
        # the build failed elsewhere meanwhile: its workers are ended and reaped, not waited for
        slow = [FileJob(f"{{i}}.md", _slow) for i in range(400)]
        batch = start_files(Path({str(tmp_path)!r}) / "aborted", slow, workers=2)
        pids = [pid for pid, _ in batch.children]
        started = time.perf_counter()
        batch.abort()
        print("aborted", time.perf_counter() - started < 5, batch.children == [])
        for pid in pids:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                print("reaped")
        """
    )
    lines = out.splitlines()
    assert lines[0] == "job ValueError a template could not be rendered", out
    assert lines[1].startswith("twice FileExistsError")
    assert lines[1].endswith("already written by another stage")
    assert lines[2:] == ["aborted True True", "reaped", "reaped"]
    assert (tmp_path / "twice" / "index.md").read_text(encoding="utf-8") == "first"
    assert len(list((tmp_path / "aborted").glob("*.md"))) < 400


@needs_fork
@pytest.mark.slow
def test_the_generated_folder_is_the_same_on_one_process_or_two(tmp_path: Path) -> None:
    out = fresh_python(
        f"""
        import io, os
        from pathlib import Path
        os.environ["EXPLAINER_IMAGES"] = "0"
        from explainer.rendering import writer
        from explainer.commands.build import Progress, generate
        from explainer.checking.validate import validate_data
        dataset, report = validate_data("data")
        assert report.ok, report.summary()
        writer.PARALLEL_THRESHOLD = 10**9
        generate(dataset, Path({str(tmp_path / "one")!r}), Progress())
        writer.PARALLEL_THRESHOLD = 1
        writer.usable_cpus = lambda: 2
        terminal = io.StringIO()
        generate(dataset, Path({str(tmp_path / "two")!r}), Progress(terminal))
        print(terminal.getvalue())
        """
    )
    assert "files on 2 processes" in out
    one, two = _digest(tmp_path / "one"), _digest(tmp_path / "two")
    assert len(one) > 300
    assert one == two
