"""Quotes checked against the archived text of their sources."""

from __future__ import annotations

import re

_DOUBLE_QUOTES = "\"“”„‟″«»〝〞＂"
_SINGLE_QUOTES = "'‘’‚‛′`´"
_DASHES = "-‐‑‒–—―−﹘﹣－"
_FOLD = str.maketrans(
    {**dict.fromkeys(_DOUBLE_QUOTES, '"'), **dict.fromkeys(_SINGLE_QUOTES, "'"), **dict.fromkeys(_DASHES, "-")}
)
_SPACE = re.compile(r"\s+")
_DASH_RUN = re.compile(r"\s*-+\s*")


def fold(text: str) -> str:
    """Fold what typography varies and a quotation does not: whitespace, quote marks, dashes."""
    text = text.translate(_FOLD)
    text = _DASH_RUN.sub(" - ", text)  # "a--b", "a — b" and "a-b" all read the same
    return _SPACE.sub(" ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """Whether `quote` stands verbatim in `text` (after folding); `text` must be folded already."""
    return fold(quote) in text
