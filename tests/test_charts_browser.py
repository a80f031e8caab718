"""Charts in headless Chromium: every chart draws its marks, in light and dark, follows the
theme switch, resizes, and asks nothing of any other host.

The mini fixture's site is built once per session (`built_site()`, shared with
tests/test_embed_browser.py) and served on 127.0.0.1.
"""

from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import require_chromium, serve_folder

MINI = Path(__file__).parent / "fixtures" / "mini"
DARK_TEXT = "rgb(226, 228, 233)"
LIGHT_TEXT = "rgb(31, 35, 40)"
# The page each chart is placed on by the site's page generator.
CHART_PAGES = {
    "timeline": "timeline/",
    "positions": "questions/",
    "tolls": "events/",
    "network": "actors/",
    "map": "map/",
    # the mini fixture's only record with three marks or more (the others' pages list theirs)
    "question-president-step-down-history": "questions/president-step-down/",
}

pytestmark = pytest.mark.browser


@functools.cache
def built_site() -> tuple[Path, str, Any]:
    """The mini site, built once: (site folder, its origin, the chart set it was built with)."""
    from explainer.charts import build_charts
    from explainer.checking.validate import validate_data
    from explainer.commands.build import Progress, build_site

    dataset, report = validate_data(MINI)
    assert report.ok
    root = Path(tempfile.mkdtemp(prefix="explainer-charts-site-"))
    atexit.register(shutil.rmtree, root, True)
    build_site(dataset, root / "site", Progress())
    return root / "site", serve_folder(root / "site"), build_charts(dataset)


@pytest.fixture(scope="module")
def site() -> tuple[Path, str, Any]:
    require_chromium()
    return built_site()


class Watch:
    """What a page did: console errors, failed responses, hosts it asked."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))
        page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc))


def drawn_chart(page: Any, chart_id: str) -> dict[str, Any]:
    """Scroll the chart into view, wait for plotly to draw it, and describe what it drew."""
    selector = f'.explainer-chart[data-chart="{chart_id}"]'
    page.locator(selector).scroll_into_view_if_needed()
    # A chart with a preview image draws when the reader reaches for it: its button starts it.
    page.evaluate(
        """(selector) => {
            const chart = document.querySelector(selector);
            const button = document.querySelector(`[data-chart-start="${chart.id}"]`);
            if (button && !chart.getAttribute('data-state')) button.click();
        }""",
        selector,
    )
    page.wait_for_selector(f'{selector}[data-state="drawn"]', timeout=15000)
    return page.evaluate(
        """(selector) => {
            const c = document.querySelector(selector);
            const tick = c.querySelector('.xtick text, .ytick text, .legendtext');
            const svg = c.querySelector('svg.main-svg');
            return {
                points: c.querySelectorAll('path.point').length,
                svgs: c.querySelectorAll('svg.main-svg').length,
                text: tick ? getComputedStyle(tick).fill : null,
                width: svg ? svg.getBoundingClientRect().width : 0,
            };
        }""",
        selector,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chart_draws_every_mark(browser: Any, site: tuple[Path, str, Any], scheme: str) -> None:
    """Each chart on its page: as many marks as the figure has points, in the reader's scheme."""
    _, origin, charts = site
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    expected_scheme = "slate" if scheme == "dark" else "default"
    assert set(CHART_PAGES) == set(charts.ids)  # every chart of the fixture
    for chart_id, path in sorted(CHART_PAGES.items()):
        page.goto(f"{origin}/{path}")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected_scheme
        drawn = drawn_chart(page, chart_id)
        assert drawn["svgs"] >= 1, chart_id
        assert drawn["points"] == charts.chart(chart_id).marks(), chart_id
        assert drawn["text"] == (DARK_TEXT if scheme == "dark" else LIGHT_TEXT), chart_id
    assert watch.errors == []
    assert watch.hosts == {urlsplit(origin).netloc}
    context.close()


