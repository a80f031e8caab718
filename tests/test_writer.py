"""`explainer.rendering.writer`: files written by forked workers are the files written here, errors in a
worker reach the build, a path is never written twice, and the generated folder does not depend on
how many processes made it."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

import pytest
from conftest import fresh_python

from explainer.rendering.writer import Background, FileJob, Writer, start_files

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
        from explainer.rendering.writer import Background, FileJob, Writer, start_files

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
        one = generate(dataset, Path({str(tmp_path / "one")!r}), Progress())
        writer.PARALLEL_THRESHOLD = 1
        writer.usable_cpus = lambda: 2
        terminal = io.StringIO()
        two = generate(dataset, Path({str(tmp_path / "two")!r}), Progress(terminal))
        print(terminal.getvalue())
        print("written", one.files.paths() == two.files.paths(), len(one.files.paths()))
        """
    )
    assert "files on 2 processes" in out
    one, two = _digest(tmp_path / "one"), _digest(tmp_path / "two")
    assert len(one) > 300
    assert one == two
    # the writer knows every file of the folder: nothing reached it another way
    assert f"written True {len(one)}" in out


# --- the one writer ------------------------------------------------------------------------------


def test_the_writer_refuses_a_path_written_before_and_writes_nothing_of_that_batch(tmp_path: Path) -> None:
    out = Writer(tmp_path)
    docs = out.folder("docs")
    docs.write(FileJob("index.md", "first".__str__))
    with pytest.raises(FileExistsError, match=r"docs/index\.md was already written by another stage"):
        docs.write_all([FileJob("new.md", "new".__str__), FileJob("index.md", "second".__str__)])
    assert (tmp_path / "docs" / "index.md").read_text(encoding="utf-8") == "first"
    assert not (tmp_path / "docs" / "new.md").exists()
    assert not docs.wrote("new.md")  # the refused batch claimed nothing: it may be written later
    docs.write(FileJob("new.md", "new".__str__))
    # a view and the whole folder are the same writer
    with pytest.raises(FileExistsError, match="already written"):
        out.write(FileJob("docs/new.md", "again".__str__))
    assert out.paths() == ["docs/index.md", "docs/new.md"]
    assert docs.paths() == ["index.md", "new.md"]


def test_a_path_twice_in_one_batch_is_refused_before_any_worker_starts(tmp_path: Path) -> None:
    out = Writer(tmp_path)
    jobs = [FileJob("index.md", "first".__str__), *_jobs(300), FileJob("index.md", "second".__str__)]
    with out.parallel(pages=len(jobs)), pytest.raises(FileExistsError, match="already written by another stage"):
        out.start(jobs)
    assert not any(tmp_path.iterdir())


def test_the_writer_copies_a_tree_without_hidden_files(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "images" / ".cache").mkdir(parents=True)
    (source / "__pycache__").mkdir()
    (source / "page.md").write_text("page", encoding="utf-8")
    (source / "images" / "a.png").write_bytes(b"png")
    (source / "images" / ".cache" / "x").write_bytes(b"x")
    (source / ".hidden").write_bytes(b"x")
    (source / "__pycache__" / "m.pyc").write_bytes(b"x")
    out = Writer(tmp_path / "out")
    assert out.copy_tree(source, "about") == ["about/images/a.png", "about/page.md"]
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file()) == [
        "about/images/a.png",
        "about/page.md",
    ]
    with pytest.raises(FileExistsError):
        out.copy_tree(source, "about")


def test_an_error_inside_parallel_ends_the_workers_and_unfreezes_the_collector(tmp_path: Path) -> None:
    import gc

    out = Writer(tmp_path)
    frozen: list[int] = []

    def fails() -> None:
        with out.parallel(pages=0):
            frozen.append(gc.get_freeze_count())
            out.start([*_jobs(10), FileJob("broken.md", _fail)])

    with pytest.raises(ValueError, match="could not be rendered"):
        fails()
    assert frozen[0] > 0
    assert gc.get_freeze_count() == 0


def test_background_gives_the_tasks_result_or_its_error() -> None:
    assert Background(lambda: 42, "answer").result() == 42
    with pytest.raises(ValueError, match="could not be rendered"):
        Background(_fail, "failing").result()
