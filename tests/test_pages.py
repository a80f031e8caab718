"""The page generator: golden Markdown for the mini fixture, and the escaping rules.

Refresh the golden files after an intended change with

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_pages.py

and review the diff. A failing comparison writes the new output to tests/golden/pages-changed/.
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.checking.models import Event, Figure
from explainer.checking.validate import validate_data
from explainer.core.dates import PartialDate
from explainer.pages import render_pages
from explainer.pages.views import duration, when
from explainer.rendering import markup
from explainer.rendering.markup import figure_text, inline, render_note, render_page, render_summary, safe_href

HERE = Path(__file__).resolve().parent
MINI = HERE / "fixtures" / "mini"
HOSTILE = HERE / "fixtures" / "hostile-site"
GOLDEN = HERE / "golden" / "pages"
CHANGED = HERE / "golden" / "pages-changed"


@pytest.fixture(scope="module")
def mini_pages() -> dict[str, str]:
    dataset, report = validate_data(MINI)
    assert report.ok, report.lines()
    return render_pages(dataset)


def test_generated_markdown_matches_golden_files(mini_pages: dict[str, str]) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for file, text in mini_pages.items():
            (GOLDEN / file).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / file).write_text(text, encoding="utf-8", newline="\n")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.md"))}
    differing = sorted(f for f in set(expected) | set(mini_pages) if expected.get(f) != mini_pages.get(f))
    if differing:
        shutil.rmtree(CHANGED, ignore_errors=True)
        for file in differing:
            if file in mini_pages:
                (CHANGED / file).parent.mkdir(parents=True, exist_ok=True)
                (CHANGED / file).write_text(mini_pages[file], encoding="utf-8", newline="\n")
    assert not differing, f"pages differ from tests/golden/pages (new output in {CHANGED}): {differing}"


def test_every_record_and_section_has_its_page(mini_pages: dict[str, str]) -> None:
    for file in ("index.md", "timeline.md", "map.md", "introduction.md"):
        assert file in mini_pages
    for collection in ("actors", "events", "questions", "places", "sources"):
        assert f"{collection}/index.md" in mini_pages
        for record in (MINI / collection).glob("*.yaml"):
            assert f"{collection}/{record.stem}.md" in mini_pages


def test_rendering_is_deterministic() -> None:
    first, _ = validate_data(MINI)
    second, _ = validate_data(MINI)
    assert render_pages(first) == render_pages(second)


def test_event_page_shows_dates_figures_and_claims(mini_pages: dict[str, str]) -> None:
    houla = mini_pages["events/houla-massacre.md"]
    assert "25 May 2012" in houla
    assert "| Killed | 108 | [Kofi Annan](../actors/envoy.md) | [^daily-report] |" in houla
    assert "about 90 to 120" in houla
    assert "at least 300" in houla
    assert "“the massacre in Houla that shocked the world”" in houla
    assert "[^daily-report]: [Envoy says plan is not being implemented](../sources/daily-report.md)" in houla
    offensive = mini_pages["events/spring-offensive.md"]
    assert "March 2012 – April 2012 (2 months)" in offensive
    assert "at least 7,500" in offensive
    assert "up to 20,000" in offensive


def test_actor_page_shows_relations_both_ways_and_stance_changes(mini_pages: dict[str, str]) -> None:
    envoy = mini_pages["actors/envoy.md"]
    assert "| envoy of | [République française](france.md)" in envoy
    assert "| backed by | [République française](france.md)" in envoy
    assert "(changed from mixed)" in envoy
    france = mini_pages["actors/france.md"]
    assert "Also known as: France, Élysée" in france
    question = mini_pages["questions/president-step-down.md"]
    assert "1 change of position recorded." in question


def test_source_page_lists_every_fact_citing_it(mini_pages: dict[str, str]) -> None:
    page = mini_pages["sources/weekly-analysis.md"]
    for linked in ("../events/houla-massacre.md", "../actors/president.md", "../questions/president-step-down.md"):
        assert linked in page


# --- escaping -----------------------------------------------------------------------------------


def _html(text: str) -> str:
    """Markdown as the site engine renders it (the extensions of the root mkdocs.yml)."""
    return markdown.markdown(
        text.split("---\n", 2)[-1] if text.startswith("---\n") else text,
        extensions=[
            *["abbr", "admonition", "attr_list", "tables", "md_in_html", "footnotes", "pymdownx.superfences", "toc"]
        ],
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "Title {: onclick=alert(1) }",
        "[click](javascript:alert(1))",
        "a | b",
        "# heading",
        "1. list",
        "*em* _u_ `code` \\ ~~del~~",
    ],
)
def test_inline_text_renders_as_the_same_text(text: str) -> None:
    html = _html(f"| x |\n| --- |\n| {inline(text)} |")
    assert "<script" not in html
    assert "<img" not in html
    assert "onclick" not in html.replace("onclick=alert", "")
    assert "<a " not in html
    assert "<em>" not in html
    assert "<h1" not in html
    import html as html_module

    visible = html_module.unescape(html.split("<td>")[1].split("</td>")[0])
    assert visible == text


def test_summary_markdown_is_rendered_but_html_is_text() -> None:
    summary = (
        "Some *emphasis* and [a link](https://example.org/).\n\n"
        "<script>alert(1)</script> <img src=x onerror=alert(1)> "
        '<a href="javascript:alert(1)">x</a>\n\n'
        "Para {: onclick=alert(1) }\n\n![pixel](https://tracker.example/p.png)"
    )
    html = render_summary(summary, "../../")
    assert "<em>emphasis</em>" in html
    assert '<a href="https://example.org/" rel="nofollow noopener">a link</a>' in html
    assert live_markup(html) == []
    assert "&lt;script&gt;" in html
    assert "{: onclick=alert(1) }" in html  # shown as text: the summary renderer has no attr_list
    assert '<a href="https://tracker.example/p.png" rel="nofollow noopener">pixel</a>' in html
    # passes through the site engine untouched, as a raw HTML block
    assert _html(str(html)).strip() == str(html).strip()


_ANY_CHARACTERS = [*"aZé9 _-.,;:!?'\"()/%’“”–—*`[]<>&#+=\\\n\t~|{}", "Houla", "1982", "  "]
_PLAIN_CHARACTERS = [*"aZé9 -.,;:!?'\"()/%’“”–—\n", "Houla", "1982"]
_WORDISH = st.one_of(
    st.lists(st.sampled_from(_ANY_CHARACTERS), max_size=30).map("".join),
    st.lists(st.sampled_from(_PLAIN_CHARACTERS), max_size=30).map("".join),  # mostly the quick path
)


@settings(max_examples=1000, deadline=None)
@given(_WORDISH)
def test_plain_summaries_skip_markdown_yet_render_the_same(text: str) -> None:
    """The quick path for a plain line gives exactly what Python-Markdown gives."""
    assert markup._render_markdown(text, "../") == markup._RENDERER.render(text, "../")


@pytest.mark.parametrize(
    "text",
    [
        "The army shells Baba Amr; activists say 7,500 (or more) died.",
        "Kofi Annan’s six-point plan – “a last chance” – fails.",
        "al-Assad's forces, 50% of them: 'loyal'/\"reliable\"!",
        "Éric and Zoë met in Homs.",
    ],
)
def test_typical_plain_summaries_take_the_quick_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = markup._RENDERER.render(text, "")
    monkeypatch.setattr(markup, "_RENDERER", None)  # the quick path must not need it
    assert markup._render_markdown(text, "") == expected


def test_site_absolute_links_in_notes_become_relative() -> None:
    note = render_note("See [Houla](/events/houla-massacre/).", "../../")
    assert 'href="../../events/houla-massacre/"' in note


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://example.org/", "https://example.org/"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("../x/", "../x/"),
        ("/x/", "../x/"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example/", None),
    ],
)
def test_safe_href(href: str, expected: str | None) -> None:
    assert safe_href(href, "../") == expected


class _LiveMarkup(HTMLParser):
    """Collects what a browser would act on: script-capable tags, event handlers, unsafe links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "object", "embed", "style"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if (
                name in ("href", "src")
                and value
                and not re.match(r"^(https?:|mailto:|[./#a-z0-9])", value.strip(), re.I)
            ):
                self.found.append(f"{tag}[{name}={value}]")
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript"):
                self.found.append(f"{tag}[{name}={value}]")


