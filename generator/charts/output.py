"""Write a chart set into the MkDocs docs folder: the only place charts touch the disk.

    assets/explainer/charts.js, charts.css       the loader and styles (every page links them)
    assets/charts/<id>.json, <id>.csv            figure specs and their data
    assets/charts/<id>.png, <id>.svg             static images of the site-wide charts
    assets/vendor/plotly/<bundle>                one copy of plotly.js for the whole site
    embed/<id>/index.html                        each chart alone, for iframes
    charts/index.md                              the gallery

A file is rewritten only when its content changes (a live preview reloads only what
changed), and files in these folders that no chart needs any more are removed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.charts import render
from generator.charts.images import images_available, make_images
from generator.models import Site
from generator.output import write_if_changed

if TYPE_CHECKING:
    from generator.charts.chartset import ChartSet

STATIC = Path(__file__).resolve().parent.parent / "static" / "charts"


def write_charts(chart_set: ChartSet, docs_dir: Path, site: Site | None, *, images: bool | None = None) -> None:
    from generator.charts.chartset import IMAGE_FORMATS, table_csv

    for notice in chart_set.assets.notices:
        print(notice, file=sys.stderr)
    written: set[Path] = set()

    def put(relative: str, data: bytes | str) -> None:
        path = docs_dir / relative
        written.add(path)
        write_if_changed(path, data.encode("utf-8") if isinstance(data, str) else data)

    for name in ("charts.js", "charts.css"):
        put(f"assets/explainer/{name}", (STATIC / name).read_bytes())
    paths = chart_set.paths
    put(paths.plotly, chart_set.assets.plotly.read_bytes())
    for chart_id in chart_set.ids:
        chart = chart_set.chart(chart_id)
        put(f"{render.SPEC_DIR}/{chart_id}.json", render.spec_json(chart))
        put(f"{render.SPEC_DIR}/{chart_id}.csv", table_csv(chart))
        put(f"embed/{chart_id}/index.html", chart_set.embed_page(chart_id, site))
    put("charts/index.md", chart_set.gallery(site))

    wanted_images = images if images is not None else True
    reason = images_available() if wanted_images else "turned off for this build"
    if reason is None:
        jobs = []
        for chart_id in chart_set.ids:
            if not chart_set.chart(chart_id).site_wide:
                continue
            for fmt in IMAGE_FORMATS:
                relative = chart_set.image_path(chart_id, fmt)
                if relative:
                    jobs.append(
                        (chart_set.chart(chart_id).figure, docs_dir / relative, fmt, chart_set.chart(chart_id).height)
                    )
                    written.add(docs_dir / relative)
        try:
            make_images(jobs, plotly_js=chart_set.assets.plotly)
        except Exception as exc:  # a browser that fails must not fail the build
            print(
                f"warning: static chart images (PNG, SVG) could not be made ({type(exc).__name__}: {exc}); "
                "pages show the summary and table to readers without JavaScript",
                file=sys.stderr,
            )
    else:
        print(f"notice: static chart images (PNG, SVG) skipped: {reason}", file=sys.stderr)
    _remove_stale(docs_dir, written)


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
