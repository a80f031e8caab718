"""The timeline at scale (issue 13): on 1,000 generated events every mark is visible on a
phone, no two marks touch, every event can be reached, and the chart stays a sane size.

The geometry is checked twice: from the figure alone, with the plot size Chromium gives the
chart's 358 px box on a 390 px screen, and in Chromium itself, from the marks plotly draws.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import synthetic as synthetic_data

from explainer.charts import chart as c
from explainer.charts import timeline
from explainer.charts.render import spec_json
from explainer.checking.validate import validate_data

ROOT = Path(__file__).parent.parent
PHONE_BOX = 358  # the chart's box on a 390 px screen (Material's content padding)
# Measured in Chromium at 390 px: the lane names "Military operation" & co. take 113 px on the
# left, 10 px stay on the right; the slanted date labels take 73 px below, the top margin 0-5
# px more than the figure asks.
PHONE_PLOT_WIDTH = PHONE_BOX - 113 - 10
PHONE_BELOW, PHONE_ABOVE = 73, 5


@functools.cache
def synthetic(events: int) -> Any:
    folder = Path(tempfile.mkdtemp(prefix="explainer-timeline-")) / "data"
    return synthetic_data.dataset(folder, events)


@pytest.fixture(scope="module")
def big() -> tuple[Any, c.Chart]:
    dataset = synthetic(1000)
    chart = timeline.timeline_chart(dataset)
    assert chart is not None
    return dataset, chart


def marks_in_pixels(chart: c.Chart, width: float) -> list[tuple[float, float, float, str]]:
    """Every mark of the figure as (x, y, radius including its outline, what it is) in pixels
    of a plot `width` wide, at the height plotly gives it on a phone."""
    layout = chart.figure["layout"]
    low, high = (dt.date.fromisoformat(day) for day in layout["xaxis"]["range"])
    bottom, top = layout["yaxis"]["range"]
    plot_height = layout["height"] - layout["margin"]["t"] - PHONE_ABOVE - PHONE_BELOW
    found = []
    for trace in chart.figure["data"]:
        if "markers" not in trace["mode"]:
            continue
        sizes = trace["marker"]["size"]
        for index, (x, y) in enumerate(zip(trace["x"], trace["y"], strict=True)):
            size = sizes[index] if isinstance(sizes, list) else sizes
            px = (dt.date.fromisoformat(x) - low).days / (high - low).days * width
            py = (y - bottom) / (top - bottom) * plot_height
            found.append((px, py, (size + trace["marker"]["line"]["width"]) / 2, f"{trace['name']} #{index}"))
    return found


def touching(marks: list[tuple[float, float, float, str]]) -> list[tuple[str, str, float]]:
    """Pairs of marks nearer than their radii (a sweep along x): (one, other, overlap in px)."""
    marks = sorted(marks)
    widest = max(r for _, _, r, _ in marks)
    found = []
    for i, (x, y, r, name) in enumerate(marks):
        for x2, y2, r2, name2 in marks[i + 1 :]:
            if x2 - x > r + widest:
                break
            overlap = r + r2 - math.hypot(x2 - x, y2 - y)
            if overlap > 0.01:
                found.append((name, name2, round(overlap, 2)))
    return found


def test_no_two_marks_touch_on_a_phone(big: tuple[Any, c.Chart]) -> None:
    _, chart = big
    marks = marks_in_pixels(chart, PHONE_PLOT_WIDTH)
    assert len(marks) > 800  # nearly every event is a dot of its own
    assert touching(marks) == []
    # the lanes' growth is what keeps them apart: at the usual height of 378 px, hundreds touch
    usual = (378 - 10 - PHONE_ABOVE - PHONE_BELOW) / (chart.height - 10 - PHONE_ABOVE - PHONE_BELOW)
    assert len(touching([(x, y * usual, r, name) for x, y, r, name in marks])) > 100


def test_every_event_is_reachable(big: tuple[Any, c.Chart]) -> None:
    dataset, chart = big
    events = dataset.models("events")
    own, counted = [], 0
    for trace in chart.figure["data"]:
        if trace["mode"] == "markers":
            own += trace["customdata"]
            assert len(trace["hovertext"]) == len(trace["x"])  # a label for every dot
        elif trace["mode"] == "markers+text":
            assert trace["name"].endswith("(crowded days)")
            counts = [int(text) for text in trace["text"]]
            counted += sum(counts)
            assert set(trace["customdata"]) == {"events/"}  # the list of every event
            for count, hover in zip(counts, trace["hovertext"], strict=True):
                assert f"<b>{count} events</b>" in hover
                assert f"and {count - timeline.LISTED} more" in hover
    assert len(own) == len(set(own))
    assert own
    assert all(url.startswith("events/event-") for url in own)
    assert len(own) + counted == len(events)
    assert counted > 0  # at 1,000 events some days are crowded: the cap is reached
    assert len(chart.table.rows) == len(events)
    assert any("a larger dot with a number stands for that many events" in s for s in chart.summary)
    assert any("drawn at one size" in s for s in chart.summary)


def test_the_chart_stays_a_sane_size(big: tuple[Any, c.Chart]) -> None:
    _, chart = big
    layout = chart.figure["layout"]
    lanes = len(layout["yaxis"]["tickvals"])
    assert chart.height == layout["height"] <= 140 + lanes * timeline.LANE_TALL[False]
    assert chart.min_width == PHONE_BOX  # narrower, it scrolls rather than overlap its marks
    assert len(spec_json(chart)) < 205_000  # no bigger than before (202,746 bytes)


@pytest.mark.slow  # about 30 s: validating 10,000 events
def test_crowded_lanes_of_10000_events_become_numbered_dots() -> None:
    """Past the cap every lane is one row of numbered dots, and the figure gets smaller."""
    dataset = synthetic(10_000)
    chart = timeline.timeline_chart(dataset)
    assert chart is not None
    counted = [t for t in chart.figure["data"] if t["mode"] == "markers+text"]
    assert sum(int(n) for t in counted for n in t["text"]) + chart.marks() - sum(len(t["x"]) for t in counted) == 10_000
    assert touching(marks_in_pixels(chart, PHONE_PLOT_WIDTH)) == []
    assert len(spec_json(chart)) < 100_000  # 2,006,909 bytes before


def test_sparse_lanes_keep_their_places() -> None:
    """Marks far apart stay on their lane's line; the chart keeps its usual height."""
    dataset, report = validate_data(ROOT / "tests" / "fixtures" / "mini")
    assert report.ok
    chart = timeline.timeline_chart(dataset)
    assert chart is not None
    assert chart.height == 260
    assert chart.min_width == 0
    assert chart.figure["layout"]["yaxis"]["tickvals"] == [3, 2, 1, 0]
    assert [y for t in chart.figure["data"] if t["mode"] == "markers" for y in t["y"]] == [3, 2, 1, 0]


