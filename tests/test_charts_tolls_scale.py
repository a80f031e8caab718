"""Reported tolls on a big explainer (issue 13): colours a reader can tell apart, every figure
still a mark, and labels that never overlap."""

from __future__ import annotations

import itertools

import pytest
import synthetic

from explainer.charts.descriptions import killed_figures
from explainer.charts.tolls import COLOURED, LABEL_BAND, LABELLED, tolls_chart
from explainer.checking.dataset import Dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return synthetic.dataset(tmp_path_factory.mktemp("tolls") / "data", 300)


def test_many_reporters_share_one_grey_and_every_figure_is_a_mark(dataset: Dataset) -> None:
    chart = tolls_chart(dataset)
    assert chart is not None
    traces = chart.figure["data"]
    legend = [t for t in traces if t.get("legendgroup") == "who"]
    parties = {f.according_to for e in dataset.models("events").values() for f in killed_figures(e)}
    assert len(parties) > COLOURED + 1
    assert len(legend) == COLOURED + 1
    assert legend[-1]["name"] == f"{len(parties) - COLOURED} other reporters"
    assert len({t["marker"]["color"] for t in legend}) == len(legend), "one colour a group"
    marks = [t for t in traces if t.get("mode") == "markers" and t.get("legendgroup") == "parties"]
    figures = sum(len(killed_figures(e)) for e in dataset.models("events").values())
    assert sum(len(t["x"]) for t in marks) == figures
    # a grey mark's hover still names who reported it
    others = marks[-1]
    assert all("according to " in hover for hover in others["hovertext"])
    assert len({hover.rsplit("according to ", 1)[1] for hover in others["hovertext"]}) > 1


def test_labels_have_bands_of_their_own(dataset: Dataset) -> None:
    chart = tolls_chart(dataset)
    assert chart is not None
    labels = [a for a in chart.figure["layout"]["annotations"] if a.get("showarrow")]
    assert len(labels) == LABELLED
    bands = sorted(label["ay"] for label in labels)
    assert all(label["ayref"] == "y" for label in labels)
    axis_top = max(label["y"] for label in labels)
    assert bands[0] > axis_top, "above every labelled mark"
    gaps = [b - a for a, b in itertools.pairwise(bands)]
    assert min(gaps) > 0
    assert max(gaps) - min(gaps) < 1e-3, "evenly spaced"
    assert LABEL_BAND > 0
