"""Stage: the Markdown pages of the site, from a checked dataset.

`page_jobs` lists the pages as jobs for `explainer.rendering.writer`, which renders and writes them (on
every core for a large dataset); `render_pages` gives the same pages, pure: dataset in,
{file: Markdown} out. Nothing here touches the disk. Every file name and link comes from
`explainer.core.urls`, every word for a value of the format from `explainer.core.wording`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

import jinja2

from explainer.checking.dataset import Dataset
from explainer.checking.page_source import split_page
from explainer.core import urls
from explainer.pages import views
from explainer.pages.context import Page, in_citation_order
from explainer.pages.lookups import Lookups, build_lookups
from explainer.pages.views import ChartBlocks, Section
from explainer.rendering.markup import render_page, template_environment
from explainer.rendering.writer import FileJob

__all__ = ["ChartBlocks", "PagePlan", "Section", "data_page_title", "page_jobs", "render_pages"]

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def data_page_title(name: str, text: str) -> str:
    """A hand-written page's title: its front matter's, else its first level-1 heading's
    (as plain text), else its name in words."""
    source, _ = split_page(text)
    if "title" in source.meta:
        return source.meta["title"]
    match = _HEADING.search(source.body)
    return match.group(1) if match else name.replace("-", " ").capitalize()


def render_pages(
    dataset: Dataset,
    chart_set: ChartBlocks | None = None,
    sections: list[Section] | None = None,
) -> dict[str, str]:
    """Every generated page: {path inside the docs folder: Markdown}, in a stable order."""
    return {job.path: str(job.content()) for job in page_jobs(dataset, chart_set, sections)}


def page_jobs(
    dataset: Dataset,
    chart_set: ChartBlocks | None = None,
    sections: list[Section] | None = None,
) -> list[FileJob]:
    """Every generated page as a job (its file and how to render it), in a stable order."""
    plan = PagePlan(dataset, sections)
    return plan.chart_pages(chart_set) + plan.record_pages()


class PagePlan:
    """The pages of a dataset as jobs, in two groups: the pages that show charts (sections,
    actors, questions), and the pages that do not (events, places, sources, corrections,
    hand-written pages), which the build starts writing while the charts are still being made.
    The cross-references are computed here, once; each page is rendered when its job runs."""

    def __init__(self, dataset: Dataset, sections: list[Section] | None = None) -> None:
        self.dataset = dataset
        self.sections = sections or []
        self.lookups = build_lookups(dataset)
        self.env = template_environment()

    @property
    def count(self) -> int:
        lookups = self.lookups
        records = (lookups.actors, lookups.events, lookups.questions, lookups.places, lookups.sources)
        return SECTION_PAGES + sum(len(ids) for ids in records) + len(self.dataset.pages)

    def _job(self, file: str, template: str, build: Callable[..., Any], *args: Any) -> FileJob:
        return FileJob(file, partial(_render, self.env, self.lookups, file, template, build, args))

    def chart_pages(self, chart_set: ChartBlocks | None) -> list[FileJob]:
        lookups, job = self.lookups, self._job
        charts = views.ChartPlacer(chart_set) if chart_set is not None else None
        data_pages = [(name, data_page_title(name, page.text)) for name, page in sorted(self.dataset.pages.items())]
        site = self.dataset.site
        jobs = [
            job(urls.HOME, "home.md.j2", views.home_view, data_pages, charts, site, self.sections),
            job(urls.TIMELINE, "timeline.md.j2", views.timeline_view, charts),
            job(urls.MAP, "map.md.j2", views.map_view, charts),
            job(urls.section_file("actors"), "actors-index.md.j2", views.actors_index_view, charts),
            job(urls.section_file("events"), "events-index.md.j2", views.events_index_view, charts),
            job(urls.section_file("questions"), "questions-index.md.j2", views.questions_index_view, charts),
            job(urls.section_file("places"), "places-index.md.j2", views.places_index_view),
            job(urls.section_file("sources"), "sources-index.md.j2", views.sources_index_view),
        ]
        jobs += [
            job(urls.record_file("actors", actor_id), "actor.md.j2", views.actor_view, actor_id, charts)
            for actor_id in lookups.actors
        ]
        jobs += [
            job(urls.record_file("questions", qid), "question.md.j2", views.question_view, qid, charts)
            for qid in lookups.questions
        ]
        return jobs

    def record_pages(self) -> list[FileJob]:
        lookups, job = self.lookups, self._job
        jobs = [
            job(urls.record_file("events", event_id), "event.md.j2", views.event_view, event_id)
            for event_id in lookups.events
        ]
        jobs += [
            job(urls.record_file("places", place_id), "place.md.j2", views.place_view, place_id)
            for place_id in lookups.places
        ]
        jobs += [
            job(urls.record_file("sources", source_id), "source.md.j2", views.source_view, source_id)
            for source_id in lookups.sources
        ]
        # Always written, also with no correction: the home page and the methodology link it.
        jobs.append(job(urls.CORRECTIONS, "corrections.md.j2", views.corrections_view))
        jobs += [
            FileJob(urls.page_file(name), partial(render_page, page.text, data_page_title(name, page.text)))
            for name, page in sorted(self.dataset.pages.items())
        ]
        return jobs


# Home, timeline, map, the five section indexes and the corrections page.
SECTION_PAGES = 9


def _render(
    env: jinja2.Environment,
    lookups: Lookups,
    file: str,
    template: str,
    build: Callable[..., Any],
    args: tuple[Any, ...],
) -> str:
    page = Page(file, lookups)
    view = build(page, *args)
    text = env.get_template(template).render(view=view, footnotes=page.footnotes())
    return in_citation_order(text)
