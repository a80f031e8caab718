"""Where the map's marks go at its opening view: one mark per family around each place, and
one cluster mark for places that lie too close together to be told apart.

Everything here is measured in pixels of an opening view drawn at a plot width (`Frame`).
The map places its marks twice: for a phone's plot (`NARROW_PLOT`) and for a wide one
(`WIDE_PLOT`, with its own closer view): a wide screen has room to tell apart places a phone
must cluster. Wider than either, the same view only gets more pixels (or the axes show more
around it), so what does not overlap there overlaps nowhere.

- **A place's own marks.** A place with events of one family has one mark on it; with
  several, the marks sit on a ring around it, just wide enough that no two touch (their
  bounding boxes, with the shape of each symbol).
- **Clusters** (as map libraries' marker clustering does). Places whose marks would overlap
  are drawn as one round mark with their total count written in it, at their event-weighted
  middle. The closest two spots whose marks touch merge first (so a place keeps its own marks
  wherever it can), until no two marks overlap. A cluster's hover names its places with their
  counts; every event is still in the map's table and on its place's page.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

from explainer.charts.basemap import View, aspect

NARROW_PLOT = 340
"""The plot width (px) marks and labels are placed for: a phone's. Wider, they only get more room."""
NARROW_HEIGHT = 360
"""The plot's height (px) there: the figure's 440 less the top margin and a two-row legend."""
WIDE_PLOT = 640
"""The least plot width (px) the wide marks are placed for (and shown at): the page's column at 1280 px is 688."""
WIDE_HEIGHT = 380
"""The plot's height (px) there: a one-row legend."""
GAP = 2.0
"""The least room (px) between two marks."""
CLUSTER_FONT = 10
CLUSTER_LEAST = 22.0
"""A cluster mark's least size (px); it grows to hold its count."""
SYMBOL_REACH = {
    "circle": 1.0, "square": 1.0, "diamond": 1.3, "triangle-up": 1.155, "pentagon": 1.0, "cross": 1.2,
}  # fmt: skip
"""How far each plotly symbol reaches from its centre, in halves of the marker size."""
LINE = 1.0
"""The white outline around every mark (px)."""


