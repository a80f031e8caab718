"""Shared test set-up: an isolated cache, the project's paths, and the browser gate."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CHROMIUM = os.environ.get("EXPLAINER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's parse cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


def require_chromium() -> str:
    """The browser for browser tests: skip without it locally, fail without it in CI."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).is_file():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests need Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@functools.cache
def serve_folder(folder: Path) -> str:
    """Serve a folder on 127.0.0.1 (a free port) for the rest of the session; its origin
    (`http://127.0.0.1:PORT`, no trailing slash). Each folder is served once."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, for one test file (each file has its own Playwright, so
    files can run in any order)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def require_seeds() -> Path:
    """The seed articles are the quote archive; they live beside the project, never in it."""
    if SEEDS.is_dir():
        return SEEDS
    # Not a failure even under CI: public CI (GitHub Actions) never has the articles.
    pytest.skip(f"{SEEDS} is absent: the seed articles are not redistributable and live only in ../shared")


def fresh_python(code: str) -> str:
    """Run `code` in a new Python from the project root; its output. For what forks worker
    processes: they are forked only from a process running no other thread, and the test
    session runs some (the browser tests' servers)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(ROOT)]))
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
