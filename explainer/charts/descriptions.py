"""Facts the chart families share, described in words: events in order, reported figures and
stances in words, who an actor is called on a chart, how a source is credited. Pure functions
of the dataset; the words for the format's values come from `explainer.core.wording`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from explainer.charts import chart as c
from explainer.checking.dataset import Dataset
from explainer.checking.models import Actor, Event, Figure, Place, Question, Stance
from explainer.core import wording
from explainer.core.dates import PartialDate


def events_in_order(dataset: Dataset) -> list[tuple[str, Event]]:
    """Every event, earliest first; at the same date, by id."""
    events: dict[str, Event] = dataset.models("events")
    return sorted(events.items(), key=lambda item: (item[1].date.sort_key, item[0]))


def events_by_actor(dataset: Dataset) -> dict[str, list[tuple[str, Event]]]:
    """Each actor's events, earliest first (one pass over the events)."""
    index: dict[str, list[tuple[str, Event]]] = {}
    for event_id, event in events_in_order(dataset):
        for actor_id in sorted({p.actor for p in event.actors}):
            index.setdefault(actor_id, []).append((event_id, event))
    return index


def actor_label(dataset: Dataset, actor_id: str | None) -> str:
    if actor_id is None:
        return "Unattributed"
    record = dataset.records("actors").get(actor_id)
    actor: Actor | None = record.model if record is not None else None
    return actor.label if actor is not None else actor_id


def according_to(dataset: Dataset, actor_id: str) -> str:
    """ "according to UN": who reports a figure, or a stance the actor is not quoted on."""
    return f"according to {actor_label(dataset, actor_id)}"


def figure_amount(figure: Figure) -> str:
    """ "at least 90", "about 108", "5", "90-108" (en dash): never more exact than reported."""
    if figure.value is None:
        return f"{wording.number(figure.low)}–{wording.number(figure.high)}"
    return f"{wording.QUALIFIERS[figure.qualifier]}{wording.number(figure.value)}"


def figure_words(dataset: Dataset, figure: Figure) -> str:
    """ "at least 90 killed, according to UN" """
    words = f"{figure_amount(figure)} {wording.MEASURES[figure.measure]}"
    if figure.according_to:
        words += ", " + according_to(dataset, figure.according_to)
    return words


def stance_words(dataset: Dataset, stance: Stance) -> str:
    """ "Against", or "Against, according to Reuters" for a position someone else reports."""
    words = wording.STANCES[stance.stance]
    if stance.according_to:
        words += ", " + according_to(dataset, stance.according_to)
    return words


def stance_reporter(dataset: Dataset, stance: Stance) -> str:
    """Who reports a stance, for a chart table's "According to" column ("" for the actor's own words)."""
    return actor_label(dataset, stance.according_to) if stance.according_to else ""


def killed_figures(event: Event) -> list[Figure]:
    return [figure for figure in event.figures if figure.measure == "killed"]


def source_label(dataset: Dataset, source_id: str) -> str:
    record = dataset.records("sources").get(source_id)
    if record is None:
        return source_id
    source = record.model
    return f"{source.publisher}, “{source.title}” ({source.date.display()})"


def event_sources(event: Event) -> set[str]:
    ids = set(event.sources)
    for figure in event.figures:
        ids.update(figure.sources)
    for claim in event.claims:
        ids.update(claim.sources)
    return ids


def stances_in_order(question: Question) -> list[Stance]:
    return sorted(question.stances, key=lambda s: (s.date.sort_key, s.actor))


def sorted_sources(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids)))


def models(dataset: Dataset, collection: str) -> dict[str, Any]:
    return dataset.models(collection)


def stance_detail_lines(dataset: Dataset, stance: Stance) -> list[str]:
    """A stance's quote, note and sources as hover lines (escaped, wrapped)."""
    lines = []
    if stance.quote:
        lines.append(c.wrap(c.escape(f"“{stance.quote}”"), 60))
    if stance.note:
        lines.append(c.wrap(c.escape(c.plain(stance.note)), 60))
    lines.append(c.wrap(c.escape("Source: " + "; ".join(source_label(dataset, x) for x in stance.sources)), 60))
    return lines


def figure_as_of(dataset: Dataset, event: Event, figure: Figure) -> PartialDate:
    """The date a reported number refers to or was reported: its `as_of`; else the date of
    the earliest source reporting it; else (a source without a record) the event's date."""
    if figure.as_of is not None:
        return figure.as_of
    sources = dataset.records("sources")
    dates: list[PartialDate] = [sources[sid].model.date for sid in figure.sources if sid in sources]
    if dates:
        return min(dates, key=lambda d: d.sort_key)
    return event.date


def is_cumulative(event: Event, as_of: PartialDate) -> bool:
    """Whether a figure counts over a period ("at least 8,000 since March 2011"): the event
    lasts more than a day (a date range, or a month or a year), and the figure dates from after
    its first day."""
    start, end = c.span(event.date, event.end_date)
    return start != end and as_of.first_day > start


def place_ancestors(dataset: Dataset, place_id: str) -> list[str]:
    """The places a place lies in (`in:`), nearest first; a cycle (never valid) stops the walk."""
    records = dataset.collections["places"]  # not `models()`, a new dict each call: this runs per event

    def within(pid: str) -> str | None:
        place: Place | None = records[pid].model
        return place.within if place is not None else None

    found: list[str] = []
    current = within(place_id) if place_id in records else None
    while current is not None and current in records and current not in found and current != place_id:
        found.append(current)
        current = within(current)
    return found


def events_within(dataset: Dataset, place_id: str) -> list[tuple[str, Event]]:
    """Every event at a place or at any place inside it (UN headquarters inside New York
    City, Baba Amr inside Homs), earliest first: what a place page lists, and what the map
    counts for it."""
    return [
        (eid, event)
        for eid, event in events_in_order(dataset)
        if event.place is not None and (event.place == place_id or place_id in place_ancestors(dataset, event.place))
    ]


NEAR_KM = 10.0
"""A place this close to the place it lies in (a building in its city, a district of its
town) is drawn as part of it on the map."""
AREAS = frozenset({"country", "region", "governorate", "province", "state"})
"""Kinds of place that are areas, not towns: a town is never drawn as the area it lies in."""


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def map_place(dataset: Dataset, place_id: str) -> str:
    """The place an event's place is drawn as on the map: the largest place it lies in that
    is still within `NEAR_KM` of it and is not an area (UN headquarters -> New York City,
    Baba Amr -> Homs; Hama stays Hama rather than its governorate)."""
    records = dataset.collections["places"]
    parents = place_ancestors(dataset, place_id)  # empty when the place is unknown
    places: dict[str, Place] = {pid: records[pid].model for pid in (place_id, *parents) if pid in records}
    shown = place_id
    for parent in parents:
        if (places[parent].kind or "").lower() in AREAS or distance_km(places[place_id], places[parent]) > NEAR_KM:
            break
        shown = parent
    return shown
