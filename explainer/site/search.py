"""Stage: the site's search index, made by Pagefind from the finished HTML.

Runs after the site engine, over the site folder it wrote, so it works the same whichever
engine (MkDocs or Zensical) made the pages. Pagefind writes chunked static indexes that the
reader's browser loads only when they search, and then only the chunks their words need (the
search box is `explainer/static/search/`). Each section of the site is a bundle of its own,
told apart by the page's URL (`core.urls` owns the layout, so no template has to repeat it):

    pagefind/        the readers' pages. Each has a `kind` filter: actor, event, question,
                     place or source on a record's page; "page" on any other page of the
                     explainer (home, timeline, section index, hand-written pages).
    pagefind-docs/   the editors' documentation (/about/…), searchable only on its own, so
                     it is never in readers' results, and a reader's search loads nothing
                     of it (no filter to tell the sections apart: that would be a list of
                     every page, fetched on every search).

Ranking comes from the pages: Pagefind weights headings by itself (the record's name is the
page's <h1>), and the record pages mark their short name and aliases with
`data-pagefind-weight` (see explainer/docs/search.md), so "Hula" or "Qubair" find the place's
own page first. Parts marked `data-search-exclude` (chart blocks, lists of records) and the
headings' permalinks are left out, and so is what a page repeats from other records' pages
(`REPEATED`: citations, other records' names in tables, an actor's claims, a place's events,
a source's facts): a search finds it on the page it belongs to, and the index chunk of a
common word stays small enough to load.

The output is deterministic: pages are added in sorted order, one at a time, and Pagefind
names its files by the hash of their content; `tests/test_search.py` checks two runs agree
byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.core import resources, urls
from explainer.core.ids import COLLECTIONS, SINGULAR
from explainer.rendering.writer import FileJob

BUNDLE = "pagefind"  # the readers' pages
DOCS_BUNDLE = "pagefind-docs"  # the editors' documentation
# The search box (its JS and CSS), copied into the generated docs folder; search.js finds the
# site's root two folders above itself, so this path is fixed.
ASSETS = "assets/search"
SEARCH_STATIC = resources.STATIC / "search"
DOCS_SECTION = "docs"
READERS_SECTION = "explainer"
BUNDLES = {READERS_SECTION: BUNDLE, DOCS_SECTION: DOCS_BUNDLE}
OTHER_PAGE = "page"
# Folders of the site that hold no reader's page: chart embeds (a chart alone, for iframes),
# assets, the engine's own search files and the bundles themselves.
SKIPPED_DIRS = frozenset({urls.EMBED_DIR, "assets", "search", *BUNDLES.values()})
# Parts of an article that are not its text: chart blocks (their data table is in the open
# data), heading permalinks, the engine's edit buttons and the page's source-file footer.
EXCLUDED = ("[data-search-exclude]", "[data-pagefind-ignore]", ".headerlink", ".md-content__button", ".md-source-file")
# Text a page repeats from other records' pages: indexed there, once. Every page that has a
# word adds its positions to that word's chunk of the index, which a search for the word
# loads whole; at 10,000 events these lists more than doubled the chunk of a word found on
# most pages (`bench/search_bench.py`). Each selector applies within the page's article,
# which is marked with its kind (`data-search-kind`, see `page_document`).
REPEATED = (
    # a chart block wherever it stands (the Charts page shows the site-wide ones whole: their
    # data tables list every event, actor or place)
    ".explainer-chart-figure",
    # citations: the footnote marks, the "Sources:" lines and the list of sources (titles,
    # publishers, dates), found on the sources' own pages
    ".footnote",
    ".footnote-ref",
    ".x-cited",
    # the names of other records in a table (links to their pages): who took part in an
    # event, a question's actors, an actor's relations; the cells' own words stay
    "td a",
    # an actor's lists: the claims it made, each on its event's page
    '[data-search-kind="actor"] ul',
    # the events of a place and the facts citing a source: lists of other records
    '[data-search-kind="place"] table',
    '[data-search-kind="source"] table',
)
# What Pagefind writes that the search box does not use (its own UIs and the playground).
UNUSED = re.compile(r"^(pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)|playground)$")

_ARTICLE = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b[^\"]*\"[^>]*>", re.IGNORECASE)
_HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_NAME = re.compile(r"<span\b[^>]*\bdata-pagefind-weight=\"10\"[^>]*>(.*?)</span>", re.IGNORECASE | re.DOTALL)
_PERMALINK = re.compile(r"<a\b[^>]*\bclass=\"headerlink\"[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
NAME_SEPARATOR = " | "
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


@dataclass(frozen=True)
class Page:
    """One page as Pagefind is given it: its URL from the site root, its section (which bundle
    it is in), its kind and a small HTML document."""

    url: str
    section: str
    kind: str
    document: str


@dataclass
class SearchReport:
    """What was indexed: pages per section and kind, the bundles' files and size, the time."""

    bundles: list[Path]
    pages: int = 0
    by_section: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.by_kind.items()))
        docs = self.by_section.get(DOCS_SECTION, 0)
        return (
            f"{self.pages:,} pages ({kinds}; {docs} in the editors' documentation), "
            f"{self.files:,} files, {self.bytes / 1000:,.0f} KB"
        )


