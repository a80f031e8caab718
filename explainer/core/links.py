"""Which link targets the site publishes: http, https, mailto and relative, judged as a browser reads them.

A browser decodes character references in an attribute (`jav&#x61;script:`,
`javascript&colon;`), removes tabs and line breaks anywhere in a URL (`java&#9;script:`),
trims leading spaces and control characters, and reads `\\` as `/`, all before it looks at the
scheme. `browser_target` does the same (decoding until nothing changes, so a reference that
a second parser would decode again is judged too), and both the validator
(`explainer.checking.models`, `explainer.checking.page_source`) and the sanitiser (`explainer.rendering.sanitise`)
judge a target only after it. Free of pydantic and YAML: `explainer validate`'s quick path
checks hand-written pages with it.
"""

from __future__ import annotations

import html
import re

SAFE_LINK_SCHEMES = ("http", "https", "mailto")

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_REMOVED = re.compile(r"[\t\n\r]")
# A backslash before ASCII punctuation is a Markdown escape: `java\-script:` is `java-script:`.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

# Where a Markdown text names a link target: inline links and images `[x](target)`,
# reference definitions `[x]: target` and autolinks `<scheme:...>`.
_MD_LINK = re.compile(r"\]\(\s*<?\s*([^)\s>]*)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?[ \t]*([^\s>]+)", re.MULTILINE)
_MD_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*(?::|&colon;|&#0*58;|&#x0*3a;)[^>\s]*)>", re.IGNORECASE)


def browser_target(url: str) -> str:
    """The target as a browser would read it from an attribute: every character reference
    decoded (repeatedly), Markdown escapes removed, tabs and line breaks dropped, leading and
    trailing spaces and control characters trimmed, backslashes read as slashes."""
    text = url
    while True:
        decoded = html.unescape(_MARKDOWN_ESCAPE.sub(r"\1", text))
        if decoded == text:
            break
        text = decoded
    text = _REMOVED.sub("", text)
    return text.strip("".join(chr(c) for c in range(0x21))).replace("\\", "/")


def scheme_of(url: str) -> str | None:
    """The scheme a browser would follow (`javascript` for `jav&#x61;script:x`), lowercase."""
    match = _SCHEME.match(browser_target(url))
    return match.group(1).lower() if match else None


def link_problem(url: str) -> str | None:
    """Why a link target may not be published, or None: http, https, mailto or relative only."""
    target = browser_target(url)
    match = _SCHEME.match(target)
    written = "" if target == url.strip() else f" (written as '{url.strip()[:40]}')"
    if match and match.group(1).lower() not in SAFE_LINK_SCHEMES:
        scheme = match.group(1)
        return f"links may only be http:, https:, mailto: or site-relative; '{scheme}:' is not allowed{written}"
    if target.startswith("//"):
        return f"links may only be http:, https:, mailto: or site-relative; write the scheme ('https://'){written}"
    return None


def markdown_link_targets(text: str) -> list[tuple[int, str]]:
    """Every link target written in a Markdown text, with its offset in the text."""
    found = [(m.start(1), m.group(1)) for m in _MD_LINK.finditer(text)]
    found += [(m.start(1), m.group(1)) for m in _MD_REFERENCE.finditer(text)]
    found += [(m.start(1), m.group(1)) for m in _MD_AUTOLINK.finditer(text)]
    return sorted(found)
