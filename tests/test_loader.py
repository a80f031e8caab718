"""The loader: positions for every value, YAML 1.2 scalars, and every hostile construct refused."""

from __future__ import annotations

import math

import pytest

from explainer.checking import yaml_loader as loader
from explainer.checking.yaml_loader import MAX_DEPTH, MAX_FILE_BYTES, load_document, resolve_plain_scalar
from explainer.core.diagnostics import Diagnostic


def _load(text: str | bytes) -> tuple[object, list[str]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    document, problems = load_document(raw, "f.yaml")
    return (document.data if document else None), [p.format() for p in problems]


def test_positions_of_values_and_keys() -> None:
    document, problems = load_document(b"title: Raid\nfigures:\n  - measure: killed\n    value: 3\n", "f.yaml")
    assert problems == []
    assert document is not None
    assert document.at(("title",)) == (1, 8)
    assert document.at(("figures", 0, "value")) == (4, 12)
    assert document.key_at(("figures", 0, "value")) == (4, 5)
    assert document.at(("figures", 0, "missing")) == (3, 5)  # the nearest written ancestor


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("Yes", "Yes"),
        ("true", True), ("False", False), ("~", None), ("null", None), ("", None),
        ("42", 42), ("-3", -3), ("+7", 7), ("12.5", 12.5), ("1e3", 1000.0),
        ("0x1F", "0x1F"), ("0o17", "0o17"), ("1_000", "1_000"), ("1,500", "1,500"), ("012", 12),
        ("2012-05-25", "2012-05-25"), ("2012", 2012), ("12:30:00", "12:30:00"), ("=", "="),
        ("1" * 40, "1" * 40),
    ],
)  # fmt: skip
def test_plain_scalars_follow_yaml_1_2_core(text: str, value: object) -> None:
    assert resolve_plain_scalar(text) == value
    assert type(resolve_plain_scalar(text)) is type(value)


def test_special_floats() -> None:
    assert math.isnan(resolve_plain_scalar(".nan"))
    assert resolve_plain_scalar("-.inf") == -math.inf


def test_quoted_values_stay_text() -> None:
    assert _load("a: '42'\nb: \"yes\"\nc: 'null'\n") == ({"a": "42", "b": "yes", "c": "null"}, [])


@pytest.mark.parametrize(
    "text",
    [
        "a: !!timestamp 2012-13-45\n", "a: !!binary 'not base64!'\n", "a: !!float 'x'\n", "a: !!int 'abc'\n",
        "a: !!bool maybe\n", "a: !!python/object:__main__.X {}\n", "a: !!python/name:os.system\n",
        "a: !!python/object/new:type [x, [], {}]\n", "a: !!set {1, 2}\n", "a: !!omap [1]\n", "a: !!pairs [[1]]\n",
        "? !!python/name:os.system\n: 1\n", "a: !!merge x\n", "a: !<tag:yaml.org,2002:str> x\n",
    ],
)  # fmt: skip
def test_scalars_that_crash_pyyaml_constructors_are_reported_not_raised(text: str) -> None:
    """PyYAML's constructors raise KeyError, IndexError, AttributeError, ValueError on these."""
    data, problems = _load(text)
    assert problems
    assert all(": error: " in line for line in problems)
    assert data is not None


def test_an_alias_to_nothing_is_refused_like_any_alias() -> None:
    expected = ["f.yaml:1:4: error: aliases (*nowhere) are not supported; write the value out in full"]
    assert _load("a: *nowhere\n") == ({"a": None}, expected)


def _too_deep(text: str, parser: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, list[Diagnostic]]:
    """Load with libyaml (the default) or with PyYAML's pure-Python parser."""
    if parser == "python":
        monkeypatch.setattr(loader, "_Parser", loader._PurePythonParser)
    document, problems = load_document(text.encode("utf-8"), "f.yaml")
    return (document.data if document else None), problems


