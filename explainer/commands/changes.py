"""What a change to the data does: records added, changed and removed, the pages they touch.

Used by the pull-request workflow for its job summary:

    python -m explainer.commands.changes --base origin/main --data data >> "$GITHUB_STEP_SUMMARY"

compares the data folder of a git revision with the working tree (or `--base-data DIR` with
`--data DIR`). Records are compared as the models read them, so reformatting a file or editing
a comment is no change; a hand-written page is compared as text. The affected pages are each
changed record's own page, the pages of the records it names and of the records that name it
(they show its title), and the section pages that list it. Warnings (and errors) come from
validating the new data, as `explainer validate` reports them.

Exit codes: 0 the summary was written (even when the data is invalid: the validate step is the
one that fails the check), 2 wrong usage (an unknown revision, a missing folder).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from explainer.checking.crossref import iter_references
from explainer.checking.dataset import Dataset
from explainer.checking.models import COLLECTIONS
from explainer.checking.validate import validate_data
from explainer.core import urls
from explainer.core.diagnostics import Diagnostic, Report
from explainer.opendata.tables import escape_markdown

Status = Literal["added", "changed", "removed"]
Key = tuple[str, str]  # (collection, id); the site file is ("site", "site")

SITE_KEY: Key = ("site", "site")


def site_path(file: str) -> str:
    """A generated file's path on the site, as the summary shows it: "/actors/", "/feed.xml"."""
    return "/" + (urls.url_of(file) if file.endswith(".md") else file)


# The pages that list or chart every record of a collection (see "Published URLs").
SECTION_PAGES: dict[str, tuple[str, ...]] = {
    "actors": (site_path(urls.section_file("actors")),),
    "events": (
        site_path(urls.section_file("events")),
        site_path(urls.TIMELINE),
        site_path(urls.CHARTS),
        site_path(urls.FEED),
    ),
    "questions": (site_path(urls.section_file("questions")), site_path(urls.CHARTS)),
    "places": (site_path(urls.section_file("places")), site_path(urls.MAP)),
    "sources": (site_path(urls.section_file("sources")),),
}
# A change to a record that carries corrections (before or after) shows on these.
CORRECTION_PAGES = (site_path(urls.CORRECTIONS), site_path(urls.FEED))
EVERY_PAGE = "every page (site.yaml changed)"
MAX_LISTED = 50


@dataclass(frozen=True)
class Snapshot:
    """A data folder reduced to what pages show: each record's values, what it names, pages."""

    records: dict[Key, dict[str, Any] | None]  # None: the file exists but could not be read
    references: dict[Key, frozenset[Key]]
    pages: dict[str, str]
    report: Report = field(default_factory=Report)


@dataclass(frozen=True, order=True)
class RecordChange:
    collection: str
    id: str
    status: Status
    fields: tuple[str, ...] = ()  # the top-level keys whose values differ (for "changed")

    @property
    def page(self) -> str:
        if self.collection == "site":
            return site_path(urls.HOME)
        if self.collection == "pages":
            return site_path(urls.page_file(self.id))
        return urls.record_path(self.collection, self.id)


@dataclass(frozen=True)
class Changes:
    records: list[RecordChange]
    pages: list[RecordChange]  # hand-written pages: collection "pages", id = the page name
    affected: list[str]
    warnings: list[Diagnostic]
    errors: list[Diagnostic]

    def count(self, collection: str, status: Status) -> int:
        return sum(1 for change in self.records if change.collection == collection and change.status == status)


# --- the pure middle ---------------------------------------------------------------------------


def snapshot(dataset: Dataset, report: Report | None = None) -> Snapshot:
    records: dict[Key, dict[str, Any] | None] = {}
    if dataset.site_record is not None:
        records[SITE_KEY] = dataset.site.model_dump(by_alias=True, mode="json")
    for collection in COLLECTIONS:
        for record_id in dataset.broken.get(collection, ()):
            records[(collection, record_id)] = None
        for record_id, model in dataset.models(collection).items():
            records[(collection, record_id)] = model.model_dump(by_alias=True, mode="json")
    references: dict[Key, set[Key]] = {}
    for reference in iter_references(dataset):
        source = (reference.record.collection, reference.record.id)
        references.setdefault(source, set()).add((reference.collection, reference.target))
    return Snapshot(
        records,
        {key: frozenset(targets) for key, targets in references.items()},
        {name: page.text for name, page in dataset.pages.items()},
        report if report is not None else Report(),
    )


