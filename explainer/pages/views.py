"""View data for each page kind: pure functions from records to what a template lays out.

Sorting, grouping, date and number wording live here; the templates only place the result.
Each view is a frozen dataclass, so a renamed field fails type checking, not the page that
happens to use it. Every value that came from the data stays a plain string (the template
escapes it) or is turned into safe markup by `explainer.rendering.markup`. The words readers
see for the format's values come from `explainer.core.wording`, the files and links from
`explainer.core.urls`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from markupsafe import Markup

from explainer.checking.models import Correction, Event, Figure, Question, Site, Stance
from explainer.core import urls, wording
from explainer.core.dates import PartialDate
from explainer.pages.context import Page
from explainer.pages.lookups import Lookups, period, stance_order_key
from explainer.rendering.markup import inline, plain_text_of, render_note, render_summary


class ChartInfo(Protocol):
    """What a page says of a chart besides its block: its title (its oEmbed link's)."""

    @property
    def title(self) -> str: ...


class ChartBlocks(Protocol):
    """What the pages need from the chart stage (`explainer.charts`)."""

    @property
    def ids(self) -> list[str]: ...
    def chart(self, chart_id: str) -> ChartInfo: ...
    def block(self, chart_id: str, page_path: str) -> str: ...
    def for_actor(self, actor_id: str) -> list[str]: ...
    def for_question(self, question_id: str) -> list[str]: ...
    def image_path(self, chart_id: str, fmt: str = "png") -> str | None: ...


@dataclass(frozen=True)
class Section:
    """A page written by another stage (charts gallery, open data, shared docs) that the home
    page links to: its title and its file in the docs folder."""

    title: str
    file: str


# The order of the positions in a question's table: for, mixed, against.
STANCE_ORDER = {"for": 0, "mixed": 1, "against": 2}
# The order the actors index groups actors in.
ACTOR_KIND_ORDER = ("state", "organization", "person", "armed-group", "community", "media")


# --- words ------------------------------------------------------------------------------------


def sentence_start(text: str) -> str:
    """The first letter raised, the rest as written ("about 90" -> "About 90", "UN compound"
    stays): for a generated sentence or a free-text kind at the start of a cell."""
    return text[:1].upper() + text[1:]


def figure_text(figure: Figure) -> str:
    """ "at least 7,500", "about 90 to 120", "108": never more exact than reported."""
    number, qualifier = wording.number, wording.QUALIFIERS[figure.qualifier]
    if figure.value is not None:
        return qualifier + number(figure.value)
    if figure.qualifier == "up-to":
        return f"{number(figure.low)} to at most {number(figure.high)}"
    return qualifier + f"{number(figure.low)} to {number(figure.high)}"


def span(start: PartialDate | None, end: PartialDate | None) -> str:
    if start and end:
        return f"{start.display()} – {end.display()}"
    if start:
        return f"from {start.display()}"
    if end:
        return f"until {end.display()}"
    return ""


def when(event: Event) -> str:
    """ "25 May 2012"; a span with its length, "March 2012 - April 2012 (2 months)" (an en dash)."""
    if event.end_date is None:
        return event.date.display()
    return f"{span(event.date, event.end_date)} ({duration(event.date, event.end_date)})"


def duration(start: PartialDate, end: PartialDate) -> str:
    if start.precision == "day" and end.precision == "day":
        return wording.plural((end.first_day - start.first_day).days + 1, "day")
    if start.month is not None and end.month is not None:
        return wording.plural((end.year - start.year) * 12 + end.month - start.month + 1, "month")
    return wording.plural(end.year - start.year + 1, "year")


def stance_badge(value: str) -> Markup:
    return Markup(f'<span class="x-stance x-stance--{value}">{inline(wording.STANCES[value])}</span>')


def kind_badge(words: str) -> Markup:
    return Markup(f'<span class="x-kind">{inline(words)}</span>')


def according_to(page: Page, actor_id: str) -> Markup:
    """ "according to [The Journal](…)": who reports a figure or a position, mid-sentence."""
    name = wording.mid_sentence(page.title_of("actors", actor_id))
    return Markup("according to ") + page.link("actors", actor_id, name)


def position(page: Page, stance: Stance) -> Markup:
    """A position's badge, and who reports it when the actor is not quoted: "Against, according
    to The Journal" (as the charts word it)."""
    badge = stance_badge(stance.stance)
    return badge + Markup(", ") + according_to(page, stance.according_to) if stance.according_to else badge


def figure_sentence(page: Page, figure: Figure) -> Markup:
    """ "At least 8,000 killed, according to activists, as of 10 March 2012." """
    words = inline(f"{sentence_start(figure_text(figure))} {wording.MEASURES[figure.measure]}")
    if figure.according_to:
        words += Markup(", ") + according_to(page, figure.according_to)
    if figure.as_of:
        words += inline(f", as of {figure.as_of.display()}")
    if not figure.according_to:
        words += Markup(" (not attributed)")
    return words + Markup(".")


# --- charts -----------------------------------------------------------------------------------


class ChartPlacer:
    """Puts the chart stage's blocks on pages; a chart the dataset does not support is left out."""

    def __init__(self, charts: ChartBlocks) -> None:
        self.charts = charts
        self.available = frozenset(charts.ids)

    def block(self, chart_id: str, page: Page) -> Markup | None:
        if chart_id not in self.available:
            return None
        block = self.charts.block(chart_id, page.url)
        page.charts[chart_id] = self.charts.chart(chart_id).title
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
    """The chart's social card (1200x630 PNG, from the site root) as the page's og:image, if
    the build makes it; a chart without a card offers its PNG."""
    if charts is None or chart_id not in charts.available:
        return None
    return charts.charts.image_path(chart_id, "card.png") or charts.charts.image_path(chart_id)


def chart_blocks(charts: ChartPlacer | None, chart_ids: list[str], page: Page) -> list[Markup]:
    return [block for cid in chart_ids if (block := chart(charts, cid, page)) is not None]


# --- rows several pages share ----------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    date: str
    event: Markup
    kind: str
    place: Markup | str
    killed: str
    role: str = ""  # on an actor's page: the actor's part in the event
    figure: str = ""  # among the deadliest events: the highest toll, worded


def event_row(page: Page, event_id: str) -> EventRow:
    event = page.lookups.events[event_id]
    page.dated(event.date, event.end_date)
    killed = event.killed()
    return EventRow(
        date=event.date.display(),
        event=page.link("events", event_id),
        kind=wording.EVENT_KINDS[event.kind],
        place=page.link("places", event.place) if event.place else "",
        killed=wording.number(killed) if killed is not None else "",
    )


def highest_toll(event: Event) -> Figure:
    return max((f for f in event.figures if f.measure == "killed"), key=lambda f: f.high)


@dataclass(frozen=True)
class CorrectionRow:
    """A correction: when, and what was wrong and what changed (safe inline HTML); on the
    corrections page also the record it corrects."""

    date: str
    text: Markup
    record: Markup | None = None
    kind: str = ""


def corrections(page: Page, fixes: list[Correction]) -> list[CorrectionRow]:
    """A record's corrections, newest first (the data lists them oldest first)."""
    page.dated(*(fix.date for fix in fixes))
    newest_first = sorted(enumerate(fixes), key=lambda item: (item[1].date.sort_key, item[0]), reverse=True)
    return [CorrectionRow(fix.date.display(), render_note(fix.text, page.root)) for _, fix in newest_first]


# --- actor ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleRow:
    title: str
    of: Markup | str
    period: str
    cite: Markup


@dataclass(frozen=True)
class RelationRow:
    relation: str
    actor: Markup
    period: str
    note: Markup | str
    cite: Markup


@dataclass(frozen=True)
class StanceRow:
    date: str
    position: Markup  # the badge, and who reports the position when the actor is not quoted
    change: str
    quote: str | None
    note: Markup | str
    cite: Markup
    actor: Markup | None = None  # on a question's page


@dataclass(frozen=True)
class StanceHistory:
    question: Markup
    history: list[StanceRow]


@dataclass(frozen=True)
class ClaimRow:
    text: str
    quote: str | None
    cite: Markup
    by: Markup | None = None  # on an event's page
    event: Markup | None = None  # on an actor's page
    date: str = ""


@dataclass(frozen=True)
class ActorView:
    name: str
    kind: Markup
    aliases: list[str]
    short_name: str | None
    summary: Markup
    profile_cite: Markup | str
    roles: list[RoleRow]
    outgoing: list[RelationRow]
    incoming: list[RelationRow]
    stances: list[StanceHistory]
    events: list[EventRow]
    claims: list[ClaimRow]
    charts: list[Markup]
    corrections: list[CorrectionRow]
    description: str


def actor_view(page: Page, actor_id: str, charts: ChartPlacer | None) -> ActorView:
    lookups = page.lookups
    actor = lookups.actors[actor_id]

    def note(text: str | None) -> Markup | str:
        return render_note(text, page.root) if text else ""

    summary = render_summary(actor.summary, page.root)
    for role in actor.roles:
        page.dated(role.start, role.end)
    for relation in [*actor.relations, *(rel for _, rel in lookups.incoming.get(actor_id, []))]:
        page.dated(relation.start, relation.end)
    return ActorView(
        name=actor.name,
        kind=kind_badge(wording.ACTOR_KINDS[actor.kind]),
        aliases=actor.aliases,
        short_name=actor.short_name if actor.short_name and actor.short_name != actor.name else None,
        summary=summary,
        profile_cite=page.cite(actor.sources) if actor.sources else "",
        roles=[
            RoleRow(
                role.title,
                page.link("actors", role.of) if role.of else "",
                span(role.start, role.end),
                page.cite(role.sources),
            )
            for role in sorted(actor.roles, key=lambda r: (r.start.sort_key if r.start else (0, 0, 0), r.title))
        ],
        outgoing=[
            RelationRow(
                wording.RELATIONS[rel.kind],
                page.link("actors", rel.actor),
                span(rel.start, rel.end),
                note(rel.note),
                page.cite(rel.sources),
            )
            for rel in sorted(actor.relations, key=lambda r: (r.kind, r.actor))
        ],
        incoming=[
            RelationRow(
                wording.RELATIONS_REVERSED[rel.kind],
                page.link("actors", other),
                span(rel.start, rel.end),
                note(rel.note),
                page.cite(rel.sources),
            )
            for other, rel in lookups.incoming.get(actor_id, [])
        ],
        stances=[
            StanceHistory(
                page.link("questions", question_id),
                [_stance_row(page, stance, previous) for previous, stance in _with_previous(history)],
            )
            for question_id, history in sorted(lookups.stances_of_actor.get(actor_id, {}).items())
        ],
        events=[
            replace(event_row(page, event_id), role=wording.PARTICIPANT_ROLES[role])
            for event_id, role in lookups.events_of_actor.get(actor_id, [])
        ],
        claims=[
            ClaimRow(
                claim.text,
                claim.quote,
                page.cite(claim.sources),
                event=page.link("events", event_id),
                date=lookups.events[event_id].date.display(),
            )
            for event_id, claim in lookups.claims_of_actor.get(actor_id, [])
        ],
        charts=chart_blocks(charts, charts.for_actor(actor_id) if charts else [], page),
        corrections=corrections(page, actor.corrections),
        description=plain_text_of(summary, 160),
    )


def _with_previous(history: list[Stance]) -> list[tuple[Stance | None, Stance]]:
    return [(history[i - 1] if i else None, stance) for i, stance in enumerate(history)]


def _stance_row(page: Page, stance: Stance, previous: Stance | None, actor: Markup | None = None) -> StanceRow:
    if previous is None:
        change = ""
    elif previous.stance != stance.stance:
        change = f"changed from {wording.STANCES[previous.stance].lower()}"
    else:
        change = "unchanged"
    page.dated(stance.date)
    return StanceRow(
        date=stance.date.display(),
        position=position(page, stance),
        change=change,
        quote=stance.quote,
        note=render_note(stance.note, page.root) if stance.note else "",
        cite=page.cite(stance.sources),
        actor=actor,
    )


# --- event ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    role: str
    actors: Markup


@dataclass(frozen=True)
class FigureRow:
    sentence: Markup  # "At least 7,500 killed, according to …, as of 10 March 2012."
    cite: Markup


@dataclass(frozen=True)
class EventView:
    title: str
    when: str
    kind: Markup
    place: Markup | None
    place_within: Markup | None
    summary: Markup
    cite: Markup
    participants: list[ParticipantRow]
    figures: list[FigureRow]
    claims: list[ClaimRow]
    corrections: list[CorrectionRow]
    description: str


def event_view(page: Page, event_id: str) -> EventView:
    lookups = page.lookups
    event = lookups.events[event_id]
    by_role: dict[str, list[Markup]] = {}
    for participant in event.actors:
        by_role.setdefault(participant.role, []).append(page.link("actors", participant.actor))
    place = event.place
    summary = render_summary(event.summary, page.root)
    page.dated(event.date, event.end_date, *(figure.as_of for figure in event.figures))
    return EventView(
        title=event.title,
        when=when(event),
        kind=kind_badge(wording.EVENT_KINDS[event.kind]),
        place=page.link("places", place) if place else None,
        place_within=_within(page, place) if place else None,
        summary=summary,
        cite=page.cite(event.sources),
        participants=[
            ParticipantRow(wording.PARTICIPANT_ROLES[role], Markup(", ").join(by_role[role]))
            for role in wording.PARTICIPANT_ROLE_ORDER
            if role in by_role
        ],
        figures=[
            FigureRow(figure_sentence(page, figure), page.cite(figure.sources))
            for figure in sorted(event.figures, key=lambda f: wording.MEASURE_ORDER.index(f.measure))
        ],
        claims=[
            ClaimRow(claim.text, claim.quote, page.cite(claim.sources), by=page.link("actors", claim.by))
            for claim in event.claims
        ],
        corrections=corrections(page, event.corrections),
        description=f"{event.date.display()}: " + plain_text_of(summary, 140),
    )


def _within(page: Page, place_id: str) -> Markup | None:
    within = page.lookups.places[place_id].within
    return page.link("places", within) if within else None


# --- question -------------------------------------------------------------------------------


def latest_stances(question: Question) -> dict[str, Stance]:
    latest: dict[str, Stance] = {}
    for stance in sorted(question.stances, key=lambda s: s.date.sort_key):
        latest[stance.actor] = stance
    return latest


@dataclass(frozen=True)
class StanceCount:
    badge: Markup
    count: int


@dataclass(frozen=True)
class QuestionView:
    question: str
    short_name: str | None
    summary: Markup
    counts: list[StanceCount]
    table: list[StanceRow]
    history: list[StanceRow]
    changes: str  # "1 change of position recorded." or ""
    charts: list[Markup]
    corrections: list[CorrectionRow]
    description: str


def question_view(page: Page, question_id: str, charts: ChartPlacer | None) -> QuestionView:
    lookups = page.lookups
    question = lookups.questions[question_id]
    short_name = question.short_name if question.short_name and question.short_name != question.question else None
    latest = latest_stances(question)
    table = [
        _stance_row(page, stance, None, page.link("actors", actor_id))
        for actor_id, stance in sorted(
            latest.items(), key=lambda item: (STANCE_ORDER[item[1].stance], lookups.actors[item[0]].name.casefold())
        )
    ]
    previous: dict[str, Stance] = {}
    history = []
    for stance in sorted(question.stances, key=stance_order_key):
        history.append(_stance_row(page, stance, previous.get(stance.actor), page.link("actors", stance.actor)))
        previous[stance.actor] = stance
    counts = Counter[str](s.stance for s in latest.values())
    changes = sum(1 for item in history if item.change.startswith("changed"))
    summary = render_summary(question.summary, page.root)
    return QuestionView(
        question=question.question,
        short_name=short_name,
        summary=summary,
        counts=[StanceCount(stance_badge(value), counts[value]) for value in STANCE_ORDER],
        table=table,
        history=history,
        changes=f"{wording.plural(changes, 'change')} of position recorded." if changes else "",
        charts=chart_blocks(charts, charts.for_question(question_id) if charts else [], page),
        corrections=corrections(page, question.corrections),
        description=plain_text_of(summary, 160),
    )


# --- place and source -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceView:
    name: str
    kind: str | None
    within: Markup | None
    aliases: list[str]  # "Hula", "al-Houla"
    lat: str
    lon: str
    map: str
    contains: list[Markup]
    events: list[EventRow]
    events_inside: list[EventRow]  # at places within this one (UN headquarters in New York City)
    corrections: list[CorrectionRow]


def places_inside(lookups: Lookups, place_id: str) -> list[str]:
    """Every place within this one, at any depth (a cycle is a validation error, never here)."""
    found: list[str] = []
    pending = list(lookups.places_within.get(place_id, []))
    while pending:
        inner = pending.pop(0)
        if inner not in found and inner != place_id:
            found.append(inner)
            pending.extend(lookups.places_within.get(inner, []))
    return found


def _events_inside(lookups: Lookups, place_id: str) -> list[str]:
    """The events at places within this one, earliest first."""
    inside = [eid for inner in places_inside(lookups, place_id) for eid in lookups.events_at_place.get(inner, [])]
    return sorted(inside, key=lambda eid: (lookups.events[eid].date.sort_key, eid))


def place_view(page: Page, place_id: str) -> PlaceView:
    lookups = page.lookups
    place = lookups.places[place_id]
    return PlaceView(
        name=place.name,
        kind=sentence_start(place.kind) if place.kind else None,
        within=_within(page, place_id),
        aliases=list(place.aliases),
        lat=f"{place.lat:.4f}",
        lon=f"{place.lon:.4f}",
        map=page.href_file(urls.MAP),
        contains=[page.link("places", pid) for pid in lookups.places_within.get(place_id, [])],
        events=[event_row(page, eid) for eid in lookups.events_at_place.get(place_id, [])],
        events_inside=[event_row(page, eid) for eid in _events_inside(lookups, place_id)],
        corrections=corrections(page, place.corrections),
    )


@dataclass(frozen=True)
class CitingFact:
    page: Markup
    collection: str
    what: str


@dataclass(frozen=True)
class SourceView:
    title: str
    publisher: str
    author: str | None
    date: str
    kind: str | None
    url: str | None
    archived: bool
    facts: list[CitingFact]
    count: str  # "3 facts cite this source."
    corrections: list[CorrectionRow]


def source_view(page: Page, source_id: str) -> SourceView:
    lookups = page.lookups
    source = lookups.sources[source_id]
    page.dated(source.date)
    citations = lookups.citations.get(source_id, [])
    grouped: dict[tuple[str, str], list[str]] = {}
    for citation in citations:
        grouped.setdefault((citation.collection, citation.record_id), []).append(citation.what)
    return SourceView(
        title=source.title,
        publisher=source.publisher,
        author=source.author,
        date=source.date.display(),
        kind=wording.SOURCE_KINDS[source.kind] if source.kind else None,
        url=source.url,
        archived=bool(source.archive),
        facts=[
            CitingFact(page.link(collection, record_id), _record_noun(collection).capitalize(), "; ".join(whats))
            for (collection, record_id), whats in grouped.items()
        ],
        count=f"{wording.plural(len(citations), 'fact')} {'cites' if len(citations) == 1 else 'cite'} this source.",
        corrections=corrections(page, source.corrections),
    )


def _record_noun(collection: str) -> str:
    return wording.RECORD_NOUNS[collection][0]


# --- corrections ------------------------------------------------------------------------------


class _Corrected(Protocol):
    @property
    def corrections(self) -> list[Correction]: ...


@dataclass(frozen=True)
class CorrectionsView:
    lead: str  # "3 corrections, newest first." or "No correction has been made."
    corrections: list[CorrectionRow]
    report_an_error: str


def corrections_view(page: Page) -> CorrectionsView:
    """Every correction of every record, newest first; at one date, by collection and record,
    the later correction of a record first."""
    lookups = page.lookups
    collections: dict[str, Mapping[str, _Corrected]] = {
        "events": lookups.events,
        "actors": lookups.actors,
        "questions": lookups.questions,
        "places": lookups.places,
        "sources": lookups.sources,
    }
    found: list[tuple[Correction, str, str]] = [
        (fix, collection, record_id)
        for collection, records in collections.items()
        for record_id, record in records.items()
        for fix in reversed(record.corrections)
    ]
    found.sort(key=lambda item: item[0].date.sort_key, reverse=True)  # stable: the order above at one date
    rows = [
        CorrectionRow(
            fix.date.display(),
            render_note(fix.text, page.root),
            record=page.link(collection, record_id),
            kind=_record_noun(collection),
        )
        for fix, collection, record_id in found
    ]
    return CorrectionsView(
        lead=f"{wording.plural(len(rows), 'correction')}, newest first." if rows else "No correction has been made.",
        corrections=rows,
        report_an_error=page.href_file(urls.REPORTING_AN_ERROR),
    )


# --- indexes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorIndexRow:
    actor: Markup
    aliases: str
    events: int
    stances: int


@dataclass(frozen=True)
class ActorGroup:
    kind: str  # "Organisations"
    actors: list[ActorIndexRow]


@dataclass(frozen=True)
class ActorsIndexView:
    count: str  # "12 actors"
    groups: list[ActorGroup]
    chart: Markup | None
    image: str | None


def actors_index_view(page: Page, charts: ChartPlacer | None) -> ActorsIndexView:
    lookups = page.lookups
    groups: dict[str, list[ActorIndexRow]] = {}
    for actor_id, actor in sorted(lookups.actors.items(), key=lambda item: (item[1].name.casefold(), item[0])):
        groups.setdefault(actor.kind, []).append(
            ActorIndexRow(
                page.link("actors", actor_id),
                ", ".join(actor.aliases),
                len(lookups.events_of_actor.get(actor_id, [])),
                sum(len(v) for v in lookups.stances_of_actor.get(actor_id, {}).values()),
            )
        )
    return ActorsIndexView(
        count=wording.plural(len(lookups.actors), "actor"),
        groups=[
            ActorGroup(wording.ACTOR_KIND_PLURALS[kind], groups[kind]) for kind in ACTOR_KIND_ORDER if kind in groups
        ],
        chart=chart(charts, "network", page),
        image=social_image(charts, "network"),
    )


@dataclass(frozen=True)
class EventsIndexView:
    count: str  # "4 events"
    events: list[EventRow]
    chart: Markup | None
    image: str | None


def events_index_view(page: Page, charts: ChartPlacer | None) -> EventsIndexView:
    lookups = page.lookups
    return EventsIndexView(
        count=wording.plural(len(lookups.events), "event"),
        events=[event_row(page, eid) for eid in lookups.events_in_order],
        chart=chart(charts, "tolls", page),
        image=social_image(charts, "tolls"),
    )


@dataclass(frozen=True)
class QuestionIndexRow:
    question: Markup
    supporting: int
    mixed: int
    opposing: int
    stances: int


@dataclass(frozen=True)
class QuestionsIndexView:
    count: str  # "2 contested questions"
    questions: list[QuestionIndexRow]
    chart: Markup | None
    image: str | None


def questions_index_view(page: Page, charts: ChartPlacer | None) -> QuestionsIndexView:
    lookups = page.lookups
    rows = []
    for question_id, question in lookups.questions.items():
        counts = Counter(s.stance for s in latest_stances(question).values())
        rows.append(
            QuestionIndexRow(
                page.link("questions", question_id),
                counts["for"],
                counts["mixed"],
                counts["against"],
                len(question.stances),
            )
        )
    return QuestionsIndexView(
        count=wording.plural(len(rows), "contested question"),
        questions=rows,
        chart=chart(charts, "positions", page),
        image=social_image(charts, "positions"),
    )


@dataclass(frozen=True)
class PlaceIndexRow:
    place: Markup
    kind: str
    within: Markup | str
    events: int


@dataclass(frozen=True)
class PlacesIndexView:
    count: str  # "3 places"
    map: str
    places: list[PlaceIndexRow]
    chart: Markup | None = None  # on the map page
    image: str | None = None


def places_index_view(page: Page) -> PlacesIndexView:
    lookups = page.lookups
    return PlacesIndexView(
        count=wording.plural(len(lookups.places), "place"),
        map=page.href_file(urls.MAP),
        places=[
            PlaceIndexRow(
                page.link("places", place_id),
                sentence_start(place.kind) if place.kind else "",
                page.link("places", place.within) if place.within else "",
                len(lookups.events_at_place.get(place_id, [])),
            )
            for place_id, place in sorted(lookups.places.items(), key=lambda item: (item[1].name.casefold(), item[0]))
        ],
    )


def map_view(page: Page, charts: ChartPlacer | None) -> PlacesIndexView:
    return replace(places_index_view(page), chart=chart(charts, "map", page), image=social_image(charts, "map"))


@dataclass(frozen=True)
class SourceIndexRow:
    date: str
    source: Markup
    publisher: str
    facts: int


@dataclass(frozen=True)
class SourcesIndexView:
    count: str  # "2 sources"
    sources: list[SourceIndexRow]


def sources_index_view(page: Page) -> SourcesIndexView:
    lookups = page.lookups
    ordered = sorted(lookups.sources.items(), key=lambda item: (item[1].date.sort_key, item[0]))
    return SourcesIndexView(
        count=wording.plural(len(ordered), "source"),
        sources=[
            SourceIndexRow(
                source.date.display(),
                page.link("sources", source_id),
                source.publisher,
                len(lookups.citations.get(source_id, [])),
            )
            for source_id, source in ordered
        ],
    )


# --- timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # the value, for the filter's data attribute
    kind_label: str
    date: str
    link: Markup
    place: Markup | None
    killed: str | None


@dataclass(frozen=True)
class Month:
    key: str
    title: str
    events: list[TimelineItem]


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class TimelineView:
    count: str  # "4"
    events: str  # "4 events"
    kinds: list[KindCount]
    months: list[Month]
    chart: Markup | None
    image: str | None


def timeline_view(page: Page, charts: ChartPlacer | None) -> TimelineView:
    lookups = page.lookups
    months: dict[str, tuple[str, list[TimelineItem]]] = {}
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
            TimelineItem(
                kind=event.kind,
                kind_label=wording.EVENT_KINDS[event.kind],
                date=when(event),
                link=page.html_link("events", event_id),
                place=page.html_link("places", event.place) if event.place else None,
                killed=figure_text(highest_toll(event)) if event.killed() is not None else None,
            )
        )
    return TimelineView(
        count=wording.number(len(lookups.events)),
        events=wording.plural(len(lookups.events), "event"),
        kinds=[KindCount(kind, wording.EVENT_KINDS[kind], kinds[kind]) for kind in sorted(kinds)],
        months=[Month(f"m-{key}", title, items) for key, (title, items) in months.items()],
        chart=chart(charts, "timeline", page),
        image=social_image(charts, "timeline"),
    )


