"""Where a generated page sits, and how it links to other pages and cites its sources.

Every file name and link comes from `explainer.core.urls`, the one owner of the URL layout.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from explainer.core import urls
from explainer.core.dates import PartialDate
from explainer.pages.lookups import Lookups
from explainer.rendering.markup import inline

# A footnote definition as `footnotes()` writes it, at the start of a line.
_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]: ", re.MULTILINE)


@dataclass
class Page:
    """A page being prepared: its file, the links it makes, the sources it cites, the dates
    its facts carry and the charts it shows."""

    file: str
    lookups: Lookups
    cited: dict[str, None] = field(default_factory=dict)
    dates: list[PartialDate] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)
    """The charts shown on the page: chart id -> its title (for the oEmbed discovery links)."""

    @property
    def url(self) -> str:
        return urls.url_of(self.file)

    @property
    def root(self) -> str:
        """From the page's published URL to the site root ("" on the home page)."""
        return urls.depth_prefix(self.url)

    def href_file(self, target_file: str) -> str:
        """A Markdown link target to another generated file (checked by the site engine)."""
        return urls.relative_file(self.file, target_file)

    def href_url(self, target_file: str) -> str:
        """A URL to another page, for raw HTML (relative to this page's published URL)."""
        return self.root + urls.url_of(target_file)

    def link(self, collection: str, record_id: str, text: str | None = None) -> Markup:
        label = text if text is not None else self.title_of(collection, record_id)
        return Markup(f"[{inline(label)}]({self.href_file(urls.record_file(collection, record_id))})")

    def html_link(self, collection: str, record_id: str, text: str | None = None) -> Markup:
        label = text if text is not None else self.title_of(collection, record_id)
        return Markup(f'<a href="{self.href_url(urls.record_file(collection, record_id))}">{inline(label)}</a>')

    def title_of(self, collection: str, record_id: str) -> str:
        lookups = self.lookups
        if collection == "actors":
            return lookups.actors[record_id].name
        if collection == "events":
            return lookups.events[record_id].title
        if collection == "questions":
            return lookups.questions[record_id].question
        if collection == "places":
            return lookups.places[record_id].name
        return lookups.sources[record_id].title

    def cite(self, source_ids: list[str]) -> Markup:
        """Footnote references to the sources ("[^id]"), listed at the end of the page."""
        refs = []
        for source_id in dict.fromkeys(source_ids):
            self.cited[source_id] = None
            refs.append(f"[^{source_id}]")
        return Markup("".join(refs))

    def dated(self, *dates: PartialDate | None) -> None:
        """Note the dates of facts the page shows (an event's, a stance's, a correction's)."""
        self.dates.extend(date for date in dates if date is not None)

    def data_date(self) -> dt.date | None:
        """The newest day the page's facts carry: the last day of each date it shows and of
        each source it cites (never the build's date, so two builds stay byte-identical)."""
        days = [date.last_day for date in self.dates]
        days += [self.lookups.sources[source_id].date.last_day for source_id in self.cited]
        return max(days, default=None)

    def footnotes(self) -> list[Markup]:
        """The definitions for every source cited on the page (put in the order of the page's
        text by `in_citation_order` once the page is rendered)."""
        notes = []
        for source_id in self.cited:
            source = self.lookups.sources[source_id]
            details = [inline(source.publisher), inline(source.date.display())]
            if source.author:
                details.insert(0, inline(source.author))
            notes.append(
                Markup(f"[^{source_id}]: {self.link('sources', source_id)}, ")
                + Markup(", ").join(details)
                + Markup(".")
            )
        return notes


def in_citation_order(text: str) -> str:
    """The rendered page with its footnote definitions ordered by the first reference to each
    in the text. The site engine numbers footnotes in the order they are defined, and a view
    cites while it prepares data, not in the order the template prints it: without this a
    page could show [2] before [1]. A definition nothing refers to keeps its place at the end.
    Data text never holds a literal `[^` (`inline` and the Markdown renderer escape it or keep
    it inside raw HTML), so the first occurrence is the page's own reference."""
    definitions = list(_DEFINITION.finditer(text))
    if len(definitions) < 2:
        return text
    lines = text.splitlines(keepends=True)
    starts = {match.start() for match in definitions}
    offset, found = 0, []
    for index, line in enumerate(lines):
        if offset in starts:
            found.append(index)
        offset += len(line)
    if found != list(range(found[0], found[0] + len(found))):
        return text  # not one block of definitions: leave the page as the template wrote it
    block = [(text.find(f"[^{match.group(1)}]"), lines[index]) for index, match in zip(found, definitions, strict=True)]
    ordered = [line for _, line in sorted(block, key=lambda item: item[0])]
    return "".join(lines[: found[0]] + ordered + lines[found[-1] + 1 :])
