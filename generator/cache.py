"""A cache of parsed record files, keyed by their bytes, so a re-run re-parses only what changed.

It lives outside the data folder (the user's cache directory), holds only what the loader
produced for a given content, and is rewritten atomically. A damaged or foreign cache file is
ignored and replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

CACHE_VERSION = 1


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "explainer"


class ParseCache:
    """Maps a file's content hash to the loader's result for that content."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._old: dict[bytes, Any] = {}
        self._used: dict[bytes, Any] = {}
        if file is not None:
            try:
                with open(file, "rb") as handle:
                    stored = pickle.load(handle)
                if isinstance(stored, dict) and stored.get("version") == CACHE_VERSION:
                    self._old = stored["entries"]
            except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError, ValueError, TypeError):
                self._old = {}

    @classmethod
    def for_folder(cls, data_dir: Path, cache_dir: Path | None = None) -> ParseCache:
        key = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
        return cls((cache_dir or default_cache_dir()) / f"parsed-{key}.pickle")

    @staticmethod
    def key(raw: bytes) -> bytes:
        return hashlib.blake2b(raw, digest_size=16).digest()

    def get(self, key: bytes) -> Any:
        value = self._old.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: bytes, value: Any) -> None:
        self._used[key] = value

    def save(self) -> None:
        """Keep only what this run used; write to a temporary file, then rename."""
        if self.file is None or self._used.keys() == self._old.keys():
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".parsed-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"version": CACHE_VERSION, "entries": self._used}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(self.file)
        except OSError:
            pass  # a cache that cannot be written only costs time
