"""The Syria 2012 dataset in data/ must stay complete: these minimums cannot silently shrink."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


def _load_plain() -> dict[str, dict[str, dict]]:
    """Fallback when the project's loader is unavailable: plain YAML, one mapping per file."""
    import yaml

    collections = {}
    for name in ("actors", "events", "questions", "places", "sources"):
        collections[name] = {
            path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((DATA / name).glob("*.yaml"))
        }
    return collections


def _get(obj, key, default=None):
    """A field of a model or of a plain mapping (`from`/`in` are aliased in the models)."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, {"in": "within"}.get(key, key), default)


@pytest.fixture(scope="module")
def dataset() -> dict[str, dict]:
    try:
        from generator.dataset import load_dataset
    except ImportError:
        return _load_plain()
    loaded, report = load_dataset(DATA)
    assert report.ok, "\n".join(str(d) for d in report.errors)
    return {name: loaded.models(name) for name in ("actors", "events", "questions", "places", "sources")}


def test_minimum_counts(dataset):
    assert len(dataset["actors"]) >= 30
    assert len(dataset["events"]) >= 25
    assert len(dataset["questions"]) >= 8
    assert sum(len(_get(q, "stances")) for q in dataset["questions"].values()) >= 60


def test_five_archived_sources(dataset):
    sources = dataset["sources"]
    assert len(sources) == 5
    for source_id, source in sources.items():
        archive = _get(source, "archive")
        assert archive, f"source {source_id} has no archive"
        if SEEDS.is_dir():
            assert (SEEDS / archive).is_file(), f"source {source_id}: {archive} is not in {SEEDS}"


def test_every_event_has_a_known_place(dataset):
    for event_id, event in dataset["events"].items():
        place = _get(event, "place")
        assert place, f"event {event_id} has no place"
        assert place in dataset["places"], f"event {event_id}: unknown place {place}"


def test_every_place_has_coordinates(dataset):
    for place_id, place in dataset["places"].items():
        lat, lon = _get(place, "lat"), _get(place, "lon")
        assert isinstance(lat, (int, float)) and -90 <= lat <= 90, place_id
        assert isinstance(lon, (int, float)) and -180 <= lon <= 180, place_id


def test_a_change_of_position_is_recorded(dataset):
    """Some actor holds two different stances on one question at different dates."""
    changes = []
    for question_id, question in dataset["questions"].items():
        by_actor = defaultdict(set)
        for stance in _get(question, "stances"):
            by_actor[_get(stance, "actor")].add((str(_get(stance, "date")), _get(stance, "stance")))
        for actor, stances in by_actor.items():
            if len({value for _, value in stances}) > 1 and len({date for date, _ in stances}) > 1:
                changes.append((question_id, actor))
    assert changes, "no actor changes position on any question"
    assert ("assad-leaving-power", "arab-league") in changes
