"""The search box in headless Chromium (issue 15), typed into keystroke by keystroke: nothing
of the index is loaded on page view, results appear as the reader types with the matched
words highlighted, the keyboard works, the kind filter and the documentation's own section,
no request to another host, no serious accessibility problem; and on the Syria site the
queries of the issue list the expected record page first.

The sites are those `explainer build` makes, search index included (`test_search.searchable_site`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import serve_folder
from test_search import searchable_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYRIA_FIRST = {
    "Houla": "/places/houla/",
    "Hula": "/places/houla/",
    "Qubair": "/places/qubeir/",
    "Lavrov": "/actors/sergey-lavrov/",
    "Kofi Annan": "/actors/kofi-annan/",
    "veto": "/events/february-2012-security-council-veto/",
    "ceasefire": "/questions/ceasefire/",
    "observers": "/questions/observer-mission/",
}


class Reader:
    """A browser tab that records every request, those to other hosts, and script errors."""

    def __init__(self, browser: Any, scheme: str = "light") -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if urlparse(url).hostname in ("127.0.0.1", None) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def search(self, words: str) -> Any:
        """Type into the open search box, keystroke by keystroke; wait for the results."""
        field = self.page.locator("dialog.x-search input[type=search]")
        field.press("Control+a")
        field.press("Backspace")
        field.press_sequentially(words, delay=30)
        self.page.wait_for_function(
            "(w) => document.querySelector('.x-search__status').textContent.includes('result')"
            " && document.querySelector('dialog.x-search input').value === w",
            arg=words,
        )
        return self.page.locator("#x-search-results [role=option]")

    def first_url(self) -> str:
        return str(self.page.locator("#x-search-results [role=option]").first.get_attribute("data-url"))


@pytest.fixture
def reader(browser: Any) -> Iterator[Reader]:
    opened = Reader(browser)
    yield opened
    opened.context.close()


def _path(url: str) -> str:
    return urlparse(url).path


def test_a_page_view_loads_no_search_data(reader: Reader) -> None:
    root = _site_root(searchable_site("mini")[0])
    reader.page.goto(root + "events/houla-massacre/", wait_until="networkidle")
    assert reader.page.locator("button.x-search-open").is_visible()
    assert not any("/pagefind/" in url or "search_index" in url for url in reader.requests)
    assert any(url.endswith("/assets/search/search.js") for url in reader.requests)
    assert reader.errors == []


def test_typing_shows_highlighted_results_and_the_keyboard_works(reader: Reader) -> None:
    root = _site_root(searchable_site("mini")[0])
    page = reader.page
    page.goto(root, wait_until="networkidle")
    page.keyboard.press("/")
    dialog = page.locator("dialog.x-search")
    assert dialog.evaluate("d => d.open")
    field = page.locator("dialog.x-search input[type=search]")
    assert field.evaluate("f => f === document.activeElement")
    options = reader.search("Houla")
    assert options.count() >= 2
    assert reader.first_url() == "/places/houla/"
    marks = page.locator("#x-search-results mark")
    assert marks.count() >= 1
    assert "houla" in {text.lower() for text in marks.all_inner_texts()}, marks.all_inner_texts()
    # Only the index's chunks and the results' fragments were fetched, from this site.
    loaded = [url for url in reader.requests if "/pagefind/" in url]
    assert any(url.endswith(".pf_index") for url in loaded)
    assert any(url.endswith(".pf_fragment") for url in loaded)
    assert not any("pagefind-ui" in url for url in loaded)
    # Arrows move the selection (aria-activedescendant), Enter opens the selected result.
    assert field.get_attribute("aria-activedescendant") == "x-search-result-0"
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == "x-search-result-1"
    assert options.nth(1).get_attribute("aria-selected") == "true"
    field.press("ArrowUp")
    assert field.get_attribute("aria-activedescendant") == "x-search-result-0"
    field.press("Escape")
    assert not dialog.evaluate("d => d.open")
    page.keyboard.press("s")
    assert dialog.evaluate("d => d.open")
    options = reader.search("Houla")
    field.press("ArrowDown")
    target = str(options.nth(1).get_attribute("data-url"))
    with page.expect_navigation():
        field.press("Enter")
    assert _path(page.url) == target
    assert reader.foreign == []
    assert reader.errors == []


def test_the_kind_filter_and_the_documentations_own_section(reader: Reader) -> None:
    root = _site_root(searchable_site("mini")[0])
    page = reader.page
    page.goto(root, wait_until="networkidle")
    page.locator("button.x-search-open").click()
    reader.search("Houla")
    # A reader's search loads the readers' bundle only, and no filter: nothing to choose.
    assert _loaded(reader, "/pagefind/")
    assert not _loaded(reader, "/pagefind-docs/")
    assert not [url for url in _loaded(reader, "/pagefind/") if url.endswith(".pf_filter")]
    page.get_by_role("radio", name="Places", exact=True).check()
    options = reader.search("Houla")
    labels = options.locator(".x-search__label").evaluate_all("labels => labels.map(l => l.textContent)")
    assert labels
    assert set(labels) == {"Place"}
    assert [url for url in _loaded(reader, "/pagefind/") if url.endswith(".pf_filter")]  # the kind's
    # The editors' documentation is not in readers' results, only in its own section.
    assert not any(url.startswith("/about/") for url in _urls(reader.search("error")))
    page.get_by_role("radio", name="All", exact=True).check()
    readers = _urls(reader.search("error"))
    assert not any(url.startswith("/about/") for url in readers)
    assert not _loaded(reader, "/pagefind-docs/")
    page.get_by_role("radio", name="Documentation", exact=True).check()
    docs = _urls(reader.search("error"))
    assert docs
    assert all(url.startswith("/about/") for url in docs)
    assert _loaded(reader, "/pagefind-docs/")
    # On the documentation's own pages, it is the section searched first, and the only
    # bundle loaded.
    reader.requests.clear()
    page.goto(root + "about/errors/", wait_until="networkidle")
    page.keyboard.press("/")
    assert page.get_by_role("radio", name="Documentation", exact=True).is_checked()
    docs = _urls(reader.search("error"))
    assert "/about/errors/" in docs
    assert all(url.startswith("/about/") for url in docs)
    assert _loaded(reader, "/pagefind-docs/")
    assert not _loaded(reader, "/pagefind/")
    assert reader.foreign == []
    assert reader.errors == []


def _loaded(reader: Reader, bundle: str) -> list[str]:
    """What the page fetched from a bundle (`/pagefind/` or `/pagefind-docs/`)."""
    return [url for url in reader.requests if bundle in _path(url)]


def _urls(options: Any) -> list[str]:
    return [str(options.nth(i).get_attribute("data-url")) for i in range(options.count())]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_in_the_search(browser: Any, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    root = _site_root(searchable_site("mini")[0])
    reader = Reader(browser, scheme)
    page = reader.page
    page.goto(root + "actors/envoy/", wait_until="networkidle")
    problems = _serious(Axe().run(page).response)
    page.keyboard.press("/")
    reader.search("Kofi")
    page.locator("#x-search-results [role=option]").first.wait_for()
    problems += _serious(Axe().run(page).response)
    reader.context.close()
    assert problems == []


def _serious(response: dict[str, Any]) -> list[str]:
    return [
        f"{v['id']} {v['impact']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("words", "expected"), SYRIA_FIRST.items(), ids=SYRIA_FIRST.keys())
def test_syria_queries_list_the_record_page_first(reader: Reader, words: str, expected: str) -> None:
    root = _site_root(searchable_site("syria")[0])
    reader.page.goto(root, wait_until="load")
    reader.page.keyboard.press("/")
    reader.search(words)
    assert reader.first_url() == urlparse(root).path.rstrip("/") + expected
    assert reader.foreign == []


def test_an_arabic_name_is_found_on_a_right_to_left_page(reader: Reader) -> None:
    root = _site_root(searchable_site("arabic")[0])
    page = reader.page
    page.goto(root, wait_until="networkidle")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.x-search-open')).direction") == "rtl"
    page.keyboard.press("/")
    reader.search("عنان")
    assert reader.first_url() == "/actors/kofi-annan/"
    reader.search("حولة")  # the place's alias
    assert reader.first_url() == "/places/houla/"
    assert page.locator("#x-search-results mark").count() >= 1
    assert reader.errors == []


def _site_root(folder: Path) -> str:
    return serve_folder(folder) + "/"
