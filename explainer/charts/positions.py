"""Who stands where: actors down the side, questions across, a cell per actor and question
coloured for, against or mixed. An "as of" slider replays the positions date by date: each
step shows every actor's latest stance on or before that date.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from explainer.charts import chart as c
from explainer.charts.descriptions import (
    according_to,
    actor_label,
    source_label,
    stance_detail_lines,
    stance_reporter,
    stances_in_order,
)
from explainer.checking.dataset import Dataset
from explainer.checking.models import Question, Stance
from explainer.core import urls, wording
from explainer.core.dates import PartialDate
from explainer.core.wording import number, plural

STATES = ("for", "against", "mixed", "none")
MAX_STEPS = 48
MAX_ROWS, MAX_COLUMNS = 80, 30
TALL_ROWS = 24
"""A grid of more rows than this puts its date control above the grid, where a reader scrolling
down a phone meets it, instead of two screens below."""
LABEL_CHARS = 60
"""Question labels longer than this are shortened with an ellipsis (the hover has the question)."""
# Each slider step repeats every cell's colour; beyond this many cells x steps the replay gets
# fewer steps (a 1,000-actor grid keeps its latest positions and its date range).
MAX_STEP_CELLS = 20_000


def positions_chart(dataset: Dataset) -> c.Chart | None:
    questions: dict[str, Question] = dataset.models("questions")
    if not questions:
        return None
    all_questions = sorted(questions)
    stances_by_actor = Counter(s.actor for q in questions.values() for s in q.stances)
    # A readable grid: the most outspoken actors and the most answered questions; the table
    # and each question's own chart keep every stance.
    shown_questions = sorted(all_questions, key=lambda q: (-len(questions[q].stances), q))[:MAX_COLUMNS]
    shown_actors = sorted(stances_by_actor, key=lambda a: (-stances_by_actor[a], a))[:MAX_ROWS]
    question_ids = sorted(shown_questions)
    actor_ids = sorted(shown_actors, key=lambda a: (actor_label(dataset, a).lower(), a))
    # Axis labels are text, not HTML, and name one category each: two actors of the same name
    # (or two questions alike in their first words) would share a row and hide each other.
    column = _unique({qid: c.escape(c.shortened(questions[qid].label, LABEL_CHARS - 1)) for qid in question_ids})
    row = _unique({aid: c.escape(actor_label(dataset, aid)) for aid in actor_ids})
    columns = [column[qid] for qid in question_ids]
    rows = [row[aid] for aid in actor_ids]
    answered = {(s.actor, qid) for qid in question_ids for s in questions[qid].stances}
    cells = [(aid, qid) for aid in actor_ids for qid in question_ids if (aid, qid) in answered]
    history = {(aid, qid): [s for s in stances_in_order(questions[qid]) if s.actor == aid] for aid, qid in cells}
    recorded = sorted({s.date for q in questions.values() for s in q.stances}, key=lambda d: d.sort_key)
    dates = _steps(recorded, max(1, min(MAX_STEPS, MAX_STEP_CELLS // max(1, len(cells)))))

    def state_at(when: PartialDate | None) -> list[str]:
        """Each cell's stance on a date (its latest stance then), "none" before its first."""
        states: list[str] = []
        for cell in cells:
            known = [s for s in history[cell] if when is None or s.date.sort_key <= when.sort_key]
            states.append(known[-1].stance if known else "none")
        return states

    # One trace holds every cell; the replay only recolours it. Its label tells the cell's
    # whole history, true at every step. The legend is three empty traces, one per colour.
    final = state_at(None)
    traces: list[dict[str, Any]] = [{
        "type": "scatter", "mode": "markers+text", "name": "Positions", "showlegend": False,
        "x": [column[qid] for _, qid in cells], "y": [row[aid] for aid, _ in cells],
        "text": [wording.STANCE_MARKS[s] for s in final],
        "hovertext": [_hover(dataset, aid, questions[qid], history[(aid, qid)]) for aid, qid in cells],
        "customdata": [urls.record_url("questions", qid) for _, qid in cells],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "textfont": {"color": "#ffffff", "size": 13},
        "marker": {"symbol": "square", "size": CELL - 3, "color": [wording.STANCE_COLOURS[s] for s in final]},
    }]  # fmt: skip
    # The key is one line under the grid (a legend would wrap into rows on a phone and run
    # into the date control): each cell's sign says its stance, the colour repeats it.
    key = "   ".join(
        f"{wording.STANCE_MARKS[state]} {wording.STANCES[state].lower()}"
        if wording.STANCE_MARKS[state]
        else "blank: none yet"
        for state in STATES
        if state != "none" or len(dates) > 1
    )
    steps = []
    for when in dates:
        shown = state_at(when)
        steps.append({
            "label": when.display(), "method": "restyle",
            "args": [
                {"marker.color": [[wording.STANCE_COLOURS[s] for s in shown]],
                 "text": [[wording.STANCE_MARKS[s] for s in shown]]},
                [0],
            ],
        })  # fmt: skip
    # Columns CELL px apart and labels read upwards, so a grid of 11 questions fits a phone
    # (`narrowest_width`); a bigger one scrolls sideways with its cue (charts.css).
    labels_height = label_px(columns)  # the questions, read upwards above the grid
    height = max(260, 60 + labels_height + 26 * len(rows))
    layout = c.layout(
        height,
        # room above the grid for the questions read upwards (plotly.js's own margin for turned
        # labels can fall short of the longest, which the figure's edge then cuts)
        margin={"l": 10, "r": 10, "t": labels_height + 14, "b": 10},
        xaxis=c.axis(
            type="category",
            categoryorder="array",
            categoryarray=columns,
            side="top",
            tickangle=-90,
            showgrid=False,
            tickfont={"size": 12},
            range=[-0.6, len(columns) - 0.4],  # autorange pads a category axis by several cells
        ),
        yaxis=c.axis(
            type="category",
            categoryorder="array",
            categoryarray=list(reversed(rows)),
            range=[-0.6, len(rows) - 0.4],
            showgrid=False,
            tickfont={"size": 12},
        ),
        showlegend=False,
        annotations=[{
            "text": key, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
            "yanchor": "top", "yshift": -4, "font": {"size": 12},
        }],
    )  # fmt: skip
    if len(steps) > 1:
        # The questions head the columns; below the grid come the colour key, then the slider
        # (above the questions' labels when the grid is tall). The steps' own labels would crowd
        # under the slider: the current date is shown above it instead, and the step labels are
        # drawn at a size of one pixel.
        slider = {
            "active": len(steps) - 1, "currentvalue": {"prefix": "Positions as of ", "font": {"size": 14}},
            "pad": {"t": 30, "b": 10}, "len": 1, "x": 0, "y": 0, "yanchor": "top", "steps": steps,
            "font": {"size": 1}, "ticklen": 4, "minorticklen": 0,
        }  # fmt: skip
        if len(rows) > TALL_ROWS:
            # plotly.js makes room above the plot for the slider and the labels alike (each
            # pushes the top margin); padding the slider by the labels' height keeps it clear of them.
            # charts.js moves a "fit-view" slider to the figure's left edge once it is drawn.
            slider.update({"y": 1, "yanchor": "bottom", "pad": {"t": 10, "b": labels_height + 16}, "name": "fit-view"})
        layout["sliders"] = [slider]
        layout["height"] = height = height + 90
    sources = {src for q in questions.values() for s in q.stances for src in s.sources}
    return c.Chart(
        id="positions",
        title="Who stands where",
        description=(
            "Each actor's position on each contested question, with a date control that replays how the "
            "positions changed."
        ),
        figure={"data": traces, "layout": layout},
        summary=_summary(dataset, questions, question_ids, cells, history, recorded)
        + _omitted(len(actor_ids), len(stances_by_actor), len(question_ids), len(all_questions)),
        table=_table(dataset, questions, all_questions),
        home=urls.url_of(urls.section_file("questions")),
        sources=tuple(sorted(sources)),
        height=height,
        site_wide=True,
        min_width=narrowest_width(rows, columns),
        meta={"steps": len(steps), "cells": len(cells)},
    )


