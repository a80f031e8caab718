"""Stage 1: read a data folder into checked records, reporting every problem with its place.

Each file is read, parsed (`explainer.checking.yaml_loader`) and checked against its model
(`explainer.checking.models`) on its own, and the facts the checks across records need are extracted
(`explainer.checking.record_facts`). What needs several files (references, quotes) is checked afterwards by
`explainer.checking.crossref`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from explainer.checking import yaml_loader as loader
from explainer.checking.document import FileRefused, read_regular_file, refused
from explainer.checking.folder import (  # re-exported: the names other stages know this module by
    ARCHIVE_DIR,
    KNOWN_ENTRIES,
    PAGES_DIR,
    SITE_FILE,
    Page,
    RecordFile,
    scan_folder,
    shown_path,
)
from explainer.checking.models import COLLECTIONS, RECORD_MODELS, Site, Source, archive_folder_problem
from explainer.checking.parse_cache import FileResult
from explainer.checking.prose import text_warnings
from explainer.checking.record_facts import Archive, RecordFacts, SiteFacts, extract_facts
from explainer.checking.yaml_loader import Document
from explainer.core.diagnostics import Diagnostic, Report, Severity
from explainer.core.urls import RESERVED_PAGE_NAMES

__all__ = [
    "ARCHIVE_DIR",
    "KNOWN_ENTRIES",
    "PAGES_DIR",
    "RESERVED_PAGE_NAMES",
    "SITE_FILE",
    "Dataset",
    "Page",
    "Record",
    "check_file",
    "load_dataset",
    "shown_path",
]


@dataclass(frozen=True)
class Record:
    """One record: its model (None if it failed its own checks) and where each value was written."""

    collection: str
    id: str
    path: str
    model: Any
    document: Document
    facts: RecordFacts | SiteFacts | None = None

    def at(self, *path: str | int) -> tuple[int, int]:
        return self.document.at(path)


@dataclass
class Dataset:
    """Every record that passed its own checks. `broken` names the files that did not: their
    ids exist (references to them are not reported again) but they have no model. `failed`
    holds those of them that were at least valid YAML (a `Record` whose `model` is None), so
    that the checks across records still see what they reference: one run reports all."""

    data_dir: Path
    shown_dir: str
    site_record: Record | None
    collections: dict[str, dict[str, Record]]
    pages: dict[str, Page] = field(default_factory=dict)
    broken: dict[str, set[str]] = field(default_factory=dict)
    failed: dict[str, dict[str, Record]] = field(default_factory=dict)
    site_facts: SiteFacts | None = None  # site.yaml's archive folder, even when the file has errors

    @property
    def site(self) -> Site:
        if self.site_record is None:
            raise LookupError("site.yaml did not load")
        return self.site_record.model  # type: ignore[no-any-return]

    def records(self, collection: str) -> dict[str, Record]:
        return self.collections[collection]

    def get(self, collection: str, record_id: str) -> Any:
        return self.collections[collection][record_id].model

    def models(self, collection: str) -> dict[str, Any]:
        return {rid: rec.model for rid, rec in self.collections[collection].items()}

    def all_records(self) -> Iterator[Record]:
        for collection in COLLECTIONS:
            yield from self.collections[collection].values()

    def all_documents(self) -> Iterator[Record]:
        """Every record file that parsed, checked or not (`model` is None if not), by id."""
        for collection in COLLECTIONS:
            merged = {**self.collections[collection], **self.failed.get(collection, {})}
            for record_id in sorted(merged):
                yield merged[record_id]


def load_dataset(data_dir: Path | str, *, shown_dir: str | None = None) -> tuple[Dataset, Report]:
    """Read and check every file of a data folder: the dataset holds what passed its own checks,
    the report says what did not. Only a report with no errors makes a dataset fit to publish.

    A large folder (`processes.PARALLEL_FILES`) is parsed on every core; the models are made here."""
    data_dir = Path(data_dir)
    shown = str(data_dir) if shown_dir is None else shown_dir
    report = Report()
    listing = scan_folder(data_dir, shown, report)
    dataset = assemble_dataset(data_dir, shown, listing.pages, _load_records(listing.files, report))
    return dataset, report


def assemble_dataset(
    data_dir: Path, shown: str, pages: dict[str, Page], loaded: Iterable[tuple[RecordFile, Record | None]]
) -> Dataset:
    """A dataset from each file's record (None when the file did not parse): those that passed
    their own checks, by collection; the ids of the others, so references to them are not
    reported again as unknown. Shared by the full load and `serve`'s incremental one."""
    site_record = None
    collections: dict[str, dict[str, Record]] = {name: {} for name in COLLECTIONS}
    broken: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    failed: dict[str, dict[str, Record]] = {name: {} for name in COLLECTIONS}
    site_facts = None
    for file, record in loaded:
        if file.collection == "site":
            site_record = record if record is not None and record.model is not None else None
            site_facts = record.facts if record is not None and isinstance(record.facts, SiteFacts) else None
        elif record is None or record.model is None:
            broken[file.collection].add(file.id)
            if record is not None:
                failed[file.collection][file.id] = record
        else:
            collections[file.collection][file.id] = record
    return Dataset(data_dir, shown, site_record, collections, pages, broken, failed, site_facts)


def _load_records(files: list[RecordFile], report: Report) -> Iterator[tuple[RecordFile, Record | None]]:
    from explainer.core import processes

    workers = processes.usable_cpus()
    if len(files) < processes.PARALLEL_FILES or workers < 2:
        for file in files:
            yield file, _load_record(file, report)
        return
    parsed = processes.map_in_workers(parse_file_for_load, files, workers=workers, chunks_per_worker=16)
    for file, values in zip(files, parsed, strict=True):
        yield file, _record_from_parsed(file, values, report)


