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
from explainer.checking.models import Site
from explainer.checking.page_source import split_page
from explainer.core import urls
from explainer.pages import citing, views
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
        self.site = dataset.site if dataset.site_record is not None else None

    @property
    def count(self) -> int:
        lookups = self.lookups
        records = (lookups.actors, lookups.events, lookups.questions, lookups.places, lookups.sources)
        return SECTION_PAGES + sum(len(ids) for ids in records) + len(self.dataset.pages)

    def _job(self, file: str, template: str, build: Callable[..., Any], *args: Any) -> FileJob:
        return FileJob(file, partial(_render, self.env, self.lookups, self.site, file, template, build, args))

    def _record_job(self, collection: str, record_id: str, build: Callable[..., Any], *args: Any) -> FileJob:
        """A record's page: its view, laid out by `<kind>.md.j2`, with its "Cite this page" block."""
        file = urls.record_file(collection, record_id)
        template = f"{_RECORD_TEMPLATES[collection]}.md.j2"
        render = partial(
            _render, self.env, self.lookups, self.site, file, template, build, (record_id, *args), record=collection
        )
        return FileJob(file, render)

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
        jobs += [self._record_job("actors", actor_id, views.actor_view, charts) for actor_id in lookups.actors]
        jobs += [self._record_job("questions", qid, views.question_view, charts) for qid in lookups.questions]
        return jobs

    def record_pages(self) -> list[FileJob]:
        lookups, record = self.lookups, self._record_job
        jobs = [record("events", event_id, views.event_view) for event_id in lookups.events]
        jobs += [record("places", place_id, views.place_view) for place_id in lookups.places]
        jobs += [record("sources", source_id, views.source_view) for source_id in lookups.sources]
        # Always written, also with no correction: the home page and the methodology link it.
        jobs.append(self._job(urls.CORRECTIONS, "corrections.md.j2", views.corrections_view))
        jobs += [
            FileJob(urls.page_file(name), partial(render_page, page.text, data_page_title(name, page.text)))
            for name, page in sorted(self.dataset.pages.items())
        ]
        return jobs


# Home, timeline, map, the five section indexes and the corrections page.
SECTION_PAGES = 9

# A record page's template: "<kind>.md.j2".
_RECORD_TEMPLATES = {
    "actors": "actor",
    "events": "event",
    "questions": "question",
    "places": "place",
    "sources": "source",
}


def _render(
    env: jinja2.Environment,
    lookups: Lookups,
    site: Site | None,
    file: str,
    template: str,
    build: Callable[..., Any],
    args: tuple[Any, ...],
    record: str | None = None,
) -> str:
    """One page: its view first (which notes what the page cites, dates and shows), then the
    template with the footnotes, the oEmbed links of its charts and, on the page of a record
    of the collection `record` (its id is the view's first argument), the "Cite this page" block."""
    page = Page(file, lookups)
    view = build(page, *args)
    cite = citing.cite_block(citing.page_work(page, site, record, args[0])) if record else None
    oembed = citing.oembed_links(page, site.base_url if site else None)
    text = env.get_template(template).render(view=view, footnotes=page.footnotes(), cite=cite, oembed=oembed)
    return in_citation_order(text)
