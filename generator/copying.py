"""Copied prose: runs of words a record's own prose shares with an archived source.

A fact site says things in its own words and quotes, with quotation marks, what it takes from
a source. This module finds where it does not: every run of `n` (default 8) or more
consecutive words that a piece of prose (a summary, a note, a claim's text, a page) shares
with an archived text, outside quotation marks. Pure functions, no file I/O: the caller reads
the archive and the records, and turns a `Copied` into a located warning.

How: each archived text is cut into words and every run of `n` words ("shingle") is hashed
into one dict (`SourceIndex`). A piece of prose is cut the same way; each of its shingles is
looked up (in C: `map` over `zip`, no Python loop per word), and only a hit is checked word by
word and extended as far as the words keep agreeing, so one copied sentence is one report of
its full length. Words are compared folded: case, accents and Arabic vowel marks, apostrophes
(' and U+2019), tatweel and the digits of every script do not matter; punctuation, dashes and
spacing separate words and are otherwise ignored.

Not words: what sits inside quotation marks (straight or typographic double quotes, «» and
„“, and single quotes where they clearly quote rather than elide), Markdown link targets and
reference labels, and URLs. A run never crosses a quotation's edge. Scripts written without
spaces between words (Chinese, Japanese, Thai) are out of scope: a whole sentence reads as
one word there.

The index hashes with Python's `hash`, which differs from one process to the next: build it
in the process (or a fork of it) that uses it, and never store its hashes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from itertools import compress, count
from typing import NamedTuple

DEFAULT_WORDS = 8
"""A run this long or longer is reported (issue 12: "no run of eight or more words")."""

_SHOWN_WORDS = 12
"""A passage longer than this is shown in a message as its first and last words."""


def _mark_ranges() -> str:
    """A regex class body of the combining marks of the alphabetic scripts (Latin, Greek,
    Cyrillic, Hebrew, Arabic, Indic, ...): `\\w` leaves them out, so "مُحَمَّد" would fall
    apart at every vowel mark. Computed (about 2 ms) rather than listed by hand."""
    codes = [c for c in (*range(0x300, 0x3000), *range(0xFE00, 0xFE30)) if unicodedata.category(chr(c))[0] == "M"]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


_WORD_CHARS = rf"[\w{_mark_ranges()}\u200c\u200d]"
# A word: letters, digits, marks (and the joiners Persian writes inside words); an apostrophe
# between letters ("Assad's", also with U+2019) and a point or comma between digits ("7,000", "1.5")
# keep it whole. Everything else separates words: spaces, punctuation, dashes, quote marks.
_WORD = re.compile(rf"{_WORD_CHARS}+(?:(?:['’]|(?<=\d)[.,](?=\d)){_WORD_CHARS}+)*")

_DOUBLE_QUOTES = '"“”„‟«»〝〞＂'
_SINGLE_OPENERS = "'‘‚‛"
_SINGLE_CLOSERS = "'’"
# Double quote marks, and single ones that are not an apostrophe inside a word.
_QUOTE_MARK = re.compile(rf"[{_DOUBLE_QUOTES}]|(?<!\w)['‘‚‛’]|['’](?!\w)")
_OPENS_AFTER = "([{/-–—"
# What prose shows no reader as words: a Markdown link or image target `](…)`, a reference
# label `][…]`, a reference definition line `[label]: url`, an autolink `<…:…>`, a bare URL.
_NOT_WORDS = re.compile(
    r"\]\([^)\n]*\)|\]\[[^\]\n]*\]|^[ \t]*\[[^\]\n]+\]:.*$|<[A-Za-z][\w+.-]*:[^\s<>]*>"
    r"|\b(?:[A-Za-z][\w+.-]*://|mailto:|www\.)[^\s<>()\[\]\"“”]+",
    re.MULTILINE,
)
_NOT_WORDS_HINTS = ("](", "][", "]:", "://", "<", "mailto:", "www.")

# Folding of a character outside ASCII, found once per character (see `_fold_char`).
_FOLDED: dict[str, str] = {}


class Copied(NamedTuple):
    """One run of words shared by a piece of prose and an archived source."""

    start: int
    """Offset in the prose (characters) of the run's first word."""
    end: int
    """Offset in the prose just after the run's last word."""
    words: int
    """How many words the run holds (at least the index's `n`)."""
    source: str
    """The id of the archived text it shares them with."""
    line: int
    """The line (from 1) of the archived text where the shared words start."""
    column: int
    """The column (from 1, in characters) of that line where they start."""
    text: str
    """The shared words as the archived text writes them, spaces collapsed."""


