"""The site's search index (explainer/site/search.py, issue 15): what Pagefind is given from
the finished site, the readers' pages and the editors' documentation as bundles of their own,
kinds as a filter, the record's names, byte-identical output, and the site engine's settings
with the search box in place of Material's search.

`explainer build` indexes the site itself; `searchable_site` is the built site of a fixture
(or of the Syria data), shared with the browser tests. `read_index` reads the bundles back
(their files are gzipped CBOR and JSON) so the tests can ask which pages a query finds
without a browser.
"""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_build import ROOT, _workspace, built_site, run_build, tree_digest

from explainer.core.ids import COLLECTIONS
from explainer.core.resources import SHARED_DOCS
from explainer.site import engine as site_engine
from explainer.site import search

HERE = Path(__file__).resolve().parent
FIXTURES = {"mini": HERE / "fixtures" / "mini", "arabic": HERE / "fixtures" / "arabic", "syria": ROOT / "data"}

pytestmark = pytest.mark.slow


@functools.cache
def searchable_site(fixture: str) -> tuple[Path, Path]:
    """(site, build folder) of a fixture or the Syria data, built once by `explainer build`."""
    if FIXTURES[fixture].parent == HERE / "fixtures":
        return built_site(fixture)  # the same build as test_build's
    work = _workspace()
    site, build = work / "site", work / "build"
    assert run_build(FIXTURES[fixture], site, build) == 0
    return site, build


# --- reading a bundle back ----------------------------------------------------------------------


def _cbor(data: bytes, at: int) -> tuple[Any, int]:
    """The CBOR item at `at` (what Pagefind writes: numbers, text, bytes, arrays, maps) and the
    offset after it."""
    major, argument, at = search._cbor_head(data, at)
    if major in (0, 1):
        return (argument if major == 0 else -1 - argument), at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (raw.decode("utf-8") if major == 3 else raw), at + argument
    if major in (4, 5):
        items = []
        for _ in range(argument * (2 if major == 5 else 1)):
            item, at = _cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    raise AssertionError(f"unexpected CBOR item (major type {major})")


def _bundle_file(path: Path) -> Any:
    return _cbor(search._read(path), len(search.SIGNATURE))[0]