CELL = 19
"""Pixels between two columns (and the size of a cell's square, less a gap)."""


def _unique(labels: dict[str, str]) -> dict[str, str]:
    """The labels, each repeated one followed by its record's id in brackets."""
    counts = Counter(labels.values())
    return {key: f"{label} ({key})" if counts[label] > 1 else label for key, label in labels.items()}


def label_px(labels: list[str], size: int = 12) -> int:
    """About how wide a line of these labels is drawn at a font size (px)."""
    return round(0.48 * size * max((len(label) for label in labels), default=0))


def narrowest_width(rows: list[str], columns: list[str]) -> int:
    """The narrowest the grid can be drawn with its cells apart: actor names, then a column
    per question. Below it, the chart scrolls sideways rather than overlap its cells."""
    return min(1600, label_px(rows) + 24 + CELL * len(columns))


def _steps(dates: list[PartialDate], limit: int) -> list[PartialDate]:
    """One slider step per stance date; by month, then by year, when there are too many; at
    most `limit` steps, evenly spread and always ending on the latest date."""
    if len(dates) > limit:
        months = sorted({PartialDate(d.year, d.month) for d in dates}, key=lambda d: d.sort_key)
        if len(months) <= limit:
            dates = [_end_of(m) for m in months]
        else:
            years = [PartialDate(y, 12, 31) for y in sorted({d.year for d in dates})]
            dates = years if len(years) <= limit else _spread(years, limit)
    return dates


