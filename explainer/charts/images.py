"""Static images of every chart, made at build time with kaleido on Chromium.

Per chart (`image_set`), from its figure:

- the **preview** (`<id>.preview.svg`, `<id>.preview-dark.svg`): the figure as the page draws
  it, light, on a transparent background, at the width the chart is usually seen; embeds
  and chart pages paint it first and load plotly.js only when a reader reaches for the
  chart. The dark one is the light one with the theme's colours swapped (`dark_svg`): no
  second drawing.
- the **publishable** images (`<id>.png`, `<id>.svg`, `<id>.dark.png`, `<id>.dark.svg`):
  solid background, the title, the legend, the one-line credit with the licence at the
  bottom (a second legend anchored to the image's bottom edge, so plotly.js reserves its
  room: nothing is clipped), no interactive controls; PNG at 2x. The dark SVG is swapped too.
- for the site-wide charts, a **social card** (`<id>.card.png`, 1200x630) for og:image.

Four drawings a chart (preview, SVG, two PNGs), five for a site-wide chart. All are made in
one batch, in one browser with two tabs, with the site's own plotly.js (kaleido's default
would fetch MathJax from a CDN), and cached by content in the user's cache, so a rebuild
draws only the charts whose figure, title or credit changed. Made only when kaleido is
installed and a Chromium is found (Debian's `/usr/bin/chromium`, or `$BROWSER_PATH`);
`EXPLAINER_IMAGES=0` turns them off.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.charts.chart import Chart
from explainer.checking.models import Site
from explainer.checking.parse_cache import default_cache_dir
from explainer.rendering.files import write_if_changed

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
IMAGE_WIDTH = 1000
"""The publishable images' width (CSS px; the PNG has twice as many pixels)."""
PREVIEW_WIDTH = 720
"""The preview's width: text stays readable scaled down to a 320 px phone, and up to 1280 px."""
CARD = (1200, 630)
TITLE_BAND = 56
"""Room above the chart for the title in the publishable images (px)."""
CACHE_VERSION = b"charts-images-4"
TABS = 2


@dataclass(frozen=True)
class Theme:
    text: str
    muted: str
    grid: str
    land: str
    ocean: str
    lines: str
    hover: str
    background: str


# The same colours as explainer/static/charts/charts.js (THEMES) and the embed page's CSS.
THEMES = {
    "light": Theme("#1f2328", "#57606a", "#e1e4e8", "#eceff1", "#f7f9fb", "#b0bec5", "#ffffff", "#ffffff"),
    "dark": Theme("#e2e4e9", "#aeb4bf", "#3b4252", "#2e3440", "#1f232b", "#5e6b7d", "#2e3440", "#1e2129"),
}
TRANSPARENT = "rgba(0,0,0,0)"