def _status(before: Any, after: Any, *, present_before: bool, present_after: bool) -> Status | None:
    if not present_before:
        return "added"
    if not present_after:
        return "removed"
    return None if before == after else "changed"


def _changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, ...]:
    if before is None or after is None:
        return ("(the file could not be read)",)
    return tuple(sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key)))


def compare(base: Snapshot, head: Snapshot) -> tuple[list[RecordChange], list[RecordChange]]:
    """The record changes and the hand-written page changes from `base` to `head`, sorted."""
    records = []
    for key in base.records.keys() | head.records.keys():
        before, after = base.records.get(key), head.records.get(key)
        status = _status(before, after, present_before=key in base.records, present_after=key in head.records)
        if status is not None:
            fields = _changed_fields(before, after) if status == "changed" else ()
            records.append(RecordChange(key[0], key[1], status, fields))
    pages = []
    for name in base.pages.keys() | head.pages.keys():
        before_text, after_text = base.pages.get(name), head.pages.get(name)
        status = _status(before_text, after_text, present_before=name in base.pages, present_after=name in head.pages)
        if status is not None:
            pages.append(RecordChange("pages", name, status))
    return sorted(records), sorted(pages)


def affected_pages(
    base: Snapshot, head: Snapshot, records: Iterable[RecordChange], pages: Iterable[RecordChange]
) -> list[str]:
    """Site paths whose content a change can alter, sorted; site.yaml alters every page."""
    records = list(records)
    if any(change.collection == "site" for change in records):
        return [EVERY_PAGE]
    changed = {(change.collection, change.id) for change in records}
    named_by: dict[Key, set[Key]] = {}
    for snap in (base, head):
        for source, targets in snap.references.items():
            for target in targets:
                named_by.setdefault(target, set()).add(source)
    touched: set[Key] = set(changed)
    for key in changed:
        touched |= base.references.get(key, frozenset()) | head.references.get(key, frozenset())
        touched |= named_by.get(key, set())
    paths = {urls.record_path(*key) for key in touched if key in head.records}
    paths |= {urls.record_path(*key) for key in changed}  # a removed page goes away
    for collection, _ in changed:
        paths.update(SECTION_PAGES.get(collection, ()))
    if any(_corrected(base, key) or _corrected(head, key) for key in changed):
        paths.update(CORRECTION_PAGES)
    if changed:
        paths.add(site_path(urls.DATA))
    paths |= {change.page for change in pages}
    return sorted(paths)


def _corrected(snap: Snapshot, key: Key) -> bool:
    record = snap.records.get(key)
    return bool(record and record.get("corrections"))


