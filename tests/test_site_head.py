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


# --- issue 14: oEmbed discovery on chart pages, "Cite this page" on record pages -------------------


def _oembed_links(html: str) -> list[tuple[str, str]]:
    head = html.split("</head>", 1)[0]
    return re.findall(r'<link rel="alternate" type="application/json\+oembed" href="([^"]*)" title="([^"]*)">', head)


def test_chart_pages_announce_their_charts_oembed_answers(site: Path) -> None:
    """Each page showing a chart names the chart's oEmbed answer in <head>, as its embed page
    does; the address (under base_url) is a file of the built site. Pages without a chart name none."""
    import html as html_module
    import json

    base = "https://example.org/mini/"
    expected = {
        "index.html": "positions",
        "timeline/index.html": "timeline",
        "map/index.html": "map",
        "actors/index.html": "network",
        "events/index.html": "tolls",
        "questions/index.html": "positions",
        "questions/president-step-down/index.html": "question-president-step-down-history",
    }
    for page, chart_id in expected.items():
        links = _oembed_links((site / page).read_text(encoding="utf-8"))
        assert len(links) == 1, page
        href, title = links[0]
        assert href == f"{base}embed/{chart_id}/oembed.json", page
        answer = json.loads((site / href.removeprefix(base)).read_text(encoding="utf-8"))
        assert html_module.unescape(title) == answer["title"], page
        # the same link the embed page itself carries
        embed = (site / f"embed/{chart_id}/index.html").read_text(encoding="utf-8")
        assert f'href="{href}"' in embed
    # the gallery announces every site-wide chart it presents, in the order shown
    gallery = _oembed_links((site / "charts/index.html").read_text(encoding="utf-8"))
    assert [href for href, _ in gallery] == [
        f"{base}embed/{chart_id}/oembed.json" for chart_id in ("timeline", "positions", "tolls", "network", "map")
    ]
    for href, _ in gallery:
        assert (site / href.removeprefix(base)).is_file()
    for page in ("events/houla-massacre/index.html", "places/houla/index.html", "introduction/index.html"):
        assert _oembed_links((site / page).read_text(encoding="utf-8")) == [], page


def test_record_pages_carry_a_closed_cite_block_left_out_of_search(site: Path) -> None:
    from test_search import read_index

    records = ("actors/france", "events/houla-massacre", "questions/peace-plan", "places/paris", "sources/daily-report")
    for page in records:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert html.count('<details class="x-cite" data-search-exclude') == 1, page
        assert "<summary>Cite this page</summary>" in html
        assert f"https://example.org/mini/{page}/" in html
    index = read_index(site)
    text = index.text("/events/houla-massacre/")
    assert "Houla" in text
    for words in ("Cite this page", "@misc", "howpublished", "container-title"):
        assert words not in text


def test_a_hostile_site_title_is_escaped_once_in_the_citation() -> None:
    import html as html_module

    site = built_site("hostile-site")[0]
    page = (site / "events/houla-massacre/index.html").read_text(encoding="utf-8")
    block = re.search(r'<details class="x-cite".*?</details>', page, re.DOTALL)
    assert block is not None
    assert "<script" not in block.group(0)
    text = re.search(r'<p class="explainer-cite" id="cite-this-page">(.*?)</p>', block.group(0), re.DOTALL)
    assert text is not None
    plain = html_module.unescape(text.group(1))
    assert plain.startswith("Houla massacre <script>window.__pwned = 'title'</script>. ")
    assert 'Hostile <b>site</b> & "co" &lt;, data as of ' in plain