PARSERS = ["libyaml", "python"]
# Deep inputs, each with the column of its first value past the limit (level 65, the root being 1):
# flow lists (libyaml stops these itself at 1,000 levels, reading ahead), flow mappings, block
# mappings, and a mixture.
DEEP = [
    pytest.param("a: " + "[" * 50_000 + "]" * 50_000 + "\n", (1, 4 + MAX_DEPTH - 1), id="flow-lists-50000"),
    pytest.param("a: " + "[" * 1_500 + "]" * 1_500 + "\n", (1, 4 + MAX_DEPTH - 1), id="flow-lists-1500"),
    pytest.param("a: " + "[" * 65 + "]" * 65 + "\n", (1, 4 + MAX_DEPTH - 1), id="flow-lists-65"),
    pytest.param("a: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", (1, 4 + 4 * (MAX_DEPTH - 1)), id="flow-maps"),
    pytest.param("".join(" " * i + f"k{i}:\n" for i in range(300)), (MAX_DEPTH + 1, MAX_DEPTH + 1), id="block-maps"),
    pytest.param("a:\n  - b: " + "[" * 5_000 + "]" * 5_000 + "\n", (2, 8 + MAX_DEPTH - 3), id="block-then-flow"),
]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(("text", "position"), DEEP)
def test_deep_nesting_is_one_too_deep_error_at_the_first_value_past_the_limit(
    text: str, position: tuple[int, int], parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The promise does not depend on which layer (libyaml's own limit or ours) notices first."""
    data, problems = _too_deep(text, parser, monkeypatch)
    assert data is None
    assert [(p.code, p.message) for p in problems] == [
        ("too-deep", f"values are nested more than {MAX_DEPTH} levels deep")
    ]
    assert (problems[0].line, problems[0].column) == position


@pytest.mark.parametrize("parser", PARSERS)
def test_deep_nesting_inside_a_key_is_stopped_too(parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data, problems = _too_deep("? " + "[" * 50_000 + "]" * 50_000 + "\n: 1\n", parser, monkeypatch)
    assert data is None
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 3, "complex-key"), (1, 3 + MAX_DEPTH, "too-deep")]


def test_problems_before_a_too_deep_value_are_kept() -> None:
    data, problems = _load("a: 1\na: 2\nb: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert data is None
    assert problems == [
        "f.yaml:2:1: error: duplicate key 'a' (first written at line 1); each key may appear once",
        f"f.yaml:3:{4 + MAX_DEPTH - 1}: error: values are nested more than {MAX_DEPTH} levels deep",
    ]


def test_64_levels_are_fine() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert _load(text)[1] == []


def test_alias_bomb_is_never_expanded() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(20)]
    data, problems = _load("\n".join(lines) + "\n")
    assert isinstance(data, dict)
    assert len(problems) == 21 + 20  # each anchor once, each alias name once
    assert data["u"] == [None] * 9


def test_file_over_the_limit_is_not_parsed() -> None:
    """The promise: one too-large error for the whole file, which is not parsed (the wording of the
    sizes is docs/errors.md's and the hostile corpus's to show)."""
    document, problems = load_document(b"a: " + b"x" * MAX_FILE_BYTES, "f.yaml")
    assert document is None
    assert [(p.line, p.column, p.code) for p in problems] == [(0, 0, "too-large")]
    assert "at most 1 MiB" in problems[0].message or "(1 MiB)" in problems[0].message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xef\xbb\xbfa: 1\n", ({"a": 1}, [])),
        ("a: caf\xe9\n".encode("latin-1"), (None, ["f.yaml:1:7: error: byte 0xE9 is not valid UTF-8; save the file "
                                                  "as UTF-8 (it looks like Latin-1 or Windows-1252)"])),
        ("a: 1\n".encode("utf-16"), (None, ["f.yaml:1:1: error: the file is UTF-16; save it as UTF-8"])),
        ("a: 1\n".encode("utf-16-le"), (None, ["f.yaml:1:1: error: the file is UTF-16; save it as UTF-8"])),
        (b"a: 1\nb: \xff\n", (None, ["f.yaml:2:4: error: byte 0xFF is not valid UTF-8; save the file as UTF-8 "
                                       "(it looks like Latin-1 or Windows-1252)"])),
    ],
)  # fmt: skip
def test_encodings(raw: bytes, expected: tuple[object, list[str]]) -> None:
    assert _load(raw) == expected


