"""Shared test set-up: an isolated cache, the project's paths, and the browser gate."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

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