def asset_files() -> list[FileJob]:
    """The search box's files, for the generated docs folder, at `assets/search/`."""
    return [FileJob(f"{ASSETS}/{name}", (SEARCH_STATIC / name).read_bytes) for name in ("search.css", "search.js")]


def copy_search_assets(docs_dir: Path) -> None:
    """The search box's files into the generated docs folder, at `assets/search/`."""
    target = docs_dir / ASSETS
    target.mkdir(parents=True, exist_ok=True)
    for name in ("search.css", "search.js"):
        shutil.copyfile(SEARCH_STATIC / name, target / name)


def with_search(config: dict[str, Any]) -> dict[str, Any]:
    """The site engine's settings with this search instead of the theme's (pure): the search
    plugin listed but disabled (`search: {enabled: false}`: MkDocs with Material and Zensical
    both then leave their search box and index out; Zensical ignores a plugin list without
    it), the theme's search features off, the search box's CSS and JS listed."""
    config = dict(config)
    plugins = [
        plugin
        for plugin in config.get("plugins") or []
        if plugin != "search" and not (isinstance(plugin, dict) and "search" in plugin)
    ]
    config["plugins"] = [{"search": {"enabled": False}}, *plugins]
    theme = dict(config.get("theme") or {})
    theme["features"] = [feature for feature in theme.get("features") or [] if not str(feature).startswith("search.")]
    config["theme"] = theme
    config["extra_css"] = [*(config.get("extra_css") or []), f"{ASSETS}/search.css"]
    config["extra_javascript"] = [*(config.get("extra_javascript") or []), f"{ASSETS}/search.js"]
    return config


def index_site(site_dir: Path, *, language: str) -> SearchReport:
    """Index the finished site in `site_dir` into its bundles (`BUNDLES`, replaced if there).
    `language` is the site's `language` from site.yaml (Pagefind's stemming and word rules)."""
    start = time.perf_counter()
    lang = language.split("-")[0].lower() or "en"
    pages = sorted(site_pages(site_dir, lang), key=lambda page: page.url)
    if not any(page.section == READERS_SECTION for page in pages):
        raise SearchIndexError(f"{site_dir}: no page with an article to index")
    sections = {section: [page for page in pages if page.section == section] for section in BUNDLES}
    for name in BUNDLES.values():
        if (site_dir / name).exists():
            shutil.rmtree(site_dir / name)
    written = {section: (site_dir / BUNDLES[section]).resolve() for section, listed in sections.items() if listed}
    try:
        _write_indexes({written[section]: sections[section] for section in written}, lang)
    except OSError as exc:  # the binary cannot be run, the disk is full
        raise SearchIndexError(f"Pagefind could not index {site_dir}: {exc}") from exc
    for bundle in written.values():
        stable_filters(bundle)
        for path in sorted(bundle.iterdir()):
            if UNUSED.match(path.name):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    files = [path for bundle in written.values() for path in bundle.rglob("*") if path.is_file()]
    return SearchReport(
        bundles=[site_dir / BUNDLES[section] for section in written],
        pages=len(pages),
        by_section=dict(sorted(Counter(page.section for page in pages).items())),
        by_kind=dict(sorted(Counter(page.kind for page in pages if page.section == READERS_SECTION).items())),
        files=len(files),
        bytes=sum(path.stat().st_size for path in files),
        seconds=time.perf_counter() - start,
    )