def test_control_characters_are_reported_without_pyyaml_internals() -> None:
    _, problems = _load("a: x\x07y\n")
    message = "not valid YAML: unacceptable character #x0007: control characters are not allowed"
    assert problems == [f"f.yaml:1:5: error: {message}"]


def test_duplicate_key_keeps_the_first_and_reports_the_second() -> None:
    data, problems = _load("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert data == {"a": 1, "b": {"c": 1}}
    assert problems == [
        "f.yaml:4:3: error: duplicate key 'c' (first written at line 3); each key may appear once",
        "f.yaml:5:1: error: duplicate key 'a' (first written at line 1); each key may appear once",
    ]


def test_poisoned_values_are_marked_for_later_stages() -> None:
    document, _ = load_document(b"a: !!str x\nb: &x 1\nc: *x\n", "f.yaml")
    assert document is not None
    assert document.is_poisoned(("a",))
    assert not document.is_poisoned(("b",))
    assert document.is_poisoned(("c",))


@pytest.mark.parametrize(
    ("escape", "shown"),
    [
        ("\\0", "\\x00"), ("\\a", "\\x07"), ("\\b", "\\x08"), ("\\v", "\\x0b"), ("\\f", "\\x0c"), ("\\r", "\\r"),
        ("\\e", "\\x1b"), ("\\x01", "\\x01"), ("\\x1f", "\\x1f"), ("\\x7f", "\\x7f"), ("\\x80", "\\x80"),
        ("\\x9b", "\\x9b"), ("\\N", "\\x85"), ("\\u009f", "\\x9f"),
    ],
)  # fmt: skip
def test_control_characters_written_as_escapes_are_refused(escape: str, shown: str) -> None:
    document, problems = load_document(f'a: ok\nb: "x{escape}y"\n'.encode(), "f.yaml")
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 4, "control-character")]
    assert f"a control character ({shown}, " in problems[0].message
    assert "at character 2;" in problems[0].message
    assert problems[0].message.isprintable()
    assert document is not None
    assert document.is_poisoned(("b",))  # later stages stay quiet about the refused value
    assert not document.is_poisoned(("a",))


def test_control_characters_are_refused_in_keys_and_nested_values() -> None:
    _, problems = _load('"k\\ex": 1\nlist:\n  - fine\n  - {n: "\\0"}\n')
    assert [p.split(": error: ")[0] for p in problems] == ["f.yaml:1:1", "f.yaml:4:9"]


@pytest.mark.parametrize(
    "text",
    [
        'a: "tab\\there, newline\\nthere"\n',
        "a: |\r\n  line one\r\n  line two\r\nb: 'folded\r\n  text'\r\n",  # Windows line endings
        'a: "\u2028 \u00a0 \u200b"\n',  # not control characters: the models judge prose
    ],
)
def test_tab_newline_and_line_endings_are_allowed(text: str) -> None:
    assert _load(text)[1] == []


# --- syntax errors: where the mistake starts, and the fix ---------------------------------------