def test_chart_follows_the_theme_switch_live(browser: Any, site: tuple[Path, str, Any]) -> None:
    _, origin, _ = site
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(f"{origin}/timeline/")
    assert drawn_chart(page, "timeline")["text"] == LIGHT_TEXT
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(
        "(fill) => getComputedStyle(document.querySelector('.explainer-chart .ytick text')).fill === fill",
        arg=DARK_TEXT,
        timeout=5000,
    )
    context.close()


def test_chart_fits_the_window(browser: Any, site: tuple[Path, str, Any]) -> None:
    """Drawn at 1280 px, then the window narrows to a tablet's and a phone's width."""
    _, origin, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{origin}/map/")
    drawn_chart(page, "map")
    for width in (768, 360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(
            """(width) => {
                const c = document.querySelector('.explainer-chart');
                const svg = c.querySelector('svg.main-svg');
                return svg && Math.abs(svg.getBoundingClientRect().width - c.getBoundingClientRect().width) < 2
                    && c.getBoundingClientRect().right <= width;
            }""",
            arg=width,
            timeout=5000,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_a_page_without_a_chart_loads_no_plotly(browser: Any, site: tuple[Path, str, Any]) -> None:
    _, origin, _ = site
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{origin}/sources/daily-report/")
    page.wait_for_load_state("networkidle")
    assert not any("plotly" in url for url in requested)
    assert any(url.endswith("assets/explainer/charts.js") for url in requested)
    page.close()


def test_clicking_a_mark_opens_its_page(browser: Any, site: tuple[Path, str, Any]) -> None:
    _, origin, charts = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{origin}/timeline/")
    drawn_chart(page, "timeline")
    point = page.locator(".explainer-chart path.point").first
    box = point.bounding_box()
    assert box is not None
    trace = next(t for t in charts.chart("timeline").figure["data"] if t.get("mode") == "markers")
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.url == f"{origin}/{trace['customdata'][0]}"
    page.close()


def test_static_images_and_noscript_fallback(site: tuple[Path, str, Any]) -> None:
    folder, _, charts = site
    if not charts.images_planned():
        pytest.skip("kaleido or Chromium is missing: static images are not made")
    for chart_id in ("timeline", "positions", "tolls", "network", "map"):
        png = (folder / f"assets/charts/{chart_id}.png").read_bytes()
        svg = (folder / f"assets/charts/{chart_id}.svg").read_text()
        assert png.startswith(b"\x89PNG")
        assert "<svg" in svg
    page = (folder / "timeline/index.html").read_text()
    # static first: the preview image stands where the chart goes, with or without JavaScript
    assert '<img class="explainer-chart-preview" src="../assets/charts/timeline.preview.svg"' in page
    spec = json.loads((folder / "assets/charts/timeline.json").read_text())
    assert spec["data"]


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "light"), (390, "dark"), (1280, "dark")])
def test_chart_pages_pass_axe(browser: Any, site: tuple[Path, str, Any], width: int, scheme: str) -> None:
    """The chart block, drawn, and a standalone embed: no axe-core violations, on a phone
    and a wide screen, light and dark."""
    from axe_playwright_python.sync_playwright import Axe

    _, origin, _ = site
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    for path, chart_id in (("questions/", "positions"), ("embed/map/", "map"), ("events/", "tolls")):
        page.goto(f"{origin}/{path}")
        drawn_chart(page, chart_id)
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == [], path
    context.close()


