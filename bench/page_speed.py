"""Page speed: Lighthouse 12.2.3 (mobile, performance) on a built site served gzipped from 127.0.0.1.

    python bench/page_speed.py [--data data] [--site DIR] [--runs 3] [--urls PATH ...] [--all-embeds]
    python bench/page_speed.py --from-json bench/out/page_speed.json     # the tables of a saved run

Builds the site (unless --site names a built one), serves it with `bench/serve_gzip.py` the
way a static host does (gzip for text: Python's `http.server` sends it raw, which roughly halves
a chart page's score), and runs Lighthouse's performance category with its default mobile
settings (a mid-range phone on slow 4G, simulated) `--runs` times per URL, round-robin, in
Debian's Chromium. Prints a Markdown table of medians (scores vary by ±5 between runs on a
shared machine), writes every run to `bench/out/page_speed.json`, and exits 1 when a page
requested anything from a host other than 127.0.0.1 or Lighthouse failed (and, with
`--check`, when a goal of issue 14 is missed).

Default pages: the home page, an actor page with a chart, an event page, /timeline/, /map/,
/charts/, /questions/, a page without a chart (a source), and one embed per chart: every
site-wide chart's embed, and for the charts made per record (an actor's events, a question's
history) the embed with the largest figure. `--all-embeds` runs every embed (the Syria
site has 50: about 20 minutes); `--urls` runs only the paths given.

Needs Lighthouse installed once: `npm ci --prefix bench/lighthouse` (Node 18.20 or later).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from serve_gzip import serve  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "lighthouse"
RUNNER = LIGHTHOUSE / "run.mjs"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]  # fmt: skip
KB = 1000
# Issue 14's goals for every embed and every chart page.
GOAL_SCORE, GOAL_TBT_MS, GOAL_LCP_MS, GOAL_EMBED_BYTES = 95, 150, 2000, 120 * KB
CHART = re.compile(r"""class="(?:[^"]*\s)?explainer-chart(?:\s[^"]*)?\"""")
LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class Page:
    label: str
    path: str  # relative to the site root, "" for the home page
    kind: str  # "embed", "chart page" or "no chart"
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok_runs(self) -> list[dict[str, Any]]:
        return [run for run in self.runs if not run.get("runtimeError") and run.get("score") is not None]

    def median(self, key: str) -> float | None:
        values = [run[key] for run in self.ok_runs if run.get(key) is not None]
        return statistics.median(values) if values else None

    def foreign(self) -> list[str]:
        """Every URL any run requested from a host other than 127.0.0.1."""
        found = set()
        for run in self.runs:
            for request in run.get("requests", []):
                parts = urllib.parse.urlsplit(request["url"])
                if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
                    found.add(request["url"])
        return sorted(found)

    def plotly_bytes(self) -> float | None:
        sizes = [
            sum(r["transferSize"] for r in run["requests"] if "plotly" in r["url"].rsplit("/", 1)[-1])
            for run in self.ok_runs
        ]
        return statistics.median(sizes) if sizes else None


def kind_of(site: Path, path: str) -> str:
    if path.startswith("embed/"):
        return "embed"
    html = site / path / "index.html" if not path.endswith(".html") else site / path
    if html.is_file() and CHART.search(html.read_text(encoding="utf-8", errors="replace")):
        return "chart page"
    return "no chart"


def first_page(site: Path, folder: str, *, chart: bool | None = None) -> str | None:
    """The first record page under `folder` (sorted by id), with or without a chart if asked."""
    for index in sorted((site / folder).glob("*/index.html")):
        path = f"{folder}/{index.parent.name}/"
        if chart is None or (kind_of(site, path) == "chart page") == chart:
            return path
    return None


def embed_paths(site: Path, every: bool) -> list[str]:
    """One embed per chart: site-wide charts' embeds, and the largest of each per-record family
    (`actor-<id>-events`, `question-<id>-history`: named by their first word)."""
    names = sorted(index.parent.name for index in (site / "embed").glob("*/index.html"))
    if every:
        return [f"embed/{name}/" for name in names]
    families: dict[str, list[str]] = {}
    for name in names:
        families.setdefault(name.split("-", 1)[0], []).append(name)
    chosen = []
    for members in families.values():
        if len(members) == 1:
            chosen.append(members[0])
        else:
            chosen.append(max(members, key=lambda n: ((site / "embed" / n / "index.html").stat().st_size, n)))
    return [f"embed/{name}/" for name in sorted(chosen)]


def default_pages(site: Path, every_embed: bool) -> list[Page]:
    wanted: list[tuple[str, str | None]] = [
        ("home", ""),
        ("actor page", first_page(site, "actors", chart=True) or first_page(site, "actors")),
        ("event page", first_page(site, "events")),
        ("timeline", "timeline/"),
        ("map", "map/"),
        ("charts gallery", "charts/"),
        ("questions", "questions/"),
        ("page without a chart (a source)", first_page(site, "sources", chart=False)),
    ]
    wanted += [(f"embed {path.split('/')[1]}", path) for path in embed_paths(site, every_embed)]
    pages = []
    for label, path in wanted:
        if path is not None and (site / path / "index.html").is_file():
            pages.append(Page(label, path, kind_of(site, path)))
    return pages


def given_pages(site: Path, paths: list[str]) -> list[Page]:
    pages = []
    for raw in paths:
        for part in raw.split(","):
            path = part.strip().lstrip("/")
            if part.strip():
                pages.append(Page(f"/{path}", path, kind_of(site, path)))
    return pages


def build(data: Path, out: Path) -> None:
    command = [sys.executable, "-m", "explainer", "build", "--data", str(data), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"page_speed: `explainer build --data {data}` failed ({result.returncode})")


def run_lighthouse(origin: str, pages: list[Page], runs: int, report_dir: Path | None, timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="explainer-lighthouse-") as scratch:
        job = Path(scratch) / "job.json"
        urls = [f"{origin}/{page.path}" for page in pages]
        job.write_text(
            json.dumps(
                {
                    "urls": urls,
                    "runs": runs,
                    "chromePath": CHROMIUM,
                    "chromeFlags": CHROME_FLAGS,
                    "reportDir": str(report_dir) if report_dir else None,
                }
            )
        )
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        result = subprocess.run(
            ["node", str(RUNNER), str(job)],
            cwd=LIGHTHOUSE,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            timeout=timeout,
            check=False,
        )
    by_url = dict(zip(urls, pages, strict=True))
    for line in result.stdout.splitlines():
        if line.strip():
            run = json.loads(line)
            by_url[run["url"]].runs.append(run)


def seconds(ms: float | None) -> str:
    return "–" if ms is None else f"{ms / 1000:.2f} s"


def millis(ms: float | None) -> str:
    return "–" if ms is None else f"{ms:.0f} ms"


def kilobytes(size: float | None) -> str:
    return "–" if size is None else f"{size / KB:.0f} KB"


def score_text(page: Page) -> str:
    scores = sorted(round(run["score"]) for run in page.ok_runs)
    if not scores:
        return "failed"
    median = round(statistics.median(scores))
    spread = f" ({scores[0]}–{scores[-1]})" if scores[0] != scores[-1] else ""
    failed = len(page.runs) - len(page.ok_runs)
    return f"**{median}**{spread}" + (f", {failed} failed" if failed else "")


def best_tbt(page: Page) -> str:
    values = [run["tbt"] for run in page.ok_runs if run.get("tbt") is not None]
    return f"{min(values):.0f}" if values else "–"


def page_name(page: Page) -> str:
    return f"`/{page.path}`" if page.label == f"/{page.path}" else f"{page.label} `/{page.path}`"


def table(pages: list[Page]) -> str:
    lines = [
        "| page | kind | performance | TBT (best) | LCP | transfer | requests | other hosts |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        requests = page.median("requestCount")
        lines.append(
            f"| {page_name(page)} | {page.kind} | {score_text(page)} | {millis(page.median('tbt'))} ({best_tbt(page)}) "
            f"| {seconds(page.median('lcp'))} | {kilobytes(page.median('totalBytes'))} "
            f"| {'–' if requests is None else f'{requests:.0f}'} | {len(page.foreign())} |"
        )
    return "\n".join(lines)


def embed_table(pages: list[Page]) -> str:
    embeds = [page for page in pages if page.kind == "embed"]
    if not embeds:
        return ""
    lines = [
        "| embed | first view, before any interaction | of which plotly.js | goal ≤ 120 KB |",
        "|---|---:|---:|---|",
    ]
    for page in embeds:
        total = page.median("totalBytes")
        met = total is not None and total <= GOAL_EMBED_BYTES
        lines.append(
            f"| `/{page.path}` | {kilobytes(total)} | {kilobytes(page.plotly_bytes())} | {'met' if met else 'missed'} |"
        )
    return "\n".join(lines)


def goals(pages: list[Page]) -> list[tuple[str, bool]]:
    """Issue 14's goals, one line per embed or chart page: the figures that miss are named."""
    checks = []
    for page in pages:
        if page.kind == "no chart":
            continue
        score, tbt, lcp, total = (page.median(key) for key in ("score", "tbt", "lcp", "totalBytes"))
        missed = []
        if score is None or score < GOAL_SCORE:
            missed.append(f"performance {score_text(page)} < {GOAL_SCORE}")
        if tbt is None or tbt > GOAL_TBT_MS:
            missed.append(f"TBT {millis(tbt)} > {GOAL_TBT_MS} ms")
        if lcp is None or lcp > GOAL_LCP_MS:
            missed.append(f"LCP {seconds(lcp)} > 2.00 s")
        if page.kind == "embed" and (total is None or total > GOAL_EMBED_BYTES):
            missed.append(f"first view {kilobytes(total)} > 120 KB")
        checks.append((f"`/{page.path}`" + (": " + ", ".join(missed) if missed else ""), not missed))
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT / "data"), help="data folder to build (default: data/)")
    parser.add_argument("--site", help="an already built site folder (skips the build)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; medians are reported")
    parser.add_argument(
        "--urls", nargs="+", metavar="PATH", help="site paths to run instead of the default set (e.g. embed/map/ /)"
    )
    parser.add_argument("--all-embeds", action="store_true", help="every embed, not one per chart")
    parser.add_argument("--list", action="store_true", help="only list the pages that would be run")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal of issue 14 is missed")
    parser.add_argument("--json", default=str(ROOT / "bench" / "out" / "page_speed.json"), help="every run's figures")
    parser.add_argument("--reports", help="also keep each run's full Lighthouse JSON report in this folder")
    parser.add_argument("--from-json", metavar="FILE", help="only print the tables of a run saved with --json")
    parser.add_argument("--timeout", type=float, default=3600, help="give up after this many seconds")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not Path(CHROMIUM).is_file():
        print(f"page_speed: Chromium not found at {CHROMIUM} (set CHROME_PATH)", file=sys.stderr)
        return 2
    if not (LIGHTHOUSE / "node_modules" / "lighthouse").is_dir() or shutil.which("node") is None:
        print("page_speed: Lighthouse is not installed: run `npm ci --prefix bench/lighthouse`", file=sys.stderr)
        return 2
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        pages = [Page(p["label"], p["path"], p["kind"], p["runs"]) for p in saved["pages"]]
        return report(pages, saved["meta"], args.check)
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    temporary = None
    if args.site:
        site = Path(args.site)
    else:
        temporary = Path(tempfile.mkdtemp(prefix="explainer-speed-"))
        site = temporary / "site"
        print(f"page_speed: building {args.data}…", file=sys.stderr)
        build(Path(args.data), site)
    report_dir = Path(args.reports) if args.reports else None
    if report_dir:
        report_dir.mkdir(parents=True, exist_ok=True)
    try:
        pages = given_pages(site, args.urls) if args.urls else default_pages(site, args.all_embeds)
        missing = [page.path for page in pages if not (site / page.path / "index.html").is_file()]
        if missing:
            print(f"page_speed: not in {site}: {', '.join('/' + p for p in missing)}", file=sys.stderr)
            return 2
        if args.list:
            print("\n".join(f"{page_name(page)} ({page.kind})" for page in pages))
            return 0
        print(f"page_speed: {len(pages)} pages × {args.runs} runs…", file=sys.stderr)
        with serve(site) as origin:
            run_lighthouse(origin, pages, args.runs, report_dir, args.timeout)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    for page in pages:
        for run in page.runs:
            run["requestCount"] = len(run.get("requests", []))
    meta = {
        "runs": args.runs,
        "seconds": round(time.monotonic() - started, 1),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "cpus": os.cpu_count() or 1,
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    saved_pages = [{"label": p.label, "path": p.path, "kind": p.kind, "runs": p.runs} for p in pages]
    out.write_text(json.dumps({"meta": meta, "pages": saved_pages}, indent=1) + "\n")
    return report(pages, meta, args.check)


def report(pages: list[Page], meta: dict[str, Any], check: bool) -> int:
    """Print the tables, the goals and the conditions of the run; the exit code."""
    checks = goals(pages)
    benchmark = [run["benchmarkIndex"] for page in pages for run in page.ok_runs if run.get("benchmarkIndex")]
    loads = [run["loadAverage"] for page in pages for run in page.runs if run.get("loadAverage") is not None]
    busy = max(loads, default=meta["load_after"])
    versions = sorted({run["lighthouseVersion"] for page in pages for run in page.ok_runs})
    print(table(pages))
    embeds = embed_table(pages)
    if embeds:
        print("\n" + embeds)
    print(
        "\nGoals of issue 14 (every embed and chart page: performance ≥ 95, TBT ≤ 150 ms, LCP ≤ 2.0 s; "
        "an embed's first view ≤ 120 KB):\n"
    )
    for name, ok in checks:
        print(f"- {'met' if ok else 'missed'} {name}")
    print(
        f"\nLighthouse {', '.join(versions) or '?'}, runs per page: {meta['runs']}, {meta['seconds'] / 60:.1f} min; "
        f"load average {meta['load_before']:.1f} before, {busy:.1f} at most, {meta['load_after']:.1f} after; "
        f"Lighthouse's benchmark index median {statistics.median(benchmark) if benchmark else 0:.0f}."
    )
    if busy > 2 * meta["cpus"]:
        print(
            f"page_speed: the machine was busy (load average up to {busy:.1f} on {meta['cpus']} CPUs): "
            "Lighthouse's blocking times grow with it; compare only runs made on a quiet machine",
            file=sys.stderr,
        )
    foreign = {page.path: page.foreign() for page in pages if page.foreign()}
    for path, urls in foreign.items():
        print(f"page_speed: /{path} requested from another host: {', '.join(urls)}", file=sys.stderr)
    errors = {page.path: [run["runtimeError"] for run in page.runs if run.get("runtimeError")] for page in pages}
    errors = {path: found for path, found in errors.items() if found}
    for path, found in errors.items():
        print(f"page_speed: /{path}: Lighthouse failed: {found}", file=sys.stderr)
    lost = [page.path for page in pages if len(page.runs) < meta["runs"]]
    if lost:
        print(f"page_speed: runs missing for {', '.join('/' + p for p in lost)}", file=sys.stderr)
    if foreign or errors or lost:
        return 1
    return 1 if check and not all(ok for _, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
