"""The timeline: every event on a time axis, one lane per kind, sized by people killed.

A day-precision event is a dot. An event known only to the month or the year, or lasting
several days, is drawn as a bar over the days it may cover, with its dot on the first of them
(so "March 2012" comes before "10 March 2012", as in the tables): the chart never claims a
precision the data does not have. Events close in time in one lane are stacked across it, so
each stays visible and can be hovered; the time axis never shows a time of day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from explainer.charts import chart as c
from explainer.charts.descriptions import actor_label, event_sources, events_in_order, figure_words, killed_figures
from explainer.checking.dataset import Dataset
from explainer.checking.models import Event, EventKind
from explainer.core import urls, wording
from explainer.core.dates import PartialDate
from explainer.core.wording import mid_sentence, plural

KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]
SMALLEST, LARGEST = 9, 36
MIN_POINTS = 3
"""A per-record chart of fewer marks is left out: the record's page lists them instead."""


def timeline_chart(dataset: Dataset) -> c.Chart | None:
    events = events_in_order(dataset)
    if not events:
        return None
    return build_timeline(
        dataset,
        events,
        chart_id="timeline",
        title="Timeline of events",
        description=(
            "Every event on a time axis, one lane per kind of event; the bigger the dot, the more people "
            "reported killed."
        ),
        home=urls.url_of(urls.TIMELINE),
        site_wide=True,
    )


def actor_events_chart(dataset: Dataset, actor_id: str, events: list[tuple[str, Event]]) -> c.Chart | None:
    """The events an actor took part in (`events`, in order), on a small timeline; None when
    there are fewer than `MIN_POINTS`."""
    if len(events) < MIN_POINTS:
        return None  # the actor's page lists them: a chart of one or two dots says less
    name = actor_label(dataset, actor_id)
    return build_timeline(
        dataset,
        events,
        chart_id=f"actor-{actor_id}-events",
        title=f"Events involving {name}",
        description=f"The events {name} took part in, by date and kind.",
        home=urls.record_url("actors", actor_id),
        compact=True,
    )


def marker_size(killed: int | None, most: int) -> float:
    """Area grows with the number killed; events without a reported toll get the smallest dot."""
    if killed is None or most <= 0:
        return SMALLEST
    return round(SMALLEST + (LARGEST - SMALLEST) * math.sqrt(killed / most), 2)


