"""View data for each page kind: pure functions from records to what a template lays out.

Sorting, grouping, date and number wording live here; the templates only place the result.
Every value that came from the data stays a plain string (the template escapes it) or is
turned into safe markup by `explainer.rendering.markup`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from markupsafe import Markup

from explainer.checking.models import Event, Question, Stance
from explainer.core.dates import PartialDate
from explainer.pages.context import Page
from explainer.pages.lookups import period, stance_order_key
from explainer.rendering.markup import figure_text, inline, number, plain_text_of, render_note, render_summary


class ChartBlocks(Protocol):
    """What the pages need from the chart stage (`explainer.charts`)."""

    @property
    def ids(self) -> list[str]: ...
    def block(self, chart_id: str, page_path: str) -> str: ...
    def for_actor(self, actor_id: str) -> list[str]: ...
    def for_question(self, question_id: str) -> list[str]: ...
    def image_path(self, chart_id: str, fmt: str = "png") -> str | None: ...


RELATION_OUT = {
    "member-of": "member of", "leads": "leads", "allied-with": "allied with", "backs": "backs",
    "opposes": "opposes", "envoy-of": "envoy of", "speaks-for": "speaks for",
}  # fmt: skip
RELATION_IN = {
    "member-of": "has as member", "leads": "led by", "allied-with": "allied with", "backs": "backed by",
    "opposes": "opposed by", "envoy-of": "has as envoy", "speaks-for": "spoken for by",
}  # fmt: skip
STANCE_WORDS = {"for": "For", "against": "Against", "mixed": "Mixed"}
STANCE_ORDER = {"for": 0, "mixed": 1, "against": 2}
ROLE_ORDER = ("perpetrator", "accused", "target", "victim", "mediator", "host", "speaker", "participant")
MEASURE_ORDER = ("killed", "wounded", "detained", "displaced", "deployed")


def label(kind: str) -> str:
    """ "military-operation" -> "Military operation"."""
    return kind.replace("-", " ").capitalize()


def span(start: PartialDate | None, end: PartialDate | None) -> str:
    if start and end:
        return f"{start.display()} – {end.display()}"
    if start:
        return f"from {start.display()}"
    if end:
        return f"until {end.display()}"
    return ""


def when(event: Event) -> str:
    """ "25 May 2012"; "March 2012 - April 2012 (2 months)"."""
    if event.end_date is None:
        return event.date.display()
    return f"{span(event.date, event.end_date)} ({duration(event.date, event.end_date)})"


def duration(start: PartialDate, end: PartialDate) -> str:
    if start.precision == "day" and end.precision == "day":
        days = (end.first_day - start.first_day).days + 1
        return f"{days} days" if days != 1 else "1 day"
    if start.month is not None and end.month is not None:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return f"{months} months" if months != 1 else "1 month"
    years = end.year - start.year + 1
    return f"{years} years" if years != 1 else "1 year"


def stance_badge(value: str) -> Markup:
    return Markup(f'<span class="x-stance x-stance--{value}">{STANCE_WORDS[value]}</span>')


def kind_badge(kind: str) -> Markup:
    return Markup(f'<span class="x-kind">{inline(label(kind))}</span>')


class ChartPlacer:
    """Puts the chart stage's blocks on pages; a chart the dataset does not support is left out."""

    def __init__(self, charts: ChartBlocks) -> None:
        self.charts = charts
        self.available = frozenset(charts.ids)

    def block(self, chart_id: str, page: Page) -> Markup | None:
        if chart_id not in self.available:
            return None
        block = self.charts.block(chart_id, page.url)
        # A <section>, not a <div>: Material's search parser matches elements by tag name, so an
        # excluded <div> stops being excluded at the first nested </div> of the chart.
        return Markup(f'<section class="x-chart" data-search-exclude markdown="0">\n{block}\n</section>')

    def for_actor(self, actor_id: str) -> list[str]:
        return self.charts.for_actor(actor_id)

    def for_question(self, question_id: str) -> list[str]:
        return self.charts.for_question(question_id)


