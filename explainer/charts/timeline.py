"""The timeline: every event on a time axis, one lane per kind, sized by people killed.

A day-precision event is a dot. An event known only to the month or the year, or lasting
several days, is drawn as a bar over the days it may cover, with its dot on the first of them
(so "March 2012" comes before "10 March 2012", as in the tables): the chart never claims a
precision the data does not have. The time axis never shows a time of day.

Every mark stays visible and can be hovered on a phone: the marks of a lane are laid out as a
beeswarm (`chart.dodge`) for the narrowest plot, a 390 px screen's, so marks close in time sit
above and below each other, and the lanes grow as tall as their most crowded days. When a lane
would grow too tall the dots shrink (bigger still means more killed); when even the smallest
are too many, the lane's crowded days are drawn as one larger dot each with the number of events
it holds, whose label lists them (the table lists every event).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from explainer.charts import chart as c
from explainer.charts.descriptions import actor_label, event_sources, events_in_order, figure_words, killed_figures
from explainer.checking.dataset import Dataset
from explainer.checking.models import Event, EventKind
from explainer.core import urls, wording
from explainer.core.dates import PartialDate
from explainer.core.wording import mid_sentence, plural

KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]
SMALLEST, LARGEST = 9, 36
SCALES = (LARGEST, 24, 16, SMALLEST)
"""The largest dot, step by step, when a lane would otherwise grow too tall (at the last, one size)."""
# The narrowest plot the marks are laid out for, measured in Chromium at 390 px: the chart's box
# is 358 px; the lane names take about 6.3 px a letter at 13 px ("Military operation": 113 px);
# the date labels turn aslant and take 73 px below the lanes.
PHONE_BOX = 358
LETTER, RIGHT = 7.0, 14
BOTTOM, TOP_SLACK = 80, 8
OUTLINE, GAP, BAR = 1.5, 1.0, 3
"""A dot's outline width, the space kept between marks, half a date range's bar (px)."""
LANE_TALL = {False: 180, True: 120}
"""How tall (px) a lane may grow (compact: on an actor's chart) before its crowded days are grouped."""
COUNT_SIZE = 22
"""A dot standing for a crowded day's events: wide enough for a three-digit number."""
LISTED = 5
"""How many titles the label of such a dot lists."""
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


def marker_size(killed: int | None, most: int, largest: float = LARGEST) -> float:
    """Area grows with the number killed; events without a reported toll get the smallest dot."""
    if killed is None or most <= 0:
        return SMALLEST
    return round(SMALLEST + (largest - SMALLEST) * math.sqrt(killed / most), 2)


EVENTS_LIST = urls.url_of(urls.section_file("events"))
"""Where a dot standing for several events leads: the list of every event."""


@dataclass(frozen=True)
class _Axis:
    """The time axis as first shown, on the narrowest plot: `width` px for `days` from `low`."""

    low: dt.date
    days: int
    width: float

    def px(self, day: dt.date) -> float:
        return (day - self.low).days * self.width / self.days

    def day(self, px: float) -> dt.date:
        return self.low + dt.timedelta(days=round(px * self.days / self.width))


@dataclass(frozen=True)
class _Mark:
    """One mark of a lane: an event, or a numbered dot for a crowded day's `events`; `offset` is how
    far (px, up) it sits from the lane's middle and `reach` how far its shapes go from it."""

    events: tuple[tuple[str, Event], ...]
    day: dt.date
    size: float
    offset: float
    reach: float
    grouped: bool = False


def _footprint(axis: _Axis, event: Event, size: float) -> c.Footprint:
    start, end = c.span(event.date, event.end_date)
    return c.Footprint(axis.px(start), (size + OUTLINE) / 2, axis.px(end) if end != start else None, BAR)


def _plan_lanes(
    axis: _Axis, lanes: list[list[tuple[str, Event]]], most: int, *, limit: float
) -> tuple[float, list[list[_Mark]]]:
    """Each lane's marks, placed so that none touches another on the narrowest plot and none
    reaches further than `limit` px from its lane's middle: the dots at the largest scale of
    `SCALES` that fits every lane; at the smallest, a lane that still does not fit has its
    crowded days grouped (`_lane_that_fits`). Returns the largest dot's size and the lanes."""
    for largest in SCALES:
        plans = []
        for members in lanes:
            sizes = [marker_size(e.killed(), most, largest) for _, e in members]
            offsets = c.dodge([_footprint(axis, e, z) for (_, e), z in zip(members, sizes, strict=True)],
                              gap=GAP, limit=limit)  # fmt: skip
            if offsets is None:
                break
            plans.append(_marks(axis, members, sizes, offsets))
        else:
            return largest, plans
    return SCALES[-1], [_lane_that_fits(axis, members, most, limit) for members in lanes]


def _marks(axis: _Axis, members: list[tuple[str, Event]], sizes: list[float], offsets: list[float]) -> list[_Mark]:
    marks = []
    for (eid, event), size, offset in zip(members, sizes, offsets, strict=True):
        reach = abs(offset) + max(part[2] for part in _footprint(axis, event, size).parts())
        marks.append(_Mark(((eid, event),), c.anchor(event.date), size, offset, reach))
    return marks


def _lane_that_fits(axis: _Axis, members: list[tuple[str, Event]], most: int, limit: float) -> list[_Mark]:
    """One lane at the smallest scale: all its dots if they fit, else its crowded days (bins of
    time one such dot wide) as numbered dots, as few as will make it fit."""
    sizes = [marker_size(e.killed(), most, SCALES[-1]) for _, e in members]
    footprints = [_footprint(axis, e, z) for (_, e), z in zip(members, sizes, strict=True)]
    offsets = c.dodge(footprints, gap=GAP, limit=limit)
    if offsets is not None:
        return _marks(axis, members, sizes, offsets)
    width = COUNT_SIZE + OUTLINE + GAP
    bins: defaultdict[int, list[int]] = defaultdict(list)
    for index, footprint in enumerate(footprints):
        bins[math.floor(footprint.x / width)].append(index)

    def attempt(most_shown: int, reach: float = limit) -> list[_Mark] | None:
        """The lane with every bin of more than `most_shown` events as one numbered dot."""
        kept = [i for b in sorted(bins) if len(bins[b]) <= most_shown for i in bins[b]]
        crowded = [b for b in sorted(bins) if len(bins[b]) > most_shown]
        # each on the day nearest its bin's middle, where plotly will draw it
        counters = [c.Footprint(axis.px(axis.day((b + 0.5) * width)), (COUNT_SIZE + OUTLINE) / 2) for b in crowded]
        placed = c.dodge([footprints[i] for i in kept] + counters, gap=GAP, limit=reach)
        if placed is None:
            return None
        marks = _marks(axis, [members[i] for i in kept], [sizes[i] for i in kept], placed[: len(kept)])
        for b, counter, offset in zip(crowded, counters, placed[len(kept) :], strict=True):
            group = tuple(members[i] for i in bins[b])
            marks.append(_Mark(group, axis.day(counter.x), COUNT_SIZE, offset, abs(offset) + counter.radius, True))
        return marks

    low, high = 0, max(len(b) for b in bins.values()) - 1  # showing every bin whole did not fit
    # one dot per bin is one row, which fits any lane of the usual height
    best = attempt(0) or attempt(0, math.inf) or []
    while low < high:  # the most events a bin may show one by one, found by halving
        middle = (low + high + 1) // 2
        found = attempt(middle)
        if found is None:
            high = middle - 1
        else:
            low, best = middle, found
    return best


def _tidy(value: float) -> float:
    """A y coordinate for the figure: 2 rather than 2.0000000001."""
    rounded = round(value, 4)
    return int(rounded) if rounded.is_integer() else rounded


def _text_on(colour: str) -> str:
    """White or near-black, whichever reads better on `colour` (#rrggbb)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = sum(w * (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
                    for w, v in zip((0.2126, 0.7152, 0.0722), (red, green, blue), strict=True))  # fmt: skip
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else c.LIGHT_TEXT


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
    spans = [c.span(e.date, e.end_date) for _, e in events]
    focus = main_period(spans)
    if focus is not None:
        focus = c.date_range([focus])  # a month either side at least, like every time axis
    shown = focus or c.date_range(spans)
    most = max((e.killed() or 0 for _, e in events), default=0)
    top = 44 if focus is not None else 10
    base = max(180 if compact else 260, 70 + 44 * len(lanes))
    room = top + TOP_SLACK + BOTTOM
    unit = (base - room) / (len(kinds) + 0.2)  # px of one lane at the chart's usual height
    axis = _Axis(shown[0], max(1, (shown[1] - shown[0]).days), PHONE_BOX - RIGHT - LETTER * max(map(len, lanes)))
    largest, plans = _plan_lanes(
        axis,
        [[(eid, e) for eid, e in events if e.kind == kind] for kind in kinds],
        most,
        limit=max(unit, LANE_TALL[compact]) / 2 - GAP,
    )
    # A lane is one unit of the y axis, or as many as its marks need; numbered from the bottom.
    heights = [max(1, (2 * max((m.reach for m in plan), default=0) + GAP) / unit) for plan in reversed(plans)]
    middles = [heights[0] / 2]
    for below, lane_height in itertools.pairwise(heights):
        middles.append(middles[-1] + below / 2 + lane_height / 2)
    middles = [m - heights[0] / 2 for m in middles]
    lane_of = {kind: _tidy(middles[len(kinds) - 1 - i]) for i, kind in enumerate(kinds)}
    y_range = [_tidy(-heights[0] / 2 - 0.1), _tidy(middles[-1] + heights[-1] / 2 + 0.1)]
    height = base if sum(heights) <= len(kinds) else math.ceil(unit * (sum(heights) + 0.2)) + room
    traces = []
    for kind, plan in zip(kinds, plans, strict=True):
        lane = wording.EVENT_KINDS[kind]
        colour = wording.EVENT_KIND_COLOURS[kind]
        span_x: list[str | None] = []
        span_y: list[float | None] = []
        xs, ys, sizes, symbols, hovers, links = [], [], [], [], [], []
        groups: dict[str, list[Any]] = {"x": [], "y": [], "text": [], "hover": []}
        for mark in plan:
            y = _tidy(lane_of[kind] + mark.offset / unit)
            if mark.grouped:
                groups["x"].append(c.iso(mark.day))
                groups["y"].append(y)
                groups["text"].append(str(len(mark.events)))
                groups["hover"].append(_group_hover(mark.events, lane))
                continue
            ((eid, event),) = mark.events
            start, end = c.span(event.date, event.end_date)
            if start != end:
                span_x += [c.iso(start), c.iso(end), None]
                span_y += [y, y, None]
            killed = event.killed()
            xs.append(c.iso(mark.day))
            ys.append(y)
            sizes.append(mark.size)
            symbols.append("circle" if killed is not None else "circle-open")
            hovers.append(_hover(dataset, event))
            links.append(urls.record_url("events", eid))
        if span_x:
            traces.append({
                "type": "scatter", "mode": "lines", "name": f"{lane} (date range)",
                "x": span_x, "y": span_y, "legendgroup": kind, "showlegend": False, "hoverinfo": "skip",
                "line": {"color": colour, "width": 2 * BAR}, "opacity": 0.45,
            })  # fmt: skip
        if xs:
            traces.append({
                "type": "scatter", "mode": "markers", "name": lane, "legendgroup": kind,
                "x": xs, "y": ys, "customdata": links,
                "hovertext": hovers, "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "size": sizes, "symbol": symbols, "color": colour,
                    "line": {"width": OUTLINE, "color": colour}, "opacity": 0.85,
                },
            })  # fmt: skip
        if groups["x"]:
            traces.append({
                "type": "scatter", "mode": "markers+text", "name": f"{lane} (crowded days)", "legendgroup": kind,
                "x": groups["x"], "y": groups["y"], "customdata": [EVENTS_LIST] * len(groups["x"]),
                "text": groups["text"], "textposition": "middle center",
                "textfont": {"size": 10, "color": _text_on(colour)},
                "hovertext": groups["hover"], "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "size": COUNT_SIZE, "symbol": "circle", "color": colour,
                    "line": {"width": OUTLINE, "color": colour}, "opacity": 1,
                },
            })  # fmt: skip
    xaxis = c.date_axis(spans, title={"text": ""})
    layout = c.layout(
        height,
        showlegend=False,
        xaxis=xaxis,
        yaxis=c.axis(
            tickmode="array",
            tickvals=[lane_of[kind] for kind in kinds],
            ticktext=lanes,
            range=y_range,
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
        summary=_summary(dataset, events, plans, largest),
        table=_table(dataset, events, title),
        home=home,
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=site_wide,
        # laid out for a phone's width: narrower, the chart scrolls rather than overlap its marks
        min_width=PHONE_BOX if any(mark.offset or mark.grouped for plan in plans for mark in plan) else 0,
    )


def _hover(dataset: Dataset, event: Event) -> str:
    lines = [f"<b>{c.wrap(c.escape(event.title), 50)}</b>", c.display_span(event.date, event.end_date)]
    lines.append(wording.EVENT_KINDS[event.kind])
    for figure in event.figures:
        lines.append(c.escape(figure_words(dataset, figure)))
    return "<br>".join(lines)


def _group_hover(events: tuple[tuple[str, Event], ...], lane: str) -> str:
    first, last = events[0][1], max((e for _, e in events), key=lambda e: e.date.sort_key)
    when = first.date.display() if first.date == last.date else f"{first.date.display()} – {last.date.display()}"
    lines = [f"<b>{plural(len(events), 'event')}</b>", when, lane]
    lines += [c.wrap(c.escape(event.title), 50) for _, event in events[:LISTED]]
    if len(events) > LISTED:
        lines.append(f"and {len(events) - LISTED} more")
    return "<br>".join(lines)


def _summary(
    dataset: Dataset, events: list[tuple[str, Event]], plans: list[list[_Mark]] | None = None, largest: float = LARGEST
) -> tuple[str, ...]:
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
    if largest == SMALLEST and tolls:
        sentences.append("With this many events every dot is drawn at one size; the table gives each toll.")
    counters = [mark for plan in plans or [] for mark in plan if mark.grouped]
    if counters:
        held = sum(len(mark.events) for mark in counters)
        sentences.append(
            f"Where one kind of event crowds a few days, a larger dot with a number stands for that many events "
            f"(its label lists them): {plural(len(counters), 'such dot')} for {plural(held, 'event')}; "
            "the table lists every event."
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
