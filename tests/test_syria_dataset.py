"""The Syria 2012 explainer in data/ must stay valid and complete: its minimums cannot shrink."""

from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import DATA, require_seeds

from explainer.checking.dataset import Dataset
from explainer.checking.validate import validate_data


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    loaded, report = validate_data(DATA)
    assert report.ok, "\n".join(d.format() for d in report.errors)
    return loaded


def test_every_quote_is_verified_against_the_seed_articles() -> None:
    """With the seeds as the archive, every quote is found verbatim and no warning remains."""
    seeds = require_seeds()
    _, report = validate_data(DATA, archive_dir=seeds)
    assert [d.format() for d in report.diagnostics] == []


def test_minimum_counts(dataset: Dataset) -> None:
    questions = dataset.models("questions").values()
    events = dataset.models("events").values()
    assert len(dataset.records("actors")) >= 30
    assert len(dataset.records("events")) >= 25
    assert len(questions) >= 8
    assert sum(len(q.stances) for q in questions) >= 60
    assert sum(len(e.figures) for e in events) >= 10
    assert sum(len(e.claims) for e in events) >= 20


def test_every_actor_kind_the_crisis_needs_is_present(dataset: Dataset) -> None:
    kinds = {actor.kind for actor in dataset.models("actors").values()}
    assert {"person", "state", "organization", "armed-group", "community", "media"} <= kinds


def test_five_archived_sources(dataset: Dataset) -> None:
    sources = dataset.models("sources")
    assert len(sources) == 5
    assert all(source.archive for source in sources.values())


def test_every_event_is_placed_and_has_actors(dataset: Dataset) -> None:
    for event_id, event in dataset.models("events").items():
        assert event.place, f"event {event_id} has no place"
        assert event.actors, f"event {event_id} names no actors"


def test_the_figures_of_different_parties_stand_side_by_side(dataset: Dataset) -> None:
    """Where the UN and activists differ, both numbers are kept."""
    reporters = {f.according_to for e in dataset.models("events").values() for f in e.figures if f.measure == "killed"}
    assert len(reporters) >= 3


def test_changes_of_position_are_recorded(dataset: Dataset) -> None:
    """The Arab League's retreat on Assad stepping aside is recorded as two dated stances."""
    changes = set()
    for question_id, question in dataset.models("questions").items():
        by_actor: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for stance in question.stances:
            by_actor[stance.actor].add((str(stance.date), stance.stance))
        for actor, stances in by_actor.items():
            if len({value for _, value in stances}) > 1 and len({date for date, _ in stances}) > 1:
                changes.add((question_id, actor))
    assert ("assad-leaving-power", "arab-league") in changes