def chart(charts: ChartPlacer | None, chart_id: str, page: Page) -> Markup | None:
    return charts.block(chart_id, page) if charts is not None else None


def social_image(charts: ChartPlacer | None, chart_id: str) -> str | None:
    """The chart's static PNG (from the site root) as the page's social-card image, if made."""
    if charts is None or chart_id not in charts.available:
        return None
    return charts.charts.image_path(chart_id)


# --- actor ----------------------------------------------------------------------------------


def actor_view(page: Page, actor_id: str, charts: ChartPlacer | None) -> dict[str, Any]:
    lookups = page.lookups
    actor = lookups.actors[actor_id]
    roles = [
        {
            "title": role.title,
            "of": page.link("actors", role.of) if role.of else "",
            "period": span(role.start, role.end),
            "cite": page.cite(role.sources),
        }
        for role in sorted(actor.roles, key=lambda r: (r.start.sort_key if r.start else (0, 0, 0), r.title))
    ]
    outgoing = [
        {
            "relation": RELATION_OUT[rel.kind],
            "actor": page.link("actors", rel.actor),
            "period": span(rel.start, rel.end),
            "note": render_note(rel.note, page.root) if rel.note else "",
            "cite": page.cite(rel.sources),
        }
        for rel in sorted(actor.relations, key=lambda r: (r.kind, r.actor))
    ]
    incoming = [
        {
            "relation": RELATION_IN[rel.kind],
            "actor": page.link("actors", other),
            "period": span(rel.start, rel.end),
            "note": render_note(rel.note, page.root) if rel.note else "",
            "cite": page.cite(rel.sources),
        }
        for other, rel in lookups.incoming.get(actor_id, [])
    ]
    stances = []
    for question_id, history in sorted(lookups.stances_of_actor.get(actor_id, {}).items()):
        stances.append(
            {
                "question": page.link("questions", question_id),
                "latest": stance_badge(history[-1].stance),
                "history": [_stance_item(page, stance, previous) for previous, stance in _with_previous(history)],
            }
        )
    taken_part = lookups.events_of_actor.get(actor_id, [])
    events = [{**event_row(page, event_id), "role": label(role)} for event_id, role in taken_part]
    claims = [
        {
            "date": lookups.events[event_id].date.display(),
            "event": page.link("events", event_id),
            "text": claim.text,
            "quote": claim.quote,
            "cite": page.cite(claim.sources),
        }
        for event_id, claim in lookups.claims_of_actor.get(actor_id, [])
    ]
    chart_blocks = [chart(charts, cid, page) for cid in (charts.for_actor(actor_id) if charts else [])]
    return {
        "name": actor.name,
        "kind": kind_badge(actor.kind),
        "aliases": actor.aliases,
        "short_name": actor.short_name if actor.short_name and actor.short_name != actor.name else None,
        "summary": (summary := render_summary(actor.summary, page.root)),
        "profile_cite": page.cite(actor.sources) if actor.sources else "",
        "roles": roles,
        "outgoing": outgoing,
        "incoming": incoming,
        "stances": stances,
        "events": events,
        "claims": claims,
        "charts": chart_blocks,
        "description": plain_text_of(summary, 160),
    }


def _with_previous(history: list[Stance]) -> list[tuple[Stance | None, Stance]]:
    return [(history[i - 1] if i else None, stance) for i, stance in enumerate(history)]


def _stance_item(page: Page, stance: Stance, previous: Stance | None) -> dict[str, Any]:
    if previous is None:
        change = ""
    elif previous.stance != stance.stance:
        change = f"changed from {STANCE_WORDS[previous.stance].lower()}"
    else:
        change = "unchanged"
    return {
        "date": stance.date.display(),
        "stance": stance_badge(stance.stance),
        "change": change,
        "quote": stance.quote,
        "note": render_note(stance.note, page.root) if stance.note else "",
        "cite": page.cite(stance.sources),
    }


# --- event ----------------------------------------------------------------------------------


