"""Stage 1: read a data folder into checked records, reporting every problem with its place.

Each file is read, parsed (`generator.loader`) and checked against its model
(`generator.models`) on its own; the result per file content is cached. What needs several
files (references, quotes) is checked afterwards by `generator.crossref`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator import loader, model_errors, models
from generator.cache import ParseCache
from generator.diagnostics import Diagnostic, Report, Severity, did_you_mean
from generator.loader import Document
from generator.models import COLLECTIONS, ID_MAX_LENGTH, RECORD_MODELS, Site, suggest_id

SITE_FILE = "site.yaml"
PAGES_DIR = "pages"
ARCHIVE_DIR = "archive"
KNOWN_ENTRIES = (SITE_FILE, *COLLECTIONS, PAGES_DIR, ARCHIVE_DIR)
# Published paths a hand-written page may not take (see "Published URLs" in the format).
RESERVED_PAGE_NAMES = frozenset(
    {*COLLECTIONS, "timeline", "map", "charts", "embed", "data", "search", "assets", "index", "404", "feed"}
)

# Code that shapes a cached result: when any of it changes, old cache entries do not match.
_CODE_KEY = hashlib.blake2b(
    b"".join(Path(m.__file__).read_bytes() for m in (loader, models, model_errors) if m.__file__),
    digest_size=8,
).digest()


@dataclass(frozen=True)
class Record:
    """One checked record: its model and where each of its values was written."""

    collection: str
    id: str
    path: str
    model: Any
    document: Document

    def at(self, *path: str | int) -> tuple[int, int]:
        return self.document.at(path)


@dataclass(frozen=True)
class Page:
    """A hand-written Markdown page of the data folder (`pages/<name>.md`)."""

    name: str
    path: str
    text: str


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


def shown_path(shown_dir: str, *parts: str) -> str:
    """A path as the user would write it, starting from the data folder they named."""
    # os.path, not pathlib: pathlib would rewrite what the user typed ("./data" -> "data").
    return os.path.join(shown_dir, *parts) if shown_dir not in ("", ".") else os.path.join(*parts)  # noqa: PTH118


def load_dataset(
    data_dir: Path | str,
    *,
    shown_dir: str | None = None,
    cache: ParseCache | None = None,
) -> tuple[Dataset, Report]:
    """Read and check every file of a data folder: the dataset holds what passed its own checks,
    the report says what did not. Only a report with no errors makes a dataset fit to publish."""
    data_dir = Path(data_dir)
    shown = str(data_dir) if shown_dir is None else shown_dir
    report = Report()
    if not data_dir.is_dir():
        report.error(shown, 0, 0, "no-data", "the data folder does not exist")
        return Dataset(data_dir, shown, None, {name: {} for name in COLLECTIONS}), report

    site_record = None
    collections: dict[str, dict[str, Record]] = {name: {} for name in COLLECTIONS}
    pages: dict[str, Page] = {}
    broken: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    failed: dict[str, dict[str, Record]] = {name: {} for name in COLLECTIONS}

    for entry in sorted(p.name for p in data_dir.iterdir()):
        if _is_ignored(entry):
            continue
        full = data_dir / entry
        if entry == SITE_FILE and full.is_file():
            site_record = _load_record(full, shown_path(shown, entry), "site", "site", Site, report, cache)
            if site_record is not None and site_record.model is None:
                site_record = None
        elif entry in COLLECTIONS and full.is_dir():
            for record_id, path in _record_files(full, shown_path(shown, entry), report):
                record = _load_record(
                    path, shown_path(shown, entry, path.name), entry, record_id, RECORD_MODELS[entry], report, cache
                )
                if record is None or record.model is None:
                    broken[entry].add(record_id)
                    if record is not None:
                        failed[entry][record_id] = record
                else:
                    collections[entry][record_id] = record
        elif entry == PAGES_DIR and full.is_dir():
            pages = _load_pages(full, shown_path(shown, entry), report)
        elif entry == ARCHIVE_DIR and full.is_dir():
            continue
        else:
            _report_unknown_entry(full, shown_path(shown, entry), report)

    if site_record is None and not (data_dir / SITE_FILE).exists():
        message = "site.yaml is missing: it gives the explainer's title (title: ...)"
        report.error(shown_path(shown, SITE_FILE), 0, 0, "missing-file", message)
    if cache is not None:
        cache.save()
    return Dataset(data_dir, shown, site_record, collections, pages, broken, failed), report


def _is_ignored(name: str) -> bool:
    """Hidden files (.git*, .DS_Store) and README.md are never data."""
    return name.startswith(".") or name == "README.md"


def _record_files(folder: Path, shown: str, report: Report) -> Iterator[tuple[str, Path]]:
    for name in sorted(p.name for p in folder.iterdir()):
        if _is_ignored(name):
            continue
        path = folder / name
        where = shown_path(shown, name)
        stem, dot, extension = name.rpartition(".")
        if path.is_dir():
            message = f"folders inside {Path(shown).name}/ are not read; move its records up a level"
            report.error(where, 0, 0, "unknown-folder", message)
        elif not dot or extension.lower() not in ("yaml", "yml"):
            message = "not a record file: records are <id>.yaml files; move other files out of the data folder"
            report.error(where, 0, 0, "unknown-file", message)
        elif extension != "yaml":
            report.error(where, 0, 0, "wrong-extension", f"record files end in .yaml: rename it to {stem}.yaml")
        elif not _valid_id(stem):
            suggestion = suggest_id(stem)
            hint = f"; rename it to {suggestion}.yaml" if suggestion else ""
            report.error(
                where, 0, 0, "bad-id",
                f"the file name '{stem}' is not a valid id "
                f"(lowercase a-z, digits, single hyphens, at most {ID_MAX_LENGTH} characters){hint}",
            )  # fmt: skip
        else:
            yield stem, path


def _valid_id(text: str) -> bool:
    return len(text) <= ID_MAX_LENGTH and bool(models._ID.match(text))


def _load_record(
    path: Path,
    shown: str,
    collection: str,
    record_id: str,
    model: type[BaseModel],
    report: Report,
    cache: ParseCache | None,
) -> Record | None:
    try:
        size = path.stat().st_size
        if size > loader.MAX_FILE_BYTES:  # never read it: it could be gigabytes
            report.extend([loader.too_large(shown, size, "a record file")])
            return None
        raw = path.read_bytes()
    except OSError as exc:
        report.error(shown, 0, 0, "unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    key = ParseCache.key(_CODE_KEY + collection.encode() + b"\0" + raw) if cache is not None else b""
    cached = cache.get(key) if cache is not None else None
    if cached is None:
        cached = _check_file(raw, collection, model)
        if cache is not None:
            cache.put(key, cached)
    document, result, problems = cached
    report.extend(Diagnostic(shown, line, col, Severity.ERROR, code, msg) for line, col, code, msg in problems)
    if document is None:
        return None
    document.path = shown
    return Record(collection, record_id, shown, result, document)


CheckedFile = tuple[Document | None, Any, list[tuple[int, int, str, str]]]


def _check_file(raw: bytes, collection: str, model: type[BaseModel]) -> CheckedFile:
    """Parse and model-check one file's bytes; the result depends on nothing else (so it caches)."""
    document, problems = loader.load_document(raw, "")
    result = None
    if document is not None:
        try:
            result = model.model_validate(document.data)
        except ValidationError as exc:
            problems += model_errors.model_diagnostics(exc, document, model)
        if problems:
            result = None
    return document, result, [(p.line, p.column, p.code, p.message) for p in problems]


