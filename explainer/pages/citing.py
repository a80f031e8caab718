"""What a record page says about citing it and about embedding the charts it shows.

- `cite_block`: the "Cite this page" block of an actor, event, question, place or source page
  (plain text, BibTeX, CSL-JSON, from `explainer.rendering.citation` as the charts' are). It
  names the explainer (title, address when `base_url` is set, licence, and the newest date the
  page's facts carry, never the build's) and then the original sources the page cites.
- `oembed_links`: the oEmbed discovery links of the charts a page shows, which the page's front
  matter hands to the theme's `<head>` (`explainer/static/theme/overrides/main.html`).

Record text is untrusted: the block is one raw HTML element whose every data character is
escaped, so a hostile title stays text (and never starts a footnote reference, which
`in_citation_order` relies on). It is marked `data-search-exclude` (see `explainer.site.search`),
so the search index holds each source once, on its own page, not on every page citing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from explainer.checking.models import Site
from explainer.core import urls
from explainer.pages.context import Page
from explainer.rendering import citation

CITE_ID = "cite-this-page"
"""The block's element ids start with this (chart blocks use `cite-<chart id>`)."""


@dataclass(frozen=True)
class OembedLink:
    """One `<link rel="alternate" type="application/json+oembed">` of a page's head."""

    href: str
    title: str


def page_work(page: Page, site: Site | None, collection: str, record_id: str) -> citation.Work:
    """The record page as a citable work. Call it once the page's view is made: the view
    notes the sources the page cites and the dates its facts carry."""
    lookups = page.lookups
    source_ids = dict.fromkeys([record_id] if collection == "sources" else [])
    source_ids.update(page.cited)
    sources = [lookups.sources[source_id] for source_id in source_ids]
    cited = [
        citation.Cited(source.publisher, source.title, str(source.date), source.url, source.author)
        for source in sources
    ]
    base = site.base_url.rstrip("/") + "/" if site and site.base_url else None
    return citation.Work(
        title=page.title_of(collection, record_id),
        container=site.title if site else "",
        url=base + page.url if base else None,
        issued=page.data_date(),
        license=site.license if site else None,
        kind="webpage",
        sources=tuple(sorted(cited, key=lambda s: (s.date, s.publisher, s.title))),
        id=f"{collection}-{record_id}",
    )


def cite_block(work: citation.Work) -> Markup:
    """The "Cite this page" block: a closed <details> (one line until opened) holding the plain
    text, BibTeX and CSL-JSON, each with a copy button that the chart script shows where the
    clipboard can be written (as in a chart's "Embed or cite this chart")."""

    def copyable(element: str, suffix: str, text: str, button: str) -> str:
        ident = CITE_ID + suffix
        cls = "explainer-cite" if element == "p" else "explainer-snippet"
        return (
            f'<div class="explainer-copy"><{element} class="{cls}" id="{ident}">{_html_text(text)}</{element}>'
            f'<button type="button" class="explainer-copy-button" data-copy="{ident}" hidden>{button}</button></div>\n'
        )

    return Markup(
        '<details class="x-cite" data-search-exclude markdown="0">\n'
        "<summary>Cite this page</summary>\n"
        + copyable("p", "", citation.plain_text(work), "Copy citation")
        + "<p>BibTeX:</p>\n"
        + copyable("pre", "-bibtex", citation.bibtex(work), "Copy BibTeX")
        + "<p>CSL-JSON (Zotero, Pandoc):</p>\n"
        + copyable("pre", "-csl", citation.csl_json_text(work, compact=True), "Copy CSL-JSON")
        + "</details>"
    )


_CHARACTER_DATA = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;"}
_CHARACTER_DATA_SPECIAL = re.compile("[&<>\\[\\]]")


def _html_text(text: str) -> str:
    """Text as the content of an HTML element: what would start markup escaped, and square
    brackets as references (no `[^` a footnote could be mistaken for). Quotes stay as they are
    (they end nothing outside an attribute): BibTeX and JSON are full of them. The reader and
    the copy button get the text."""
    return _CHARACTER_DATA_SPECIAL.sub(lambda match: _CHARACTER_DATA[match.group(0)], text)


def oembed_links(page: Page, base_url: str | None) -> list[OembedLink]:
    """The discovery links of the charts the page shows, in the order shown: absolute under
    `base_url`, else relative to the page (as the embed page's own link)."""
    base = base_url.rstrip("/") + "/" if base_url else page.root
    return [OembedLink(base + urls.oembed_url(chart_id), title) for chart_id, title in page.charts.items()]