def event_view(page: Page, event_id: str) -> dict[str, Any]:
    lookups = page.lookups
    event = lookups.events[event_id]
    by_role: dict[str, list[Markup]] = {}
    for participant in event.actors:
        by_role.setdefault(participant.role, []).append(page.link("actors", participant.actor))
    participants = [
        {"role": label(role), "actors": Markup(", ").join(by_role[role])} for role in ROLE_ORDER if role in by_role
    ]
    figures = [
        {
            "measure": label(figure.measure),
            "figure": figure_text(figure),
            "according_to": page.link("actors", figure.according_to) if figure.according_to else "not attributed",
            "cite": page.cite(figure.sources),
        }
        for figure in sorted(event.figures, key=lambda f: MEASURE_ORDER.index(f.measure))
    ]
    claims = [
        {
            "by": page.link("actors", claim.by),
            "text": claim.text,
            "quote": claim.quote,
            "cite": page.cite(claim.sources),
        }
        for claim in event.claims
    ]
    place = event.place
    return {
        "title": event.title,
        "when": when(event),
        "kind": kind_badge(event.kind),
        "place": page.link("places", place) if place else None,
        "place_within": _within(page, place) if place else None,
        "summary": (summary := render_summary(event.summary, page.root)),
        "cite": page.cite(event.sources),
        "participants": participants,
        "figures": figures,
        "claims": claims,
        "description": f"{event.date.display()}: " + plain_text_of(summary, 140),
    }


def _within(page: Page, place_id: str) -> Markup | None:
    within = page.lookups.places[place_id].within
    return page.link("places", within) if within else None


# --- question -------------------------------------------------------------------------------


def latest_stances(question: Question) -> dict[str, Stance]:
    latest: dict[str, Stance] = {}
    for stance in sorted(question.stances, key=lambda s: s.date.sort_key):
        latest[stance.actor] = stance
    return latest


def question_view(page: Page, question_id: str, charts: ChartPlacer | None) -> dict[str, Any]:
    lookups = page.lookups
    question = lookups.questions[question_id]
    latest = latest_stances(question)
    table = [
        {
            "actor": page.link("actors", actor_id),
            "stance": stance_badge(stance.stance),
            "since": stance.date.display(),
            "quote": stance.quote,
            "cite": page.cite(stance.sources),
        }
        for actor_id, stance in sorted(
            latest.items(), key=lambda item: (STANCE_ORDER[item[1].stance], lookups.actors[item[0]].name.casefold())
        )
    ]
    previous: dict[str, Stance] = {}
    history = []
    for stance in sorted(question.stances, key=stance_order_key):
        item = _stance_item(page, stance, previous.get(stance.actor))
        item["actor"] = page.link("actors", stance.actor)
        history.append(item)
        previous[stance.actor] = stance
    counts = Counter(s.stance for s in latest.values())
    chart_blocks = [chart(charts, cid, page) for cid in (charts.for_question(question_id) if charts else [])]
    return {
        "question": question.question,
        "summary": (summary := render_summary(question.summary, page.root)),
        "counts": [(stance_badge(value), counts[value]) for value in ("for", "mixed", "against")],
        "table": table,
        "history": history,
        "changes": sum(1 for item in history if item["change"].startswith("changed")),
        "charts": chart_blocks,
        "description": plain_text_of(summary, 160),
    }


# --- place and source -----------------------------------------------------------------------


def place_view(page: Page, place_id: str) -> dict[str, Any]:
    lookups = page.lookups
    place = lookups.places[place_id]
    return {
        "name": place.name,
        "kind": label(place.kind) if place.kind else None,
        "within": _within(page, place_id),
        "lat": f"{place.lat:.4f}",
        "lon": f"{place.lon:.4f}",
        "map": page.href_file("map.md"),
        "contains": [page.link("places", pid) for pid in lookups.places_within.get(place_id, [])],
        "events": [
            {
                "date": lookups.events[eid].date.display(),
                "event": page.link("events", eid),
                "kind": label(lookups.events[eid].kind),
            }
            for eid in lookups.events_at_place.get(place_id, [])
        ],
    }


