"""Write a chart set's files into the MkDocs docs folder: the only place charts touch the disk.

    assets/explainer/charts.js, charts.css       the loader and styles (every page links them)
    assets/charts/<id>.json, <id>.csv            figure specs and their data
    assets/charts/<id>.png, <id>.svg             static images of the site-wide charts
    assets/vendor/plotly/<bundle>                one copy of plotly.js for the whole site
    embed/<id>/index.html                        each chart alone, for iframes
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
import posixpath
import shutil
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from explainer.charts import render
from explainer.charts.chart import Chart
from explainer.charts.chartset import IMAGE_FORMATS, ChartSet
from explainer.charts.images import images_available, make_images
from explainer.checking.models import Site
from explainer.core import resources, urls
from explainer.rendering.files import write_if_changed
from explainer.rendering.spreadsheet import safe_cell
from explainer.rendering.writer import FileJob

STATIC = resources.CHART_STATIC
SHIPPED = ("charts.js", "charts.css")


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
        jobs.append(FileJob(urls.embed_file(chart_id), partial(chart_set.embed_page, chart_id, site)))
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
    """The site-wide charts' static images to draw: (figure, path from the site root, format,
    height) each, drawn with the site's own plotly.js."""

    jobs: list[tuple[dict[str, Any], str, str, int]]
    plotly_js: Path | None = None

    def draw(self, root: Path) -> list[Path]:
        """Write the images under `root`, from the image cache or drawn by kaleido in Chromium;
        returns the paths of those made. A browser that fails does not fail the build: it says
        so (the build then makes the pages again without images: `explainer.commands.build`)."""
        targets = [(figure, root / relative, fmt, height) for figure, relative, fmt, height in self.jobs]
        if not targets or self.plotly_js is None:
            return []
        try:
            make_images(targets, plotly_js=self.plotly_js)
        except Exception as exc:
            print(
                f"warning: static chart images (PNG, SVG) could not be made ({type(exc).__name__}: {exc})",
                file=sys.stderr,
            )
        return [path for _, path, _, _ in targets if path.is_file()]


def chart_images(chart_set: ChartSet, *, images: bool | None = None) -> ChartImages:
    """What `write_chart_images` draws; nothing (with a notice) without kaleido or a browser."""
    wanted_images = images if images is not None else chart_set.images_wanted
    reason = images_available() if wanted_images else "turned off for this build"
    if reason is not None:
        print(
            f"notice: static chart images (PNG, SVG) skipped: {reason}; "
            "readers without JavaScript see each chart's data table, and no page links an image",
            file=sys.stderr,
        )
        return ChartImages([])
    jobs = []
    for chart_id in chart_set.ids:
        chart = chart_set.chart(chart_id)
        if not chart.site_wide:
            continue
        for fmt in IMAGE_FORMATS:
            relative = chart_set.image_path(chart_id, fmt)
            if relative:
                jobs.append((chart.figure, relative, fmt, chart.height))
    return ChartImages(jobs, chart_set.assets.plotly)


def write_chart_images(chart_set: ChartSet, docs_dir: Path, *, images: bool | None = None) -> list[Path]:
    """The site-wide charts' PNG and SVG images, written into `docs_dir` now."""
    return chart_images(chart_set, images=images).draw(docs_dir)


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
