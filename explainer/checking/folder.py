"""What a data folder holds: the site file, record files by collection, pages; nothing ignored.

Every entry the format does not know is reported here (a misspelt folder, `x.yml`, a stray
`notes.txt`), so that no file is silently skipped. Hidden files and README.md are the only
exceptions. This module reads names and sizes, never YAML: both the full load
(`explainer.checking.dataset`) and the quick check (`explainer.checking.validate.check_data`) start from it.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from explainer.checking import document as limits
from explainer.core.diagnostics import Report, did_you_mean
from explainer.core.ids import COLLECTIONS, ID_MAX_LENGTH, is_valid_id, suggest_id
from explainer.core.urls import RESERVED_PAGE_NAMES  # published paths a hand-written page may not take

SITE_FILE = "site.yaml"
PAGES_DIR = "pages"
ARCHIVE_DIR = "archive"
KNOWN_ENTRIES = (SITE_FILE, *COLLECTIONS, PAGES_DIR, ARCHIVE_DIR)


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
    root = os.path.realpath(data_dir)
    entries = _entries(str(data_dir), shown, root, report)
    for entry in entries:
        name, kind = entry.name, entry.kind
        if name == SITE_FILE and kind == "file":
            listing.files.append(RecordFile("site", "site", entry.file, entry.where, name))
        elif name in COLLECTIONS and kind == "dir":
            listing.files.extend(_record_files(entry, name, root, report))
        elif name == PAGES_DIR and kind == "dir":
            listing.pages = _load_pages(entry, root, report)
        elif name == ARCHIVE_DIR and kind == "dir":
            continue
        else:
            _report_unknown_entry(name, kind == "dir", entry.where, report)
    if not os.path.lexists(data_dir / SITE_FILE):  # a bad link or a named pipe has had its error
        listing.site_missing = True
        message = "site.yaml is missing: it gives the explainer's title (title: ...)"
        report.error(shown_path(shown, SITE_FILE), 0, 0, "missing-file", message)
    return listing


def is_ignored(name: str) -> bool:
    """Hidden files (.git*, .DS_Store) and README.md are never data."""
    return name.startswith(".") or name == "README.md"


class Entry(NamedTuple):
    """An entry of a folder that may be read: a plain file or a folder (a link allowed by
    `_entries` stands for what it leads to)."""

    name: str
    file: str  # where to read it: the entry itself, or the place inside the data folder a link leads to
    where: str  # as shown to the user
    kind: str  # "file" or "dir"


def _entries(folder: str, shown: str, root: str, report: Report) -> list[Entry]:
    """The folder's entries by name, hidden files and README.md left out, after the closed-world
    checks: a link is followed only when it leads inside the data folder `root` (with a warning),
    and anything but a plain file or a folder (a named pipe, a device, a socket) is refused, each
    with one located error. Nothing is opened here: names and file types only."""
    try:
        with os.scandir(folder) as scan:
            found = sorted((item.name, item.path, _kind(item)) for item in scan if not is_ignored(item.name))
    except OSError as exc:
        report.error(shown, 0, 0, "unreadable", f"cannot read the folder: {exc.strerror or exc}")
        return []
    prefix = shown_path(shown, "")
    out = []
    for name, path, kind in found:
        where = prefix + name
        if kind == "link":
            followed = _follow_link(path, where, root, report)
            if followed is None:
                continue
            path, kind = followed
        if kind == "other":
            try:
                mode = os.lstat(path).st_mode
            except OSError as exc:
                report.error(where, 0, 0, "unreadable", f"cannot read it: {exc.strerror or exc}")
                continue
            report.error(where, 0, 0, "not-a-file", limits.not_a_file(mode))
            continue
        out.append(Entry(name, path, where, kind))
    return out


def _kind(item: os.DirEntry[str]) -> str:
    """ "file", "dir", "link" or "other", from the folder listing (no extra system call on Linux)."""
    try:
        if item.is_symlink():
            return "link"
        if item.is_file(follow_symlinks=False):
            return "file"
        if item.is_dir(follow_symlinks=False):
            return "dir"
    except OSError:
        pass
    return "other"


def _follow_link(path: str, where: str, root: str, report: Report) -> tuple[str, str] | None:
    """Where a link inside the data folder leads and what is there, or None with the reason
    reported: it loops or leads nowhere, or it leads outside the data folder (a pull request can
    carry a link to /proc/self/environ or ~/.ssh: the site would publish the runner's files)."""
    try:
        target = os.path.realpath(path, strict=True)
        mode = os.stat(target).st_mode  # noqa: PTH116 - a str path, as scandir gives them
    except (OSError, RuntimeError) as exc:
        loops = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
        reason = "it loops back on itself" if loops else "what it points to does not exist"
        message = f"this is a link that leads nowhere ({reason}); replace it by the file itself"
        report.error(where, 0, 0, "link-broken", message)
        return None
    if target != root and not target.startswith(root.rstrip(os.sep) + os.sep):
        report.error(
            where, 0, 0, "link-outside",
            f"this is a link to {_link_text(path)}, outside the data folder; only what the data folder holds is read: "
            "put the file itself in the folder",
        )  # fmt: skip
        return None
    inside = os.path.relpath(target, root).replace(os.sep, "/")
    report.warning(
        where, 0, 0, "link-inside", f"this is a link to {inside}, inside the data folder; it is read as a copy of it"
    )
    kind = "file" if stat.S_ISREG(mode) else "dir" if stat.S_ISDIR(mode) else "other"
    return target, kind


def _link_text(path: str) -> str:
    try:
        return str(Path(path).readlink())
    except OSError:  # pragma: no cover - it was a link a moment ago
        return "a place"


def _record_files(folder: Entry, collection: str, root: str, report: Report) -> list[RecordFile]:
    out = []
    for entry in _entries(folder.file, folder.where, root, report):
        name, where = entry.name, entry.where
        stem, dot, extension = name.rpartition(".")
        if entry.kind == "dir":
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
            out.append(RecordFile(collection, stem, entry.file, where, f"{collection}/{name}"))
    return out


def _load_pages(folder: Entry, root: str, report: Report) -> dict[str, Page]:
    pages = {}
    for entry in _entries(folder.file, folder.where, root, report):
        name, where = entry.name, entry.where
        stem, _, extension = name.rpartition(".")
        if entry.kind == "dir" or extension != "md":
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
            raw = limits.read_regular_file(entry.file, limits.MAX_FILE_BYTES, "a page")
        except limits.FileRefused as problem:
            report.extend([limits.refused(where, problem)])
            continue
        text, problems = limits.decode_text(raw, where)
        report.extend(problems)
        if text is not None:
            pages[stem] = Page(stem, where, text)
    return pages


def _report_unknown_entry(name: str, is_dir: bool, shown: str, report: Report) -> None:
    folders = (*COLLECTIONS, PAGES_DIR, ARCHIVE_DIR)
    if is_dir:
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