# --- home -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeFigure:
    figure: str  # "137"
    what: str  # "events"
    href: str


@dataclass(frozen=True)
class HomeQuestion:
    question: Markup
    counts: str  # "2 for, 0 mixed, 1 against"


@dataclass(frozen=True)
class ExploreLink:
    title: str
    href: str
    what: str = ""


@dataclass(frozen=True)
class HomeView:
    title: str
    description: str | None
    period: str | None
    figures: list[HomeFigure]
    latest: list[EventRow]
    deadliest: list[EventRow]
    questions: list[HomeQuestion]
    pages: list[Markup]
    explore: list[ExploreLink]
    feed: str
    data: str
    corrections: str
    methodology: str
    chart: Markup | None
    image: str | None


# The home page's tour of the sections: (title, file, what it holds).
EXPLORE = (
    ("Timeline", urls.TIMELINE, "every event in order"),
    ("Map", urls.MAP, "where it happened"),
    ("Actors", urls.section_file("actors"), "who is who"),
    ("Events", urls.section_file("events"), "what happened, and the tolls reported"),
    ("Questions", urls.section_file("questions"), "who stands where"),
    ("Places", urls.section_file("places"), "every place named"),
    ("Sources", urls.section_file("sources"), "everything cited"),
)


def home_view(
    page: Page, pages: list[tuple[str, str]], charts: ChartPlacer | None, site: Site, sections: list[Section]
) -> HomeView:
    lookups = page.lookups
    covered = period(lookups)
    deadliest = sorted(
        (eid for eid in lookups.events if lookups.events[eid].killed() is not None),
        key=lambda eid: (-(lookups.events[eid].killed() or 0), eid),
    )[:5]
    latest = list(reversed(lookups.events_in_order))[:5]

    def figure(count: int, one: str, many: str, file: str) -> HomeFigure:
        return HomeFigure(wording.number(count), one if count == 1 else many, page.href_file(file))

    return HomeView(
        title=site.title,
        description=site.description,
        period=span(*covered) if covered else None,
        figures=[
            figure(len(lookups.events), "event", "events", urls.TIMELINE),
            figure(len(lookups.actors), "actor", "actors", urls.section_file("actors")),
            figure(len(lookups.questions), "contested question", "contested questions", urls.section_file("questions")),
            figure(len(lookups.sources), "source cited", "sources cited", urls.section_file("sources")),
        ],
        latest=[event_row(page, eid) for eid in latest],
        deadliest=[
            replace(event_row(page, eid), figure=figure_text(highest_toll(lookups.events[eid]))) for eid in deadliest
        ],
        questions=[
            HomeQuestion(page.link("questions", qid), questions_counts(q)) for qid, q in lookups.questions.items()
        ],
        pages=[Markup(f"[{inline(title)}]({page.href_file(urls.page_file(name))})") for name, title in pages],
        explore=[
            *(ExploreLink(title, page.href_file(file), what) for title, file, what in EXPLORE),
            *(ExploreLink(section.title, page.href_file(section.file)) for section in sections),
        ],
        feed=page.href_file(urls.FEED),
        data=page.href_file(urls.DATA),
        corrections=page.href_file(urls.CORRECTIONS),
        methodology=page.href_file(urls.METHODOLOGY),
        chart=chart(charts, "positions", page),
        image=social_image(charts, "positions"),
    )


def questions_counts(question: Question) -> str:
    counts = Counter(s.stance for s in latest_stances(question).values())
    return f"{counts['for']} for, {counts['mixed']} mixed, {counts['against']} against"
