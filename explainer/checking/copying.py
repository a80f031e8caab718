"""Copied prose: runs of words a record's own prose shares with an archived source.

A fact site says things in its own words and quotes, with quotation marks, what it takes from
a source. This module finds where it does not: every run of `n` (default 8) or more
consecutive words that a piece of prose (a summary, a note, a claim's text, a page) shares
with an archived text, outside quotation marks. Pure functions, no file I/O: the caller reads
the archive and the records, and turns a `Copied` into a located warning.

How: each archived text is cut into words, and every run of `width` words (a "key": 6 words
when runs of 8 are reported) is hashed into one dict (`SourceIndex`). A piece of prose is cut
the same way and only every `step`-th of its keys is looked up (every 3rd: any run of 8 words
holds one of them whole), in C (`map` over `zip` of strided slices: no Python loop per word).
Only a hit is checked word by word, and extended both ways as far as the words keep agreeing,
so one copied sentence is one report of its full length.

Words are compared folded (`fold_words`): a word is a run of letters, digits and combining
marks; case, accents, Arabic vowel marks, tatweel, apostrophes (' and U+2019) and zero-width
joiners do not matter, digits of every script read as 0-9, and everything else (spaces,
punctuation, dashes, quote marks, the comma in "7,000") separates words. Folding is one
mapping per character, so whole texts fold with string methods, never a loop per character.

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
from array import array
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import compress, count
from typing import NamedTuple

DEFAULT_WORDS = 8
"""A run this long or longer is reported (issue 12: "no run of eight or more words")."""

_SHOWN_WORDS = 12
"""A passage longer than this is shown in a message as its first and last words."""

_RECENT_SOURCES = 16
"""How many sources' word lists a `SourceIndex` keeps at once for checking hits."""


_MARKS_BELOW = 0x20000
"""Combining marks below this code point are part of words (above: variation selectors only)."""


@cache
def _token() -> re.Pattern[str]:
    """One word of the original text, for offsets: letters and digits ([^\\W_]), combining
    marks, apostrophes and joiners; it folds to one word, or to nothing (a lone apostrophe or
    mark). `\\w` alone leaves the marks out, so "مُحَمَّد" would fall apart at every vowel mark.
    Made at the first reported run (the marks' ranges take about 25 ms to list)."""
    codes = [c for c in range(0x300, _MARKS_BELOW) if unicodedata.category(chr(c))[0] == "M"]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    marks = "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)
    return re.compile(rf"[\w{marks}{_APOSTROPHES}{_JOINERS}]+")  # `_word_spans` splits at "_"


_APOSTROPHES = "'`’‘‛ʼ"
_JOINERS = "\u0640\u200c\u200d"  # tatweel, zero-width non-joiner and joiner: inside words, folded away
_FOLDED_WORD = re.compile(r"[^\W_]+")
_NOT_UNDERSCORE = re.compile("[^_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_FOLD = str.maketrans(
    {chr(c): chr(c).lower() if chr(c).isalnum() else "" if chr(c) in _APOSTROPHES else " " for c in range(128)}
)
_COMMON_FOLDED = (("’", ""), *((char, " ") for char in "“”—–…«»"))
"""The typography of English prose, folded first so its text takes the all-ASCII way."""
_FOLDED: dict[str, str] = {}
"""A character outside ASCII → its folding (see `_fold_char`), found once per character."""

_DOUBLE_QUOTES = '"“”„‟«»〝〞＂'
_SINGLE_OPENERS = "'‘‚‛"
_SINGLE_CLOSERS = "'’"
_QUOTE_MARK = re.compile(f"[{_DOUBLE_QUOTES}{_SINGLE_OPENERS}{_SINGLE_CLOSERS}]")
_OPENS_AFTER = "([{/-–—"
# What prose shows no reader as words: a Markdown link or image target `](…)`, a reference
# label `][…]`, a reference definition line `[label]: url`, an autolink `<…:…>`, a bare URL.
_NOT_WORDS = re.compile(
    r"\]\([^)\n]*\)|\]\[[^\]\n]*\]|^[ \t]*\[[^\]\n]+\]:.*$|<[A-Za-z][\w+.-]*:[^\s<>]*>"
    r"|\b(?:[A-Za-z][\w+.-]*://|mailto:|www\.)[^\s<>()\[\]\"“”]+",
    re.MULTILINE,
)


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


class _Source:
    """What checking a hit needs of one source besides its keys: its words and (once a run is
    reported) where they stand in its text."""

    __slots__ = ("spans", "words")

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.spans: list[tuple[int, int]] | None = None


