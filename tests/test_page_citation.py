"""Issue 14 on record pages: "Cite this page" (plain text, BibTeX, CSL-JSON) on every actor,
event, question, place and source page, and the oEmbed discovery links of the charts a page
shows, handed to the theme's <head> through the page's front matter."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_pages import _html, live_markup

from explainer.charts import render
from explainer.charts.chartset import ChartSet, build_charts
from explainer.checking.page_source import split_page
from explainer.checking.validate import validate_data
from explainer.core import urls
from explainer.pages import render_pages
from explainer.rendering import citation
from explainer.rendering.markup import render_page
from explainer.site import search

HERE = Path(__file__).resolve().parent
MINI = HERE / "fixtures" / "mini"
RECORDS = ("actors", "events", "questions", "places", "sources")
BLOCK = re.compile(r'<details class="x-cite" data-search-exclude markdown="0">\n.*?</details>', re.DOTALL)


@pytest.fixture(scope="module")
def mini_pages() -> dict[str, str]:
    dataset, report = validate_data(MINI)
    assert report.ok, report.lines()
    return render_pages(dataset)


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return data


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _pages(data: Path) -> dict[str, str]:
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    return render_pages(dataset)


def cite_texts(page: str) -> dict[str, str]:
    """The block's three citations as a reader copies them (character references decoded)."""
    blocks = BLOCK.findall(page)
    assert len(blocks) == 1, blocks
    found = dict(re.findall(r'id="cite-this-page(|-bibtex|-csl)">(.*?)</(?:p|pre)>', blocks[0], re.DOTALL))
    return {
        name: html.unescape(found[suffix]) for name, suffix in (("text", ""), ("bibtex", "-bibtex"), ("csl", "-csl"))
    }


def _footnoted(page: str) -> list[str]:
    return re.findall(r"^\[\^([^\]]+)\]: ", page, re.MULTILINE)


def _front(page: str) -> dict[str, object]:
    front: dict[str, object] = yaml.safe_load(page.split("---\n", 2)[1])
    return front


# --- cite this page ---------------------------------------------------------------------------------


def test_every_record_page_and_only_those_has_one_cite_block(mini_pages: dict[str, str]) -> None:
    records = [file for file in mini_pages if file.split("/")[0] in RECORDS and not file.endswith("/index.md")]
    assert len(records) == 15
    for file, page in mini_pages.items():
        assert len(BLOCK.findall(page)) == (1 if file in records else 0), file


def test_the_citation_names_the_explainer_and_the_sources_the_page_cites(mini_pages: dict[str, str]) -> None:
    page = mini_pages["events/houla-massacre.md"]
    texts = cite_texts(page)
    assert texts["text"].startswith(
        "Houla massacre. Mini explainer: a small test crisis, data as of 2012-06-12. "
        "https://example.org/mini/events/houla-massacre/ Sources: "
    )
    items = json.loads(texts["csl"])
    assert items[0] == {
        "URL": "https://example.org/mini/events/houla-massacre/",
        "container-title": "Mini explainer: a small test crisis",
        "id": "miniexplainer-events-houla-massacre-2012",
        "issued": {"date-parts": [[2012, 6, 12]]},
        "title": "Houla massacre",
        "type": "webpage",
    }
    # exactly the sources of the page's footnotes, each once, oldest first
    assert [item["title"] for item in items[1:]] == [
        "A year of crisis, looked back",
        "Envoy says plan is not being implemented",
    ]
    assert len(items[1:]) == len(_footnoted(page))
    assert texts["bibtex"].startswith("@misc{miniexplainer-events-houla-massacre-2012,\n  title = {{Houla massacre}},")
    assert "url = {https://example.org/mini/events/houla-massacre/}" in texts["bibtex"]
    # a source's page cites that source; a place's page (no footnote) cites none
    source = json.loads(cite_texts(mini_pages["sources/weekly-analysis.md"])["csl"])
    assert [item["title"] for item in source] == ["A year of crisis, looked back", "A year of crisis, looked back"]
    assert "Sources:" not in cite_texts(mini_pages["places/paris.md"])["text"]
    for file, page in mini_pages.items():
        if BLOCK.search(page) and not file.startswith("sources/"):
            assert len(json.loads(cite_texts(page)["csl"])) == 1 + len(_footnoted(page)), file


