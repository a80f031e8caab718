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
from explainer.core import wording
from explainer.core.dates import PartialDate
from explainer.pages import render_pages
from explainer.pages.context import in_citation_order
from explainer.pages.views import duration, figure_text, when
from explainer.rendering import markup
from explainer.rendering.markup import inline, render_note, render_page, render_summary, safe_href

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
    assert "- 108 killed, according to [Kofi Annan](../actors/envoy.md). [^daily-report]" in houla
    assert "- About 90 to 120 killed (not attributed). [^weekly-analysis]" in houla
    assert "“the massacre in Houla that shocked the world”" in houla
    assert "[^daily-report]: [Envoy says plan is not being implemented](../sources/daily-report.md)" in houla
    offensive = mini_pages["events/spring-offensive.md"]
    assert "March 2012 – April 2012 (2 months)" in offensive
    assert "- At least 7,500 killed, according to [République française](../actors/france.md)." in offensive
    assert "- Up to 20,000 displaced (not attributed)." in offensive


def test_actor_page_shows_relations_both_ways_and_stance_changes(mini_pages: dict[str, str]) -> None:
    envoy = mini_pages["actors/envoy.md"]
    assert "| envoy of | [République française](france.md)" in envoy
    assert "| backed by | [République française](france.md)" in envoy
    assert "(changed from mixed)" in envoy
    france = mini_pages["actors/france.md"]
    # the short name and each alias in a span that ranks the page first for it in search
    assert (
        'Short name: <span data-pagefind-weight="10">France</span> · Also known as: '
        '<span data-pagefind-weight="10">France</span>, <span data-pagefind-weight="10">Élysée</span></p>'
    ) in france
    question = mini_pages["questions/president-step-down.md"]
    assert "1 change of position recorded." in question
    assert '<p class="x-meta" markdown>Short name: <span data-pagefind-weight="10">Assad stepping down</span></p>' in (
        question
    )
    assert "Short name" not in mini_pages["questions/peace-plan.md"]


def test_source_page_lists_every_fact_citing_it(mini_pages: dict[str, str]) -> None:
    page = mini_pages["sources/weekly-analysis.md"]
    for linked in ("../events/houla-massacre.md", "../actors/president.md", "../questions/president-step-down.md"):
        assert linked in page
    # the relation in the reader's words, not the format's value
    assert "relation: envoy of République française" in mini_pages["sources/daily-report.md"]


# --- the words of the format's values -------------------------------------------------------------


