"""One shape for every problem the tool reports: path, line, column, severity, message.

Problems are collected, never raised one at a time, so an editor sees all of them in one run.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A located problem. Line and column are 1-based; 0 means "the whole file".

    Every field takes part in equality: two different problems at the same place are two lines.
    Sorting is by place first, so a file's problems read top to bottom.
    """

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def __post_init__(self) -> None:
        # One problem, one line, shown as written: a newline, control or bidi character quoted
        # from the data is escaped (see one_line).
        object.__setattr__(self, "message", one_line(self.message))

    def format(self) -> str:
        return f"{one_line(self.path)}:{self.line}:{self.column}: {self.severity.value}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (shown on the pull request)."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        message = _escape_annotation(self.message)
        location = f"file={_escape_property(self.path)}"
        if self.line:
            location += f",line={self.line},col={self.column}"
        return f"::{kind} {location},title=explainer {self.code}::{message}"


# Shown as escapes in every message: control characters and line breaks (one problem, one
# line), and the invisible characters that reorder or hide text in a terminal or a log — bidi
# embeddings, overrides, isolates and marks, zero-width characters, word joiners, the BOM.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def one_line(text: str) -> str:
    """`text` with control characters, line breaks and invisible formatting characters written as
    escapes (\\n, \\x07, \\u202e), so that a message shows what the data holds, on one line."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_annotation(text).replace(":", "%3A").replace(",", "%2C")


class Report:
    """Collects diagnostics from every stage; nothing is dropped, duplicates are merged."""

    def __init__(self) -> None:
        self._items: set[Diagnostic] = set()

    def error(self, path: str, line: int, column: int, code: str, message: str) -> None:
        self._items.add(Diagnostic(path, line, column, Severity.ERROR, code, message))

    def warning(self, path: str, line: int, column: int, code: str, message: str) -> None:
        self._items.add(Diagnostic(path, line, column, Severity.WARNING, code, message))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.update(items)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def warning_count(self) -> int:
        """How many warnings (`--strict` counts them as errors)."""
        return sum(d.severity is Severity.WARNING for d in self._items)

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self._items)

    def summary(self) -> str:
        errors, warnings = self.errors, self.warnings
        if not errors and not warnings:
            return "no problems found"
        parts = []
        if errors:
            parts.append(_plural(len(errors), "error"))
        if warnings:
            parts.append(_plural(len(warnings), "warning"))
        files = {d.path for d in self._items}
        return f"{' and '.join(parts)} in {_plural(len(files), 'file')}"

    def lines(self, *, github: bool | None = None) -> list[str]:
        """Every diagnostic as a line, plus GitHub annotations when running under Actions."""
        if github is None:
            github = os.environ.get("GITHUB_ACTIONS") == "true"
        out = [d.format() for d in self.diagnostics]
        if github:
            out += [d.github_annotation() for d in self.diagnostics]
        return out


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The closest known spelling of `word`, for "did you mean" hints."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = nearest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""
