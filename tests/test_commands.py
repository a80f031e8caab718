"""The commands as the rest of the tool sees them: options objects made by `cli`, `--strict`
exit codes, imports that point one way, and what the build adds to the site: the nav (the
corrections page), shared pages an explainer replaces, the licence in the footer."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from explainer.checking.validate import validate_data
from explainer.commands import cli
from explainer.commands.build import SHARED_DOCS, build_command, shared_page_files, site_nav
from explainer.commands.options import BuildOptions, ServeOptions, ValidateOptions
from explainer.core import urls
from explainer.rendering.writer import FileJob, Writer
from explainer.site import engine as site_engine
from explainer.site.engine import NavEntry

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini"
BASE = HERE / "hostile" / "base" / "data"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid data folder named `data` in the current directory, with one warning: a source
    whose archived text is missing from the archive folder."""
    shutil.copytree(BASE, tmp_path / "data")
    (tmp_path / "data" / "archive").mkdir()
    source = tmp_path / "data" / "sources" / "daily-report.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "archive: missing.txt\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path / "data"


# --- options ---------------------------------------------------------------------------------------


def test_cli_hands_each_command_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    import explainer.commands.build
    import explainer.commands.serve

    seen: list[object] = []

    def record(options: object) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(cli, "validate_command", record)
    monkeypatch.setattr(explainer.commands.build, "build_command", record)
    monkeypatch.setattr(explainer.commands.serve, "serve_command", record)

    assert cli.main(["validate", "--data", "./d/", "--no-cache", "--strict"]) == 0
    assert cli.main(["build", "--out", "o", "--archive", "a", "--keep-build", "k", "--strict"]) == 0
    assert cli.main(["serve", "--port", "9000"]) == 0
    assert seen == [
        ValidateOptions(data="./d/", archive=None, use_cache=False, strict=True),
        BuildOptions(data="data", out="o", archive="a", keep_build="k", strict=True),
        ServeOptions(data="data", port=9000, archive=None, strict=False),
    ]


def test_options_are_frozen_and_give_paths() -> None:
    options = BuildOptions(data="./data/", out="site", archive=None, keep_build="kept")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.strict = True  # type: ignore[misc]
    assert options.data == "./data/"  # shown as written
    assert (options.data_dir, options.out_dir, options.keep_build_dir) == (Path("data"), Path("site"), Path("kept"))
    assert options.archive_dir is None  # not given: validation decides (site.yaml, else DATA/archive)
    assert ValidateOptions(archive="../seeds").archive_dir == Path("../seeds")


