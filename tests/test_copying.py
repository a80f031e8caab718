"""The copied-prose check (issue 12 item 2): runs of words shared with archived sources."""

from __future__ import annotations

import re

import pytest
from conftest import require_seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.checking.copying import (
    DEFAULT_WORDS,
    Copied,
    _word_spans,
    describe_copied,
    find_copied,
    fold_words,
    index_sources,
    line_and_column,
    shorten,
)

# Sixteen words, then a second sentence; the tests copy slices of it.
SOURCE = (
    "The envoy said on Tuesday that the government had failed to withdraw its heavy weapons from the towns.\n"
    "Activists reported that dozens of tanks had entered the province overnight, shelling villages near the border."
)
WORDS = re.findall(r"[\w']+", SOURCE)
QUOTE_MARKS = re.compile("[\"“”«»‘’']")


def words(first: int, count: int) -> str:
    """`count` words of SOURCE from word `first`, as plain prose."""
    return " ".join(WORDS[first : first + count])


def one(prose: str, texts: dict[str, str] | None = None, n: int = DEFAULT_WORDS) -> Copied:
    found = find_copied(prose, index_sources(texts or {"envoy-report": SOURCE}, n))
    assert len(found) == 1, found
    return found[0]


def test_an_exact_run_is_found_where_it_starts() -> None:
    copied_words = words(2, 10)  # "said on Tuesday that the government had failed to withdraw"
    prose = f"In our words: {copied_words}, we write."
    found = one(prose)
    assert found.words == 10
    assert found.source == "envoy-report"
    assert prose[found.start : found.end] == copied_words
    assert found.text == "said on Tuesday that the government had failed to withdraw"
    assert (found.line, found.column) == (1, SOURCE.index("said") + 1)


def test_a_long_run_is_one_report_of_its_full_length() -> None:
    prose = f"Summary. {words(0, 14)} and more of ours."
    found = one(prose)
    assert found.words == 14
    assert prose[found.start : found.end] == words(0, 14)


def test_the_whole_source_copied_is_one_run_across_its_lines() -> None:
    found = one(f"Ours: {SOURCE} Ours again.")
    assert found.words == len(WORDS)
    assert (found.line, found.column) == (1, 1)
    assert found.text == " ".join(SOURCE.split()).rstrip(".")


def test_seven_words_are_not_reported_eight_are() -> None:
    index = index_sources({"envoy-report": SOURCE})
    assert find_copied(f"We say {words(3, 7)} today.", index) == []
    assert [c.words for c in find_copied(f"We say {words(3, 8)} today.", index)] == [8]


def test_the_run_length_is_configurable() -> None:
    assert one(f"x {words(4, 5)} y", n=5).words == 5
    assert find_copied(f"x {words(4, 9)} y", index_sources({"s": SOURCE}, n=10)) == []
    assert one(f"x {words(4, 10)} y", n=10).words == 10
    with pytest.raises(ValueError, match="at least one word"):
        index_sources({"s": SOURCE}, n=0)


def test_case_punctuation_dashes_spacing_and_apostrophes_do_not_hide_a_copy() -> None:
    source = "The Arab League's fact-finding mission, sent in December, counted 7,000 dead — it said."
    prose = "the arab league’s FACT FINDING mission;\n  sent in   december (counted 7,000 dead) it said"
    found = one(prose, {"league": source})
    assert found.words == 15
    assert found.start == 0
    assert found.end == len(prose)
    assert found.text == source.rstrip(".")


def test_folding_unifies_apostrophes_case_accents_and_digits() -> None:
    assert fold_words("Assad’s Assad's ASSADS ’90s 7,000 Élysée straße İstanbul ٢٠١٢ x_y") == [
        *["assads", "assads", "assads", "90s", "7", "000", "elysee", "strasse", "istanbul", "2012", "x", "y"]
    ]