def find_chromium() -> str | None:
    """$BROWSER_PATH when set (None if it names no file: kaleido would use it and fail), else
    Debian's chromium."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for candidate in (*CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def publishable_for(site: Site | None, chart: Chart) -> bool:
    """Whether a chart gets images to publish (PNG and SVG, light and dark): every chart by
    default, only the site-wide ones with `images: site-wide` in site.yaml. Previews (what a
    page and an embed paint first) are made for every chart either way."""
    return chart.site_wide or site is None or site.images == "all"


def images_available() -> str | None:
    """None when static images can be made, else why not (for the notice)."""
    if os.environ.get("EXPLAINER_IMAGES", "1") == "0":
        return "EXPLAINER_IMAGES=0"
    if importlib.util.find_spec("kaleido") is None:  # not imported here: 0.2 s, paid only to draw
        return "kaleido is not installed (pip install 'explainer[images]')"
    if find_chromium() is None:
        if os.environ.get("BROWSER_PATH"):
            return f"BROWSER_PATH={os.environ['BROWSER_PATH']} is not a file"
        return "Chromium was not found (install Debian's chromium, or set BROWSER_PATH)"
    return None


# --- figures ----------------------------------------------------------------------------------


def themed(figure: dict[str, Any], theme: Theme, *, background: str = TRANSPARENT) -> dict[str, Any]:
    """A copy of the figure in the theme's colours (what charts.js does in the browser)."""
    fig = copy.deepcopy(figure)
    layout = fig.setdefault("layout", {})
    layout.setdefault("font", {})["color"] = theme.text
    layout.setdefault("hoverlabel", {}).update({"bgcolor": theme.hover, "font": {"color": theme.text}})
    layout["paper_bgcolor"] = background
    for key, value in layout.items():
        if re.fullmatch(r"[xy]axis\d*", key) and isinstance(value, dict):
            value["gridcolor"] = theme.grid
            value["linecolor"] = theme.grid
    for slider in layout.get("sliders", []):
        slider.update({"bordercolor": theme.grid, "tickcolor": theme.text})
        slider.setdefault("font", {})["color"] = theme.text
    for trace in fig.get("data", []):
        if trace.get("meta") == "basemap":
            trace["fillcolor"] = theme.land
            trace.setdefault("line", {})["color"] = theme.lines
            layout["plot_bgcolor"] = theme.ocean
    return fig


def publishable(
    figure: dict[str, Any], *, title: str, credit: str, theme: Theme, width: int, height: int
) -> tuple[dict[str, Any], int]:
    """The figure as an image to publish, and its height: solid background, the title above,
    the credit line below (its own legend, anchored to the bottom edge: plotly.js makes room
    for it), the legend kept, no buttons or sliders, margins wide enough for every label."""
    fig = themed(figure, theme, background=theme.background)
    layout = fig["layout"]
    layout.pop("updatemenus", None)
    layout.pop("sliders", None)
    layout["autosize"] = False
    layout["width"] = width
    image_height = height + TITLE_BAND
    layout["height"] = image_height
    margin = dict(layout.get("margin") or {})
    margin["t"] = int(margin.get("t", 10)) + TITLE_BAND - 10
    margin["l"] = max(int(margin.get("l", 10)), 16)
    margin["r"] = max(int(margin.get("r", 10)), 16, _overhang(layout))
    margin["b"] = max(int(margin.get("b", 10)), 10)
    layout["margin"] = margin
    layout["title"] = {
        "text": f"<b>{_escape(title)}</b>",
        "x": 0,
        "xref": "container",
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"l": 16, "t": 16},
        "font": {"size": 20, "color": theme.text},
    }
    layout["legend2"] = {
        "orientation": "h",
        "x": 0,
        "xref": "container",
        "y": 0,
        "yref": "container",
        "yanchor": "bottom",
        "itemwidth": 30,
        "bgcolor": TRANSPARENT,
        "font": {"size": 12, "color": theme.muted},
        "itemclick": False,
        "itemdoubleclick": False,
    }
    layout["showlegend"] = True
    data = fig.setdefault("data", [])
    if not any(trace.get("showlegend") is not False for trace in data if trace.get("legend", "legend") == "legend"):
        layout.setdefault("legend", {})["visible"] = False
    data.append(
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"color": TRANSPARENT, "size": 1},
            "name": _escape(credit),
            "legend": "legend2",
            "hoverinfo": "skip",
            "showlegend": True,
        }
    )
    return fig, image_height


def _overhang(layout: dict[str, Any]) -> int:
    """Room a top x axis with slanted labels needs on the right: the last label runs past
    the plot area by about its length times cos(angle) (7 px a character at 13 px)."""
    axis = layout.get("xaxis") or {}
    labels = axis.get("categoryarray") or []
    angle = axis.get("tickangle")
    if not labels or not isinstance(angle, int | float) or angle == 0:
        return 0
    import math

    return int(len(str(labels[-1])) * 7 * abs(math.cos(math.radians(angle)))) + 16


