"""Search at scale (issue 15): Pagefind's index of synthetic explainers, and what a reader's
browser loads for it.

    python bench/search_bench.py [--sizes 1000,10000] [--queries 10] [--keep DIR] [--json bench/out/search.json]

For each size, writes a synthetic data folder (bench/synth.py), builds it as `explainer
build --keep-build` does (the search integrated: Material's search plugin off, the search
box's files in, the finished site indexed) and indexes the finished site twice more with
`explainer.site.search.index_site`. It reports:

- the build without its indexing (validate, charts, files, config, the site engine) and the
  indexing time, and their ratio (goal: <= 10%);
- the index: files, bytes; whether the two runs wrote byte-identical bundles;
- in headless Chromium, the site served gzipped from 127.0.0.1 (bench/page_weight.py's
  static host): the bytes of a page view without a chart (no /pagefind/ request allowed),
  of the first search for a record's full name and for its surname alone (goal: <= 300 KB
  for everything the search loads: Pagefind's JS, worker and WebAssembly, its metadata,
  index chunks, filters, fragments), of a first search with a kind chosen, and of one on a
  page of the editors' documentation (its own bundle); and the time from the last keystroke
  (its input event) to the results shown, median of N names (goal: <= 300 ms).

With `--keep DIR`, the data, build folder and site of each size stay in DIR/<size>/; a later
run with the same DIR reuses them (the build's timings are kept in DIR/<size>/build.json) and
only copies the search box's files in again and indexes again: what changes when
`explainer/site/search.py` or `explainer/static/search/` does. Changed templates need a new DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import page_weight  # noqa: E402
import synth  # noqa: E402

KB = 1000
GOALS = {"index share": 0.10, "first search": 300 * KB, "results": 0.300}


def digest(folder: Path) -> str:
    total = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            total.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return total.hexdigest()


def build(data: Path, work: Path) -> dict[str, Any]:
    """`explainer build --keep-build` (the search integrated, indexed once); its stages' times."""
    from explainer.checking.validate import validate_data
    from explainer.commands.build import Progress, build_site

    progress = Progress(None)
    start = time.perf_counter()
    dataset, report = validate_data(data)
    validate = time.perf_counter() - start
    assert report.ok, f"{data} is not valid"
    build_site(dataset, work / "site", progress, keep_build=work / "build")
    stages = dict(progress.timings)
    generate = validate + sum(seconds for name, seconds in stages.items() if name not in ("site", "search", "publish"))
    return {
        "language": dataset.site.language,
        "generate s": generate,
        "engine s": stages["site"],
        "build s": generate + stages["site"],
        "build's own indexing s": stages.get("search", 0.0),
    }


def index(site: Path, language: str) -> dict[str, Any]:
    """The search box's files copied in again (the layout of the generated folder), then the
    site indexed twice: times, size, and whether the two runs wrote the same bundles."""
    from explainer.site import search

    search.copy_search_assets(site)
    runs = []
    for _ in range(2):
        report = search.index_site(site, language=language)
        runs.append((report, "".join(digest(site / name) for name in search.BUNDLES)))
    first = runs[0][0]
    return {
        "pages": first.pages,
        "index s": [round(run[0].seconds, 2) for run in runs],
        "identical": runs[0][1] == runs[1][1],
        "index files": first.files,
        "index bytes": first.bytes,
    }


# The synthetic names are three of eighteen common words, found on nearly every page; a
# reader searches for a distinctive name. The first actors get one each (the pages that
# mention them show it too), and the common-word names are timed apart as the worst case.
SURNAMES = [
    "Haddad",
    "Khoury",
    "Nasrallah",
    "Barakat",
    "Mansour",
    "Tlass",
    "Makhlouf",
    "Shawkat",
    "Qadri",
    "Jaafari",
    "Sayegh",
    "Atassi",
    "Kuzbari",
    "Azm",
    "Mardam",
    "Quwatli",
    "Hinnawi",
    "Shishakli",
    "Zaim",
    "Jadid",
]


def name_actors(data: Path, count: int) -> list[str]:
    """Give the first `count` actors a distinctive surname; their new names."""
    names = []
    for surname, path in zip(SURNAMES, sorted((data / "actors").glob("*.yaml"))[:count], strict=False):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        name = f"{first.removeprefix('name: ').split()[0]} {surname}"
        path.write_text(text.replace(first, f"name: {name}", 1), encoding="utf-8")
        names.append(name)
    return names


def common_names(data: Path, count: int) -> list[str]:
    actors = sorted((data / "actors").glob("*.yaml"))[-count:]
    return [str(yaml.safe_load(path.read_text(encoding="utf-8"))["name"]) for path in actors]


