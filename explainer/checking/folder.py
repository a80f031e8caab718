"""What a data folder holds: the site file, record files by collection, pages; nothing ignored.

Every entry the format does not know is reported here (a misspelt folder, `x.yml`, a stray
`notes.txt`), so that no file is silently skipped. Hidden files and README.md are the only
exceptions. This module reads names and sizes, never YAML: both the full load
(`explainer.checking.dataset`) and the quick check (`explainer.checking.validate.check_data`) start from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from explainer.checking import document as limits
from explainer.core.diagnostics import Report, did_you_mean
from explainer.core.ids import COLLECTIONS, ID_MAX_LENGTH, is_valid_id, suggest_id

SITE_FILE = "site.yaml"
PAGES_DIR = "pages"
ARCHIVE_DIR = "archive"
KNOWN_ENTRIES = (SITE_FILE, *COLLECTIONS, PAGES_DIR, ARCHIVE_DIR)
# Published paths a hand-written page may not take (see "Published URLs" in the format).
RESERVED_PAGE_NAMES = frozenset(
    {*COLLECTIONS, "timeline", "map", "charts", "embed", "data", "search", "assets", "index", "404", "feed"}
)


@dataclass(frozen=True)
class Page:
    """A hand-written Markdown page of the data folder (`pages/<name>.md`)."""

    name: str
    path: str
    text: str


class RecordFile(NamedTuple):
    """A file that should hold one record: `collection` is "site" for site.yaml.

    A named tuple, not a frozen dataclass: a folder of 15,000 files makes 15,000 of them."""

    collection: str
    id: str
    file: str  # where to read it (a string: building 15,000 Path objects costs a tenth of a second)
    path: str  # as shown to the user (starting from the data folder they named)
    relative: str  # inside the data folder, with "/" (the cache's key)


@dataclass
class Listing:
    files: list[RecordFile] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)
    site_missing: bool = False


def shown_path(shown_dir: str, *parts: str) -> str:
    """A path as the user would write it, starting from the data folder they named."""
    # os.path, not pathlib: pathlib would rewrite what the user typed ("./data" -> "data").
    return os.path.join(shown_dir, *parts) if shown_dir not in ("", ".") else os.path.join(*parts)  # noqa: PTH118


def scan_folder(data_dir: Path, shown: str, report: Report) -> Listing:
    """Every record file and page of the folder, in sorted order; every unknown entry reported."""
    listing = Listing()
    if not data_dir.is_dir():
        report.error(shown, 0, 0, "no-data", "the data folder does not exist")
        return listing
    for entry in sorted(p.name for p in data_dir.iterdir()):
        if is_ignored(entry):
            continue
        full = data_dir / entry
        if entry == SITE_FILE and full.is_file():
            listing.files.append(RecordFile("site", "site", str(full), shown_path(shown, entry), entry))
        elif entry in COLLECTIONS and full.is_dir():
            listing.files.extend(_record_files(full, entry, shown_path(shown, entry), report))
        elif entry == PAGES_DIR and full.is_dir():
            listing.pages = _load_pages(full, shown_path(shown, entry), report)
        elif entry == ARCHIVE_DIR and full.is_dir():
            continue
        else:
            _report_unknown_entry(full, shown_path(shown, entry), report)
    if not (data_dir / SITE_FILE).exists():
        listing.site_missing = True
        message = "site.yaml is missing: it gives the explainer's title (title: ...)"
        report.error(shown_path(shown, SITE_FILE), 0, 0, "missing-file", message)
    return listing


def is_ignored(name: str) -> bool:
    """Hidden files (.git*, .DS_Store) and README.md are never data."""
    return name.startswith(".") or name == "README.md"


def _record_files(folder: Path, collection: str, shown: str, report: Report) -> list[RecordFile]:
    out = []
    with os.scandir(folder) as scan:
        found = sorted((item.name, item.path, item.is_dir()) for item in scan)
    prefix = shown_path(shown, "")
    for name, path, is_dir in found:
        if is_ignored(name):
            continue
        where = prefix + name
        stem, dot, extension = name.rpartition(".")
        if is_dir:
            message = f"folders inside {collection}/ are not read; move its records up a level"
            report.error(where, 0, 0, "unknown-folder", message)
        elif not dot or extension.lower() not in ("yaml", "yml"):
            message = "not a record file: records are <id>.yaml files; move other files out of the data folder"
            report.error(where, 0, 0, "unknown-file", message)
        elif extension != "yaml":
            report.error(where, 0, 0, "wrong-extension", f"record files end in .yaml: rename it to {stem}.yaml")
        elif not is_valid_id(stem):
            suggestion = suggest_id(stem)
            hint = f"; rename it to {suggestion}.yaml" if suggestion else ""
            report.error(
                where, 0, 0, "bad-id",
                f"the file name '{stem}' is not a valid id "
                f"(lowercase a-z, digits, single hyphens, at most {ID_MAX_LENGTH} characters){hint}",
            )  # fmt: skip
        else:
            out.append(RecordFile(collection, stem, path, where, f"{collection}/{name}"))
    return out


def _load_pages(folder: Path, shown: str, report: Report) -> dict[str, Page]:
    pages = {}
    for name in sorted(p.name for p in folder.iterdir()):
        if is_ignored(name):
            continue
        path = folder / name
        where = shown_path(shown, name)
        stem, _, extension = name.rpartition(".")
        if path.is_dir() or extension != "md":
            report.error(where, 0, 0, "unknown-file", "pages/ holds Markdown pages named <name>.md")
            continue
        if not is_valid_id(stem):
            message = f"the page name '{stem}' becomes a URL: use lowercase a-z, digits and single hyphens"
            report.error(where, 0, 0, "bad-id", message)
            continue
        if stem in RESERVED_PAGE_NAMES:
            message = f"the page name '{stem}' collides with the published path /{stem}/; choose another name"
            report.error(where, 0, 0, "reserved-name", message)
            continue
        try:
            size = path.stat().st_size
            if size > limits.MAX_FILE_BYTES:
                report.extend([limits.too_large(where, size, "a page")])
                continue
            raw = path.read_bytes()
        except OSError as exc:
            report.error(where, 0, 0, "unreadable", f"cannot read the file: {exc.strerror or exc}")
            continue
        text, problems = limits.decode_text(raw, where)
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
