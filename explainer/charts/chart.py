"""What every chart is made of: a Plotly figure (plain JSON), and the same facts in words.

A `Chart` is pure data. The figure is a dict that plotly.js draws as it is: fixed trace
names, plain lists (never base64 arrays), a slim template and the light colours; the page's
script switches the colours to the dark scheme when the reader does. The summary and the
table say the same as the figure for readers who cannot see it.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass, field
from typing import Any

from explainer.core.dates import PartialDate

FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
LIGHT_TEXT = "#1f2328"
LIGHT_GRID = "#e1e4e8"

# The only template a figure carries: a few lines instead of plotly's ~6.5 KB default.
TEMPLATE: dict[str, Any] = {
    "layout": {
        "font": {"family": FONT, "size": 13, "color": LIGHT_TEXT},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
    }
}


@dataclass(frozen=True)
class Table:
    """The chart's data as rows for a screen reader (and a CSV download).

    A column empty in every row ("According to" when everyone speaks for themselves) is
    dropped as the table is made: it would only widen the table on a phone. The first column
    (each row's header) is always kept.
    """

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if not self.rows:
            return
        kept = [i for i in range(len(self.headers)) if i == 0 or any(row[i].strip() for row in self.rows)]
        if len(kept) < len(self.headers):
            object.__setattr__(self, "headers", tuple(self.headers[i] for i in kept))
            object.__setattr__(self, "rows", tuple(tuple(row[i] for i in kept) for row in self.rows))


@dataclass(frozen=True)
class Chart:
    """One chart: its figure, its words and where it belongs.

    `home` is the site path of the page the chart explains ("timeline/"): the credit line of
    its embed links there. `sources` are the source ids its data cites.
    """

    id: str
    title: str
    description: str
    figure: dict[str, Any]
    summary: tuple[str, ...]
    table: Table
    home: str
    sources: tuple[str, ...]
    height: int
    site_wide: bool = False
    min_width: int = 0
    """Below this width (px) the chart scrolls sideways instead of squeezing its marks."""
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # plotly.js gives a trace without a uid a random one (in SVG class names): fix them.
        for index, trace in enumerate(self.figure["data"]):
            trace.setdefault("uid", f"t{index}")

    def marks(self) -> int:
        """How many data marks (points) plotly draws: what a browser test counts."""
        count = 0
        for trace in self.figure["data"]:
            if "markers" in trace.get("mode", "") and trace.get("visible", True) is True:
                xs = trace.get("x", trace.get("lon", []))
                count += sum(1 for x in xs if x is not None)
        return count


def escape(text: str) -> str:
    """Data text inside plotly's hover/labels (which understand a little HTML): shown as text."""
    return html.escape(text, quote=False)


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"[*_`]+")


def plain(markdown: str) -> str:
    """Markdown (from `note` fields) as plain text for hover labels."""
    return _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", markdown)).strip()


