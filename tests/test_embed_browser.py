"""Embeds in headless Chromium, as a newsroom uses them (issue 14).

An article on another origin (a second port of 127.0.0.1) embeds three charts with the
gallery's snippet, at 320, 360, 768 and 1280 px: with the snippet's script, without it (a
content system that strips scripts), and with JavaScript off. Each frame shows its chart (the
static preview, or the interactive chart once a reader reaches for it) whole, with its credit,
and asks nothing of another host. Also: the images to publish (edges are background, the SVG's
text holds the title and credit), `?theme=`, `?date=`, AMP's resize message, a chart page
opened from file://. Screenshots go to $EXPLAINER_SCREENSHOTS (default: a temporary folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import require_chromium, serve_folder
from test_charts_browser import Watch, built_site

pytestmark = pytest.mark.browser
EMBEDDED = ("timeline", "positions", "tolls")
WIDTHS = (320, 360, 768, 1280)
SHOTS = Path(os.environ.get("EXPLAINER_SCREENSHOTS") or tempfile.mkdtemp(prefix="explainer-shots-"))


def article(snippets: list[str]) -> str:
    body = "\n".join(f"<p>Paragraph {i} of a newsroom's article.</p>\n{s}" for i, s in enumerate(snippets))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Article</title>'
        '<link rel="icon" href="data:,">'
        "<style>body{margin:0 auto;max-width:1280px;padding:0;font-family:serif}</style></head>"
        f"<body><h1>A newsroom's article</h1>\n{body}\n"
        "<script>window.ampMessages=[];window.addEventListener('message',function(e){"
        "if(e.data&&e.data.sentinel==='amp')window.ampMessages.push(e.data)})</script></body></html>"
    )


@pytest.fixture(scope="module")
def newsroom() -> tuple[Path, str, str, Any]:
    """(site folder, explainer origin, article origin, chart set)."""
    require_chromium()
    site, origin, charts = built_site()
    assert charts.images_planned(), "these tests need the static images (kaleido and Chromium)"
    folder = Path(tempfile.mkdtemp(prefix="explainer-newsroom-"))
    snippets = [charts.snippet(cid, base_url=f"{origin}/") for cid in EMBEDDED]
    (folder / "index.html").write_text(article(snippets), encoding="utf-8")
    (folder / "no-script.html").write_text(article([s.split("<script>")[0] for s in snippets]), encoding="utf-8")
    pinned = [charts.snippet(cid, base_url=f"{origin}/", version=True) for cid in EMBEDDED]
    (folder / "pinned.html").write_text(article(pinned), encoding="utf-8")
    return site, origin, serve_folder(folder), charts


WHOLE = """() => {
    const credit = document.querySelector('.explainer-embed-credit');
    const chart = document.querySelector('.explainer-chart');
    const shown = chart.querySelector('.explainer-chart-preview, svg.main-svg');
    const c = credit.getBoundingClientRect(), s = shown ? shown.getBoundingClientRect() : null;
    return {
        inner: innerHeight, width: innerWidth, scrollWidth: document.documentElement.scrollWidth,
        creditTop: c.top, creditBottom: c.bottom, creditText: credit.innerText,
        chartTop: s ? s.top : null, chartBottom: s ? s.bottom : null, chartHeight: s ? s.height : 0,
        state: chart.getAttribute('data-state'), plotly: typeof window.Plotly,
        text: document.body.innerText,
    };
}"""


def frames_whole(page: Any, label: str) -> list[dict[str, Any]]:
    """Each frame's chart and credit, checked to be inside the frame."""
    results = []
    for element in page.query_selector_all("iframe[data-explainer-embed]"):
        element.scroll_into_view_if_needed()
        frame = element.content_frame()
        frame.wait_for_selector(".explainer-embed-credit", state="attached", timeout=15000)
        frame.wait_for_function(
            "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=15000
        )
        seen = frame.evaluate(WHOLE)
        assert seen["creditTop"] >= 0, (label, seen)
        assert seen["creditBottom"] <= seen["inner"] + 1, (label, seen)
        assert seen["chartHeight"] >= 80, (label, seen)  # the chart (or its image) is there, not squeezed away
        assert seen["chartBottom"] <= seen["creditTop"] + 1, (label, seen)
        assert seen["scrollWidth"] <= seen["width"] + 1, (label, seen)
        assert "could not be shown" not in seen["text"]
        results.append(seen)
    return results


