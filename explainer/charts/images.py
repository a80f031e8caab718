"""Static PNG and SVG of the site-wide charts, made at build time with kaleido on Chromium.

Made only when kaleido is installed and a Chromium is found (Debian's `/usr/bin/chromium`,
or `$BROWSER_PATH`); otherwise the build goes on without them and says so. All images are
made in one batch with one browser kept open, using the site's own plotly.js
(kaleido's default would fetch MathJax from a CDN). Images are cached by the
hash of their figure, so a rebuild with unchanged data does not start a browser at all.
`EXPLAINER_IMAGES=0` turns them off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from explainer.checking.parse_cache import default_cache_dir
from explainer.rendering.files import write_if_changed

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
IMAGE_WIDTH = 900
CACHE_VERSION = b"charts-images-2"


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


def image_key(figure: dict[str, Any], fmt: str, plotly_js: Path) -> str:
    digest = hashlib.blake2b(CACHE_VERSION, digest_size=16)
    digest.update(json.dumps(figure, sort_keys=True).encode())
    digest.update(fmt.encode())
    digest.update(str(plotly_js.stat().st_size).encode())
    return digest.hexdigest()


def make_images(
    jobs: Sequence[tuple[dict[str, Any], Path, str, int]],
    *,
    plotly_js: Path,
) -> None:
    """Write each (figure, path, format, height): from the cache when it has the image,
    else all missing images in one kaleido batch."""
    cache = default_cache_dir() / "chart-images"
    missing = []
    for figure, path, fmt, height in jobs:
        cached = cache / f"{image_key(figure, fmt, plotly_js)}.{fmt}"
        if cached.is_file():
            write_if_changed(path, cached.read_bytes())
        else:
            missing.append((figure, path, fmt, height, cached))
    if not missing:
        return
    import kaleido  # type: ignore[import-untyped]

    chromium = find_chromium()
    if chromium and not os.environ.get("BROWSER_PATH"):
        os.environ["BROWSER_PATH"] = chromium
    with tempfile.TemporaryDirectory(prefix="explainer-images-") as scratch:
        specs = []
        for i, (figure, _, fmt, height, _) in enumerate(missing):
            spec: dict[str, Any] = {
                "fig": figure,
                "path": str(Path(scratch) / f"{i}.{fmt}"),
                "opts": {"format": fmt, "width": IMAGE_WIDTH, "height": height, "scale": 1 if fmt == "svg" else 2},
            }
            specs.append(spec)
        kaleido.write_fig_from_object_sync(
            specs, kopts={"plotlyjs": str(plotly_js), "mathjax": False}, cancel_on_error=True
        )
        cache.mkdir(parents=True, exist_ok=True)
        for i, (_, path, fmt, _, cached) in enumerate(missing):
            data = (Path(scratch) / f"{i}.{fmt}").read_bytes()
            if fmt == "svg":
                data = fixed_svg_ids(data, path.stem)
            write_if_changed(cached, data)
            write_if_changed(path, data)


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
