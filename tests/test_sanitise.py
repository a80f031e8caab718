"""The HTML boundary: every payload form that reached a browser in the red-team pass of issue 10
(and variants), in summaries, notes and hand-written pages, rendered as the site engine renders
the generated Markdown, then read as a browser reads it (character references decoded). Also
the validator's view of the same links, front matter and invisible characters."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from explainer.checking.models import Actor, Event, Site
from explainer.checking.page_source import check_page, split_page
from explainer.core.links import browser_target, link_problem
from explainer.rendering import markup
from explainer.rendering.markup import render_note, render_page, render_summary
from explainer.rendering.sanitise import sanitise

# The extensions of the root mkdocs.yml: what the site engine does to a generated page.
_ENGINE = ["abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc", "pymdownx.superfences"]


def engine_html(page: str) -> str:
    body = page.split("---\n", 2)[-1] if page.startswith("---\n") else page
    return str(markdown.markdown(body, extensions=_ENGINE))


class _Browser(HTMLParser):
    """What a browser would act on: tags that run or load, handlers, links it would follow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "object", "embed", "style", "video", "audio", "source", "link", "meta"):
            self.live.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "src"):
                self.live.append(f"{tag}[{name}]")
            if name == "href" and value is not None:  # HTMLParser has decoded the references
                self.links.append(value)
                scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", browser_target(value))
                if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                    self.live.append(f"{tag}[href={value}]")
                if browser_target(value).startswith("//"):
                    self.live.append(f"{tag}[href={value}] (another host, no scheme)")


def browser_view(html: str) -> _Browser:
    parser = _Browser()
    parser.feed(html)
    return parser


# Every form of a link that must never be followed, as an editor could write it in Markdown.
UNSAFE_LINKS = {
    "entity-a": "[r](jav&#x61;script:alert&#40;1&#41;)",
    "entity-decimal": "[r](&#106;avascript:alert(1))",
    "entity-colon": "[r](javascript&colon;alert(1))",
    "entity-colon-numeric": "[r](javascript&#58;alert(1))",
    "entity-tab": "[r](java&#9;script:alert(1))",
    "entity-newline": "[r](java&#10;script:alert(1))",
    "double-encoded": "[r](jav&amp;#x61;script:alert(1))",
    "upper-case": "[r](JaVaScRiPt:alert(1))",
    "leading-space": "[r](< javascript:alert(1)>)",
    "markdown-escape": "[r](java\\-script:alert(1))",
    "reference": "[r][1]\n\n[1]: javascript:alert(1)",
    "reference-entity": "[r][x]\n\n[x]: jav&#x61;script:alert(1)",
    "reference-angle": "[r][x]\n\n[x]: <javascript:alert(1)>",
    "vbscript": "[r](vbscript:msgbox(1))",
    "data-html": "[r](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "autolink": "<javascript:alert(1)>",
    "autolink-entity": "<javascript&colon;alert(1)>",
    "protocol-relative": "[r](//evil.example/)",
    "backslash-host": "[r](/\\evil.example/)",
    "image-javascript": "![x](javascript:alert(1))",
}


@pytest.mark.parametrize("payload", UNSAFE_LINKS.values(), ids=UNSAFE_LINKS.keys())
def test_no_unsafe_link_survives_a_summary(payload: str) -> None:
    view = browser_view(engine_html(str(render_summary(payload, "../../"))))
    assert view.live == []


@pytest.mark.parametrize("payload", UNSAFE_LINKS.values(), ids=UNSAFE_LINKS.keys())
def test_no_unsafe_link_survives_a_note_in_a_table(payload: str) -> None:
    note = render_note(payload, "../../")
    view = browser_view(engine_html(f"| a | b |\n| --- | --- |\n| x | {note} |"))
    assert view.live == []


@pytest.mark.parametrize("payload", UNSAFE_LINKS.values(), ids=UNSAFE_LINKS.keys())
def test_no_unsafe_link_survives_a_hand_written_page(payload: str) -> None:
    view = browser_view(engine_html(render_page(f"# Page\n\nSee {payload} here.\n", "Page")))
    assert view.live == []


@pytest.mark.parametrize(
    "payload", [p for k, p in UNSAFE_LINKS.items() if k not in ("autolink", "autolink-entity", "markdown-escape")]
)
def test_the_validator_reports_every_unsafe_link_in_a_summary(payload: str) -> None:
    with pytest.raises(ValidationError, match="links may only be http:, https:, mailto: or site-relative"):
        Event.model_validate({"title": "t", "date": "2012", "kind": "other", "summary": payload, "sources": ["s"]})


