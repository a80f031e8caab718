"""Record ids and collections: the names that become URLs.

Kept apart from the models (and from pydantic) so that the quick paths of `explainer validate`
(folder listing, the parse cache, cross-record checks) can use them without loading the models.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

COLLECTIONS = ("actors", "events", "questions", "places", "sources")
SINGULAR = {"actors": "actor", "events": "event", "questions": "question", "places": "place", "sources": "source"}

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # as JSON Schema writes it (its `$` is the very end)
ID_MAX_LENGTH = 80
# The same rule for Python: `\Z`, not `$`, which would also accept a trailing newline
# ("kofi-annan\n" from a quoted "\n" or a file name). ASCII only, so the characters that hide
# or reorder text (bidi overrides and isolates, zero-width characters) can never be in an id.
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def is_valid_id(text: str) -> bool:
    return len(text) <= ID_MAX_LENGTH and bool(_ID.match(text))


def as_id(value: Any) -> str | None:
    """The id a written value stands for (`42` is the id "42"), or None if it is not well formed."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and is_valid_id(value):
        return value
    return None


def suggest_id(text: str) -> str:
    """A valid id from free text ("Kofi Annan" -> "kofi-annan"); accents and invisible characters are dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:ID_MAX_LENGTH].strip("-")
