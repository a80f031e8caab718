"""Load and check a data folder: the first two stages of every command.

`validate_data` gives the checked dataset (models for the later stages) and the report.
Both find the archived texts as `resolve_archive` does: --archive, else site.yaml's `archive:`
(for the quick path, from site.yaml's cached facts: no YAML library is imported), else DATA/archive.
`check_data` gives only the report, as `explainer validate` prints it: it reuses what earlier
runs found for unchanged files (`explainer.checking.parse_cache`), parses the others in parallel when there
are many, and loads the models only if some file needs parsing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from explainer.checking.archive import locate_archive
from explainer.checking.crossref import Entry, check_records
from explainer.checking.document import MAX_FILE_BYTES, FileRefused, read_regular_file, refused, too_large
from explainer.checking.folder import SITE_FILE, RecordFile, scan_folder
from explainer.checking.parse_cache import FileResult, ParseCache, Stamp, code_key, stamp_of
from explainer.core import processes
from explainer.core.diagnostics import Diagnostic, Report, Severity
from explainer.core.ids import COLLECTIONS

if TYPE_CHECKING:
    from explainer.checking.dataset import Dataset


def validate_data(
    data_dir: Path | str,
    *,
    shown_dir: str | None = None,
    archive_dir: Path | str | None = None,
) -> tuple[Dataset, Report]:
    """Every problem of the folder in one report; the dataset is fit to publish if `report.ok`.

    The archived texts are read from `archive_dir` (--archive), else from the folder site.yaml
    names, else from DATA/archive (`resolve_archive`)."""
    from explainer.checking.crossref import check_dataset
    from explainer.checking.dataset import load_dataset

    data_dir = Path(data_dir)
    dataset, report = load_dataset(data_dir, shown_dir=shown_dir)
    if data_dir.is_dir():
        check_dataset(dataset, report, locate_archive(data_dir, dataset.shown_dir, archive_dir, dataset.site_facts))
    return dataset, report


def resolve_archive(data_dir: Path, given: Path | None) -> Path:
    """The folder of archived source texts: `given` (--archive) wins; else site.yaml's
    `archive:`, relative to the data folder; else DATA/archive.

    Reads (and checks) site.yaml when `given` is None. `validate_data` and `check_data` resolve it
    themselves (pass --archive on as their `archive_dir`); this is for the commands that must
    know the folder before validating (to protect it from `--out`)."""
    if given is not None:
        return Path(given)
    return locate_archive(data_dir, str(data_dir), None, _site_facts(data_dir)).path


def _site_facts(data_dir: Path) -> tuple[str | None, int, int] | None:
    """site.yaml's archive fact, or None when the file cannot be read or parsed."""
    from explainer.checking.dataset import check_file

    try:
        raw = read_regular_file(str(data_dir / SITE_FILE))
    except FileRefused:
        return None
    facts = check_file(raw, "site")[2].facts
    return tuple(facts) if facts is not None else None


@dataclass
class CheckResult:
    report: Report
    counts: dict[str, int] = field(default_factory=dict)  # valid records per collection
    parsed: int = 0  # files parsed in this run (the others came from the cache)
    cached: int = 0


def check_data(
    data_dir: Path | str,
    *,
    shown_dir: str | None = None,
    archive_dir: Path | str | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> CheckResult:
    """The same report as `validate_data`, without building the dataset; fast when little changed."""
    data_dir = Path(data_dir)
    shown = str(data_dir) if shown_dir is None else shown_dir
    report = Report()
    listing = scan_folder(data_dir, shown, report)
    if not data_dir.is_dir():
        return CheckResult(report)
    cache = ParseCache(None)
    if use_cache:
        cache = ParseCache.for_folder(data_dir, code_key(), cache_dir)
    results: dict[str, FileResult] = {}
    todo: list[tuple[RecordFile, Stamp | None]] = []
    for file in listing.files:
        try:
            stamp = stamp_of(os.stat(file.file))  # noqa: PTH116 - a str path, see RecordFile
        except OSError as exc:
            report.error(file.path, 0, 0, "unreadable", f"cannot read the file: {exc.strerror or exc}")
            continue
        if stamp.size > MAX_FILE_BYTES:
            report.extend([too_large(file.path, stamp.size, "a record file")])
            continue
        hit = cache.by_stamp(file.relative, stamp)
        if hit is not None:
            results[file.relative] = hit
        else:
            todo.append((file, stamp))
    for file, checked_stamp, key, checked in _check_files(todo, cache, report, jobs):
        if key is not None:  # parsed now (None: found in the cache by its content)
            cache.put(file.relative, checked_stamp, key, checked)
        results[file.relative] = checked
    cache.save()

    entries = []
    site_facts = None
    for file in listing.files:
        result = results.get(file.relative)
        if result is None:
            if file.collection != "site":
                entries.append(Entry(file.collection, file.id, file.path, None, False))
            continue
        problems, facts, valid = result  # a plain tuple when it comes from the cache
        report.extend(
            Diagnostic(file.path, line, column, Severity(severity), code, message)
            for line, column, severity, code, message in problems
        )
        if file.collection == "site":
            site_facts = facts
        else:
            entries.append(Entry(file.collection, file.id, file.path, facts, valid))
    archive = locate_archive(data_dir, shown, archive_dir, site_facts)
    check_records(entries, listing.pages.values(), report, archive)
    counts = dict.fromkeys(COLLECTIONS, 0)
    for entry in entries:
        counts[entry.collection] += entry.valid
    return CheckResult(report, counts, parsed=cache.misses, cached=cache.hits)


def _check_files(
    todo: list[tuple[RecordFile, Stamp | None]], cache: ParseCache, report: Report, jobs: int | None
) -> Iterable[tuple[RecordFile, Stamp | None, bytes | None, FileResult]]:
    """(file, stamp, content key, result) for each file: parsed, or from the cache by content
    (the key is then None: the cache has already recorded it)."""
    if not todo:
        return  # nothing changed: the models (0.4 s to import) are not needed
    from explainer.checking.dataset import check_file

    parallel = len(todo) >= processes.PARALLEL_FILES and (jobs or processes.usable_cpus()) > 1
    if parallel and cache.empty:  # nothing to look up by content: let the workers read the files
        yield from _check_in_parallel(todo, jobs)
        return
    unread: list[tuple[RecordFile, Stamp | None]] = []
    for file, stamp in todo:
        try:
            raw = read_regular_file(file.file)
        except FileRefused as problem:
            report.extend([refused(file.path, problem)])
            continue
        key = ParseCache.key(raw, file.collection)
        hit = cache.get(file.relative, stamp, key)
        if hit is not None:
            yield file, stamp, None, hit
        elif not parallel:
            yield file, stamp, key, check_file(raw, file.collection)[2]
        else:
            unread.append((file, stamp))
    if unread:
        yield from _check_in_parallel(unread, jobs)


def _check_in_parallel(
    files: list[tuple[RecordFile, Stamp | None]], jobs: int | None
) -> Iterable[tuple[RecordFile, Stamp | None, bytes, FileResult]]:
    """Parse many files on every core; results come back in order, so the output is the same."""
    from explainer.checking.dataset import check_file_at

    paths = [file.file for file, _ in files]
    collections = [file.collection for file, _ in files]
    results = processes.map_in_workers(check_file_at, paths, collections, workers=jobs or processes.usable_cpus())
    for (file, stamp), (key, result) in zip(files, results, strict=True):
        yield file, stamp, key, result
