"""The map's two sets of marks in headless Chromium: the Syria explainer's /map/ shows the
phone's set at 390 px and the wide set at 1280 px (Houla and Homs apart), switches when the
window is resized, and its legend never lists an entry twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import serve_folder
from test_build import run_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).parent.parent
CHART = '.explainer-chart[data-chart="map"]'


@pytest.fixture(scope="module")
def map_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    site = tmp_path_factory.mktemp("syria") / "site"
    assert run_build(ROOT / "data", site) == 0
    return serve_folder(site) + "/map/"


def shown(page: Any) -> dict[str, Any]:
    """Which set each tagged trace is drawn with, the legend's entries and the place names drawn."""
    return page.evaluate(
        """(selector) => {
            const c = document.querySelector(selector);
            const sets = {narrow: [], wide: []};
            c._fullData.forEach((t) => {
                const set = t.meta && t.meta.layout;
                if (set) sets[set].push(t.visible);
            });
            return {
                width: c._fullLayout._size.w,
                sets: sets,
                legend: [...c.querySelectorAll('.legendtext')].map((e) => e.textContent),
                labels: [...c.querySelectorAll('.textpoint text')].map((e) => e.textContent),
            };
        }""",
        CHART,
    )


def open_map(browser: Any, url: str, width: int) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    chart = page.locator(CHART)
    chart.scroll_into_view_if_needed()
    chart.hover()  # a chart paints its preview first; reaching for it draws it
    page.wait_for_selector(f'{CHART}[data-state="drawn"]', timeout=15000)
    return page, errors


def wait_for_set(page: Any, layout_set: str) -> dict[str, Any]:
    page.wait_for_function(
        """([selector, set]) => {
            const c = document.querySelector(selector);
            return c._fullData.some((t) => t.meta && t.meta.layout === set && t.visible === true);
        }""",
        arg=[CHART, layout_set],
        timeout=5000,
    )
    return shown(page)


def test_a_phone_sees_the_narrow_set_and_a_wide_screen_the_wide_one(browser: Any, map_url: str) -> None:
    page, errors = open_map(browser, map_url, 390)
    phone = wait_for_set(page, "narrow")
    assert phone["width"] < 640
    assert all(v is True for v in phone["sets"]["narrow"])
    assert not any(phone["sets"]["wide"])
    assert "Homs and 3 more" in phone["labels"]
    assert "Houla" not in phone["labels"]
    assert len(phone["legend"]) == len(set(phone["legend"]))
    page.set_viewport_size({"width": 1280, "height": 900})  # a resize switches the set
    resized = wait_for_set(page, "wide")
    assert not any(resized["sets"]["narrow"])
    assert errors == []
    page.close()

    page, errors = open_map(browser, map_url, 1280)
    wide = wait_for_set(page, "wide")
    assert wide["width"] >= 640
    assert all(v is True for v in wide["sets"]["wide"])
    assert not any(wide["sets"]["narrow"])
    assert "Houla" in wide["labels"]
    assert any(label.startswith("Homs") for label in wide["labels"])
    assert len(wide["legend"]) == len(set(wide["legend"]))
    assert "Violence" in wide["legend"]
    page.set_viewport_size({"width": 390, "height": 900})
    back = wait_for_set(page, "narrow")
    assert not any(back["sets"]["wide"])
    assert errors == []
    page.close()
