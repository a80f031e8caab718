"""The last step between rendered Markdown and a page: an allow-list sanitiser (nh3).

Every HTML fragment the explainer makes from the data (a summary, a note, a correction, the
quick path's one-line paragraphs) or from a hand-written page passes `sanitise` last, whatever
made it. nh3 parses the fragment as a browser would (character references decoded) and keeps:

- only the tags of ALLOWED_TAGS: nothing that runs, styles or loads (no script, style, img,
  video, audio, iframe, object, form); an image in the data has already become a link to it;
- only the attributes listed here, never one named by the data: `href`, `class` and `id`
  with values from a fixed set (the footnote and admonition markup Python-Markdown writes),
  `rel` only as the renderer sets it, table alignment as `align`;
- a link's target only when a browser would follow it as http, https, mailto or relative
  (`explainer.core.links.link_problem`, after decoding `jav&#x61;script:` and `java&#9;script:`).

The output is serialised again by nh3, so what the browser reads is exactly what was checked.
"""

from __future__ import annotations

import re

import nh3

from explainer.core.links import link_problem

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "span", "div", "sup", "abbr",
        "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip

ADMONITION_TYPES = frozenset(
    {
        "note", "abstract", "info", "tip", "success", "question",
        "warning", "failure", "danger", "bug", "example", "quote",
    }
)  # fmt: skip
_CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset({"footnote-ref", "footnote-backref"}),
    "div": frozenset({"footnote", "admonition", *ADMONITION_TYPES}),
    "p": frozenset({"admonition-title"}),
}
_CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+-]{1,40}")
_FOOTNOTE_ID = re.compile(r"fn(ref[0-9]*)?:[A-Za-z0-9_-]{1,80}")
_ALIGN = {"align": {"left", "center", "right"}}


def _attribute(tag: str, name: str, value: str) -> str | None:
    """The value an allowed attribute keeps, or None to drop it (`value` is decoded)."""
    if name == "href":
        return None if link_problem(value) else value
    if name == "class":
        if tag == "code":
            kept = [word for word in value.split() if _CODE_LANGUAGE.fullmatch(word)]
        else:
            kept = [word for word in value.split() if word in _CLASSES.get(tag, ())]
        return " ".join(kept) or None
    if name == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    return value  # abbr's title: text, escaped by the serialiser


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={
        "*": set(),  # no attribute on every tag (nh3 would allow lang and title)
        "a": {"href", "class"},
        "code": {"class"},
        "div": {"class"},
        "p": {"class"},
        "sup": {"id"},
        "li": {"id"},
        "abbr": {"title"},
    },
    tag_attribute_values={"a": {"rel": {"nofollow noopener"}}, "th": _ALIGN, "td": _ALIGN},
    attribute_filter=_attribute,
    strip_comments=True,
    link_rel=None,
    url_schemes={"http", "https", "mailto"},
)


def sanitise(html: str) -> str:
    """An HTML fragment with everything outside the allow-list removed (see the module doc)."""
    return str(_CLEANER.clean(html))
