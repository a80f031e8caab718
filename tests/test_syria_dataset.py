"""The Syria 2012 explainer in data/ must stay valid and complete (its minimums cannot shrink),
and follow the mechanical rules of docs/methodology.md: every stance carries the actor's own quote
or names who reports it, and no source detail is recorded that its archived text does not contain."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import DATA, SEEDS, require_seeds

from explainer.checking.dataset import Dataset
from explainer.checking.validate import check_data, validate_data
from explainer.commands.cli import main


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


def test_strict_validation_finds_the_seeds_through_site_yaml(tmp_path: Path) -> None:
    """`explainer validate --strict` with no --archive: site.yaml's `archive:` leads to the seeds,
    and there is no error and no warning (strict would fail on one), by either way in."""
    require_seeds()
    _, report = validate_data(DATA)
    assert [d.format() for d in report.diagnostics] == []
    for _ in range(2):  # the second run from the cache
        quick = check_data(DATA, cache_dir=tmp_path)
        assert [d.format() for d in quick.report.diagnostics] == []
    assert quick.parsed == 0
    assert main(["validate", "--data", str(DATA), "--strict", "--no-cache"]) == 0


def test_no_prose_is_copied_from_the_seeds(tmp_path: Path) -> None:
    """Summaries, notes, claims, corrections and pages in our own words: no run of eight words
    of a seed outside quotation marks. The check is live: one copied sentence is caught."""
    seeds = require_seeds()
    _, report = validate_data(DATA, archive_dir=seeds)
    assert [d.format() for d in report.diagnostics if d.code == "copied-prose"] == []
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    seed = sorted(seeds.glob("*.txt"))[0].read_text(encoding="utf-8")
    sentence = max((s.strip() for s in re.split(r"[.!?]\s", seed) if '"' not in s and "“" not in s), key=len)
    page = data / "pages" / "copied.md"
    page.write_text(f"# Copied\n\n{' '.join(sentence.split())}.\n", encoding="utf-8")
    _, report = validate_data(data, archive_dir=seeds)
    assert [(d.path, d.line, d.code) for d in report.diagnostics] == [(str(page), 3, "copied-prose")]


def test_minimum_counts(dataset: Dataset) -> None:
    questions = dataset.models("questions").values()
    events = dataset.models("events").values()
    assert len(dataset.records("actors")) >= 30
    assert len(dataset.records("events")) >= 25
    assert len(questions) >= 8
    # Issue 12 removed 13 stances that were analysts' readings or predictions, positions on another
    # question, or a group's position given to one state (see the questions' corrections): 84 -> 71.
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


def test_every_stance_has_the_actors_own_quote_or_names_who_reports_it(dataset: Dataset) -> None:
    """A stance without the actor's own words is someone else's report of it: `according_to` says whose."""
    unsupported = [
        f"{question_id}: stances[{index}] ({stance.actor}, {stance.date})"
        for question_id, question in dataset.models("questions").items()
        for index, stance in enumerate(question.stances)
        if not stance.quote and not stance.according_to
    ]
    assert unsupported == []


def test_stances_are_reported_by_someone_other_than_the_actor(dataset: Dataset) -> None:
    """`according_to` names a reporter; an actor reporting its own position needs a quote instead."""
    selfreported = [
        f"{question_id}: {stance.actor}"
        for question_id, question in dataset.models("questions").items()
        for stance in question.stances
        if stance.according_to == stance.actor
    ]
    assert selfreported == []


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def test_source_details_appear_in_the_archived_text(dataset: Dataset) -> None:
    """An author or address must be in the archive; a publisher too, or it says it is not named there."""
    seeds = require_seeds()
    problems = []
    for source_id, source in dataset.models("sources").items():
        assert source.archive, source_id
        archived = _folded((seeds / source.archive).read_text(encoding="utf-8"))
        if source.author and _folded(source.author) not in archived:
            problems.append(f"{source_id}: author {source.author!r}")
        if source.url and _folded(str(source.url)) not in archived:
            problems.append(f"{source_id}: url {source.url}")
        publisher = source.publisher.split(" (")[0]
        if not publisher.startswith("Not named in the archived text") and _folded(publisher) not in archived:
            problems.append(f"{source_id}: publisher {source.publisher!r}")
    assert problems == []


def test_site_names_its_licence_and_an_archive_folder_holding_every_source(dataset: Dataset) -> None:
    site = dataset.site
    assert site.license == "CC-BY-4.0"
    assert site.archive
    folder = (DATA / site.archive).resolve()
    if SEEDS.is_dir():
        assert folder == SEEDS.resolve()
        missing = [s.archive for s in dataset.models("sources").values() if not (folder / s.archive).is_file()]
        assert missing == []
