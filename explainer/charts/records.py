"""Charts on record pages: an actor's events on a mini timeline, a question's stance history.

A record with fewer than `MIN_POINTS` events or stances gets no chart: its page's list says
as much, and a chart of one or two dots on a time axis says less."""

from __future__ import annotations

from explainer.charts import chart as c
from explainer.charts.descriptions import (
    actor_label,
    source_label,
    stance_detail_lines,
    stance_reporter,
    stance_words,
    stances_in_order,
)
from explainer.charts.timeline import MIN_POINTS, actor_events_chart
from explainer.checking.dataset import Dataset
from explainer.checking.models import Event, Question, Stance
from explainer.core import urls, wording
from explainer.core.wording import plural

STANCE_ORDER = ("for", "mixed", "against")
STANCE_SYMBOLS = {"for": "circle", "mixed": "diamond", "against": "x"}


def actor_charts(dataset: Dataset, actor_id: str, events: list[tuple[str, Event]]) -> list[c.Chart]:
    """`events`: the actor's events in order (see `descriptions.events_by_actor`)."""
    chart = actor_events_chart(dataset, actor_id, events)
    return [chart] if chart is not None else []


def question_charts(dataset: Dataset, question_id: str) -> list[c.Chart]:
    """The question's stance history; none for fewer than `MIN_POINTS` stances (the question's
    page lists them)."""
    question: Question = dataset.get("questions", question_id)
    if len(question.stances) < MIN_POINTS:
        return []
    return [stance_history_chart(dataset, question_id)]


def stance_history_chart(dataset: Dataset, question_id: str) -> c.Chart:
    """Each actor's stances on the question over time: one row per actor, a dot per stance,
    a line joining an actor's successive stances so a change of position shows."""
    question: Question = dataset.get("questions", question_id)
    stances = stances_in_order(question)
    actors = sorted({s.actor for s in stances}, key=lambda a: (actor_label(dataset, a).lower(), a))
    row = {a: c.escape(actor_label(dataset, a)) for a in actors}  # axis labels: text, not HTML
    rows = [row[a] for a in actors]
    line_x: list[str | None] = []
    line_y: list[str | None] = []
    for actor in actors:
        own = [s for s in stances if s.actor == actor]
        if len(own) > 1:
            line_x += [c.iso(c.anchor(s.date)) for s in own] + [None]
            line_y += [row[actor]] * len(own) + [None]
    traces = []
    if line_x:
        traces.append({
            "type": "scatter", "mode": "lines", "name": "Change of position", "x": line_x, "y": line_y,
            "hoverinfo": "skip", "line": {"color": wording.STANCE_COLOURS["none"], "width": 2}, "showlegend": False,
        })  # fmt: skip
    # A stance known only to the month or the year: a bar over the days it may date from.
    vague = [s for s in stances if s.date.precision != "day"]
    if vague:
        bar_x: list[str | None] = []
        bar_y: list[str | None] = []
        for s in vague:
            start, end = c.span(s.date)
            bar_x += [c.iso(start), c.iso(end), None]
            bar_y += [row[s.actor], row[s.actor], None]
        traces.append({
            "type": "scatter", "mode": "lines", "name": "Date known to the month or year", "x": bar_x, "y": bar_y,
            "hoverinfo": "skip", "line": {"color": wording.STANCE_COLOURS["none"], "width": 8}, "opacity": 0.6,
            "showlegend": False,
        })  # fmt: skip
    for state in STANCE_ORDER:
        members = [s for s in stances if s.stance == state]
        if not members:
            continue
        traces.append({
            "type": "scatter", "mode": "markers", "name": wording.STANCES[state],
            "x": [c.iso(c.anchor(s.date)) for s in members],
            "y": [row[s.actor] for s in members],
            "customdata": [urls.record_url("actors", s.actor) for s in members],
            "hovertext": [_hover(dataset, s) for s in members], "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": 14, "color": wording.STANCE_COLOURS[state], "symbol": STANCE_SYMBOLS[state],
                       "line": {"width": 1, "color": wording.STANCE_COLOURS[state]}},
        })  # fmt: skip
    height = max(220, 110 + 30 * len(rows))
    figure = {
        "data": traces,
        "layout": c.layout(
            height,
            xaxis=c.date_axis([c.span(s.date) for s in stances]),
            yaxis=c.axis(type="category", categoryorder="array", categoryarray=list(reversed(rows))),
        ),
    }
    changed = [a for a in actors if len({s.stance for s in stances if s.actor == a}) > 1]
    latest = {a: [s for s in stances if s.actor == a][-1].stance for a in actors}
    summary = [
        f"{plural(len(stances), 'recorded stance')} by {plural(len(actors), 'actor')} on “{question.question}”, "
        f"{c.period_words([s.date for s in stances])}.",
        "Latest positions: "
        + ", ".join(f"{sum(1 for v in latest.values() if v == s)} {wording.STANCES[s].lower()}" for s in STANCE_ORDER)
        + ".",
    ]
    if changed:
        summary.append(
            "Changed position: "
            + "; ".join(
                f"{actor_label(dataset, a)} ("
                + " then ".join(
                    f"{wording.STANCES[s.stance].lower()}, {s.date.display()}" for s in stances if s.actor == a
                )
                + ")"
                for a in changed
            )
            + "."
        )
    else:
        summary.append("No actor changed position in the record.")
    table = c.Table(
        f"Stances on {question.label}",
        ("Date", "Actor", "Stance", "Quote", "According to", "Source"),
        tuple(
            (
                s.date.display(),
                actor_label(dataset, s.actor),
                wording.STANCES[s.stance],
                s.quote or "",
                stance_reporter(dataset, s),
                "; ".join(source_label(dataset, x) for x in s.sources),
            )
            for s in stances
        ),
    )
    return c.Chart(
        id=f"question-{question_id}-history",
        title=f"Stances over time: {question.label}",
        description=f"Who stood where on “{question.question}”, and when positions changed.",
        figure=figure,
        summary=tuple(summary),
        table=table,
        home=urls.record_url("questions", question_id),
        sources=tuple(sorted({x for s in stances for x in s.sources})),
        height=height,
    )


def _hover(dataset: Dataset, stance: Stance) -> str:
    lines = [
        f"<b>{c.escape(actor_label(dataset, stance.actor))}</b>: {c.escape(stance_words(dataset, stance))}",
        stance.date.display(),
    ]
    lines += stance_detail_lines(dataset, stance)
    return "<br>".join(lines)
