"""Every chart of a dataset, and what each becomes on the site: `build_charts(dataset)` makes
the figures (pure); a `ChartSet` gives a page its chart block, and an embed page, the gallery,
a snippet or an image path for a chart. It writes nothing: `explainer.charts.files` writes a
chart set's files (and imports this module, never the other way round).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from explainer.charts import render
from explainer.charts.chart import Chart
from explainer.charts.descriptions import events_by_actor, source_label
from explainer.checking.dataset import Dataset
from explainer.checking.models import Site
from explainer.core import assets as assets_module
from explainer.core import urls

SITE_WIDE_ORDER = ("timeline", "positions", "tolls", "network", "map")
IMAGE_FORMATS = ("png", "svg")
MAX_INLINE_SNIPPETS = 200  # above this, the gallery lists per-record charts with one generic snippet
MAX_CREDITED_SOURCES = 8


def _families(topology: dict[str, Any] | None = None) -> list[Callable[[Dataset], Chart | None]]:
    from functools import partial

    from explainer.charts.geo import map_chart
    from explainer.charts.network import network_chart
    from explainer.charts.positions import positions_chart
    from explainer.charts.timeline import timeline_chart
    from explainer.charts.tolls import tolls_chart

    return [timeline_chart, positions_chart, tolls_chart, network_chart, partial(map_chart, topology=topology)]


def build_charts(dataset: Dataset, *, assets: assets_module.Assets | None = None) -> ChartSet:
    """Every chart a valid dataset supports. A site-wide chart with nothing to show (no
    questions, no relations, no places) is left out, and so is its id."""
    from explainer.charts.records import actor_charts, question_charts

    located = assets or assets_module.locate_assets()
    charts: dict[str, Chart] = {}
    for family in _families(located.topology()):
        chart = family(dataset)
        if chart is not None:
            charts[chart.id] = chart
    by_actor: dict[str, list[str]] = {}
    involved = events_by_actor(dataset)
    for actor_id in sorted(dataset.records("actors")):
        made = actor_charts(dataset, actor_id, involved.get(actor_id, []))
        by_actor[actor_id] = [chart.id for chart in made]
        charts.update((chart.id, chart) for chart in made)
    by_question: dict[str, list[str]] = {}
    for question_id in sorted(dataset.records("questions")):
        made = question_charts(dataset, question_id)
        by_question[question_id] = [chart.id for chart in made]
        charts.update((chart.id, chart) for chart in made)
    site = dataset.site if dataset.site_record is not None else None
    return ChartSet(charts, by_actor, by_question, dataset, located, site)


@dataclass
class ChartSet:
    charts: dict[str, Chart]
    by_actor: dict[str, list[str]]
    by_question: dict[str, list[str]]
    dataset: Dataset
    assets: assets_module.Assets
    site: Site | None
    images: dict[str, dict[str, str]] = field(default_factory=dict)
    """Static images written, chart id -> format -> path from the site root."""
    images_wanted: bool = True
    """Whether this build draws static images (not a preview, nor a build whose drawing failed):
    without them no page, embed, gallery or og:image names one."""

    @property
    def ids(self) -> list[str]:
        site_wide = [cid for cid in SITE_WIDE_ORDER if cid in self.charts]
        return site_wide + sorted(cid for cid in self.charts if cid not in SITE_WIDE_ORDER)

    def chart(self, chart_id: str) -> Chart:
        try:
            return self.charts[chart_id]
        except KeyError:
            raise KeyError(f"no chart '{chart_id}'; the charts are {', '.join(self.ids)}") from None

    def for_actor(self, actor_id: str) -> list[str]:
        return list(self.by_actor.get(actor_id, []))

    def for_question(self, question_id: str) -> list[str]:
        return list(self.by_question.get(question_id, []))

    @property
    def paths(self) -> render.Paths:
        return render.Paths(plotly=urls.vendor_file("plotly", self.assets.plotly.name))

    def image_path(self, chart_id: str, fmt: str = "png") -> str | None:
        """Where the chart's static image is, from the site root, if the build makes one
        (site-wide charts only, when kaleido and Chromium are present). Use it as og:image."""
        chart = self.chart(chart_id)
        if not chart.site_wide or not self.images_planned():
            return None
        return urls.chart_file(chart_id, fmt)

    def images_planned(self) -> bool:
        from explainer.charts.images import images_available

        return self.images_wanted and images_available() is None

    def block(self, chart_id: str, page_url: str, *, table: bool = True) -> str:
        """The chart's HTML for a generated Markdown page published at `page_url` ("timeline/"):
        the chart, its static image for readers without scripts, its summary and its data table."""
        chart = self.chart(chart_id)
        return render.block(chart, page_url, self.paths, self.image_path(chart_id), table=table)

    def snippet(self, chart_id: str, base_url: str | None = None) -> str:
        base = base_url if base_url is not None else (self.site.base_url if self.site else None)
        return render.snippet(self.chart(chart_id), base)

    def credit(self, chart_id: str, root: str) -> list[tuple[str, str | None]]:
        """Who the chart's data cites: each source with its page on the explainer."""
        chart = self.chart(chart_id)
        cited = list(chart.sources)
        shown: list[tuple[str, str | None]] = [
            (source_label(self.dataset, sid), root + urls.record_url("sources", sid))
            for sid in cited[:MAX_CREDITED_SOURCES]
        ]
        if len(cited) > MAX_CREDITED_SOURCES:
            more = len(cited) - MAX_CREDITED_SOURCES
            shown.append((f"and {more} more", root + urls.url_of(urls.section_file("sources"))))
        return shown

    def embed_page(self, chart_id: str, site: Site | None = None) -> str:
        site = site or self.site
        chart = self.chart(chart_id)
        return render.embed_page(
            chart,
            self.paths,
            site_title=site.title if site else "",
            language=site.language if site else "en",
            credit=self.credit(chart_id, urls.depth_prefix(urls.embed_url(chart_id))),
            image=self.image_path(chart_id),
            base_url=site.base_url if site else None,
        )

    def gallery(self, site: Site | None = None) -> str:
        site = site or self.site
        site_wide = [
            # without its image, a chart shows readers without JavaScript its data table
            (self.charts[cid], self.block(cid, urls.url_of(urls.CHARTS), table=not self.images_planned()))
            for cid in self.ids
            if self.charts[cid].site_wide
        ]
        actors = [self.charts[cid] for aid in sorted(self.by_actor) for cid in self.by_actor[aid]]
        questions = [self.charts[cid] for qid in sorted(self.by_question) for cid in self.by_question[qid]]
        groups = [
            (name, items)
            for name, items in (("Actors' events", actors), ("Questions: stances over time", questions))
            if items
        ]
        return render.gallery(
            site_wide,
            groups,
            images={
                cid: {fmt: path for fmt in IMAGE_FORMATS if (path := self.image_path(cid, fmt))} for cid in self.ids
            },
            base_url=site.base_url if site else None,
            inline_snippets=len(actors) + len(questions) <= MAX_INLINE_SNIPPETS,
        )
