"""Embeds in headless Chromium: an article on another origin (a second port of 127.0.0.1)
embeds every site-wide chart with the gallery's snippet; each frame takes its chart's height
at phone, tablet and desktop widths, with no console error and no request to another host."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import require_chromium
from test_charts_browser import DARK_TEXT, LIGHT_TEXT, Watch, built_site, launch, serve

pytestmark = pytest.mark.browser
SITE_WIDE = ("timeline", "positions", "tolls", "network", "map")


def article(snippets: list[str]) -> str:
    body = "\n".join(f"<p>Paragraph {i} of a newsroom's article.</p>\n{s}" for i, s in enumerate(snippets))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Article</title>'
        '<link rel="icon" href="data:,">'
        "<style>body{margin:0 auto;max-width:760px;padding:0 8px;font-family:serif}</style></head>"
        f"<body><h1>A newsroom's article</h1>\n{body}\n</body></html>"
    )


@pytest.fixture(scope="module")
def newsroom() -> tuple[str, str, Any]:
    """(explainer origin, article origin, chart set): the article embeds every site-wide chart."""
    require_chromium()
    _, origin, charts = built_site()
    folder = Path(tempfile.mkdtemp(prefix="explainer-newsroom-"))
    snippets = [charts.snippet(cid, base_url=f"{origin}/") for cid in SITE_WIDE]
    (folder / "index.html").write_text(article(snippets), encoding="utf-8")
    bare = [s.split("<script>")[0] for s in snippets]  # a CMS that strips scripts
    (folder / "no-script.html").write_text(article(bare), encoding="utf-8")
    strict = [
        s.replace("allow-scripts allow-popups allow-popups-to-escape-sandbox", "allow-scripts allow-popups")
        for s in snippets
    ]
    (folder / "strict.html").write_text(article(strict), encoding="utf-8")
    return origin, serve(folder), charts


@pytest.fixture(scope="module")
def browser() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def frame_heights(page: Any) -> list[dict[str, float]]:
    """Each iframe's height on the article, and the height of the chart page inside it."""
    results = []
    for index, element in enumerate(page.query_selector_all("iframe[data-explainer-embed]")):
        frame = element.content_frame()
        assert frame is not None
        frame.wait_for_selector('.explainer-chart[data-state="drawn"]', state="attached", timeout=15000)
        inner = frame.evaluate(
            """() => {
                const main = document.getElementById('explainer-embed');
                const s = getComputedStyle(document.body);
                const margins = parseFloat(s.marginTop) + parseFloat(s.marginBottom);
                return Math.ceil(main.getBoundingClientRect().height + margins);
            }"""
        )
        results.append({"index": index, "frame": element.bounding_box()["height"], "inner": inner})
    return results


def settled_heights(page: Any, width: int, variant: str) -> None:
    """Wait until every frame is as tall as the chart page inside it (the page resizes them)."""
    measured: list[dict[str, float]] = []
    for _ in range(80):  # up to about 15 s on a busy CI machine
        measured = frame_heights(page)
        if all(abs(m["frame"] - m["inner"]) <= 2 for m in measured):
            return
        page.wait_for_timeout(150)
    raise AssertionError(f"frames did not take their chart's height at {width} px ({variant}): {measured}")


