""" "Who stands where" on a big explainer (issue 13): a tall grid keeps its date control in
reach, every cell on a row and column of its own, and no empty band the axes invented."""

from __future__ import annotations

from pathlib import Path

import synthetic

from explainer.charts.chart import shortened
from explainer.charts.positions import LABEL_CHARS, TALL_ROWS, _unique, label_px, positions_chart


def test_a_tall_grid_puts_its_date_control_above_the_grid(tmp_path: Path) -> None:
    chart = positions_chart(synthetic.dataset(tmp_path / "data", 300))
    assert chart is not None
    layout = chart.figure["layout"]
    rows, columns = layout["yaxis"]["categoryarray"], layout["xaxis"]["categoryarray"]
    assert len(rows) > TALL_ROWS
    (slider,) = layout["sliders"]
    # above the plot, clear of the questions' labels, and fitted to the view by charts.js
    assert (slider["y"], slider["yanchor"], slider["name"]) == (1, "bottom", "fit-view")
    assert slider["pad"]["b"] >= label_px(columns)
    # the axes span exactly the cells: no band of empty rows or columns
    assert layout["yaxis"]["range"] == [-0.6, len(rows) - 0.4]
    assert layout["xaxis"]["range"] == [-0.6, len(columns) - 0.4]
    # every cell on a category of its own
    cells = chart.figure["data"][0]
    assert len(set(zip(cells["x"], cells["y"], strict=True))) == len(cells["x"])
    assert len(set(rows)) == len(rows)
    assert len(set(columns)) == len(columns)
    assert set(cells["y"]) <= set(rows)
    assert set(cells["x"]) <= set(columns)


def test_labels_that_would_share_a_row_are_told_apart() -> None:
    assert _unique({"a": "Army", "b": "Army", "c": "Police"}) == {"a": "Army (a)", "b": "Army (b)", "c": "Police"}


def test_long_questions_are_shortened_at_a_word() -> None:
    question = "Should the international community keep backing the six-point peace plan of the envoy?"
    short = shortened(question, LABEL_CHARS - 1)
    assert short.endswith("…")
    assert len(short) <= LABEL_CHARS
    assert question.startswith(short[:-1])
    assert short[:-1].split()[-1] in question.split()  # cut at a word, not within one
    assert shortened("Ceasefire", LABEL_CHARS - 1) == "Ceasefire"
