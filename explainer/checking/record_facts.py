"""What the checks across records need from one record file, extracted once per content.

`extract_facts` reads the values as written (the loader's plain data, with positions), not the
models, so that a record that failed its own checks still has its references, quotes and
stances checked in the same run. The result is small, made of plain tuples, and depends only on
the file's bytes: it is what the parse cache keeps, so that a re-run after one file changed
re-parses one file and still checks every reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from explainer.checking.document import Document
from explainer.checking.document import Path as ValuePath
from explainer.checking.prose import Prose, field_name, prose_values, walk
from explainer.core.ids import as_id

# Where each kind of record names other records: a path ("*" for every item of a list) and the
# collection the id must be in. The single list of reference fields.
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
        (("stances", "*", "according_to"), "actors"),
        (("stances", "*", "sources", "*"), "sources"),
    ),
    "places": ((("in",), "places"),),
    "sources": (),
}
# Lists whose items may carry a `quote` checked against the archives of the item's `sources`.
QUOTED_LISTS = {"events": "claims", "questions": "stances"}
_DATE_TEXT = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z")


class Ref(NamedTuple):
    field: str  # as shown in messages: "claims[0].by"
    line: int
    column: int
    collection: str
    target: str


class StanceKey(NamedTuple):
    number: int  # its place in the stances list
    actor: str
    date: str
    line: int
    column: int


class Quote(NamedTuple):
    field: str  # "claims[1].quote"
    line: int
    column: int
    text: str
    sources: tuple[str, ...]


class Archive(NamedTuple):
    name: str  # "" when the source names no archived text
    line: int  # of its `archive:` value, or of the record's first key when it has none
    column: int


class RecordFacts(NamedTuple):
    references: tuple[Ref, ...]
    stances: tuple[StanceKey, ...]
    quotes: tuple[Quote, ...]
    archive: Archive | None  # sources only, and only when the record passed its own checks
    prose: tuple[Prose, ...]  # the record's own words, for the copied-prose check


class SiteFacts(NamedTuple):
    """What the checks need of site.yaml: the archive folder it names (None: none) and where."""

    archive: str | None
    line: int
    column: int


def reference_paths(collection: str, document: Document) -> Iterator[tuple[ValuePath, str, str]]:
    """(path, collection named, id) for every well-formed id written in the record."""
    for pattern, target_collection in REFERENCE_FIELDS[collection]:
        for path, value in walk(document.data, pattern):
            target = as_id(value)
            if target is not None and not document.is_poisoned(path):
                yield path, target_collection, target


def extract_facts(collection: str, document: Document, archive: str | None = None) -> RecordFacts:
    """The facts of one parsed record file; `archive` is the checked archive name of a source
    ("" when it names none; None when it did not pass its own checks)."""
    references = tuple(
        Ref(field_name(path), *document.at(path), target_collection, target)
        for path, target_collection, target in reference_paths(collection, document)
    )
    stances = []
    if collection == "questions":
        for path, stance in walk(document.data, ("stances", "*")):
            if isinstance(stance, dict):
                actor, date = as_id(stance.get("actor")), _date_text(stance.get("date"))
                if actor is not None and date is not None:
                    stances.append(StanceKey(int(path[-1]), actor, date, *document.at((*path, "date"))))
    quotes = []
    listed = QUOTED_LISTS.get(collection)
    if listed is not None:
        for path, item in walk(document.data, (listed, "*")):
            if not isinstance(item, dict) or document.is_poisoned((*path, "quote")):
                continue
            quote, sources = item.get("quote"), item.get("sources")
            if isinstance(quote, str) and quote.strip() and isinstance(sources, list):
                ids = tuple(s for s in (as_id(value) for value in sources) if s is not None)
                quotes.append(Quote(field_name((*path, "quote")), *document.at((*path, "quote")), quote, ids))
    found = None
    if archive is not None:
        found = Archive(archive, *document.at(("archive",) if archive else ()))
    return RecordFacts(references, tuple(stances), tuple(quotes), found, prose_values(collection, document))


def _date_text(value: Any) -> str | None:
    """The date as the validator normalises it ("2012-03"), for comparing stances; None if invalid."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}" if 0 < value < 10000 else None
    if not isinstance(value, str) or not _DATE_TEXT.match(value.strip()):
        return None
    from explainer.core.dates import PartialDate  # only reached when a file is parsed, never from the cache

    try:
        return str(PartialDate.parse(value))
    except ValueError:
        return None