class SourceIndex:
    """Every run of `width` words of some archived texts, by hash. Build it with `index_sources`.

    It holds one dict entry per distinct key (about 75 bytes each), each text's keys in order
    (8 bytes a word) and its folded words as one string. A source's word list is rebuilt when
    a hit needs it, and only the last few are kept, so memory stays flat however many sources
    the prose copies."""

    __slots__ = ("_first", "_keys", "_more", "_recent", "folded", "ids", "n", "step", "texts", "width")

    def __init__(self, ids: tuple[str, ...], texts: tuple[str, ...], folded: tuple[str, ...], n: int) -> None:
        self.n = n
        """Runs of this many words or more are reported."""
        self.width = (3 * n + 3) // 4
        """Words per key: a run of `n` words holds a whole key at one of `step` positions in a row."""
        self.step = n - self.width + 1
        """Prose is looked up at every `step`-th word."""
        self.ids = ids
        self.texts = texts
        self.folded = folded
        """Each text's folded words, joined by single spaces."""
        self._keys: list[array[int]] = []
        """Each text's key hashes, by the position of their first word."""
        self._first: dict[int, int] = {}
        """Key hash → the number of the first source (in id order) that holds it."""
        self._more: dict[int, list[int]] = {}
        """Key hash → the other sources that hold it (a phrase in common)."""
        self._recent: dict[int, _Source] = {}

    def __len__(self) -> int:
        """How many distinct keys the index holds."""
        return len(self._first)

    def holders(self, key: int) -> list[int]:
        """The sources that hold the key with hash `key`, in id order."""
        first = self._first.get(key)
        if first is None:
            return []
        return [first, *self._more.get(key, ())]

    def positions(self, number: int, key: int) -> Iterator[int]:
        """Where in source `number` the key with hash `key` starts (usually once)."""
        keys = self._keys[number]
        position = -1
        while True:
            try:
                position = keys.index(key, position + 1)
            except ValueError:
                return
            yield position

    def source(self, number: int) -> _Source:
        """The words of source `number` (kept for the last few asked for)."""
        found = self._recent.pop(number, None)
        if found is None:
            found = _Source(self.folded[number].split(" ") if self.folded[number] else [])
            if len(self._recent) >= _RECENT_SOURCES:
                del self._recent[next(iter(self._recent))]
        self._recent[number] = found
        return found

    def spans(self, number: int) -> list[tuple[int, int]]:
        """Where each word of source `number` stands in its text: (start, end) offsets."""
        source = self.source(number)
        if source.spans is None:
            text = self.texts[number]
            source.spans = _word_spans(text, 0, len(text))
        return source.spans


def index_sources(texts: Mapping[str, str], n: int = DEFAULT_WORDS) -> SourceIndex:
    """Index every run of `n` words of each archived text (`{source id: text}`)."""
    if n < 1:
        raise ValueError(f"a run must be at least one word long, not {n}")
    ids = tuple(sorted(texts))
    folded = tuple(" ".join(fold_words(texts[i])) for i in ids)
    index = SourceIndex(ids, tuple(texts[i] for i in ids), folded, n)
    first, more = index._first, index._more
    for number, joined in enumerate(folded):
        ordered = array("q", _key_hashes(joined.split(" ") if joined else [], index.width, 1))
        index._keys.append(ordered)
        keys = set(ordered)
        shared = keys & first.keys()
        if shared:
            keys -= shared
            for key in sorted(shared):
                more.setdefault(key, []).append(number)
        first.update(dict.fromkeys(keys, number))
    return index


def find_copied(prose: str, index: SourceIndex) -> list[Copied]:
    """Every run of `index.n` or more words that `prose` shares with an indexed text, outside
    quotation marks, in the order they start. A run is as long as the words agree (both
    ways), and is reported once: a run that a reported one contains, wherever else its words
    also stand, is not reported again."""
    if not index._first:
        return []
    visible = _hide_not_words(prose)
    found: list[Copied] = []
    for start, end in _unquoted_spans(visible):
        words = fold_words(visible if (start, end) == (0, len(visible)) else visible[start:end])
        if len(words) >= index.n:
            found.extend(_runs(visible, start, end, words, index))
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


def fold_words(text: str) -> list[str]:
    """The words of `text` as they are compared (see the module's docstring).

    Every character folds on its own, so a text is folded by replacing each distinct character
    outside ASCII that changes (a handful), then one `str.translate` of ASCII and a split."""
    if not text.isascii():
        for char, replacement in _COMMON_FOLDED:
            if char in text:
                text = text.replace(char, replacement)
    if not text.isascii():
        for char in set(_NON_ASCII.findall(text)):
            folded = _FOLDED.get(char)
            if folded is None:
                folded = _FOLDED[char] = _fold_char(char)
            if folded != char:
                text = text.replace(char, folded)
        if not text.isascii():
            # Letters of other scripts are left: lower-case the ASCII ones, drop its apostrophes.
            return _FOLDED_WORD.findall(text.lower().replace("'", "").replace("`", ""))
    return text.translate(_ASCII_FOLD).split()


