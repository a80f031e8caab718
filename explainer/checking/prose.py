"""A record's own prose: which fields hold it, where each of its characters was written, and the
per-file warnings about it.

Prose is what the explainer says in its own words: summaries, notes, claims' `text`, corrections.
Quotes are the actors' words (checked against the archive instead); names and titles are too short
to matter and are checked as names (`explainer.checking.models`).

`prose_values` extracts each prose value with the anchors that map an offset inside it back to
the line and column of the file (`locate`): the copied-prose check (`explainer.checking.crossref`)
reports a run of copied words where the run starts, even inside a folded block scalar. They are
part of a file's facts (`explainer.checking.record_facts`), so the check runs from the parse cache
too. `text_warnings` gives the warnings that need only the file itself: a stance that neither
quotes the actor nor names who reports it, and invisible characters in prose and quotes.

Pure functions of a parsed document; no YAML library, no models.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

from explainer.checking.document import Document
from explainer.checking.document import Path as ValuePath
from explainer.core.diagnostics import Diagnostic, Severity
from explainer.core.ids import as_id
from explainer.core.visible import INVISIBLE, invisible_problem

# Where each kind of record holds prose of its own ("*": every item of a list).
PROSE_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "actors": (("summary",), ("relations", "*", "note"), ("corrections", "*", "text")),
    "events": (("summary",), ("claims", "*", "text"), ("corrections", "*", "text")),
    "questions": (("summary",), ("stances", "*", "note"), ("corrections", "*", "text")),
    "places": (("corrections", "*", "text"),),
    "sources": (("corrections", "*", "text"),),
}
# Words of others, quoted: not checked for copying, but for invisible characters like prose.
QUOTE_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "events": (("claims", "*", "quote"),),
    "questions": (("stances", "*", "quote"),),
}

_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?\Z")


class Anchor(NamedTuple):
    offset: int  # in the value
    line: int  # where that character was written
    column: int


class Prose(NamedTuple):
    field: str  # as shown in messages: "claims[0].text"
    text: str
    anchors: tuple[Anchor, ...]  # by offset; the first is the value's first character


def field_name(path: ValuePath) -> str:
    """`figures[1].value` for ('figures', 1, 'value')."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def walk(data: object, pattern: tuple[str, ...], path: ValuePath = ()) -> Iterator[tuple[ValuePath, object]]:
    """The values at `pattern` ("*" = every item of a list) in plain loaded data."""
    if not pattern:
        yield path, data
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from walk(item, rest, (*path, index))
    elif isinstance(data, dict) and step in data:
        yield from walk(data[step], rest, (*path, step))


def _texts(document: Document, patterns: tuple[tuple[str, ...], ...]) -> Iterator[tuple[ValuePath, str]]:
    for pattern in patterns:
        for path, value in walk(document.data, pattern):
            if isinstance(value, str) and value.strip() and not document.is_poisoned(path):
                yield path, value


def prose_values(collection: str, document: Document) -> tuple[Prose, ...]:
    """Every prose value of the record, with the anchors that locate its characters."""
    found = []
    lines: list[str] | None = None
    for path, value in _texts(document, PROSE_FIELDS.get(collection, ())):
        if lines is None:
            lines = document.text.split("\n")
        found.append(Prose(field_name(path), value, anchors(value, document, path, lines)))
    return tuple(found)


def anchors(value: str, document: Document, path: ValuePath, lines: list[str]) -> tuple[Anchor, ...]:
    """Where the characters of `value` were written: one anchor per line of the file it spans.

    Plain, folded and literal scalars keep every character of a line but its indentation, so the
    first word of each line is found in the value in turn, right after what the line before gave
    it. Inside a quoted scalar an escape (`\\"`, `\\u00e9`, `''`) is longer in the file than in the
    value: the columns after one on the same line are then off by its length, and a line whose
    first word holds one keeps the anchor of the line before (a warning may point a few columns
    early; never to another value)."""
    line, column = document.at(path)
    end = document.ends.get(tuple(path), line)
    if not document.text or line > len(lines):
        return (Anchor(0, line, column),)
    first = lines[line - 1][column - 1 :]
    if first[:1] in ("'", '"'):
        column += 1
    if end == line:
        return (Anchor(0, line, column),)
    found: list[Anchor] = []
    position = 0  # in the value: where the next line's words may start
    for number in range(line, min(end, len(lines)) + 1):
        start = column - 1 if number == line else 0
        segment = lines[number - 1][start:]
        if number == line and _BLOCK_HEADER.match(segment.strip()):
            continue  # `|` or `>-`: the text starts on the next line
        words = segment.lstrip()
        if not words:
            continue
        indent = len(segment) - len(words)
        words = words.rstrip()
        first_word = words.split(None, 1)[0]
        at = _after_spaces(value, position)
        if at >= len(value):
            break  # the value is complete: the rest belongs to the next key
        if not value.startswith(first_word, at):
            at = value.find(first_word, position) if first_word else -1
            if at < 0:
                continue  # an escape in the first word: keep the anchor before
        found.append(Anchor(at, number, start + indent + 1))
        position = at + len(words)
    if not found or found[0].offset != 0:
        found.insert(0, Anchor(0, line, column))
    return tuple(found)


def _after_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def locate(anchors: tuple[Anchor, ...], offset: int) -> tuple[int, int]:
    """The line and column of the character at `offset` of a prose value."""
    index = bisect.bisect_right([anchor[0] for anchor in anchors], offset) - 1
    start, line, column = anchors[max(index, 0)]
    return line, column + max(offset - start, 0)


def text_warnings(collection: str, document: Document, prose: tuple[Prose, ...]) -> list[Diagnostic]:
    """The warnings one file gives on its own: invisible characters in prose and quotes, and
    stances with no evidence of their own (`stance-unattributed`, `stance-self-reported`)."""
    warnings = []
    for field, text, where in prose:  # unpacked: from a worker process they are plain tuples
        if (match := INVISIBLE.search(text)) is not None:
            line, column = locate(where, match.start())
            message = f"{field}: {invisible_problem(text)}"
            warnings.append(Diagnostic("", line, column, Severity.WARNING, "invisible-character", message))
    for path, value in _texts(document, QUOTE_FIELDS.get(collection, ())):
        if (problem := invisible_problem(value)) is not None:
            line, column = document.at(path)
            message = f"{field_name(path)}: {problem}"
            warnings.append(Diagnostic("", line, column, Severity.WARNING, "invisible-character", message))
    if collection == "questions":
        warnings += _stance_warnings(document)
    return warnings


def _stance_warnings(document: Document) -> Iterator[Diagnostic]:
    for path, stance in walk(document.data, ("stances", "*")):
        if not isinstance(stance, dict) or document.is_poisoned(path):
            continue
        name = field_name(path)
        quote, reporter, actor = stance.get("quote"), stance.get("according_to"), as_id(stance.get("actor"))
        has_quote = isinstance(quote, str) and bool(quote.strip())
        if not has_quote and reporter is None:
            line, column = document.at(path)
            yield Diagnostic(
                "", line, column, Severity.WARNING, "stance-unattributed",
                f"{name}: a stance without the actor's own quote names who reports it: add according_to: <actor-id>",
            )  # fmt: skip
        elif actor is not None and as_id(reporter) == actor:
            line, column = document.at((*path, "according_to"))
            yield Diagnostic(
                "", line, column, Severity.WARNING, "stance-self-reported",
                f"{name}.according_to: '{actor}' is the stance's own actor; according_to names who else reports "
                "the position: name them, or give the actor's own words in quote:",
            )  # fmt: skip
