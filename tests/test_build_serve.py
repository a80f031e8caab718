"""`explainer serve`: the preview rebuilds on a data change, shows the data's errors in a
banner over the last valid page, reloads itself (a new record's 404 too), stays quiet, moves
off a busy port and stops cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, require_chromium

HERE = Path(__file__).resolve().parent
MINI = HERE / "fixtures" / "mini"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _sigint_as_a_terminal_sends_it() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Preview:
    def __init__(self, data: Path, port: int | None = None, env: dict[str, str] | None = None) -> None:
        self.port = _free_port() if port is None else port
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "explainer", "serve", "--data", str(data), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
            text=True,
            start_new_session=True,
            # as in a terminal's foreground: a test run started in the background by a shell
            # without job control inherits an ignored SIGINT, which Python then keeps ignoring
            preexec_fn=_sigint_as_a_terminal_sends_it,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_ready(self) -> None:
        """Until serve says where the preview is (it may have moved to another port)."""
        _until(lambda: any("preview on http" in line for line in self.lines), 90, "the first preview")
        line = next(line for line in self.lines if "preview on http" in line)
        self.url = line.split("preview on ", 1)[1].split(" ", 1)[0]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Preview, Path]]:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    running = Preview(data)
    yield running, data
    running.stop()


def test_preview_rebuilds_on_change_and_survives_errors(preview: tuple[Preview, Path]) -> None:
    server, data = preview
    page = server.url + "events/houla-massacre/"
    _until(lambda: "Houla massacre" in _fetch(page), 60, "the first preview")

    event = data / "events" / "houla-massacre.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title: Houla massacre", "title: Houla killings"))
    _until(lambda: "Houla killings" in _fetch(page), 30, "the edited title")

    broken = data / "events" / "broken.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    _until(lambda: any("broken.yaml:" in line and "error:" in line for line in server.lines), 30, "the error")
    assert server.process.poll() is None, "the preview stopped on invalid data"
    assert "Houla killings" in _fetch(page), "the last good version is still served"

    broken.unlink()
    event.write_text(event.read_text(encoding="utf-8").replace("title: Houla killings", "title: Houla again"))
    _until(lambda: "Houla again" in _fetch(page), 30, "the preview to recover")
    assert server.process.poll() is None


# --- the loop in a browser -------------------------------------------------------------------

NEW_EVENT = """title: Talks resume in Geneva
date: "2012-06-30"
kind: diplomacy
place: paris
summary: The envoy's talks resume.
sources: [daily-report]
actors:
  - actor: envoy
    role: participant
"""


@pytest.mark.browser
def test_banner_shows_errors_and_pages_reload_when_valid(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    server = Preview(data, env={"TMPDIR": str(tmp_path)})
    try:
        server.wait_ready()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + "events/houla-massacre/")
            heading = page.locator("article h1").first
            expect(heading).to_contain_text("Houla massacre")
            banner = page.get_by_role("alert")
            expect(banner).to_have_count(0)

            broken = data / "events" / "broken.yaml"
            broken.write_text("title: [unclosed\n", encoding="utf-8")
            expect(banner).to_contain_text("broken.yaml:1:8", timeout=15_000)
            expect(banner).to_contain_text("add ']'")  # the fix
            expect(heading).to_contain_text("Houla massacre")  # the last valid page beneath

            broken.unlink()
            event = data / "events" / "houla-massacre.yaml"
            event.write_text(
                event.read_text(encoding="utf-8").replace("title: Houla massacre", "title: Houla killings")
            )
            expect(page.locator("article h1").first).to_contain_text("Houla killings", timeout=15_000)
            expect(page.get_by_role("alert")).to_have_count(0)

            # A new record's address: a 404 until the record is valid, then its page by itself.
            response = page.goto(server.url + "events/talks-resume/")
            assert response is not None
            assert response.status == 404
            new = data / "events" / "talks-resume.yaml"
            new.write_text(NEW_EVENT.replace('date: "2012-06-30"', 'date: "2012-06-31"'), encoding="utf-8")
            expect(page.get_by_role("alert")).to_contain_text("talks-resume.yaml:2:", timeout=15_000)
            new.write_text(NEW_EVENT, encoding="utf-8")
            expect(page.locator("article h1").first).to_contain_text("Talks resume in Geneva", timeout=15_000)
            expect(page.get_by_role("alert")).to_have_count(0)
            browser.close()
    finally:
        server.stop()
    assert server.process.returncode == 0
    assert not any(line.startswith("Traceback") for line in server.lines)
    assert not list(tmp_path.glob("explainer-serve-*")), "the temporary folders are removed"


# --- a quiet, sturdy serve ---------------------------------------------------------------------


def test_quiet_output_one_line_per_rebuild(preview: tuple[Preview, Path]) -> None:
    server, data = preview
    server.wait_ready()
    before = len(server.lines)
    event = data / "events" / "houla-massacre.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title: Houla massacre", "title: Houla killings"))
    _until(lambda: "Houla killings" in _fetch(server.url + "events/houla-massacre/"), 30, "the edited title")
    _until(lambda: len(server.lines) > before, 10, "the rebuild's line")
    time.sleep(1)
    new = server.lines[before:]
    assert len(new) == 1, new
    assert new[0].startswith("explainer serve: ")
    assert f"{data}/events/houla-massacre.yaml" in new[0]
    assert "no errors" in new[0]
    assert " s;" in new[0]  # how long it took
    everything = "\n".join(server.lines)
    assert "INFO" not in everything
    assert "unrecognized relative link" not in everything


def test_busy_port_moves_to_the_next_free_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        server = Preview(data, port=port)
        try:
            server.wait_ready()
            assert server.url != f"http://127.0.0.1:{port}/"
            assert any(f"port {port} is in use" in line and "--port" in line for line in server.lines)
            assert "Houla massacre" in _fetch(server.url + "events/houla-massacre/")
        finally:
            server.stop()
    assert not any("Traceback" in line for line in server.lines)


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    server = Preview(data, env={"TMPDIR": str(tmp_path)})
    server.wait_ready()
    assert list(tmp_path.glob("explainer-serve-*"))
    server.stop()  # SIGINT to the whole group, as Ctrl-C in a terminal
    assert server.process.returncode in (0, 130)
    assert not any("Traceback" in line for line in server.lines), server.lines
    assert not list(tmp_path.glob("explainer-serve-*"))
    assert not list(tmp_path.glob("explainer-preview-*"))
