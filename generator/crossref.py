"""Stage 2: checks that need more than one record: references, orderings, quotes, page links."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.dataset import Dataset, Record, shown_path
from generator.diagnostics import Report, did_you_mean
from generator.loader import Path as ValuePath
from generator.model_errors import field_name
from generator.models import COLLECTIONS, Actor, Event, Place, Question, Source
from generator.quotes import fold

_SINGULAR = {"actors": "actor", "events": "event", "questions": "question", "places": "place", "sources": "source"}
_PAGE_LINK = re.compile(r"\]\(\s*<?((?:\.\./|/)*)(actors|events|questions|places|sources)/([^/)#?\s>]+)")


@dataclass(frozen=True)
class Reference:
    """A value at `path` in `record` that names a record of `collection`."""

    record: Record
    path: ValuePath
    collection: str
    target: str


def check_dataset(dataset: Dataset, report: Report, archive_dir: Path | None = None, archive_shown: str | None = None) -> None:
    """Report every cross-record problem. `archive_dir` defaults to the data folder's archive/."""
    for reference in iter_references(dataset):
        _check_reference(dataset, reference, report)
    _check_actors(dataset, report)
    _check_places(dataset, report)
    _check_stances(dataset, report)
    if archive_dir is None:
        archive_dir = dataset.data_dir / "archive"
        archive_shown = shown_path(dataset.shown_dir, "archive")
    _check_quotes(dataset, report, archive_dir, archive_shown or str(archive_dir))
    _check_page_links(dataset, report)


def iter_references(dataset: Dataset) -> Iterator[Reference]:
    """Every id written in the data, with where it was written and what it must name."""
    for record in dataset.all_records():
        model = record.model
        yield from _sources(record, (), getattr(model, "sources", None) or [])
        if isinstance(model, Actor):
            for i, role in enumerate(model.roles):
                if role.of:
                    yield Reference(record, ("roles", i, "of"), "actors", role.of)
                yield from _sources(record, ("roles", i), role.sources)
            for i, relation in enumerate(model.relations):
                yield Reference(record, ("relations", i, "actor"), "actors", relation.actor)
                yield from _sources(record, ("relations", i), relation.sources)
        elif isinstance(model, Event):
            if model.place:
                yield Reference(record, ("place",), "places", model.place)
            for i, participant in enumerate(model.actors):
                yield Reference(record, ("actors", i, "actor"), "actors", participant.actor)
            for i, figure in enumerate(model.figures):
                if figure.according_to:
                    yield Reference(record, ("figures", i, "according_to"), "actors", figure.according_to)
                yield from _sources(record, ("figures", i), figure.sources)
            for i, claim in enumerate(model.claims):
                yield Reference(record, ("claims", i, "by"), "actors", claim.by)
                yield from _sources(record, ("claims", i), claim.sources)
        elif isinstance(model, Question):
            for i, stance in enumerate(model.stances):
                yield Reference(record, ("stances", i, "actor"), "actors", stance.actor)
                yield from _sources(record, ("stances", i), stance.sources)
        elif isinstance(model, Place) and model.within:
            yield Reference(record, ("in",), "places", model.within)


def _sources(record: Record, path: ValuePath, ids: list[str]) -> Iterator[Reference]:
    for i, source_id in enumerate(ids):
        yield Reference(record, (*path, "sources", i), "sources", source_id)


def _check_reference(dataset: Dataset, ref: Reference, report: Report) -> None:
    known = dataset.records(ref.collection)
    if ref.target in known or ref.target in dataset.broken.get(ref.collection, ()):
        return
    line, column = ref.record.at(*ref.path)
    noun = _SINGULAR[ref.collection]
    hint = did_you_mean(ref.target, known)
    report.error(
        ref.record.path, line, column, "unknown-id", f"{_field(ref.path)}: unknown {noun} '{ref.target}'{hint}"
    )


_field = field_name


def _check_actors(dataset: Dataset, report: Report) -> None:
    for record in dataset.records("actors").values():
        actor: Actor = record.model
        for i, relation in enumerate(actor.relations):
            if relation.actor == record.id:
                line, column = record.at("relations", i, "actor")
                report.error(record.path, line, column, "self-reference", f"relations[{i}]: an actor cannot relate to itself")
        for i, role in enumerate(actor.roles):
            if role.of == record.id:
                line, column = record.at("roles", i, "of")
                report.error(record.path, line, column, "self-reference", f"roles[{i}].of: a role cannot be held in the actor itself")