@given(st.text())
def test_each_word_of_a_text_is_located_where_it_stands(text: str) -> None:
    """Offsets of words are found by a second tokenizer (only when a run is reported): it
    must agree with the folded words, word for word, on any text."""
    spans = _word_spans(text, 0, len(text))
    assert [fold_words(text[a:b]) for a, b in spans] == [[word] for word in fold_words(text)]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’"), ("'", "'")],
)
def test_a_run_inside_quotation_marks_is_not_reported(opening: str, closing: str) -> None:
    index = index_sources({"envoy-report": SOURCE})
    prose = f"The envoy put it bluntly: {opening}{words(4, 12)}{closing}, and we agree."
    assert find_copied(prose, index) == []


def test_a_run_may_not_cross_into_a_quotation() -> None:
    index = index_sources({"envoy-report": SOURCE})
    # Seven copied words outside, five inside: neither side is a run of eight.
    prose = f'{words(0, 7)} "{words(7, 5)}" we add.'
    assert find_copied(prose, index) == []
    # Nine outside and five inside: the nine outside are reported, and only they.
    prose = f'{words(0, 9)} "{words(9, 5)}" we add.'
    (found,) = find_copied(prose, index)
    assert found.words == 9
    assert prose[found.start : found.end] == words(0, 9)


def test_a_run_after_a_quotation_is_found_where_it_starts() -> None:
    index = index_sources({"envoy-report": SOURCE})
    prose = f"“{words(0, 3)}”: {words(3, 10)}."
    (found,) = find_copied(prose, index)
    assert (found.start, found.words) == (prose.index(words(3, 10)), 10)


def test_apostrophes_and_an_unpaired_quote_mark_quote_nothing() -> None:
    source = "the rebels' weapons were seized by Assad's army in the town of Idlib, they said"
    index = index_sources({"idlib": source})
    for prose in (
        "the rebels' weapons were seized by Assad's army in the town",
        "in the ’90s the rebels’ weapons were seized by Assad’s army in the town",
        "a 12\" gun: the rebels' weapons were seized by Assad's army in the town",
    ):
        (found,) = find_copied(prose, index)
        assert found.words == 11, prose


def test_link_targets_and_urls_are_not_words() -> None:
    source = "Syrians began to demonstrate against the rule of Bashar al-Assad in March 2011."
    index = index_sources({"intro": source})
    prose = (
        "Syrians began to [demonstrate](https://example.org/protests) against the rule of\n"
        "[Bashar al-Assad](../actors/bashar-al-assad/) in March 2011 <https://example.org/x>."
    )
    (found,) = find_copied(prose, index)
    assert found.words == 14
    assert prose[found.end - 4 : found.end] == "2011"
    # A URL's words are not prose: a source holding a URL is not copied by citing it.
    url = "https://www.example.org/news/2012/06/07/assad-forces-shell-homs-opposition-says"
    assert find_copied(f"See {url} for more.", index_sources({"page": f"From {url} today"})) == []


def test_reference_links_and_their_definitions_are_not_words() -> None:
    index = index_sources({"intro": "the rule of Bashar al-Assad in March 2011 and the protests that followed"})
    prose = "the rule of [Bashar al-Assad][assad] in March 2011 and\n\n[assad]: https://example.org/assad\n"
    (found,) = find_copied(prose, index)
    assert found.words == 10
    assert prose[found.start : found.end] == "the rule of [Bashar al-Assad][assad] in March 2011 and"


def test_each_source_is_named_and_runs_are_in_order() -> None:
    other = "Russia and China vetoed the draft resolution that endorsed the Arab League plan for Syria."
    index = index_sources({"envoy-report": SOURCE, "veto": other})
    prose = f"First {other.rstrip('.')} then {words(12, 9)} end."
    found = find_copied(prose, index)
    assert [(c.source, c.words) for c in found] == [("veto", 15), ("envoy-report", 9)]
    assert found[0].start < found[1].start


def test_a_phrase_in_two_sources_reports_the_longer_run_or_the_first_id() -> None:
    common = "the joint special envoy of the United Nations and the Arab League"
    short = f"Kofi Annan, {common}, arrived."
    long = f"Kofi Annan, {common} for Syria, met the president."
    prose = f"Annan, {common} for Syria, flew in."
    (found,) = find_copied(prose, index_sources({"a-short": short, "b-long": long}))
    assert (found.source, found.words) == ("b-long", 15)
    (found,) = find_copied(f"Annan, {common}, flew in.", index_sources({"b": long, "a": short}))
    assert (found.source, found.words) == ("a", 13)