def _escape(text: str) -> str:
    """Text plotly.js shows as it is (it reads a few HTML-like tags in labels)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_RGB = re.compile(r"rgb\((\d+), ?(\d+), ?(\d+)\)")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


_SWAP = {
    _rgb(getattr(THEMES["light"], name)): _rgb(getattr(THEMES["dark"], name))
    for name in ("text", "muted", "grid", "land", "ocean", "lines", "background")
}


def dark_svg(svg: bytes) -> bytes:
    """The light SVG in the dark theme's colours: each theme colour swapped (rgb(…) as plotly.js
    writes them, and the hex forms), the data's colours kept."""
    text = svg.decode("utf-8")

    def swap(match: re.Match[str]) -> str:
        colour = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
        new = _SWAP.get(colour)
        return f"rgb({new[0]}, {new[1]}, {new[2]})" if new else match.group(0)

    text = _RGB.sub(swap, text)
    for light, dark in _SWAP.items():
        text = text.replace("#{:02x}{:02x}{:02x}".format(*light), "#{:02x}{:02x}{:02x}".format(*dark))
    return text.encode("utf-8")


def preview_svg(svg: bytes) -> bytes:
    """An SVG that scales to its box: a viewBox on the root element when plotly.js wrote only
    a width and a height."""
    root = re.search(rb"<svg\b[^>]*>", svg)
    if root is None or b"viewBox=" in root.group(0):
        return svg
    size = re.search(rb'\swidth="(\d+(?:\.\d+)?)"[^>]*?\sheight="(\d+(?:\.\d+)?)"', root.group(0))
    if size is None:
        return svg
    box = b' viewBox="0 0 ' + size.group(1) + b" " + size.group(2) + b'"'
    return svg[: root.start()] + root.group(0)[:-1] + box + b">" + svg[root.end() :]


# --- drawing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawing:
    """One kaleido drawing and every file made from it: `outputs` are (path, transform)
    with transform "" (as drawn), "dark" (`dark_svg`) or "preview" (`preview_svg`) or
    "preview-dark" (both)."""

    figure: dict[str, Any]
    fmt: str
    width: int
    height: int
    scale: int
    outputs: tuple[tuple[Path | str, str], ...]
    name: str = field(default="chart")
    """Names the SVG's ids (`fixed_svg_ids`), so a drawing is byte-identical every build."""


def _as_drawn(data: bytes) -> bytes:
    return data


def _preview_dark(data: bytes) -> bytes:
    return preview_svg(dark_svg(data))


TRANSFORMS: dict[str, Callable[[bytes], bytes]] = {
    "": _as_drawn,
    "dark": dark_svg,
    "preview": preview_svg,
    "preview-dark": _preview_dark,
}


def drawing_key(drawing: Drawing, plotly_js: Path) -> str:
    digest = hashlib.blake2b(CACHE_VERSION, digest_size=16)
    digest.update(json.dumps(drawing.figure, sort_keys=True).encode())
    digest.update(f"{drawing.fmt}:{drawing.width}:{drawing.height}:{drawing.scale}:{drawing.name}".encode())
    digest.update(str(plotly_js.stat().st_size).encode())
    return digest.hexdigest()