def site_pages(site_dir: Path, lang: str) -> Iterator[Page]:
    """Every reader's page of the site (`…/index.html` with the engine's article)."""
    for path in sorted(site_dir.rglob("index.html")):
        parts = path.relative_to(site_dir).parts[:-1]
        if parts and parts[0] in SKIPPED_DIRS:
            continue
        text = path.read_text(encoding="utf-8")
        article = article_html(text)
        if article is None:
            continue
        section, kind = classify(parts)
        title = _TITLE.search(text)
        yield Page(
            url="/" + "".join(f"{part}/" for part in parts),
            section=section,
            kind=kind,
            document=page_document(
                article, lang=lang, section=section, kind=kind, title=title.group(1) if title else ""
            ),
        )


def classify(parts: tuple[str, ...]) -> tuple[str, str]:
    """(section, kind) of the page published at /<parts>/."""
    if parts and parts[0] == urls.ABOUT_DIR:
        return DOCS_SECTION, "docs"
    if len(parts) == 2 and parts[0] in COLLECTIONS:
        return READERS_SECTION, SINGULAR[parts[0]]
    return READERS_SECTION, OTHER_PAGE


def article_html(page: str) -> str | None:
    """The inner HTML of the engine's article (Material and Zensical both write
    `<article class="md-content__inner md-typeset">`), or None for a page without one."""
    match = _ARTICLE.search(page)
    if match is None:
        return None
    end = page.rfind("</article>")
    if end < match.end():
        return None
    return page[match.end() : end]


def page_names(article: str) -> list[str]:
    """The names a page is found by first: its <h1> and every `<span data-pagefind-weight="10">`
    (a record's short name and each alias), as text."""
    found = [_HEADING.search(article)]
    texts = [_PERMALINK.sub("", match.group(1)) for match in found if match is not None]
    texts += [match.group(1) for match in _NAME.finditer(article)]
    names: list[str] = []
    for text in texts:
        name = " ".join(html.unescape(_TAG.sub("", text)).split())
        if name and name not in names:
            names.append(name)
    return names


def page_document(article: str, *, lang: str, section: str, kind: str, title: str) -> str:
    """The HTML Pagefind indexes for one page: the article (marked with its kind, for the
    selectors of `REPEATED`), the kind as a filter (readers' pages; the documentation's
    bundle has none), and as metadata the kind (the search box
    labels results with it) and the names (the search box lists a page whose name, short name
    or alias is exactly the query first). The page's <title> is only a fallback for
    Pagefind's title, which it takes from the article's first <h1>."""
    names = NAME_SEPARATOR.join(name.replace("|", "/") for name in page_names(article))
    kind_filter = f'<span data-pagefind-filter="kind:{kind}"></span>' if section == READERS_SECTION else ""
    return (
        f'<!doctype html><html lang="{html.escape(lang)}"><head><title>{title}</title></head>'
        f'<body><main data-pagefind-body data-search-kind="{kind}">{kind_filter}'
        f'<span data-pagefind-meta="kind:{kind}"></span>'
        f'<span data-pagefind-meta="names:{html.escape(names)}"></span>'
        f"{article}</main></body></html>"
    )


def _write_indexes(bundles: dict[Path, list[Page]], lang: str) -> None:
    """Pagefind's binary, once per bundle and all at once, each over a folder of its pages'
    documents written to a temporary folder (in memory where there is one: thousands of small
    files). The binary parses them on every core; its Python API's service is far slower (it
    reads one answer per tenth of a second)."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise SearchIndexError("the Pagefind binary is missing: install pagefind[extended]")
    with tempfile.TemporaryDirectory(prefix="explainer-search-", dir=_memory_folder()) as temporary:
        running = []
        for number, (bundle, pages) in enumerate(sorted(bundles.items())):
            staging = Path(temporary) / str(number)
            for page in pages:
                target = staging / page.url.strip("/") / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(page.document, encoding="utf-8")
            command = [
                str(binary),
                "--site", str(staging),
                "--output-path", str(bundle),
                "--force-language", lang,
                "--exclude-selectors", ", ".join(EXCLUDED + REPEATED),
                "--silent",
            ]  # fmt: skip
            running.append(
                subprocess.Popen(command, cwd=staging, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            )
        failed = []
        for process in running:
            stdout, stderr = process.communicate()
            if process.returncode != 0:
                output = "\n".join(part for part in (stdout.strip(), stderr.strip()) if part)
                failed.append(f"Pagefind failed (exit {process.returncode}):\n{output}")
    if failed:
        raise SearchIndexError("\n".join(failed))


def _memory_folder() -> str | None:
    """/dev/shm where it is a writable folder (Linux), else the system's temporary folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


