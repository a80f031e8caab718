"""A hand-written page as written: its front matter and its links, read and checked without YAML.

A page of `pages/` may begin with front matter between two `---` lines. The site engine would
obey any key there (`template:` picks a theme template, `hide:` hides parts of the page) and
the theme writes some values into `<head>` as they are, so the explainer reads the front
matter itself and never hands it on: only the keys of FRONT_MATTER_KEYS, one line each, plain
text (quotes around a value are removed). The page generator writes them back, escaped.
`check_page` reports every other key or value, and every link target that is not http, https,
mailto or relative (`explainer.core.links`), as one located error.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from explainer.core.diagnostics import Diagnostic, Severity
from explainer.core.links import link_problem, markdown_link_targets
from explainer.core.visible import INVISIBLE

FRONT_MATTER_KEYS = {
    "title": "the page's title, in the navigation and the browser tab (default: its first level-1 heading)",
    "description": "a sentence for search engines and link previews",
}

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_ENTRY = re.compile(r"([^:\s][^:]*?)[ \t]*:(?:[ \t]+(.*))?$")
_MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class PageSource:
    """A page split into its front matter (allowed keys only, values as plain text) and its body."""

    meta: dict[str, str]
    body: str
    body_line: int  # the page's line number of the body's first line


def split_page(text: str) -> tuple[PageSource, list[tuple[int, int, str]]]:
    """The page's front matter and body, and every problem of the front matter as
    (line, column, message). Front matter that is never closed is body text (as for MkDocs)."""
    text = text.replace("\r\n", "\n")
    opening = _OPENING.match(text)
    closing = _CLOSING.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        return PageSource({}, text, 1), []
    meta: dict[str, str] = {}
    problems: list[tuple[int, int, str]] = []
    block = text[opening.end() : closing.start()]
    refused = False  # the lines that continue a refused key are not reported again
    for number, line in enumerate(block.split("\n")[:-1] if block.endswith("\n") else block.split("\n"), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _ENTRY.match(line)
        if entry is None or line[0] in " \t-":
            if not (refused and line[0] in " \t-"):
                problems.append((number, 1, _shape_problem(line)))
            continue
        key, raw = entry.group(1), (entry.group(2) or "").strip()
        refused = key not in FRONT_MATTER_KEYS
        if refused:
            allowed = ", ".join(FRONT_MATTER_KEYS)
            problems.append((number, 1, f"front matter key '{key}' is not allowed; it may hold {allowed}"))
            continue
        column = entry.start(2) + 1 if entry.group(2) is not None else len(line) + 1
        value, problem = _plain_value(key, raw)
        if problem:
            problems.append((number, column, problem))
        elif key in meta:
            problems.append((number, 1, f"front matter key '{key}' is given twice; keep one"))
        else:
            meta[key] = value
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    return PageSource(meta, text[body_start:], text.count("\n", 0, body_start) + 1), problems


def _shape_problem(line: str) -> str:
    if line[:1] in " \t-":
        return "front matter values are one line of plain text (no lists, no continued lines)"
    return "front matter lines are 'key: value' (title: ..., description: ...)"


def _plain_value(key: str, raw: str) -> tuple[str, str | None]:
    """A value as plain text, or why it is not."""
    value = raw
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        value = raw[1:-1]
        if raw[0] == "'":
            value = value.replace("''", "'")
        elif "\\" in value:
            return "", f"{key}: write the value without backslash escapes (in single quotes, a quote is '')"
    elif raw[:1] in ("'", '"'):
        return "", f"{key}: the quote that opens the value is never closed"
    if not value.strip():
        return "", f"{key}: must not be empty"
    if raw[:1] in ("[", "{", "|", ">", "&", "*", "!", "%", "@", "`"):
        return "", f"{key}: must be plain text; a value starting with '{raw[0]}' means something else in YAML"
    if _MARKUP.search(value):
        return "", f"{key}: must be plain text, without HTML tags or character references"
    if (found := INVISIBLE.search(value) or _CONTROL.search(value)) is not None:
        return "", f"{key}: holds the invisible character U+{ord(found.group()):04X}; delete it"
    return " ".join(value.split()), None


def check_page(path: str, text: str) -> list[Diagnostic]:
    """Every problem of a hand-written page that the page generator would otherwise drop
    quietly: front matter it does not allow, links it will not publish."""
    source, problems = split_page(text)
    out = [Diagnostic(path, line, column, Severity.ERROR, "front-matter", text) for line, column, text in problems]
    starts = [0, *(m.end() for m in re.finditer("\n", source.body))]
    for offset, target in markdown_link_targets(source.body):
        if problem := link_problem(target):
            index = bisect.bisect_right(starts, offset) - 1
            line, column = source.body_line + index, offset - starts[index] + 1
            out.append(Diagnostic(path, line, column, Severity.ERROR, "unsafe-link", problem))
    return out