@pytest.mark.parametrize("variant", ["index.html", "strict.html"])
def test_frames_take_their_charts_height(browser: Any, newsroom: tuple[str, str, Any], variant: str) -> None:
    """At 360, 768 and 1280 px wide; `strict.html` uses sandbox="allow-scripts allow-popups"."""
    origin, article_origin, charts = newsroom
    context = browser.new_context(viewport={"width": 360, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{article_origin}/{variant}")
    frames = page.query_selector_all("iframe[data-explainer-embed]")
    assert len(frames) == len(SITE_WIDE)
    for element in frames:
        element.scroll_into_view_if_needed()
        element.content_frame().wait_for_selector(
            '.explainer-chart[data-state="drawn"]', state="attached", timeout=15000
        )
    for width in (360, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        settled_heights(page, width, variant)
        for element, chart_id in zip(frames, SITE_WIDE, strict=True):
            frame = element.content_frame()
            assert frame.evaluate("document.querySelectorAll('path.point').length") == charts.chart(chart_id).marks()
            assert frame.evaluate("document.documentElement.scrollWidth") <= width
    assert watch.errors == []
    assert watch.hosts <= {urlsplit(origin).netloc, urlsplit(article_origin).netloc}
    context.close()


def test_without_the_script_frames_keep_a_sensible_height(browser: Any, newsroom: tuple[str, str, Any]) -> None:
    _, article_origin, charts = newsroom
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{article_origin}/no-script.html")
    for element, chart_id in zip(page.query_selector_all("iframe"), SITE_WIDE, strict=True):
        assert element.bounding_box()["height"] >= charts.chart(chart_id).height
    page.close()


def test_listener_ignores_other_senders_and_non_numbers(browser: Any, newsroom: tuple[str, str, Any]) -> None:
    _, article_origin, _ = newsroom
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{article_origin}/index.html")
    first = page.query_selector("iframe[data-explainer-embed]")
    first.content_frame().wait_for_selector('.explainer-chart[data-state="drawn"]', state="attached", timeout=15000)
    page.wait_for_function("document.querySelector('iframe[data-explainer-embed]').style.height !== ''")
    before = page.evaluate("document.querySelector('iframe[data-explainer-embed]').style.height")
    page.evaluate("window.postMessage(3000, '*')")  # the article itself is not the frame
    first.content_frame().evaluate("parent.postMessage('3000px', '*')")  # the frame, but not a number
    first.content_frame().evaluate("parent.postMessage({height: 3000}, '*')")
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelector('iframe[data-explainer-embed]').style.height") == before
    page.close()


THEMES = (
    ("dark", "light", DARK_TEXT),
    ("light", "dark", LIGHT_TEXT),
    ("auto", "dark", DARK_TEXT),
    ("auto", "light", LIGHT_TEXT),
)


def test_embed_page_theme_title_language_and_credit(browser: Any, newsroom: tuple[str, str, Any]) -> None:
    """`?theme=dark|light|auto` against the reader's own scheme."""
    origin, _, _ = newsroom
    for theme, scheme, text in THEMES:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        watch = Watch(page)
        page.goto(f"{origin}/embed/tolls/?theme={theme}")
        page.wait_for_selector('.explainer-chart[data-state="drawn"]', timeout=15000)
        expected = "dark" if text == DARK_TEXT else "light"
        assert page.evaluate("document.documentElement.getAttribute('data-theme')") == expected, (theme, scheme)
        assert page.evaluate("getComputedStyle(document.querySelector('.ytick text')).fill") == text, (theme, scheme)
        assert page.title() == "Reported death tolls — Mini explainer: a small test crisis"
        assert page.evaluate("document.documentElement.lang") == "en"
        credit = page.inner_text(".explainer-embed-credit")
        assert "The Daily Report" in credit
        assert "Mini explainer" in credit
        assert watch.errors == []
        assert watch.hosts == {urlsplit(origin).netloc}
        context.close()


def test_opening_the_data_grows_the_frame(browser: Any, newsroom: tuple[str, str, Any]) -> None:
    _, article_origin, _ = newsroom
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{article_origin}/index.html")
    frames = page.query_selector_all("iframe[data-explainer-embed]")
    for each in frames:
        each.scroll_into_view_if_needed()
        each.content_frame().wait_for_selector('.explainer-chart[data-state="drawn"]', state="attached", timeout=15000)
    element = frames[2]  # the tolls chart
    frame = element.content_frame()
    element.scroll_into_view_if_needed()
    settled_heights(page, 1280, "index.html")
    closed = element.bounding_box()["height"]
    frame.click(".explainer-embed-data summary")
    settled_heights(page, 1280, "index.html (data open)")
    assert element.bounding_box()["height"] > closed + 50
    page.close()