def make_images(drawings: Sequence[Drawing], *, plotly_js: Path) -> None:
    """Write every drawing's outputs: from the cache when it has the drawing, else all the
    missing ones in one kaleido batch (two tabs)."""
    cache = default_cache_dir() / "chart-images"
    missing = []
    for drawing in drawings:
        cached = cache / f"{drawing_key(drawing, plotly_js)}.{drawing.fmt}"
        if cached.is_file():
            _write_outputs(drawing, cached.read_bytes())
        else:
            missing.append((drawing, cached))
    if not missing:
        return
    chromium = find_chromium()
    if chromium and not os.environ.get("BROWSER_PATH"):
        os.environ["BROWSER_PATH"] = chromium
    with tempfile.TemporaryDirectory(prefix="explainer-images-") as scratch:
        specs = [
            {
                "fig": drawing.figure,
                "path": str(Path(scratch) / f"{i}.{drawing.fmt}"),
                "opts": {
                    "format": drawing.fmt,
                    "width": drawing.width,
                    "height": drawing.height,
                    "scale": drawing.scale,
                },
            }
            for i, (drawing, _) in enumerate(missing)
        ]
        kopts = {"plotlyjs": str(plotly_js.resolve()), "mathjax": False, "n": min(TABS, len(specs))}
        draw_batch(specs, kopts, Path(scratch))
        cache.mkdir(parents=True, exist_ok=True)
        for i, (drawing, cached) in enumerate(missing):
            data = (Path(scratch) / f"{i}.{drawing.fmt}").read_bytes()
            if drawing.fmt == "svg":
                data = fixed_svg_ids(data, drawing.name)
            write_if_changed(cached, data)
            _write_outputs(drawing, data)


BATCH_SECONDS = 120.0
"""A batch of drawings may take this long to start (the browser, plotly.js) ..."""
SECONDS_A_DRAWING = 3.0
"""... and this much longer for each drawing (0.3–0.6 s each on a busy 2-core machine)."""
ATTEMPTS = 2
# The batch runs in a child process of its own session: kaleido's browser has been seen to
# stall for good on a loaded machine, and a thread cannot be stopped. On a stall the child and
# its browser are killed and the batch is tried once more; a second stall, or an error, fails
# the drawing (the build goes on without static images and says so).
_CHILD = """
import json, sys
import kaleido
specs, kopts = json.load(open(sys.argv[1], encoding="utf-8")), json.load(open(sys.argv[2], encoding="utf-8"))
kaleido.write_fig_from_object_sync(specs, kopts=kopts, cancel_on_error=True)
"""


class DrawingFailed(RuntimeError):
    """kaleido stalled or failed on a batch of drawings."""


def draw_batch(specs: list[dict[str, Any]], kopts: dict[str, Any], scratch: Path) -> None:
    """Draw a kaleido batch in a child process, killed with its browser if it stalls."""
    import signal
    import subprocess
    import sys

    (scratch / "specs.json").write_text(json.dumps(specs), encoding="utf-8")
    (scratch / "kopts.json").write_text(json.dumps(kopts), encoding="utf-8")
    budget = BATCH_SECONDS + SECONDS_A_DRAWING * len(specs)
    command = [sys.executable, "-c", _CHILD, str(scratch / "specs.json"), str(scratch / "kopts.json")]
    why = ""
    for _ in range(ATTEMPTS):
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, errors = child.communicate(timeout=budget)
        except subprocess.TimeoutExpired:
            why = f"no answer from the browser in {budget:.0f} s"
            continue  # stalled: once more
        finally:
            if child.poll() is None:  # stalled, or this process stops: never leave the browser behind
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
        if child.returncode == 0:
            return
        lines = errors.decode("utf-8", "replace").strip().splitlines()
        raise DrawingFailed(f"chart images: {lines[-1] if lines else f'exit status {child.returncode}'}")
    raise DrawingFailed(f"chart images: {why}")


def _write_outputs(drawing: Drawing, data: bytes) -> None:
    for path, transform in drawing.outputs:
        write_if_changed(Path(path), TRANSFORMS[transform](data))


_SVG_UID = re.compile(rb'<defs id="defs-([0-9a-f]+)"')


def fixed_svg_ids(svg: bytes, name: str) -> bytes:
    """plotly.js names its SVG clip paths and defs with a random id; the same name every build
    keeps the SVG byte-identical."""
    match = _SVG_UID.search(svg)
    if match is None:
        return svg
    uid = match.group(1)
    fixed = hashlib.blake2b(name.encode(), digest_size=3).hexdigest().encode()
    for prefix in (b"defs-", b"topdefs-", b"clip", b"legend", b"#clip", b"#legend"):
        svg = svg.replace(prefix + uid, prefix + fixed)
    return svg