class SourceIndex:
    """Every run of `n` words of some archived texts, by hash. Build it once with
    `index_sources`; it is then read only (word lists and positions of a source are
    worked out the first time a piece of prose is found copying it, and kept)."""

    __slots__ = ("_first", "_more", "_offsets", "_positions", "_words", "folded", "ids", "n", "texts")

    def __init__(self, ids: tuple[str, ...], texts: tuple[str, ...], folded: tuple[str, ...], n: int) -> None:
        self.n = n
        self.ids = ids
        self.texts = texts
        self.folded = folded
        """Each text's words, folded and joined by single spaces."""
        self._first: dict[int, int] = {}
        """Shingle hash → the number of the first source (in id order) that holds it."""
        self._more: dict[int, list[int]] = {}
        """Shingle hash → the other sources that hold it (rare: a phrase in common)."""
        self._words: dict[int, list[str]] = {}
        self._positions: dict[int, dict[int, list[int]]] = {}
        self._offsets: dict[int, list[tuple[int, int]]] = {}

    def __len__(self) -> int:
        """How many distinct shingles the index holds."""
        return len(self._first)

    def words_of(self, number: int) -> list[str]:
        """The folded words of source `number`."""
        words = self._words.get(number)
        if words is None:
            words = self._words[number] = self.folded[number].split(" ") if self.folded[number] else []
        return words

    def positions_of(self, number: int) -> dict[int, list[int]]:
        """Shingle hash → the word positions where source `number` holds it."""
        positions = self._positions.get(number)
        if positions is None:
            positions = self._positions[number] = {}
            for position, key in enumerate(_shingle_hashes(self.words_of(number), self.n)):
                positions.setdefault(key, []).append(position)
        return positions

    def offsets_of(self, number: int) -> list[tuple[int, int]]:
        """The (start, end) character offsets in its text of source `number`'s words."""
        offsets = self._offsets.get(number)
        if offsets is None:
            offsets = self._offsets[number] = [m.span() for m in _WORD.finditer(self.texts[number])]
        return offsets

    def holders(self, key: int) -> list[int]:
        """The sources that hold the shingle with hash `key`, in id order."""
        first = self._first.get(key)
        if first is None:
            return []
        return [first, *self._more.get(key, ())]


def index_sources(texts: Mapping[str, str], n: int = DEFAULT_WORDS) -> SourceIndex:
    """Index every run of `n` words of each archived text (`{source id: text}`).

    About 0.1 s and 30 MB per 4 MB of archived text (500 texts of 8 KB)."""
    if n < 1:
        raise ValueError(f"a run must be at least one word long, not {n}")
    ids = tuple(sorted(texts))
    folded = tuple(" ".join(fold_words(_WORD.findall(texts[i]))) for i in ids)
    index = SourceIndex(ids, tuple(texts[i] for i in ids), folded, n)
    first, more = index._first, index._more
    for number, joined in enumerate(folded):
        keys = set(_shingle_hashes(joined.split(" ") if joined else [], n))
        shared = keys & first.keys()
        if shared:
            keys -= shared
            for key in sorted(shared):
                more.setdefault(key, []).append(number)
        first.update(dict.fromkeys(keys, number))
    return index


def find_copied(prose: str, index: SourceIndex) -> list[Copied]:
    """Every run of `index.n` or more words that `prose` shares with an indexed text, outside
    quotation marks, in the order they start; a run is reported once at its full length (a
    run inside one already reported, wherever else it also stands, is not reported again)."""
    if not index._first:
        return []
    visible = _hide_not_words(prose)
    found: list[Copied] = []
    for start, end in _unquoted_spans(visible):
        raw = _WORD.findall(visible, start, end)
        if len(raw) >= index.n:
            found.extend(_runs(visible, start, end, fold_words(raw), index))
    return found


def describe_copied(copied: Copied) -> str:
    """The warning's text; the caller adds `PATH:LINE:COL: warning: ` before it."""
    return (
        f'{copied.words} words copied from {copied.source} (archive line {copied.line}): "{shorten(copied.text)}"; '
        "quote and attribute them, or say it in your own words"
    )


def shorten(passage: str, keep: int = _SHOWN_WORDS) -> str:
    """`passage` itself up to `keep` words; longer, its first and last words around " … "."""
    words = passage.split()
    if len(words) <= keep:
        return " ".join(words)
    head = (keep + 1) // 2
    return " ".join(words[:head]) + " … " + " ".join(words[len(words) - (keep - head) :])


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, columns in characters) of `offset` in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def fold_words(words: Iterable[str]) -> list[str]:
    """Words as they are compared: case-folded, without accents, vowel marks, apostrophes,
    tatweel or the commas of numbers, digits of any script as 0-9. One string operation over
    all the words at once (the words hold no spaces, so the count is kept)."""
    joined = " ".join(words).casefold()
    if joined.isascii():
        if "'" in joined:
            joined = joined.replace("'", "")
        if "," in joined:
            joined = joined.replace(",", "")
        return joined.split(" ")
    joined = unicodedata.normalize("NFD", joined)
    table: dict[int, str] = {}
    for char in set(joined):
        if char > "\x7f" or char in "',":
            folded = _FOLDED.get(char)
            if folded is None:
                folded = _FOLDED[char] = _fold_char(char)
            if folded != char:
                table[ord(char)] = folded
    return joined.translate(table).split(" ")


