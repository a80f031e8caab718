"""Cross-references the pages need, computed once: who backs whom (both directions), which
events an actor or place appears in, which facts cite a source, each actor's stances.

Every list is sorted, so pages come out the same on every build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from explainer.checking.dataset import Dataset
from explainer.checking.models import Actor, Claim, Event, Place, Question, Relation, Source, Stance
from explainer.core import wording
from explainer.core.dates import PartialDate


@dataclass(frozen=True)
class Citation:
    """One fact that cites a source: on which page it is and what it is."""

    collection: str
    record_id: str
    what: str


@dataclass
class Lookups:
    actors: dict[str, Actor]
    events: dict[str, Event]
    questions: dict[str, Question]
    places: dict[str, Place]
    sources: dict[str, Source]
    events_in_order: list[str] = field(default_factory=list)
    incoming: dict[str, list[tuple[str, Relation]]] = field(default_factory=dict)
    events_of_actor: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    claims_of_actor: dict[str, list[tuple[str, Claim]]] = field(default_factory=dict)
    stances_of_actor: dict[str, dict[str, list[Stance]]] = field(default_factory=dict)
    events_at_place: dict[str, list[str]] = field(default_factory=dict)
    places_within: dict[str, list[str]] = field(default_factory=dict)
    citations: dict[str, list[Citation]] = field(default_factory=dict)

    def actor_name(self, actor_id: str) -> str:
        return self.actors[actor_id].name

    def reported_killed(self, event_id: str) -> int | None:
        return self.events[event_id].killed()


def event_order_key(item: tuple[str, Event]) -> tuple[tuple[int, int, int], str]:
    return item[1].date.sort_key, item[0]


def build_lookups(dataset: Dataset) -> Lookups:
    actors: dict[str, Actor] = dict(sorted(dataset.models("actors").items()))
    events: dict[str, Event] = dict(sorted(dataset.models("events").items()))
    questions: dict[str, Question] = dict(sorted(dataset.models("questions").items()))
    places: dict[str, Place] = dict(sorted(dataset.models("places").items()))
    sources: dict[str, Source] = dict(sorted(dataset.models("sources").items()))
    lookups = Lookups(actors, events, questions, places, sources)
    lookups.events_in_order = [eid for eid, _ in sorted(events.items(), key=event_order_key)]

    incoming: dict[str, list[tuple[str, Relation]]] = defaultdict(list)
    citations: dict[str, list[Citation]] = defaultdict(list)

    def cite(source_ids: list[str], collection: str, record_id: str, what: str) -> None:
        for source_id in dict.fromkeys(source_ids):
            citations[source_id].append(Citation(collection, record_id, what))

    for actor_id, actor in actors.items():
        cite(actor.sources, "actors", actor_id, "profile")
        for role in actor.roles:
            cite(role.sources, "actors", actor_id, f"role: {role.title}")
        for relation in actor.relations:
            incoming[relation.actor].append((actor_id, relation))
            cite(
                relation.sources,
                "actors",
                actor_id,
                f"relation: {wording.RELATIONS[relation.kind]} {actors[relation.actor].name}",
            )

    events_of_actor: dict[str, list[tuple[str, str]]] = defaultdict(list)
    claims_of_actor: dict[str, list[tuple[str, Claim]]] = defaultdict(list)
    events_at_place: dict[str, list[str]] = defaultdict(list)
    for event_id in lookups.events_in_order:
        event = events[event_id]
        cite(event.sources, "events", event_id, "event")
        for participant in event.actors:
            events_of_actor[participant.actor].append((event_id, participant.role))
        for figure in event.figures:
            cite(figure.sources, "events", event_id, f"figure: {wording.MEASURES[figure.measure]}")
        for claim in event.claims:
            claims_of_actor[claim.by].append((event_id, claim))
            cite(claim.sources, "events", event_id, f"claim by {actors[claim.by].name}")
        if event.place:
            events_at_place[event.place].append(event_id)

    stances_of_actor: dict[str, dict[str, list[Stance]]] = defaultdict(dict)
    for question_id, question in questions.items():
        for stance in sorted(question.stances, key=stance_order_key):
            stances_of_actor[stance.actor].setdefault(question_id, []).append(stance)
            cite(stance.sources, "questions", question_id, f"stance of {actors[stance.actor].name}")

    places_within: dict[str, list[str]] = defaultdict(list)
    for place_id, place in places.items():
        if place.within:
            places_within[place.within].append(place_id)

    lookups.incoming = {key: sorted(value, key=lambda item: (item[0], item[1].kind)) for key, value in incoming.items()}
    lookups.events_of_actor = dict(events_of_actor)
    lookups.claims_of_actor = dict(claims_of_actor)
    lookups.stances_of_actor = dict(stances_of_actor)
    lookups.events_at_place = dict(events_at_place)
    lookups.places_within = dict(places_within)
    lookups.citations = {key: sorted(value, key=_citation_key) for key, value in citations.items()}
    return lookups


def stance_order_key(stance: Stance) -> tuple[tuple[int, int, int], str]:
    return stance.date.sort_key, stance.actor


def _citation_key(citation: Citation) -> tuple[int, str, str]:
    order = {"events": 0, "actors": 1, "questions": 2}
    return order[citation.collection], citation.record_id, citation.what


def period(lookups: Lookups) -> tuple[PartialDate, PartialDate] | None:
    """The first and last dates the events cover."""
    if not lookups.events:
        return None
    ordered = [lookups.events[eid] for eid in lookups.events_in_order]
    first = ordered[0].date
    last = max((e.end_date or e.date for e in ordered), key=lambda d: d.last_day)
    return first, last
