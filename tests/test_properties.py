"""Property tests: whatever an editor writes, the outcome is a valid dataset or reported errors.

Thousands of generated YAML documents (well-formed records with wrong parts, arbitrary values,
arbitrary text and bytes) go through the loader and the whole validator. Nothing may raise,
every problem must be a located line, and a record that is not in the dataset must have an
error saying why: no fact disappears silently.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.checking.models import RECORD_MODELS, known_keys
from explainer.checking.validate import validate_data
from explainer.checking.yaml_loader import load_document
from explainer.core.dates import PartialDate
from explainer.core.diagnostics import Diagnostic, Severity
from explainer.core.ids import as_id, is_valid_id, suggest_id

BASE = Path(__file__).parent / "hostile" / "base" / "data"
PROPERTY_SETTINGS = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Words that tempt a YAML 1.1 parser or a lenient validator into guessing.
TRICKY = [
    "yes", "no", "on", "off", "y", "n", "~", "null", "true", "False", ".nan", ".inf", "-.inf", "0x1F",
    "0o17", "1e3", "1_000", "2012-02-30", "2012-13", "2012-03-20T10:00:00", "03/20/2012", "2012", "2012-03",
    "<actor id>", "javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "https://example.org/",
    "[x](javascript:y)", "northland", "ana-ruiz", "daily-report", "port-city", "Ana_Ruiz", "", " ", "\t",
    "massacre", "killed", "at-least", "for", "person", "<<", "&a", "*a", "!!python/object", "---", "...",
]  # fmt: skip
ALL_KEYS = sorted({key for model in RECORD_MODELS.values() for key in known_keys(model)})
NESTED_KEYS = ["actor", "role", "measure", "value", "min", "max", "qualifier", "according_to", "by",
               "text", "quote", "stance", "title", "of", "from", "to", "kind", "note", "sources"]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(TRICKY),
    st.text(max_size=30),
    st.builds(str, st.dates()),
)
keys = st.one_of(st.sampled_from(ALL_KEYS + NESTED_KEYS), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=5),
    ),
    max_leaves=20,
)


@st.composite
def records(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A record of some kind: mostly its own keys, with arbitrary values and a few extra keys."""
    collection = draw(st.sampled_from(sorted(RECORD_MODELS)))
    own = known_keys(RECORD_MODELS[collection])
    chosen = draw(st.lists(st.sampled_from(own), unique=True, max_size=len(own)))
    record = {key: draw(values) for key in chosen}
    record.update(draw(st.dictionaries(keys, values, max_size=2)))
    return collection, record


def _dump(record: dict[str, Any], flow: bool) -> str:
    return yaml.safe_dump(record, default_flow_style=flow, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(BASE, data)
        yield data


def _check_outcome(data: Path, collection: str, name: str) -> None:
    dataset, report = validate_data(data, shown_dir="data")
    shown = f"data/{collection}/{name}"
    for diagnostic in report.diagnostics:
        assert diagnostic.message
        assert "\n" not in diagnostic.message
        assert diagnostic.line >= 0
        assert diagnostic.column >= 0
        assert diagnostic.format().startswith(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: ")
    record_id = name.removesuffix(".yaml")
    mine = [d for d in report.diagnostics if d.path == shown and d.severity is Severity.ERROR]
    if record_id in dataset.records(collection):
        assert not mine, "a record with errors of its own must not be published"
    else:
        assert mine, "a record that is not in the dataset must have an error saying why"
    others = [d for d in report.errors if d.path != shown]
    # The base folder is valid and nothing in it names the generated file: any other error is a false alarm.
    assert not others, others


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(record=records(), flow=st.booleans())
def test_generated_records_are_valid_or_reported(folder: Path, record: tuple[str, dict[str, Any]], flow: bool) -> None:
    collection, data = record
    path = folder / collection / "generated.yaml"
    path.write_text(_dump(data, flow), encoding="utf-8")
    try:
        _check_outcome(folder, collection, path.name)
    finally:
        path.unlink()


YAML_PIECES = ["a", "b:", ": ", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "!t ", "!!str ", "? ", "|", ">",
               "'", '"', "#", "\n", "\n  ", "\t", "---\n", "...\n", "%YAML 1.2\n", "title: ", "date: ", "2012-02-30",
               "yes", "~", "\\", "\u00e9", "\u2028", "\x85", "\x00", "1e9", "<<: "]  # fmt: skip


@PROPERTY_SETTINGS
@given(pieces=st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=5)), max_size=40))
def test_arbitrary_yaml_text_is_valid_or_reported(folder: Path, pieces: list[str]) -> None:
    path = folder / "events" / "generated.yaml"
    path.write_text("".join(pieces), encoding="utf-8", errors="surrogatepass")
    try:
        _check_outcome(folder, "events", path.name)
    finally:
        path.unlink()


