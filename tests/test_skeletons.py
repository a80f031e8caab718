"""`explainer new KIND ID`: a skeleton that validates once its placeholders are filled."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from explainer.checking.validate import validate_data
from explainer.commands.cli import main
from explainer.commands.skeletons import SkeletonError, render_skeleton, write_item, write_skeleton

BASE = Path(__file__).parent / "hostile" / "base" / "data"
PLACEHOLDER = re.compile(r"<([^<>]*)>")

# What an editor would write in place of each placeholder, by the key it stands for.
FILLING = {
    "name": "A new name",
    "short_name": "New",
    "title": "A new title",
    "summary": "Written in my own words.",
    "question": "Should this be filled in?",
    "publisher": "The Daily Report",
    "date": "2012-03",
    "lat": "45.2",
    "lon": "9.9",
    "kind:places": "village",
}
IDS = {
    "source id": "daily-report",
    "actor id": "northland",
    "place id": "port-city",
    "id of the actor who reports it": "ana-ruiz",
}


def fill(text: str, collection: str) -> str:
    """Replace every placeholder: a listed choice takes its first option, an id an existing one."""
    lines = []
    key = ""
    for line in text.splitlines():
        match = re.match(r"\s*(?:- )?([a-z_]+):", line)
        if match:
            key = match.group(1)
        if line.lstrip().startswith("#") or "<" not in line:
            lines.append(line)
            continue
        placeholder = PLACEHOLDER.search(line)
        assert placeholder is not None
        choices = placeholder.group(1).split(" | ")
        if len(choices) > 1:
            value = choices[0]
        elif placeholder.group(1) in IDS:
            value = IDS[placeholder.group(1)]
        else:
            value = FILLING.get(f"{key}:{collection}") or FILLING[key]
        lines.append(line[: placeholder.start()] + value + line[placeholder.end() :])
    return "\n".join(lines) + "\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize("kind", ["actor", "event", "question", "place", "source"])
def test_filled_skeleton_validates(kind: str, data: Path) -> None:
    path = write_skeleton(kind, f"new-{kind}", data)
    assert path == data / f"{kind}s" / f"new-{kind}.yaml"
    path.write_text(fill(path.read_text(encoding="utf-8"), f"{kind}s"), encoding="utf-8")
    dataset, report = validate_data(data)
    assert report.diagnostics == []
    assert f"new-{kind}" in dataset.records(f"{kind}s")


@pytest.mark.parametrize("collection", ["actors", "events", "questions", "places", "sources"])
def test_unfilled_skeleton_reports_only_placeholders(collection: str, data: Path) -> None:
    (data / collection / "draft.yaml").write_text(render_skeleton(collection, "draft"), encoding="utf-8")
    _, report = validate_data(data)
    assert report.errors
    assert {d.code for d in report.diagnostics} == {"placeholder"}
    assert all(d.path.endswith(f"{collection}/draft.yaml") for d in report.diagnostics)


def test_skeleton_lists_every_allowed_value() -> None:
    text = render_skeleton("events", "x")
    assert "<massacre | military-operation | bombing |" in text
    assert "<perpetrator | accused | target | victim | mediator | participant | speaker | host>" in text


def test_plural_kind_is_accepted(data: Path) -> None:
    assert write_skeleton("events", "another", data).name == "another.yaml"


@pytest.mark.parametrize(
    ("kind", "record_id", "message"),
    [
        ("evnt", "x", "unknown kind 'evnt' (did you mean 'event'?)"),
        ("event", "Night Raid", "'Night Raid' is not a valid id: lowercase a-z, digits and single hyphens, at most 80 "
         "characters (try 'night-raid')"),
        ("event", "a" * 81, "is not a valid id"),
        ("event", "raid--2", "(try 'raid-2')"),
        ("event", "port-city-clashes", "already exists; ids are permanent"),
    ],
)  # fmt: skip
def test_refuses_bad_kind_bad_id_and_existing_id(kind: str, record_id: str, message: str, data: Path) -> None:
    before = sorted(p.name for p in (data / "events").iterdir())
    with pytest.raises(SkeletonError, match=re.escape(message)):
        write_skeleton(kind, record_id, data)
    assert sorted(p.name for p in (data / "events").iterdir()) == before


def test_refuses_an_id_taken_by_a_yml_file(data: Path) -> None:
    (data / "events" / "raid.yml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(SkeletonError, match="already exists"):
        write_skeleton("event", "raid", data)


# --- `explainer new stance QUESTION ACTOR`, `new figure EVENT`, `new claim EVENT` -------------

ITEM_IDS = IDS | {"actor id of who reported it": "northland"}


def fill_item(text: str, start: int, end: int) -> str:
    """Fill the placeholders of lines start..end (1-based, inclusive) as an editor would."""
    lines = text.split("\n")
    for index in range(start - 1, end):
        line = lines[index]
        placeholder = PLACEHOLDER.search(line)
        if line.lstrip().startswith("#") or placeholder is None:
            continue
        choices = placeholder.group(1).split(" | ")
        key = re.match(r"\s*(?:- )?([a-z_]*):?", line)
        assert key is not None
        value = {"value": "12", "date": "2012-04", "text": "Said it was over."}.get(key.group(1))
        if value is None:
            value = choices[0] if len(choices) > 1 else ITEM_IDS[placeholder.group(1)]
        lines[index] = line[: placeholder.start()] + value + line[placeholder.end() :]
    return "\n".join(lines)


def _added(before: str, after: str) -> tuple[int, list[str]]:
    """Where `after` differs from `before` by inserted lines only: (first line, the lines)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    count = len(new) - len(old)
    assert new[:start] == old[:start]
    assert new[start + count :] == old[start:]
    return start + 1, new[start : start + count]


