"""A cache of what each record file's content yielded, so a re-run re-parses only what changed.

Entries are keyed by the file's bytes (and the checking code's own fingerprint): a file whose
content is unchanged is never parsed again, whatever its timestamps say. To avoid even reading
unchanged files, a second index maps a file's (size, mtime, inode) to its content key, as git's
index does; a file modified in the last few seconds before a run is not trusted by its stat
(a second edit in the same clock tick could keep size and mtime) and is read again.

An entry holds only the per-file result (problems found and the small facts the checks across
records need), never models, stored as plain tuples with `marshal`, so that loading the results
of 15,000 files takes a few hundredths of a second (pickle, rebuilding named tuples and models,
took seconds). It lives outside the data folder (the user's cache directory), is rewritten
atomically, and a damaged or foreign cache file (another Python, another version of this code)
is ignored and replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

CACHE_VERSION = 3  # 3: problems carry their severity; facts carry prose and site.yaml's archive
RACY_SECONDS = 3


class FileResult(NamedTuple):
    """What one file's bytes yielded: its problems (line, column, severity, code, message;
    the severity as its text, "error" or "warning") and its facts.

    From the cache it comes back as a plain tuple of the same shape: unpack it, never read it
    by attribute."""

    problems: tuple[tuple[int, int, str, str, str], ...]
    facts: Any  # explainer.checking.record_facts.RecordFacts (SiteFacts for site.yaml), or None when it did not parse
    valid: bool  # passed its own checks (no errors; warnings allowed)


class Stamp(NamedTuple):
    size: int
    mtime_ns: int
    inode: int


def code_key() -> bytes:
    """A fingerprint of the code that shapes a file's result: results of other code never match."""
    package = Path(__file__).resolve().parent.parent
    names = (
        "checking/document.py", "checking/yaml_loader.py", "checking/models.py", "checking/model_errors.py",
        "core/dates.py", "checking/record_facts.py", "core/ids.py", "checking/dataset.py",
        "checking/prose.py", "core/visible.py",
    )  # fmt: skip
    return hashlib.blake2b(b"".join((package / name).read_bytes() for name in names), digest_size=8).digest()


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "explainer"


def stamp_of(stat: os.stat_result) -> Stamp:
    return Stamp(stat.st_size, stat.st_mtime_ns, stat.st_ino)


class ParseCache:
    """Content key -> FileResult, plus relative path -> (stamp, content key)."""

    def __init__(self, file: Path | None, code_key: bytes = b"") -> None:
        self.file = file
        self.code_key = code_key
        self.hits = 0
        self.misses = 0
        self._old: dict[bytes, FileResult] = {}
        self._old_stamps: dict[str, tuple[tuple[int, int, int], bytes]] = {}
        self._used: dict[bytes, FileResult] = {}
        self._stamps: dict[str, tuple[tuple[int, int, int], bytes]] = {}
        self._started_ns = time.time_ns()
        if file is not None:
            self._load(file)

    def _load(self, file: Path) -> None:
        try:
            with open(file, "rb") as handle:
                stored = marshal.loads(handle.read())  # load(handle) reads in tiny pieces: 20 times slower
            if isinstance(stored, dict) and stored.get("header") == self._header():
                self._old = stored["entries"]
                self._old_stamps = stored["stamps"]  # plain tuples compare equal to Stamps
        except (OSError, EOFError, LookupError, AttributeError, ValueError, TypeError):
            self._old, self._old_stamps = {}, {}

    def _header(self) -> tuple[int, bytes, tuple[int, int]]:
        return (CACHE_VERSION, self.code_key, tuple(sys.version_info[:2]))  # type: ignore[return-value]

    @classmethod
    def for_folder(cls, data_dir: Path, code_key: bytes, cache_dir: Path | None = None) -> ParseCache:
        key = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
        return cls((cache_dir or default_cache_dir()) / f"checked-{key}.marshal", code_key)

    @property
    def empty(self) -> bool:
        """Whether no earlier run's results are available."""
        return not self._old

    @staticmethod
    def key(raw: bytes, collection: str) -> bytes:
        return hashlib.blake2b(collection.encode() + b"\0" + raw, digest_size=16).digest()

    def by_stamp(self, relative: str, stamp: Stamp) -> FileResult | None:
        """The result for an unchanged file, without reading it; None if it may have changed."""
        known = self._old_stamps.get(relative)
        if known is None or known[0] != stamp:
            return None
        result = self._old.get(known[1])
        if result is not None:
            self._remember(relative, stamp, known[1], result)
        return result

    def get(self, relative: str, stamp: Stamp | None, key: bytes) -> FileResult | None:
        result = self._old.get(key)
        if result is not None:
            self._remember(relative, stamp, key, result)
        return result

    def put(self, relative: str, stamp: Stamp | None, key: bytes, result: FileResult) -> None:
        self.misses += 1
        if not key:  # the file could not be read: nothing to remember
            return
        self._used[key] = plain(result)  # stored plain now: saving then only writes, never converts
        self._index(relative, stamp, key)

    def _remember(self, relative: str, stamp: Stamp | None, key: bytes, result: FileResult) -> None:
        self.hits += 1
        self._used[key] = result
        self._index(relative, stamp, key)

    def _index(self, relative: str, stamp: Stamp | None, key: bytes) -> None:
        if stamp is not None and stamp.mtime_ns < self._started_ns - RACY_SECONDS * 1_000_000_000:
            self._stamps[relative] = ((stamp[0], stamp[1], stamp[2]), key)  # plain, as stored

    def save(self) -> None:
        """Keep only what this run used; write to a temporary file, then rename."""
        if self.file is None or (self._used.keys() == self._old.keys() and self._stamps == self._old_stamps):
            return
        stored = {"header": self._header(), "entries": self._used, "stamps": self._stamps}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when writing: not on the path of a run where nothing changed

            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".checked-")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(stored, handle)
            Path(tmp).replace(self.file)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs time


def plain(value: Any) -> Any:
    """Named tuples as plain tuples, all the way down (what marshal can store). Short strings are
    interned: marshal then writes a field name or an id once and refers back to it (a third of
    the size, and faster to load)."""
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, str) and len(value) <= 100:
        return sys.intern(value)
    return value
