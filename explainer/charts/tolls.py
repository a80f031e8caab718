"""Reported tolls: every `killed` figure, by the party that reported it, over time.

A number is drawn as reported: an exact or approximate value as a dot (open when approximate),
"at least" as an upward triangle, "up to" as a downward triangle, a range as a bar from its
low to its high end with a tick at each end. Two parties' figures for one event are two marks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from explainer.charts import chart as c
from explainer.charts.descriptions import actor_label, events_in_order, figure_amount, killed_figures
from explainer.checking.dataset import Dataset
from explainer.checking.models import Event, Figure
from explainer.core import urls, wording
from explainer.core.wording import plural

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
# The key to the symbols, in the qualifiers' own words: "● exactly · ○ about · ▲ at least …".
KEY = (
    " · ".join(
        f"{mark} {wording.QUALIFIERS[qualifier].strip() or qualifier}"
        for mark, qualifier in (("●", "exactly"), ("○", "about"), ("▲", "at-least"), ("▼", "up-to"))
    )
    + " · ┃ range"
)


def tolls_chart(dataset: Dataset) -> c.Chart | None:
    reports = [(eid, e, f) for eid, e in events_in_order(dataset) for f in killed_figures(e)]
    if not reports:
        return None
    by_party: dict[str | None, list[tuple[str, Event, Figure]]] = defaultdict(list)
    for report in reports:
        by_party[report[2].according_to].append(report)
    parties = sorted(by_party, key=lambda p: (-len(by_party[p]), actor_label(dataset, p).lower(), p or ""))
    traces = []
    for index, party in enumerate(parties):
        colour = PARTY_COLOURS[index % len(PARTY_COLOURS)]
        name = c.escape(actor_label(dataset, party))  # a legend entry: text, not HTML
        xs, ys, symbols, hovers, links = [], [], [], [], []
        range_x: list[str | None] = []
        range_y: list[int | None] = []
        for eid, event, figure in by_party[party]:
            start, end = c.span(event.date, event.end_date)
            when = c.iso(c.midpoint(start, end))
            xs.append(when)
            ys.append(figure.low)
            symbols.append(SYMBOLS[figure.qualifier] if figure.value is not None else RANGE_SYMBOL)
            hovers.append(_hover(event, figure, name))
            links.append(urls.record_url("events", eid))
            if figure.value is None:
                range_x += [when, when, None]
                range_y += [figure.min, figure.max, None]
        if range_x:
            traces.append({
                "type": "scatter", "mode": "lines+markers", "name": f"{name} (ranges)", "legendgroup": name,
                "showlegend": False, "hoverinfo": "skip", "x": range_x, "y": range_y,
                "line": {"color": colour, "width": 3},
                "marker": {"symbol": RANGE_SYMBOL, "size": 12, "color": colour, "line": {"width": 2, "color": colour}},
            })  # fmt: skip
        traces.append({
            "type": "scatter", "mode": "markers", "name": name, "legendgroup": name,
            "x": xs, "y": ys, "customdata": links, "hovertext": hovers, "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"symbol": symbols, "size": 12, "color": colour, "line": {"width": 2, "color": colour}},
        })  # fmt: skip
    height = 420
    plot = {
        "data": traces,
        "layout": c.layout(
            height,
            margin={"l": 10, "r": 10, "t": 10, "b": 60},
            xaxis=c.axis(type="date", fixedrange=False),
            yaxis=value_axis([r[2] for r in reports]),
            annotations=[
                {
                    "text": KEY,
                    "showarrow": False,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": 0,
                    "yanchor": "top",
                    "yshift": -28,
                    "xanchor": "left",
                    "font": {"size": 12},
                }
            ],
        ),
    }
    sources = {s for _, _, f in reports for s in f.sources}
    return c.Chart(
        id="tolls",
        title="Reported death tolls",
        description=(
            "Every reported number of people killed, by who reported it and when; ranges and qualifiers as reported."
        ),
        figure=plot,
        summary=_summary(dataset, reports, parties),
        table=_table(dataset, reports),
        home=urls.url_of(urls.section_file("events")),
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=True,
    )


def value_axis(figures: list[Figure]) -> dict[str, Any]:
    """Linear from zero; logarithmic when the numbers span more than two orders of magnitude
    (thousands across a country beside dozens in a village), so the small ones stay readable."""
    low = min(f.low for f in figures)
    high = max(f.high for f in figures)
    if low > 0 and high / low > LOG_SPAN:
        return c.axis(title={"text": "People reported killed (log scale)"}, type="log", tickformat=",")
    return c.axis(title={"text": "People reported killed"}, rangemode="tozero", tickformat=",")


def _hover(event: Event, figure: Figure, party: str) -> str:
    lines = [f"<b>{c.wrap(c.escape(event.title), 50)}</b>", c.display_span(event.date, event.end_date)]
    lines.append(f"{figure_amount(figure)} killed")
    lines.append(f"According to {party}")  # already escaped
    return "<br>".join(lines)


def _summary(dataset: Dataset, reports: list[tuple[str, Event, Figure]], parties: list[str | None]) -> tuple[str, ...]:
    events = {eid for eid, _, _ in reports}
    first, last = reports[0][1], reports[-1][1]
    sentences = [
        f"{plural(len(reports), 'reported death toll')} for {plural(len(events), 'event')}, "
        f"from {first.date.display()} to {last.date.display()}, "
        f"by {plural(len(parties), 'reporting party', 'reporting parties')}."
    ]
    eid, event, top = max(reports, key=lambda r: (r[2].high, r[0]))
    sentences.append(
        f"The highest is {figure_amount(top)} killed in {event.title} ({event.date.display()}), "
        f"according to {actor_label(dataset, top.according_to)}."
    )
    per_event: dict[str, list[Figure]] = defaultdict(list)
    titles: dict[str, str] = {}
    for eid, event, figure in reports:
        per_event[eid].append(figure)
        titles[eid] = event.title
    disputed = [eid for eid in sorted(per_event) if len({(f.low, f.high) for f in per_event[eid]}) > 1]
    if disputed:
        sentences.append(
            f"{plural(len(disputed), 'event')} {'has' if len(disputed) == 1 else 'have'} differing figures "
            f"from different reports, e.g. {titles[disputed[0]]}."
        )
    approximate = sum(1 for _, _, f in reports if f.qualifier != "exactly" or f.value is None)
    sentences.append(
        f"{approximate} of the {len(reports)} figures are approximate, a lower or upper bound, or a range."
    )
    return tuple(sentences)


def _table(dataset: Dataset, reports: list[tuple[str, Event, Figure]]) -> c.Table:
    rows = tuple(
        (c.display_span(e.date, e.end_date), e.title, f"{figure_amount(f)}", actor_label(dataset, f.according_to))
        for _, e, f in reports
    )
    return c.Table("Reported death tolls", ("Date", "Event", "Killed", "According to"), rows)
