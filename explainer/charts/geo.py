"""The map: where events took place, grouped by place, coloured and shaped by family of event.

The map is drawn on longitude/latitude axes with country outlines cut at build time from the
site's topojson (`explainer.charts.basemap`): the browser needs no geo code and fetches nothing
for it, so the small plotly.js bundle serves every chart and the map works offline.

- **Grouped by place.** An event counts for the place it is drawn at (`map_place`): a building
  or a district within `NEAR_KM` of the place it lies in counts for that place (UN headquarters
  for New York City, Baba Amr for Homs), as the place pages count them (`events_within`). Each
  place has one mark per family of event, sized by how many events it holds; its hover lists
  every one of them, and a click opens the place's page.
- **Opens on the story.** The view fits the main cluster of places: those within `reach_km`
  of the place the events crowd around (the event-weighted medoid). Places far from it (New
  York, London, Istanbul) are not shrunk into a world map: they are listed in a band under the
  map, each with its count, hover and link. The map's axes are free (drag pans; the page's
  script decides on scroll zoom, off today) and a "Reset view" button brings back the opening
  view.
- **Readable.** The eleven kinds of event fall into a handful of families
  (`wording.EVENT_FAMILIES`), each with a colour-blind-safe colour and its own shape. Place
  names are placed beside their marks where they fit at a phone's width (else the hover has
  them); the data's countries are named where no mark is.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from explainer.charts import chart as c
from explainer.charts.basemap import View, aspect, fit_view, outline_trace
from explainer.charts.descriptions import distance_km, event_sources, events_in_order, map_place
from explainer.charts.mapmarks import CLUSTER_FONT, WIDE_HEIGHT, WIDE_PLOT, Frame, Mark, Site, Spot, place_marks
from explainer.checking.dataset import Dataset
from explainer.checking.models import Event, Place
from explainer.core import urls, wording
from explainer.core.wording import mid_sentence, number, plural

LAND, COUNTRY_LINES, OCEAN = "#eceff1", "#b0bec5", "#f7f9fb"
MIN_REACH_KM = 500.0
"""The main cluster reaches at least this far from its middle (Syria's cities from Damascus)."""
CLOSE_MARGIN = 0.1
CLOSE_PAD = 0.3
"""The wide set's view around the main places: this share of their box, at least these degrees."""
FAR_ROWS = 6
"""Far-away places listed under the map, one a row; beyond, one row gathers the rest."""
LABEL_FONT = 11
LABEL_GAP = 3.0
"""Room (px) between a mark and its label."""
CLUSTER_COLOUR = "#546e7a"
CLUSTER_ROWS = 8
"""Places a cluster's hover names; beyond, how many more."""
HOVER_LINE = 36
"""Characters a hover's line of families holds before the next starts (a phone's width)."""
ROW_PX = 22
HOVER_TITLE = 48
"""An event's title in a hover that lists many is cut at a word to this many characters."""
MAP_HEIGHT = 440
FAMILIES = tuple(wording.EVENT_FAMILIES)


@dataclass(frozen=True)
class Group:
    """The events drawn at one place."""

    place: str
    events: tuple[tuple[str, Event], ...]

    def families(self) -> list[str]:
        present = {wording.EVENT_FAMILY_OF_KIND[e.kind] for _, e in self.events}
        return [f for f in FAMILIES if f in present]


def map_chart(dataset: Dataset, topology: dict[str, Any] | None = None) -> c.Chart | None:
    """`topology`: the TopoJSON world the outlines come from (None: a map without them)."""
    places: dict[str, Place] = dataset.models("places")
    located = [(eid, e) for eid, e in events_in_order(dataset) if e.place is not None and e.place in places]
    if not located:
        return None
    drawn = {pid: map_place(dataset, pid) for pid in sorted({e.place for _, e in located if e.place})}
    grouped: dict[str, list[tuple[str, Event]]] = defaultdict(list)
    for eid, event in located:
        assert event.place is not None
        grouped[drawn[event.place]].append((eid, event))
    groups = sorted(
        (Group(pid, tuple(evs)) for pid, evs in grouped.items()),
        key=lambda g: (-len(g.events), places[g.place].name.lower(), g.place),
    )
    main, far = split_far(groups, places)
    view = fit_view([places[g.place].lat for g in main], [places[g.place].lon for g in main])
    everything = fit_view([places[g.place].lat for g in groups], [places[g.place].lon for g in groups])
    outline = outline_trace(topology, everything if far else view, fill=LAND, line=COUNTRY_LINES)
    traces: list[dict[str, Any]] = [outline] if outline else []
    most = max(len(g.events) for g in groups)
    frame = Frame.opening(view)
    spots = spots_of(main, places, frame, most)
    narrow = _mark_traces(dataset, spots, frame, main, places)
    close = close_view(main, places)
    wide_spots = spots_of(main, places, Frame.opening(close, WIDE_PLOT, WIDE_HEIGHT), most)
    apart = _clustered(wide_spots) < _clustered(spots)
    if apart:
        wide = _mark_traces(dataset, wide_spots, Frame.opening(close, WIDE_PLOT, WIDE_HEIGHT), main, places)
        traces += two_sets(narrow, wide)
    else:
        traces += narrow
    clusters = [spot for spot in spots if spot.clustered]
    height = MAP_HEIGHT
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    layout = c.layout(
        height,
        xaxis={**hidden, "range": [view.west, view.east], "constrain": "range", "fixedrange": False},
        yaxis={
            **hidden, "range": [view.south, view.north], "scaleanchor": "x", "scaleratio": aspect(view),
            "fixedrange": False,
        },
        plot_bgcolor=OCEAN,
        dragmode="pan",
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={
            "orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "bgcolor": "rgba(0,0,0,0)",
            "itemsizing": "constant",
        },
        updatemenus=[{
            "type": "buttons", "direction": "left", "showactive": False, "x": 1, "xanchor": "right",
            "y": 1, "yanchor": "top", "pad": {"r": 6, "t": 6}, "bgcolor": "#f4f6f8", "bordercolor": "#b0bec5",
            "font": {"color": c.LIGHT_TEXT},
            "buttons": [{
                "label": "Reset view", "method": "relayout",
                "args": [{"xaxis.range": [view.west, view.east], "yaxis.range": [view.south, view.north]}],
            }],
        }],
    )  # fmt: skip
    if far:
        height = _far_band(layout, traces, far, places, most)
    if apart:
        layout["meta"] = {
            "layouts": {
                "narrow": {"x": [view.west, view.east], "y": [view.south, view.north]},
                "wide": {"least": WIDE_PLOT, "x": [close.west, close.east], "y": [close.south, close.north]},
            }
        }
    figure = {"data": traces, "layout": layout}
    sources = set()
    for _, e in located:
        sources |= event_sources(e)
    return c.Chart(
        id="map",
        title="Map of events",
        description=(
            "Where events took place, grouped by place and by family of event; the bigger the mark, the more events. "
            "Places too close together to tell apart share one round mark with their count. "
            "Places far from the rest are listed under the map."
        ),
        figure=figure,
        summary=_summary(dataset, located, groups, far, places, clusters),
        table=_table(located, places, drawn),
        home=urls.url_of(urls.MAP),
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=True,
        meta={"main": [g.place for g in main], "far": [g.place for g in far]},
    )


def split_far(groups: list[Group], places: dict[str, Place]) -> tuple[list[Group], list[Group]]:
    """The main cluster and the far places. The cluster's middle is the place the events
    crowd around (the one with the least total distance to every event); it reaches
    `reach_km` from there: three times the events' median distance, and at least
    `MIN_REACH_KM`. With every place in reach, nothing is far."""
    # `distance_km`'s haversine with each place's trigonometry done once: a thousand places
    # make a million pairs.
    lats = [math.radians(places[g.place].lat) for g in groups]
    trig = [(lat, places[g.place].lon, math.cos(lat), len(g.events)) for lat, g in zip(lats, groups, strict=True)]

    def total_km(index: int) -> float:
        lat1, lon1, cos1, _ = trig[index]
        total = 0.0
        for lat2, lon2, cos2, weight in trig:
            h = math.sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * math.sin(math.radians(lon2 - lon1) / 2) ** 2
            total += 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h))) * weight
        return total

    middle = groups[min(range(len(groups)), key=lambda i: (total_km(i), groups[i].place))]
    distances = {g.place: distance_km(places[middle.place], places[g.place]) for g in groups}
    typical = statistics.median(d for g in groups for d in [distances[g.place]] * len(g.events))
    reach = max(MIN_REACH_KM, 3 * typical)
    main = [g for g in groups if distances[g.place] <= reach]
    far = sorted((g for g in groups if distances[g.place] > reach), key=lambda g: (-len(g.events), g.place))
    return main, far


