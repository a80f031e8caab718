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
    """Where the build made the timeline's social card (1200x630 PNG), the timeline page names
    it as og:image."""
    html = (site / "timeline/index.html").read_text(encoding="utf-8")
    image = _meta(html, "og:image")
    if not (site / "assets/charts/timeline.card.png").is_file():
        assert image is None, "no image was made, so none may be announced"
        return
    assert image is not None
    assert image.endswith("assets/charts/timeline.card.png")
    assert _meta(html, "twitter:card") == "summary_large_image"
    # A record page without a chart image announces none.
    assert _meta((site / "events/houla-massacre/index.html").read_text(encoding="utf-8"), "og:image") is None


def test_head_values_of_a_hostile_site_are_escaped_once() -> None:
    """The site title reaches og:site_name and the feed link escaped once (never `&amp;lt;`),
    and a page's front matter cannot add an attribute (no meta refresh)."""
    import html as html_module

    site = built_site("hostile-site")[0]
    page = (site / "introduction/index.html").read_text(encoding="utf-8")
    title = 'Hostile <b>site</b> & "co" &lt;'
    site_name = _meta(page, "og:site_name")
    assert site_name is not None
    assert html_module.unescape(site_name) == title
    feed = re.search(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)"', page)
    assert feed is not None
    assert html_module.unescape(feed.group(1)) == f"{title}: events"
    assert "http-equiv" not in page.replace("&#34; http-equiv=&#34;", "").replace("&quot; http-equiv=&quot;", "")
    description = _meta(page, "description")
    assert description is not None
    assert html_module.unescape(description) == '" http-equiv="refresh" content="0;url=https://tracker.example/'
    feed_xml = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Hostile &lt;b&gt;site&lt;/b&gt; &amp; &#34;co&#34; &amp;lt;: events</title>" in feed_xml