def live_markup(html: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(html)
    return parser.found


def test_hostile_fixture_pages_carry_no_live_markup() -> None:
    dataset, report = validate_data(HOSTILE)
    assert report.ok, report.lines()
    pages = render_pages(dataset)
    for file, text in pages.items():
        html = _html(text.split("---\n", 2)[-1])
        assert live_markup(html) == [], file
    assert "&#60;script&#62;" in pages["events/houla-massacre.md"]


def test_hand_written_pages_follow_the_rules_of_the_fields() -> None:
    text = (
        "# Title {: onclick=x }\n\n<script>alert(1)</script> [bad](javascript:alert(1)) [ok](https://example.org/) "
        "<https://example.org/auto> \\`<b onclick=x>`\n\n```html\n<div>{kept}</div>\n```\n\n"
        "[ref][1] and ![pixel](https://tracker.example/p.png)\n\n[1]: jav&#x61;script:alert(1)\n\n"
        "## Section *two*\n\nText.\n"
    )
    page = render_page(text, "Title")
    html = _html(page)
    assert live_markup(html) == []
    assert "{: onclick" not in html.replace("&#123;: onclick", "")  # shown as text, never an attribute
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.org/" rel="nofollow noopener">ok</a>' in html
    assert '<a href="https://example.org/auto" rel="nofollow noopener">https://example.org/auto</a>' in html
    assert '<a href="https://tracker.example/p.png" rel="nofollow noopener">pixel</a>' in html  # a link, not a request
    assert "<span>ref</span>" in html  # the reference link to javascript: is text
    assert '<code class="language-html">&lt;div&gt;{kept}&lt;/div&gt;\n</code>' in html  # still a code block
    # the top-level headings stay Markdown: the engine gives them anchors and a table of contents
    assert re.search(r'<h2 id="section-two">Section two', html)
    dataset, _ = validate_data(HOSTILE)
    assert live_markup(_html(render_pages(dataset)["introduction.md"])) == []


# --- wording --------------------------------------------------------------------------------------


def _figure(**values: object) -> Figure:
    return Figure.model_validate({"measure": "killed", "sources": ["s"], **values})


def test_figures_are_worded_with_their_qualifier() -> None:
    assert figure_text(_figure(value=7500, qualifier="at-least")) == "at least 7,500"
    assert figure_text(_figure(value=108, qualifier="exactly")) == "108"
    assert figure_text(_figure(value=50)) == "about 50"
    assert figure_text(_figure(min=90, max=120, qualifier="up-to")) == "90 to at most 120"


def test_event_dates_keep_their_precision() -> None:
    event = Event.model_validate(
        {"title": "t", "date": "2012-03", "end_date": "2012-04", "kind": "other", "summary": "s", "sources": ["s"]}
    )
    assert when(event) == "March 2012 – April 2012 (2 months)"
    assert duration(PartialDate(2012, 5, 25), PartialDate(2012, 6, 3)) == "10 days"
    assert duration(PartialDate(2011), PartialDate(2012)) == "2 years"


def test_compiled_templates_are_kept_and_a_broken_cache_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer.rendering.markup import template_environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = template_environment().get_template("source.md.j2")
    kept = list((tmp_path / "cache" / "explainer" / "templates").glob("*.jinja"))
    assert kept
    assert template_environment().get_template("source.md.j2").render is not None
    for path in kept:
        path.write_bytes(b"not a compiled template")
    assert template_environment().get_template("source.md.j2").debug_info == first.debug_info
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))  # a file: nothing can be written there
    assert template_environment().get_template("source.md.j2").debug_info == first.debug_info