def _check_places(dataset: Dataset, report: Report) -> None:
    """A place may not lie, directly or through others, inside itself."""
    places = dataset.models("places")
    for place_id, record in dataset.records("places").items():
        seen = {place_id}
        current = places[place_id].within
        while current in places:
            if current in seen:
                line, column = record.at("in")
                report.error(record.path, line, column, "cycle", f"in: '{place_id}' would lie inside itself (through '{current}')")
                break
            seen.add(current)
            current = places[current].within


def _check_stances(dataset: Dataset, report: Report) -> None:
    """One stance per actor and date: two would make "where they stood" ambiguous."""
    for record in dataset.records("questions").values():
        question: Question = record.model
        first: dict[tuple[str, str], int] = {}
        for i, stance in enumerate(question.stances):
            key = (stance.actor, str(stance.date))
            if key in first:
                line, column = record.at("stances", i, "date")
                report.error(
                    record.path, line, column, "duplicate-stance",
                    f"stances[{i}]: '{stance.actor}' already has a stance dated {stance.date} (stances[{first[key]}])",
                )  # fmt: skip
            else:
                first[key] = i


def _check_quotes(dataset: Dataset, report: Report, archive_dir: Path, archive_shown: str) -> None:
    """Every quote must stand verbatim in the archived text of each source it cites."""
    texts: dict[str, str | None] = {}
    for source_id, record in dataset.records("sources").items():
        source: Source = record.model
        if source.archive is None:
            continue
        line, column = record.at("archive")
        target = archive_dir / source.archive
        shown = os.path.join(archive_shown, source.archive)
        try:
            inside = target.resolve().is_relative_to(archive_dir.resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            report.error(record.path, line, column, "archive-outside", f"archive: '{source.archive}' leaves the archive folder {archive_shown}")
            continue
        if not target.is_file():
            report.warning(record.path, line, column, "archive-missing", f"archive: {shown} not found; quotes citing '{source_id}' are not checked")
            continue
        try:
            texts[source_id] = fold(target.read_bytes().decode("utf-8-sig", errors="replace"))
        except OSError as exc:
            report.warning(record.path, line, column, "archive-unreadable", f"archive: cannot read {shown}: {exc.strerror or exc}")

    for record in dataset.all_records():
        for path, quote, sources in _quotes(record):
            for source_id in sources:
                text = texts.get(source_id)
                if text is not None and fold(quote) not in text:
                    line, column = record.at(*path, "quote")
                    short = quote if len(quote) <= 60 else quote[:57] + "..."
                    report.error(
                        record.path, line, column, "quote-not-found",
                        f"{_field((*path, 'quote'))}: the quote \"{short}\" does not appear in the archived text of source '{source_id}'",
                    )  # fmt: skip


def _quotes(record: Record) -> Iterator[tuple[ValuePath, str, list[str]]]:
    model = record.model
    if isinstance(model, Event):
        for i, claim in enumerate(model.claims):
            if claim.quote:
                yield ("claims", i), claim.quote, claim.sources
    elif isinstance(model, Question):
        for i, stance in enumerate(model.stances):
            if stance.quote:
                yield ("stances", i), stance.quote, stance.sources


def _check_page_links(dataset: Dataset, report: Report) -> None:
    """A hand-written page's links to records must name records that exist."""
    for page in dataset.pages.values():
        for number, line in enumerate(page.text.splitlines(), start=1):
            for match in _PAGE_LINK.finditer(line):
                collection, target = match.group(2), match.group(3)
                known = dataset.records(collection)
                if target not in known and target not in dataset.broken.get(collection, ()):
                    noun = _SINGULAR[collection]
                    report.error(
                        page.path, number, match.start(2) + 1, "unknown-id",
                        f"link to unknown {noun} '{target}'{did_you_mean(target, known)}",
                    )  # fmt: skip


__all__ = ["COLLECTIONS", "Reference", "check_dataset", "iter_references"]
