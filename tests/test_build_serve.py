"""`explainer serve`: the preview rebuilds on a data change and survives invalid data."""

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


class Preview:
    def __init__(self, data: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "explainer", "serve", "--data", str(data), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

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