def test_the_validator_says_how_an_encoded_link_was_written() -> None:
    problem = link_problem("jav&#x61;script:alert(1)")
    assert problem is not None
    assert "'javascript:' is not allowed (written as 'jav&#x61;script:alert(1)')" in problem
    assert link_problem("https://example.org/?a=1&amp;b=2") is None
    assert link_problem("../actors/x/") is None


def test_code_spans_in_a_note_stay_text_in_a_table_cell() -> None:
    """The site engine parses a table cell again between the tags: a code span holding a link
    or an attribute list must not come alive there."""
    note = render_note('`[x](javascript:alert(1))` and `*y*{: onclick="alert(1)"}` a|b', "../")
    html = engine_html(f"| a | b |\n| --- | --- |\n| x | {note} |")
    view = browser_view(html)
    assert view.live == []
    assert view.links == []
    assert "<em" not in html
    assert html.count("<td>") == 2  # the `|` did not split the cell


@pytest.mark.parametrize(
    "text",
    [
        "![pixel](https://tracker.example/p.png)",
        "![pixel][t]\n\n[t]: https://tracker.example/p.png",
        "<img src=https://tracker.example/p.png>",
        "<video src=https://tracker.example/v.mp4></video>",
        '<iframe src="https://tracker.example/"></iframe>',
    ],
)
def test_remote_images_and_media_become_links_or_text(text: str) -> None:
    for html in (
        str(render_summary(text, "../")),
        engine_html(render_page(f"# P\n\n{text}\n", "P")),
        engine_html(f"| a |\n| --- |\n| {render_note(text, '../')} |"),
    ):
        view = browser_view(html)
        assert view.live == []
        assert all(link == "https://tracker.example/p.png" for link in view.links)


def test_sanitise_keeps_only_the_allow_list() -> None:
    html = (
        '<p onclick="x" style="color:red" class="evil" id="main">a <b>b</b> <em>c</em></p>'
        '<a href="jav&#x61;script:x">1</a><a href="java&#9;script:x">2</a><a href="javascript&colon;x">3</a>'
        '<a href="//evil.example/">4</a><a href="https://example.org/" rel="evil" title="t">5</a>'
        '<a href="https://example.org/" rel="nofollow noopener" class="footnote-ref">6</a>'
        '<img src="x" onerror="alert(1)"><script>alert(1)</script><style>p{}</style><svg onload="x"></svg>'
        '<code class="language-python evil">c</code><sup id="fnref:1">1</sup><li id="main">l</li>'
        '<table><tr><td align="center">t</td><th align="javascript">h</th></tr></table>'
        '<form action="x"><input></form><!-- c -->'
    )
    out = sanitise(html)
    assert browser_view(out).live == []
    assert "<p>a b <em>c</em></p>" in out
    assert out.count("<a>") == 4  # the four unsafe targets are dropped
    assert '<a href="https://example.org/">5</a>' in out
    assert '<a href="https://example.org/" rel="nofollow noopener" class="footnote-ref">6</a>' in out
    assert '<code class="language-python">c</code>' in out
    assert '<sup id="fnref:1">1</sup>' in out
    assert "<li>l</li>" in out
    assert '<td align="center">t</td><th>h</th>' in out
    assert "alert" not in out
    assert "<!--" not in out