def normalised(text: str) -> str:
    """Lower case without diacritics, as Pagefind stores words ("Élysée" is found as "elysee")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


# The endings Pagefind's stemmer (English Snowball) takes off a word: its plural and verb
# endings, then the suffixes of its step 4.
ENDINGS = frozenset(
    {"", "e", "s", "es", "ed", "ing", "ly", "ness", "ful"}
    | {"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous"}
    | {"ive", "ize", "ion"}
)


def is_stem(word: str, term: str) -> bool:
    """Whether `word` is the index's stem of `term`, roughly: the term less one of `ENDINGS`,
    with a doubled consonant undone ("stepping": "step") and a final y made i ("study": "studi").
    Pagefind's Snowball stemmer is not available here; this is enough for the fixtures' words."""
    for candidate in {term, term[:-1] + "i" if term.endswith("y") else term}:
        rest = candidate[len(word) :]
        if candidate.startswith(word) and (rest in ENDINGS or (rest[:1] == word[-1:] and rest[1:] in ENDINGS)):
            return True
    return False


@dataclass(frozen=True)
class Index:
    """A Pagefind bundle read back: each page's fragment (its URL, the text it was indexed
    from, its metadata and filters) and each indexed word with the pages it is on."""

    fragments: dict[str, dict[str, Any]]  # by URL
    words: dict[str, set[str]]  # word (stemmed) -> URLs

    def find(self, query: str) -> set[str]:
        """The pages that have every word of the query, much as Pagefind matches them: a word
        of the index that begins with the query's word (Pagefind completes words), or that is
        its stem (`is_stem`)."""
        found: set[str] | None = None
        for term in re.findall(r"\w+", normalised(query)):
            pages = {
                url for word, urls in self.words.items() if word.startswith(term) or is_stem(word, term) for url in urls
            }
            found = pages if found is None else found & pages
        return found or set()

    def text(self, url: str) -> str:
        return str(self.fragments[url]["content"])


def read_index(site: Path, bundles: tuple[str, ...] = tuple(search.BUNDLES.values())) -> Index:
    """The bundles of `site` (each one language), read back as one index: every page of each."""
    fragments: dict[str, dict[str, Any]] = {}
    words: dict[str, set[str]] = {}
    for name in bundles:
        bundle = site / name
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        [(_, about)] = entry["languages"].items()
        meta = _bundle_file(bundle / f"pagefind.{about['hash']}.pf_meta")
        by_hash = {
            path.stem: json.loads(search._read(path)[len(search.SIGNATURE) :])
            for path in (bundle / "fragment").iterdir()
        }
        pages = [str(by_hash[hash_]["url"]) for hash_, _ in meta[1]]  # page number -> URL
        for *_, chunk in meta[2]:  # the index's chunks: [first word, last word, file]
            # each word: [word, its pages, [[a spelling with diacritics, its pages], ...]]
            for word, postings, spellings in _bundle_file(bundle / "index" / f"{chunk}.pf_index")[0]:
                for listed in (postings, *(spelled for _, spelled in spellings)):
                    page = 0
                    for delta, *_ in listed:  # page numbers, each the difference to the one before
                        page += delta
                        words.setdefault(word, set()).add(pages[page])
        fragments.update({str(fragment["url"]): fragment for fragment in by_hash.values()})
    return Index(fragments, words)


def _count(fixture: Path, collection: str) -> int:
    return len(list((fixture / collection).glob("*.yaml")))


def test_pages_are_indexed_by_section_and_kind() -> None:
    site, _ = searchable_site("mini")
    pages = {page.url: page for page in search.site_pages(site, "en")}
    mini = FIXTURES["mini"]
    for collection in COLLECTIONS:
        urls = {url for url, page in pages.items() if page.kind == collection[:-1]}
        assert len(urls) == _count(mini, collection), collection
        assert all(url.startswith(f"/{collection}/") and url.count("/") == 3 for url in urls)
    docs = {url for url, page in pages.items() if page.section == search.DOCS_SECTION}
    assert docs == {f"/about/{path.stem}/" for path in SHARED_DOCS.glob("*.md")}
    assert all(pages[url].kind == "docs" for url in docs)
    # The explainer's other pages are readers' pages; the chart embeds and the 404 page are not indexed.
    assert pages["/"].section == search.READERS_SECTION
    assert pages["/"].kind == search.OTHER_PAGE
    assert pages["/events/"].kind == search.OTHER_PAGE
    assert not any(url.startswith(("/embed/", "/assets/", "/pagefind/", "/pagefind-docs/")) for url in pages)
    assert (site / "404.html").is_file()
    assert "/404/" not in pages


def test_the_report_counts_what_was_indexed(tmp_path: Path) -> None:
    site, _ = searchable_site("mini")
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    report = search.index_site(copy, language="en")
    mini = FIXTURES["mini"]
    assert report.by_kind == {
        **{collection[:-1]: _count(mini, collection) for collection in COLLECTIONS},
        "page": report.by_kind["page"],
    }
    assert report.by_section[search.DOCS_SECTION] == len(list(SHARED_DOCS.glob("*.md")))
    assert report.pages == sum(report.by_section.values())
    assert report.bundles == [copy / search.BUNDLE, copy / search.DOCS_BUNDLE]
    assert report.files == sum(1 for bundle in report.bundles for p in bundle.rglob("*") if p.is_file())
    assert "pages" in report.summary()


def test_the_bundles_hold_only_what_the_search_box_uses() -> None:
    site, _ = searchable_site("mini")
    for name in search.BUNDLES.values():
        bundle = site / name
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == ["en"]
        names = {path.name for path in bundle.iterdir()}
        assert {"pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "index", "fragment"} <= names, name
        assert f"pagefind.{entry['languages']['en']['hash']}.pf_meta" in names
        assert not any(
            name.startswith(("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui")) for name in names
        )
    # The readers' bundle has one filter, the kind; no filter tells the sections apart (a
    # file listing every page, which every search would fetch); the documentation has none.
    filters = [_bundle_file(path) for path in sorted((site / search.BUNDLE / "filter").iterdir())]
    assert [name for name, _ in filters] == ["kind"]
    assert {value for value, _ in filters[0][1]} == {"actor", "event", "page", "place", "question", "source"}
    assert not (site / search.DOCS_BUNDLE / "filter").exists() or not any(
        (site / search.DOCS_BUNDLE / "filter").iterdir()
    )


def test_the_documentation_is_a_bundle_of_its_own() -> None:
    site, _ = searchable_site("mini")
    readers = read_index(site, (search.BUNDLE,))
    docs = read_index(site, (search.DOCS_BUNDLE,))
    assert set(docs.fragments) == {f"/about/{path.stem}/" for path in SHARED_DOCS.glob("*.md")}
    assert not any(url.startswith("/about/") for url in readers.fragments)
    assert "/about/errors/" in docs.find("error")
    assert not any(url.startswith("/about/") for url in readers.find("error"))
    assert all(fragment["meta"]["kind"] == "docs" for fragment in docs.fragments.values())


def test_filter_values_are_in_order() -> None:
    site, _ = searchable_site("mini")
    for path in sorted((site / search.BUNDLE / "filter").iterdir()):
        content = search._read(path)
        _, (_, values) = search._cbor_items(content, len(search.SIGNATURE))
        _, pairs = search._cbor_items(content, values[0])
        keys = [search._cbor_text(content, search._cbor_items(content, start)[1][0][0]) for start, _ in pairs]
        assert keys == sorted(keys)
        assert len(keys) >= 2


def test_the_index_is_byte_identical_between_runs(tmp_path: Path) -> None:
    site, _ = searchable_site("mini")
    digests = []
    for run in ("a", "b", "c"):
        copy = tmp_path / run
        shutil.copytree(site, copy)
        search.index_site(copy, language="en")
        digests.append([tree_digest(copy / name) for name in search.BUNDLES.values()])
    assert digests[0] == digests[1] == digests[2]
    assert digests[0] == [tree_digest(site / name) for name in search.BUNDLES.values()]


def test_names_come_from_the_heading_and_the_weighted_spans() -> None:
    article = (
        '<h1 id="houla">Houla<a class="headerlink" href="#houla">&para;</a></h1>'
        '<p class="x-meta">Town · Also written: <span data-pagefind-weight="10">Hula</span>, '
        '<span class="x-name" data-pagefind-weight="10">al-<em>Houla</em></span>, '
        '<span data-pagefind-weight="10">Houla</span></p><p>The <span data-pagefind-weight="5">massacre</span></p>'
    )
    assert search.page_names(article) == ["Houla", "Hula", "al-Houla"]
    document = search.page_document(article, lang="en", section="explainer", kind="place", title="Houla - x")
    assert '<html lang="en">' in document
    assert 'data-pagefind-filter="kind:place"' in document
    assert "section" not in document
    assert 'data-pagefind-meta="names:Houla | Hula | al-Houla"' in document
    docs = search.page_document("<h1>Errors</h1>", lang="en", section="docs", kind="docs", title="Errors")
    assert "data-pagefind-filter" not in docs
    assert 'data-pagefind-meta="kind:docs"' in docs


def test_a_record_page_carries_its_names_in_the_index() -> None:
    site, _ = searchable_site("mini")
    pages = {page.url: page for page in search.site_pages(site, "en")}
    envoy = pages["/actors/envoy/"].document
    assert 'data-pagefind-meta="names:Kofi Annan | Joint Special Envoy"' in envoy
    # Parts the pages mark `data-search-exclude` (a section's list of records) reach Pagefind
    # with the mark, and its exclude selectors leave them out.
    assert "data-search-exclude" in pages["/events/"].document
    assert set(search.EXCLUDED) >= {"[data-search-exclude]", ".headerlink"}
    assert '<main data-pagefind-body data-search-kind="actor">' in envoy


class _Selected(HTMLParser):
    """Whether a document has an element that a selector of `search.EXCLUDED` or
    `search.REPEATED` selects: descendant combinators of tags, classes and attributes, as
    those are written ("td a", '[data-search-kind="actor"] ul', ".footnote")."""

    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self, selector: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = [self._part(part) for part in selector.split()]
        self.open: list[tuple[str, dict[str, str]]] = []
        self.found = False

    @staticmethod
    def _part(text: str) -> tuple[str, str, str, str]:
        match = re.fullmatch(r'([a-z0-9]*)(?:\.([\w-]+))?(?:\[([\w-]+)(?:="([^"]*)")?\])?', text)
        assert match, text
        tag, cls, attr, value = match.groups()
        return tag, cls or "", attr or "", value if value is not None else ""

    @staticmethod
    def _matches(part: tuple[str, str, str, str], tag: str, attrs: dict[str, str]) -> bool:
        want_tag, cls, attr, value = part
        return (
            (not want_tag or tag == want_tag)
            and (not cls or cls in attrs.get("class", "").split())
            and (not attr or (attr in attrs and (not value or attrs[attr] == value)))
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, {name: value or "" for name, value in attrs})
        if self._matches(self.parts[-1], *element):
            ancestors = iter(self.open)
            self.found |= all(any(self._matches(part, *open_) for open_ in ancestors) for part in self.parts[:-1])
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return


def _selects(selector: str, document: str) -> bool:
    parser = _Selected(selector)
    parser.feed(document)
    return parser.found


def test_every_selector_left_out_selects_something_in_the_pages() -> None:
    """The selectors name the pages' markup (classes, tables, lists): when a template changes
    it, a selector that no longer selects anything fails here rather than silently letting
    the index grow."""
    site, _ = searchable_site("mini")
    documents = [page.document for page in search.site_pages(site, "en")]
    for selector in (*search.REPEATED, "[data-search-exclude]", ".headerlink"):
        assert any(_selects(selector, document) for document in documents), selector
    assert not _selects('[data-search-kind="place"] table', '<main data-search-kind="event"><table></table></main>')


def test_what_a_page_repeats_from_other_records_is_found_on_their_pages() -> None:
    site, _ = searchable_site("mini")
    index = read_index(site, (search.BUNDLE,))
    event = index.text("/events/houla-massacre/")
    # its own words stay: the claims, their quotes, the figures, the roles in the table
    assert "Armed terrorist groups carried out the killings" in event
    assert "the massacre in Houla that shocked the world" in event
    assert "Mediator" in event
    # citations are found on the source's own page
    title = "Envoy says plan is not being implemented"
    assert title not in event
    assert index.find(title) == {"/sources/daily-report/"}
    # an actor's claims, a place's events and a source's facts are found on the event's page
    assert index.find("Armed terrorist groups") == {"/events/houla-massacre/"}
    assert "Armed terrorist groups" not in index.text("/actors/government/")
    assert "Houla massacre" not in index.text("/places/houla/")
    assert "Houla massacre" not in index.text("/sources/daily-report/")
    assert "Houla massacre" in index.text("/events/houla-massacre/")
    # the Charts page's charts (their data tables list every event) are left out, their titles stay
    assert "Timeline of events" in index.text("/charts/")
    assert "Spring offensive" not in index.text("/charts/")


def test_the_build_indexes_the_site_it_publishes() -> None:
    site, _ = searchable_site("mini")
    pages = list(search.site_pages(site, "en"))
    for section, name in search.BUNDLES.items():
        entry = json.loads((site / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["en"]["page_count"] == sum(page.section == section for page in pages)
    index = read_index(site)
    assert set(index.fragments) == {page.url for page in pages}
    assert index.fragments["/places/houla/"]["filters"] == {"kind": ["place"]}
    assert index.fragments["/about/errors/"]["filters"] == {}


def test_every_record_is_found_by_its_names() -> None:
    """A record's name, short name and each alias are on its page (the short name and aliases
    in weighted spans) and in its metadata, and a search for any of them finds the page."""
    site, _ = searchable_site("mini")
    index = read_index(site)
    checked = 0
    for collection in COLLECTIONS:
        for path in sorted((FIXTURES["mini"] / collection).glob("*.yaml")):
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            url = f"/{collection}/{path.stem}/"
            heading = record.get("name") or record.get("title") or record["question"]
            others = [record["short_name"]] if "short_name" in record else []
            others += [alias for alias in record.get("aliases", []) if alias not in others]
            page = (site / collection / path.stem / "index.html").read_text(encoding="utf-8")
            for name in others:
                assert f'<span data-pagefind-weight="10">{html.escape(name)}</span>' in page, (url, name)
            names = [heading, *others]
            assert index.fragments[url]["meta"]["names"].split(search.NAME_SEPARATOR) == names, url
            for name in names:
                assert url in index.find(name), (url, name)
            checked += len(others)
    assert checked >= 8  # the fixture's short names and aliases
    assert index.find("Élysée") == {"/actors/france/"}
    assert index.find("Damascus") == {"/actors/government/"}


def test_with_search_replaces_materials_search() -> None:
    base = site_engine.base_config()
    config = search.with_search({**base, "extra_css": ["a.css"], "extra_javascript": ["a.js"]})
    assert config["plugins"] == [{"search": {"enabled": False}}]
    assert not any(feature.startswith("search.") for feature in config["theme"]["features"])
    assert config["extra_css"] == ["a.css", "assets/search/search.css"]
    assert config["extra_javascript"] == ["a.js", "assets/search/search.js"]
    assert base["plugins"] == site_engine.base_config()["plugins"]  # pure


def test_the_built_site_has_the_search_box_and_not_materials_search() -> None:
    site, _ = searchable_site("mini")
    assert not (site / "search" / "search_index.json").exists()
    page = (site / "events" / "houla-massacre" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../assets/search/search.js"' in page
    assert 'href="../../assets/search/search.css"' in page
    assert 'class="md-search"' not in page
    assert (site / "assets" / "search" / "search.js").read_bytes() == (search.SEARCH_STATIC / "search.js").read_bytes()


def test_a_site_without_pages_is_refused(tmp_path: Path) -> None:
    (tmp_path / "embed" / "x").mkdir(parents=True)
    (tmp_path / "embed" / "x" / "index.html").write_text("<html><body><article class='md-content__inner'>x</article>")
    with pytest.raises(search.SearchIndexError, match="no page"):
        search.index_site(tmp_path, language="en")


def test_an_arabic_site_is_indexed_in_arabic() -> None:
    site, _ = searchable_site("arabic")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar"' in home
    assert 'dir="rtl"' in home
    for name in search.BUNDLES.values():
        entry = json.loads((site / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == ["ar"]
        assert (site / name / "wasm.ar.pagefind").is_file()
