"""Issue 13: the map at scale. At 1,000 synthetic events (bench/synth.py) the opening view at
a phone's width draws no two marks over each other: places too close together share one
cluster mark with their count. The counts add up to the events located, and every event
stays reachable (the cluster's hover, the far band, the table, the place pages).

Marks are measured from the figure as plotly.js draws it: the axes' ranges and scale ratio
give pixels, each symbol's size and shape its box."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import synthetic

from explainer.charts.geo import map_chart
from explainer.charts.mapmarks import Site, place_marks
from explainer.checking.validate import validate_data

PHONE_PLOT = (340, 360)
"""The map's plot area at 390 px (at least): the page's padding and a two-row legend taken off."""
WIDE_PLOT = (640, 380)
"""The least plot area the wide set is shown at (the page's column is 688 px wide at 1280)."""
ROOT = Path(__file__).parent.parent
REACH = {"circle": 1.0, "square": 1.0, "diamond": 1.3, "triangle-up": 1.155, "pentagon": 1.0, "cross": 1.2}
"""How far plotly.js draws each symbol from its centre, in halves of its size (symbol_defs.js)."""


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    folder = tmp_path_factory.mktemp("syn") / "data"
    dataset = synthetic.dataset(folder, 1000)
    chart = map_chart(dataset, topology=None)
    assert chart is not None
    return dataset, chart


def in_set(trace: dict[str, Any], layout: str) -> bool:
    """Whether a trace is drawn with the `layout` ("narrow" | "wide") set of marks."""
    meta = trace.get("meta")
    tag = meta.get("layout") if isinstance(meta, dict) else None
    return tag in (None, layout)


def opening_view(figure: dict[str, Any], layout_set: str) -> tuple[float, float, float, float, float, float]:
    """West, east, south, north, pixels a degree of longitude and the latitude ratio of a set's
    opening view, at the least plot it is shown at."""
    layout = figure["layout"]
    west, east = layout["xaxis"]["range"]
    south, north = layout["yaxis"]["range"]
    plot = PHONE_PLOT
    if layout_set == "wide":
        (west, east), (south, north) = (layout["meta"]["layouts"]["wide"][k] for k in "xy")
        plot = WIDE_PLOT
    ratio = layout["yaxis"]["scaleratio"]
    return west, east, south, north, min(plot[0] / (east - west), plot[1] / ((north - south) * ratio)), ratio


def drawn_marks(figure: dict[str, Any], layout_set: str = "narrow") -> list[dict[str, Any]]:
    """Every mark of a set on the map's own axes, in pixels of its opening view at the least
    plot it is shown at."""
    west, east, south, north, scale, ratio = opening_view(figure, layout_set)
    marks = []
    for trace in figure["data"]:
        if "markers" not in trace.get("mode", "") or trace.get("xaxis", "x") != "x":
            continue
        if not in_set(trace, layout_set):
            continue
        sizes = trace["marker"]["size"]
        for i, (x, y) in enumerate(zip(trace["x"], trace["y"], strict=True)):
            size = sizes[i] if isinstance(sizes, list) else sizes
            reach = REACH[trace["marker"]["symbol"]] * size / 2 + trace["marker"]["line"]["width"]
            marks.append({
                "trace": trace, "index": i, "x": x * scale, "y": y * scale * ratio, "reach": reach,
                "inside": west <= x <= east and south <= y <= north,
            })  # fmt: skip
    return marks


@pytest.mark.parametrize("layout_set", ["narrow", "wide"])
def test_no_two_marks_overlap_at_either_width(thousand: tuple[Any, Any], layout_set: str) -> None:
    _, chart = thousand
    marks = drawn_marks(chart.figure, layout_set)
    assert len(marks) > 10
    assert all(m["inside"] for m in marks)  # the opening view shows every mark
    clashes = [
        (a["trace"]["name"], b["trace"]["name"])
        for i, a in enumerate(marks)
        for b in marks[i + 1 :]
        if abs(a["x"] - b["x"]) < a["reach"] + b["reach"] and abs(a["y"] - b["y"]) < a["reach"] + b["reach"]
    ]
    assert clashes == []


@pytest.mark.parametrize("layout_set", ["narrow", "wide"])
def test_clusters_show_their_count_and_name_their_places(thousand: tuple[Any, Any], layout_set: str) -> None:
    _, chart = thousand
    clusters = next(t for t in chart.figure["data"] if t["name"] == "Places close together" and in_set(t, layout_set))
    assert clusters["mode"] == "markers+text"  # the count is written in the mark
    assert clusters["textposition"] == "middle center"
    for text, hover, bounds, size in zip(
        clusters["text"], clusters["hovertext"], clusters["meta"]["bounds"], clusters["marker"]["size"], strict=True
    ):
        count = int(text.replace(",", ""))
        head = re.match(r"<b>([\d,]+) events at ([\d,]+) places close together</b>", hover)
        assert head, hover
        assert int(head[1].replace(",", "")) == count
        places = int(head[2])
        rows = [r for r in hover.split("<br>")[1:] if ": " in r or r.startswith("and ")]
        listed = [r for r in rows if not r.startswith("and ")]
        more = int(re.match(r"and (\d+) more place", rows[-1])[1]) if rows[-1].startswith("and ") else 0
        assert len(listed) + more == places >= 2
        listed_counts = [int(r.rsplit(": ", 1)[1].replace(",", "")) for r in listed]
        assert listed_counts == sorted(listed_counts, reverse=True)  # the biggest first
        assert sum(listed_counts) <= count
        assert (sum(listed_counts) == count) == (more == 0)
        west, south, east, north = bounds
        assert west <= east
        assert south <= north
        assert size >= 0.6 * 10 * len(text)  # the count fits inside its mark


@pytest.mark.parametrize("layout_set", ["narrow", "wide"])
def test_counts_add_up_and_every_event_is_reachable(thousand: tuple[Any, Any], layout_set: str) -> None:
    dataset, chart = thousand
    events = dataset.models("events")
    located = sum(1 for e in events.values() if e.place)
    shown = 0
    data = [t for t in chart.figure["data"] if in_set(t, layout_set)]
    for trace in data:
        if trace["name"] == "Places close together":
            shown += sum(int(t.replace(",", "")) for t in trace["text"])
        elif "markers" in trace.get("mode", "") and trace.get("xaxis") == "x2":  # the far band
            shown += sum(int(re.search(r"· ([\d,]+) event", t)[1].replace(",", "")) for t in trace["text"])
        elif "markers" in trace.get("mode", ""):  # a family's marks: one place each, every event in the hover
            for hover, link in zip(trace["hovertext"], trace["customdata"], strict=True):
                own = int(re.search(r"</b>: ([\d,]+) event", hover)[1].replace(",", ""))
                assert hover.count("<br>") == own
                assert link.startswith("places/")
                shown += own
    assert shown == located
    assert len(chart.table.rows) == located  # the table lists every event, by place
    # every place of the main view is a family mark's link (its page) or one of a cluster's places
    own_places: set[str] = set()
    clustered = 0
    for trace in data:
        if trace["name"] == "Places close together":
            clustered += sum(int(re.search(r" at ([\d,]+) places", h)[1]) for h in trace["hovertext"])
        elif "customdata" in trace and trace.get("xaxis") != "x2":
            own_places |= {link.split("/")[1] for link in trace["customdata"]}
    assert own_places <= set(chart.meta["main"])
    assert len(own_places) + clustered == len(chart.meta["main"])


def test_the_figure_stays_small(thousand: tuple[Any, Any]) -> None:
    """Clustered places' hovers list places, not events: both sets of marks weigh a few
    dozen kilobytes."""
    _, chart = thousand
    assert len(json.dumps(chart.figure["data"], separators=(",", ":"))) < 60_000


def test_the_wide_set_is_hidden_until_the_script_shows_it(thousand: tuple[Any, Any]) -> None:
    _, chart = thousand
    figure = chart.figure
    wide = [t for t in figure["data"] if not in_set(t, "narrow")]
    narrow = [t for t in figure["data"] if not in_set(t, "wide")]
    assert wide
    assert narrow
    assert all(t["visible"] is False for t in wide)  # a preview, or a reader without the script: the phone's
    assert all(t.get("visible", True) is True for t in narrow)
    # each set names a family once: the legend lists what is visible, never an entry twice
    for layout_set in ("narrow", "wide"):
        shown = [t["name"] for t in figure["data"] if in_set(t, layout_set) and t.get("showlegend", True)]
        assert len(shown) == len(set(shown))
    assert figure["layout"]["meta"]["layouts"]["wide"]["least"] == WIDE_PLOT[0]


def test_a_wide_screen_tells_houla_from_homs() -> None:
    """Syria: at a phone's width Homs, Houla, Qubeir and Hama are one cluster; the wide set
    marks Houla (the massacre) and Homs each on their own, overlapping nothing."""
    dataset, report = validate_data(ROOT / "data")
    assert report.ok
    chart = map_chart(dataset, topology=None)
    assert chart is not None

    def own_places(layout_set: str) -> set[str]:
        return {
            link.split("/")[1]
            for trace in chart.figure["data"]
            if in_set(trace, layout_set) and trace.get("xaxis", "x") == "x" and "customdata" in trace
            for link in trace["customdata"]
        }

    assert not {"houla", "homs"} & own_places("narrow")
    assert {"houla", "homs"} <= own_places("wide")
    marks = drawn_marks(chart.figure, "wide")
    assert not [
        (a["trace"]["name"], b["trace"]["name"])
        for i, a in enumerate(marks)
        for b in marks[i + 1 :]
        if abs(a["x"] - b["x"]) < a["reach"] + b["reach"] and abs(a["y"] - b["y"]) < a["reach"] + b["reach"]
    ]
    names = next(t for t in chart.figure["data"] if t["name"] == "Place names" and in_set(t, "wide"))
    assert "Houla" in names["text"]


@pytest.mark.parametrize("layout_set", ["narrow", "wide"])
def test_place_labels_overlap_no_mark_and_no_label(thousand: tuple[Any, Any], layout_set: str) -> None:
    _, chart = thousand
    figure = chart.figure
    *_, scale, ratio = opening_view(figure, layout_set)
    names = next(t for t in figure["data"] if t["name"] == "Place names" and in_set(t, layout_set))
    boxes = []
    for x, y, text, position in zip(names["x"], names["y"], names["text"], names["textposition"], strict=True):
        px, py = x * scale, y * scale * ratio
        width, height = 0.58 * 11 * len(text), 15
        vertical, horizontal = position.split()
        x0 = {"right": px, "left": px - width, "center": px - width / 2}[horizontal]
        y0 = {"middle": py - height / 2, "top": py, "bottom": py - height}[vertical]
        boxes.append((x0, y0, x0 + width, y0 + height))
    marks = [
        (m["x"] - m["reach"], m["y"] - m["reach"], m["x"] + m["reach"], m["y"] + m["reach"])
        for m in drawn_marks(figure, layout_set)
    ]

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    assert boxes
    assert not [(a, b) for a in boxes for b in marks if overlap(a, b)]
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]