def test_on_a_touch_screen_first_tap_shows_second_tap_opens(browser: Any, site: tuple[Path, str, Any]) -> None:
    _, origin, _ = site
    context = browser.new_context(viewport={"width": 400, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{origin}/timeline/")
    drawn_chart(page, "timeline")
    box = page.locator(".explainer-chart path.point").first.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.wait_for_selector(".explainer-chart .hoverlayer .hovertext", timeout=5000)
    assert page.url == f"{origin}/timeline/"
    with page.expect_navigation():
        page.touchscreen.tap(x, y)
    assert "/events/" in page.url
    context.close()


def test_positions_replay_recolours_the_cells(browser: Any, site: tuple[Path, str, Any]) -> None:
    """The "as of" slider's first step (August 2011): only France has a position yet."""
    _, origin, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{origin}/questions/")
    drawn_chart(page, "positions")
    marks = page.evaluate(
        """async () => {
            const gd = document.querySelector('.explainer-chart[data-chart="positions"]');
            const step = gd.layout.sliders[0].steps[0];
            await Plotly.restyle(gd, step.args[0], step.args[1]);
            return Array.from(gd.querySelectorAll('.textpoint text')).map(t => t.textContent).filter(t => t);
        }"""
    )
    assert marks == ["+"]
    page.close()


# What a chart at a phone's width shows, measured on the drawn SVG: every mark inside its plot
# area, tick labels without a time of day, and no region wider than the screen without a cue.
PHONE_FACTS = """(selector) => {
    const c = document.querySelector(selector);
    const areas = [...c.querySelectorAll('.draglayer .nsewdrag')].map(r => r.getBoundingClientRect());
    const outside = [...c.querySelectorAll('path.point')]
        .map(p => p.getBoundingClientRect())
        .filter(r => r.width > 0)
        .filter(r => {
            const x = r.x + r.width / 2, y = r.y + r.height / 2;
            return !areas.some(a => x >= a.x - 1 && x <= a.right + 1 && y >= a.y - 1 && y <= a.bottom + 1);
        }).length;
    const ticks = [...c.querySelectorAll('.xtick text, .ytick text, .slider-group text')].map(t => t.textContent);
    const wide = [...document.querySelectorAll('.explainer-chart-scroll, .explainer-chart-table')]
        .filter(box => box.scrollWidth > box.clientWidth + 1)
        .map(box => {
            const style = getComputedStyle(box);
            return {cls: box.className, overflow: style.overflowX, cue: style.backgroundImage};
        });
    return {
        outside,
        ticks,
        wide,
        page: document.documentElement.scrollWidth,
        right: c.getBoundingClientRect().right,
    };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_at_a_phones_width_every_mark_shows_without_time_ticks(
    browser: Any, site: tuple[Path, str, Any], scheme: str
) -> None:
    _, origin, _ = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    for chart_id, path in sorted(CHART_PAGES.items()):
        page.goto(f"{origin}/{path}")
        drawn_chart(page, chart_id)
        page.locator("details.explainer-chart-data").first.evaluate("d => d.open = true")  # the table, shown
        facts = page.evaluate(PHONE_FACTS, f'.explainer-chart[data-chart="{chart_id}"]')
        assert facts["outside"] == 0, chart_id  # every mark inside its plot area
        assert not [t for t in facts["ticks"] if re.search(r"\d:\d\d", t)], (chart_id, facts["ticks"])
        assert facts["page"] <= 390, chart_id  # the page itself never scrolls sideways
        for box in facts["wide"]:  # what scrolls sideways says so: a shadow on the hidden side
            assert box["overflow"] in ("auto", "scroll"), (chart_id, box)
            assert "gradient" in box["cue"], (chart_id, box)
    context.close()


def test_a_month_precision_chart_and_its_table_agree(browser: Any, site: tuple[Path, str, Any]) -> None:
    """The question chart places "March 2012" before "7 June 2012", as its table lists them."""
    _, origin, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{origin}/questions/president-step-down/")
    drawn_chart(page, "question-president-step-down-history")
    order = page.evaluate(
        """() => {
            const gd = document.querySelector('.explainer-chart[data-chart="question-president-step-down-history"]');
            const marks = gd.data.filter(t => t.mode === 'markers').flatMap(t => t.x.map((x, i) => [x, t.y[i]]));
            return marks.filter(m => m[1] === 'Kofi Annan').map(m => m[0]).sort();
        }"""
    )
    assert order == ["2012-03-01", "2012-06-07"]
    rows = page.locator(".explainer-chart-table tbody tr")
    dates = [rows.nth(i).locator("th").first.text_content() for i in range(rows.count())]
    assert dates.index("March 2012") < dates.index("7 June 2012")
    page.close()
