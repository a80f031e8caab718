"""Reported tolls: every `killed` figure, by the party that reported it, over time.

Each figure is placed at the date it refers to or was reported (`figure_as_of`): "at least
8,000 since March 2011", reported on 10 March 2012, is drawn on 10 March 2012, with a band back
to March 2011 for the period it counts. A number is drawn as reported: an exact or approximate
value as a dot (open when approximate), "at least" as an upward triangle, "up to" as a
downward triangle, a range as a bar from its low to its high end with a tick at each end. The
colour says who reported it, the shape how; the key explains each once. Two parties' figures
for one event are two marks, set side by side when reported the same day; the largest are
labelled on the chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from explainer.charts import chart as c
from explainer.charts.descriptions import (
    actor_label,
    events_in_order,
    figure_amount,
    figure_as_of,
    is_cumulative,
    killed_figures,
)
from explainer.checking.dataset import Dataset
from explainer.checking.models import Event, Figure
from explainer.core import urls, wording
from explainer.core.dates import PartialDate
from explainer.core.wording import mid_sentence, plural

SYMBOLS = {"exactly": "circle", "about": "circle-open", "at-least": "triangle-up", "up-to": "triangle-down"}
RANGE_SYMBOL = "line-ew-open"
PARTY_COLOURS = (
    "#2471a3",
    "#c0392b",
    "#17a589",
    "#8e44ad",
    "#b9770e",
    "#5d6d7e",
    "#d35400",
    "#1e8449",
    "#a04000",
    "#2e86c1",
)
LOG_SPAN = 100
DODGE_STEPS = 3
LABELLED = 3  # the events with the highest tolls are named on the chart
LABEL_TITLE = 22  # their titles cut at a word to this many characters
COLOURED = 7
"""Reporting parties with a colour of their own (the most prolific); the rest share a grey."""
OTHERS = "\x00others"
"""The group of the other parties (no actor id can hold a NUL)."""
OTHERS_COLOUR = "#8a96a3"
LABEL_BAND = 0.12
"""The height of each label's band above the highest mark, as a share of the axis's span."""
KEY_MARKS = {"exactly": "●", "about": "○", "at-least": "▲", "up-to": "▼"}


def tolls_chart(dataset: Dataset) -> c.Chart | None:
    reports = [
        Report(eid, e, f, figure_as_of(dataset, e, f)) for eid, e in events_in_order(dataset) for f in killed_figures(e)
    ]
    if not reports:
        return None
    reports.sort(key=lambda r: (r.as_of.sort_key, r.event.date.sort_key, r.event_id, r.figure.low))
    reported = Counter(report.figure.according_to for report in reports)
    parties = sorted(reported, key=lambda p: (-reported[p], actor_label(dataset, p).lower(), p or ""))
    # A colour each for the parties that report most; beyond as many as can be told apart, the
    # rest share one grey (each mark's hover still names its reporter).
    groups: list[str | None] = parties[:COLOURED] + ([OTHERS] if len(parties) > COLOURED else [])
    by_party: dict[str | None, list[Report]] = defaultdict(list)
    for report in reports:  # in order
        party = report.figure.according_to
        by_party[party if party in groups else OTHERS].append(report)
    colours = {party: PARTY_COLOURS[i] for i, party in enumerate(parties[:COLOURED])} | {OTHERS: OTHERS_COLOUR}

    def group_name(party: str | None) -> str:
        if party == OTHERS:
            return plural(len(parties) - COLOURED, "other reporter")
        return c.escape(actor_label(dataset, party))  # a legend entry: text, not HTML

    spans = [(c.span(r.event.date)[0], c.span(r.as_of)[1]) for r in reports]
    low, high = c.date_range(spans)
    dodge = dodged_days(reports, max(1, (high - low).days // 60))
    traces: list[dict[str, Any]] = []
    # The periods cumulative figures count over, and the wait before a later report: lines
    # behind the marks, in the reporter's colour.
    for party in groups:
        colour = colours[party]
        name = group_name(party)
        for cumulative, style in ((True, {"width": 5}), (False, {"width": 1.5, "dash": "dot"})):
            xs: list[str | None] = []
            ys: list[int | None] = []
            for report in by_party[party]:
                start = c.span(report.event.date)[0]
                if report.cumulative != cumulative or start >= report.day:
                    continue
                xs += [c.iso(start), c.iso(report.day + dodge[report.key]), None]
                ys += [report.figure.low, report.figure.low, None]
            if xs:
                traces.append({
                    "type": "scatter", "mode": "lines", "legendgroup": "parties", "showlegend": False,
                    "name": f"{name} ({'counted since' if cumulative else 'reported later'})",
                    "hoverinfo": "skip", "x": xs, "y": ys,
                    "line": {"color": colour, **style}, "opacity": 0.35 if cumulative else 0.7,
                })  # fmt: skip
    for party in groups:
        colour = colours[party]
        name = group_name(party)
        xs, ys, symbols, hovers, links = [], [], [], [], []
        range_x: list[str | None] = []
        range_y: list[int | None] = []
        for report in by_party[party]:
            figure = report.figure
            when = c.iso(report.day + dodge[report.key])
            xs.append(when)
            ys.append(figure.low)
            symbols.append(SYMBOLS[figure.qualifier] if figure.value is not None else RANGE_SYMBOL)
            hovers.append(_hover(report, c.escape(actor_label(dataset, figure.according_to))))
            links.append(urls.record_url("events", report.event_id))
            if figure.value is None:
                range_x += [when, when, None]
                range_y += [figure.min, figure.max, None]
        if range_x:
            traces.append({
                "type": "scatter", "mode": "lines+markers", "name": f"{name} (ranges)", "legendgroup": "parties",
                "showlegend": False, "hoverinfo": "skip", "x": range_x, "y": range_y,
                "line": {"color": colour, "width": 3},
                "marker": {"symbol": RANGE_SYMBOL, "size": 12, "color": colour, "line": {"width": 2, "color": colour}},
            })  # fmt: skip
        traces.append({
            "type": "scatter", "mode": "markers", "name": name, "legendgroup": "parties", "showlegend": False,
            "x": xs, "y": ys, "customdata": links, "hovertext": hovers, "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"symbol": symbols, "size": 12, "color": colour, "line": {"width": 2, "color": colour}},
        })  # fmt: skip
    traces += _legend(groups, colours, group_name)
    height = 460
    plot = {
        "data": traces,
        "layout": c.layout(
            height,
            margin={"l": 10, "r": 10, "t": 50, "b": 10},
            xaxis=c.date_axis(spans),
            yaxis=value_axis([r.figure for r in reports]),
            legend={
                "orientation": "h", "x": 0, "y": -0.16, "yanchor": "top", "bgcolor": "rgba(0,0,0,0)",
                "itemsizing": "constant", "title": {"text": "Reported by:"},
            },
            annotations=[{
                "text": key_line(reports), "showarrow": False, "xref": "paper", "yref": "paper", "x": 0, "y": 1,
                "yanchor": "bottom", "xanchor": "left", "yshift": 8, "font": {"size": 12},
            }, *_labels(reports, dodge, (low, high), log=value_axis([r.figure for r in reports])["type"] == "log")],
        ),
    }  # fmt: skip
    sources = {s for r in reports for s in r.figure.sources}
    return c.Chart(
        id="tolls",
        title="Reported death tolls",
        description=(
            "Every reported number of people killed, by who reported it and when; ranges and qualifiers as reported. "
            "A toll counted over a period is drawn from the period's start to the date of the figure."
        ),
        figure=plot,
        summary=_summary(dataset, reports, parties),
        table=_table(dataset, reports),
        home=urls.url_of(urls.section_file("events")),
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=True,
    )


@dataclass(frozen=True)
class Report:
    """One reported toll, placed at the date it refers to or was reported (`as_of`)."""

    event_id: str
    event: Event
    figure: Figure
    as_of: PartialDate

    @property
    def day(self) -> dt.date:
        return c.anchor(self.as_of)

    @property
    def cumulative(self) -> bool:
        return is_cumulative(self.event, self.as_of)

    @property
    def key(self) -> tuple[str, int, str, int]:
        return (self.event_id, self.figure.low, self.figure.according_to or "", self.figure.high)


def dodged_days(reports: list[Report], step: int) -> dict[tuple[str, int, str, int], dt.timedelta]:
    """Marks reported on the same day are set side by side, `step` days apart around the day
    (so three reports of one date are three marks, not one blob); the hover keeps the date."""
    by_day: dict[dt.date, list[Report]] = defaultdict(list)
    for report in reports:
        by_day[report.day].append(report)
    shifts: dict[tuple[str, int, str, int], dt.timedelta] = {}
    for same in by_day.values():
        # at most DODGE_STEPS steps either side, so a crowded day stays inside the axis's margin
        width = min(step * (len(same) - 1), 2 * DODGE_STEPS * step)
        for i, report in enumerate(same):
            offset = -width / 2 + (i * width / (len(same) - 1) if len(same) > 1 else 0)
            shifts[report.key] = dt.timedelta(days=round(offset))
    return shifts


def _legend(
    groups: list[str | None], colours: dict[str | None, str], name: Callable[[str | None], str]
) -> list[dict[str, Any]]:
    """The legend: a square of each reporter's colour (the shapes are the key line's)."""
    entries: list[dict[str, Any]] = []
    for index, party in enumerate(groups):
        entries.append({
            "type": "scatter", "mode": "markers", "name": name(party), "x": [None],
            "y": [None], "hoverinfo": "skip", "legendgroup": "who", "legendrank": index,
            "marker": {"symbol": "square", "size": 12, "color": colours[party]},
        })  # fmt: skip
    return entries


def key_line(reports: list[Report]) -> str:
    """What the shapes mean, once, in the qualifiers' own words: "● exactly · ▲ at least …"."""
    parts = [
        f"{mark} {wording.QUALIFIERS[q].strip() or 'exactly'}"
        for q, mark in KEY_MARKS.items()
        if any(r.figure.value is not None and r.figure.qualifier == q for r in reports)
    ]
    if any(r.figure.value is None for r in reports):
        parts.append("┃ range")
    if any(r.cumulative for r in reports):
        return " · ".join(parts) + "<br>━ counted since the event began"
    return " · ".join(parts)