def parse_file_for_load(file: RecordFile) -> bytes:
    """In a worker: read and parse one file, extract its facts; everything as plain values
    (marshal: the quickest to send back and read): (problems reading it, the parsed document
    and the loader's problems, or None when it was not read)."""
    import marshal

    from explainer.checking.parse_cache import plain

    report = Report()
    raw = read_record_file(file, report)
    read_problems = [(d.path, d.line, d.column, d.code, d.message) for d in report.diagnostics]
    if raw is None:
        return marshal.dumps((read_problems, None))
    document, problems = loader.load_document(raw, "")
    loaded = [(d.line, d.column, d.code, d.message) for d in problems]
    if document is None:
        return marshal.dumps((read_problems, (None, loaded, None)))
    parts = (document.data, document.positions, document.key_positions, document.poisoned)
    facts = None
    if file.collection != "site":  # a source's archive is added from its model (`check_document`)
        facts = plain(extract_facts(file.collection, document))
    return marshal.dumps((read_problems, (parts, loaded, facts)))


def _record_from_parsed(file: RecordFile, parsed: bytes, report: Report) -> Record | None:
    """The same record `_load_record` makes, from what a worker parsed."""
    import marshal

    read_problems, loaded = marshal.loads(parsed)
    report.extend(
        Diagnostic(path, line, column, Severity.ERROR, code, message)
        for path, line, column, code, message in read_problems
    )
    if loaded is None:
        return None
    parts, problems, facts = loaded
    document = Document("", *parts) if parts is not None else None
    diagnostics = [
        Diagnostic("", line, column, Severity.ERROR, code, message) for line, column, code, message in problems
    ]
    model, result = check_document(document, diagnostics, file.collection, facts)
    report_result(file, result, report)
    if document is None:
        return None
    document.path = file.path
    return Record(file.collection, file.id, file.path, model, document, result.facts)


def read_record_file(file: RecordFile, report: Report) -> bytes | None:
    """The file's bytes, or None with the reason reported (too large: never read past the
    limit; not a plain file; unreadable)."""
    try:
        return read_regular_file(file.file)
    except FileRefused as problem:
        report.extend([refused(file.path, problem)])
        return None


def report_result(file: RecordFile, result: FileResult, report: Report) -> None:
    report.extend(
        Diagnostic(file.path, line, column, Severity(severity), code, message)
        for line, column, severity, code, message in result.problems
    )


def _load_record(file: RecordFile, report: Report) -> Record | None:
    raw = read_record_file(file, report)
    if raw is None:
        return None
    document, model, result = check_file(raw, file.collection)
    report_result(file, result, report)
    if document is None:
        return None
    document.path = file.path
    return Record(file.collection, file.id, file.path, model, document, result.facts)


def model_for(collection: str) -> type[BaseModel]:
    return Site if collection == "site" else RECORD_MODELS[collection]


def check_file(raw: bytes, collection: str) -> tuple[Document | None, Any, FileResult]:
    """Parse and model-check one file's bytes; the result depends on nothing else (so it caches)."""
    document, problems = loader.load_document(raw, "")
    result, checked = check_document(document, problems, collection)
    return document, result, checked


def check_document(
    document: Document | None, problems: list[Diagnostic], collection: str, facts: Any = None
) -> tuple[Any, FileResult]:
    """Model-check a parsed file: (model or None, result). `facts`, when a worker process has
    already extracted them from the document, are taken as they are (a source's archive is
    added here: it needs the checked model); else they are extracted here. The result's
    problems include the warnings the file gives on its own (`explainer.checking.prose`); a
    file with warnings only is valid."""
    model = model_for(collection)
    result = None
    if document is not None:
        try:
            result = model.model_validate(document.data)
        except ValidationError as exc:
            from explainer.checking import model_errors  # only when a record has errors

            problems = problems + model_errors.model_diagnostics(exc, document, model)
        if any(p.severity is Severity.ERROR for p in problems):
            result = None
    if document is None:
        facts = None
    elif collection == "site":
        facts = site_facts(document, result if isinstance(result, Site) else None)
    else:
        if facts is None:
            facts = extract_facts(collection, document)
        if collection == "sources":
            archive = (result.archive or "") if isinstance(result, Source) else None
            found = Archive(archive, *document.at(("archive",) if archive else ())) if archive is not None else None
            facts = RecordFacts(*facts)._replace(archive=found)
        problems = problems + text_warnings(collection, document, RecordFacts(*facts).prose)
    errors = any(p.severity is Severity.ERROR for p in problems)
    checked = FileResult(
        tuple((p.line, p.column, p.severity.value, p.code, p.message) for p in problems), facts, not errors
    )
    return result, checked


def site_facts(document: Document, site: Site | None) -> SiteFacts:
    """site.yaml's archive folder: the checked value; when the file has errors elsewhere, the
    value as written if it is a usable folder name (so that quotes are still checked)."""
    archive = site.archive if site is not None else None
    if site is None:
        written = document.data.get("archive") if isinstance(document.data, dict) else None
        if isinstance(written, str) and written.strip() and archive_folder_problem(written) is None:
            archive = written
    return SiteFacts(archive, *document.at(("archive",) if archive is not None else ()))


def check_file_at(path: str, collection: str) -> tuple[bytes, FileResult]:
    """For worker processes: (content key, result) of the file at `path` (already known to be small).

    A file that cannot be read gets an empty key (never cached) and the reason as its problem."""
    from explainer.checking.parse_cache import ParseCache

    try:
        raw = read_regular_file(path)
    except FileRefused as refusal:
        return b"", FileResult(((0, 0, "error", refusal.code, refusal.message),), None, False)
    return ParseCache.key(raw, collection), check_file(raw, collection)[2]