def test_an_overlapping_copy_of_another_passage_is_reported_too() -> None:
    first = "one two three four five six seven eight nine ten"
    second = "seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    prose = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    found = find_copied(prose, index_sources({"first": first, "second": second}))
    assert [(c.source, c.words) for c in found] == [("first", 10), ("second", 10)]


def test_the_archive_line_and_column_name_where_the_words_start() -> None:
    source = "Title line\n\nFirst paragraph of ours.\n   " + words(0, 12) + "\n"
    (found,) = find_copied(f"x {words(2, 9)} y", index_sources({"s": source}))
    assert (found.line, found.column) == (4, 4 + len(words(0, 2)) + 1)
    assert line_and_column(source, source.index("First")) == (3, 1)


def test_arabic_is_found_whatever_its_vowel_marks_tatweel_and_digits() -> None:
    # Vowelled in the archive, with a tatweel and Arabic-Indic digits; plain in the prose.
    source = "قالَ المبعوثُ الخاصُّ إنَّ الحكومةَ لم تسحبْ أسلحتَها الثقيلـــةَ من المدن في ٢٠١٢ كما وعدت."
    prose = "وفي ملخصنا: قال المبعوث الخاص إن الحكومة لم تسحب أسلحتها الثقيلة من المدن في 2012، ثم..."
    found = one(prose, {"arabic-report": source})
    assert found.words == 13
    assert prose[found.start : found.end] == "قال المبعوث الخاص إن الحكومة لم تسحب أسلحتها الثقيلة من المدن في 2012"
    # Two words changed: no run of eight is left.
    paraphrase = prose.replace("الحكومة", "السلطات").replace("الثقيلة", "الكبيرة")
    assert find_copied(paraphrase, index_sources({"a": source})) == []
    # Inside Arabic quotation marks (« ») it is a quotation, not copying.
    assert find_copied(f"قال: «{source}»", index_sources({"a": source})) == []


def test_the_message_names_the_source_line_and_passage() -> None:
    found = one(f"Summary. {words(0, 14)} and more of ours.")
    assert describe_copied(found) == (
        '14 words copied from envoy-report (archive line 1): "The envoy said on Tuesday that … '
        'had failed to withdraw its heavy"; quote and attribute them, or say it in your own words'
    )
    short = one(f"x {words(2, 8)} y")
    assert describe_copied(short).startswith(
        '8 words copied from envoy-report (archive line 1): "said on Tuesday that the government had failed";'
    )


def test_shorten_keeps_a_short_passage_whole() -> None:
    assert shorten("a b  c\nd") == "a b c d"
    assert shorten(" ".join(str(i) for i in range(20)), keep=6) == "0 1 2 … 17 18 19"


def test_nothing_is_found_in_empty_prose_or_with_no_sources() -> None:
    assert find_copied("", index_sources({"s": SOURCE})) == []
    assert find_copied(SOURCE, index_sources({})) == []
    assert find_copied(SOURCE, index_sources({"empty": ""})) == []


_LETTERS = "abcdefghijklmnopqrstuvwxyzÉéñßçاليمنقد0123456789"
_WORD_ST = st.text(alphabet=_LETTERS, min_size=1, max_size=7)
_SEPARATORS = st.sampled_from([" ", ", ", ". ", " — ", "\n", "; ", " - ", "  "])