def wrap(text: str, width: int = 60) -> str:
    """Hover text broken into lines (plotly does not wrap)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(lines)


def shortened(text: str, most: int) -> str:
    """The text cut at a word within its first `most` characters, with an ellipsis; never mid-word
    unless its first word is longer than that."""
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def lower(label: str) -> str:
    """A label inside a sentence: "UN vote" -> "UN vote", "Diplomacy and UN" -> "diplomacy and UN"
    (acronyms kept, other words lowered)."""
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in label.split())


def iso(day: dt.date) -> str:
    return day.isoformat()


def midpoint(start: dt.date, end: dt.date) -> dt.date:
    return start + (end - start) // 2


def anchor(date: PartialDate) -> dt.date:
    """Where a date's mark goes on a time axis: its first day. "March 2012" is drawn as a span
    over the month with its mark on 1 March, so charts order it before "10 March 2012" as the
    tables do (`PartialDate.sort_key`)."""
    return date.first_day


def period_words(dates: list[PartialDate]) -> str:
    """The period some dates cover, as a sentence ends: "on 10 March 2012", "in March 2012",
    "from March 2011 to 10 March 2012". The first is the earliest in the tables' order; the
    last the one that ends latest, so a month holding every other date reads "in March 2012"."""
    first = min(dates, key=lambda d: d.sort_key)
    last = max(dates, key=lambda d: (d.last_day, d.sort_key))
    if all(first.first_day <= d.first_day and d.last_day <= first.last_day for d in dates):
        return ("on " if first.precision == "day" else "in ") + first.display()
    return f"from {first.display()} to {last.display()}"


def span(date: PartialDate, end: PartialDate | None = None) -> tuple[dt.date, dt.date]:
    """The days a date (and its end date) covers: "2012-03" is 1 to 31 March 2012."""
    last = (end or date).last_day
    return date.first_day, max(last, date.first_day)


def display_span(date: PartialDate, end: PartialDate | None = None) -> str:
    """ "25 May 2012", "March 2012", "10 March 2012 - 11 March 2012" (with an en dash)."""
    if end is None or end == date:
        return date.display()
    return f"{date.display()} – {end.display()}"


DAY_MS = 86_400_000
"""A day in plotly's milliseconds: the finest step a date axis ever takes."""
MIN_PAD = dt.timedelta(days=31)
"""A time axis shows at least a month either side of its dates."""
# A date axis labels days, months or years, never a time of day, however far it is zoomed.
DATE_TICK_FORMATS: list[dict[str, Any]] = [
    {"dtickrange": [None, 28 * DAY_MS], "value": "%-d %b %Y"},
    {"dtickrange": [28 * DAY_MS, "M1"], "value": "%b %Y"},
    {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]


def date_range(spans: list[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date]:
    """The days a time axis shows for these spans: all of them, padded by a twentieth of
    their length, and at least a month either side of their middle (one day's events get a
    two-month axis, not one of hours)."""
    first = min(start for start, _ in spans)
    last = max(end for _, end in spans)
    pad = dt.timedelta(days=max(1, (last - first).days // 20))
    low, high = first - pad, last + pad
    middle = midpoint(first, last)
    return min(low, middle - MIN_PAD), max(high, middle + MIN_PAD)


def date_axis(spans: list[tuple[dt.date, dt.date]], **settings: Any) -> dict[str, Any]:
    """A time axis over `spans` (see `date_range`) whose ticks are whole days at the finest:
    the tick labels never show a time of day."""
    low, high = date_range(spans)
    base = axis(
        type="date",
        range=[iso(low), iso(high)],
        tickformatstops=[dict(stop) for stop in DATE_TICK_FORMATS],
        hoverformat="%-d %b %Y",
        fixedrange=False,
        nticks=8,
    )
    base.update(settings)
    return base


@dataclass(frozen=True)
class Footprint:
    """Where a mark is drawn along a time axis, in pixels: a dot of `radius` at `x` and, for a
    date range, a bar of half-height `bar` from `x` to `end` (a dot alone has `end == x`)."""

    x: float
    radius: float
    end: float | None = None
    bar: float = 0.0

    def parts(self) -> list[tuple[float, float, float]]:
        """(from, to, half-height) of each shape: the dot, then the bar if any."""
        shapes = [(self.x, self.x, self.radius)]
        if self.end is not None and self.end > self.x and self.bar > 0:
            shapes.append((self.x, self.end, self.bar))
        return shapes


def dodge(marks: list[Footprint], *, gap: float = 1.0, limit: float = math.inf) -> list[float] | None:
    """Offsets (pixels, up) across a lane for `marks` so that no two touch: a beeswarm.

    In time order, each mark takes the free place nearest the lane's middle (above first) that
    keeps `gap` pixels from every mark already placed; marks stay on their dates. None as soon
    as a mark would reach further than `limit` from the middle (the lane would be too tall)."""
    order = sorted(range(len(marks)), key=lambda i: (marks[i].x, i))
    widest = max((m.radius for m in marks), default=0.0)
    offsets = [0.0] * len(marks)
    placed: list[tuple[float, float, float, float]] = []  # from, to, half-height, offset
    for count, i in enumerate(order):
        shapes = marks[i].parts()
        left = marks[i].x
        if count % 32 == 0:  # forget what lies too far left to touch any later mark
            placed = [p for p in placed if p[1] + p[2] + widest + gap >= left]
        blocked: list[tuple[float, float]] = []
        for low, high, half in shapes:
            for p_low, p_high, p_half, p_y in placed:
                dx = max(0.0, p_low - high, low - p_high)
                reach = half + p_half + gap
                if dx < reach:
                    h = math.sqrt(reach * reach - dx * dx)
                    blocked.append((p_y - h, p_y + h))
        y = _nearest_free(blocked)
        if abs(y) + max(half for _, _, half in shapes) > limit:
            return None
        offsets[i] = y
        placed += [(low, high, half, y) for low, high, half in shapes]
    return offsets


def _nearest_free(blocked: list[tuple[float, float]]) -> float:
    """The offset nearest 0 outside every open interval of `blocked` (above on a tie)."""
    blocked.sort()
    merged: list[list[float]] = []
    for low, high in blocked:
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    for low, high in merged:
        if low < 0.0 < high:
            return high if high <= -low else low
    return 0.0


def axis(**settings: Any) -> dict[str, Any]:
    """An axis in the light scheme; the page script recolours it for dark."""
    base: dict[str, Any] = {
        "gridcolor": LIGHT_GRID,
        "linecolor": LIGHT_GRID,
        "zeroline": False,
        "automargin": True,
        "fixedrange": True,
    }
    base.update(settings)
    return base


def layout(height: int, **settings: Any) -> dict[str, Any]:
    """The layout every chart starts from. The title is on the page, not in the figure."""
    base: dict[str, Any] = {
        "template": TEMPLATE,
        "height": height,
        "autosize": True,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "bgcolor": "rgba(0,0,0,0)",
            "itemsizing": "constant",
        },
    }
    base.update(settings)
    return base
