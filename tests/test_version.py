"""`explainer --version` reports the version of the installed package, as its metadata says."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import explainer
from explainer.commands import cli

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_the_installed_package_metadata() -> None:
    installed = importlib.metadata.version("explainer")
    assert explainer.__version__ == installed
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert installed == project["version"], "reinstall (make setup): the installed metadata is stale"


def test_version_option_prints_it_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"explainer {importlib.metadata.version('explainer')}\n"


def test_the_installed_command_reports_it() -> None:
    command = Path(sys.executable).parent / "explainer"
    result = subprocess.run([str(command), "--version"], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout == f"explainer {importlib.metadata.version('explainer')}\n"


def test_only_the_version_is_looked_up_lazily() -> None:
    with pytest.raises(AttributeError):
        _ = explainer.no_such_name  # type: ignore[attr-defined]


def test_the_metadata_is_what_a_package_index_accepts() -> None:
    """The licence as an SPDX expression (PEP 639), so no License classifier; a build backend that knows it."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    assert project["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in project["classifiers"])
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert pyproject["build-system"]["requires"] == ["setuptools>=77"]
    metadata = importlib.metadata.metadata("explainer")
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == project["requires-python"]
