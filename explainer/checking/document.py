"""The values of one file with the place of each, and the limits every file is held to.

Kept apart from the YAML parsing (`explainer.checking.yaml_loader`) so that the stages that only need the
shapes and the limits (listing a folder, the checks across records from the cache) start
without importing a YAML library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from explainer.core.diagnostics import Diagnostic, Severity

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64

Path = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class Document:
    """The values of one file, with the position of every value and key (1-based)."""

    path: str
    data: Any
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    # Paths whose value was replaced because of a loader error: later stages stay quiet there.
    poisoned: set[Path] = field(default_factory=set)

    def at(self, path: Path) -> Position:
        """Where the value at `path` was written, or its nearest written ancestor."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def key_at(self, path: Path) -> Position:
        """Where the key naming `path` was written (the value's place if it has no key)."""
        path = tuple(path)
        if path in self.key_positions:
            return self.key_positions[path]
        return self.at(path)

    def is_poisoned(self, path: Path) -> bool:
        path = tuple(path)
        return any(path[: len(p)] == p for p in self.poisoned)


def decode_text(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (with or without a byte-order mark) into text, or a located decoding error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:2]):
        return None, [_problem(path, 1, 1, "encoding", "the file is UTF-16; save it as UTF-8")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = raw[exc.start]
        return None, [
            _problem(
                path,
                line,
                column,
                "encoding",
                f"byte 0x{byte:02X} is not valid UTF-8; save the file as UTF-8 (it looks like Latin-1 or Windows-1252)",
            )
        ]


def too_large(path: str, size: int, what: str = "a record file") -> Diagnostic:
    """The error for a file over MAX_FILE_BYTES (checked before reading it)."""
    shown = f"{size / (1024 * 1024):.1f} MiB" if size >= 1024 * 1024 else f"{size} bytes"
    return _problem(path, 0, 0, "too-large", f"the file is {shown}; {what} may be at most 1 MiB")


def _problem(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, Severity.ERROR, code, message)
