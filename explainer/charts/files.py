"""Write a chart set's files into the MkDocs docs folder: the only place charts touch the disk.

    assets/explainer/charts.js, charts.css       the loader and styles (every page links them)
    assets/charts/<id>.json, <id>.csv            figure specs and their data
    assets/charts/<id>.js                        the figure as charts.js loads it (a script)
    assets/charts/<id>.preview.svg, .preview-dark.svg   what a page paints before plotly.js
    assets/charts/<id>.png, .svg, .dark.png, .dark.svg  images to publish (`images`)
    assets/charts/<id>.card.png                  the site-wide charts' social card (og:image)
    assets/vendor/plotly/<bundle>                one copy of plotly.js for the whole site
    embed/<id>/index.html, oembed.json           each chart alone, for iframes; its oEmbed answer
    embed/<id>/v/<version>/                      this build's version of it, kept by later builds
                                                 (index.html, figure.js, its previews)
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
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from explainer.charts import images, render
from explainer.charts.chart import Chart
from explainer.charts.chartset import ChartSet
from explainer.charts.images import Drawing, images_available, make_images
from explainer.checking.models import Site
from explainer.core import resources, urls
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
        version = render.embed_url(chart_id, chart_set.version(chart_id))
        jobs.append(FileJob(version + "index.html", partial(chart_set.embed_page, chart_id, site, version=True)))
        jobs.append(FileJob(version + render.VERSION_FIGURE, partial(render.figure_script, chart)))
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
    version = render.embed_url(chart_id, chart_set.version(chart_id))
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
                (version + render.VERSION_PREVIEWS[0], "preview"),
                (version + render.VERSION_PREVIEWS[1], "preview-dark"),
            ),
            name=f"{chart_id}-preview",
        )
    ]
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


VERSIONS = "v"


def carry_versions(previous_site: Path, new_site: Path) -> list[str]:
    """Copy the frozen versions of the embeds (`embed/<chart>/v/<version>/`) that a previous
    site has and the new one lacks into the new one, so an article that pinned a version
    keeps it after later builds; returns the versions copied ("timeline/v/3fa9c01b2e").

    Call it when publishing, after the new site is made and before it replaces the old one:
    `previous_site` is the `--out` folder (a site of this tool, or missing or empty: nothing
    to copy). Only regular files inside `embed/*/v/*/` are copied, never links; a version the
    new build made itself is left as it is. Versions are kept as long as the site is
    published from the same `--out` (or its copy), whatever changed since."""
    embed = previous_site / urls.EMBED_DIR
    copied: list[str] = []
    if not embed.is_dir() or embed.is_symlink():
        return copied
    for chart_dir in sorted(embed.iterdir()):
        versions = chart_dir / VERSIONS
        if chart_dir.is_symlink() or not versions.is_dir() or versions.is_symlink():
            continue
        for version_dir in sorted(versions.iterdir()):
            if version_dir.is_symlink() or not version_dir.is_dir():
                continue
            target = new_site / urls.EMBED_DIR / chart_dir.name / VERSIONS / version_dir.name
            if target.exists():
                continue
            for path in sorted(version_dir.rglob("*")):
                if path.is_symlink() or not path.is_file():
                    continue
                destination = target / path.relative_to(version_dir)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
            copied.append(f"{chart_dir.name}/{VERSIONS}/{version_dir.name}")
    return copied


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