def test_dodge_stacks_marks_of_one_day_and_keeps_clear_of_date_ranges() -> None:
    dots = [c.Footprint(50.0, 5.0) for _ in range(3)]
    assert c.dodge(dots, gap=1.0) == [0.0, 11.0, -11.0]  # the middle, above, below
    assert c.dodge(dots, gap=1.0, limit=10.0) is None  # the lane would be too tall
    apart = [c.Footprint(0.0, 5.0), c.Footprint(11.0, 5.0)]
    assert c.dodge(apart, gap=1.0) == [0.0, 0.0]  # far enough apart: both on the line
    near = c.dodge([c.Footprint(0.0, 5.0), c.Footprint(6.0, 5.0)], gap=0.0)
    assert near is not None
    assert near[0] == 0.0
    assert math.isclose(abs(near[1]), 8.0)
    # a date range's bar keeps a band clear along all of it
    ranges = [c.Footprint(0.0, 5.0, end=300.0, bar=3.0), c.Footprint(200.0, 5.0)]
    assert c.dodge(ranges, gap=1.0) == [0.0, 9.0]


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE_BOX, 688])
def test_drawn_marks_do_not_overlap(browser: Any, big: tuple[Any, c.Chart], width: int) -> None:
    """Plotly's own drawing of the 1,000-event figure in a phone's and a wide page's box:
    every mark drawn, none on top of another, the plot no narrower than laid out for."""
    from explainer.core.assets import locate_assets

    _, chart = big
    page = browser.new_page(viewport={"width": width + 32, "height": 900})
    page.set_content(f'<div id="chart" style="width:{width}px"></div>')
    page.add_script_tag(path=str(locate_assets().plotly))
    drawn = page.evaluate(
        """(figure) => Plotly.newPlot("chart", figure.data, figure.layout, {displayModeBar: false}).then((div) => ({
            plot: div._fullLayout._size,
            marks: Array.from(div.querySelectorAll("path.point")).map((p) => {
                const box = p.getBoundingClientRect();
                return [box.x + box.width / 2, box.y + box.height / 2, box.width / 2];
            }),
        }))""",
        chart.figure,
    )
    page.close()
    assert drawn["plot"]["w"] >= PHONE_PLOT_WIDTH - 2
    assert len(drawn["marks"]) == chart.marks()
    marks = [(x, y, r + 0.75, str(i)) for i, (x, y, r) in enumerate(drawn["marks"])]  # the outline's outer half
    assert [pair for pair in touching(marks) if pair[2] > 0.5] == []  # half a pixel: rounding
