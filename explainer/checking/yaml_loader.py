"""Read one record file into plain Python values that remember where they were written.

The YAML is parsed by libyaml (PyYAML's C parser) into a stream of events, and the values
are composed here rather than by PyYAML's constructors, so that:

- every value and every key keeps its line and column;
- a duplicate key, a tag, an anchor or alias, a complex or empty key is a reported problem;
- plain scalars follow the YAML 1.2 core schema (`yes`, `no`, `on`, `off` stay strings,
  dates stay text so that the precision written is the precision kept);
- nesting is counted while events arrive, so a 50,000-deep file stops at level 65 instead of
  exhausting the stack; no input can run code or reach PyYAML's constructors. libyaml has a
  flow-nesting limit of its own and reads ahead far enough in `[[[[…` to reach it before the
  composer sees level 65: such a file is then read again by PyYAML's pure-Python parser, which
  reads ahead at most one line, so the same "nested more than 64 levels" error is reported at
  the same place whichever layer noticed first;
- control characters other than tab and newline (raw, or written as escapes such as `"\0"`)
  are refused in every key and value;
- a syntax error is reported where the mistake starts, in an editor's words
  (`explainer.checking.yaml_syntax`).
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from typing import Any

import yaml

from explainer.checking.document import MAX_DEPTH as MAX_DEPTH  # re-exported: the loader's limits and shapes
from explainer.checking.document import MAX_FILE_BYTES as MAX_FILE_BYTES
from explainer.checking.document import Document as Document
from explainer.checking.document import Path as Path
from explainer.checking.document import Position as Position
from explainer.checking.document import _problem
from explainer.checking.document import decode_text as decode_text
from explainer.checking.document import too_large as too_large
from explainer.checking.yaml_syntax import explain as explain_syntax_error
from explainer.core.diagnostics import Diagnostic


class _PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's own parser, events only (no constructors): the same events as libyaml, slower."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


try:  # pragma: no cover - which parser is present depends on the PyYAML build
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    _Parser = _PurePythonParser  # type: ignore[assignment,misc]

# libyaml's words when its own nesting limit (1,000 levels) is reached.
_PARSER_TOO_DEEP = "maximum nesting depth"
_TOO_DEEP = f"values are nested more than {MAX_DEPTH} levels deep"
# Control characters other than tab and newline: C0, DEL and C1 (YAML escapes such as "\0",
# "\e", "\x7f", "\N" write them; the parser refuses most of them written raw).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}  # fmt: skip
_NULLS = {"", "~", "null", "Null", "NULL"}
_NUMBER_START = frozenset("0123456789+-.")
_EMPTY = "the file is empty; it must hold one mapping of keys and values"
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class _Abort(Exception):
    """Stop reading this file: what follows cannot be trusted or is too costly to read."""


def resolve_plain_scalar(text: str) -> Any:
    """The YAML 1.2 core schema, decimal numbers only: null, true/false, int, float, str."""
    if not text or text[0] not in _NUMBER_START:  # most values: words
        if text in _NULLS:
            return None
        boolean = _BOOLS.get(text)
        return text if boolean is None else boolean
    if _INT.match(text):
        if len(text) > 30:  # huge numbers stay text; the model says what is expected
            return text
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    return text


def load_document(raw: bytes, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse the bytes of one record file. Never raises for bad input: problems are returned."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [too_large(path, len(raw))]
    text, problems = decode_text(raw, path)
    if text is None:
        return None, problems
    composer = _Composer(path)
    try:
        document = composer.compose(text, _Parser)
    except _Abort:
        document = None
    except yaml.MarkedYAMLError as exc:
        if _PARSER_TOO_DEEP in str(exc.problem):
            return None, _too_deep_by_parser(text, path, exc)
        line, column, detail = explain_syntax_error(text, exc, _Parser)
        composer.problems.append(_problem(path, line, column, "yaml-syntax", f"not valid YAML: {detail}"))
        document = None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        line, column = _reader_position(text, exc)
        composer.problems.append(_problem(path, line, column, "yaml-syntax", f"not valid YAML: {_one_line(exc)}"))
        document = None
    except (ValueError, TypeError, RecursionError, MemoryError) as exc:  # libyaml oddities
        composer.problems.append(_problem(path, 1, 1, "yaml-syntax", f"not valid YAML: {_one_line(exc)}"))
        document = None
    return document, composer.problems


def _too_deep_by_parser(text: str, path: str, exc: yaml.MarkedYAMLError) -> list[Diagnostic]:
    """libyaml stopped at its own nesting limit: the file is too deep. Find the first value
    past our limit with the pure-Python parser (it reads ahead at most one line, so the
    composer's count stops it there); the parser's mark stands if that fails."""
    composer = _Composer(path)
    with contextlib.suppress(_Abort, yaml.YAMLError, ValueError, TypeError, RecursionError, MemoryError):
        composer.compose(text, _PurePythonParser)
    if any(problem.code == "too-deep" for problem in composer.problems):
        return composer.problems
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return [*composer.problems, _problem(path, line, column, "too-deep", _TOO_DEEP)]


def _reader_position(text: str, exc: yaml.YAMLError) -> Position:
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        before = text[:position]
        return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
    return 1, 1


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    # PyYAML's reader names its own buffer ('in "<unicode string>", position 12'): not the user's file.
    return re.sub(r' in "<[^>]*>", position [0-9]+', "", text)


class _Composer:
    """Builds plain values from parser events, recording positions and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []
        self.positions: dict[Path, Position] = {}
        self.key_positions: dict[Path, Position] = {}
        self.poisoned: set[Path] = set()
        self.ends: dict[Path, int] = {}
        self._aliases_seen: set[str] = set()
        self._next: Callable[[], Any]

    def compose(self, text: str, parser_class: Callable[[str], Any]) -> Document | None:
        parser = parser_class(text)
        self._next = parser.get_event
        self._expect(yaml.StreamStartEvent)
        event = self._next()
        if isinstance(event, yaml.StreamEndEvent):
            self.problems.append(_problem(self.path, 1, 1, "empty", _EMPTY))
            return None
        # DocumentStartEvent
        root_event = self._next()
        root = self._value(root_event, (), 0)
        self._expect(yaml.DocumentEndEvent)
        event = self._next()
        if isinstance(event, yaml.DocumentStartEvent):
            line, column = _mark(event)
            self.problems.append(
                _problem(
                    self.path, line, column, "several-documents",
                    "the file holds several YAML documents ('---'); a record file holds exactly one",
                )
            )  # fmt: skip
            return None
        if root is None and isinstance(root_event, yaml.ScalarEvent):
            self.problems.append(_problem(self.path, 1, 1, "empty", _EMPTY))
            return None
        if not isinstance(root, dict):
            line, column = _mark(root_event)
            found = "a list" if isinstance(root, list) else "a single value"
            self.problems.append(
                _problem(
                    self.path, line, column, "not-a-mapping",
                    f"the file holds {found}; it must hold one mapping of keys and values (key: value)",
                )
            )  # fmt: skip
            return None
        return Document(self.path, root, self.positions, self.key_positions, self.poisoned, text, self.ends)

    def _expect(self, kind: type) -> None:
        event = self._next()
        if not isinstance(event, kind):  # pragma: no cover - libyaml guarantees the order
            raise _Abort

    def _value(self, event: Any, path: Path, depth: int) -> Any:
        # The hot loop of every run: classes compared by identity, the common case first.
        mark = event.start_mark
        self.positions[path] = (mark.line + 1, mark.column + 1)
        kind = event.__class__
        if kind is _ScalarEvent:
            if event.anchor is not None or event.tag not in (None, "!"):
                self._refuse_anchor_and_tag(event, path)
            if (found := _CONTROL.search(event.value)) is not None:
                self._refuse_control(event, path, found)
            if event.end_mark.line != mark.line:  # written over several lines
                self.ends[path] = event.end_mark.line + 1
            if event.implicit[0] and not event.style:
                return resolve_plain_scalar(event.value)
            return event.value
        if kind is _AliasEvent:
            # One line per alias name: an alias bomb gets one error per name, not one per use.
            if event.anchor not in self._aliases_seen:
                self._aliases_seen.add(str(event.anchor))
                message = f"aliases (*{event.anchor}) are not supported; write the value out in full"
                self._report(event, "alias", message)
            self.poisoned.add(path)
            if path and path[-1] == "<<":  # a merge key: the whole mapping is incomplete
                self.poisoned.add(path[:-1])
            return None
        if event.anchor is not None or event.tag not in (None, "!"):
            self._refuse_anchor_and_tag(event, path)
        if depth >= MAX_DEPTH:
            self._report(event, "too-deep", _TOO_DEEP)
            raise _Abort
        next_event = self._next
        if kind is _SequenceStartEvent:
            items: list[Any] = []
            while (event := next_event()).__class__ is not _SequenceEndEvent:
                items.append(self._value(event, (*path, len(items)), depth + 1))
            return items
        mapping: dict[str, Any] = {}
        key_positions = self.key_positions
        while (event := next_event()).__class__ is not _MappingEndEvent:
            if (
                event.__class__ is _ScalarEvent
                and event.anchor is None
                and event.tag is None
                and (event.style or event.value not in _NULLS)
            ):
                key: str | None = event.value
            else:
                key = self._key(event, path, depth)
            value_event = next_event()
            if key is None:
                self._skip(value_event, depth + 1)
                continue
            child = (*path, key)
            if (found := _CONTROL.search(key)) is not None:
                self._refuse_control(event, child, found)
            if key in mapping:
                first_line = key_positions[child][0]
                message = f"duplicate key '{key}' (first written at line {first_line}); each key may appear once"
                self._report(event, "duplicate-key", message)
                self._skip(value_event, depth + 1)
                continue
            mark = event.start_mark
            key_positions[child] = (mark.line + 1, mark.column + 1)
            mapping[key] = self._value(value_event, child, depth + 1)
        return mapping

    def _refuse_anchor_and_tag(self, event: Any, path: Path) -> None:
        if event.anchor is not None:
            self._report(event, "anchor", f"anchors (&{event.anchor}) are not supported; write the value out in full")
        if event.tag not in (None, "!"):
            self._report(event, "tag", f"YAML tags ({_show_tag(event.tag)}) are not allowed; write a plain value")
            self.poisoned.add(path)

    def _refuse_control(self, event: Any, path: Path, found: re.Match[str]) -> None:
        character = found.group()
        name = _CONTROL_NAMES.get(character, "a C1 control" if character >= "\x80" else "a control character")
        self._report(
            event, "control-character",
            f"a control character ({character}, {name}) at character {found.start() + 1}; only tab and newline "
            "are allowed: remove it (look for an escape such as \\0 or \\e in double quotes)",
        )  # fmt: skip
        self.poisoned.add(path)

    def _key(self, event: Any, path: Path, depth: int) -> str | None:
        if not isinstance(event, yaml.ScalarEvent):
            self._report(event, "complex-key", "a key must be a plain name, not a list, mapping or alias")
            self._skip(event, depth + 1)
            return None
        if getattr(event, "tag", None) not in (None, "!") or getattr(event, "anchor", None):
            self._report(event, "tag", "keys may not carry tags or anchors")
            return None
        if event.style in (None, "") and event.value in _NULLS:
            self._report(event, "empty-key", "a key is empty (null); write a name before the colon")
            return None
        return str(event.value)

    def _skip(self, event: Any, depth: int) -> None:
        """Consume a value that will not be kept (after a duplicate or bad key)."""
        if depth > MAX_DEPTH:
            self._report(event, "too-deep", _TOO_DEEP)
            raise _Abort
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            end = yaml.SequenceEndEvent if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingEndEvent
            while not isinstance(inner := self._next(), end):
                self._skip(inner, depth + 1)

    def _report(self, event: Any, code: str, message: str) -> None:
        line, column = _mark(event)
        self.problems.append(_problem(self.path, line, column, code, message))


_CONTROL_NAMES = {
    "\x00": "NUL", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
    "\r": "carriage return", "\x1b": "escape", "\x7f": "delete", "\x85": "next line",
}  # fmt: skip

_ScalarEvent = yaml.ScalarEvent
_AliasEvent = yaml.AliasEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_SequenceEndEvent = yaml.SequenceEndEvent
_MappingEndEvent = yaml.MappingEndEvent


def _mark(event: Any) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _show_tag(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:"):
        return "!!" + tag[len("tag:yaml.org,2002:") :]
    return tag
