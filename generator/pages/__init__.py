"""Stage: the Markdown pages of the site, from a checked dataset.

`render_pages` is pure (dataset in, {file: Markdown} out); `write_pages` is the only function
here that touches the disk. File names follow the published URLs of the data format:
`actors/<id>.md` is served as `/actors/<id>/`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.dataset import Dataset
from generator.pages import views
from generator.pages.context import Page, record_file
from generator.pages.lookups import build_lookups
from generator.pages.markup import neutralise_page, template_environment
from generator.pages.views import ChartBlocks

__all__ = ["ChartBlocks", "Section", "data_page_title", "render_pages", "write_pages"]


@dataclass(frozen=True)
class Section:
    """A page written by another stage (charts gallery, open data, shared docs) that the home
    page links to: its title and its file in the docs folder."""

    title: str
    file: str


_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def data_page_title(name: str, text: str) -> str:
    """The first level-1 heading of a hand-written page, else its name in words."""
    match = _HEADING.search(text)
    return match.group(1) if match else name.replace("-", " ").capitalize()


def render_pages(
    dataset: Dataset,
    chart_set: ChartBlocks | None = None,
    sections: list[Section] | None = None,
) -> dict[str, str]:
    """Every generated page: {path inside the docs folder: Markdown}, in a stable order."""
    lookups = build_lookups(dataset)
    charts = views.ChartPlacer(chart_set) if chart_set is not None else None
    env = template_environment()
    out: dict[str, str] = {}

    def render(file: str, template: str, build: Callable[..., dict[str, Any]], *args: Any, **extra: Any) -> None:
        page = Page(file, lookups)
        view = build(page, *args)
        out[file] = env.get_template(template).render(view=view, page=page, footnotes=page.footnotes(), **extra)

    data_pages = [(name, data_page_title(name, page.text)) for name, page in sorted(dataset.pages.items())]
    site = dataset.site
    render(
        "index.md",
        "home.md.j2",
        views.home_view,
        data_pages,
        charts,
        site,
        sections=[(s.title, Page("index.md", lookups).href_file(s.file)) for s in sections or []],
    )
    render("timeline.md", "timeline.md.j2", views.timeline_view, charts)
    render("map.md", "map.md.j2", views.map_view, charts)
    render("actors/index.md", "actors-index.md.j2", views.actors_index_view, charts)
    render("events/index.md", "events-index.md.j2", views.events_index_view, charts)
    render("questions/index.md", "questions-index.md.j2", views.questions_index_view, charts)
    render("places/index.md", "places-index.md.j2", views.places_index_view)
    render("sources/index.md", "sources-index.md.j2", views.sources_index_view)
    for actor_id in lookups.actors:
        render(record_file("actors", actor_id), "actor.md.j2", views.actor_view, actor_id, charts)
    for event_id in lookups.events:
        render(record_file("events", event_id), "event.md.j2", views.event_view, event_id, charts)
    for question_id in lookups.questions:
        render(record_file("questions", question_id), "question.md.j2", views.question_view, question_id, charts)
    for place_id in lookups.places:
        render(record_file("places", place_id), "place.md.j2", views.place_view, place_id)
    for source_id in lookups.sources:
        render(record_file("sources", source_id), "source.md.j2", views.source_view, source_id)
    for name, page in sorted(dataset.pages.items()):
        text = neutralise_page(page.text)
        out[f"{name}.md"] = text if text.endswith("\n") else text + "\n"
    return out


def write_pages(pages: dict[str, str], docs_dir: Path) -> None:
    """Write each page once; two stages writing the same file is an error, never an overwrite."""
    for file, text in pages.items():
        path = docs_dir / file
        if path.exists():
            raise FileExistsError(f"{path} was already written by another stage")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
