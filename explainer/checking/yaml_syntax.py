"""A YAML syntax error in an editor's words: where the problem starts, and how to fix it.

libyaml reports where it gave up (`problem_mark`) and, for some errors, where the construct it
was reading began (`context_mark`). Where it gave up is often far from the mistake: an unclosed
quote is noticed at the end of the file, a stance typed at column 0 as a missing key. This
module reads the raw text around both marks and names the usual mistakes at the place they
start: an unclosed quote or bracket, a key that has a value on its line and items below it
(`figures: []` followed by items), a line indented unlike its siblings, a `: ` inside a value.
Anything else keeps libyaml's own words.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

# A key as written in record files (`figures:`, `according_to:`), after the indentation or "- ".
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?=[ \t]|$)")
_QUOTE_NAMES = {'"': 'double quote (")', "'": "single quote (')"}
_BRACKETS = {"[": ("list", "]"), "{": ("mapping", "}")}


class SyntaxProblem(NamedTuple):
    line: int  # 1-based
    column: int  # 1-based
    message: str  # without the "not valid YAML" prefix


class _Line(NamedTuple):
    number: int  # 1-based
    indent: int  # spaces before the text
    item: bool  # starts with "- "
    key: str | None  # the key it starts with (after "- " for an item)
    key_column: int  # 0-based column of that key (or of the text after "- ")
    value: str  # what follows the key's colon on this line, comment removed, stripped
    value_column: int  # 0-based


def explain(text: str, exc: yaml.MarkedYAMLError, parser_class: Any) -> SyntaxProblem:
    """The position and words for a syntax error libyaml raised while reading `text`."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(exc.problem or "it is not valid YAML")
    lines = text.split("\n")
    if _tab_near(lines, line, column):
        return SyntaxProblem(line, column, f"{problem} (a tab: indent with spaces, not tabs)")
    for explanation in (
        _unclosed_quote(text, exc),
        _runaway_quote(text, exc, parser_class),
        _unclosed_bracket(text, exc),
        _indentation(lines, line, column, problem),
        _text_after_quote(lines, line, column),
        _colon_in_value(lines, line, column, problem),
        _not_a_key(lines, exc),
    ):
        if explanation is not None:
            return explanation
    return SyntaxProblem(line, column, problem)


def _tab_near(lines: list[str], line: int, column: int) -> bool:
    return line <= len(lines) and "\t" in lines[line - 1][: column + 1]


def _at(text: str, mark: Any) -> str:
    index = getattr(mark, "index", None)
    if isinstance(index, int) and 0 <= index < len(text):
        return text[index]
    return ""


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    """libyaml read to the end of the file inside quotes: the opening quote is the mistake."""
    context, problem, start = str(exc.context or ""), str(exc.problem or ""), exc.context_mark
    if start is None or "quoted scalar" not in context:
        return None
    if "end of stream" not in problem and "document" not in problem:
        return None  # an unknown escape, a bad character: libyaml's mark is right
    return _quote_problem(_at(text, start), start.line + 1, start.column + 1, None)


def _quote_problem(quote: str, line: int, column: int, runs_to: int | None) -> SyntaxProblem:
    name = _QUOTE_NAMES.get(quote, "quote")
    extent = f" (it runs on to line {runs_to})" if runs_to is not None else " (it runs on to the end of the file)"
    return SyntaxProblem(
        line, column, f"this quoted text is never closed{extent}: add the closing {name} where the text ends"
    )


def _runaway_quote(text: str, exc: yaml.MarkedYAMLError, parser_class: Any) -> SyntaxProblem | None:
    """A quote left open swallows the lines below it up to the next quote, and the error comes
    after that one. Read the events again up to the error: if the last value is quoted text
    over several lines ending on the error's line, its opening quote is the mistake."""
    stop = exc.problem_mark
    if stop is None:
        return None
    last = None
    try:
        parser = parser_class(text)
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.ScalarEvent):
                last = event
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, MemoryError):
        pass  # the error being explained, or one libyaml raises its own way: what was read stands
    if last is None or last.style not in ('"', "'"):
        return None
    start, end = last.start_mark, last.end_mark
    if start is None or end is None or end.line == start.line or end.line != stop.line:
        return None
    return _quote_problem(_at(text, start), start.line + 1, start.column + 1, end.line + 1)