@pytest.mark.parametrize("variant", ["index.html", "no-script.html", "javascript-off"])
def test_three_embeds_show_whole_with_their_credit_at_every_width(
    browser: Any, newsroom: tuple[Path, str, str, Any], variant: str
) -> None:
    _, origin, article_origin, _charts = newsroom
    context = browser.new_context(
        viewport={"width": 320, "height": 900}, java_script_enabled=variant != "javascript-off"
    )
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{article_origin}/{'index.html' if variant == 'javascript-off' else variant}")
    assert len(page.query_selector_all("iframe[data-explainer-embed]")) == len(EMBEDDED)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        seen = frames_whole(page, f"{variant} at {width} px")
        for each in seen:
            assert "Mini explainer" in each["creditText"]
            assert each["state"] is None or variant != "javascript-off"
            assert each["plotly"] == "undefined"  # first view: no plotly.js before a reader reaches for it
        if variant == "index.html":  # the script sets each frame to its content's height
            page.wait_for_function(
                """() => [...document.querySelectorAll('iframe[data-explainer-embed]')]
                    .every(f => f.style.height !== '')""",
                timeout=15000,
            )
        if width == 360:
            page.screenshot(path=str(SHOTS / f"article-360-{variant.split('.')[0]}.png"), full_page=True)
    assert watch.errors == []
    assert watch.hosts <= {urlsplit(origin).netloc, urlsplit(article_origin).netloc}
    context.close()


def test_reaching_for_a_chart_loads_the_interactive_one(browser: Any, newsroom: tuple[Path, str, str, Any]) -> None:
    _, _origin, article_origin, charts = newsroom
    page = browser.new_page(viewport={"width": 768, "height": 900})
    watch = Watch(page)
    page.goto(f"{article_origin}/index.html")
    for element, chart_id in zip(page.query_selector_all("iframe[data-explainer-embed]"), EMBEDDED, strict=True):
        element.scroll_into_view_if_needed()
        frame = element.content_frame()
        frame.wait_for_selector(".explainer-chart-preview")
        frame.hover(".explainer-chart")
        frame.wait_for_selector('.explainer-chart[data-state="drawn"]', timeout=20000)
        assert frame.evaluate("document.querySelectorAll('path.point').length") == charts.chart(chart_id).marks()
        assert frame.evaluate("document.querySelector('.explainer-chart-preview')") is None
    page.wait_for_timeout(500)
    seen = frames_whole(page, "drawn at 768 px")
    for each, element in zip(seen, page.query_selector_all("iframe[data-explainer-embed]"), strict=True):
        assert abs(element.bounding_box()["height"] - each["inner"]) <= 2
    assert page.evaluate("window.ampMessages.length") > 0  # AMP's embed-size, beside the plain number
    assert {m["type"] for m in page.evaluate("window.ampMessages")} == {"embed-size"}
    assert watch.errors == []
    page.close()


def test_keyboard_focus_loads_the_chart(browser: Any, newsroom: tuple[Path, str, str, Any]) -> None:
    _, origin, _, _ = newsroom
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{origin}/embed/tolls/")
    page.keyboard.press("Tab")  # the title's links come after the chart's button
    page.wait_for_selector('.explainer-chart[data-state="drawn"]', timeout=20000)
    page.close()


def test_listener_ignores_other_senders_and_non_numbers(browser: Any, newsroom: tuple[Path, str, str, Any]) -> None:
    _, _, article_origin, _ = newsroom
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{article_origin}/index.html")
    # wait until the frame has told its own height (the snippet's CSS height is "auto" before)
    page.wait_for_function("document.querySelector('iframe[data-explainer-embed]').style.height.endsWith('px')")
    page.wait_for_timeout(300)  # and any second resize of its own has arrived
    first = page.query_selector("iframe[data-explainer-embed]")
    before = page.evaluate("document.querySelector('iframe[data-explainer-embed]').style.height")
    page.evaluate("window.postMessage(3000, '*')")  # the article itself is not the frame
    first.content_frame().evaluate("parent.postMessage('3000px', '*')")  # the frame, but not a number
    first.content_frame().evaluate("parent.postMessage({height: 3000}, '*')")
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelector('iframe[data-explainer-embed]').style.height") == before
    page.close()


@pytest.mark.parametrize(("theme", "scheme", "expected"), [
    ("", "dark", "light"),  # embeds are light unless asked: the host page decides
    ("?theme=dark", "light", "dark"),
    ("?theme=auto", "dark", "dark"),
    ("?theme=auto", "light", "light"),
])  # fmt: skip
def test_embed_theme(
    browser: Any, newsroom: tuple[Path, str, str, Any], theme: str, scheme: str, expected: str
) -> None:
    _, origin, _, _ = newsroom
    context = browser.new_context(color_scheme=scheme, viewport={"width": 360, "height": 700})
    page = context.new_page()
    page.goto(f"{origin}/embed/tolls/{theme}")
    page.wait_for_function("document.querySelector('.explainer-chart-preview').complete")
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") == expected
    src = page.evaluate("document.querySelector('.explainer-chart-preview').getAttribute('src')")
    assert src.endswith("preview-dark.svg" if expected == "dark" else "tolls.preview.svg")
    page.screenshot(path=str(SHOTS / f"embed-tolls-360-{expected}-{scheme}.png"), full_page=True)
    context.close()


