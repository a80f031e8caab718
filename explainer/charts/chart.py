"""What every chart is made of: a Plotly figure (plain JSON), and the same facts in words.

A `Chart` is pure data. The figure is a dict that plotly.js draws as it is: fixed trace
names, plain lists (never base64 arrays), a slim template and the light colours; the page's
script switches the colours to the dark scheme when the reader does. The summary and the
table say the same as the figure for readers who cannot see it.
"""

from __future__ import annotations

import datetime as dt
import html
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
    """The chart's data as rows for a screen reader (and a CSV download)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


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


def iso(day: dt.date) -> str:
    return day.isoformat()


def midpoint(start: dt.date, end: dt.date) -> dt.date:
    return start + (end - start) // 2


def span(date: PartialDate, end: PartialDate | None = None) -> tuple[dt.date, dt.date]:
    """The days a date (and its end date) covers: "2012-03" is 1 to 31 March 2012."""
    last = (end or date).last_day
    return date.first_day, max(last, date.first_day)


def display_span(date: PartialDate, end: PartialDate | None = None) -> str:
    """ "25 May 2012", "March 2012", "10 March 2012 - 11 March 2012" (with an en dash)."""
    if end is None or end == date:
        return date.display()
    return f"{date.display()} – {end.display()}"


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