SYNTAX_ERRORS = [
    # The skeleton's `figures: []` with its items uncommented: the `[]` is the mistake.
    ("title: x\nfigures: []\n  - measure: killed\n    value: 3\n", (2, 10), "delete the '[]'"),
    ("title: x\nclaims: []\n- by: a\n", (2, 9), "'claims: []' is an empty list, yet items follow on line 3"),
    # An unclosed quote: at the opening quote, not at the end of the file.
    ('title: "Night raid\ndate: 2012-03-20\n', (1, 8), 'never closed (it runs on to the end of the file): add the '
     'closing double quote (")'),
    ("sources:\n  - 'a\n", (2, 5), "add the closing single quote (')"),
    ('title: "Night raid\ndate: 2012\nsummary: "ok"\n', (1, 8), "never closed (it runs on to line 3)"),
    # A bracket never closed: at the bracket.
    ("title: x\nsources: [a, b\nkind: y\n", (2, 10), "this list opened with '[' is never closed: add ']'"),
    ("title: x\nplace: {a: b\nkind: y\n", (2, 8), "this mapping opened with '{' is never closed: add '}'"),
    ('sources: ["a" "b"]\n', (1, 15), "expected ',' or ']' here"),
    # Indentation: the misplaced line, and the indentation of its siblings.
    ("q: x\nstances:\n  - actor: a\n    stance: for\n- actor: b\n", (5, 1),
     "indent this list item like the list items above it (2 spaces, not 0)"),
    ("stances:\n- actor: a\n  stance: for\n  - actor: b\n", (4, 3), "(no spaces, not 2)"),
    ("a:\n  - b: 1\n    c: 2\n   d: 3\n", (4, 4), "indent this key like the keys above it (4 spaces, not 3)"),
    ("title: Raid\n  date: 2012\n", (2, 3), "indented under 'title', which already has its value on line 1: "
     "indent it like 'title' (no spaces)"),
    ("a:\n  - b: 1\n     c: 2\n", (3, 6), "indent it like 'b' (4 spaces)"),
    ("title: x\nkind y\nz: 1\n", (2, 1), "neither 'key: value' nor a list item: add ':'"),
    (" name: x\nkind: y\n", (1, 2), "the file's first key is indented 1 space: start it at the beginning of the line"),
    ("summary: >-\n   first line\n  second line\nz: 1\n", (3, 3),
     "indent every line of the text of 'summary' (line 1) like its first line (3 spaces, not 2)"),
    ("aliases: []\n summary: x\n", (2, 2), "indented under 'aliases', which already has its value on line 1"),
    # `: ` inside a value, and text after a closing quote.
    ("title: Raid: the night\n", (1, 8), 'put the whole value in quotes (write title: "Raid: the night")'),
    ("summary: one\n  and two: three\n", (2, 10), "': ' inside a value makes YAML read a new key"),
    ('title: "Dawn" raid\n', (1, 15), "text after the closing quote"),
    # Tabs keep their message.
    ("a:\n\t- b\n", (2, 1), "(a tab: indent with spaces, not tabs)"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "position", "words"), SYNTAX_ERRORS)
def test_syntax_errors_are_located_where_the_mistake_starts(text: str, position: tuple[int, int], words: str) -> None:
    document, problems = load_document(text.encode(), "f.yaml")
    assert document is None
    assert [(p.line, p.column, p.code) for p in problems] == [(*position, "yaml-syntax")]
    assert problems[0].message.startswith("not valid YAML: ")
    assert words in problems[0].message


@pytest.mark.parametrize(("text", "position", "words"), SYNTAX_ERRORS)
def test_syntax_errors_with_the_pure_python_parser(
    text: str, position: tuple[int, int], words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML's pure-Python parser (a build without libyaml) gets the same place and words."""
    monkeypatch.setattr(loader, "_Parser", loader._PurePythonParser)
    document, problems = load_document(text.encode(), "f.yaml")
    assert document is None
    assert [(p.line, p.column, p.code) for p in problems] == [(*position, "yaml-syntax")]
    assert words in problems[0].message


def test_an_unknown_escape_keeps_libyamls_position() -> None:
    _, problems = _load('title: "Night \\q raid"\n')
    assert problems == ["f.yaml:1:15: error: not valid YAML: found unknown escape character"]
