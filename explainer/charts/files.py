"""Write a chart set into the MkDocs docs folder: the only place charts touch the disk.

    assets/explainer/charts.js, charts.css       the loader and styles (every page links them)
    assets/charts/<id>.json, <id>.csv            figure specs and their data
    assets/charts/<id>.png, <id>.svg             static images of the site-wide charts
    assets/vendor/plotly/<bundle>                one copy of plotly.js for the whole site
    embed/<id>/index.html                        each chart alone, for iframes
    charts/index.md                              the gallery

`write_charts` rewrites a file only when its content changes and removes the files of these
folders that no chart needs any more. The build, which writes into a fresh folder, takes the
same files as jobs (`chart_file_jobs`, written on every core with the pages) and the images
as a `ChartImages` to draw while the site engine runs.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explainer.charts import render
from explainer.charts.images import images_available, make_images
from explainer.checking.models import Site
from explainer.core import resources
from explainer.rendering.files import write_if_changed
from explainer.rendering.writer import FileJob

if TYPE_CHECKING:
    from explainer.charts.chartset import ChartSet

STATIC = resources.CHART_STATIC


def write_charts(chart_set: ChartSet, docs_dir: Path, site: Site | None, *, images: bool | None = None) -> None:
    """Write every chart file into `docs_dir`, rewriting only what changed and removing what
    no chart needs any more (a live preview's folder lives on between rebuilds)."""
    written: set[Path] = set()
    for job in chart_file_jobs(chart_set, site):
        path = docs_dir / job.path
        written.add(path)
        data = job.content()
        write_if_changed(path, data.encode("utf-8") if isinstance(data, str) else data)
    written.update(write_chart_images(chart_set, docs_dir, images=images))
    _remove_stale(docs_dir, written)


def chart_file_jobs(chart_set: ChartSet, site: Site | None) -> list[FileJob]:
    """Every chart file but the static images, as jobs for `explainer.rendering.writer`: the loader and
    its styles, plotly.js, each chart's spec, data and embed page, and the gallery."""
    from explainer.charts.chartset import table_csv

    for notice in chart_set.assets.notices:
        print(notice, file=sys.stderr)
    jobs = [FileJob(f"assets/explainer/{name}", (STATIC / name).read_bytes) for name in ("charts.js", "charts.css")]
    jobs.append(FileJob(chart_set.paths.plotly, chart_set.assets.plotly.read_bytes))
    for chart_id in chart_set.ids:
        chart = chart_set.chart(chart_id)
        jobs.append(FileJob(f"{render.SPEC_DIR}/{chart_id}.json", partial(render.spec_json, chart)))
        jobs.append(FileJob(f"{render.SPEC_DIR}/{chart_id}.csv", partial(table_csv, chart)))
        jobs.append(FileJob(f"embed/{chart_id}/index.html", partial(chart_set.embed_page, chart_id, site)))
    jobs.append(FileJob("charts/index.md", partial(chart_set.gallery, site)))
    return jobs


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
    from explainer.charts.chartset import IMAGE_FORMATS

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


def _remove_stale(docs_dir: Path, written: set[Path]) -> None:
    for folder in ("assets/charts", "assets/vendor/plotly", "embed"):
        root = docs_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and path not in written:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    if not any(p for p in written if p.parent == docs_dir / "charts"):
        shutil.rmtree(docs_dir / "charts", ignore_errors=True)
