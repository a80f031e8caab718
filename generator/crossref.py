"""Stage 2: checks that need more than one record: references, orderings, quotes, page links.

These checks read the values as written (the loader's plain data), not the models, so that they
also run on a record that failed its own checks: a file with a misspelt `kind` still has its
unknown actor ids reported in the same run. Values of the wrong shape are skipped here; the
model has already reported them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.dataset import Dataset, Record, shown_path
from generator.dates import PartialDate
from generator.diagnostics import Report, did_you_mean
from generator.loader import Path as ValuePath
from generator.model_errors import field_name
from generator.models import _ID, COLLECTIONS, ID_MAX_LENGTH, Source
from generator.quotes import fold

_SINGULAR = {"actors": "actor", "events": "event", "questions": "question", "places": "place", "sources": "source"}
_PAGE_LINK = re.compile(r"\]\(\s*<?((?:\.\./|/)*)(actors|events|questions|places|sources)/([^/)#?\s>]+)")

# Where each kind of record names other records: a path ("*" for every item of a list) and the
# collection the id must be in. The single list of reference fields: pages and charts that need
# back-links use `iter_references`, which reads it.
REFERENCE_FIELDS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "actors": (
        (("sources", "*"), "sources"),
        (("roles", "*", "of"), "actors"),
        (("roles", "*", "sources", "*"), "sources"),
        (("relations", "*", "actor"), "actors"),
        (("relations", "*", "sources", "*"), "sources"),
    ),
    "events": (
        (("sources", "*"), "sources"),
        (("place",), "places"),
        (("actors", "*", "actor"), "actors"),
        (("figures", "*", "according_to"), "actors"),
        (("figures", "*", "sources", "*"), "sources"),
        (("claims", "*", "by"), "actors"),
        (("claims", "*", "sources", "*"), "sources"),
    ),
    "questions": (
        (("stances", "*", "actor"), "actors"),
        (("stances", "*", "sources", "*"), "sources"),
    ),
    "places": ((("in",), "places"),),
    "sources": (),
}
# Lists whose items may carry a `quote` checked against the archives of the item's `sources`.
QUOTED_LISTS = {"events": "claims", "questions": "stances"}


@dataclass(frozen=True)
class Reference:
    """A value at `path` in `record` that names a record of `collection`."""

    record: Record
    path: ValuePath
    collection: str
    target: str


def check_dataset(
    dataset: Dataset, report: Report, archive_dir: Path | None = None, archive_shown: str | None = None
) -> None:
    """Report every cross-record problem. `archive_dir` defaults to the data folder's archive/."""
    for reference in iter_references(dataset):
        _check_reference(dataset, reference, report)
    _check_self_references(dataset, report)
    _check_places(dataset, report)
    _check_stances(dataset, report)
    if archive_dir is None:
        archive_dir = dataset.data_dir / "archive"
        archive_shown = shown_path(dataset.shown_dir, "archive")
    _check_quotes(dataset, report, archive_dir, archive_shown or str(archive_dir))
    _check_page_links(dataset, report)


def iter_references(dataset: Dataset) -> Iterator[Reference]:
    """Every well-formed id written in the data, with where it was written and what it must name.

    Covers records that failed their own checks too (their `model` is None)."""
    for record in dataset.all_documents():
        for pattern, collection in REFERENCE_FIELDS[record.collection]:
            for path, value in _walk(record.document.data, pattern, ()):
                target = as_id(value)
                if target is not None and not record.document.is_poisoned(path):
                    yield Reference(record, path, collection, target)