def close_view(main: list[Group], places: dict[str, Place]) -> View:
    """The wide set's opening view: the main places' box, padded by `CLOSE_MARGIN` of its
    size and at least `CLOSE_PAD` degrees (a wide plot's axes show more around it)."""
    lats = [places[g.place].lat for g in main]
    lons = [places[g.place].lon for g in main]
    pad_lat = max((max(lats) - min(lats)) * CLOSE_MARGIN, CLOSE_PAD)
    pad_lon = max((max(lons) - min(lons)) * CLOSE_MARGIN, CLOSE_PAD)
    return View(
        round(max(-180.0, min(lons) - pad_lon), 2),
        round(max(-85.0, min(lats) - pad_lat), 2),
        round(min(180.0, max(lons) + pad_lon), 2),
        round(min(85.0, max(lats) + pad_lat), 2),
    )


def _clustered(spots: list[Spot]) -> int:
    """How many places share a cluster mark."""
    return sum(len(spot.sites) for spot in spots if spot.clustered)


def _mark_traces(
    dataset: Dataset, spots: list[Spot], frame: Frame, main: list[Group], places: dict[str, Place]
) -> list[dict[str, Any]]:
    """The main view's marks (a trace per family, one for clusters) and labels, placed in `frame`."""
    traces = []
    for family in FAMILIES:
        own = [m for spot in spots if not spot.clustered for m in spot.marks if m.family == family]
        if own:
            traces.append(_family_trace(family, own, frame, {g.place: g for g in main}, places))
    clusters = [spot for spot in spots if spot.clustered]
    if clusters:
        traces.append(_cluster_trace(clusters, frame, places))
    return traces + _labels(dataset, spots, frame, places)