_PLAIN = st.lists(st.sampled_from([*"aZé9 -.,;:!?'\"()/%’“”–—", "Houla", "1982"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_the_quick_path_is_unchanged_by_the_sanitiser(text: str) -> None:
    """The quick path (plain one-line summaries) also goes through `sanitise`; what it makes
    is already clean, so the pages do not change."""
    html = markup._render_markdown(text, "../")
    assert sanitise(html) == html


# --- hand-written pages: front matter ----------------------------------------------------------


def test_front_matter_keeps_allowed_keys_as_plain_text() -> None:
    page = "---\ntitle: 'It''s a page'\ndescription: \"\\\" http-equiv=\\\"refresh\"\n---\n# Heading\n"
    source, problems = split_page(page)
    assert [(line, column) for line, column, _ in problems] == [(3, 14)]
    assert problems[0][2].startswith("description: write the value without backslash escapes")
    page = "---\ntitle: 'It''s a page'\ndescription: '\" http-equiv=\"refresh'\n---\n# Heading\n"
    source, problems = split_page(page)
    assert problems == []
    assert source.meta == {"title": "It's a page", "description": '" http-equiv="refresh'}
    assert source.body == "# Heading\n"
    rendered = render_page(page, source.meta["title"])
    assert rendered.startswith('---\ntitle: "It&#x27;s a page"\ndescription: "&quot; http-equiv=&quot;refresh"\n---\n')


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("template: main.html", (2, 1, "front matter key 'template' is not allowed; it may hold title, description")),
        ("hide:\n  - toc", (2, 1, "front matter key 'hide' is not allowed; it may hold title, description")),
        ("title: [a, b]", (2, 8, "title: must be plain text; a value starting with '[' means something else in YAML")),
        ("title: A <b>bold</b> title", (2, 8, "title: must be plain text, without HTML tags or character references")),
        ("title: A &amp; B", (2, 8, "title: must be plain text, without HTML tags or character references")),
        ("title: 'open", (2, 8, "title: the quote that opens the value is never closed")),
        ("title:", (2, 7, "title: must not be empty")),
        ("title: a\u202eb", (2, 8, "title: holds the invisible character U+202E; delete it")),
        ("title: a\ntitle: b", (3, 1, "front matter key 'title' is given twice; keep one")),
        ("title: a\n  b", (3, 1, "front matter values are one line of plain text (no lists, no continued lines)")),
        ("just words", (2, 1, "front matter lines are 'key: value' (title: ..., description: ...)")),
    ],
)
def test_front_matter_problems_are_located(front: str, expected: tuple[int, int, str]) -> None:
    diagnostics = check_page("data/pages/p.md", f"---\n{front}\n---\n# P\n")
    assert [(d.line, d.column, d.message) for d in diagnostics] == [expected]
    assert {d.code for d in diagnostics} == {"front-matter"}


def test_refused_front_matter_never_reaches_the_engine() -> None:
    rendered = render_page("---\ntemplate: evil.html\nsearch:\n  exclude: true\n---\n# P\n", "P")
    assert rendered.startswith('---\ntitle: "P"\n---\n')
    assert "template" not in rendered
    assert "exclude" not in rendered


def test_multimarkdown_style_meta_is_body_text() -> None:
    """MkDocs would read `key: value` lines at the top of a page as metadata; the generated
    page always starts with its own front matter, so they are only text."""
    rendered = render_page('Description: " http-equiv="refresh\n\n# P\n', "P")
    assert rendered.startswith('---\ntitle: "P"\n---\n')
    assert "<p>Description: &quot; http-equiv=&quot;refresh</p>" in rendered or (
        '<p>Description: " http-equiv="refresh</p>' in rendered
    )


def test_unsafe_links_in_pages_are_located_errors() -> None:
    page = "---\ntitle: T\n---\n# T\n\nText [r](jav&#x61;script:x).\n\n[1]: vbscript:x\n"
    diagnostics = check_page("data/pages/p.md", page)
    assert [(d.line, d.column, d.code) for d in diagnostics] == [(6, 10, "unsafe-link"), (8, 6, "unsafe-link")]


# --- invisible characters and the site's own values ---------------------------------------------


@pytest.mark.parametrize("character", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u2060", "\ufeff"])
def test_names_refuse_bidi_and_zero_width_characters(character: str) -> None:
    with pytest.raises(ValidationError, match=f"U\\+{ord(character):04X}"):
        Actor.model_validate({"name": f"Bashar{character}", "kind": "person", "summary": "s"})
    with pytest.raises(ValidationError, match="invisible character"):
        Actor.model_validate({"name": "Bashar", "aliases": [f"x{character}y"], "kind": "person", "summary": "s"})
    # prose is not refused here (a warning, see docs/errors.md)
    Actor.model_validate({"name": "Bashar", "kind": "person", "summary": f"a{character}b"})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ('https://example.org/"><img src=x onerror=alert(document.domain)>', "a quote at character 21"),
        ("https://example.org/a b/", "a space at character 22"),
        ("https://example.org/<x>/", "an angle bracket at character 21"),
        ("https://example.org/?q=1", "'?' at character 21"),
        ("https://example.org/#top", "'#' at character 21"),
        ("https://example.org/'x'/", "a quote at character 21"),
        ("javascript:alert(1)", "a url must start with http:// or https://"),
    ],
)
def test_base_url_is_a_plain_address(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Site.model_validate({"title": "t", "base_url": url})


def test_plain_base_urls_pass() -> None:
    for url in ("https://example.org/", "http://localhost:8000/explainer/", "https://example.org/a_b-c~d/%20/"):
        assert Site.model_validate({"title": "t", "base_url": url}).base_url == url
