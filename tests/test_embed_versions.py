"""Frozen embed versions kept by a versions folder (`explainer build --versions DIR`), the
version URL layout in `core/urls`, and `images: all | site-wide` (issue 14). No browser, no
site engine: tests/test_build.py builds with a versions folder end to end."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from explainer.charts import build_charts, chartset, images, render
from explainer.charts.files import VERSION_FILE_LIMIT, carry_versions, chart_drawings, check_versions
from explainer.checking.dataset import check_file
from explainer.checking.validate import validate_data
from explainer.commands.cli import _parser
from explainer.core import urls

MINI = Path(__file__).parent / "fixtures" / "mini"
VERSION = "0123456789"


@pytest.fixture(scope="module")
def charts():
    dataset, report = validate_data(MINI)
    assert report.ok
    return build_charts(dataset)


def _version(store: Path, chart: str = "timeline", version: str = VERSION, files: dict[str, str] | None = None) -> Path:
    folder = store / "embed" / chart / "v" / version
    folder.mkdir(parents=True)
    for name, text in (files or {"index.html": "page", "figure.js": "figure"}).items():
        (folder / name).write_text(text)
    return folder


def _codes(store: Path) -> list[tuple[str, str]]:
    return [(d.path, d.code) for d in check_versions(store, "versions")]


# --- the URL layout ---------------------------------------------------------------------------------


def test_version_paths_are_the_url_layouts(charts):
    version = charts.version("timeline")
    assert urls.embed_version_url("timeline", version) == f"embed/timeline/v/{version}/"
    assert render.embed_url("timeline", version) == urls.embed_version_url("timeline", version), "one layout"
    assert urls.is_version(version)
    for name in ("012345678", "0123456789a", "ABCDEF0123", "../../etc", "0123456789/"):
        assert not urls.is_version(name), name


def test_a_built_version_holds_exactly_the_version_files(tmp_path, charts):
    from explainer.charts import write_charts

    write_charts(charts, tmp_path, charts.site, images=False)
    for chart_id in charts.ids:
        folder = tmp_path / urls.embed_version_url(chart_id, charts.version(chart_id))
        assert {path.name for path in folder.iterdir()} == {urls.VERSION_PAGE, urls.VERSION_FIGURE}
    assert check_versions(tmp_path, "site") != [], "a whole site is not a versions folder"


# --- checking a versions folder ---------------------------------------------------------------------


def test_an_empty_or_well_formed_versions_folder_has_no_problem(tmp_path):
    assert check_versions(tmp_path, "versions") == []
    _version(tmp_path)
    _version(tmp_path, "actor-envoy-events", "abcdefabcd", {"index.html": "p", "preview.svg": "<svg/>"})
    (tmp_path / "README.md").write_text("what this is")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("anything: not read")
    assert check_versions(tmp_path, "versions") == []


def test_every_stray_name_is_located(tmp_path):
    _version(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "embed" / "Timeline!").mkdir()
    (tmp_path / "embed" / "map").mkdir()
    (tmp_path / "embed" / "map" / "latest").mkdir()
    (tmp_path / "embed" / "timeline" / "index.html").write_text("the latest embed")
    (tmp_path / "embed" / "timeline" / "v" / "latest").mkdir()
    (tmp_path / "embed" / "timeline" / "v" / VERSION / "passwd").write_text("x")
    _version(tmp_path, version="abcdefabcd", files={"figure.js": "no page"})
    assert sorted(_codes(tmp_path)) == [
        ("versions/embed/Timeline!", "versions-unknown"),
        ("versions/embed/map/latest", "versions-unknown"),
        ("versions/embed/timeline/index.html", "versions-unknown"),
        ("versions/embed/timeline/v/0123456789/passwd", "versions-unknown"),
        ("versions/embed/timeline/v/abcdefabcd", "versions-incomplete"),
        ("versions/embed/timeline/v/latest", "versions-unknown"),
        ("versions/notes.txt", "versions-unknown"),
    ]
    message = next(d.format() for d in check_versions(tmp_path, "versions") if d.path.endswith("passwd"))
    assert message == (
        "versions/embed/timeline/v/0123456789/passwd:0:0: error: 'passwd' is not a file of a version "
        "(index.html, figure.js, preview.svg, preview-dark.svg); remove it"
    )


def test_links_pipes_and_large_files_are_named_never_followed(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("secret")
    store = tmp_path / "store"
    folder = _version(store)
    (folder / "figure.js").unlink()
    os.symlink(outside / "secret", folder / "figure.js")
    os.symlink(outside, store / "embed" / "map")
    os.mkfifo(folder / "preview.svg")
    (folder / "preview-dark.svg").mkdir()
    other = _version(store, version="abcdefabcd", files={"index.html": "x" * 100})
    monkeypatch.setattr("explainer.charts.files.VERSION_FILE_LIMIT", 99)
    assert sorted(_codes(store)) == [
        ("versions/embed/map", "versions-link"),
        ("versions/embed/timeline/v/0123456789/figure.js", "versions-link"),
        ("versions/embed/timeline/v/0123456789/preview-dark.svg", "versions-not-a-file"),
        ("versions/embed/timeline/v/0123456789/preview.svg", "versions-not-a-file"),
        ("versions/embed/timeline/v/abcdefabcd/index.html", "versions-too-large"),
    ]
    assert other.is_dir()
    (store / "embed").rename(store / "moved")
    os.symlink(store / "moved", store / "embed")
    assert _codes(store) == [("versions/embed", "versions-link"), ("versions/moved", "versions-unknown")]


# --- carrying versions ------------------------------------------------------------------------------


def test_carrying_from_a_versions_folder_copies_plain_version_files_only(tmp_path):
    store, site = tmp_path / "store", tmp_path / "site"
    folder = _version(store, files={"index.html": "old page", "figure.js": "old figure"})
    (folder / "stray.txt").write_text("never copied")
    os.symlink(tmp_path / "elsewhere", folder / "preview.svg")
    _version(store, version="abcdefabcd")
    mine = _version(site, version="abcdefabcd", files={"index.html": "this build's"})
    assert carry_versions(store, site) == ["timeline/v/0123456789"]
    copied = site / "embed" / "timeline" / "v" / VERSION
    assert {p.name: p.read_text() for p in copied.iterdir()} == {"index.html": "old page", "figure.js": "old figure"}
    assert (mine / "index.html").read_text() == "this build's", "a version the build made is never replaced"
    assert carry_versions(store, site) == [], "nothing twice"


def test_a_big_version_file_is_not_copied(tmp_path, monkeypatch):
    store, site = tmp_path / "store", tmp_path / "site"
    _version(store, files={"index.html": "x" * 10, "figure.js": "small"})
    monkeypatch.setattr("explainer.charts.files.VERSION_FILE_LIMIT", 9)
    assert carry_versions(store, site) == ["timeline/v/0123456789"]
    assert [p.name for p in (site / "embed/timeline/v" / VERSION).iterdir()] == ["figure.js"]
    assert VERSION_FILE_LIMIT == 64 * 1024 * 1024


# --- the command line -------------------------------------------------------------------------------


def test_versions_flag_defaults_to_the_environment(monkeypatch):
    monkeypatch.delenv("EXPLAINER_VERSIONS", raising=False)
    assert _parser().parse_args(["build"]).versions is None
    assert _parser().parse_args(["build", "--versions", "kept"]).versions == "kept"
    monkeypatch.setenv("EXPLAINER_VERSIONS", ".embed-versions")
    assert _parser().parse_args(["build"]).versions == ".embed-versions"
    assert _parser().parse_args(["build", "--versions", "other"]).versions == "other"


# --- images: all | site-wide ------------------------------------------------------------------------


def test_site_images_is_all_by_default_and_site_wide_on_request():
    _, model, (problems, _, valid) = check_file(b"title: T\n", "site")
    assert valid
    assert model.images == "all"
    _, model, (problems, _, valid) = check_file(b"title: T\nimages: site-wide\n", "site")
    assert valid
    assert model.images == "site-wide"
    _, _, (problems, _, valid) = check_file(b"title: T\nimages: some\n", "site")
    assert not valid
    assert [problem[:4] for problem in problems] == [(2, 9, "error", "unknown-value")]
    assert "expected one of: all, site-wide" in problems[0][4]


def _outputs(chart_set, chart_id: str) -> set[str]:
    return {str(path) for drawing in chart_drawings(chart_set, chart_id) for path, _ in drawing.outputs}


def _site_wide(charts):
    assert charts.site is not None
    return dataclasses.replace(charts, site=charts.site.model_copy(update={"images": "site-wide"}))


def test_site_wide_images_follow_the_chart_sets_links(charts, monkeypatch):
    """Drawings follow `ChartSet.image_path`: an image a page, embed or gallery names is always
    drawn (no dead link). When it names none for a per-record chart (`images: site-wide`), only
    the previews are drawn."""
    per_record = next(cid for cid in charts.ids if not charts.chart(cid).site_wide)
    assert images.publishable_for(charts.site, charts.chart(per_record))
    site_wide = _site_wide(charts)
    assert not images.publishable_for(site_wide.site, site_wide.chart(per_record))
    assert images.publishable_for(site_wide.site, site_wide.chart("timeline"))

    original = chartset.ChartSet.image_path
    monkeypatch.setattr(chartset.ChartSet, "image_path", lambda self, cid, fmt="png": f"assets/charts/{cid}.{fmt}")
    assert f"assets/charts/{per_record}.png" in _outputs(site_wide, per_record), "named, so drawn"

    monkeypatch.setattr(chartset.ChartSet, "image_path", original)  # the real links again
    monkeypatch.setattr(chartset.ChartSet, "images_planned", lambda self: True)
    assert site_wide.image_path(per_record, "png") is None
    assert site_wide.image_path(per_record, "preview.svg") == f"assets/charts/{per_record}.preview.svg"
    assert site_wide.image_path("timeline", "png") == "assets/charts/timeline.png"
    version = site_wide.version(per_record)
    assert _outputs(site_wide, per_record) == {
        f"assets/charts/{per_record}.preview.svg",
        f"assets/charts/{per_record}.preview-dark.svg",
        urls.embed_version_file(per_record, version, "preview.svg"),
        urls.embed_version_file(per_record, version, "preview-dark.svg"),
    }
    for fmt in ("png", "svg", "dark.png", "dark.svg", "card.png"):
        assert f"assets/charts/timeline.{fmt}" in _outputs(site_wide, "timeline")
    assert f"assets/charts/{per_record}.png" in _outputs(charts, per_record), "images: all draws them"
