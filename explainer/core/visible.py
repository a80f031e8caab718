"""Characters that hide or reorder text, refused in names and front matter, warned of in prose.

Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) can make one name look
like another or print the words after it backwards; zero-width spaces and joiners, the word
joiner and a byte order mark inside the text (U+200B-U+200D, U+2060, U+FEFF) make two names
that look the same differ. Control characters are the loader's (it refuses them everywhere).
"""

from __future__ import annotations

import re

INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")


def invisible_problem(value: str) -> str | None:
    """What is wrong with a text holding a bidi control or zero-width character, or None."""
    match = INVISIBLE.search(value)
    if match is None:
        return None
    return (
        f"holds the invisible character U+{ord(match.group()):04X} (a bidi control or zero-width character) "
        f"at character {match.start() + 1}; delete it"
    )