def _spread(dates: list[PartialDate], limit: int) -> list[PartialDate]:
    if limit <= 1:
        return dates[-1:]
    picks = sorted({round(i * (len(dates) - 1) / (limit - 1)) for i in range(limit)})
    return [dates[i] for i in picks]


def _end_of(month: PartialDate) -> PartialDate:
    last = month.last_day
    return PartialDate(last.year, last.month, last.day) if month.month is not None else month


def _hover(dataset: Dataset, actor_id: str, question: Question, stances: list[Stance]) -> str:
    """Who, on what, every stance with its date; the latest one's quote, note and source."""
    lines = [f"<b>{c.escape(actor_label(dataset, actor_id))}</b>", c.wrap(c.escape(question.question), 60)]
    lines += [
        f"<b>{wording.STANCES[s.stance]}</b> from {s.date.display()}"
        + (c.escape(", " + according_to(dataset, s.according_to)) if s.according_to else "")
        for s in stances
    ]
    lines += stance_detail_lines(dataset, stances[-1])
    return "<br>".join(lines)


def _summary(dataset, questions, question_ids, cells, history, dates) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    actors = {aid for aid, _ in cells}
    final = {cell: hist[-1].stance for cell, hist in history.items()}
    counts = {s: sum(1 for v in final.values() if v == s) for s in ("for", "against", "mixed")}
    sentences = [
        f"Positions of {plural(len(actors), 'actor')} on {plural(len(question_ids), 'question')}, "
        f"recorded from {dates[0].display()} to {dates[-1].display()}."
        if dates
        else f"Positions of {plural(len(actors), 'actor')} on {plural(len(question_ids), 'question')}."
    ]
    sentences.append(
        "Latest positions: " + ", ".join(f"{counts[s]} {wording.STANCES[s].lower()}" for s in counts) + "."
    )
    divided = []
    for qid in question_ids:
        latest = [final[(aid, q)] for aid, q in cells if q == qid]
        divided.append((min(latest.count("for"), latest.count("against")), len(latest), qid))
    split, _, qid = max(divided, key=lambda t: (t[0], t[1], t[2]))
    if split:
        sentences.append(f"The most divided question is “{questions[qid].question}”.")
    changes = [
        (aid, qid, hist) for (aid, qid), hist in history.items()
        if len({s.stance for s in hist}) > 1
    ]  # fmt: skip
    if changes:
        examples = []
        for aid, qid, hist in sorted(changes, key=lambda t: (hist_key(t[2]), t[0], t[1]))[:3]:
            path = " then ".join(f"{wording.STANCES[s.stance].lower()} ({s.date.display()})" for s in hist)
            examples.append(f"{actor_label(dataset, aid)} on {questions[qid].label}: {path}")
        sentences.append(f"{plural(len(changes), 'position')} changed over time, e.g. " + "; ".join(examples) + ".")
    else:
        sentences.append("No actor's position changed over the period recorded.")
    return tuple(sentences)


def _omitted(actors: int, all_actors: int, questions: int, all_questions: int) -> tuple[str, ...]:
    if actors == all_actors and questions == all_questions:
        return ()
    parts = []
    if actors < all_actors:
        parts.append(f"the {plural(actors, 'actor')} with the most recorded stances (of {number(all_actors)})")
    if questions < all_questions:
        parts.append(f"the {plural(questions, 'question')} with the most (of {number(all_questions)})")
    return (f"The grid shows {' and '.join(parts)}; the table lists every stance.",)


def hist_key(hist: list[Stance]) -> tuple[int, int, int]:
    return hist[-1].date.sort_key


def _table(dataset: Dataset, questions: dict[str, Question], question_ids: list[str]) -> c.Table:
    rows = []
    for qid in question_ids:
        for stance in stances_in_order(questions[qid]):
            rows.append((
                actor_label(dataset, stance.actor), questions[qid].label, wording.STANCES[stance.stance],
                stance.date.display(), stance.quote or "", stance_reporter(dataset, stance),
                "; ".join(source_label(dataset, s) for s in stance.sources),
            ))  # fmt: skip
    return c.Table(
        "Stances by actor and question",
        ("Actor", "Question", "Stance", "Date", "Quote", "According to", "Source"),
        tuple(rows),
    )