def test_nothing_imports_the_command_line_module() -> None:
    """Imports point one way: cli on top; the commands take options, never cli's parser."""
    for path in sorted((ROOT / "explainer").rglob("*.py")):
        if path.name in ("cli.py", "__main__.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"commands\.cli\b|from explainer\.commands import cli", text), path
        assert "argparse.Namespace" not in text or path.name == "changes.py", path


# --- --strict --------------------------------------------------------------------------------------


def test_validate_strict_counts_warnings_as_errors(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("data: valid")
    assert "1 warning" in err.splitlines()[-1]

    assert cli.main(["validate", "--strict"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert "warning:" in lines[0]
    assert lines[-2].endswith("1 warning in 1 file")
    assert lines[-1] == "explainer: --strict: 1 warning counts as an error"


def test_strict_without_warnings_passes(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = data / "sources" / "daily-report.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("archive: missing.txt\n", ""), encoding="utf-8")
    assert cli.main(["validate", "--strict"]) == 0
    assert capsys.readouterr().out.startswith("data: valid")


def test_build_strict_with_a_warning_builds_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert build_command(BuildOptions(data="data", out=str(out), strict=True)) == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert "explainer: --strict: 1 warning counts as an error" in err
    assert f"explainer: nothing built; {out} is unchanged" in err
    assert not out.exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_serve_strict_keeps_the_last_version(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from explainer.commands.serve import LiveData, Preview, Status, rebuild_line

    source = data / "sources" / "daily-report.yaml"
    with_warning = source.read_text(encoding="utf-8")
    source.write_text(with_warning.replace("archive: missing.txt\n", ""), encoding="utf-8")
    options = ServeOptions(data="data", strict=True)
    build, site = tmp_path / "build", tmp_path / "site"
    site.mkdir()
    preview = Preview(options, build, site, "http://127.0.0.1:8000/", LiveData(options), Status())
    try:
        first = preview.refresh(code_changed=True)
        assert first.valid
        assert first.engine_error is None
        assert (build / "mkdocs.yml").is_file()
        assert (site / "sources" / "daily-report" / "index.html").is_file()
        shown = _files(site), _files(build)
        capsys.readouterr()
        # the warning again: with --strict it counts as an error, and the last version stays
        source.write_text(with_warning, encoding="utf-8")
        second = preview.refresh(code_changed=False)
    finally:
        if preview.engine is not None:
            preview.engine.stop()
    assert not second.valid
    assert (second.errors, second.warnings) == (0, 1)
    assert "missing.txt" in capsys.readouterr().err
    line = rebuild_line([str(source)], "data", second, 0.5)
    assert line.endswith(": 1 warning (--strict) in 0.50 s; the preview shows the last valid version")
    status = json.loads(preview.status.body)
    assert (status["generation"], status["ok"], status["count"]) == (1, False, 1)
    assert status["errors"][0]["severity"] == "warning"
    assert (_files(site), _files(build)) == shown


# --- the nav ---------------------------------------------------------------------------------------


def _nav(tmp_path: Path, written: list[str]) -> list[NavEntry]:
    dataset, report = validate_data(MINI)
    assert report.ok
    docs = Writer(tmp_path).folder("docs")
    docs.write_all([FileJob(path, "page".__str__) for path in written])
    return site_nav(dataset, docs, [])


def test_the_nav_lists_the_corrections_page_when_the_build_wrote_it(tmp_path: Path) -> None:
    explore = [file for _, file in urls.EXPLORE]
    nav = _nav(tmp_path / "with", [*explore, urls.DATA, urls.CORRECTIONS])
    assert [entry.title for entry in nav] == ["Home", "Introduction", "Explore", "Data", "Corrections"]
    assert nav[-1] == NavEntry("Corrections", "corrections.md")
    assert [child.file for child in nav[2].children] == explore

    nav = _nav(tmp_path / "without", [file for file in explore if file != urls.CHARTS])
    assert [entry.title for entry in nav] == ["Home", "Introduction", "Explore"]
    assert urls.CHARTS not in [child.file for child in nav[2].children]


# --- shared pages ----------------------------------------------------------------------------------


def test_a_data_page_replaces_the_shared_page_of_its_name() -> None:
    every = {job.path for job in shared_page_files(SHARED_DOCS)}
    assert {"about/errors.md", "about/format.md", "about/methodology.md"} <= every
    assert any(path.startswith("about/images/") for path in every)

    jobs = {job.path: job for job in shared_page_files(SHARED_DOCS, replaced_by={"errors", "introduction"})}
    assert "about/errors.md" not in jobs
    assert set(jobs) == every - {"about/errors.md"}
    format_page = jobs["about/format.md"].content()
    assert isinstance(format_page, str)
    assert "](../errors.md)" in format_page
    assert "](errors.md" not in format_page
    # a page nothing replaces is copied byte for byte
    assert jobs["about/methodology.md"].content() == (SHARED_DOCS / "methodology.md").read_bytes()


def test_the_site_config_shows_the_licence_in_the_footer() -> None:
    def config(license: str | None) -> dict[str, object]:
        return site_engine.site_config(
            site_engine.base_config(),
            site_name="S",
            site_url=None,
            language="en",
            description=None,
            nav=[],
            assets=["assets/explainer/b.js", "assets/explainer/a.css", "assets/charts/x.css"],
            license=license,
        )

    with_licence = config("CC-BY-4.0")
    assert with_licence["copyright"] == "Data: CC-BY-4.0 · built with explainer"
    assert with_licence["extra_css"] == ["assets/explainer/a.css"]
    assert with_licence["extra_javascript"] == ["assets/explainer/b.js"]
    assert "copyright" not in config(None)


@pytest.mark.slow
def test_a_build_with_a_replaced_shared_page_and_a_licence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "pages" / "errors.md").write_text(
        "# Our own error guide\n\nWhat the errors of this explainer mean.\n", encoding="utf-8"
    )
    site_yaml = data / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "license: CC0-1.0\n", encoding="utf-8")
    out, kept = tmp_path / "site", tmp_path / "build"
    assert build_command(BuildOptions(data=str(data), out=str(out), keep_build=str(kept))) == cli.EXIT_OK

    assert "Our own error guide" in (out / "errors" / "index.html").read_text(encoding="utf-8")
    assert not (out / "about" / "errors").exists()
    assert not (kept / "docs" / "about" / "errors.md").exists()
    format_page = (out / "about" / "format" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../errors/' in format_page
    assert "Data: CC0-1.0 · built with explainer" in format_page
    config = (kept / "mkdocs.yml").read_text(encoding="utf-8")
    assert "errors.md" in config.split("About:")[0]  # listed with the hand-written pages
    assert "about/errors.md" not in config