def two_sets(narrow: list[dict[str, Any]], wide: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Both sets of marks in one figure. A trace the same in both is shipped once; else each
    set's trace is tagged (`meta.layout`), the wide one right after its narrow namesake (so the
    legend keeps its order) and hidden: the page's script shows the set that fits the plot's
    width, and a preview or a reader without it sees the phone's."""
    wide_by_name = {t["name"]: t for t in wide}
    both: list[dict[str, Any]] = []
    for trace in narrow:
        twin = wide_by_name.pop(trace["name"], None)
        if twin == trace:
            both.append(trace)
            continue
        both.append(_tagged(trace, "narrow"))
        if twin is not None:
            both.append({**_tagged(twin, "wide"), "visible": False})
    both += [{**_tagged(t, "wide"), "visible": False} for t in wide_by_name.values()]
    return both


def _tagged(trace: dict[str, Any], name: str) -> dict[str, Any]:
    meta = trace.get("meta")
    return {**trace, "meta": {**(meta if isinstance(meta, dict) else {}), "layout": name}}


def marker_size(count: int, most: int) -> float:
    """A mark grows with the number of events it stands for (its area, roughly)."""
    if most <= 1:
        return 12
    return round(11 + 17 * math.sqrt((count - 1) / (most - 1)), 2)


