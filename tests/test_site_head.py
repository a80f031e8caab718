"""What a page says in <head> for feed readers and link previews (the theme's one override)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_build import built_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> Path:
    return built_site("mini")[0]


def _meta(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_every_page_links_the_atom_feed(site: Path) -> None:
    for page in ("index.html", "timeline/index.html", "events/houla-massacre/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        match = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', html)
        assert match, page
        assert (site / page).parent.joinpath(match.group(1)).resolve() == (site / "feed.xml").resolve()


def test_link_previews_carry_title_and_description(site: Path) -> None:
    html = (site / "events/houla-massacre/index.html").read_text(encoding="utf-8")
    assert _meta(html, "og:title") == "Houla massacre"
    assert _meta(html, "og:description")


def test_chart_pages_use_their_chart_image_as_social_card(site: Path) -> None:
    """Where the build made the timeline's PNG, the timeline page names it as og:image."""
    html = (site / "timeline/index.html").read_text(encoding="utf-8")
    image = _meta(html, "og:image")
    if not (site / "assets/charts/timeline.png").is_file():
        assert image is None, "no image was made, so none may be announced"
        return
    assert image is not None
    assert image.endswith("assets/charts/timeline.png")
    assert _meta(html, "twitter:card") == "summary_large_image"
    # A record page without a chart image announces none.
    assert _meta((site / "events/houla-massacre/index.html").read_text(encoding="utf-8"), "og:image") is None
