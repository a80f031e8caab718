"""The map: events at their places, sized by people killed, coloured by kind.

The view is fitted to the places in the data. The map is drawn on longitude/latitude axes
with country outlines cut at build time from the site's topojson (`explainer.charts.basemap`):
the browser needs no geo code and fetches nothing for it, so the small plotly.js bundle
serves every chart and the map works offline. Events at the same place are spread on a
small spiral so none hides another.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from explainer.charts import chart as c
from explainer.charts.basemap import aspect, fit_view, outline_trace
from explainer.charts.descriptions import event_sources, events_in_order
from explainer.charts.timeline import KINDS, _hover, marker_size
from explainer.checking.dataset import Dataset
from explainer.checking.models import Place
from explainer.core import urls, wording
from explainer.core.wording import number, plural

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
LAND, COUNTRY_LINES, OCEAN = "#eceff1", "#b0bec5", "#f7f9fb"


def map_chart(dataset: Dataset, topology: dict[str, Any] | None = None) -> c.Chart | None:
    """`topology`: the TopoJSON world the outlines come from (None: a map without them)."""
    places: dict[str, Place] = dataset.models("places")
    located = [(eid, e) for eid, e in events_in_order(dataset) if e.place is not None and e.place in places]
    if not located:
        return None
    lats = [places[e.place].lat for _, e in located if e.place]
    lons = [places[e.place].lon for _, e in located if e.place]
    extent = max(max(lats) - min(lats), max(lons) - min(lons), 1.0)
    spread = extent * 0.012
    seen: Counter[str] = Counter()
    offsets: dict[str, tuple[float, float]] = {}
    for eid, event in located:
        assert event.place is not None
        i = seen[event.place]
        seen[event.place] += 1
        radius = spread * math.sqrt(i)
        offsets[eid] = (round(radius * math.cos(i * GOLDEN_ANGLE), 4), round(radius * math.sin(i * GOLDEN_ANGLE), 4))
    most = max((e.killed() or 0 for _, e in located), default=0)
    view = fit_view(lats, lons)
    outline = outline_trace(topology, view, fill=LAND, line=COUNTRY_LINES)
    traces = [outline] if outline else []
    for kind in KINDS:
        members = [(eid, e) for eid, e in located if e.kind == kind]
        if not members:
            continue
        traces.append({
            "type": "scatter", "mode": "markers", "name": wording.EVENT_KINDS[kind],
            "y": [round(places[e.place].lat + offsets[eid][0], 4) for eid, e in members if e.place],
            "x": [round(places[e.place].lon + offsets[eid][1], 4) for eid, e in members if e.place],
            "customdata": [urls.record_url("events", eid) for eid, _ in members],
            "hovertext": [f"{_hover(dataset, e)}<br>{c.escape(places[e.place].name)}" for _, e in members if e.place],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": [marker_size(e.killed(), most) for _, e in members],
                       "color": wording.EVENT_KIND_COLOURS[kind], "opacity": 0.8,
                       "line": {"width": 1, "color": "#ffffff"}},
        })  # fmt: skip
    height = 480
    hidden = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    layout = c.layout(
        height,
        xaxis={**hidden, "range": [view.west, view.east], "constrain": "range"},
        yaxis={**hidden, "range": [view.south, view.north], "scaleanchor": "x", "scaleratio": aspect(view)},
        plot_bgcolor=OCEAN,
        dragmode=False,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
    )
    figure = {"data": traces, "layout": layout}
    used = sorted({e.place for _, e in located if e.place}, key=lambda p: (-seen[p], p))
    kinds: Counter[str] = Counter(e.kind for _, e in located)
    unplaced = len(events_in_order(dataset)) - len(located)
    summary = [
        f"{plural(len(located), 'event')} at {plural(len(used), 'place')}; "
        f"the most events took place in {places[used[0]].name} ({seen[used[0]]})."
    ]
    tolls = [(e.killed() or 0, eid, e) for eid, e in located if e.killed() is not None]
    if tolls:
        killed, _, deadliest = max(tolls, key=lambda t: (t[0], t[1]))
        assert deadliest.place is not None
        summary.append(
            f"The deadliest reported is {deadliest.title} in {places[deadliest.place].name} "
            f"({number(killed)} killed at most)."
        )
    summary.append(
        "Kinds: " + ", ".join(f"{wording.EVENT_KINDS[k].lower()} {kinds[k]}" for k in KINDS if kinds[k]) + "."
    )
    if unplaced:
        summary.append(
            f"{plural(unplaced, 'event')} without a place {'is' if unplaced == 1 else 'are'} not on the map."
        )
    rows = tuple(
        (
            places[e.place].name,
            c.display_span(e.date, e.end_date),
            e.title,
            wording.EVENT_KINDS[e.kind],
            number(e.killed() or 0) if e.killed() is not None else "not reported",
        )
        for _, e in sorted(located, key=lambda t: (places[t[1].place or ""].name, t[1].date.sort_key, t[0]))
        if e.place
    )  # fmt: skip
    sources = set()
    for _, e in located:
        sources |= event_sources(e)
    return c.Chart(
        id="map",
        title="Map of events",
        description="Where events took place; the bigger the dot, the more people reported killed.",
        figure=figure,
        summary=tuple(summary),
        table=c.Table("Events by place", ("Place", "Date", "Event", "Kind", "Killed (highest report)"), rows),
        home=urls.url_of(urls.MAP),
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=True,
    )