@pytest.mark.parametrize(
    ("kind", "record", "actor", "path"),
    [
        ("stance", "ceasefire", "northland", "questions/ceasefire.yaml"),
        ("stance", "ceasefire", "river-front", "questions/ceasefire.yaml"),  # a new date of an actor
        ("figure", "port-city-clashes", None, "events/port-city-clashes.yaml"),
        ("claim", "port-city-clashes", None, "events/port-city-clashes.yaml"),
    ],
)
def test_an_item_is_appended_to_its_list_and_nothing_else_changes(
    kind: str, record: str, actor: str | None, path: str, data: Path
) -> None:
    target = data / path
    before = target.read_text(encoding="utf-8")
    written, line = write_item(kind, record, data, actor)
    assert written == target
    after = target.read_text(encoding="utf-8")
    start, added = _added(before, after)
    assert start == line
    assert added[0].startswith("  - ")  # indented like the items above it
    assert all(text.startswith("    ") or not text.strip() for text in added[1:])
    # The item ends the list: the next line (if any) is the next key.
    rest = after.splitlines()[start - 1 + len(added) :]
    assert not rest or not rest[0].startswith(" ")
    _, report = validate_data(data)
    assert report.diagnostics
    assert {d.code for d in report.diagnostics} == {"placeholder"}
    assert all(d.path.endswith(path) and start <= d.line < start + len(added) for d in report.diagnostics)
    target.write_text(fill_item(after, start, start + len(added) - 1), encoding="utf-8")
    _, report = validate_data(data)
    assert report.diagnostics == []


def test_the_stance_skeleton_asks_for_the_evidence_and_names_earlier_dates(data: Path) -> None:
    path, line = write_item("stance", "ceasefire", data, "river-front")
    text = "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[line - 1 :])
    assert text.startswith("  - actor: river-front\n")
    assert "A new stance of River Front (already recorded on 2012-03: give this one its own date)" in text
    assert "# quote: <their exact words" in text
    assert "according_to: <id of the actor who reports it>" in text


