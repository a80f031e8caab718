"""Text from the data, made safe and readable in a generated Markdown page.

Everything a record says reaches a page through one of two doors:

- `inline(text)`: a name, title or quote shown as plain text. Characters that Markdown, its
  extensions (attr_list `{: ...}`, tables `|`) or HTML would interpret are written as
  character references, so the reader sees exactly what the editor typed.
- `render_summary(text, root)`: a `summary` or `note` field, which may hold Markdown. It is
  rendered here, with raw HTML shown as text, images shown as links, and only http, https,
  mailto and relative link targets kept; the result is a raw HTML block that the site engine
  passes through untouched.

The Jinja2 environment of the page templates applies `inline` to every value that is not
already marked safe, so a template cannot paste data raw by accident.
"""

from __future__ import annotations

import functools
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import jinja2
import markdown  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from markupsafe import Markup

from explainer.checking.page_source import split_page
from explainer.core.links import link_problem
from explainer.rendering.sanitise import sanitise

# Characters some Markdown or HTML processor would act on anywhere in a line.
_INLINE_SPECIAL = re.compile(r"[&<>\"\\`*_{}\[\]|~^$]")
_WHITESPACE = re.compile(r"\s+")


def inline(value: Any) -> Markup:
    """Plain text for a Markdown line or an HTML attribute: whitespace folded to single spaces,
    every character that could start markup written as a numeric character reference."""
    if isinstance(value, Markup):
        return value
    return _inline_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _inline_text(value: str) -> Markup:
    text = _WHITESPACE.sub(" ", value).strip()
    text = _INLINE_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text)
    # At the start of a line these would begin a heading, list, quote or numbered list.
    text = re.sub(r"^([#+\-=>])", lambda m: f"&#{ord(m.group(1))};", text)
    text = re.sub(r"^([0-9]+)([.)])", lambda m: f"{m.group(1)}&#{ord(m.group(2))};", text)
    return Markup(text)


def cell(value: Any) -> Markup:
    """Like `inline`; a separate name for table cells, where `|` must never end the cell."""
    return inline(value)


# --- summaries, notes and hand-written pages -------------------------------------------------


class _SafeLinks(Treeprocessor):  # type: ignore[misc]
    """Turns images into links (no request to another host when a page loads), keeps only safe
    link targets (others become plain text), drops every attribute the text could have set and
    makes site-absolute links (`/actors/x/`) relative to the page. `sanitise` checks it all
    again on the HTML, as the browser will read it."""

    root = ""

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    link = ET.Element("a", {"href": child.get("src", "")})
                    link.text = child.get("alt") or child.get("src", "")
                    link.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, link)
        for element in root.iter("a"):
            href = element.get("href", "")
            safe = safe_href(href, self.root)
            kept = element.get("class")  # footnote links; `sanitise` keeps only the known classes
            element.attrib.clear()
            if kept:
                element.set("class", kept)
            if safe is None:
                element.tag = "span"
                element.attrib.clear()
            else:
                element.set("href", safe)
                if re.match(r"^https?:", safe, re.IGNORECASE):
                    element.set("rel", "nofollow noopener")


def safe_href(href: str, root: str = "") -> str | None:
    """The link target to publish, or None when a browser would not read it as http, https,
    mailto or relative (see `explainer.core.links`)."""
    target = href.strip()
    if link_problem(target) or re.search(r"[\x00-\x1f]", target):
        return None
    if target.startswith("/"):
        return (root or "./") + target.lstrip("/")
    return target


class _Renderer:
    """Python-Markdown without raw HTML: `<` and `&` in the text come out as text."""

    def __init__(self, extensions: list[str] | None = None, configs: dict[str, Any] | None = None) -> None:
        self.md = markdown.Markdown(extensions=extensions or [], extension_configs=configs or {}, output_format="html")
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.links = _SafeLinks(self.md)
        self.md.treeprocessors.register(self.links, "explainer_safe_links", 1)

    def render(self, text: str, root: str) -> str:
        self.links.root = root
        self.md.reset()
        return str(self.md.convert(text))


_RENDERER = _Renderer()

# One line of words and punctuation that no Markdown rule acts on: its paragraph is known
# without running Python-Markdown (most summaries; a tenth of the time of a page). Anything
# else (a line break, a link, emphasis, a list or heading start, `&` or `<`) goes through it.
# tests/test_pages.py checks that both give the same HTML. Both are sanitised after.
_PLAIN_LINE = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:!?'\"()/%’‘“”–—-])*")


def _render_markdown(text: str, root: str) -> str:
    line = text.rstrip("\n")  # a YAML block scalar ends with a line break; spaces around it count
    if _PLAIN_LINE.fullmatch(line) and "  " not in line and not line.endswith(" "):
        return f"<p>{line}</p>"
    return _RENDERER.render(text, root)


def render_summary(text: str, root: str, css_class: str = "x-summary") -> Markup:
    """A Markdown field as a raw HTML block for a generated page (`root`: from the page to the
    site root, e.g. "../../")."""
    body = sanitise(_render_markdown(text, root))
    return Markup(f'<div class="{css_class}" markdown="0">\n{body}\n</div>')


