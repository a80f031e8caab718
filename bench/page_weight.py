"""Page weight: bytes transferred (gzip) for a page with a chart, a page without, and embeds,
on first and repeat view and once a chart is pointed at, measured in headless Chromium.

    python bench/page_weight.py [--data data] [--site DIR] [--json bench/out/page_weight.json]

Builds the site (unless --site names a built one), serves it from 127.0.0.1 the way a static
host does (gzip for text, `Cache-Control: max-age=600` and `Last-Modified` like GitHub
Pages), and counts what Chromium reports as received over the network (the DevTools
`encodedDataLength` of every response: compressed bodies plus headers). The repeat view is a
second visit in the same browser context. It also compares the plotly.js bundles by size.

Goals (exit 1 when one is missed): a page without a chart loads no plotly.js; a chart page
under 600 KB on first view; an embed's first view, before any interaction, at most 120 KB
(issue 14). Charts paint a preview drawn at build time and load plotly.js only when a reader
points at them: the "interactive" column counts the bytes once the first chart is drawn.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve_gzip  # noqa: E402

CHROMIUM = os.environ.get("EXPLAINER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
KB = 1000
GOALS = {"chart page": 600 * KB, "embed": 120 * KB}


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` as a static host does (`bench/serve_gzip.py`: gzip for text, a 10-minute
    cache, Last-Modified revalidation, the site's 404 page) until `server.shutdown()`."""
    server = serve_gzip.make_server(folder)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return server, serve_gzip.origin_of(server)


def build(data: Path, out: Path) -> None:
    from explainer.checking.validate import validate_data
    from explainer.commands.build import Progress, build_site

    dataset, report = validate_data(data)
    if not report.ok:
        raise SystemExit(f"{data} is not valid: run `explainer validate --data {data}`")
    build_site(dataset, out, Progress(sys.stderr))


def visit(context: Any, url: str, chart: bool) -> dict[str, Any]:
    """Load a page and count the bytes of its view before any interaction (charts paint their
    build-time preview; plotly.js waits for the reader); for a page with a chart, then point at
    its first chart, wait until plotly.js has drawn it and count again ("interactive": both
    together)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    result = _counted(received, urls)
    if chart:
        box = page.locator(".explainer-chart").first
        box.scroll_into_view_if_needed()
        box.hover()
        page.wait_for_selector('.explainer-chart[data-state="drawn"]', state="attached", timeout=30000)
        page.wait_for_load_state("networkidle")
        result["interactive"] = _counted(received, urls)
    page.close()
    return result


def _counted(received: dict[str, float], urls: dict[str, str]) -> dict[str, Any]:
    files = {urls.get(rid, rid): int(size) for rid, size in received.items()}
    return {
        "bytes": sum(files.values()),
        "requests": len(files),
        "plotly": sum(size for name, size in files.items() if "plotly" in name.rsplit("/", 1)[-1]),
        "loads_plotly": any("plotly" in name.rsplit("/", 1)[-1] for name in files),
        "files": dict(sorted(files.items(), key=lambda kv: -kv[1])[:8]),
    }


def measure(origin: str, pages: dict[str, tuple[str, bool]]) -> dict[str, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, (path, chart) in pages.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            first = visit(context, f"{origin}/{path}", chart)
            repeat = visit(context, f"{origin}/{path}", chart)
            context.close()
            results[label] = {"path": path, "first": first, "repeat": repeat}
        browser.close()
    return results


def bundle_sizes() -> dict[str, dict[str, int]]:
    """plotly.js bundles, raw and gzip (level 6, as the server sends them)."""
    import plotly

    candidates = {
        "full (plotly.py's plotly.min.js)": Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
        "geo partial (scatter, scattergeo, choropleth)": ROOT / "node_modules/plotly.js-geo-dist-min/plotly-geo.min.js",
        "basic partial (scatter, bar, pie)": ROOT / "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js",
    }
    sizes = {}
    for name, path in candidates.items():
        if path.is_file():
            raw = path.read_bytes()
            sizes[name] = {"raw": len(raw), "gzip": len(gzip.compress(raw, 6))}
    return sizes


def pick_pages(site: Path) -> dict[str, tuple[str, bool]]:
    sources = sorted(p.parent.name for p in (site / "sources").glob("*/index.html"))
    pages = {
        "chart page (timeline)": ("timeline/", True),
        "chart page (map)": ("map/", True),
        "page without a chart (a source)": (f"sources/{sources[0]}/", False),
        "embed (timeline)": ("embed/timeline/", True),
        "embed (positions)": ("embed/positions/", True),
        "embed (map)": ("embed/map/", True),
    }
    return {label: (path, chart) for label, (path, chart) in pages.items() if (site / path / "index.html").is_file()}


def goals(results: dict[str, dict[str, Any]]) -> list[tuple[str, bool, str]]:
    checks = []
    for label, result in results.items():
        first = result["first"]
        if label.startswith("page without"):
            checks.append((f"{label}: loads no plotly.js", not first["loads_plotly"], ""))
        elif label.startswith("chart page"):
            checks.append(
                (f"{label}: < 600 KB first view", first["bytes"] < GOALS["chart page"], f"{first['bytes'] / KB:.0f} KB")
            )
        elif label.startswith("embed"):
            checks.append(
                (f"{label}: ≤ 120 KB first view", first["bytes"] <= GOALS["embed"], f"{first['bytes'] / KB:.0f} KB")
            )
    return checks


def report(
    results: dict[str, dict[str, Any]], bundles: dict[str, dict[str, int]], checks: list[tuple[str, bool, str]]
) -> str:
    lines = [
        "| page | first view | requests | of which plotly.js | once the chart is pointed at | repeat view | requests |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in results.items():
        f, s = r["first"], r["repeat"]
        interactive = f.get("interactive")
        drawn = f"{interactive['bytes'] / KB:.1f} KB" if interactive else "no chart"
        lines.append(
            f"| {label} `/{r['path']}` | {f['bytes'] / KB:.1f} KB | {f['requests']} | {f['plotly'] / KB:.1f} KB "
            f"| {drawn} | {s['bytes'] / KB:.1f} KB | {s['requests']} |"
        )
    lines += ["", "| plotly.js bundle | raw | gzip |", "|---|---:|---:|"]
    lines += [f"| {name} | {b['raw'] / KB:.0f} KB | {b['gzip'] / KB:.0f} KB |" for name, b in bundles.items()]
    lines += [""] + [f"- {'PASS' if ok else 'FAIL'} {name} {detail}".rstrip() for name, ok, detail in checks]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT / "data"), help="data folder to build (default: data/)")
    parser.add_argument("--site", help="an already built site folder (skips the build)")
    parser.add_argument(
        "--json", default=str(ROOT / "bench" / "out" / "page_weight.json"), help="where to write the numbers"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        print(f"page_weight: Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    temporary = None
    if args.site:
        site = Path(args.site)
    else:
        temporary = Path(tempfile.mkdtemp(prefix="explainer-weight-"))
        site = temporary / "site"
        build(Path(args.data), site)
    try:
        server, origin = serve(site)
        results = measure(origin, pick_pages(site))
        server.shutdown()
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    bundles = bundle_sizes()
    checks = goals(results)
    print(report(results, bundles, checks))
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"pages": results, "bundles": bundles, "goals": checks}, indent=2) + "\n")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