def browse(site: Path, queries: list[str], *, start: str = "", kind: str = "") -> dict[str, Any]:
    """Open the search on a page (`start`, from the site's root; a source's page without a
    chart by default) in a fresh browser, choose `kind` (a label of the search box's row of
    choices) if given, and type each query key by key; what was loaded and how long each
    query's results took."""
    from playwright.sync_api import sync_playwright

    server, origin = page_weight.serve(site)
    if not start:
        start = "sources/" + sorted(path.name for path in (site / "sources").iterdir() if path.is_dir())[0] + "/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=page_weight.CHROMIUM, args=page_weight.ARGS)
            context = browser.new_context()
            page = context.new_page()
            received: dict[str, int] = {}

            def finished(request: Any) -> None:  # also the worker's requests (CDP on the page misses them)
                sizes = request.sizes()
                received[request.url] = (
                    received.get(request.url, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]
                )

            context.on("requestfinished", finished)
            page.goto(f"{origin}/{start}", wait_until="networkidle")
            view = sum(received.values())
            view_search = [url for url in received if "/pagefind" in url]
            page.evaluate(
                """() => { window.__typed = 0; window.__shown = {};
                document.addEventListener('input', () => { window.__typed = performance.now(); }, true); }"""
            )
            timings = []
            first_search = 0
            for number, words in enumerate(queries):
                if number == 0:
                    page.keyboard.press("/")
                    if kind:
                        page.get_by_role("radio", name=kind, exact=True).check()
                    page.evaluate(
                        """() => new MutationObserver(() => {
                          const q = document.querySelector('#x-search-results').getAttribute('data-query');
                          if (q && !(q in window.__shown)) window.__shown[q] = performance.now();
                        }).observe(document.querySelector('#x-search-results'), {attributes: true})"""
                    )
                field = page.locator("dialog.x-search input[type=search]")
                field.press("Control+a")
                field.press("Backspace")
                page.wait_for_timeout(300)
                field.press_sequentially(words, delay=60)
                typed_at = page.evaluate("window.__typed")
                page.wait_for_function("(w) => w in window.__shown", arg=words, timeout=60000)
                timings.append(page.evaluate("(w) => window.__shown[w]", words) - typed_at)
                if number == 0:
                    page.wait_for_load_state("networkidle")
                    first_search = sum(received.values())
            loaded = {url.split("/pagefind", 1)[1]: size for url, size in received.items() if "/pagefind" in url}
            browser.close()
    finally:
        server.shutdown()
    return {
        "page view bytes": view,
        "page view loads search data": bool(view_search),
        "first search bytes (page view included)": first_search,
        "first search search bytes": first_search - view,
        "results ms, median": round(statistics.median(timings), 1),
        "results ms, first (cold)": round(timings[0], 1),
        "results ms, all": [round(t, 1) for t in timings],
        "largest search files": dict(sorted(loaded.items(), key=lambda kv: -kv[1])[:8]),
    }


def measure(work: Path, size: int, count: int) -> dict[str, Any]:
    """Build (or reuse) the site of `size` events in `work`, index it, browse it."""
    data, saved = work / "data", work / "build.json"
    if saved.is_file():
        built = json.loads(saved.read_text(encoding="utf-8"))
        print(f"search bench: {size:,} events: reusing {work}", file=sys.stderr, flush=True)
    else:
        synth.write_folder(data, size)
        renamed = name_actors(data, count)
        print(f"search bench: {size:,} events: building…", file=sys.stderr, flush=True)
        built = {"names": renamed, "common names": common_names(data, 3), **build(data, work)}
        saved.write_text(json.dumps(built, indent=2), encoding="utf-8")
    site = work / "site"
    print(f"search bench: {size:,} events: indexing…", file=sys.stderr, flush=True)
    row: dict[str, Any] = {"events": size, **{k: v for k, v in built.items() if k.endswith(" s")}}
    row.update(index(site, built["language"]))
    row["index share"] = min(row["index s"]) / row["build s"]
    print(f"search bench: {size:,} events: browsing…", file=sys.stderr, flush=True)
    names: list[str] = built["names"][:count]
    full = browse(site, names)
    row.update(full)
    surnames = browse(site, [name.split()[-1] for name in names])
    row["surname: first search search bytes"] = surnames["first search search bytes"]
    row["surname: results ms, median"] = surnames["results ms, median"]
    row["surname: largest search files"] = surnames["largest search files"]
    chosen = browse(site, names[:1], kind="Actors")
    row["kind chosen (Actors): first search search bytes"] = chosen["first search search bytes"]
    row["kind chosen (Actors): largest search files"] = chosen["largest search files"]
    docs = browse(site, ["error"], start="about/errors/")
    row["documentation page: first search search bytes"] = docs["first search search bytes"]
    row["documentation page: largest search files"] = docs["largest search files"]
    worst = browse(site, built["common names"])
    row["common words: results ms, median"] = worst["results ms, median"]
    row["common words: first search search bytes"] = worst["first search search bytes"]
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="synthetic folder sizes in events (comma-separated)")
    parser.add_argument("--queries", type=int, default=10)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="keep the data, build folder and site here; reuse them if there")
    args = parser.parse_args(argv)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"explainer-search-bench-{size}-") as temporary:
            work = args.keep / str(size) if args.keep else Path(temporary)
            work.mkdir(parents=True, exist_ok=True)
            row = measure(work, size, args.queries)
            results.append(row)
            print(json.dumps(row, indent=2), flush=True)
    missed = [
        f"{r['events']}: {goal}"
        for r in results
        for goal, ok in (
            ("index share", r["index share"] <= GOALS["index share"]),
            ("identical", r["identical"]),
            ("no search data on page view", not r["page view loads search data"]),
            ("first search (full name)", r["first search search bytes"] <= GOALS["first search"]),
            ("first search (surname)", r["surname: first search search bytes"] <= GOALS["first search"]),
            ("results", r["results ms, median"] <= GOALS["results"] * 1000),
        )
        if not ok
    ]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("goals missed: " + (", ".join(missed) if missed else "none"), file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