def describe_changes(base: Snapshot, head: Snapshot) -> Changes:
    records, pages = compare(base, head)
    return Changes(
        records=records,
        pages=pages,
        affected=affected_pages(base, head, records, pages),
        warnings=head.report.warnings,
        errors=head.report.errors,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _listed(lines: list[str], noun: str) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return [*lines[:MAX_LISTED], f"- ... and {len(lines) - MAX_LISTED} more {noun}"]


def markdown_summary(changes: Changes, *, base_label: str, head_label: str) -> str:
    """The job summary: a table of counts, the records by name, pages affected, problems."""
    out = [f"## Data changes: {escape_markdown(base_label)} → {escape_markdown(head_label)}", ""]
    added = sum(1 for c in changes.records if c.status == "added")
    changed = sum(1 for c in changes.records if c.status == "changed")
    removed = sum(1 for c in changes.records if c.status == "removed")
    out.append(
        f"**{_plural(added, 'record')} added, {changed} changed, {removed} removed**; "
        f"{_plural(len(changes.pages), 'hand-written page')} changed; "
        f"{_plural(len(changes.warnings), 'warning')}, {_plural(len(changes.errors), 'error')}."
    )
    out.append("")
    if changes.records:
        out += ["| | added | changed | removed |", "| --- | ---: | ---: | ---: |"]
        for collection in ("site", *COLLECTIONS):
            counts = [changes.count(collection, status) for status in ("added", "changed", "removed")]
            if any(counts):
                out.append(f"| {collection} | " + " | ".join(str(n) for n in counts) + " |")
        out.append("")
        out += ["### Records", ""]
        lines = []
        for change in changes.records:
            detail = f" ({escape_markdown(', '.join(change.fields))})" if change.fields else ""
            lines.append(f"- {change.status}: `{change.collection}/{change.id}`{detail}")
        out += [*_listed(lines, "records"), ""]
    if changes.pages:
        out += ["### Hand-written pages", ""]
        out += [f"- {change.status}: `pages/{change.id}.md`" for change in changes.pages]
        out.append("")
    if changes.affected:
        out += ["### Pages that may change", ""]
        out += [*_listed([f"- `{path}`" for path in changes.affected], "pages"), ""]
    if not changes.records and not changes.pages:
        out += ["No record or page changed.", ""]
    for title, items in (("Errors", changes.errors), ("Warnings", changes.warnings)):
        if items:
            out += [f"### {title}", "", "```text", *_listed([d.format() for d in items], title.lower()), "```", ""]
    return "\n".join(out)


# --- the edges: git and files ------------------------------------------------------------------


class UsageError(Exception):
    """The revision or folder asked for does not exist; the message says which."""


def extract_revision(revision: str, data_path: str, into: Path, repo: Path = Path()) -> Path:
    """Write the data folder as it was at `revision` under `into`; returns where it went, a
    folder that does not exist when the revision had no such folder (everything is then new)."""
    top = Path(_git(["rev-parse", "--show-toplevel"], repo).decode().strip()).resolve()
    try:
        prefix = (repo / data_path).resolve().relative_to(top).as_posix()
    except ValueError:
        raise UsageError(f"the data folder {data_path} is not inside the git repository {top}") from None
    _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top, what=f"unknown revision '{revision}'")
    into.mkdir(parents=True, exist_ok=True)
    if prefix == "." or _git(["ls-tree", "-d", "--name-only", revision, "--", prefix], top).strip():
        archive = _git(["archive", "--format=tar", revision, "--", prefix], top)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(into, filter="data")
    return into / prefix


def _git(args: list[str], cwd: Path, *, what: str | None = None) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc}") from exc
    if result.returncode != 0:
        message = what or result.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed"
        raise UsageError(message)
    return result.stdout


def snapshot_folder(data_dir: Path, shown: str) -> Snapshot:
    dataset, report = validate_data(data_dir, shown_dir=shown)
    return snapshot(dataset, report)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m explainer.commands.changes",
        description="Summarise the data changes between two revisions or folders, in Markdown.",
    )
    base = parser.add_mutually_exclusive_group(required=True)
    base.add_argument("--base", metavar="REV", help="the git revision to compare with (e.g. origin/main)")
    base.add_argument("--base-data", metavar="DIR", help="a data folder to compare with")
    parser.add_argument("--data", default="data", metavar="DIR", help="the new data folder (default: data)")
    parser.add_argument("--output", metavar="FILE", help="append the summary to FILE (e.g. $GITHUB_STEP_SUMMARY)")
    args = parser.parse_args(argv)

    data_dir = Path(args.data)
    if not data_dir.is_dir():
        print(f"changes: error: the data folder {args.data} does not exist", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="explainer-changes-") as temporary:
        try:
            if args.base is not None:
                base_dir = extract_revision(args.base, args.data, Path(temporary))
                base_label = args.base
            else:
                base_dir, base_label = Path(args.base_data), args.base_data
                if not base_dir.is_dir():
                    raise UsageError(f"the data folder {args.base_data} does not exist")
        except UsageError as exc:
            print(f"changes: error: {exc}", file=sys.stderr)
            return 2
        base_snapshot = snapshot_folder(base_dir, base_label) if base_dir.is_dir() else Snapshot({}, {}, {})
        head_snapshot = snapshot_folder(data_dir, args.data)
    text = markdown_summary(describe_changes(base_snapshot, head_snapshot), base_label=base_label, head_label=args.data)
    if args.output:
        with open(args.output, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