def _fold_char(char: str) -> str:
    """One character outside ASCII, folded: case-folded and decomposed; then marks,
    apostrophes and joiners dropped, digits made 0-9, and what is neither letter nor digit
    made a space (a separator). What `_token` does not read as part of a word is a space."""
    category = unicodedata.category(char)[0]
    if not (
        char.isalnum() or char in _APOSTROPHES or char in _JOINERS or (category == "M" and ord(char) < _MARKS_BELOW)
    ):
        return " "
    out = []
    for part in unicodedata.normalize("NFD", char.casefold()):
        if part in _APOSTROPHES or part in _JOINERS:
            continue
        if unicodedata.category(part)[0] == "M":
            if ord(part) < _MARKS_BELOW:
                continue
            out.append(" ")  # as `_token` reads it
            continue
        digit = unicodedata.decimal(part, None)
        if digit is not None:
            out.append(str(digit))
        elif part.isalnum():
            out.append(part.lower() if part.isascii() else part)
        else:
            out.append(" ")
    return "".join(out)


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) offsets of the words `fold_words(text[start:end])` returns, in order."""
    matches = list(_token().finditer(text, start, end))
    if text.find("_", start, end) < 0 and len(fold_words(" ".join(m.group() for m in matches))) == len(matches):
        return [m.span() for m in matches]  # without "_", a token folds to one word or none: here, one each
    spans = []
    for match in matches:
        token = match.group()
        if "_" in token:  # a separator that `\w` counts as a letter
            first = match.start()
            parts = [(first + m.start(), first + m.end(), m.group()) for m in _NOT_UNDERSCORE.finditer(token)]
        else:
            parts = [(match.start(), match.end(), token)]
        for part_start, part_end, part in parts:
            # An ASCII token is a word unless it is all apostrophes; any other is folded to see.
            if part.strip("'`") if part.isascii() else fold_words(part):
                spans.append((part_start, part_end))
    return spans


def _key_hashes(words: list[str], width: int, step: int) -> Iterator[int]:
    """The hash of the run of `width` words at every `step`-th word: `zip` of strided slices,
    whose j-th tuple is words[step*j : step*j + width]."""
    return map(hash, zip(*[words[k::step] for k in range(width)], strict=False))


def _runs(prose: str, start: int, end: int, words: list[str], index: SourceIndex) -> list[Copied]:
    """The copied runs among `words`, the words of `prose[start:end]` (no quotation inside)."""
    width, step = index.width, index.step
    hits = compress(count(0, step), map(index._first.__contains__, _key_hashes(words, width, step)))
    runs: list[tuple[int, int, int, int]] = []  # (first word, length, source, its first word there)
    for at in hits:
        key = hash(tuple(words[at : at + width]))
        if runs:
            # Inside the last run found: nothing new when its source holds this key only there.
            first, length, number, position = runs[-1]
            if (
                at + width <= first + length
                and index.holders(key) == [number]
                and list(index.positions(number, key)) == [position + at - first]
            ):
                continue
        runs.extend(_aligned_runs(words, at, key, index))
    if not runs:
        return []
    runs.sort(key=lambda run: (run[0], -run[1], run[2], run[3]))
    spans = _word_spans(prose, start, end)
    found: list[Copied] = []
    reach = 0  # the end of the reported runs that reaches furthest
    for first, length, number, position in runs:
        if first + length <= reach:
            continue  # inside a run reported already (which starts no later and is no shorter)
        reach = first + length
        source_spans = index.spans(number)
        first_char = source_spans[position][0]
        last_char = source_spans[position + length - 1][1]
        line, column = line_and_column(index.texts[number], first_char)
        found.append(
            Copied(
                start=spans[first][0],
                end=spans[first + length - 1][1],
                words=length,
                source=index.ids[number],
                line=line,
                column=column,
                text=" ".join(index.texts[number][first_char:last_char].split()),
            )
        )
    return found


def _aligned_runs(words: list[str], at: int, key: int, index: SourceIndex) -> Iterator[tuple[int, int, int, int]]:
    """Each run of `index.n` words or more through the key at word `at` (whose hash is `key`)
    that a source holds, extended both ways as far as the words agree: (first word, length,
    source number, its first word in the source); none when the hash was a collision."""
    width = index.width
    gram = words[at : at + width]
    for number in index.holders(key):
        theirs = index.source(number).words
        for position in index.positions(number, key):
            if theirs[position : position + width] != gram:
                continue
            before = 0
            while before < min(at, position) and words[at - before - 1] == theirs[position - before - 1]:
                before += 1
            after = width
            limit = min(len(words) - at, len(theirs) - position)
            while after < limit and words[at + after] == theirs[position + after]:
                after += 1
            if before + after >= index.n:
                yield at - before, before + after, number, position - before


def _hide_not_words(prose: str) -> str:
    """`prose` with link targets, reference labels and URLs blanked out (offsets kept)."""
    if not ("]" in prose or "<" in prose or ":" in prose or "www." in prose):  # one character: quick
        return prose
    return _NOT_WORDS.sub(lambda m: " " * len(m.group()), prose)


def _unquoted_spans(prose: str) -> list[tuple[int, int]]:
    """The (start, end) spans of `prose` outside quotation marks.

    Double quote marks pair in turn (the first opens, the next closes, whatever their shape,
    so “…”, "…", «…» and „…“ all work); an unpaired one quotes nothing. A single quote mark
    opens a quotation only before a letter at the start of a word (after a space, a bracket or a
    dash) and closes one only at the end of a word, within the same paragraph: "Assad's", "the
    rebels' weapons" and an elided "'90s" stay words."""
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
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
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