# Pagefind 1.5 writes each filter's values in its hash map's order, which changes from run to
# run, so the filter files, the metadata file naming them and the entry file naming that
# differ between two builds of the same site. `stable_filters` puts the values in order and
# names the files again by their content. The files are Pagefind's "pagefind_dcd" header and
# CBOR, gzipped: only arrays, text and numbers occur in them, and the values are reordered
# as whole encoded items, so nothing is decoded and encoded again.
SIGNATURE = b"pagefind_dcd"


def stable_filters(bundle: Path) -> None:
    """Make the filter files, the metadata and the entry file the same on every run."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, about in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _read(meta_path)
        for name in sorted({path.name for path in (bundle / "filter").glob(f"{about['wasm']}_*.pf_filter")}):
            old = bundle / "filter" / name
            content = _sorted_filter(_read(old))
            new_hash = f"{name.split('_')[0]}_{hashlib.sha256(content).hexdigest()[: len(old.stem.split('_')[1])]}"
            if meta.count(old.stem.encode()) != 1:
                raise SearchIndexError(
                    f"{meta_path}: unexpected layout (filter {old.stem} named {meta.count(old.stem.encode())} times)"
                )
            meta = meta.replace(old.stem.encode(), new_hash.encode())
            old.unlink()
            _write(bundle / "filter" / f"{new_hash}.pf_filter", content)
        meta = _sorted_meta_filters(meta)
        prefix, digest = about["hash"].split("_")
        about["hash"] = f"{prefix}_{hashlib.sha256(meta).hexdigest()[: len(digest)]}"
        meta_path.unlink()
        _write(bundle / f"pagefind.{about['hash']}.pf_meta", meta)
        entry["languages"][language] = about
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path) -> bytes:
    content = gzip.decompress(path.read_bytes())
    if not content.startswith(SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind 1.x file")
    return content


def _write(path: Path, content: bytes) -> None:
    path.write_bytes(gzip.compress(content, 9, mtime=0))


def _cbor_head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, argument, offset after the head) of the CBOR item at `at`."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise SearchIndexError(f"unexpected CBOR item (additional information {info})")
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _cbor_end(data: bytes, at: int) -> int:
    """The offset after the CBOR item at `at` (numbers, text, bytes, arrays, maps)."""
    major, argument, at = _cbor_head(data, at)
    if major in (0, 1, 7):
        return at
    if major in (2, 3):
        return at + argument
    if major in (4, 5):
        for _ in range(argument * (2 if major == 5 else 1)):
            at = _cbor_end(data, at)
        return at
    raise SearchIndexError(f"unexpected CBOR item (major type {major})")


def _cbor_items(data: bytes, at: int) -> tuple[int, list[tuple[int, int]]]:
    """The array at `at`: the offset after its head and the (start, end) of each element."""
    major, count, body = _cbor_head(data, at)
    if major != 4:
        raise SearchIndexError("expected a CBOR array")
    spans = []
    at = body
    for _ in range(count):
        end = _cbor_end(data, at)
        spans.append((at, end))
        at = end
    return body, spans


def _cbor_text(data: bytes, at: int) -> bytes:
    major, length, start = _cbor_head(data, at)
    return data[start : start + length] if major == 3 else data[at:start]


def _reordered(data: bytes, at: int, key: int) -> bytes:
    """The array at `at` with its elements (each an array) in order of their element `key`."""
    body, spans = _cbor_items(data, at)
    ordered = sorted(spans, key=lambda span: _cbor_text(data, _cbor_items(data, span[0])[1][key][0]))
    return data[at:body] + b"".join(data[start:end] for start, end in ordered)


def _sorted_filter(content: bytes) -> bytes:
    """A filter file, [name, [[value, [page, …]], …]], with its values in order."""
    _, (name, values) = _cbor_items(content, len(SIGNATURE))
    return content[: name[1]] + _reordered(content, values[0], 0) + content[values[1] :]


def _sorted_meta_filters(meta: bytes) -> bytes:
    """The metadata file, [version, fragments, chunks, [[filter, file], …], …], with its
    filters in order of name."""
    _, spans = _cbor_items(meta, len(SIGNATURE))
    start, end = spans[3]
    return meta[:start] + _reordered(meta, start, 0) + meta[end:]