def group_hover(place: Place, events: list[tuple[str, Event]], total: int) -> str:
    """Every event of the mark, one a line: the place's name, then date, title and kind."""
    head = f"<b>{c.escape(place.name)}</b>: {plural(len(events), 'event')}"
    if total > len(events):
        head += f" of {number(total)} here"
    lines = [head]
    for _, event in events:
        when = c.display_span(event.date, event.end_date)
        lines.append(
            c.escape(f"{when}: {c.shortened(event.title, HOVER_TITLE)} ({c.lower(wording.EVENT_KINDS[event.kind])})")
        )
    return "<br>".join(lines)


def spots_of(main: list[Group], places: dict[str, Place], frame: Frame, most: int) -> list[Spot]:
    """The main places' marks at the opening view, close places clustered (`mapmarks`)."""
    sites, sizes = [], {}
    for group in main:
        counts = Counter(wording.EVENT_FAMILY_OF_KIND[e.kind] for _, e in group.events)
        families = tuple((f, counts[f]) for f in group.families())
        x, y = frame.pixels(places[group.place].lon, places[group.place].lat)
        sites.append(Site(group.place, x, y, families))
        sizes[group.place] = {f: marker_size(n, most) for f, n in families}
    return place_marks(sites, sizes, wording.EVENT_FAMILY_SYMBOLS)


def _family_trace(
    family: str, marks: list[Mark], frame: Frame, groups: dict[str, Group], places: dict[str, Place]
) -> dict[str, Any]:
    xs, ys, sizes, hovers, links = [], [], [], [], []
    for mark in marks:
        group = groups[mark.places[0]]
        own = [(eid, e) for eid, e in group.events if wording.EVENT_FAMILY_OF_KIND[e.kind] == family]
        lon, lat = frame.degrees(mark.x, mark.y)
        xs.append(round(lon, 4))
        ys.append(round(lat, 4))
        sizes.append(mark.size)
        hovers.append(group_hover(places[group.place], own, len(group.events)))
        links.append(urls.record_url("places", group.place))
    colour = wording.EVENT_FAMILY_COLOURS[family]
    return {
        "type": "scatter", "mode": "markers", "name": wording.EVENT_FAMILIES[family], "legendgroup": family,
        "x": xs, "y": ys, "customdata": links, "hovertext": hovers, "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"size": sizes, "color": colour, "symbol": wording.EVENT_FAMILY_SYMBOLS[family], "opacity": 0.9,
                   "line": {"width": 1, "color": "#ffffff"}},
    }  # fmt: skip


def _cluster_trace(clusters: list[Spot], frame: Frame, places: dict[str, Place]) -> dict[str, Any]:
    """One round mark per cluster with its count written in it. A click opens nothing (the
    hover names its places, the table lists their events); `meta.bounds` holds each
    cluster's places' box (west, south, east, north) for a page script that zooms to it."""
    xs, ys, sizes, texts, hovers, bounds = [], [], [], [], [], []
    for spot in clusters:
        (mark,) = spot.marks
        lon, lat = frame.degrees(mark.x, mark.y)
        xs.append(round(lon, 4))
        ys.append(round(lat, 4))
        sizes.append(mark.size)
        texts.append(number(mark.count))
        hovers.append(cluster_hover(spot, places))
        lons = [places[s.place].lon for s in spot.sites]
        lats = [places[s.place].lat for s in spot.sites]
        bounds.append([round(min(lons), 2), round(min(lats), 2), round(max(lons), 2), round(max(lats), 2)])
    return {
        "type": "scatter", "mode": "markers+text", "name": "Places close together", "legendrank": 2000,
        "x": xs, "y": ys, "text": texts, "textposition": "middle center",
        "textfont": {"size": CLUSTER_FONT, "color": "#ffffff"},
        "hovertext": hovers, "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"size": sizes, "color": CLUSTER_COLOUR, "symbol": "circle", "opacity": 0.95,
                   "line": {"width": 1, "color": "#ffffff"}},
        "meta": {"clusters": True, "bounds": bounds},
    }  # fmt: skip