def test_an_empty_list_becomes_a_block_list_and_the_skeleton_comments_stay(data: Path) -> None:
    """The skeleton's `figures: []` (and its commented example) after `explainer new event`."""
    path = write_skeleton("event", "night-raid", data)
    path.write_text(fill(path.read_text(encoding="utf-8"), "events"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert "figures: []\n#  - measure:" in before
    _, line = write_item("figure", "night-raid", data)
    after = path.read_text(encoding="utf-8")
    assert after.replace("figures:\n  - measure: <", "figures: []\n  - measure: <").count("figures: []") == 1
    assert after.splitlines()[line - 2] == "figures:"
    # Apart from the `[]`, only lines were inserted: the commented example follows the new item.
    start, added = _added(before.replace("figures: []", "figures:"), after)
    assert start == line
    assert after.splitlines()[start - 1 + len(added)].startswith("#  - measure:")
    _, line = write_item("figure", "night-raid", data)  # a second one goes after the first
    assert after.splitlines()[line - 2] == "      - <source id>"
    _, report = validate_data(data)
    assert {d.code for d in report.diagnostics} == {"placeholder"}


def test_a_missing_list_is_created_at_the_end_of_the_file(data: Path) -> None:
    path = data / "events" / "port-city-clashes.yaml"
    text = path.read_text(encoding="utf-8")
    without_claims = text[: text.index("claims:")].rstrip("\n")  # no newline at the end, either
    path.write_text(without_claims, encoding="utf-8")
    _, line = write_item("claim", "port-city-clashes", data)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(without_claims + "\nclaims:\n  - by: <actor id>\n")
    assert after.splitlines()[line - 1] == "  - by: <actor id>"
    _, report = validate_data(data)
    assert {d.code for d in report.diagnostics} == {"placeholder"}


def test_comments_blank_lines_and_line_endings_are_kept(data: Path) -> None:
    path = data / "questions" / "ceasefire.yaml"
    text = (
        "# The ceasefire question.\r\nquestion: Should a ceasefire be declared in Port City?\r\n"
        "stances:\r\n    # the first one\r\n    - actor: river-front   # reported\r\n      stance: for\r\n"
        "      date: 2012-03\r\n      sources: [daily-report]\r\n      according_to: ana-ruiz\r\n\r\n"
        "# What the question is about:\r\nsummary: Whether both sides should stop fighting at once.\r\n"
    )
    path.write_bytes(text.encode("utf-8"))
    _, line = write_item("stance", "ceasefire", data, "northland")
    after = path.read_bytes().decode("utf-8")
    start, added = _added(text, after)
    assert (start, line) == (10, 10)  # after the last item, before the blank line and the comment
    assert all(item.endswith("\r\n") for item in added)
    assert added[0] == "    - actor: northland\r\n"
    assert "\n" not in after.replace("\r\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stance", "cease-fire", "northland"), "there is no question 'cease-fire' in"),
        (("stance", "cease-fire", "northland"), "(did you mean 'ceasefire'?)"),
        (("stance", "ceasefire", "northlnd"), "there is no actor 'northlnd' in"),
        (("stance", "ceasefire", "northlnd"), "(did you mean 'northland'?)"),
        (("stance", "ceasefire", None), "a stance needs the question and the actor"),
        (("figure", "port-city-clash", None), "(did you mean 'port-city-clashes'?)"),
        (("claim", "Port City", None), "there is no event 'Port City'"),
        (("figure", "port-city-clashes", "northland"), "a figure takes only the event's id"),
    ],
)
def test_items_refuse_unknown_records(args: tuple[str, str, str | None], message: str, data: Path) -> None:
    before = {path: path.read_bytes() for path in data.rglob("*.yaml")}
    with pytest.raises(SkeletonError, match=re.escape(message)):
        write_item(args[0], args[1], data, args[2])
    assert {path: path.read_bytes() for path in data.rglob("*.yaml")} == before


def test_items_refuse_a_file_that_is_not_valid_yaml_or_a_one_line_list(data: Path) -> None:
    path = data / "events" / "port-city-clashes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Clashes", 'title: "Clashes'), encoding="utf-8")
    with pytest.raises(SkeletonError, match=r"port-city-clashes.yaml:1:8: error: not valid YAML: this quoted"):
        write_item("figure", "port-city-clashes", data)
    path.write_text(
        "title: x\ndate: 2012\nkind: other\nsummary: x\nsources: [daily-report]\n"
        "claims: [{by: ana-ruiz, text: x, sources: [daily-report]}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SkeletonError, match=r"written as a list on one line"):
        write_item("claim", "port-city-clashes", data)


def test_new_item_on_the_command_line(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "stance", "ceasefire", "northland", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"added a stance to {data / 'questions' / 'ceasefire.yaml'} at line 15: replace each <...>")
    assert main(["new", "stance", "ceasefire", "nortland", "--data", str(data)]) == 2
    assert "explainer new: error: there is no actor 'nortland'" in capsys.readouterr().err
    assert main(["new", "event", "raid", "extra", "--data", str(data)]) == 2
    assert "a new event takes one id" in capsys.readouterr().err
    assert main(["new", "stanse", "ceasefire", "--data", str(data)]) == 2
    assert "unknown kind 'stanse' (did you mean 'stance'?)" in capsys.readouterr().err