def test_date_parameter_sets_the_stance_chart(browser: Any, newsroom: tuple[Path, str, str, Any]) -> None:
    _, origin, _, charts = newsroom
    from explainer.charts.render import slider_dates

    dates = slider_dates(charts.chart("positions").figure)
    assert len(dates) >= 2
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{origin}/embed/positions/?date={dates[0]}")
    page.wait_for_selector('.explainer-chart[data-state="drawn"]', timeout=20000)  # no reader needed
    active = page.evaluate("document.querySelector('.explainer-chart').layout.sliders[0].active")
    assert active == max(i for i, d in enumerate(dates) if d and d <= dates[0])
    page.close()


def test_pinned_versions_show_their_version(browser: Any, newsroom: tuple[Path, str, str, Any]) -> None:
    _, _, article_origin, charts = newsroom
    page = browser.new_page(viewport={"width": 768, "height": 900})
    page.goto(f"{article_origin}/pinned.html")
    seen = frames_whole(page, "pinned at 768 px")
    for each, chart_id in zip(seen, EMBEDDED, strict=True):
        assert f"Version {charts.version(chart_id)}" in each["creditText"]
    page.close()


EDGES = """async (src) => {
    const img = new Image(); img.src = src; await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
    const w = canvas.width, h = canvas.height, seen = new Set();
    const band = 4;  // the outermost 4 px on every side
    for (const [x0, y0, x1, y1] of [[0, 0, w, band], [0, h - band, w, h], [0, 0, band, h], [w - band, 0, w, h]]) {
        const data = g.getImageData(x0, y0, x1 - x0, y1 - y0).data;
        for (let i = 0; i < data.length; i += 4) seen.add([...data.slice(i, i + 4)].join(','));
    }
    return {colours: [...seen], width: w, height: h};
}"""

SVG_TEXT = """async (src) => {
    const text = await (await fetch(src)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml');
    return [...svg.querySelectorAll('text')].map(t => t.textContent).join('\\n');
}"""


@pytest.mark.parametrize(
    "chart_id", ["timeline", "positions", "tolls", "network", "map", "question-president-step-down-history"]
)
def test_publishable_images_are_whole_and_credited(
    browser: Any, newsroom: tuple[Path, str, str, Any], chart_id: str
) -> None:
    site, origin, _, charts = newsroom
    if chart_id not in charts.ids:
        pytest.skip(f"the mini data has no chart {chart_id}")
    page = browser.new_page()
    page.goto(f"{origin}/")
    for fmt, background in (("png", "255,255,255,255"), ("dark.png", "30,33,41,255")):
        edges = page.evaluate(EDGES, f"{origin}/assets/charts/{chart_id}.{fmt}")
        assert edges["colours"] == [background], (chart_id, fmt, edges["colours"][:5])  # nothing runs off an edge
        assert edges["width"] >= 2000  # 2x
    credit = charts.credit_line(chart_id)
    for fmt in ("svg", "dark.svg"):
        text = page.evaluate(SVG_TEXT, f"{origin}/assets/charts/{chart_id}.{fmt}")
        assert charts.chart(chart_id).title in text
        assert credit in text.replace("&amp;", "&")
        assert "Mini explainer" in text
    if charts.chart(chart_id).site_wide:
        card = page.evaluate(EDGES, f"{origin}/assets/charts/{chart_id}.card.png")
        assert (card["width"], card["height"]) == (1200, 630)
    for fmt in ("png", "dark.png"):
        (SHOTS / f"image-{chart_id}.{fmt}").write_bytes((site / f"assets/charts/{chart_id}.{fmt}").read_bytes())
    page.close()


def test_chart_page_from_file_shows_the_preview_not_an_error(
    browser: Any, newsroom: tuple[Path, str, str, Any]
) -> None:
    site, _, _, _ = newsroom
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto((site / "timeline" / "index.html").as_uri())
    page.wait_for_function("() => [...document.querySelectorAll('.explainer-chart-preview')].every(i => i.complete)")
    seen = page.evaluate(
        """() => {
            const c = document.querySelector('.explainer-chart');
            const img = c.querySelector('.explainer-chart-preview');
            return {height: img.getBoundingClientRect().height, box: c.getBoundingClientRect().height,
                    minHeight: c.style.minHeight, text: document.body.innerText};
        }"""
    )
    assert seen["height"] > 80
    assert abs(seen["box"] - seen["height"]) <= 6
    assert seen["minHeight"] == ""
    assert "could not be shown" not in seen["text"]
    page.close()


def test_chart_page_without_javascript_shows_the_image_in_place(
    browser: Any, newsroom: tuple[Path, str, str, Any]
) -> None:
    _, origin, _, _ = newsroom
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{origin}/timeline/")
    box = page.evaluate(
        """() => {
            const c = document.querySelector('.explainer-chart'), i = c.querySelector('img');
            const box = c.getBoundingClientRect(), shown = i.getBoundingClientRect();
            return {box: box.height, img: shown.height, top: shown.top - box.top};
        }"""
    )
    assert box["img"] > 100
    assert box["top"] <= 1
    assert abs(box["box"] - box["img"]) <= 6
    context.close()