def as_id(value: Any) -> str | None:
    """The id a written value stands for, or None if it is not a well-formed id (the model says why)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and len(value) <= ID_MAX_LENGTH and _ID.match(value):
        return value
    return None


def _walk(data: Any, pattern: tuple[str, ...], path: ValuePath) -> Iterator[tuple[ValuePath, Any]]:
    """The values at `pattern` ("*" = every item of a list) in plain loaded data."""
    if not pattern:
        yield path, data
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _walk(item, rest, (*path, index))
    elif isinstance(data, dict) and step in data:
        yield from _walk(data[step], rest, (*path, step))


def _check_reference(dataset: Dataset, ref: Reference, report: Report) -> None:
    known = dataset.records(ref.collection)
    if ref.target in known or ref.target in dataset.broken.get(ref.collection, ()):
        return
    line, column = ref.record.at(*ref.path)
    noun = _SINGULAR[ref.collection]
    hint = did_you_mean(ref.target, known)
    report.error(
        ref.record.path, line, column, "unknown-id", f"{field_name(ref.path)}: unknown {noun} '{ref.target}'{hint}"
    )


def _check_self_references(dataset: Dataset, report: Report) -> None:
    for record in dataset.all_documents():
        if record.collection != "actors":
            continue
        data = record.document.data
        for path, value in _walk(data, ("relations", "*", "actor"), ()):
            if as_id(value) == record.id:
                line, column = record.at(*path)
                message = f"{field_name(path)}: an actor cannot relate to itself"
                report.error(record.path, line, column, "self-reference", message)
        for path, value in _walk(data, ("roles", "*", "of"), ()):
            if as_id(value) == record.id:
                line, column = record.at(*path)
                message = f"{field_name(path)}: a role cannot be held in the actor itself"
                report.error(record.path, line, column, "self-reference", message)


def _check_places(dataset: Dataset, report: Report) -> None:
    """A place may not lie, directly or through others, inside itself."""
    places = [record for record in dataset.all_documents() if record.collection == "places"]
    within = {record.id: as_id(record.document.data.get("in")) for record in places}
    for record in places:
        chain = [record.id]
        current = within[record.id]
        while current in within and current not in chain:
            chain.append(current)
            current = within[current]
        if current == record.id:
            line, column = record.at("in")
            path = " -> ".join([*chain, record.id])
            report.error(record.path, line, column, "cycle", f"in: '{record.id}' would lie inside itself ({path})")


def _check_stances(dataset: Dataset, report: Report) -> None:
    """One stance per actor and date: two would make "where they stood" ambiguous."""
    for record in dataset.all_documents():
        if record.collection != "questions":
            continue
        first: dict[tuple[str, str], int] = {}
        for path, stance in _walk(record.document.data, ("stances", "*"), ()):
            if not isinstance(stance, dict):
                continue
            actor, date = as_id(stance.get("actor")), _date_text(stance.get("date"))
            if actor is None or date is None:
                continue
            index = int(path[-1])
            if (actor, date) in first:
                line, column = record.at(*path, "date")
                report.error(
                    record.path, line, column, "duplicate-stance",
                    f"stances[{index}]: '{actor}' already has a stance dated {date} (stances[{first[actor, date]}])",
                )  # fmt: skip
            else:
                first[actor, date] = index


def _date_text(value: Any) -> str | None:
    try:
        return str(PartialDate.parse(value))
    except ValueError:
        return None


def _check_quotes(dataset: Dataset, report: Report, archive_dir: Path, archive_shown: str) -> None:
    """Every quote must stand verbatim in the archived text of each source it cites."""
    texts: dict[str, str] = {}
    for source_id, record in dataset.records("sources").items():
        source: Source = record.model
        if source.archive is None:
            continue
        line, column = record.at("archive")
        target = archive_dir / source.archive
        shown = os.path.join(archive_shown, source.archive)  # noqa: PTH118 - the path as the user wrote it
        try:
            inside = target.resolve().is_relative_to(archive_dir.resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            message = f"archive: '{source.archive}' leaves the archive folder {archive_shown}"
            report.error(record.path, line, column, "archive-outside", message)
            continue
        if not target.is_file():
            message = f"archive: {shown} not found; quotes citing '{source_id}' are not checked"
            report.warning(record.path, line, column, "archive-missing", message)
            continue
        try:
            texts[source_id] = fold(target.read_bytes().decode("utf-8-sig", errors="replace"))
        except OSError as exc:
            message = f"archive: cannot read {shown}: {exc.strerror or exc}"
            report.warning(record.path, line, column, "archive-unreadable", message)

    for record in dataset.all_documents():
        for path, quote, sources in _quotes(record):
            for source_id in sources:
                text = texts.get(source_id)
                if text is not None and fold(quote) not in text:
                    line, column = record.at(*path, "quote")
                    short = quote if len(quote) <= 60 else quote[:57] + "..."
                    report.error(
                        record.path, line, column, "quote-not-found",
                        f"{field_name((*path, 'quote'))}: the quote \"{short}\" "
                        f"does not appear in the archived text of source '{source_id}'",
                    )  # fmt: skip


def _quotes(record: Record) -> Iterator[tuple[ValuePath, str, list[str]]]:
    """(path of the item, its quote, the source ids it cites) for every quoted item."""
    listed = QUOTED_LISTS.get(record.collection)
    if listed is None:
        return
    for path, item in _walk(record.document.data, (listed, "*"), ()):
        if not isinstance(item, dict) or record.document.is_poisoned((*path, "quote")):
            continue
        quote, sources = item.get("quote"), item.get("sources")
        if isinstance(quote, str) and quote.strip() and isinstance(sources, list):
            yield path, quote, [s for s in (as_id(value) for value in sources) if s is not None]


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


__all__ = ["COLLECTIONS", "REFERENCE_FIELDS", "Reference", "as_id", "check_dataset", "iter_references"]