@dataclass(frozen=True)
class Frame:
    """An opening view at a plot width: degrees to pixels (x east, y north).
    The map's axes are locked to each other (`scaleanchor`), so plotly shows at least the
    whole view and one scale serves both: the smaller of what the width and height allow."""

    view: View
    scale: float
    """Pixels per degree of longitude."""
    stretch: float
    """How much longer a degree of latitude is drawn (the axes' `scaleratio`)."""

    @classmethod
    def opening(cls, view: View, width: float = NARROW_PLOT, height: float = NARROW_HEIGHT) -> Frame:
        stretch = aspect(view)
        across = max(view.east - view.west, 1e-6)
        down = max((view.north - view.south) * stretch, 1e-6)
        return cls(view, min(width / across, height / down), stretch)

    def pixels(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.scale, lat * self.scale * self.stretch

    def degrees(self, x: float, y: float) -> tuple[float, float]:
        """The (lon, lat) drawn at pixel (x, y)."""
        return x / self.scale, y / (self.scale * self.stretch)

    def bounds(self) -> tuple[float, float, float, float]:
        """The view in pixels: left, bottom, right, top."""
        left, bottom = self.pixels(self.view.west, self.view.south)
        right, top = self.pixels(self.view.east, self.view.north)
        return left, bottom, right, top


@dataclass(frozen=True)
class Mark:
    """One mark as drawn at the opening view: a family's events at one place, or a cluster
    (`family` None) of several places' events."""

    x: float
    y: float
    size: float
    """Plotly's marker size (px)."""
    reach: float
    """Half the side of the mark's bounding box, outline included (px)."""
    family: str | None
    places: tuple[str, ...]
    count: int

    def box(self) -> tuple[float, float, float, float]:
        return self.x - self.reach, self.y - self.reach, self.x + self.reach, self.y + self.reach


@dataclass(frozen=True)
class Site:
    """One place to be marked: where it is (px) and its events' count per family (in the
    map's family order)."""

    place: str
    x: float
    y: float
    families: tuple[tuple[str, int], ...]

    @property
    def count(self) -> int:
        return sum(n for _, n in self.families)


@dataclass(frozen=True)
class Spot:
    """What the opening view draws for one or more places: a place's own marks, or one cluster."""

    sites: tuple[Site, ...]
    marks: tuple[Mark, ...]
    x: float
    y: float
    reach: float
    """Half the side of the box holding all its marks (px, from its middle)."""

    @property
    def count(self) -> int:
        return sum(s.count for s in self.sites)

    @property
    def clustered(self) -> bool:
        return len(self.sites) > 1


def reach_of(symbol: str, size: float) -> float:
    return SYMBOL_REACH.get(symbol, 1.3) * size / 2 + LINE


def own_spot(site: Site, sizes: dict[str, float], symbols: dict[str, str]) -> Spot:
    """A place's own marks: on it, or on the smallest ring on which no two of them touch
    (clockwise, in the families' order)."""
    reaches = [reach_of(symbols[f], sizes[f]) for f, _ in site.families]
    count = len(site.families)
    radius, turn = 0.0, 0.0
    if count > 1:
        # The chord between neighbours must hold both marks; then widen until no boxes touch.
        # Of the ring starting north and the one turned half a step, the smaller is kept.
        chord = max(reaches[i] + reaches[(i + 1) % count] for i in range(count)) + GAP
        rings = []
        for start in (0.0, math.pi / count):
            wide = chord / (2 * math.sin(math.pi / count))
            while not _ring_clear(wide, start, reaches):
                wide *= 1.05
            rings.append((wide, start))
        radius, turn = min(rings)
    marks = []
    for index, (family, events) in enumerate(site.families):
        dx, dy = ring_offset(index, count, radius, turn)
        marks.append(Mark(site.x + dx, site.y + dy, sizes[family], reaches[index], family, (site.place,), events))
    reach = max(max(abs(m.x - site.x), abs(m.y - site.y)) + m.reach for m in marks)
    return Spot((site,), tuple(marks), site.x, site.y, reach)


def ring_offset(index: int, count: int, radius: float, turn: float = 0.0) -> tuple[float, float]:
    """Where the `index`th of `count` marks sits around its place: clockwise from the north,
    turned clockwise by `turn` (radians)."""
    if count <= 1:
        return 0.0, 0.0
    angle = math.pi / 2 - turn - 2 * math.pi * index / count
    return radius * math.cos(angle), radius * math.sin(angle)


def _ring_clear(radius: float, turn: float, reaches: list[float]) -> bool:
    points = [ring_offset(i, len(reaches), radius, turn) for i in range(len(reaches))]
    return not any(
        _boxes_touch(points[i], reaches[i], points[j], reaches[j])
        for i in range(len(points))
        for j in range(i + 1, len(points))
    )


def _boxes_touch(a: tuple[float, float], ra: float, b: tuple[float, float], rb: float) -> bool:
    return max(abs(a[0] - b[0]), abs(a[1] - b[1])) < ra + rb + GAP


def cluster_size(count: int) -> float:
    """A cluster mark holds its count ("1,234") with room around it."""
    return round(max(CLUSTER_LEAST, 0.62 * CLUSTER_FONT * len(f"{count:,}") + 10), 1)


def cluster_spot(sites: Sequence[Site], rank: dict[str, int]) -> Spot:
    """One round mark for several places, at their event-weighted middle; its places the
    biggest first, then in `rank`'s order."""
    total = sum(s.count for s in sites)
    x = sum(s.x * s.count for s in sites) / total
    y = sum(s.y * s.count for s in sites) / total
    size = cluster_size(total)
    reach = reach_of("circle", size)
    ordered = tuple(sorted(sites, key=lambda s: (-s.count, rank[s.place])))
    mark = Mark(x, y, size, reach, None, tuple(s.place for s in ordered), total)
    return Spot(ordered, (mark,), x, y, reach)


def place_marks(sites: Sequence[Site], sizes: dict[str, dict[str, float]], symbols: dict[str, str]) -> list[Spot]:
    """Every place's spot at the opening view, heaviest first. `sizes[place][family]`: the
    size of each of its own marks. Two spots whose marks touch are merged into one cluster,
    the closest pair first (a cluster is smaller than a ring of marks, so each merge clears
    room), until no two touch. Ties keep the order `sites` come in."""
    rank = {site.place: index for index, site in enumerate(sites)}
    alive = {index: own_spot(site, sizes[site.place], symbols) for index, site in enumerate(sites)}
    pairs: list[tuple[float, int, int]] = []
    by_x = sorted(alive, key=lambda i: alive[i].x)
    widest = 2 * max((s.reach for s in alive.values()), default=0.0) + GAP
    for position, i in enumerate(by_x):
        for j in by_x[position + 1 :]:
            if alive[j].x - alive[i].x >= widest:
                break
            if _spots_touch(alive[i], alive[j]):
                heapq.heappush(pairs, (_distance(alive[i], alive[j]), min(i, j), max(i, j)))
    fresh = len(alive)
    while pairs:
        _, i, j = heapq.heappop(pairs)
        if i not in alive or j not in alive:
            continue
        merged = cluster_spot([*alive.pop(i).sites, *alive.pop(j).sites], rank)
        x, y, reach = merged.x, merged.y, merged.reach + GAP
        for other, spot in alive.items():
            if abs(spot.x - x) < spot.reach + reach and abs(spot.y - y) < spot.reach + reach:
                heapq.heappush(pairs, (_distance(merged, spot), other, fresh))
        alive[fresh] = merged
        fresh += 1
    return sorted(alive.values(), key=lambda spot: (-spot.count, rank[spot.sites[0].place]))


def _spots_touch(a: Spot, b: Spot) -> bool:
    return _boxes_touch((a.x, a.y), a.reach, (b.x, b.y), b.reach)


def _distance(a: Spot, b: Spot) -> float:
    return math.hypot(a.x - b.x, a.y - b.y)


def overlapping(marks: Sequence[Mark]) -> list[tuple[Mark, Mark]]:
    """Pairs of marks whose boxes overlap (what the clustering rules out)."""
    ordered = sorted(marks, key=lambda m: m.x - m.reach)
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.x - b.reach >= a.x + a.reach:
                break
            if abs(a.y - b.y) < a.reach + b.reach and abs(a.x - b.x) < a.reach + b.reach:
                pairs.append((a, b))
    return pairs
