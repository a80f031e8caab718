"""The generated folder is a plain MkDocs project: Zensical builds it too, unchanged.

Zensical is not a dependency of the package, only of its test extra (`make test` installs it).
The test runs when a `zensical` command is found (on PATH, beside the running Python, or named
by EXPLAINER_ZENSICAL); the pull-request workflow's "Build with Zensical"
job installs zensical 0.0.73 and builds the Syria data the same way.

What differs from MkDocs + Material (seen with 0.0.73): Zensical renders its own variant of the
theme; it writes no `sitemap.xml.gz`. Its own search is off, as Material's is (the config lists
the search plugin disabled): the site's search is the Pagefind index `explainer build` makes
of the finished folder, and it indexes a Zensical-built folder the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_build import _EXTERNAL, _workspace, built_site
from test_search import read_index

from explainer.site import search

pytestmark = pytest.mark.slow


def _zensical() -> str:
    beside_python = Path(sys.executable).with_name("zensical")  # the venv's, when not on PATH
    named = (
        os.environ.get("EXPLAINER_ZENSICAL")
        or shutil.which("zensical")
        or (str(beside_python) if beside_python.is_file() else None)
    )
    if not named:
        pytest.skip("zensical is not installed (pip install zensical==0.0.73, or set EXPLAINER_ZENSICAL)")
    return named


def test_zensical_builds_the_generated_folder() -> None:
    zensical = _zensical()
    build = _workspace() / "build"
    shutil.copytree(built_site("mini")[1], build)
    result = subprocess.run(
        [zensical, "build", "-f", "mkdocs.yml"], cwd=build, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = build / "site"
    for page in (
        "index.html",
        "timeline/index.html",
        "actors/france/index.html",
        "events/houla-massacre/index.html",
        "questions/president-step-down/index.html",
        "places/houla/index.html",
        "sources/daily-report/index.html",
        "about/methodology/index.html",
        "assets/explainer/explainer.css",
    ):
        assert (site / page).is_file(), page
    houla = (site / "events/houla-massacre/index.html").read_text(encoding="utf-8")
    assert "Kofi Annan" in houla
    assert "at least 300" in houla.lower()
    # the search stage indexes what Zensical wrote as it does MkDocs' pages
    report = search.index_site(site, language="en")
    index = read_index(site)
    assert set(index.fragments) == set(read_index(built_site("mini")[0]).fragments)
    assert report.pages == len(index.fragments)
    assert {"/places/houla/", "/events/houla-massacre/"} <= index.find("Houla")
    assert index.find("Hula") >= {"/places/houla/"}
    assert "Kofi Annan" not in index.text("/events/")  # the list of records is left out here too
    assert index.fragments["/places/houla/"]["meta"]["names"] == "Houla | Hula | al-Houla"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        tags = [text[m.start() : text.index(">", m.start()) + 1] for m in _EXTERNAL.finditer(text)]
        # a canonical or oEmbed discovery link names the site's own published address; it loads nothing
        foreign = [
            tag
            for tag in tags
            if "canonical" not in tag and not ('rel="alternate"' in tag and 'href="https://example.org/mini/' in tag)
        ]
        assert foreign == [], path
