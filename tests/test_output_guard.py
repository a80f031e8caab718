"""No build can remove a folder that is not a previous site: `--out` and `--keep-build` are
checked before any work (exit 2, naming the flag and why), only empty or stamped folders are
replaced, leftovers of killed builds are cleaned, and a failed publish is one located error."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.charts.files import ChartImages
from explainer.commands import cli
from explainer.commands.build import build_command
from explainer.commands.options import BuildOptions
from explainer.rendering import files as output
from explainer.rendering import writer

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
ROOT = Path(__file__).resolve().parent.parent


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        for path in sorted(folder.rglob("*"))
    }


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(argv)
    return code, capsys.readouterr().err


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout-like folder: project/data (the mini fixture), project/archive, .git; home
    is a folder of its own, so that no test ever comes near the real one."""
    root = tmp_path / "project"
    shutil.copytree(MINI, root / "data")
    (root / "archive").mkdir()
    (root / "archive" / "text.txt").write_text("archived\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    home = tmp_path_factory.mktemp("home")
    (home / "notes.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(root)
    return root


def _unrelated(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8")
    return folder


PROTECTED = {
    "the data folder": ("data", "this is the data folder"),
    "inside the data folder": ("data/events", "this is inside the data folder"),
    "the archive": ("archive", "this is the archive folder"),
    "the project": (".", "this folder holds the data folder"),
    "the parent of the project": ("..", "this folder holds the data folder"),
    "home": ("~", "this is your home folder"),
    "root": ("/", "this is the root of the file system"),
    "a file": ("pyproject.toml", "this is a file, not a folder"),
    "an unrelated folder": ("../photos", "this folder holds files explainer did not make (holiday.jpg)"),
    "a project elsewhere": ("../other-project", "this is a project folder (it holds .git)"),
    "the tool's own checkout": (str(ROOT), "this folder holds the explainer package"),
    "a mount point": ("/proc", "this is a mount point"),
}


@pytest.mark.parametrize("flag", ["--out", "--keep-build"])
@pytest.mark.parametrize("place", sorted(PROTECTED))
def test_no_build_removes_a_folder_that_is_not_a_previous_site(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, place: str
) -> None:
    _unrelated(tmp_path)
    (tmp_path / "other-project" / ".git").mkdir(parents=True)
    target, reason = PROTECTED[place]
    target = str(Path.home()) if target == "~" else target
    before = tree_digest(tmp_path), tree_digest(Path.home())
    argv = ["build", "--data", "data", "--archive", "archive"]
    argv += ["--out", target] if flag == "--out" else ["--out", str(tmp_path / "site"), "--keep-build", target]
    code, err = run(argv, capsys)
    assert code == cli.EXIT_USAGE
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"explainer build: error: {flag} {target}: {reason}")
    assert "validate" not in err  # refused before any work
    assert (tree_digest(tmp_path), tree_digest(Path.home())) == before


def test_the_archive_defaults_to_data_archive(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "data" / "archive").mkdir()
    code, err = run(["build", "--data", "data", "--out", "data/archive"], capsys)
    assert code == cli.EXIT_USAGE
    assert "--out data/archive: this is inside the data folder" in err


def test_the_archive_site_yaml_names_is_protected(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --archive, validation reads the folder site.yaml names: a build may not replace it."""
    (project / "sources-archive").mkdir()
    (project / "sources-archive" / "text.txt").write_text("an archived article\n", encoding="utf-8")
    site = project / "data" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "archive: ../sources-archive\n", encoding="utf-8")
    for flags in (["--out", "sources-archive"], ["--out", "site", "--keep-build", "sources-archive"]):
        code, err = run(["build", "--data", "data", *flags], capsys)
        assert code == cli.EXIT_USAGE
        assert f"{flags[-2]} sources-archive: this is the archive folder" in err
    assert (project / "sources-archive" / "text.txt").is_file()


def test_out_and_keep_build_may_not_overlap(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["build", "--data", "data", "--out", "site", "--keep-build", "site/build"], capsys)
    assert code == cli.EXIT_USAGE
    assert "--keep-build site/build: this is inside the --out folder" in err
    code, err = run(["build", "--data", "data", "--out", "site", "--keep-build", "site"], capsys)
    assert "--keep-build site: this is the --out folder" in err


def test_a_link_to_a_protected_place_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("site").symlink_to("data")
    code, err = run(["build", "--data", "data", "--out", "site"], capsys)
    assert code == cli.EXIT_USAGE
    assert "--out site: this is the data folder" in err
    assert (project / "data" / "site.yaml").is_file()


def test_a_folder_below_a_file_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["build", "--data", "data", "--out", "pyproject.toml/site"], capsys)
    assert code == cli.EXIT_USAGE
    assert "cannot make this folder:" in err
    assert "pyproject.toml is a file" in err


@pytest.mark.parametrize("content", ["empty", "stamped", "legacy"])
def test_an_empty_or_stamped_folder_may_be_replaced(tmp_path: Path, content: str) -> None:
    out = tmp_path / "site"
    out.mkdir()
    if content == "stamped":
        (out / output.SITE_STAMP).write_text("explainer\n", encoding="utf-8")
        (out / "index.html").write_text("old\n", encoding="utf-8")
    elif content == "legacy":  # published before the stamps: explainer's chart loader and a sitemap
        (out / "assets" / "explainer").mkdir(parents=True)
        (out / "assets" / "explainer" / "charts.js").write_text("", encoding="utf-8")
        (out / "sitemap.xml").write_text("", encoding="utf-8")
    output.check_target(out, "--out", output.SITE_STAMP, [])


def test_a_stamp_of_the_other_kind_does_not_count(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / output.SITE_STAMP).write_text("explainer\n", encoding="utf-8")
    (kept / "page.md").write_text("x\n", encoding="utf-8")
    with pytest.raises(output.TargetRefused, match=r"no \.explainer-build stamp"):
        output.check_target(kept, "--keep-build", output.BUILD_STAMP, [])


def test_a_staging_folder_is_stamped_and_leftovers_of_dead_builds_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    left = tmp_path / f".site.new-{dead_pid}-abc123"
    left.mkdir()
    (left / output.SITE_STAMP).write_text("explainer\n", encoding="utf-8")
    old = tmp_path / f".site.old-{dead_pid}-xyz_9"
    old.mkdir()
    (old / output.SITE_STAMP).write_text("explainer\n", encoding="utf-8")
    unstamped = tmp_path / f".site.new-{dead_pid}-nostamp"
    unstamped.mkdir()
    (unstamped / "mine.txt").write_text("x\n", encoding="utf-8")
    running = tmp_path / f".site.new-{os.getppid()}-live"  # a build still running (this test's parent)
    running.mkdir()
    (running / output.SITE_STAMP).write_text("explainer\n", encoding="utf-8")
    other_name = tmp_path / f".blog.new-{dead_pid}-abc"
    other_name.mkdir()
    (other_name / output.SITE_STAMP).write_text("explainer\n", encoding="utf-8")

    staging = output.staging_dir(out)
    assert re.fullmatch(rf"\.site\.new-{os.getpid()}-\w+", staging.name)
    assert (staging / output.SITE_STAMP).is_file()
    assert not left.exists()
    assert not old.exists()
    assert unstamped.is_dir()
    assert running.is_dir()
    assert other_name.is_dir()


def test_two_first_publishes_racing_end_with_one_winner_and_one_error(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first, second = output.staging_dir(out), output.staging_dir(out)
    (first / "index.html").write_text("first\n", encoding="utf-8")
    (second / "index.html").write_text("second\n", encoding="utf-8")
    output.replace_dir(first, out)
    with pytest.raises(output.PublishError, match="another build published it first"):
        output._publish_new(second, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "first\n"


def test_racing_first_publishes_in_two_processes(tmp_path: Path) -> None:
    """Two builds' last step at once on a missing --out: one exits 0, the other prints one line."""
    out = tmp_path / "site"
    code = f"""
import sys
from pathlib import Path
from explainer.rendering import files as output
out = Path({str(out)!r})
staging = output.staging_dir(out)
(staging / "index.html").write_text(sys.argv[1], encoding="utf-8")
try:
    output.replace_dir(staging, out)
except output.PublishError as exc:
    print(f"error: {{exc}}")
    sys.exit(1)
finally:
    output.discard(staging)
"""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = [
        subprocess.Popen([sys.executable, "-c", code, name], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name in ("a", "b")
    ]
    results = []
    for process in runs:
        stdout, stderr = process.communicate(timeout=60)
        results.append((process.returncode, stdout.decode(), stderr.decode()))
    assert all(not err for _, _, err in results), results  # never a traceback
    codes = sorted(code for code, _, _ in results)
    winner = (out / "index.html").read_text(encoding="utf-8")
    assert winner in ("a", "b")
    if codes == [0, 1]:  # they met: one clean line for the loser
        assert next(o for c, o, _ in results if c == 1).startswith("error: ")
    else:  # one finished before the other started: the second replaced the first's stamped site
        assert codes == [0, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _options(data: Path, out: Path, keep: Path | None = None) -> BuildOptions:
    return BuildOptions(data=str(data), out=str(out), keep_build=str(keep) if keep else None)


@pytest.mark.slow
def test_a_full_disk_while_adding_images_is_one_error_and_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / output.SITE_STAMP).write_text("explainer\n", encoding="utf-8")
    (out / "index.html").write_text("previous\n", encoding="utf-8")

    def drawn(batch: object, root: Path) -> list[Path]:
        (root / "assets" / "charts").mkdir(parents=True, exist_ok=True)
        (root / "assets" / "charts" / "x.png").write_bytes(b"png")
        return [root / "assets" / "charts" / "x.png"] * len(batch.jobs)  # type: ignore[attr-defined]

    real_open = open

    def full(path: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if str(path).endswith("x.png") and "x" in mode:  # the writer adds the images to the site
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(ChartImages, "draw", drawn)
    monkeypatch.setattr(writer, "open", full, raising=False)
    assert build_command(_options(MINI, out)) == cli.EXIT_INVALID
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error" in line]
    assert len(errors) == 1
    assert re.fullmatch(r"explainer: error: .*x\.png: cannot write the site: No space left on device", errors[0])
    assert f"nothing built; {out} is unchanged" in err
    assert sorted(p.name for p in out.iterdir()) == [output.SITE_STAMP, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


_IMAGE_REFERENCE = re.compile(r"""(?:src|href|content)=["']?([^"' >]+\.(?:png|svg))""")
BASE_URL = "https://example.org/mini/"  # tests/fixtures/mini/site.yaml


def dangling_images(site: Path) -> list[str]:
    """Every image a page of `site` names (src, href, og:image content) that the site lacks."""
    missing = []
    for page in sorted(site.rglob("*.html")):
        for reference in _IMAGE_REFERENCE.findall(page.read_text(encoding="utf-8")):
            if reference.startswith(BASE_URL):
                target = site / reference.removeprefix(BASE_URL)
            elif reference.startswith("/mini/"):
                target = site / reference.removeprefix("/mini/")
            else:
                target = page.parent / reference
            if not target.resolve().is_file():
                missing.append(f"{page.relative_to(site)}: {reference}")
    return missing


def test_the_dangling_image_check_finds_a_dangling_image(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        f'<img src="../x.png"><meta property="og:image" content="{BASE_URL}y.png">', encoding="utf-8"
    )
    (tmp_path / "x.png").write_bytes(b"")
    assert dangling_images(tmp_path) == [f"a/index.html: {BASE_URL}y.png"]


@pytest.mark.slow
def test_images_that_cannot_be_drawn_leave_no_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Images planned (a browser seems to be there), then drawing fails: the build exits 0, and
    no page, embed, gallery download or og:image names an image; the output says so."""
    import explainer.charts.files as chart_output
    import explainer.charts.images as images_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the browser closed at once")

    monkeypatch.setattr(images_module, "images_available", lambda: None)
    monkeypatch.setattr(chart_output, "images_available", lambda: None)
    monkeypatch.setattr(chart_output, "make_images", broken)
    out = tmp_path / "site"
    assert build_command(_options(MINI, out, tmp_path / "kept")) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "static chart images could not be drawn; building again without them" in err
    assert not list((out / "assets" / "charts").glob("*.png"))
    assert dangling_images(out) == []
    assert "og:image" not in (out / "timeline" / "index.html").read_text(encoding="utf-8")
    gallery = (out / "charts" / "index.html").read_text(encoding="utf-8")
    assert "download>PNG" not in gallery
    assert "<table" in gallery  # the data table instead of the image, for readers without scripts
    assert (tmp_path / "kept" / output.BUILD_STAMP).is_file()
    assert "charts.png" not in (tmp_path / "kept" / "docs" / "charts" / "index.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_browser_path_pointing_nowhere_skips_images_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-browser"))
    out = tmp_path / "site"
    assert build_command(_options(MINI, out)) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert f"BROWSER_PATH={tmp_path / 'no-browser'} is not a file" in err
    assert "no page links an image" in err
    assert dangling_images(out) == []
    assert "og:image" not in (out / "timeline" / "index.html").read_text(encoding="utf-8")
