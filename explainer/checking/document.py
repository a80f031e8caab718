"""The values of one file with the place of each, and the limits every file is held to.

Kept apart from the YAML parsing (`explainer.checking.yaml_loader`) so that the stages that only need the
shapes and the limits (listing a folder, the checks across records from the cache) start
without importing a YAML library.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from typing import Any

from explainer.core.diagnostics import Diagnostic, Severity

MAX_FILE_BYTES = 1024 * 1024
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024  # an archived article; the largest known is a few MB
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
    # The file's text and the last line of every scalar written over several lines: what maps
    # an offset inside a long value back to its line and column (`explainer.checking.prose`).
    # Set by the loader; a document rebuilt from a worker's plain values has neither.
    text: str = ""
    ends: dict[Path, int] = field(default_factory=dict)

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
    wide = _wide_encoding(raw)
    if wide is not None:
        return None, [_problem(path, 1, 1, "encoding", f"the file is {wide}; save it as UTF-8")]
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


def _wide_encoding(raw: bytes) -> str | None:
    """ "UTF-32" or "UTF-16" when the bytes look like either (by their byte-order mark, or by
    the zero bytes an ASCII character takes in them), else None. UTF-32 first: its
    little-endian mark begins with UTF-16's."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    head = raw[:4]
    if len(head) == 4 and (head[1:] == b"\x00\x00\x00" or head[:3] == b"\x00\x00\x00"):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:2]):
        return "UTF-16"
    return None


def too_large(path: str, size: int | None, what: str = "a record file", limit: int = MAX_FILE_BYTES) -> Diagnostic:
    """The error for a file over `limit` bytes: `size` is its size, or None when it was found
    larger while reading (its size said otherwise: a file of /proc, or one that grew)."""
    return _problem(path, 0, 0, "too-large", too_large_message(size, what, limit))


def too_large_message(size: int | None, what: str, limit: int) -> str:
    """Exact byte counts ("the file is 1,048,577 bytes; ... at most 1,048,576 bytes (1 MiB)"),
    so that one byte over the limit never reads as "1.0 MiB; at most 1 MiB"."""
    if size is None:
        shown = f"holds more than {limit:,} bytes"
    else:
        rounded = f" ({size / (1024 * 1024):.1f} MiB)" if size >= 2 * 1024 * 1024 else ""
        shown = f"is {size:,} bytes{rounded}"
    in_mib = f" ({limit // (1024 * 1024)} MiB)" if limit % (1024 * 1024) == 0 else ""
    return f"the file {shown}; {what} may be at most {limit:,} bytes{in_mib}"


# --- reading a file of the data folder: a regular file, never more than the limit -----------

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symbolic link"),
)


class FileRefused(Exception):
    """A file of the data folder that is not read: `code` and `message` make its diagnostic."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def kind_of(mode: int) -> str:
    """What a file system entry is, in words ("a named pipe (FIFO)"); "a file" for a regular file."""
    return next((name for test, name in _KINDS if test(mode)), "a file" if stat.S_ISREG(mode) else "a special file")


def not_a_file(mode: int) -> str:
    return f"this is {kind_of(mode)}, not a file: only plain files are read; remove it from the data folder"


def read_regular_file(file: str, limit: int = MAX_FILE_BYTES, what: str = "a record file") -> bytes:
    """The bytes of the regular file at `file`, at most `limit` of them, or FileRefused.

    Opened without following a final link (the folder scan has resolved the links it allows)
    and without blocking (a named pipe opens at once, and is then refused), then checked on the
    opened descriptor, so that what is read is what was checked. The limit holds while reading:
    a file whose size says 0 (/proc) or that grows is never read past `limit` + 1 bytes."""
    try:
        fd = os.open(file, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused("not-a-file", not_a_file(stat.S_IFLNK)) from None
        if exc.errno == errno.ENXIO:  # a socket
            raise FileRefused("not-a-file", not_a_file(stat.S_IFSOCK)) from None
        raise FileRefused("unreadable", f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("not-a-file", not_a_file(info.st_mode))
        if info.st_size > limit:  # never read it: it could be gigabytes
            raise FileRefused("too-large", too_large_message(info.st_size, what, limit))
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, max(info.st_size + 1, 65536)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise FileRefused("unreadable", f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks) if len(chunks) != 1 else chunks[0]
    if len(raw) > limit:
        raise FileRefused("too-large", too_large_message(None, what, limit))
    return raw


def refused(path: str, problem: FileRefused) -> Diagnostic:
    """The located error for a file that was not read (line 0, column 0: the whole file)."""
    return Diagnostic(path, 0, 0, Severity.ERROR, problem.code, problem.message)


def _problem(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, Severity.ERROR, code, message)