def cluster_hover(spot: Spot, places: dict[str, Place]) -> str:
    """The cluster's count, its families, then its places with their counts (the biggest
    first; beyond `CLUSTER_ROWS`, how many more)."""
    families: Counter[str] = Counter()
    for site in spot.sites:
        families.update(dict(site.families))
    lines = [f"<b>{plural(spot.count, 'event')} at {number(len(spot.sites))} places close together</b>"]
    line = ""
    for family in (f for f in FAMILIES if families[f]):
        item = f"{wording.EVENT_FAMILIES[family]} {number(families[family])}"
        if line and len(line) + len(item) > HOVER_LINE:  # a phone's width holds about this many
            lines.append(line)
            line = ""
        line = f"{line} · {item}" if line else item
    lines.append(line)
    for site in spot.sites[:CLUSTER_ROWS]:
        lines.append(f"{c.escape(places[site.place].name)}: {number(site.count)}")
    if len(spot.sites) > CLUSTER_ROWS:
        lines.append(f"and {plural(len(spot.sites) - CLUSTER_ROWS, 'more place')}")
    return "<br>".join(lines)


Box = tuple[float, float, float, float]


def _labels(dataset: Dataset, spots: list[Spot], frame: Frame, places: dict[str, Place]) -> list[dict[str, Any]]:
    """Town names (with their counts) beside their marks, a cluster's biggest place ("Homs
    and 3 more") beside it, then the data's countries: each only where it overlaps no mark
    and no other label inside the view at a phone's width. The heaviest spots choose first."""
    left, bottom, right, top = frame.bounds()
    taken: list[Box] = [mark.box() for spot in spots for mark in spot.marks]

    def free(candidate: Box) -> bool:
        inside = left <= candidate[0] and candidate[2] <= right and bottom <= candidate[1] and candidate[3] <= top
        return inside and not any(_overlap(candidate, other) for other in taken)

    towns: dict[str, list[Any]] = {"x": [], "y": [], "text": [], "textposition": []}
    for spot in spots:
        name = places[spot.sites[0].place].name
        if spot.clustered:
            text = f"{name} and {len(spot.sites) - 1} more"
        else:
            text = f"{name} · {number(spot.count)}" if spot.count > 1 else name
        width, height = 0.58 * LABEL_FONT * len(text), LABEL_FONT + 4
        reach = spot.reach + LABEL_GAP
        for position, ax, ay in (
            ("middle right", spot.x + reach, spot.y),
            ("middle left", spot.x - reach, spot.y),
            ("top center", spot.x, spot.y + reach),
            ("bottom center", spot.x, spot.y - reach),
        ):
            candidate = _text_box(position, ax, ay, width, height)
            if free(candidate):
                taken.append(candidate)
                lon, lat = frame.degrees(ax, ay)
                towns["x"].append(round(lon, 4))
                towns["y"].append(round(lat, 4))
                towns["text"].append(c.escape(text))
                towns["textposition"].append(position)
                break
    countries: dict[str, list[Any]] = {"x": [], "y": [], "text": []}
    marked = {site.place for spot in spots for site in spot.sites}
    view = frame.view
    for pid in sorted(places):
        place = places[pid]
        if (place.kind or "").lower() != "country" or pid in marked:
            continue
        if not (view.west <= place.lon <= view.east and view.south <= place.lat <= view.north):
            continue
        text = place.name.upper()
        candidate = _text_box("middle center", *frame.pixels(place.lon, place.lat), 0.62 * 10 * len(text), 14)
        if not any(_overlap(candidate, other) for other in taken):
            taken.append(candidate)
            countries["x"].append(place.lon)
            countries["y"].append(place.lat)
            countries["text"].append(c.escape(text))
    traces = []
    if towns["x"]:
        traces.append({
            "type": "scatter", "mode": "text", "name": "Place names", "showlegend": False, "hoverinfo": "skip",
            "x": towns["x"], "y": towns["y"], "text": towns["text"], "textposition": towns["textposition"],
            "textfont": {"size": LABEL_FONT},
        })  # fmt: skip
    if countries["x"]:
        traces.append({
            "type": "scatter", "mode": "text", "name": "Countries' names", "showlegend": False, "hoverinfo": "skip",
            "x": countries["x"], "y": countries["y"], "text": countries["text"],
            "textfont": {"size": 10, "color": "#7d8a96"},
        })  # fmt: skip
    return traces


