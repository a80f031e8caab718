"""Every chart of a dataset, and what each becomes on the site: `build_charts(dataset)` makes
the figures (pure); a `ChartSet` gives a page its chart block, and an embed page, the gallery,
a snippet or an image path for a chart. It writes nothing: `explainer.charts.files` writes a
chart set's files (and imports this module, never the other way round).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from explainer.charts import render
from explainer.charts.chart import Chart
from explainer.charts.descriptions import events_by_actor
from explainer.checking.dataset import Dataset
from explainer.checking.models import Site
from explainer.core import assets as assets_module
from explainer.core import urls
from explainer.core.dates import PartialDate
from explainer.rendering import citation

SITE_WIDE_ORDER = ("timeline", "positions", "tolls", "network", "map")
IMAGE_FORMATS = ("png", "svg")
"""The downloads the gallery lists: the light PNG and SVG (dark ones beside them)."""
PUBLISHED_IMAGES = ("png", "svg", "dark.png", "dark.svg")
PREVIEWS = ("preview.svg", "preview-dark.svg")
CARD = "card.png"
CREDIT_CHARACTERS = 160
"""The credit line of an image stays on one line: at most this many characters."""
MAX_INLINE_SNIPPETS = 200  # above this, the gallery lists per-record charts with one generic snippet


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
        """Where one of the chart's static images is, from the site root, if the build makes
        it (when kaleido and Chromium are present): `fmt` is "png", "svg", "dark.png",
        "dark.svg", the previews "preview.svg" and "preview-dark.svg", or for a site-wide
        chart "card.png" (1200x630, the og:image of the page it explains)."""
        chart = self.chart(chart_id)
        if not self.images_planned() or (fmt == CARD and not chart.site_wide):
            return None
        if fmt not in PUBLISHED_IMAGES + PREVIEWS + (CARD,):
            raise ValueError(f"no image format '{fmt}'")
        from explainer.charts.images import publishable_for

        if fmt in PUBLISHED_IMAGES and not publishable_for(self.site, chart):
            return None  # `images: site-wide`: previews only for the charts of one record
        return urls.chart_file(chart_id, fmt)

    def images_planned(self) -> bool:
        from explainer.charts.images import images_available

        return self.images_wanted and images_available() is None

    def block(self, chart_id: str, page_url: str, *, table: bool = True) -> str:
        """The chart's HTML for a generated Markdown page published at `page_url` ("timeline/"):
        its static preview (the interactive chart replaces it when a reader reaches for it),
        its summary, its data table, the snippet to embed it and how to cite it."""
        chart = self.chart(chart_id)
        return render.block(
            chart,
            page_url,
            self.paths,
            self._previews(chart_id),
            table=table,
            snippets=self.snippets(chart_id),
            cite=self.citation(chart_id),
        )

    def _previews(self, chart_id: str) -> render.Previews | None:
        light, dark = (self.image_path(chart_id, fmt) for fmt in PREVIEWS)
        if light is None or dark is None:
            return None
        return render.Previews(light, dark, *render.preview_size(self.chart(chart_id)))

    def snippet(self, chart_id: str, base_url: str | None = None, *, version: bool = False) -> str:
        base = base_url if base_url is not None else (self.site.base_url if self.site else None)
        chart = self.chart(chart_id)
        return render.snippet(chart, base, version=self.version(chart_id) if version else None)

    def snippets(self, chart_id: str) -> render.Snippets:
        """The snippet of the latest chart and of this version of it."""
        return render.Snippets(
            latest=self.snippet(chart_id), pinned=self.snippet(chart_id, version=True), version=self.version(chart_id)
        )

    def credit(self, chart_id: str, root: str, *, shown: int = 4) -> list[tuple[str, str | None]]:
        """Who the chart's data cites, for a one-line credit: each publisher once (most cited
        first) with the page of its first source, at most `shown`, then "N more" (the sources' index)."""
        first: dict[str, str] = {}
        for sid in self.chart(chart_id).sources:
            record = self.dataset.records("sources").get(sid)
            first.setdefault(record.model.publisher if record is not None else sid, sid)
        publishers = self.publishers(chart_id)
        credit: list[tuple[str, str | None]] = [
            (name, root + urls.record_url("sources", first[name])) for name in publishers[:shown]
        ]
        if len(publishers) > shown:
            credit.append((f"{len(publishers) - shown} more", root + urls.url_of(urls.section_file("sources"))))
        return credit

    def publishers(self, chart_id: str) -> list[str]:
        """The publishers of the sources the chart cites, each once, most cited first."""
        counts: dict[str, int] = {}
        for sid in self.chart(chart_id).sources:
            record = self.dataset.records("sources").get(sid)
            name = record.model.publisher if record is not None else sid
            counts[name] = counts.get(name, 0) + 1
        return sorted(counts, key=lambda name: (-counts[name], name))

    def data_date(self, chart_id: str) -> dt.date | None:
        """The date of the chart's data: the last day of the latest source it cites."""
        days = [
            record.model.date.last_day
            for sid in self.chart(chart_id).sources
            if (record := self.dataset.records("sources").get(sid)) is not None
        ]
        return max(days, default=None)

    def credit_line(self, chart_id: str, *, limit: int = CREDIT_CHARACTERS) -> str:
        """One line: "Source: <explainer>, data CC-BY-4.0, as of 18 July 2012 — from Reuters,
        BBC and 3 more", shortened to `limit` characters (publishers first, then the title)."""
        site = self.site
        title = site.title if site else "this explainer"
        licence = f", data {site.license}" if site and site.license else ""
        day = self.data_date(chart_id)
        when = f", as of {PartialDate(day.year, day.month, day.day).display()}" if day else ""
        publishers = self.publishers(chart_id)

        def line(title: str, shown: int) -> str:
            names = publishers[:shown]
            more = len(publishers) - shown
            listed = ", ".join(names) + (f" and {more} more" if more and names else f"{more} sources" if more else "")
            return f"Source: {title}{licence}{when}" + (f" — from {listed}" if listed else "")

        for shown in range(len(publishers), -1, -1):
            text = line(title, shown)
            if len(text) <= limit:
                return text
        text = line(title, 0)
        cut = len(text) - limit + 1
        return line(title[: max(8, len(title) - cut)].rstrip() + "…", 0)

    def version(self, chart_id: str) -> str:
        """The chart's version: 10 hex digits of a hash of everything its embed shows (the
        figure, title, summary, data and credit), so an unchanged chart keeps its version
        from build to build and a changed one gets a new one."""
        chart = self.chart(chart_id)
        digest = hashlib.blake2b(b"embed-version-1", digest_size=5)
        for part in (render.spec_json(chart), chart.title, " ".join(chart.summary), self.credit_line(chart_id)):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(repr((chart.table.headers, chart.table.rows)).encode("utf-8"))
        return digest.hexdigest()

    def citation(self, chart_id: str) -> citation.Work:
        chart = self.chart(chart_id)
        site = self.site
        base = site.base_url.rstrip("/") + "/" if site and site.base_url else None
        sources = []
        for sid in chart.sources:
            record = self.dataset.records("sources").get(sid)
            if record is None:
                continue
            source = record.model
            sources.append(citation.Cited(source.publisher, source.title, str(source.date), source.url, source.author))
        return citation.Work(
            title=chart.title,
            container=site.title if site else "",
            url=(base + chart.home) if base else None,
            issued=self.data_date(chart_id),
            license=site.license if site else None,
            kind="dataset",
            sources=tuple(sorted(sources, key=lambda s: (s.date, s.publisher, s.title))),
            id=chart.id,
        )

    def embed_page(self, chart_id: str, site: Site | None = None, *, version: bool = False) -> str:
        """The chart alone, for an iframe: the latest (`embed/<id>/`) or this version of it
        (`embed/<id>/v/<version>/`, its figure and previews in its own folder)."""
        site = site or self.site
        chart = self.chart(chart_id)
        pinned = self.version(chart_id) if version else None
        page = render.embed_url(chart_id, pinned)
        root = urls.depth_prefix(page)
        previews = self._previews(chart_id)
        if previews is not None and pinned is not None:
            light, dark = (urls.embed_version_file(chart_id, pinned, name) for name in urls.VERSION_PREVIEWS)
            previews = render.Previews(light, dark, previews.width, previews.height)
        day = self.data_date(chart_id)
        return render.embed_page(
            chart,
            self.paths,
            site_title=site.title if site else "",
            language=site.language if site else "en",
            credit=self.credit(chart_id, root),
            licence=site.license if site else None,
            previews=previews,
            base_url=site.base_url if site else None,
            version=pinned,
            version_date=PartialDate(day.year, day.month, day.day).display() if day else None,
        )

    def oembed(self, chart_id: str) -> str:
        site = self.site
        return render.oembed_json(
            self.chart(chart_id),
            snippet=self.snippet(chart_id),
            provider=site.title if site else "",
            base_url=site.base_url if site else None,
            thumbnail=self.image_path(chart_id, "png"),
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
                cid: {fmt: path for fmt in PUBLISHED_IMAGES if (path := self.image_path(cid, fmt))} for cid in self.ids
            },
            record_snippets={chart.id: self.snippet(chart.id) for chart in actors + questions}
            if len(actors) + len(questions) <= MAX_INLINE_SNIPPETS
            else {},
            base_url=site.base_url if site else None,
        )