def _prose(parts: list[tuple[str, str]]) -> str:
    return "".join(word + separator for word, separator in parts)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    source_parts=st.lists(st.tuples(_WORD_ST, _SEPARATORS), min_size=8, max_size=60),
    before=st.lists(st.tuples(_WORD_ST, _SEPARATORS), max_size=20),
    after=st.lists(st.tuples(_WORD_ST, _SEPARATORS), max_size=20),
    data=st.data(),
)
def test_any_slice_of_eight_or_more_source_words_is_found(
    source_parts: list[tuple[str, str]],
    before: list[tuple[str, str]],
    after: list[tuple[str, str]],
    data: st.DataObject,
) -> None:
    source = _prose(source_parts)
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\s,.;—-]+", source)]
    length = data.draw(st.integers(min_value=DEFAULT_WORDS, max_value=len(spans)), label="length")
    first = data.draw(st.integers(min_value=0, max_value=len(spans) - length), label="first")
    passage = source[spans[first][0] : spans[first + length - 1][1]]
    lead = _prose(before)
    prose = f"{lead} {passage} {_prose(after)}"
    start = len(lead) + 1
    end = start + len(passage)
    found = find_copied(prose, index_sources({"src": source}))
    assert any(c.start <= start and c.end >= end and c.words >= length for c in found), (found, passage)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(require_seeds().glob("*.txt"))}


def test_a_passage_of_each_seed_is_found_and_a_paraphrase_is_not(seeds: dict[str, str]) -> None:
    index = index_sources(seeds)
    for seed_id, text in seeds.items():
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        # The first twenty words after the 40th that hold no quotation mark.
        first = next(i for i in range(40, len(spans)) if not QUOTE_MARKS.search(text, spans[i][0], spans[i + 19][1]))
        passage = text[spans[first][0] : spans[first + 19][1]]
        found = find_copied(f"Our summary says that {passage} and goes on.", index)
        assert [c.source for c in found] == [seed_id], seed_id
        assert found[0].words >= 20
        assert found[0].line == line_and_column(text, spans[first][0])[0]
        # Every fifth word changed: no run of eight is left.
        paraphrase = " ".join("altered" if i % 5 == 4 else w for i, w in enumerate(passage.split()))
        assert find_copied(paraphrase, index) == [], seed_id


# --- where a copied run is reported: every YAML way of writing a value --------------------------

_STYLES = {
    "plain": "summary: The army shelled the old town for a second day.\n",
    "plain over lines": "summary: The army shelled\n  the old town for\n  a second day.\nsources: [s]\n",
    "double quotes": 'summary: "The army shelled the old town for a second day."\n',
    "double quotes over lines": 'summary: "The army shelled\n  the old town for\n\n  a second day."\n',
    "single quotes": "summary: 'The army: tanks shelled the old town for a second day.'\n",
    "literal": "summary: |\n  The army shelled\n    the old town\n\n  for a second day.\nsources: [s]\n",
    "literal, kept end": "summary: |+\n  The army shelled\n  the old town for a second day.\n\nsources: [s]\n",
    "folded": "summary: >-\n  The army shelled\n  the old town for\n\n  a second day.\n  # not a comment\n",
    "folded, more indented": "summary: >\n  The army shelled\n      the old town\n  for a second day.\n",
    "in a list": "claims:\n  - text: >-\n      The army shelled\n      the old town for a second day.\n    by: x\n",
    "comment after": "summary: The army shelled the old town  # a comment\nsources: [s]\n",
    "indented key": "relations:\n  - note: The army\n      shelled the old town\n    actor: x\n",
}


@pytest.mark.parametrize("text", list(_STYLES.values()), ids=list(_STYLES))
def test_every_word_of_a_yaml_value_is_located_where_it_is_written(text: str) -> None:
    """The anchors map each word of a value (whatever its style: plain, quoted, literal, folded,
    over several lines) back to the line and column where the file writes it."""
    from explainer.checking.prose import PROSE_FIELDS, locate, prose_values
    from explainer.checking.yaml_loader import load_document

    collection = next(c for c in ("events", "actors") if any(p[0] == text.split(":")[0] for p in PROSE_FIELDS[c]))
    document, problems = load_document(text.encode("utf-8"), "x.yaml")
    assert document is not None, problems
    lines = text.split("\n")
    (prose,) = prose_values(collection, document)
    for match in re.finditer(r"[A-Za-z]+", prose.text):
        line, column = locate(prose.anchors, match.start())
        assert lines[line - 1][column - 1 :].startswith(match.group()), (match.group(), line, column)
