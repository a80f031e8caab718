"""The site's search index (explainer/site/search.py, issue 15): what Pagefind is given from
the finished site, kinds and sections as filters, the record's names, byte-identical output,
and the site engine's settings with the search box in place of Material's search.

`searchable_site` is shared with the browser tests. Until `explainer build` runs the search
stage itself, it makes a built site searchable the way the integration does (the config
from `with_search`, the search box's files, `index_site` after the engine); it also marks
each record's short name and aliases as the page templates are to do it (one
`<span data-pagefind-weight="10">` per name). Once the build does both, it only builds.
"""

from __future__ import annotations

import functools
import html
import json
import shutil
from pathlib import Path

import pytest
import yaml
from test_build import ROOT, _workspace, run_build, tree_digest

from explainer.core.ids import COLLECTIONS
from explainer.core.resources import SHARED_DOCS
from explainer.site import engine as site_engine
from explainer.site import search

HERE = Path(__file__).resolve().parent
FIXTURES = {"mini": HERE / "fixtures" / "mini", "arabic": HERE / "fixtures" / "arabic", "syria": ROOT / "data"}

pytestmark = pytest.mark.slow


def _names_line(names: list[str]) -> str:
    spans = ", ".join(f'<span data-pagefind-weight="10">{html.escape(name)}</span>' for name in names)
    return f'<p class="x-meta" markdown>Also known as: {spans}</p>\n'


def mark_names(data: Path, docs: Path) -> None:
    """What the record templates are to write: each short name and alias in its own
    weighted span (skipped for a page that already has them)."""
    for collection in COLLECTIONS:
        for path in sorted((data / collection).glob("*.yaml")):
            record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            names = [str(n) for n in [record.get("short_name"), *(record.get("aliases") or [])] if n]
            page = docs / collection / f"{path.stem}.md"
            if not names or not page.is_file():
                continue
            text = page.read_text(encoding="utf-8")
            if "data-pagefind-weight" in text:
                continue
            lines = text.splitlines(keepends=True)
            heading = next(i for i, line in enumerate(lines) if line.startswith("# "))
            lines.insert(heading + 1, "\n" + _names_line(names))
            page.write_text("".join(lines), encoding="utf-8")


@functools.cache
def searchable_site(fixture: str) -> tuple[Path, Path]:
    """(site, build folder) of a fixture or the Syria data, built once, with search."""
    work = _workspace()
    site, build = work / "site", work / "build"
    data = FIXTURES[fixture]
    assert run_build(data, site, build) == 0
    if (site / search.BUNDLE / "pagefind-entry.json").is_file():
        return site, build  # the build runs the search stage itself
    config_path = build / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config_path.write_text(
        yaml.safe_dump(search.with_search(config), sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8"
    )
    search.copy_search_assets(build / "docs")
    mark_names(data, build / "docs")
    shutil.rmtree(site)
    site_engine.run_mkdocs(build, site, epoch=0)
    language = str(yaml.safe_load((data / "site.yaml").read_text(encoding="utf-8")).get("language", "en"))
    search.index_site(site, language=language)
    return site, build


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
    assert not any(url.startswith(("/embed/", "/assets/", "/pagefind/")) for url in pages)
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
    assert report.files == sum(1 for p in report.bundle.rglob("*") if p.is_file())
    assert "pages" in report.summary()


def test_the_bundle_holds_only_what_the_search_box_uses() -> None:
    site, _ = searchable_site("mini")
    bundle = site / search.BUNDLE
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"]
    names = {path.name for path in bundle.iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "index", "fragment", "filter"} <= names
    assert f"pagefind.{entry['languages']['en']['hash']}.pf_meta" in names
    assert not any(name.startswith(("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui")) for name in names)
    filters = sorted(search._read(path) for path in (bundle / "filter").iterdir())
    assert any(b"section" in content and b"docs" in content and b"explainer" in content for content in filters)
    assert any(b"kind" in content and b"event" in content for content in filters)


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
        digests.append(tree_digest(copy / search.BUNDLE))
    assert digests[0] == digests[1] == digests[2]
    assert digests[0] == tree_digest(site / search.BUNDLE)


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
    assert 'data-pagefind-filter="section:explainer"' in document
    assert 'data-pagefind-meta="names:Houla | Hula | al-Houla"' in document


def test_a_record_page_carries_its_names_in_the_index() -> None:
    site, _ = searchable_site("mini")
    pages = {page.url: page for page in search.site_pages(site, "en")}
    envoy = pages["/actors/envoy/"].document
    assert 'data-pagefind-meta="names:Kofi Annan | Joint Special Envoy"' in envoy
    # Parts the pages mark `data-search-exclude` (a section's list of records) reach Pagefind
    # with the mark, and its exclude selectors leave them out.
    assert "data-search-exclude" in pages["/events/"].document
    assert set(search.EXCLUDED) >= {"[data-search-exclude]", ".headerlink"}


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
    entry = json.loads((site / search.BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["ar"]
    assert (site / search.BUNDLE / "wasm.ar.pagefind").is_file()