def source_view(page: Page, source_id: str) -> dict[str, Any]:
    lookups = page.lookups
    source = lookups.sources[source_id]
    grouped: dict[tuple[str, str], list[str]] = {}
    for citation in lookups.citations.get(source_id, []):
        grouped.setdefault((citation.collection, citation.record_id), []).append(citation.what)
    facts = [
        {"page": page.link(collection, record_id), "collection": label(collection[:-1]), "what": "; ".join(whats)}
        for (collection, record_id), whats in grouped.items()
    ]
    return {
        "title": source.title,
        "publisher": source.publisher,
        "author": source.author,
        "date": source.date.display(),
        "kind": label(source.kind) if source.kind else None,
        "url": source.url,
        "archived": bool(source.archive),
        "facts": facts,
        "count": len(lookups.citations.get(source_id, [])),
    }


# --- indexes ----------------------------------------------------------------------------------


def actors_index_view(page: Page, charts: ChartPlacer | None) -> dict[str, Any]:
    lookups = page.lookups
    groups: dict[str, list[dict[str, Any]]] = {}
    for actor_id, actor in sorted(lookups.actors.items(), key=lambda item: (item[1].name.casefold(), item[0])):
        groups.setdefault(actor.kind, []).append(
            {
                "actor": page.link("actors", actor_id),
                "aliases": ", ".join(actor.aliases),
                "events": len(lookups.events_of_actor.get(actor_id, [])),
                "stances": sum(len(v) for v in lookups.stances_of_actor.get(actor_id, {}).values()),
            }
        )
    order = ("state", "organization", "person", "armed-group", "community", "media")
    return {
        "count": len(lookups.actors),
        "groups": [{"kind": _plural(kind), "actors": groups[kind]} for kind in order if kind in groups],
        "chart": chart(charts, "network", page),
        "image": social_image(charts, "network"),
    }


def _plural(kind: str) -> str:
    return {
        "state": "States", "organization": "Organisations", "person": "People",
        "armed-group": "Armed groups", "community": "Communities", "media": "Media",
    }[kind]  # fmt: skip


def event_row(page: Page, event_id: str) -> dict[str, Any]:
    event = page.lookups.events[event_id]
    killed = event.killed()
    return {
        "date": event.date.display(),
        "event": page.link("events", event_id),
        "kind": label(event.kind),
        "place": page.link("places", event.place) if event.place else "",
        "killed": number(killed) if killed is not None else "",
    }


def events_index_view(page: Page, charts: ChartPlacer | None) -> dict[str, Any]:
    lookups = page.lookups
    return {
        "count": len(lookups.events),
        "events": [event_row(page, eid) for eid in lookups.events_in_order],
        "chart": chart(charts, "tolls", page),
        "image": social_image(charts, "tolls"),
    }


def questions_index_view(page: Page, charts: ChartPlacer | None) -> dict[str, Any]:
    lookups = page.lookups
    rows = []
    for question_id, question in lookups.questions.items():
        counts = Counter(s.stance for s in latest_stances(question).values())
        rows.append(
            {
                "question": page.link("questions", question_id),
                "for": counts["for"],
                "mixed": counts["mixed"],
                "against": counts["against"],
                "stances": len(question.stances),
            }
        )
    return {
        "count": len(rows),
        "questions": rows,
        "chart": chart(charts, "positions", page),
        "image": social_image(charts, "positions"),
    }


def places_index_view(page: Page) -> dict[str, Any]:
    lookups = page.lookups
    return {
        "count": len(lookups.places),
        "map": page.href_file("map.md"),
        "places": [
            {
                "place": page.link("places", place_id),
                "kind": label(place.kind) if place.kind else "",
                "within": page.link("places", place.within) if place.within else "",
                "events": len(lookups.events_at_place.get(place_id, [])),
            }
            for place_id, place in sorted(lookups.places.items(), key=lambda item: (item[1].name.casefold(), item[0]))
        ],
    }