def _text_box(position: str, x: float, y: float, width: float, height: float) -> Box:
    """The box (px, y up) a label takes when plotly writes it at `position` from (x, y): a
    text-only trace puts it just beside the point (at most `LABEL_GAP` further)."""
    vertical, horizontal = position.split()
    x0 = {"right": x, "left": x - width - LABEL_GAP, "center": x - width / 2}[horizontal]
    y0 = {"middle": y - height / 2, "top": y, "bottom": y - height - LABEL_GAP}[vertical]
    x1 = x0 + width + (LABEL_GAP if horizontal == "right" else 0)
    y1 = y0 + height + (LABEL_GAP if vertical == "top" else 0)
    return (x0, y0, x1, y1)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _far_band(
    layout: dict[str, Any], traces: list[dict[str, Any]], far: list[Group], places: dict[str, Place], most: int
) -> int:
    """The far places as a list under the map (a second pair of axes): a mark per place, in
    the colour and shape of its most frequent family, its name and count beside it. Returns
    the figure's new height."""
    rows: list[tuple[str, list[tuple[str, Event]], str | None]] = [
        (places[g.place].name, list(g.events), g.place) for g in far[:FAR_ROWS]
    ]
    if len(far) > FAR_ROWS:
        rest = [item for g in far[FAR_ROWS:] for item in g.events]
        rows.append((f"{plural(len(far) - FAR_ROWS, 'other place')}", rest, None))
    band = 28 + ROW_PX * len(rows)
    height = MAP_HEIGHT + band
    share = round(band / (height - 40), 4)
    layout["height"] = height
    layout["yaxis"]["domain"] = [share, 1]
    layout["xaxis2"] = {"visible": False, "range": [0, 1], "fixedrange": True, "domain": [0, 1], "anchor": "y2"}
    layout["yaxis2"] = {
        "visible": False, "range": [len(rows) - 0.5, -1.3], "fixedrange": True, "domain": [0, share], "anchor": "x2",
    }  # fmt: skip
    layout["annotations"] = [{
        "text": "Far from the rest:", "xref": "x2", "yref": "y2", "x": 0.01, "y": -0.9, "showarrow": False,
        "xanchor": "left", "font": {"size": 12},
    }]  # fmt: skip
    by_family: dict[str, dict[str, list[Any]]] = {}
    for index, (name, events, place_id) in enumerate(rows):
        family = Counter(wording.EVENT_FAMILY_OF_KIND[e.kind] for _, e in events).most_common(1)[0][0]
        entry = by_family.setdefault(family, {"y": [], "size": [], "hover": [], "link": [], "text": []})
        entry["y"].append(index)
        entry["size"].append(marker_size(len(events), most))
        hover_place = places[place_id] if place_id else None
        entry["hover"].append(
            group_hover(hover_place, events, len(events)) if hover_place else _rest_hover(name, events, places)
        )
        entry["link"].append(urls.record_url("places", place_id) if place_id else urls.url_of(urls.MAP))
        entry["text"].append(c.escape(f"{name} · {plural(len(events), 'event')}"))
    for family in FAMILIES:
        if family not in by_family:
            continue
        entry = by_family[family]
        colour = wording.EVENT_FAMILY_COLOURS[family]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": f"{wording.EVENT_FAMILIES[family]} (far)",
            "legendgroup": family, "showlegend": False, "xaxis": "x2", "yaxis": "y2",
            "x": [0.035] * len(entry["y"]), "y": entry["y"], "text": entry["text"], "textposition": "middle right",
            "textfont": {"size": LABEL_FONT}, "customdata": entry["link"], "hovertext": entry["hover"],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": [min(s, 18) for s in entry["size"]], "color": colour,
                       "symbol": wording.EVENT_FAMILY_SYMBOLS[family], "line": {"width": 1, "color": "#ffffff"}},
        })  # fmt: skip
    return height