def main_period(spans: list[tuple[dt.date, dt.date]], share: float = 0.8) -> tuple[dt.date, dt.date] | None:
    """When a few events lie far from the rest (a coup decades earlier), the shortest period
    holding `share` of the events, padded: the timeline opens on it, with a button for all
    dates. None when the events are not spread that way."""
    if len(spans) < 5:
        return None
    starts = sorted(start for start, _ in spans)
    ends = sorted(end for _, end in spans)
    full = (ends[-1] - starts[0]).days
    size = max(2, math.ceil(len(starts) * share))
    best = min(range(len(starts) - size + 1), key=lambda i: ((starts[i + size - 1] - starts[i]).days, i))
    low, high = starts[best], max(end for start, end in spans if starts[best] <= start <= starts[best + size - 1])
    if full <= 0 or (high - low).days > full / 3:
        return None
    pad = dt.timedelta(days=max(15, (high - low).days // 20))
    return low - pad, high + pad


def period_label(period: tuple[dt.date, dt.date]) -> str:
    first, last = period
    if first.year == last.year:
        return f"{first:%b}–{last:%b} {last.year}" if first.month != last.month else f"{last:%B} {last.year}"
    return f"{first.year}–{last.year}"


def build_timeline(
    dataset: Dataset,
    events: list[tuple[str, Event]],
    *,
    chart_id: str,
    title: str,
    description: str,
    home: str,
    site_wide: bool = False,
    compact: bool = False,
) -> c.Chart:
    kinds = [kind for kind in KINDS if any(e.kind == kind for _, e in events)]
    lanes = [wording.EVENT_KINDS[kind] for kind in kinds]
    # Lanes are numbered from the top; a lane's events close in time are stacked across it.
    lane_of = {kind: len(kinds) - 1 - i for i, kind in enumerate(kinds)}
    spans = [c.span(e.date, e.end_date) for _, e in events]
    focus = main_period(spans)
    if focus is not None:
        focus = c.date_range([focus])  # a month either side at least, like every time axis
    shown = focus or c.date_range(spans)
    close = max(0, (shown[1] - shown[0]).days // 120)  # marks nearer than ~1/120 of the axis
    most = max((e.killed() or 0 for _, e in events), default=0)
    traces = []
    for kind in kinds:
        lane = wording.EVENT_KINDS[kind]
        members = [(eid, e) for eid, e in events if e.kind == kind]
        offsets = c.stack_offsets([c.anchor(e.date) for _, e in members], close)
        span_x: list[str | None] = []
        span_y: list[float | None] = []
        xs, ys, sizes, symbols, hovers, links = [], [], [], [], [], []
        for (eid, event), offset in zip(members, offsets, strict=True):
            start, end = c.span(event.date, event.end_date)
            y = lane_of[kind] + offset
            if start != end:
                span_x += [c.iso(start), c.iso(end), None]
                span_y += [y, y, None]
            killed = event.killed()
            xs.append(c.iso(c.anchor(event.date)))
            ys.append(y)
            sizes.append(marker_size(killed, most))
            symbols.append("circle" if killed is not None else "circle-open")
            hovers.append(_hover(dataset, event))
            links.append(urls.record_url("events", eid))
        if span_x:
            traces.append({
                "type": "scatter", "mode": "lines", "name": f"{lane} (date range)",
                "x": span_x, "y": span_y, "legendgroup": kind, "showlegend": False, "hoverinfo": "skip",
                "line": {"color": wording.EVENT_KIND_COLOURS[kind], "width": 6}, "opacity": 0.45,
            })  # fmt: skip
        traces.append({
            "type": "scatter", "mode": "markers", "name": lane, "legendgroup": kind,
            "x": xs, "y": ys, "customdata": links,
            "hovertext": hovers, "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {
                "size": sizes, "symbol": symbols, "color": wording.EVENT_KIND_COLOURS[kind],
                "line": {"width": 1.5, "color": wording.EVENT_KIND_COLOURS[kind]}, "opacity": 0.85,
            },
        })  # fmt: skip
    height = max(180 if compact else 260, 70 + 44 * len(lanes))
    xaxis = c.date_axis(spans, title={"text": ""})
    layout = c.layout(
        height,
        showlegend=False,
        xaxis=xaxis,
        yaxis=c.axis(
            tickmode="array",
            tickvals=[lane_of[kind] for kind in kinds],
            ticktext=lanes,
            range=[-0.6, len(kinds) - 0.4],
            showgrid=True,
        ),
    )
    if focus is not None:
        xaxis["range"] = [c.iso(focus[0]), c.iso(focus[1])]
        layout["margin"]["t"] = 44
        layout["updatemenus"] = [{
            "type": "buttons", "direction": "left", "showactive": True, "active": 0,
            "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom", "pad": {"b": 6},
            "bgcolor": "#f4f6f8", "bordercolor": "#b0bec5", "font": {"color": c.LIGHT_TEXT},
            "buttons": [
                {"label": period_label(focus), "method": "relayout",
                 "args": [{"xaxis.range": [c.iso(focus[0]), c.iso(focus[1])]}]},
                {"label": "All dates", "method": "relayout",
                 "args": [{"xaxis.range": [c.iso(day) for day in c.date_range(spans)]}]},
            ],
        }]  # fmt: skip
    figure = {"data": traces, "layout": layout}
    sources = set()
    for _, event in events:
        sources |= event_sources(event)
    return c.Chart(
        id=chart_id,
        title=title,
        description=description,
        figure=figure,
        summary=_summary(dataset, events),
        table=_table(dataset, events, title),
        home=home,
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=site_wide,
    )


def _hover(dataset: Dataset, event: Event) -> str:
    lines = [f"<b>{c.wrap(c.escape(event.title), 50)}</b>", c.display_span(event.date, event.end_date)]
    lines.append(wording.EVENT_KINDS[event.kind])
    for figure in event.figures:
        lines.append(c.escape(figure_words(dataset, figure)))
    return "<br>".join(lines)


def _summary(dataset: Dataset, events: list[tuple[str, Event]]) -> tuple[str, ...]:
    first = events[0][1]
    last = max((e for _, e in events), key=lambda e: (c.span(e.date, e.end_date)[1], e.date.sort_key))
    kinds = Counter(e.kind for _, e in events)
    top_kind, top_count = sorted(kinds.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0])))[0]
    if len(events) == 1:
        opening = f"1 event, {first.title} ({first.date.display()})"
    elif c.period_words([e.date for _, e in events]).startswith("from "):
        opening = (
            f"{plural(len(events), 'event')} from {first.date.display()} ({mid_sentence(first.title)}) "
            f"to {last.date.display()} ({mid_sentence(last.title)})"
        )
    else:
        opening = f"{plural(len(events), 'event')} {c.period_words([e.date for _, e in events])}"
    sentences = [
        f"{opening}, in {plural(len(kinds), 'kind')} of event; "
        f"the most common kind is {c.lower(wording.EVENT_KINDS[top_kind])} ({top_count})."
    ]
    tolls = [(e.killed(), eid, e) for eid, e in events if e.killed() is not None]
    if tolls:
        _killed, _, deadliest = max(tolls, key=lambda t: (t[0], t[1]))
        reports = "; ".join(figure_words(dataset, f) for f in killed_figures(deadliest))
        sentences.append(
            f"{plural(len(tolls), 'event')} {'has' if len(tolls) == 1 else 'have'} a reported death toll; "
            f"the highest is {mid_sentence(deadliest.title)} ({deadliest.date.display()}): {reports}."
        )
    else:
        sentences.append("No event has a reported death toll.")
    months = Counter((e.date.year, e.date.month) for _, e in events if e.date.month is not None)
    if months:
        (year, month), count = sorted(months.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        busiest = PartialDate(year, month).display()
        sentences.append(f"The busiest month is {busiest}, with {plural(count, 'event')}.")
    vague = sum(1 for _, e in events if e.date.precision != "day")
    if vague:
        sentences.append(
            f"{plural(vague, 'event')} {'is' if vague == 1 else 'are'} dated only to the month or year "
            "and drawn as a span."
        )
    return tuple(sentences)


def _table(dataset: Dataset, events: list[tuple[str, Event]], title: str) -> c.Table:
    rows = []
    for _, event in events:
        tolls = "; ".join(figure_words(dataset, f) for f in killed_figures(event))
        rows.append(
            (
                c.display_span(event.date, event.end_date),
                event.title,
                wording.EVENT_KINDS[event.kind],
                tolls or "not reported",
            )
        )
    return c.Table(title, ("Date", "Event", "Kind", "Killed"), tuple(rows))