def sources_index_view(page: Page) -> dict[str, Any]:
    lookups = page.lookups
    ordered = sorted(lookups.sources.items(), key=lambda item: (item[1].date.sort_key, item[0]))
    return {
        "count": len(ordered),
        "sources": [
            {
                "date": source.date.display(),
                "source": page.link("sources", source_id),
                "publisher": source.publisher,
                "facts": len(lookups.citations.get(source_id, [])),
            }
            for source_id, source in ordered
        ],
    }


def map_view(page: Page, charts: ChartPlacer | None) -> dict[str, Any]:
    view = places_index_view(page)
    view["chart"] = chart(charts, "map", page)
    view["image"] = social_image(charts, "map")
    return view


# --- timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    key: str
    title: str
    events: list[dict[str, Any]]


def timeline_view(page: Page, charts: ChartPlacer | None) -> dict[str, Any]:
    lookups = page.lookups
    months: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    kinds: Counter[str] = Counter()
    for event_id in lookups.events_in_order:
        event = lookups.events[event_id]
        if event.date.month is None:
            key, title = f"{event.date.year:04d}", f"{event.date.year} (month not known)"
        else:
            key = f"{event.date.year:04d}-{event.date.month:02d}"
            title = PartialDate(event.date.year, event.date.month).display()
        kinds[event.kind] += 1
        months.setdefault(key, (title, []))[1].append(
            {
                "kind": event.kind,
                "kind_label": label(event.kind),
                "date": when(event),
                "link": page.html_link("events", event_id),
                "place": page.html_link("places", event.place) if event.place else None,
                "killed": figure_text(max((f for f in event.figures if f.measure == "killed"), key=lambda f: f.high))
                if event.killed() is not None
                else None,
            }
        )
    return {
        "count": len(lookups.events),
        "kinds": [{"kind": kind, "label": label(kind), "count": kinds[kind]} for kind in sorted(kinds)],
        "months": [Month(f"m-{key}", title, items) for key, (title, items) in months.items()],
        "chart": chart(charts, "timeline", page),
        "image": social_image(charts, "timeline"),
    }


# --- home -------------------------------------------------------------------------------------


def home_view(page: Page, pages: list[tuple[str, str]], charts: ChartPlacer | None, site: Any) -> dict[str, Any]:
    lookups = page.lookups
    covered = period(lookups)
    deadliest = sorted(
        (eid for eid in lookups.events if lookups.events[eid].killed() is not None),
        key=lambda eid: (-(lookups.events[eid].killed() or 0), eid),
    )[:5]
    latest = list(reversed(lookups.events_in_order))[:5]
    figures = [
        (number(len(lookups.events)), "events", page.href_file("timeline.md")),
        (number(len(lookups.actors)), "actors", page.href_file("actors/index.md")),
        (number(len(lookups.questions)), "contested questions", page.href_file("questions/index.md")),
        (number(len(lookups.sources)), "sources cited", page.href_file("sources/index.md")),
    ]
    return {
        "title": site.title,
        "description": site.description,
        "period": span(*covered) if covered else None,
        "figures": figures,
        "latest": [event_row(page, eid) for eid in latest],
        "deadliest": [
            {
                **event_row(page, eid),
                "figure": figure_text(
                    max((f for f in lookups.events[eid].figures if f.measure == "killed"), key=lambda f: f.high)
                ),
            }
            for eid in deadliest
        ],
        "questions": [
            {"question": page.link("questions", qid), "counts": questions_counts(q)}
            for qid, q in lookups.questions.items()
        ],
        "pages": [(Markup(f"[{inline(title)}]({page.href_file(name + '.md')})")) for name, title in pages],
        "chart": chart(charts, "positions", page),
        "image": social_image(charts, "positions"),
    }


def questions_counts(question: Question) -> str:
    counts = Counter(s.stance for s in latest_stances(question).values())
    return f"{counts['for']} for, {counts['mixed']} mixed, {counts['against']} against"