def _rest_hover(name: str, events: list[tuple[str, Event]], places: dict[str, Place]) -> str:
    lines = [f"<b>{c.escape(name)}</b>"]
    for _, event in events:
        assert event.place is not None
        lines.append(
            c.escape(f"{places[event.place].name}, {event.date.display()}: {c.shortened(event.title, HOVER_TITLE)}")
        )
    return "<br>".join(lines)


def _summary(
    dataset: Dataset,
    located: list[tuple[str, Event]],
    groups: list[Group],
    far: list[Group],
    places: dict[str, Place],
    clusters: list[Spot],
) -> tuple[str, ...]:
    top = groups[0]
    unplaced = len(events_in_order(dataset)) - len(located)
    sentences = [
        f"{plural(len(located), 'event')} at {plural(len(groups), 'place')}; the place with the most is "
        f"{places[top.place].name} ({number(len(top.events))})."
    ]
    tolls = [(e.killed() or 0, eid, e) for eid, e in located if e.killed() is not None]
    if tolls:
        killed, _, deadliest = max(tolls, key=lambda t: (t[0], t[1]))
        assert deadliest.place is not None
        sentences.append(
            f"The deadliest reported is {mid_sentence(deadliest.title)} in {places[deadliest.place].name} "
            f"({number(killed)} killed at most)."
        )
    families = Counter(wording.EVENT_FAMILY_OF_KIND[e.kind] for _, e in located)
    sentences.append(
        "By family: "
        + ", ".join(f"{c.lower(wording.EVENT_FAMILIES[f])} {families[f]}" for f in FAMILIES if families[f])
        + "."
    )
    if clusters:
        together = sum(len(spot.sites) for spot in clusters)
        sentences.append(
            f"{plural(together, 'place')} too close together to tell apart at the map's opening view "
            f"{'is' if together == 1 else 'are'} drawn as {plural(len(clusters), 'round mark')} with their "
            "count; the hover names the places, and the table lists every event."
        )
    if far:
        listing = ", ".join(f"{places[g.place].name} ({len(g.events)})" for g in far)
        sentences.append(f"Far from the rest, and listed under the map: {listing}.")
    if unplaced:
        sentences.append(
            f"{plural(unplaced, 'event')} without a place {'is' if unplaced == 1 else 'are'} not on the map."
        )
    return tuple(sentences)


def _table(located: list[tuple[str, Event]], places: dict[str, Place], drawn: dict[str, str]) -> c.Table:
    """Every located event, by the place it is drawn at. `drawn`: each event place's `map_place`."""

    def shown(event: Event) -> str:
        assert event.place is not None
        name = places[event.place].name
        return name if drawn[event.place] == event.place else f"{name} (in {places[drawn[event.place]].name})"

    rows = tuple(
        (
            shown(e),
            c.display_span(e.date, e.end_date),
            e.title,
            wording.EVENT_KINDS[e.kind],
            number(e.killed() or 0) if e.killed() is not None else "not reported",
        )
        for _, e in sorted(located, key=lambda t: (places[drawn[t[1].place or ""]].name, t[1].date.sort_key, t[0]))
    )
    return c.Table("Events by place", ("Place", "Date", "Event", "Kind", "Killed (highest report)"), rows)
