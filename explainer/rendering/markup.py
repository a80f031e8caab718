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
from typing import Any

import jinja2
import markdown  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from markupsafe import Markup

from explainer.checking.models import SAFE_LINK_SCHEMES, Figure
from explainer.core import resources

TEMPLATES = resources.TEMPLATES / "pages"

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


# --- summaries and notes --------------------------------------------------------------------


class _SafeLinks(Treeprocessor):  # type: ignore[misc]
    """Keeps only safe link targets, turns images into links (no request to another host when
    a page loads) and makes site-absolute links (`/actors/x/`) relative to the page."""

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
            for name in list(element.attrib):
                del element.attrib[name]
            if safe is None:
                element.tag = "span"
            else:
                element.set("href", safe)
                if re.match(r"^https?:", safe, re.IGNORECASE):
                    element.set("rel", "nofollow noopener")


def safe_href(href: str, root: str = "") -> str | None:
    """The link target to publish, or None when it is not http, https, mailto or relative."""
    target = href.strip()
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", target)
    if scheme:
        return target if scheme.group(1).lower() in SAFE_LINK_SCHEMES else None
    if target.startswith("//") or re.search(r"[\x00-\x1f]", target):
        return None
    if target.startswith("/"):
        return (root or "./") + target.lstrip("/")
    return target


class _SummaryRenderer:
    """Python-Markdown without raw HTML: `<` and `&` in the text come out as text."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=[], output_format="html")
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.links = _SafeLinks(self.md)
        self.md.treeprocessors.register(self.links, "explainer_safe_links", 1)

    def render(self, text: str, root: str) -> str:
        self.links.root = root
        self.md.reset()
        return str(self.md.convert(text))


_RENDERER = _SummaryRenderer()

# One line of words and punctuation that no Markdown rule acts on: its paragraph is known
# without running Python-Markdown (most summaries; a tenth of the time of a page). Anything
# else (a line break, a link, emphasis, a list or heading start, `&` or `<`) goes through it.
# tests/test_pages.py checks that both give the same HTML.
_PLAIN_LINE = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:!?'\"()/%’‘“”–—-])*")


def _render_markdown(text: str, root: str) -> str:
    line = text.rstrip("\n")  # a YAML block scalar ends with a line break; spaces around it count
    if _PLAIN_LINE.fullmatch(line) and "  " not in line and not line.endswith(" "):
        return f"<p>{line}</p>"
    return _RENDERER.render(text, root)


def render_summary(text: str, root: str, css_class: str = "x-summary") -> Markup:
    """A Markdown field as a raw HTML block for a generated page (`root`: from the page to the
    site root, e.g. "../../")."""
    body = _render_markdown(text, root)
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
    """A short Markdown note as inline HTML (one paragraph's content, no block)."""
    body = _render_markdown(_WHITESPACE.sub(" ", text).strip(), root)
    body = re.sub(r"^<p>(.*)</p>$", r"\1", body, flags=re.DOTALL)
    return Markup(f'<span class="x-note">{body}</span>')


# --- numbers ----------------------------------------------------------------------------------

QUALIFIER_WORDS = {"exactly": "", "about": "about ", "at-least": "at least ", "up-to": "up to "}


def number(value: int) -> str:
    return f"{value:,}"


def figure_text(figure: Figure) -> str:
    """ "at least 7,500", "about 90 to 120", "108"."""
    if figure.value is not None:
        return QUALIFIER_WORDS[figure.qualifier] + number(figure.value)
    if figure.qualifier == "up-to":
        return f"{number(figure.low)} to at most {number(figure.high)}"
    return QUALIFIER_WORDS[figure.qualifier] + f"{number(figure.low)} to {number(figure.high)}"


# --- templates --------------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return inline(value)


def template_environment() -> jinja2.Environment:
    """Templates see prepared data; anything not marked safe is escaped by `inline`."""
    from explainer.rendering.templating import TemplateCache

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        bytecode_cache=TemplateCache(),
        autoescape=False,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline
    env.filters["meta"] = front_matter_value
    return env


def front_matter_value(value: Any) -> Markup:
    """A page title or description for the front matter: a JSON string (valid YAML) holding
    HTML-escaped text, because the theme puts these values into `<title>` and `<meta>` as
    they are."""
    return Markup(json.dumps(html.escape(_WHITESPACE.sub(" ", str(value)).strip()), ensure_ascii=False))


# --- hand-written pages -------------------------------------------------------------------------

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]*)>", re.IGNORECASE)
_LINK_TARGET = re.compile(r"(\]\(\s*<?\s*)([a-zA-Z][a-zA-Z0-9+.\-]*:)")


def neutralise_page(text: str) -> str:
    """A hand-written page of the data folder, with the same rules as the fields: raw HTML and
    attribute lists (`{: onclick=...}`) are shown as text and only http, https, mailto and
    relative links are kept. The whole text is treated alike, code included: guessing where
    the engine's code spans and blocks begin and end is how such filters are fooled, so a
    `<` in a code sample of a data page shows as `&lt;`."""
    return _neutralise_text(text)


def _neutralise_text(text: str) -> str:
    text = _AUTOLINK.sub(lambda m: f"[{m.group(1)}]({m.group(1)})", text)
    text = _TAG_START.sub("&lt;", text)
    text = text.replace("{", "&#123;")

    def link(match: re.Match[str]) -> str:
        scheme = match.group(2)[:-1].lower()
        return match.group(0) if scheme in SAFE_LINK_SCHEMES else f"{match.group(1)}#unsafe-link-{scheme}-"

    return _LINK_TARGET.sub(link, text)