def _labels(
    reports: list[Report],
    dodge: dict[tuple[str, int, str, int], dt.timedelta],
    axis_range: tuple[dt.date, dt.date],
    *,
    log: bool,
) -> list[dict[str, Any]]:
    """The largest figures named on the chart: the highest report of each of the `LABELLED`
    events with the highest tolls, with an arrow, fanned out so labels do not overlap (on a
    log axis an annotation's y is the value's logarithm)."""
    best: dict[str, Report] = {}
    for report in reports:
        if report.event_id not in best or report.figure.high > best[report.event_id].figure.high:
            best[report.event_id] = report
    top = sorted(best.values(), key=lambda r: (-r.figure.high, r.event_id))[:LABELLED]
    first, last = axis_range

    def height(value: int) -> float:
        return math.log10(value) if log else value

    # Each label has a band of its own across the top of the plot (in the axis's units, so it
    # holds at any width), an arrow down to its mark: labels never overlap, however close
    # their marks are.
    top_value = max(height(r.figure.high) for r in reports)
    bottom_value = min(height(r.figure.low) for r in reports) if log else 0.0
    band = (top_value - bottom_value) * LABEL_BAND
    labels = []
    for index, report in enumerate(top):
        share = (report.day - first).days / max(1, (last - first).days)
        labels.append({
            "x": c.iso(report.day + dodge[report.key]),
            "y": round(height(report.figure.low), 4),
            "text": c.escape(f"{c.shortened(report.event.title, LABEL_TITLE)}: {figure_amount(report.figure)}"),
            "showarrow": True, "arrowhead": 0, "arrowwidth": 1, "ax": 0, "ayref": "y",
            "ay": round(top_value + band * (LABELLED - index - 0.5), 4),
            "font": {"size": 11}, "xanchor": "right" if share > 0.6 else "left" if share < 0.4 else "center",
        })  # fmt: skip
    return labels