def test_places_apart_keep_their_own_marks_and_close_ones_merge() -> None:
    symbols = {"violence": "circle", "protest": "triangle-up", "diplomacy": "square", "statement": "diamond"}
    four = (("violence", 3), ("protest", 1), ("diplomacy", 2), ("statement", 1))
    sizes = {p: {"violence": 16.0, "protest": 12.0, "diplomacy": 14.0, "statement": 12.0} for p in "abcd"}
    sites = [
        Site("a", 0.0, 0.0, four),
        Site("b", 10.0, 5.0, (("violence", 3),)),  # on a's ring: merged
        Site("c", 300.0, 0.0, four),  # far from both: its own four marks on a ring
        Site("d", 150.0, 150.0, (("diplomacy", 2),)),
    ]
    spots = place_marks(sites, sizes, symbols)
    assert [[s.place for s in spot.sites] for spot in spots] == [["a", "b"], ["c"], ["d"]]
    merged, ring, alone = spots
    assert merged.clustered
    assert merged.count == 10
    assert len(merged.marks) == 1
    assert merged.x == pytest.approx((0 * 7 + 10 * 3) / 10)  # the event-weighted middle
    assert len(ring.marks) == 4
    assert not ring.clustered
    marks = ring.marks
    for i, a in enumerate(marks):
        for b in marks[i + 1 :]:
            assert max(abs(a.x - b.x), abs(a.y - b.y)) >= a.reach + b.reach  # no two touch
    assert (alone.marks[0].x, alone.marks[0].y) == (150.0, 150.0)  # alone: on its place
