"""`generator.writer`: files written by forked workers are the files written here, errors in a
worker reach the build, and the generated folder does not depend on how many processes made it."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from generator import writer
from generator.build import Progress, generate
from generator.validate import validate_data
from generator.writer import FileJob, write_files

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

needs_fork = pytest.mark.skipif(writer._fork_context() is None, reason="this platform cannot fork workers")


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
    ran: list[int] = []
    assert write_files(tmp_path / "one", _jobs(450), workers=1) == 0
    here = lambda: ran.append(os.getpid())  # noqa: E731
    assert write_files(tmp_path / "two", _jobs(450), workers=2, threshold=1, meanwhile=here) == 2
    assert ran == [os.getpid()]  # `meanwhile` runs here, while the workers write
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")
    assert len(_digest(tmp_path / "two")) == 450
    assert (tmp_path / "two" / "part-3" / "file-10.txt").read_bytes() == b"file 10\nline two\n"


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=needs_fork)])
def test_an_error_in_a_job_fails_the_whole_write(tmp_path: Path, workers: int) -> None:
    jobs = [*_jobs(250), FileJob("broken.md", _fail), *_jobs(0)]
    with pytest.raises(ValueError, match="could not be rendered"):
        write_files(tmp_path, jobs, workers=workers, threshold=1)


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=needs_fork)])
def test_a_file_made_twice_is_an_error_not_an_overwrite(tmp_path: Path, workers: int) -> None:
    jobs = [FileJob("index.md", "first".__str__), *_jobs(300), FileJob("index.md", "second".__str__)]
    with pytest.raises(FileExistsError, match="already written by another stage"):
        write_files(tmp_path, jobs, workers=workers, threshold=1)
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "first"


@needs_fork
def test_an_error_meanwhile_stops_the_write(tmp_path: Path) -> None:
    def broken() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_files(tmp_path, _jobs(300), workers=2, threshold=1, meanwhile=broken)


@needs_fork
@pytest.mark.slow
def test_the_generated_folder_is_the_same_on_one_process_or_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset, report = validate_data(ROOT / "data")
    assert report.ok, report.summary()
    monkeypatch.setenv("EXPLAINER_IMAGES", "0")
    monkeypatch.setattr(writer, "PARALLEL_THRESHOLD", 10**9)
    generate(dataset, tmp_path / "one", Progress())
    monkeypatch.setattr(writer, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(writer, "usable_cpus", lambda: 2)
    terminal = io.StringIO()
    generate(dataset, tmp_path / "two", Progress(terminal))
    assert "files on 2 processes" in terminal.getvalue()
    one, two = _digest(tmp_path / "one"), _digest(tmp_path / "two")
    assert len(one) > 300
    assert one == two