@PROPERTY_SETTINGS
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    document, problems = load_document(raw, "f.yaml")
    assert document is not None or problems
    for problem in problems:
        assert problem.path == "f.yaml"
        assert problem.message


@PROPERTY_SETTINGS
@given(value=st.one_of(st.text(max_size=12), st.integers(), st.none(), st.booleans(), st.floats()))
def test_a_date_parses_or_says_why(value: Any) -> None:
    try:
        date = PartialDate.parse(value)
    except ValueError as exc:
        reason = str(exc)
    else:
        reason = ""
        assert str(PartialDate.parse(str(date))) == str(date)
        assert date.first_day <= date.last_day
    assert reason or date


@PROPERTY_SETTINGS
@given(day=st.dates(min_value=datetime.date(1, 1, 1)))
def test_every_real_day_round_trips_at_each_precision(day: Any) -> None:
    for text in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]):
        date = PartialDate.parse(text)
        assert str(date) == text
        assert date.first_day <= day <= date.last_day


# Characters that hide or reorder text, and control characters other than tab and newline.
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff"
CONTROLS = "".join(map(chr, [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))
valid_ids = st.from_regex(r"\A[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}\Z")


@PROPERTY_SETTINGS
@given(record_id=valid_ids, hidden=st.sampled_from(INVISIBLE + CONTROLS + "\n\r\u2028"), where=st.integers(0, 50))
def test_an_id_with_an_invisible_or_control_character_is_refused(record_id: str, hidden: str, where: int) -> None:
    spoiled = record_id[:where] + hidden + record_id[where:]
    assert is_valid_id(record_id)
    assert not is_valid_id(spoiled)
    assert as_id(spoiled) is None
    suggestion = suggest_id(spoiled)
    assert suggestion == "" or is_valid_id(suggestion)
    assert all(c not in suggestion for c in INVISIBLE + CONTROLS)


@PROPERTY_SETTINGS
@given(text=st.text(max_size=40), hidden=st.text(INVISIBLE + CONTROLS + "\u2028\u2029\u061c\u200e\u200f", min_size=1))
def test_messages_and_paths_show_invisible_and_control_characters_escaped(text: str, hidden: str) -> None:
    quoted = text + hidden + text
    line = Diagnostic(quoted, 1, 1, Severity.ERROR, "code", f"'{quoted}' is wrong").format()
    assert not any(c in line for c in INVISIBLE + CONTROLS + "\u2028\u2029\u061c\u200e\u200f")
    for character in hidden:
        assert character.encode("unicode_escape").decode("ascii") in line


@PROPERTY_SETTINGS
@given(before=st.text(max_size=10), control=st.sampled_from(CONTROLS), after=st.text(max_size=10))
def test_a_control_character_in_a_value_is_one_located_error(before: str, control: str, after: str) -> None:
    text = before + control + after
    escaped = "".join(f"\\U{ord(c):08x}" for c in text)  # every character written as an escape
    raw = f'title: "{escaped}"\n'.encode()
    document, problems = load_document(raw, "f.yaml")
    assert document is not None
    assert document.is_poisoned(("title",))
    refused = [p for p in problems if p.code == "control-character"]
    assert len(refused) == 1
    assert (refused[0].line, refused[0].column) == document.at(("title",))
