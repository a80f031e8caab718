"""Where a generated page sits, and how it links to other pages and cites its sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from explainer.pages.lookups import Lookups
from explainer.rendering.markup import inline

# Record collections and the file each record's page is written to.
COLLECTION_DIRS = ("actors", "events", "questions", "places", "sources")


def record_file(collection: str, record_id: str) -> str:
    return f"{collection}/{record_id}.md"


def url_path(page_file: str) -> str:
    """The published path of a Markdown file: "actors/x.md" -> "actors/x/", "index.md" -> ""."""
    stem = page_file.removesuffix(".md")
    if stem == "index":
        return ""
    stem = stem.removesuffix("/index")
    return stem + "/"


@dataclass
class Page:
    """A page being prepared: its file, the links it makes, the sources it cites."""

    file: str
    lookups: Lookups
    cited: dict[str, None] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return url_path(self.file)

    @property
    def root(self) -> str:
        """From the page's published URL to the site root ("" on the home page)."""
        depth = self.url.count("/")
        return "../" * depth

    def href_file(self, target_file: str) -> str:
        """A Markdown link target to another generated file (checked by the site engine).
        (posixpath.relpath gives the same answer, at a tenth of the speed.)"""
        folder = self.file.rpartition("/")[0]
        if folder and target_file.startswith(folder + "/"):
            return target_file[len(folder) + 1 :]
        return "../" * self.file.count("/") + target_file

    def href_url(self, target_file: str) -> str:
        """A URL to another page, for raw HTML (relative to this page's published URL)."""
        return self.root + url_path(target_file)

    def link(self, collection: str, record_id: str, text: str | None = None) -> Markup:
        label = text if text is not None else self.title_of(collection, record_id)
        return Markup(f"[{inline(label)}]({self.href_file(record_file(collection, record_id))})")

    def html_link(self, collection: str, record_id: str, text: str | None = None) -> Markup:
        label = text if text is not None else self.title_of(collection, record_id)
        return Markup(f'<a href="{self.href_url(record_file(collection, record_id))}">{inline(label)}</a>')

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

    def footnotes(self) -> list[Markup]:
        """The definitions for every source cited on the page, in order of first citation."""
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
