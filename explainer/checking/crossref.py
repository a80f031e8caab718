"""Stage 2: checks that need more than one record: references, orderings, quotes, copied prose, page links.

They work on the facts extracted from each file (`explainer.checking.record_facts`): the values as written,
not the models, so that a record that failed its own checks still has its unknown ids, quotes
and duplicate stances reported in the same run; and so that `explainer validate` can run them
from the parse cache without loading a single model.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, cast

from explainer.checking.archive import ArchiveFolder
from explainer.checking.document import MAX_ARCHIVE_BYTES, FileRefused, read_regular_file
from explainer.checking.document import Path as ValuePath
from explainer.checking.folder import Page
from explainer.checking.prose import locate
from explainer.checking.quotes import fold
from explainer.checking.record_facts import QUOTED_LISTS, REFERENCE_FIELDS, RecordFacts, StanceKey, reference_paths
from explainer.core.diagnostics import Report, did_you_mean
from explainer.core.ids import COLLECTIONS, SINGULAR, as_id

if TYPE_CHECKING:
    from explainer.checking.dataset import Dataset, Record

_PAGE_LINK = re.compile(r"\]\(\s*<?((?:\.\./|/)*)(actors|events|questions|places|sources)/([^/)#?\s>]+)")
_SELF_FIELD = re.compile(r"(relations\[[0-9]+\]\.actor|roles\[[0-9]+\]\.of)\Z")


class Entry(NamedTuple):
    """One record file as the checks across records see it."""

    collection: str
    id: str
    path: str
    facts: RecordFacts | None  # None: the file did not parse
    valid: bool  # passed its own checks


@dataclass(frozen=True)
class Reference:
    """A value at `path` in `record` that names a record of `collection`."""

    record: Record
    path: ValuePath
    collection: str
    target: str


def check_dataset(dataset: Dataset, report: Report, archive: ArchiveFolder) -> None:
    """Report every cross-record problem of a loaded dataset, against the archive folder `archive`."""
    entries = [
        Entry(record.collection, record.id, record.path, cast("RecordFacts | None", record.facts), bool(record.model))
        for record in dataset.all_documents()
    ]
    entries += [
        Entry(collection, record_id, "", None, False)
        for collection, ids in dataset.broken.items()
        for record_id in ids
        if record_id not in dataset.failed.get(collection, {})
    ]
    check_records(entries, dataset.pages.values(), report, archive)


def check_records(entries: list[Entry], pages: Iterable[Page], report: Report, archive: ArchiveFolder) -> None:
    """Report every cross-record problem among `entries` (every record file of the folder), the
    quotes and the copied prose checked against the texts of the archive folder."""
    known: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    broken: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    for entry in entries:
        (known if entry.valid else broken)[entry.collection].add(entry.id)
    # Facts are unpacked, not read by attribute: from the cache they are plain tuples (fast to load).
    for entry in entries:
        if entry.facts is None:
            continue
        references, stances = entry.facts[0], entry.facts[1]
        for field, line, column, collection, target in references:
            if target not in known[collection] and target not in broken[collection]:
                hint = did_you_mean(target, known[collection])
                message = f"{field}: unknown {SINGULAR[collection]} '{target}'{hint}"
                report.error(entry.path, line, column, "unknown-id", message)
            elif entry.collection == "actors" and target == entry.id and _SELF_FIELD.match(field):
                what = (
                    "an actor cannot relate to itself"
                    if field.startswith("relations")
                    else ("a role cannot be held in the actor itself")
                )
                report.error(entry.path, line, column, "self-reference", f"{field}: {what}")
        _check_stances(entry.path, stances, report)
    _check_places(entries, report)
    pages = list(pages)
    texts = _check_quotes(entries, report, archive)
    if texts:
        _check_copying(entries, pages, texts, report)
    _check_page_links(pages, known, broken, report)


def iter_references(dataset: Dataset) -> Iterator[Reference]:
    """Every well-formed id written in the data, with where it was written and what it must name.

    Covers records that failed their own checks too (their `model` is None)."""
    for record in dataset.all_documents():
        for path, collection, target in reference_paths(record.collection, record.document):
            yield Reference(record, path, collection, target)


def _check_places(entries: list[Entry], report: Report) -> None:
    """A place may not lie, directly or through others, inside itself."""
    within: dict[str, str] = {}
    where: dict[str, tuple[str, int, int]] = {}
    for entry in entries:
        if entry.collection == "places" and entry.facts is not None:
            for field, line, column, _, target in entry.facts[0]:
                if field == "in":
                    within[entry.id] = target
                    where[entry.id] = (entry.path, line, column)
    for place_id in sorted(within):
        chain = [place_id]
        current = within.get(place_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = within.get(current)
        if current == place_id:
            path, line, column = where[place_id]
            cycle = " -> ".join([*chain, place_id])
            report.error(path, line, column, "cycle", f"in: '{place_id}' would lie inside itself ({cycle})")


def _check_stances(path: str, stances: Iterable[StanceKey], report: Report) -> None:
    """One stance per actor and date: two would make "where they stood" ambiguous."""
    first: dict[tuple[str, str], int] = {}
    for index, actor, date, line, column in stances:
        if (actor, date) in first:
            report.error(
                path, line, column, "duplicate-stance",
                f"stances[{index}]: '{actor}' already has a stance dated {date} (stances[{first[actor, date]}])",
            )  # fmt: skip
        else:
            first[actor, date] = index


def _check_quotes(entries: list[Entry], report: Report, archive: ArchiveFolder) -> dict[str, str]:
    """Every quote must stand verbatim in the archived text of each source it cites; every quote
    that cannot be checked is counted in a warning (one per source, or one for the folder).

    An archived text is read only if it is a plain file inside the archive folder (and the
    archive folder, when it must lie in the data folder, inside it: the folder scan reports a
    link that leaves it), and at most MAX_ARCHIVE_BYTES of it. The texts read: {source id: text}."""
    citing: Counter[str] = Counter()
    for entry in entries:
        for _, _, _, _, cited in entry.facts[2] if entry.facts is not None else ():
            citing.update(set(cited))
    try:
        archive_root = archive.path.resolve()
        readable = archive.within is None or archive_root.is_relative_to(archive.within.resolve())
        present = archive.path.is_dir()
    except (OSError, RuntimeError):
        readable = present = False
    if not readable:
        return {}  # DATA/archive is a link leaving the data folder: the folder scan says so
    archived = [entry for entry in entries if entry.collection == "sources" and entry.valid and entry.facts]
    if not present:
        count = sum(citing[entry.id] for entry in archived)
        if count:
            path, line, column = archive.site if archive.origin == "site.yaml" else (archive.shown, 0, 0)
            where = "archive: the folder" if archive.origin == "site.yaml" else "the archive folder"
            message = (
                f"{where} {archive.shown} does not exist: {_quotes(count)} cannot be checked; {archive.how_to_set()}"
            )
            report.warning(path, line, column, "no-archive", message)
        return {}
    texts: dict[str, str] = {}
    for entry in archived:
        name, line, column = entry.facts[3] if entry.facts is not None and entry.facts[3] is not None else ("", 0, 0)
        count = citing[entry.id]
        unchecked = f": {_quotes(count)} {'cites' if count == 1 else 'cite'} this source but cannot be checked"
        if not name:
            if count:
                message = f"{unchecked[2:]}: it has no archive (add archive: with the file name of its archived text)"
                report.warning(entry.path, line, column, "quotes-unchecked", message[0].upper() + message[1:])
            continue
        target = archive.path / name
        shown = os.path.join(archive.shown, name)  # noqa: PTH118 - the path as the user wrote it
        try:
            real = target.resolve(strict=True)
        except FileNotFoundError:
            real = None
        except (OSError, RuntimeError):
            message = f"archive: {shown} is a link that loops back on itself; put the text itself in the folder"
            report.error(entry.path, line, column, "link-broken", message)
            continue
        if real is not None and not real.is_relative_to(archive_root):
            message = (
                f"archive: '{name}' leads outside the archive folder {archive.shown.rstrip('/')}/ (through a link); "
                "put the text itself in the folder"
            )
            report.error(entry.path, line, column, "archive-outside", message)
            continue
        if real is None or real.is_dir():
            message = (
                f"archive: {shown} not found{unchecked if count else ''}; "
                "put the archived text there or correct the name"
            )
            report.warning(entry.path, line, column, "archive-missing", message)
            continue
        try:
            raw = read_regular_file(str(real), MAX_ARCHIVE_BYTES, "an archived text")
        except FileRefused as problem:
            if problem.code == "unreadable":
                reason = problem.message.removeprefix("cannot read the file: ")
                message = f"archive: cannot read {shown}: {reason}{unchecked if count else ''}"
                report.warning(entry.path, line, column, "archive-unreadable", message)
            else:
                report.error(entry.path, line, column, problem.code, f"archive: {shown}: {problem.message}")
            continue
        texts[entry.id] = raw.decode("utf-8-sig", errors="replace")
    folded = {source_id: fold(text) for source_id, text in texts.items()}
    for entry in entries:
        for field, line, column, quote, sources in entry.facts[2] if entry.facts is not None else ():
            folded_quote = fold(quote)
            for source_id in sources:
                text = folded.get(source_id)
                if text is not None and folded_quote not in text:
                    short = quote if len(quote) <= 60 else quote[:57] + "..."
                    report.error(
                        entry.path, line, column, "quote-not-found",
                        f"{field}: the quote \"{short}\" "
                        f"does not appear in the archived text of source '{source_id}'",
                    )  # fmt: skip
    return texts


def _quotes(count: int) -> str:
    return f"{count} quote{'' if count == 1 else 's'}"


def _check_copying(entries: list[Entry], pages: list[Page], texts: dict[str, str], report: Report) -> None:
    """Runs of words (`copying.DEFAULT_WORDS` or more) that a record's own prose or a page shares
    with an archived text, outside quotation marks: a warning at the copied words."""
    from explainer.checking.copying import describe_copied, find_copied, index_sources, line_and_column

    index = index_sources(texts)  # built here, in this process: its hashes are never stored
    for entry in entries:
        if entry.facts is None or len(entry.facts) < 5:
            continue
        for _, text, anchors in entry.facts[4]:
            for copied in find_copied(text, index):
                line, column = locate(anchors, copied.start)
                report.warning(entry.path, line, column, "copied-prose", describe_copied(copied))
    for page in pages:
        for copied in find_copied(page.text, index):
            line, column = line_and_column(page.text, copied.start)
            report.warning(page.path, line, column, "copied-prose", describe_copied(copied))


def _check_page_links(
    pages: Iterable[Page], known: dict[str, set[str]], broken: dict[str, set[str]], report: Report
) -> None:
    """A hand-written page's front matter and links: only what the site publishes, and links to
    records that exist."""
    from explainer.checking.page_source import check_page

    for page in pages:
        report.extend(check_page(page.path, page.text))
        for number, line in enumerate(page.text.splitlines(), start=1):
            for match in _PAGE_LINK.finditer(line):
                collection, target = match.group(2), match.group(3)
                if target not in known[collection] and target not in broken[collection]:
                    report.error(
                        page.path, number, match.start(2) + 1, "unknown-id",
                        f"link to unknown {SINGULAR[collection]} '{target}'{did_you_mean(target, known[collection])}",
                    )  # fmt: skip


__all__ = [
    "QUOTED_LISTS",
    "REFERENCE_FIELDS",
    "Entry",
    "Reference",
    "as_id",
    "check_dataset",
    "check_records",
    "iter_references",
]