def _load_pages(folder: Path, shown: str, report: Report) -> dict[str, Page]:
    pages = {}
    for name in sorted(p.name for p in folder.iterdir()):
        if _is_ignored(name):
            continue
        path = folder / name
        where = shown_path(shown, name)
        stem, _, extension = name.rpartition(".")
        if path.is_dir() or extension != "md":
            report.error(where, 0, 0, "unknown-file", "pages/ holds Markdown pages named <name>.md")
            continue
        if not _valid_id(stem):
            message = f"the page name '{stem}' becomes a URL: use lowercase a-z, digits and single hyphens"
            report.error(where, 0, 0, "bad-id", message)
            continue
        if stem in RESERVED_PAGE_NAMES:
            message = f"the page name '{stem}' collides with the published path /{stem}/; choose another name"
            report.error(where, 0, 0, "reserved-name", message)
            continue
        try:
            size = path.stat().st_size
            if size > loader.MAX_FILE_BYTES:
                report.extend([loader.too_large(where, size, "a page")])
                continue
            raw = path.read_bytes()
        except OSError as exc:
            report.error(where, 0, 0, "unreadable", f"cannot read the file: {exc.strerror or exc}")
            continue
        text, problems = loader.decode_text(raw, where)
        report.extend(problems)
        if text is not None:
            pages[stem] = Page(stem, where, text)
    return pages


def _report_unknown_entry(path: Path, shown: str, report: Report) -> None:
    name = path.name
    folders = (*COLLECTIONS, PAGES_DIR, ARCHIVE_DIR)
    if path.is_dir():
        report.error(
            shown, 0, 0, "unknown-folder",
            f"unknown folder '{name}'{did_you_mean(name, folders)}; "
            f"a data folder holds {', '.join(f + '/' for f in folders)}",
        )  # fmt: skip
    elif name.rsplit(".", 1)[0] == "site":
        report.error(shown, 0, 0, "wrong-extension", f"the site file is named {SITE_FILE}: rename {name}")
    else:
        message = f"unknown file '{name}'; a data folder holds {SITE_FILE} and record folders only"
        report.error(shown, 0, 0, "unknown-file", message)