def plain_text_of(html: str, limit: int = 0) -> str:
    """Rendered HTML (a summary) as plain text for a description: tags dropped, whitespace
    folded, cut at a word boundary to at most `limit` characters."""
    words = _WHITESPACE.sub(" ", re.sub(r"<[^>]+>", "", html)).strip()
    words = words.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    if limit and len(words) > limit:
        words = words[: limit - 1].rsplit(" ", 1)[0] + "…"
    return words


def render_note(text: str, root: str) -> Markup:
    """A short Markdown note as inline HTML (one paragraph's content, no block). It goes into a
    line of Markdown (a table cell), which the site engine parses again between the tags: so
    the characters Markdown acts on are written as references in its text too (else a code
    span holding `[x](javascript:...)` or `*x*{: onclick=...}` would come alive)."""
    body = sanitise(_render_markdown(_WHITESPACE.sub(" ", text).strip(), root))
    body = re.sub(r"^<p>(.*)</p>$", r"\1", body, flags=re.DOTALL)
    return Markup(f'<span class="x-note">{markdown_proof(body)}</span>')


# A tag as nh3 writes it: attribute values always in double quotes, `"` inside them escaped.
_TAG = re.compile(r'(<[^>"]*(?:"[^"]*"[^>"]*)*>)')
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]|~^$]")


def markdown_proof(html: str) -> str:
    """Sanitised HTML whose text no Markdown parser will act on: between the tags, every
    character Markdown or its extensions would interpret is a numeric character reference."""
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):
        parts[index] = _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", parts[index])
    return "".join(parts)


# --- templates --------------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return inline(value)


def template_environment() -> jinja2.Environment:
    """Templates see prepared data; anything not marked safe is escaped by `inline`."""
    from explainer.rendering.templating import Escaping, environment

    env = environment("pages", Escaping.PREPARED)
    env.finalize = _finalize
    env.filters["inline"] = inline
    env.filters["searchname"] = search_name
    env.filters["meta"] = front_matter_value
    return env


def search_name(value: Any) -> Markup:
    """Another name of a record (a short name, an alias), marked so that the site's search
    ranks the record's own page first for it (`explainer.site.search`)."""
    return Markup('<span data-pagefind-weight="10">') + inline(value) + Markup("</span>")


def front_matter_value(value: Any) -> Markup:
    """A page title or description for the front matter: a JSON string (valid YAML) holding
    HTML-escaped text, because the theme puts these values into `<title>` and `<meta>` as
    they are."""
    return Markup(json.dumps(html.escape(_WHITESPACE.sub(" ", str(value)).strip()), ensure_ascii=False))


# --- hand-written pages -------------------------------------------------------------------------

# The site's Markdown as far as a hand-written page may use it: no raw HTML, no attribute
# lists, no Markdown inside HTML. Code blocks are not highlighted (plain <pre><code>).
_PAGE_EXTENSIONS = ["abbr", "admonition", "fenced_code", "footnotes", "tables"]
_PAGE_RENDERER = _Renderer(_PAGE_EXTENSIONS, {"tables": {"use_align_attribute": True}})
_PAGE_ROOT = "../"  # pages/<name>.md is published at /<name>/


def render_page(text: str, title: str) -> str:
    """A hand-written page of the data folder as the file the site engine gets: the page's
    own front matter (allowed keys only, escaped, see `explainer.checking.page_source`), then its
    Markdown rendered here and sanitised like every data field, as raw HTML blocks that the
    engine passes through untouched. Only the top-level headings stay Markdown (plain text,
    escaped like a name), so that the engine still gives them anchors and a table of contents."""
    source, _ = split_page(text)  # its problems were reported by `explainer validate`
    meta = {"title": title, **({"description": source.meta["description"]} if "description" in source.meta else {})}
    lines = ["---", *(f"{key}: {front_matter_value(value)}" for key, value in meta.items()), "---", ""]
    body = sanitise(_PAGE_RENDERER.render(source.body, _PAGE_ROOT))
    for kind, part in _top_level_parts(body):
        if kind == "html":
            lines += [f'<div class="x-page" markdown="0">\n{part}\n</div>', ""]
        else:
            lines += [f"{'#' * int(kind[1])} {inline(part)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_VOID = frozenset({"br", "hr", "img", "input", "wbr", "col", "area", "base", "embed", "link", "meta", "source"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _TopLevel(HTMLParser):
    """Where the headings at the top level of a sanitised fragment start and end."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", html))]
        self.depth = 0
        self.open: tuple[str, int] | None = None
        self.text: list[str] = []
        self.headings: list[tuple[int, int, str, str]] = []  # start, end, tag, text
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self.depth == 0 and tag in _HEADINGS:
            self.open, self.text = (tag, self._offset()), []
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        if self.depth == 0 and self.open is not None and self.open[0] == tag:
            end = self._offset() + len(f"</{tag}>")
            self.headings.append((self.open[1], end, tag, "".join(self.text)))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.text.append(data)


def _top_level_parts(html: str) -> list[tuple[str, str]]:
    """The fragment as ("html", a run of top-level elements) and ("h2", a heading's text)."""
    parts: list[tuple[str, str]] = []
    position = 0
    for start, end, tag, text in _TopLevel(html).headings:
        if html[position:start].strip():
            parts.append(("html", html[position:start].strip()))
        parts.append((tag, text))
        position = end
    if html[position:].strip():
        parts.append(("html", html[position:].strip()))
    return parts
