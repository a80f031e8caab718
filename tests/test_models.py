"""The record models on their own: what one file may hold, and the errors' wording and place."""

from __future__ import annotations

from typing import Any

import pytest

from explainer.checking.dataset import check_file

EVENT = "title: Raid\ndate: 2012-03-20\nkind: bombing\nsummary: Text.\nsources: [a-source]\n"


def _problems(text: str, collection: str = "events") -> list[tuple[int, int, str, str]]:
    _, _, result = check_file(text.encode("utf-8"), collection)
    problems, _, _ = result
    return [(line, column, code, message) for line, column, _, code, message in problems]


def _model(text: str, collection: str = "events") -> Any:
    _, model, result = check_file(text.encode("utf-8"), collection)
    assert result.problems == (), result.problems
    return model


def test_minimal_event_and_defaults() -> None:
    event = _model(EVENT + "figures:\n  - measure: killed\n    value: 3\n    sources: [a-source]\n")
    assert event.figures[0].qualifier == "about"
    assert event.figures[0].according_to is None
    assert event.figures[0].low == event.figures[0].high == 3
    assert event.killed() == 3
    assert str(event.date) == "2012-03-20"


def test_text_fields_take_numbers_and_booleans_as_written() -> None:
    claims = "claims:\n  - by: x\n    text: yes\n    sources: [s]\n"
    event = _model(EVENT.replace("title: Raid", "title: 1984") + claims)
    assert event.title == "1984"
    assert event.claims[0].text == "yes"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("end_date: 2012-03-19\n",
         (6, 11, "invalid-value", "end_date: ends (2012-03-19) before it starts (date: 2012-03-20)")),
        ("place: Port City\n",
         (6, 8, "invalid-value", "place: 'Port City' is not a valid id: use lowercase letters a-z, "
          "digits and single hyphens (e.g. 'port-city')")),
        ("figures:\n  - measure: killed\n    value: '12'\n    sources: [s]\n",
         (8, 12, "invalid-value", "figures[0].value: write the number without quotes (12, not '12')")),
        ("figures:\n  - measure: killed\n    value: 1e3\n    sources: [s]\n",
         (8, 12, "invalid-value", "figures[0].value: write whole numbers in plain digits, without a decimal point or "
          "exponent (1000)")),
        ("figures:\n  - measure: killed\n    min: 5\n    max: 2\n    sources: [s]\n",
         (9, 10, "invalid-value", "figures[0].max: min (5) is greater than max (2)")),
        ("actors:\n  - actor: x\n    role: villain\n    extra: 1\n",
         (9, 5, "unknown-key", "unknown key 'extra' in actors[0]; known keys: actor, role")),
    ],
)  # fmt: skip
def test_one_rule_one_located_message(extra: str, expected: tuple[int, int, str, str]) -> None:
    assert expected in _problems(EVENT + extra)


def test_every_independent_fault_of_a_record_is_reported() -> None:
    text = "title: ''\ndate: 2012-02-30\nend_date: 2012-01\nkind: masacre\nsummary: x\nsources: []\ncolour: red\n"
    codes = sorted(code for _, _, code, _ in _problems(text))
    # The empty title and the impossible date, the empty sources, the unknown key, the misspelt kind.
    assert codes == ["invalid-value", "invalid-value", "too-short", "unknown-key", "unknown-value"]


def test_misspelt_required_key_is_reported_once() -> None:
    problems = _problems(EVENT.replace("date:", "dat:"))
    assert [(code, message) for _, _, code, message in problems] == [
        ("unknown-key", "unknown key 'dat' (did you mean 'date'?)")
    ]


@pytest.mark.parametrize(
    ("text", "collection", "message"),
    [
        ("name: X\nlat: 91\nlon: 0\n", "places", "lat: must be between -90 and 90 (found 91)"),
        ("name: X\nlat: 0\nlon: .nan\n", "places", "lon: expected a number in decimal degrees, found nan"),
        ("name: X\nlat: 0\nlon: '10'\n", "places", "lon: expected a number in decimal degrees, found the text '10'"),
        ("title: T\npublisher: P\ndate: 2012\nurl: JaVaScRiPt:alert(1)\n", "sources",
         "url: a url must start with http:// or https:// (found 'JaVaScRiPt:')"),
        ("title: T\npublisher: P\ndate: 2012\narchive: a/../../b.txt\n", "sources",
         "archive: 'a/../../b.txt' leaves the archive folder; name a file inside it"),
        ("name: X\nkind: person\nsummary: '[a](data:text/html,x)'\n", "actors",
         "summary: links may only be http:, https:, mailto: or site-relative; 'data:' is not allowed"),
        ("name: X\nkind: person\nsummary: '[a](  vbscript:x)'\n", "actors",
         "summary: links may only be http:, https:, mailto: or site-relative; 'vbscript:' is not allowed"),
        ("title: T\nlanguage: english\n", "site",
         "language: 'english' is not a language code; write a code such as en, fr, ar or pt-BR"),
        ("question: Q?\nsummary: S\nstances:\n  - actor: a\n    stance: for\n    sources: [s]\n", "questions",
         "missing required key 'date' in stances[0]"),
    ],
)  # fmt: skip
def test_rules_of_other_kinds(text: str, collection: str, message: str) -> None:
    assert message in [m for _, _, _, m in _problems(text, collection)]


def test_allowed_links_and_html_pass() -> None:
    summary = "'<b>bold</b> [a](https://x.org/) [b](../actors/x/) [c](/events/y/) <mailto:e@x.org> [d](#top)'"
    actor = _model(f"name: X\nkind: person\nsummary: {summary}\n", "actors")
    assert actor.summary.startswith("<b>bold</b>")