def test_pages_use_the_words_of_the_wording_module(tmp_path: Path) -> None:
    """One word per value on pages and charts alike: "UN vote", "Organisation" (the pages said
    "Un vote" and "Organization", made by `str.capitalize`)."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for path, old, new in (
        (data / "events" / "envoy-appointed.yaml", "kind: appointment", "kind: un-vote"),
        (data / "actors" / "government.yaml", "kind: state", "kind: organization"),
    ):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    pages = render_pages(dataset)
    assert f'<span class="x-kind">{wording.EVENT_KINDS["un-vote"]}</span>' in pages["events/envoy-appointed.md"]
    assert "UN vote (1)</button>" in pages["timeline.md"]
    assert "| UN vote |" in pages["events/index.md"]
    assert '<span class="x-kind">Organisation</span>' in pages["actors/government.md"]
    assert "## Organisations" in pages["actors/index.md"]
    text = "".join(pages.values())
    assert "Un vote" not in text
    assert "Organization" not in text
    assert "| Mediator | [Kofi Annan](../actors/envoy.md) |" in pages["events/houla-massacre.md"]


def test_counts_are_worded_with_their_plural(mini_pages: dict[str, str]) -> None:
    assert "4 actors: who they are" in mini_pages["actors/index.md"]
    assert "4 events in order." in mini_pages["events/index.md"]
    assert "2 contested questions." in mini_pages["questions/index.md"]
    assert "1 change of position recorded." in mini_pages["questions/president-step-down.md"]
    assert re.search(r"\n\d+ facts cite this source\.", mini_pages["sources/weekly-analysis.md"])


def test_one_fact_cites_a_source_in_the_singular(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "sources" / "lonely.yaml").write_text('title: Lonely\npublisher: Nobody\ndate: "2012"\n', encoding="utf-8")
    actor = data / "actors" / "france.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("sources: [weekly-analysis]", "sources: [lonely]", 1))
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    assert "\n1 fact cites this source.\n" in render_pages(dataset)["sources/lonely.md"]


# --- trust: who reports it, as of when, other spellings, corrections ---------------------------------


def test_a_stance_reported_by_someone_else_says_who_on_every_page(mini_pages: dict[str, str]) -> None:
    reported = '<span class="x-stance x-stance--mixed">Mixed</span>, according to [Kofi Annan]'
    question = mini_pages["questions/peace-plan.md"]
    assert question.count(reported + "(../actors/envoy.md)") == 2  # the latest positions and the history
    assert reported + "(envoy.md)" in mini_pages["actors/government.md"]
    # a stance in the actor's own words shows the quote and no reporter
    step_down = mini_pages["questions/president-step-down.md"]
    assert '<span class="x-stance x-stance--for">For</span> | August 2011 | “he must go”' in step_down


def test_a_reporter_named_with_the_takes_a_small_letter_mid_sentence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    envoy = data / "actors" / "envoy.yaml"
    envoy.write_text(envoy.read_text(encoding="utf-8").replace("name: Kofi Annan", "name: The Envoy"), encoding="utf-8")
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    pages = render_pages(dataset)
    assert "Mixed</span>, according to [the Envoy](../actors/envoy.md)" in pages["questions/peace-plan.md"]
    assert "- 108 killed, according to [the Envoy](../actors/envoy.md)." in pages["events/houla-massacre.md"]
    assert "# The Envoy" in pages["actors/envoy.md"]  # a title keeps its capital


def test_a_figure_says_as_of_when(mini_pages: dict[str, str]) -> None:
    houla = mini_pages["events/houla-massacre.md"]
    sentence = "- At least 300 wounded, according to [Syrian government](../actors/government.md), as of 27 May 2012."
    assert sentence + " [^daily-report]" in houla


def test_a_figure_is_a_sentence_however_it_is_qualified() -> None:
    from explainer.pages.views import sentence_start

    assert sentence_start(figure_text(_figure(min=90, max=120))) == "About 90 to 120"
    assert sentence_start(figure_text(_figure(value=1234, qualifier="exactly"))) == "1,234"
    assert sentence_start("UN compound") == "UN compound"  # never lowers the rest, as capitalize() did


def test_a_place_shows_its_other_spellings(mini_pages: dict[str, str]) -> None:
    spellings = '<span data-pagefind-weight="10">Hula</span>, <span data-pagefind-weight="10">al-Houla</span>'
    assert f" · Also written: {spellings} · " in mini_pages["places/houla.md"]
    assert "Also written" not in mini_pages["places/paris.md"]


def test_a_record_shows_its_corrections_newest_first_under_the_facts(mini_pages: dict[str, str]) -> None:
    houla = mini_pages["events/houla-massacre.md"]
    corrections = houla.index("## Corrections")
    assert houla.index("## Claims") < corrections < houla.index("## Sources")
    newer = houla.index('- **12 June 2012**: <span class="x-note">The government\'s claim was missing')
    older = houla.index('- **10 June 2012**: <span class="x-note">The toll was given as a range')
    assert corrections < newer < older
    assert "attributed to the <em>envoy</em>" in houla  # Markdown, rendered like every note
    assert "## Corrections" in mini_pages["places/houla.md"]
    assert "## Corrections" not in mini_pages["events/spring-offensive.md"]


def test_the_corrections_page_lists_every_correction_newest_first(mini_pages: dict[str, str]) -> None:
    page = mini_pages["corrections.md"]
    assert page.startswith('---\ntitle: "Corrections"\n')
    rows = [line for line in page.splitlines() if line.startswith("| ") and "](" in line]
    assert [row.split(" | ")[0:2] for row in rows] == [
        ["| 2 July 2012", "[Houla](places/houla.md) (place)"],
        ["| 12 June 2012", "[Houla massacre](events/houla-massacre.md) (event)"],
        ["| 10 June 2012", "[Houla massacre](events/houla-massacre.md) (event)"],
    ]
    assert "3 corrections, newest first." in page
    assert "[the methodology](about/methodology.md#reporting-an-error)" in page
    assert "[Corrections](corrections.md)" in mini_pages["index.md"]


def test_the_corrections_page_is_written_with_no_correction(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for path in (data / "events" / "houla-massacre.yaml", data / "places" / "houla.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("corrections:")], encoding="utf-8")
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    pages = render_pages(dataset)
    assert "No correction has been made." in pages["corrections.md"]
    assert "| Date |" not in pages["corrections.md"]
    assert "## Corrections" not in "".join(pages.values())


def test_corrections_are_sanitised_like_every_note(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    place = data / "places" / "houla.yaml"
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> *ok* `<b>code</b>` {: onclick=x } | cell"
    place.write_text(
        place.read_text(encoding="utf-8").replace(
            "text: The town was placed in the wrong province; it lies in Homs.", f"text: '{hostile}'"
        ),
        encoding="utf-8",
    )
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    pages = render_pages(dataset)
    for file in ("places/houla.md", "corrections.md"):
        html = _html(pages[file])
        assert live_markup(html) == [], file
        assert "&lt;script&gt;" in html
    row = next(line for line in pages["corrections.md"].splitlines() if "places/houla.md" in line)
    assert row.count(" | ") == 2  # the text's `|` did not add a cell


# --- footnotes ------------------------------------------------------------------------------------


def _footnote_order(text: str) -> tuple[list[str], list[str]]:
    """(the sources in the order the text first cites them, the order of their definitions)."""
    definitions = re.findall(r"^\[\^([^\]]+)\]: ", text, re.MULTILINE)
    body = re.sub(r"^\[\^[^\]]+\]: .*$", "", text, flags=re.MULTILINE)
    return list(dict.fromkeys(re.findall(r"\[\^([^\]]+)\]", body))), definitions


def test_footnotes_are_numbered_in_citation_order(mini_pages: dict[str, str]) -> None:
    """The site engine numbers footnotes in the order they are defined. On France's page the
    profile cites the weekly analysis first, though the view cites the daily report first
    (relations are prepared before the profile line): [2] used to come before [1]."""
    for file, text in mini_pages.items():
        cited, defined = _footnote_order(text)
        assert cited == defined, file
    assert _footnote_order(mini_pages["actors/france.md"])[1] == ["weekly-analysis", "daily-report"]
    assert _footnote_order(mini_pages["actors/government.md"])[1] == ["daily-report", "weekly-analysis"]
    html = _html(mini_pages["actors/france.md"])
    numbers = re.findall(r'<sup id="fnref:[^"]+"><a class="footnote-ref" href="#fn:[^"]+">(\d+)</a>', html)
    assert numbers[:2] == ["1", "2"]


def test_in_citation_order_moves_only_the_definitions() -> None:
    text = "A [^b] and [^a].\n\n## Sources\n\n[^a]: first.\n[^b]: second.\n[^c]: never cited.\n"
    assert (
        in_citation_order(text) == "A [^b] and [^a].\n\n## Sources\n\n[^b]: second.\n[^a]: first.\n[^c]: never cited.\n"
    )
    assert in_citation_order("No footnote.\n") == "No footnote.\n"


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