def value_axis(figures: list[Figure]) -> dict[str, Any]:
    """Linear from zero; logarithmic when the numbers span more than two orders of magnitude
    (thousands across a country beside dozens in a village), so the small ones stay readable."""
    low = min(f.low for f in figures)
    high = max(f.high for f in figures)
    if low > 0 and high / low > LOG_SPAN:
        return c.axis(title={"text": "Killed (log scale)"}, type="log", tickformat=",")
    return c.axis(title={"text": "Killed"}, type="linear", rangemode="tozero", tickformat=",")


def _hover(report: Report, party: str) -> str:
    event, figure = report.event, report.figure
    lines = [f"<b>{c.wrap(c.escape(event.title), 50)}</b>", c.display_span(event.date, event.end_date)]
    lines.append(f"{figure_amount(figure)} killed" + (f" since {event.date.display()}" if report.cumulative else ""))
    lines.append(f"as of {report.as_of.display()}, according to {party}")  # already escaped
    return "<br>".join(lines)


def _summary(dataset: Dataset, reports: list[Report], parties: list[str | None]) -> tuple[str, ...]:
    events = {r.event_id for r in reports}
    sentences = [
        f"{plural(len(reports), 'reported death toll')} for {plural(len(events), 'event')}, "
        f"reported {c.period_words([r.as_of for r in reports])}, "
        f"by {plural(len(parties), 'reporting party', 'reporting parties')}."
    ]
    top = max(reports, key=lambda r: (r.figure.high, r.event_id))
    since = f"since {top.event.date.display()}" if top.cumulative else f"({top.event.date.display()})"
    sentences.append(
        f"The highest is {figure_amount(top.figure)} killed in {mid_sentence(top.event.title)} {since}, "
        f"according to {actor_label(dataset, top.figure.according_to)}, as of {top.as_of.display()}."
    )
    per_event: dict[str, list[Figure]] = defaultdict(list)
    titles: dict[str, str] = {}
    for report in reports:
        per_event[report.event_id].append(report.figure)
        titles[report.event_id] = report.event.title
    disputed = [eid for eid in sorted(per_event) if len({(f.low, f.high) for f in per_event[eid]}) > 1]
    if disputed:
        sentences.append(
            f"{plural(len(disputed), 'event')} {'has' if len(disputed) == 1 else 'have'} differing figures "
            f"from different reports, e.g. {mid_sentence(titles[disputed[0]])}."
        )
    approximate = sum(1 for r in reports if r.figure.qualifier != "exactly" or r.figure.value is None)
    sentences.append(
        f"{approximate} of the {len(reports)} figures {'is' if approximate == 1 else 'are'} approximate, "
        "a lower or upper bound, or a range."
    )
    return tuple(sentences)


def _table(dataset: Dataset, reports: list[Report]) -> c.Table:
    rows = tuple(
        (
            r.as_of.display(),
            r.event.title,
            c.display_span(r.event.date, r.event.end_date),
            figure_amount(r.figure) + (f" since {r.event.date.display()}" if r.cumulative else ""),
            actor_label(dataset, r.figure.according_to),
        )
        for r in reports
    )
    return c.Table("Reported death tolls", ("As of", "Event", "Event date", "Killed", "According to"), rows)