def _fold_char(char: str) -> str:
    """One character as `fold_words` compares it (a character outside ASCII, or ' and ,)."""
    if char in "',’‘ʼ\u0640\u200c\u200d" or unicodedata.category(char)[0] == "M":
        return ""
    digit = unicodedata.decimal(char, None)
    return char if digit is None else str(digit)


def _shingle_hashes(words: list[str], n: int) -> Iterator[int]:
    """The hash of each run of `n` words, by the position of its first word."""
    return map(hash, zip(*(words[k:] for k in range(n)), strict=False))


def _runs(prose: str, start: int, end: int, words: list[str], index: SourceIndex) -> Iterator[Copied]:
    """The copied runs among `words`, the words of `prose[start:end]` (no quotation inside)."""
    n = index.n
    hits = compress(count(), map(index._first.__contains__, _shingle_hashes(words, n)))
    covered = 0  # the first word after the runs reported so far
    reported = (0, 0, 0)  # where the last reported run starts: (word, source, position there)
    spans: list[tuple[int, int]] = []
    for at in hits:
        key = hash(tuple(words[at : at + n]))
        # Inside the run just reported: skip when its only source holds it only there.
        if (
            at < covered
            and index.holders(key) == [reported[1]]
            and index.positions_of(reported[1])[key] == [reported[2] + at - reported[0]]
        ):
            continue
        best = _longest(words, at, key, index)
        if best is None or at + best[0] <= covered:
            continue
        length, number, position = best
        covered = at + length
        reported = (at, number, position)
        if not spans:
            spans = [m.span() for m in _WORD.finditer(prose, start, end)]
        source_offsets = index.offsets_of(number)
        first_char = source_offsets[position][0]
        last_char = source_offsets[position + length - 1][1]
        line, column = line_and_column(index.texts[number], first_char)
        yield Copied(
            start=spans[at][0],
            end=spans[at + length - 1][1],
            words=length,
            source=index.ids[number],
            line=line,
            column=column,
            text=" ".join(index.texts[number][first_char:last_char].split()),
        )


def _longest(words: list[str], at: int, key: int, index: SourceIndex) -> tuple[int, int, int] | None:
    """The longest run of `words` from `at` that a source holds: (length, source number,
    position); the first source and position in order among equals. None when the hash was a
    collision and no source holds these words. `key` is the hash of the run's first `n` words."""
    n = index.n
    gram = words[at : at + n]
    best: tuple[int, int, int] | None = None
    for number in index.holders(key):
        theirs = index.words_of(number)
        for position in index.positions_of(number).get(key, ()):
            if theirs[position : position + n] != gram:
                continue
            length = n
            while (
                at + length < len(words)
                and position + length < len(theirs)
                and words[at + length] == theirs[position + length]
            ):
                length += 1
            if best is None or length > best[0]:
                best = (length, number, position)
    return best


def _hide_not_words(prose: str) -> str:
    """`prose` with link targets, reference labels and URLs blanked out (offsets kept)."""
    if not any(hint in prose for hint in _NOT_WORDS_HINTS):
        return prose
    return _NOT_WORDS.sub(lambda m: " " * len(m.group()), prose)


def _unquoted_spans(prose: str) -> list[tuple[int, int]]:
    """The (start, end) spans of `prose` outside quotation marks.

    Double quote marks pair in turn (the first opens, the next closes, whatever their shape,
    so “…”, "…", «…» and „…“ all work); an unpaired one quotes nothing. A single quote mark
    opens a quotation only before a letter at the start of a word (after a space, a bracket or a
    dash) and
    closes one only at the end of a word, within the same paragraph: "Assad's", "the rebels'
    weapons" and an elided "'90s" stay words."""
    quoted: list[tuple[int, int]] = []
    double_open: int | None = None
    single_open: int | None = None
    last = len(prose) - 1
    for mark in _QUOTE_MARK.finditer(prose):
        at = mark.start()
        char = prose[at]
        if char in _DOUBLE_QUOTES:
            if double_open is None:
                double_open = at
            else:
                quoted.append((double_open, at + 1))
                double_open = None
            continue
        before = prose[at - 1] if at else " "
        after = prose[at + 1] if at < last else " "
        if (
            single_open is not None
            and char in _SINGLE_CLOSERS
            and not before.isspace()
            and not after.isalnum()
            and "\n\n" not in prose[single_open:at]
        ):
            quoted.append((single_open, at + 1))
            single_open = None
        elif (
            char in _SINGLE_OPENERS
            and after.isalpha()
            and (before.isspace() or before in _OPENS_AFTER or before in _DOUBLE_QUOTES)
        ):
            single_open = at
    if not quoted:
        return [(0, len(prose))]
    quoted.sort()
    spans: list[tuple[int, int]] = []
    position = 0
    for start, end in quoted:
        if start > position:
            spans.append((position, start))
        position = max(position, end)
    if position < len(prose):
        spans.append((position, len(prose)))
    return spans
