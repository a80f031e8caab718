"""The data folder is a closed world: only plain files inside it are read, each at most its
limit, and every other entry (a link leaving it, a loop, a named pipe, a device, a socket, an
unreadable file or folder) is one located error, never a hang, a leak or an internal error.

Both ways of validating are checked: `check_data` (explainer validate, with its cache and
workers) and `validate_data` (the build and serve)."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from explainer.checking.document import MAX_FILE_BYTES, FileRefused, decode_text, read_regular_file
from explainer.checking.validate import check_data, validate_data
from explainer.core.diagnostics import Report

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
ValidateLines = Callable[[Path], list[str]]


def _checked(data: Path) -> list[str]:
    return check_data(data, shown_dir="D", use_cache=False).report.lines(github=False)


def _loaded(data: Path) -> list[str]:
    return validate_data(data, shown_dir="D")[1].lines(github=False)


@pytest.fixture(params=[_checked, _loaded], ids=["check_data", "validate_data"])
def validate(request: pytest.FixtureRequest) -> ValidateLines:
    run: ValidateLines = request.param
    return lambda data: _with_timeout(lambda: run(data))


def _with_timeout(work: Callable[[], list[str]], seconds: float = 20) -> list[str]:
    """`work()` in a thread: a hang (a named pipe read) fails the test instead of freezing it."""
    result: list[list[str]] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"validation did not finish within {seconds} s (a file that blocks?)"
    return result[0]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "D"
    shutil.copytree(MINI, folder)
    return folder


@functools.cache
def _fixture_warnings() -> frozenset[str]:
    """What the untouched fixture is warned of itself (quotes with no archive folder, a stance
    that names no reporter): not what these tests are about."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "D"
        shutil.copytree(MINI, folder)
        lines = check_data(folder, shown_dir="D", use_cache=False).report.lines(github=False)
    assert all(": warning: " in line for line in lines), lines
    return frozenset(lines)


def _problems(lines: list[str]) -> list[str]:
    return [
        line for line in lines if (": error: " in line or ": warning: " in line) and line not in _fixture_warnings()
    ]


def _codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics if d.format() not in _fixture_warnings()]