def test_the_date_is_the_newest_fact_of_the_page_not_the_build(
    tmp_path: Path, mini_pages: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Houla's place page: its correction (2 July 2012) is newer than the massacre (25 May 2012).
    assert "data as of 2012-07-02." in cite_texts(mini_pages["places/houla.md"])["text"]
    # Paris: the one event there, 23 February 2012.
    assert "data as of 2012-02-23." in cite_texts(mini_pages["places/paris.md"])["text"]
    # A source dated to the month is as of its last day.
    assert "data as of 2012-03-31." in cite_texts(mini_pages["sources/weekly-analysis.md"])["text"]
    # A newer source cited on the page moves the date; nothing else does (not the clock).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    data = _copy(tmp_path)
    _edit(data / "sources" / "daily-report.yaml", 'date: "2012-06-08"', 'date: "2012-09-30"')
    pages = _pages(data)
    assert "data as of 2012-09-30." in cite_texts(pages["events/houla-massacre.md"])["text"]
    assert "data as of 2012-02-23." in cite_texts(pages["places/paris.md"])["text"]
    assert pages["places/paris.md"] == mini_pages["places/paris.md"]


def test_licence_and_address_come_from_site_yaml(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "site.yaml", 'base_url: "https://example.org/mini/"\n', "license: CC-BY-4.0\n")
    texts = cite_texts(_pages(data)["actors/france.md"])
    assert texts["text"].startswith("République française. Mini explainer: a small test crisis, data as of ")
    assert ", CC-BY-4.0. Sources: " in texts["text"]  # no address without base_url
    assert "url = " not in texts["bibtex"]
    assert "Data licence: CC-BY-4.0" in texts["bibtex"]
    item = json.loads(texts["csl"])[0]
    assert item["license"] == "CC-BY-4.0"
    assert "URL" not in item


HOSTILE_TITLE = (
    "</p></pre></details><script>alert(1)</script> <img src=x onerror=alert(1)> "
    '[^daily-report] [x](javascript:alert(1)) {: onclick=x } & " ]] } \\ %'
)


def test_a_hostile_title_stays_text_in_every_citation(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    escaped = HOSTILE_TITLE.replace("\\", "\\\\").replace('"', '\\"')
    _edit(data / "events" / "houla-massacre.yaml", "title: Houla massacre", f'title: "{escaped}"')
    _edit(data / "sources" / "weekly-analysis.yaml", 'title: "A year of crisis, looked back"', f'title: "{escaped}"')
    pages = _pages(data)
    for file in ("events/houla-massacre.md", "sources/weekly-analysis.md", "actors/president.md"):
        page = pages[file]
        rendered = _html(page)
        assert live_markup(rendered) == [], file
        assert rendered.count("<details") == rendered.count("</details>") == 1, file
        texts = cite_texts(page)
        assert HOSTILE_TITLE in texts["text"], file
        assert json.loads(texts["csl"])  # still valid JSON
        # the block starts no footnote reference: the page's footnotes keep their order
        block = BLOCK.search(page)
        assert block is not None, file
        assert "[^" not in block.group(0), file
    texts = cite_texts(pages["events/houla-massacre.md"])
    assert json.loads(texts["csl"])[0]["title"] == HOSTILE_TITLE
    # BibTeX: TeX's special characters escaped, braces balanced
    for escaped_character in (r"\}", r"\textbackslash{}", r"\%", r"\&"):
        assert escaped_character in texts["bibtex"]
    unescaped = re.sub(r"\\[{}]", "", texts["bibtex"])
    assert unescaped.count("{") == unescaped.count("}")


def test_the_block_is_left_out_of_the_search_index(mini_pages: dict[str, str]) -> None:
    assert "[data-search-exclude]" in search.EXCLUDED
    assert all('class="x-cite" data-search-exclude' in m for m in BLOCK.findall(mini_pages["actors/envoy.md"]))


def test_the_csl_json_on_a_page_is_the_file_one_item_a_line() -> None:
    work = citation.Work(
        "T", "Site", None, None, sources=(citation.Cited("P", "S", "2012-03"), citation.Cited("Q", "R", "2012"))
    )
    compact = citation.csl_json_text(work, compact=True)
    assert json.loads(compact) == json.loads(citation.csl_json_text(work)) == citation.csl_json(work)
    assert compact.count("\n") == 4  # "[", three items, "]"


# --- oEmbed discovery -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chart_pages() -> tuple[dict[str, str], ChartSet]:
    dataset, report = validate_data(MINI)
    assert report.ok, report.lines()
    charts = build_charts(dataset)
    return render_pages(dataset, charts), charts


def test_chart_pages_hand_their_charts_oembed_links_to_the_head(chart_pages: tuple[dict[str, str], ChartSet]) -> None:
    pages, charts = chart_pages
    shown = {
        "index.md": ["positions"],
        "timeline.md": ["timeline"],
        "map.md": ["map"],
        "actors/index.md": ["network"],
        "events/index.md": ["tolls"],
        "questions/index.md": ["positions"],
        "questions/president-step-down.md": charts.for_question("president-step-down"),
    }
    assert shown["questions/president-step-down.md"]
    for file, page in pages.items():
        front = _front(page)
        expected = [
            {"href": "https://example.org/mini/" + render.oembed_url(cid), "title": charts.chart(cid).title}
            for cid in shown.get(file, [])
        ]
        assert front.get("oembed", []) == expected, file
        for link in expected:
            # the link the theme prints is the one the chart stage makes for a page's head
            made = render.oembed_link(charts.chart(link["href"].split("/")[-2]), "", "https://example.org/mini/")
            assert f'href="{link["href"]}"' in made
            assert f'title="{link["title"]}"' in made


def test_without_base_url_the_oembed_link_is_relative_to_the_page(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "site.yaml", 'base_url: "https://example.org/mini/"\n', "")
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    pages = render_pages(dataset, build_charts(dataset))
    assert _front(pages["timeline.md"])["oembed"] == [
        {"href": "../embed/timeline/oembed.json", "title": "Timeline of events"}
    ]
    assert _front(pages["index.md"])["oembed"] == [{"href": "embed/positions/oembed.json", "title": "Who stands where"}]
    assert render.oembed_url("timeline") == urls.oembed_url("timeline") == "embed/timeline/oembed.json"


def test_a_hand_written_page_cannot_set_an_oembed_link() -> None:
    text = '---\ntitle: Hello\noembed: "https://tracker.example/x/oembed.json"\n---\n\n# Hello\n'
    source, problems = split_page(text)
    assert "oembed" not in source.meta
    assert [message for _, _, message in problems] == [
        "front matter key 'oembed' is not allowed; it may hold title, description"
    ]
    assert "oembed" not in render_page(text, "Hello")


# --- in a browser -----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 390)])
def test_the_opened_cite_block_is_accessible_and_copies(browser: Any, scheme: str, width: int) -> None:
    """Chart pages' oEmbed links make no request. Opened (axe skips a closed <details>), the
    cite block has no serious or critical problem on a desktop or a phone, its copy buttons
    show, and the BibTeX copied is the text shown."""
    from axe_playwright_python.sync_playwright import Axe
    from conftest import serve_folder
    from test_build import built_site
    from test_site_browser import Visit

    root = serve_folder(built_site("mini")[0]) + "/"
    visit = Visit(browser, scheme, width)
    # The theme's script would fetch "sitemap.xml" beside each rel=alternate link (from
    # example.org, the base_url, here): the oEmbed links must not make it ask.
    for path in ("", "timeline/", "questions/president-step-down/"):
        page = visit.open(root + path, settle=True)
        assert page.evaluate(
            "document.querySelector(\"link[type='application/json+oembed']\").relList.contains('alternate')"
        )
        assert (visit.errors, visit.foreign) == ([], []), path
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
    problems = []
    for path in ("events/houla-massacre/", "actors/envoy/", "questions/president-step-down/"):
        page = visit.open(root + path)
        page.locator("details.x-cite > summary").click()
        assert page.locator("details.x-cite[open]").count() == 1
        results = Axe().run(page, context="details.x-cite")
        problems += [
            f"{path}: {violation['id']}"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        button = page.locator("button[data-copy='cite-this-page-bibtex']")
        assert button.is_visible()
        button.click()
        page.wait_for_selector("button[data-copy='cite-this-page-bibtex'][data-copied]")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#cite-this-page-bibtex").text_content()
        assert copied.startswith("@misc{")
    assert (visit.errors, visit.foreign) == ([], [])
    visit.close()
    assert problems == []


def test_an_actors_events_chart_shows_whether_or_not_it_has_positions() -> None:
    """The chart of an actor's events sits with its events, not inside its positions: an actor
    quoted on no question (the Syrian government) still shows it."""
    dataset, report = validate_data(HERE.parent / "data")
    assert report.ok, report.lines()
    chart_set = build_charts(dataset)
    pages = render_pages(dataset, chart_set)
    stances = {s.actor for q in dataset.models("questions").values() for s in q.stances}
    with_chart = {aid for aid, ids in chart_set.by_actor.items() if ids}
    assert with_chart - stances, "the data has an actor with events and no positions"
    assert with_chart & stances
    for actor_id in with_chart:
        page = pages[f"actors/{actor_id}.md"]
        block = page.index(f'id="explainer-chart-actor-{actor_id}-events"')
        assert page.index("## Events") < block, actor_id
