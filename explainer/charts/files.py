"""Write a chart set's files into the MkDocs docs folder: the only place charts touch the disk.

    assets/explainer/charts.js, charts.css       the loader and styles (every page links them)
    assets/charts/<id>.json, <id>.csv            figure specs and their data
    assets/charts/<id>.js                        the figure as charts.js loads it (a script)
    assets/charts/<id>.preview.svg, .preview-dark.svg   what a page paints before plotly.js
    assets/charts/<id>.png, .svg, .dark.png, .dark.svg  images to publish (`images`; with
                                                 `images: site-wide`, of the site-wide charts only)
    assets/charts/<id>.card.png                  the site-wide charts' social card (og:image)
    assets/vendor/plotly/<bundle>                one copy of plotly.js for the whole site
    embed/<id>/index.html, oembed.json           each chart alone, for iframes; its oEmbed answer
    embed/<id>/v/<version>/                      this build's version of it, kept by later builds
                                                 (index.html, figure.js, its previews): carried
                                                 from the previous site or a versions folder
                                                 (`check_versions`, `carry_versions`)
    charts/index.md                              the gallery

(The folders are `explainer.core.urls`'s.) `write_charts(chart_set, docs_dir, site)` rewrites a
file only when its content changes and removes the files of these folders that no chart needs
any more. The build, which writes into a fresh folder, takes the
same files as jobs (`chart_file_jobs`, written on every core with the pages) and the images
as a `ChartImages` to draw while the site engine runs.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
import re
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from explainer.charts import images, render
from explainer.charts.chart import Chart
from explainer.charts.chartset import ChartSet
from explainer.charts.images import Drawing, images_available, make_images
from explainer.checking.models import Site
from explainer.core import resources, urls
from explainer.core.diagnostics import Diagnostic, Severity
from explainer.rendering.files import write_if_changed
from explainer.rendering.spreadsheet import safe_cell
from explainer.rendering.writer import FileJob

STATIC = resources.CHART_STATIC
SHIPPED = ("charts.js", "charts.css", "static.css")


def write_charts(chart_set: ChartSet, docs_dir: Path, site: Site | None = None, *, images: bool | None = None) -> None:
    """Write every chart file into `docs_dir`, rewriting only what changed and removing what
    no chart needs any more (a live preview's folder lives on between rebuilds). `images`
    False: no static images, and no page, embed or gallery names one."""
    if images is not None:
        chart_set.images_wanted = images
    site = site or chart_set.site
    docs_dir = Path(docs_dir)
    written: set[Path] = set()
    for job in chart_file_jobs(chart_set, site):
        path = docs_dir / job.path
        written.add(path)
        data = job.content()
        write_if_changed(path, data.encode("utf-8") if isinstance(data, str) else data)
    written.update(write_chart_images(chart_set, docs_dir))
    _remove_stale(docs_dir, written, (urls.CHART_ASSETS, posixpath.dirname(chart_set.paths.plotly), urls.EMBED_DIR))


def chart_file_jobs(chart_set: ChartSet, site: Site | None) -> list[FileJob]:
    """Every chart file but the static images, as jobs for `explainer.rendering.writer`: the loader and
    its styles, plotly.js, each chart's spec, data and embed page, and the gallery."""
    for notice in chart_set.assets.notices:
        print(notice, file=sys.stderr)
    jobs = [FileJob(urls.theme_file(name), (STATIC / name).read_bytes) for name in SHIPPED]
    jobs.append(FileJob(chart_set.paths.plotly, chart_set.assets.plotly.read_bytes))
    for chart_id in chart_set.ids:
        chart = chart_set.chart(chart_id)
        jobs.append(FileJob(urls.chart_file(chart_id, "json"), partial(render.spec_json, chart)))
        jobs.append(FileJob(urls.chart_file(chart_id, "csv"), partial(table_csv, chart)))
        jobs.append(FileJob(urls.chart_file(chart_id, "js"), partial(render.figure_script, chart)))
        jobs.append(FileJob(urls.embed_file(chart_id), partial(chart_set.embed_page, chart_id, site)))
        jobs.append(FileJob(render.oembed_url(chart_id), partial(chart_set.oembed, chart_id)))
        version = chart_set.version(chart_id)
        page = urls.embed_version_file(chart_id, version, urls.VERSION_PAGE)
        jobs.append(FileJob(page, partial(chart_set.embed_page, chart_id, site, version=True)))
        jobs.append(
            FileJob(
                urls.embed_version_file(chart_id, version, urls.VERSION_FIGURE), partial(render.figure_script, chart)
            )
        )
    jobs.append(FileJob(urls.CHARTS, partial(chart_set.gallery, site)))
    return jobs


def table_csv(chart: Chart) -> str:
    """A chart's data table as its CSV download; a cell a spreadsheet would run as a formula
    starts with `'` (`explainer.rendering.spreadsheet`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(cell) for cell in chart.table.headers])
    writer.writerows([safe_cell(cell) for cell in row] for row in chart.table.rows)
    return buffer.getvalue()


@dataclass
class ChartImages:
    """The charts' static images to draw (`images.Drawing`, paths from the site root), drawn
    with the site's own plotly.js."""

    jobs: list[Drawing]
    plotly_js: Path | None = None

    def draw(self, root: Path) -> list[Path]:
        """Write the images under `root`, from the image cache or drawn by kaleido in Chromium;
        returns the first file of each drawing made. A browser that fails does not fail the
        build: it says so (the build then makes the pages again without images:
        `explainer.commands.build`)."""
        targets = [
            replace(job, outputs=tuple((root / path, transform) for path, transform in job.outputs))
            for job in self.jobs
        ]
        if not targets or self.plotly_js is None:
            return []
        try:
            make_images(targets, plotly_js=self.plotly_js)
        except Exception as exc:
            print(
                f"warning: static chart images (PNG, SVG) could not be made ({type(exc).__name__}: {exc})",
                file=sys.stderr,
            )
        return [Path(job.outputs[0][0]) for job in targets if all(Path(path).is_file() for path, _ in job.outputs)]


def chart_images(chart_set: ChartSet, *, images: bool | None = None) -> ChartImages:
    """What `write_chart_images` draws; nothing (with a notice) without kaleido or a browser."""
    wanted_images = images if images is not None else chart_set.images_wanted
    reason = images_available() if wanted_images else "turned off for this build"
    if reason is not None:
        print(
            f"notice: static chart images (PNG, SVG) skipped: {reason}; "
            "charts show their data table until plotly.js draws them, and no page links an image",
            file=sys.stderr,
        )
        return ChartImages([])
    return ChartImages(
        [job for chart_id in chart_set.ids for job in chart_drawings(chart_set, chart_id)], chart_set.assets.plotly
    )


def chart_drawings(chart_set: ChartSet, chart_id: str) -> list[Drawing]:
    """The drawings of one chart (`images`): its preview (light, and dark by swapping colours;
    also into its version's folder), its publishable SVG (light and dark) and PNGs at 2x, and
    for a site-wide chart the 1200x630 social card."""
    chart = chart_set.chart(chart_id)
    version = chart_set.version(chart_id)
    light = images.THEMES["light"]
    width, height = render.preview_size(chart)
    preview = images.themed(chart.figure, light)
    preview["layout"].update(autosize=False, width=width, height=height)
    drawings = [
        Drawing(
            preview,
            "svg",
            width,
            height,
            1,
            (
                (urls.chart_file(chart_id, "preview.svg"), "preview"),
                (urls.chart_file(chart_id, "preview-dark.svg"), "preview-dark"),
                (urls.embed_version_file(chart_id, version, urls.VERSION_PREVIEWS[0]), "preview"),
                (urls.embed_version_file(chart_id, version, urls.VERSION_PREVIEWS[1]), "preview-dark"),
            ),
            name=f"{chart_id}-preview",
        )
    ]
    if not images.publishable_for(chart_set.site, chart) and chart_set.image_path(chart_id, "png") is None:
        return drawings  # `images: site-wide` and a per-record chart: its previews only
    title, credit = chart.title, chart_set.credit_line(chart_id)
    image_width = max(images.IMAGE_WIDTH, chart.min_width + 60)
    for theme_name in ("light", "dark"):
        figure, image_height = images.publishable(
            chart.figure,
            title=title,
            credit=credit,
            theme=images.THEMES[theme_name],
            width=image_width,
            height=chart.height,
        )
        suffix = "" if theme_name == "light" else "dark."
        drawings.append(
            Drawing(
                figure,
                "png",
                image_width,
                image_height,
                2,
                ((urls.chart_file(chart_id, suffix + "png"), ""),),
                name=chart_id,
            )
        )
        if theme_name == "light":
            drawings.append(
                Drawing(
                    figure,
                    "svg",
                    image_width,
                    image_height,
                    1,
                    ((urls.chart_file(chart_id, "svg"), ""), (urls.chart_file(chart_id, "dark.svg"), "dark")),
                    name=chart_id,
                )
            )
    if chart.site_wide:
        card_width, card_height = images.CARD
        figure, _ = images.publishable(
            chart.figure,
            title=title,
            credit=chart_set.credit_line(chart_id, limit=190),
            theme=light,
            width=card_width,
            height=card_height - images.TITLE_BAND,
        )
        drawings.append(
            Drawing(
                figure,
                "png",
                card_width,
                card_height,
                1,
                ((urls.chart_file(chart_id, "card.png"), ""),),
                name=f"{chart_id}-card",
            )
        )
    return drawings


def write_chart_images(chart_set: ChartSet, docs_dir: Path, *, images: bool | None = None) -> list[Path]:
    """Every chart's static images, written into `docs_dir` now."""
    return chart_images(chart_set, images=images).draw(docs_dir)


# --- frozen versions: carried from an earlier site or a versions folder --------------------------

VERSION_FILE_LIMIT = 64 * 1024 * 1024
"""The largest file a version folder may hold (a map's figure at 10,000 events is about 3 MiB)."""
_CHART_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CHART_ID_LENGTH = 120
STORE_README = "README.md"
"""A versions folder may say what it is in a README.md at its top (the workflow's branch does)."""


def check_versions(store: Path, shown: str) -> list[Diagnostic]:
    """Every problem of a versions folder (`explainer build --versions DIR`), read as untrusted
    input before the build does any work: it may hold only `embed/<chart>/v/<version>/` folders
    of regular files named as a version's files are (`urls.VERSION_FILES`, each at most
    `VERSION_FILE_LIMIT`), each with its page, plus hidden entries (`.git`) and a README.md
    at the top, which are not read. Nothing is opened: links, pipes and devices are named, never
    followed. `shown` is the folder as the user wrote it; each problem is located at the path
    it concerns (line 0: the whole file or folder)."""
    problems: list[Diagnostic] = []

    def problem(path: Path, code: str, message: str) -> None:
        where = posixpath.join(shown, path.relative_to(store).as_posix()) if path != store else shown
        problems.append(Diagnostic(where, 0, 0, Severity.ERROR, code, message))

    def entries(folder: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as found:
                return sorted(found, key=lambda entry: entry.name)
        except OSError as exc:
            problem(folder, "versions-unreadable", f"cannot read this folder ({exc.strerror or exc}); make it readable")
            return []

    def folders(folder: Path) -> Iterator[os.DirEntry[str]]:
        """The plain folders in `folder` (never through a link); anything else is reported."""
        for entry in entries(folder):
            if entry.is_symlink():
                problem(Path(entry.path), "versions-link", _LINK)
            elif not entry.is_dir(follow_symlinks=False):
                problem(Path(entry.path), "versions-unknown", "a file where a folder belongs; " + _LAYOUT)
            else:
                yield entry

    embed: list[Path] = []
    for top in entries(store):
        if top.name.startswith(".") or (top.name == STORE_README and top.is_file(follow_symlinks=False)):
            continue
        if top.is_symlink():
            problem(Path(top.path), "versions-link", _LINK)
        elif top.name != urls.EMBED_DIR or not top.is_dir(follow_symlinks=False):
            problem(Path(top.path), "versions-unknown", f"'{top.name}' is not part of a versions folder; " + _LAYOUT)
        else:
            embed.append(Path(top.path))
    for chart in (chart for folder in embed for chart in folders(folder)):
        if not (_CHART_ID.fullmatch(chart.name) and len(chart.name) <= _CHART_ID_LENGTH):
            problem(Path(chart.path), "versions-unknown", f"'{chart.name}' is not a chart id; " + _LAYOUT)
            continue
        for versions in folders(Path(chart.path)):
            if versions.name != urls.VERSIONS_DIR:
                problem(Path(versions.path), "versions-unknown", f"'{versions.name}' is not 'v'; " + _LAYOUT)
                continue
            for version in folders(Path(versions.path)):
                if urls.is_version(version.name):
                    _check_version_files(Path(version.path), entries(Path(version.path)), problem)
                else:
                    message = f"'{version.name}' is not a version (10 hexadecimal digits, such as 3fa9c01b2e); "
                    problem(Path(version.path), "versions-unknown", message + _LAYOUT)
    return problems


_LAYOUT = "a versions folder holds embed/<chart>/v/<version>/ folders only (remove it)"
_LINK = "a symbolic link; a versions folder holds plain files and folders only (replace it by what it points to)"


def _check_version_files(
    folder: Path, found: list[os.DirEntry[str]], problem: Callable[[Path, str, str], None]
) -> None:
    for entry in found:
        path = Path(entry.path)
        if entry.name not in urls.VERSION_FILES:
            expected = ", ".join(urls.VERSION_FILES)
            problem(path, "versions-unknown", f"'{entry.name}' is not a file of a version ({expected}); remove it")
        elif entry.is_symlink():
            problem(path, "versions-link", _LINK)
        else:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                problem(path, "versions-unreadable", f"cannot read this file ({exc.strerror or exc}); make it readable")
                continue
            if not stat.S_ISREG(info.st_mode):
                problem(path, "versions-not-a-file", "not a plain file (a folder, pipe, device or socket); remove it")
            elif info.st_size > VERSION_FILE_LIMIT:
                problem(
                    path,
                    "versions-too-large",
                    f"the file is {info.st_size:,} bytes; a version's file may be at most {VERSION_FILE_LIMIT:,} bytes",
                )
    if not any(entry.name == urls.VERSION_PAGE for entry in found):
        problem(
            folder, "versions-incomplete", f"this version has no {urls.VERSION_PAGE}; restore it or remove the folder"
        )


def carry_versions(previous_site: Path, new_site: Path) -> list[str]:
    """Copy the frozen versions of the embeds (`embed/<chart>/v/<version>/`) that an earlier
    site, or a versions folder, has and the new site lacks into the new one, so an article that
    pinned a version keeps it after later builds; returns the versions copied
    ("timeline/v/3fa9c01b2e").

    Call it when publishing, after the new site is made and before it replaces the old one:
    `previous_site` is the `--out` folder (a site of this tool, or missing or empty: nothing
    to copy) or the `--versions` folder (checked first by `check_versions`). Only regular
    files with a version's file names inside `embed/*/v/<version>/` are copied, each opened
    without following a link; a version the new build made itself is left as it is. No
    version is ever removed: each outlives every later build."""
    embed = previous_site / urls.EMBED_DIR
    copied: list[str] = []
    if not embed.is_dir() or embed.is_symlink():
        return copied
    for chart_dir in sorted(embed.iterdir()):
        versions = chart_dir / urls.VERSIONS_DIR
        if chart_dir.is_symlink() or not versions.is_dir() or versions.is_symlink():
            continue
        for version_dir in sorted(versions.iterdir()):
            if version_dir.is_symlink() or not version_dir.is_dir() or not urls.is_version(version_dir.name):
                continue
            target = new_site / urls.embed_version_url(chart_dir.name, version_dir.name)
            if target.exists():
                continue
            kept = False
            for name in urls.VERSION_FILES:
                data = _read_plain(version_dir / name)
                if data is not None:
                    target.mkdir(parents=True, exist_ok=True)
                    (target / name).write_bytes(data)
                    kept = True
            if kept:
                copied.append(
                    urls.embed_version_url(chart_dir.name, version_dir.name)
                    .removeprefix(urls.EMBED_DIR + "/")
                    .rstrip("/")
                )
    return copied


def _read_plain(path: Path) -> bytes | None:
    """A regular file's bytes (at most `VERSION_FILE_LIMIT`), opened without following a link
    or blocking on a pipe; None for anything else."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > VERSION_FILE_LIMIT:
            return None
        return file.read(VERSION_FILE_LIMIT + 1)[:VERSION_FILE_LIMIT]


def versions_size(site: Path) -> tuple[int, int]:
    """How many versions a site (or versions folder) holds and their bytes on disk, for the report."""
    count = size = 0
    for version in (site / urls.EMBED_DIR).glob(f"*/{urls.VERSIONS_DIR}/*"):
        if version.is_dir() and not version.is_symlink():
            count += 1
            size += sum(path.stat().st_size for path in version.iterdir() if path.is_file() and not path.is_symlink())
    return count, size


def _remove_stale(docs_dir: Path, written: set[Path], folders: tuple[str, ...]) -> None:
    for folder in folders:
        root = docs_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and path not in written:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    gallery = (docs_dir / urls.CHARTS).parent
    if not any(p for p in written if p.parent == gallery):
        shutil.rmtree(gallery, ignore_errors=True)