@pytest.mark.parametrize(
    ("where", "name"),
    [("actors", "leak.yaml"), ("events", "leak.yaml"), ("pages", "leak.md"), (".", "site.yaml")],
)
def test_a_link_leaving_the_folder_is_one_error_and_never_read(
    data: Path, tmp_path: Path, validate: ValidateLines, where: str, name: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("title: SECRET-VALUE\nname: SECRET-VALUE\n", encoding="utf-8")
    link = data / where / name
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    lines = validate(data)
    shown = "D/site.yaml" if where == "." else f"D/{where}/{name}"
    assert _problems(lines) == [
        f"{shown}:0:0: error: this is a link to {secret}, outside the data folder; "
        "only what the data folder holds is read: put the file itself in the folder"
    ]
    assert not any("SECRET-VALUE" in line for line in lines)


def test_a_link_to_proc_is_refused_and_the_page_never_loaded(data: Path) -> None:
    (data / "pages" / "env.md").symlink_to("/proc/self/environ")
    dataset, report = validate_data(data, shown_dir="D")
    assert _codes(report) == ["link-outside"]
    assert "env" not in dataset.pages


def test_a_linked_data_folder_as_archive_is_not_read(data: Path, tmp_path: Path) -> None:
    """DATA/archive as a link leaving the data folder: refused, and no quote is checked in it."""
    elsewhere = tmp_path / "texts"
    elsewhere.mkdir()
    (data / "archive").symlink_to(elsewhere)
    source = next((data / "sources").iterdir())
    source.write_text(source.read_text(encoding="utf-8") + "archive: x.txt\n", encoding="utf-8")
    (elsewhere / "x.txt").write_text("nothing quoted here\n", encoding="utf-8")
    for report in (validate_data(data, shown_dir="D")[1], check_data(data, shown_dir="D", use_cache=False).report):
        shown = [(d.path, d.code) for d in report.diagnostics if d.format() not in _fixture_warnings()]
        assert shown == [("D/archive", "link-outside")]


def test_a_link_inside_the_folder_is_read_with_a_warning(data: Path, validate: ValidateLines) -> None:
    (data / "pages" / "again.md").symlink_to(Path("introduction.md"))
    assert _problems(validate(data)) == [
        "D/pages/again.md:0:0: warning: this is a link to pages/introduction.md, inside the data folder; "
        "it is read as a copy of it"
    ]
    dataset, _ = validate_data(data, shown_dir="D")
    assert dataset.pages["again"].text == dataset.pages["introduction"].text


def test_a_link_to_dev_zero_is_refused_at_once(data: Path, validate: ValidateLines) -> None:
    (data / "events" / "zero.yaml").symlink_to("/dev/zero")
    assert [line.split(": ", 2)[:2] for line in _problems(validate(data))] == [["D/events/zero.yaml:0:0", "error"]]


@pytest.mark.parametrize("name", ["actors/pipe.yaml", "pages/pipe.md", "site.yaml"])
def test_a_named_pipe_is_one_error_and_never_blocks(data: Path, validate: ValidateLines, name: str) -> None:
    (data / name).unlink(missing_ok=True)
    os.mkfifo(data / name)
    assert _problems(validate(data)) == [
        f"D/{name}:0:0: error: this is a named pipe (FIFO), not a file: only plain files are read; "
        "remove it from the data folder"
    ]


def test_a_socket_is_one_error(data: Path, validate: ValidateLines) -> None:
    path = data / "places" / "s.yaml"
    with socket.socket(socket.AF_UNIX) as listener:
        try:
            listener.bind(str(path))
        except OSError as exc:  # a path too long for a socket address
            pytest.skip(f"cannot make a socket here: {exc}")
        assert _problems(validate(data)) == [
            "D/places/s.yaml:0:0: error: this is a socket, not a file: only plain files are read; "
            "remove it from the data folder"
        ]


def test_a_link_loop_is_one_error_per_link(data: Path, validate: ValidateLines) -> None:
    (data / "places" / "a.yaml").symlink_to("b.yaml")
    (data / "places" / "b.yaml").symlink_to("a.yaml")
    message = "error: this is a link that leads nowhere (it loops back on itself); replace it by the file itself"
    assert _problems(validate(data)) == [f"D/places/a.yaml:0:0: {message}", f"D/places/b.yaml:0:0: {message}"]


def test_a_dangling_link_is_one_error(data: Path, validate: ValidateLines) -> None:
    (data / "questions" / "gone.yaml").symlink_to("nowhere.yaml")
    assert _problems(validate(data)) == [
        "D/questions/gone.yaml:0:0: error: this is a link that leads nowhere (what it points to does not exist); "
        "replace it by the file itself"
    ]


def test_an_unreadable_file_is_one_error(data: Path, validate: ValidateLines, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = data / "actors" / "envoy.yaml"
    real_open = os.open

    def refusing_open(path: str, *args: int) -> int:  # root reads any file: refuse it by hand
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    problems = _problems(validate(data))
    assert problems[0] == "D/actors/envoy.yaml:0:0: error: cannot read the file: Permission denied"
    # the actor's references then fail as references to a broken record would: never reported again
    assert all("unknown actor 'envoy'" not in line for line in problems)


def test_an_unreadable_folder_is_one_error(
    data: Path, validate: ValidateLines, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = str(data / "questions")
    real_scandir = os.scandir

    def refusing_scandir(path: str) -> object:
        if isinstance(path, (str, os.PathLike)) and os.fspath(path) == locked:  # shutil.rmtree passes fds
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    errors = [line for line in _problems(validate(data)) if ": error: " in line]
    assert errors[0] == "D/questions:0:0: error: cannot read the folder: Permission denied"


def test_utf32_is_named_utf32() -> None:
    for encoding in ("utf-32", "utf-32-le", "utf-32-be"):
        text, problems = decode_text("name: Wide\n".encode(encoding), "f.yaml")
        assert text is None
        assert [p.message for p in problems] == ["the file is UTF-32; save it as UTF-8"]
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        assert decode_text("name: Wide\n".encode(encoding), "f.yaml")[1][0].message == (
            "the file is UTF-16; save it as UTF-8"
        )


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (MAX_FILE_BYTES, None),
        (
            MAX_FILE_BYTES + 1,
            "D/actors/big.yaml:0:0: error: the file is 1,048,577 bytes; "
            "a record file may be at most 1,048,576 bytes (1 MiB)",
        ),
    ],
)
def test_the_size_limit_at_its_boundary(data: Path, validate: ValidateLines, size: int, expected: str | None) -> None:
    (data / "actors" / "big.yaml").write_bytes(b"#" * size)
    problems = [line for line in _problems(validate(data)) if line.startswith("D/actors/big.yaml")]
    if expected is None:  # read and parsed: a file of comments only is empty, not too large
        assert problems
        assert all("too-large" not in line and "at most" not in line for line in problems)
    else:
        assert problems == [expected]


def test_the_limit_holds_while_reading_a_file_whose_size_says_zero() -> None:
    """/proc files say size 0; a file that grows after its size was read is the same case."""
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(FileRefused) as refused:
        read_regular_file("/proc/self/status", limit=16, what="a record file")
    assert refused.value.code == "too-large"
    assert refused.value.message == "the file holds more than 16 bytes; a record file may be at most 16 bytes"
    assert read_regular_file("/proc/self/status", limit=1 << 20).startswith(b"Name:")


def test_the_reader_refuses_what_is_not_a_plain_file(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    link = tmp_path / "link.yaml"
    link.symlink_to("/dev/zero")
    codes = []
    for path in (pipe, link, Path("/dev/zero"), tmp_path):
        with pytest.raises(FileRefused) as refused:
            read_regular_file(str(path))
        codes.append(refused.value.code)
    assert codes == ["not-a-file"] * 4


def test_a_named_pipe_as_archived_text_is_one_error(data: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    os.mkfifo(archive / "x.txt")
    source = sorted((data / "sources").iterdir())[0]
    source.write_text(source.read_text(encoding="utf-8") + "archive: x.txt\n", encoding="utf-8")
    for run in (
        lambda: validate_data(data, shown_dir="D", archive_dir=archive)[1],
        lambda: check_data(data, shown_dir="D", archive_dir=archive, use_cache=False).report,
    ):
        report = _with_timeout(lambda run=run: run().lines(github=False))  # type: ignore[misc]
        assert [line for line in report if "error" in line][:1] == [
            f"D/sources/{source.name}:{len(source.read_text().splitlines())}:10: error: archive: "
            f"{archive}/x.txt: this is a named pipe (FIFO), not a file: only plain files are read; "
            "remove it from the data folder"
        ]


def test_serve_notices_a_named_pipe_without_opening_it(data: Path) -> None:
    from explainer.commands.serve import snapshot

    os.mkfifo(data / "events" / "pipe.yaml")
    (data / "places" / "loop.yaml").symlink_to("loop.yaml")
    state = _with_timeout(lambda: list(snapshot([data])))
    assert str(data / "events" / "pipe.yaml") in state
    assert str(data / "places" / "loop.yaml") in state


def test_serve_refuses_a_named_pipe_and_keeps_serving(data: Path, tmp_path: Path) -> None:
    """The preview's rebuild validates again: a named pipe is reported, never waited on, and
    nothing is generated from the invalid data."""
    from explainer.commands.options import ServeOptions
    from explainer.commands.serve import LiveData, Preview, Status

    os.mkfifo(data / "pages" / "pipe.md")
    options = ServeOptions(data=str(data))
    build, site = tmp_path / "build", tmp_path / "site"
    site.mkdir()
    preview = Preview(options, build, site, "http://127.0.0.1:8000/", LiveData(options), Status())
    result: list[bool] = []
    try:
        thread = threading.Thread(target=lambda: result.append(preview.refresh(code_changed=True).valid), daemon=True)
        thread.start()
        thread.join(20)
    finally:
        if preview.engine is not None:
            preview.engine.stop()
    assert result == [False]
    assert not any(site.iterdir())
    assert not build.exists() or not any(build.rglob("*.md"))