def _unclosed_bracket(text: str, exc: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    """`sources: [a, b` never closed: libyaml stops on a later line; the `[` is the mistake."""
    context, start, stop = str(exc.context or ""), exc.context_mark, exc.problem_mark
    if start is None or stop is None or not context.startswith("while parsing a flow"):
        return None
    opening = _at(text, start)
    if opening not in _BRACKETS:
        return None
    kind, closing = _BRACKETS[opening]
    if stop.line > start.line:
        fix = " (or write the items one per line, each after '- ')" if opening == "[" else ""
        message = f"this {kind} opened with '{opening}' is never closed: add '{closing}' after its last item{fix}"
        return SyntaxProblem(start.line + 1, start.column + 1, message)
    return SyntaxProblem(
        stop.line + 1, stop.column + 1,
        f"expected ',' or '{closing}' here: separate the items of the {kind} opened at column {start.column + 1} "
        f"with commas, and put an item holding quotes or commas in quotes",
    )  # fmt: skip


def _parse_line(number: int, raw: str) -> _Line | None:
    """A line's shape, or None for a blank line or a comment."""
    body = raw.lstrip(" ")
    if not body.strip() or body.startswith("#"):
        return None
    indent = len(raw) - len(body)
    item = body == "-" or body.startswith("- ")
    rest_column = indent
    if item:
        after = body[1:].lstrip(" ")
        rest_column = len(raw) - len(after)
        body = after
    match = _KEY.match(body)
    if match is None:
        return _Line(number, indent, item, None, rest_column, "", rest_column)
    value_raw = body[match.end() :]
    value = re.sub(r"(^|\s)#.*$", "", value_raw).strip()
    value_column = rest_column + match.end() + (len(value_raw) - len(value_raw.lstrip()))
    return _Line(number, indent, item, match.group(1), rest_column, value, value_column)


def _spaces(count: int) -> str:
    if count == 0:
        return "no spaces"
    return "1 space" if count == 1 else f"{count} spaces"


def _indentation(lines: list[str], line: int, column: int, problem: str) -> SyntaxProblem | None:
    """A line indented unlike its place: below a key that already has a value on its line, or
    at a column where no sibling stands (a stance typed at column 0 inside `stances:`)."""
    if line > len(lines):
        return None
    this = _parse_line(line, lines[line - 1])
    if this is None:
        return None
    # Only errors libyaml raises at the start of a misplaced line (or at its key's colon).
    at_start = column - 1 == this.indent
    at_key_colon = (
        this.key is not None
        and "mapping values" in problem
        and lines[line - 1].find(":", this.key_column) == column - 1
    )
    if not (at_start or at_key_colon):
        return None
    above = [parsed for number in range(line - 1, 0, -1) if (parsed := _parse_line(number, lines[number - 1]))]
    if not above:
        return None
    previous = above[0]
    if (
        previous.key is not None
        and previous.value
        and (
            this.indent > previous.key_column
            or (this.item and this.indent >= previous.indent and previous.value in ("[]", "{}"))
        )
    ):
        return _below_a_value(previous, this)
    if this.key is None and not this.item:  # a line of text
        return _text_indentation(above, this)
    wanted = _sibling_column(above, this)
    if wanted is None or wanted == this.indent:
        return None
    first = above[-1]
    if this.indent == 0 and first.indent > 0 and first.key is not None and wanted == first.key_column:
        return SyntaxProblem(
            first.number, first.indent + 1,
            f"the file's first key is indented {_spaces(first.indent)}: start it at the beginning of the line, "
            "like the keys below it",
        )  # fmt: skip
    what = "list item" if this.item else "key"
    return SyntaxProblem(
        line, this.indent + 1,
        f"indent this {what} like the {what}s above it ({_spaces(wanted)}, not {this.indent})",
    )  # fmt: skip


def _text_indentation(above: list[_Line], this: _Line) -> SyntaxProblem | None:
    """A line of a `key: >-` text indented less than the text's first line."""
    for index, line in enumerate(above):
        if line.key is not None or line.item:
            if line.key is None or not re.fullmatch(r"[>|][-+]?", line.value) or index == 0:
                return None
            indent = above[index - 1].indent  # the text's first line
            if this.indent >= indent or this.indent <= line.key_column:
                return None
            return SyntaxProblem(
                this.number, this.indent + 1,
                f"indent every line of the text of '{line.key}' (line {line.number}) like its first line "
                f"({_spaces(indent)}, not {this.indent})",
            )  # fmt: skip
    return None


def _below_a_value(previous: _Line, this: _Line) -> SyntaxProblem:
    key, value = previous.key, previous.value
    if (value == "[]" and this.item) or (value == "{}" and this.key is not None and not this.item):
        kind = "list" if value == "[]" else "mapping"
        return SyntaxProblem(
            previous.number, previous.value_column + 1,
            f"'{key}: {value}' is an empty {kind}, yet items follow on line {this.number}: delete the '{value}' "
            "(a key with a value on its line cannot also have items below)",
        )  # fmt: skip
    what = "list item" if this.item else "line"
    return SyntaxProblem(
        this.number, this.indent + 1,
        f"this {what} is indented under '{key}', which already has its value on line {previous.number}: indent it "
        f"like '{key}' ({_spaces(previous.key_column)}), or, if it belongs under '{key}', move '{value}' off "
        f"line {previous.number}",
    )  # fmt: skip


def _sibling_column(above: list[_Line], this: _Line) -> int | None:
    """The column of the nearest sibling the line could be meant to line up with: list items
    for a list item, keys for a key, among the lines it could belong to (each less or equally
    indented than everything between it and this line)."""
    columns: list[int] = []
    lowest = 10**9
    for line in above:
        if line.indent > lowest:
            continue  # inside a sibling written further up: not where this line can belong
        lowest = line.indent
        if this.item and line.item:
            columns.append(line.indent)
        elif not this.item and line.key is not None:
            columns.append(line.key_column)
        if line.indent == 0:
            break
    if not columns:
        return None
    return min(columns, key=lambda column: abs(column - this.indent))


def _text_after_quote(lines: list[str], line: int, column: int) -> SyntaxProblem | None:
    """`title: "Night" raid`: quotes must hold the whole value."""
    if line > len(lines):
        return None
    before = lines[line - 1][: column - 1].rstrip()
    parsed = _parse_line(line, lines[line - 1])
    if not before or before[-1] not in "\"'" or parsed is None or column - 1 <= parsed.value_column:
        return None
    return SyntaxProblem(
        line, column,
        "text after the closing quote: quotes must hold the whole value (to keep quotes inside it, put it "
        "in the other kind: 'a \"quoted\" word')",
    )  # fmt: skip


def _colon_in_value(lines: list[str], line: int, column: int, problem: str) -> SyntaxProblem | None:
    """`title: Raid: the night`: a ': ' inside a value needs quotes."""
    if "mapping values" not in problem or line > len(lines):
        return None
    parsed = _parse_line(line, lines[line - 1])
    if parsed is None:
        return None
    if parsed.key is None:  # a value continued on this line
        return SyntaxProblem(
            line, column,
            "': ' inside a value makes YAML read a new key: put the whole value in quotes, or write the key "
            "with '>-' and the text on the lines below it",
        )  # fmt: skip
    if column - 1 <= parsed.value_column:
        return None
    value = parsed.value
    suggestion = f' (write {parsed.key}: "{value}")' if '"' not in value and "\\" not in value else ""
    return SyntaxProblem(
        line, parsed.value_column + 1,
        f"this value holds ': ', which YAML reads as a new key: put the whole value in quotes{suggestion}",
    )  # fmt: skip


def _not_a_key(lines: list[str], exc: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    """A line that is neither `key: value` nor `- item`: libyaml notices a line later."""
    start = exc.context_mark
    if start is None or "simple key" not in str(exc.context or ""):
        return None
    return SyntaxProblem(
        start.line + 1, start.column + 1,
        "this line is neither 'key: value' nor a list item: add ':' after the key, or indent it to continue "
        "the value above",
    )  # fmt: skip
