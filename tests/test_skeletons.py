"""`explainer new KIND ID`: a skeleton that validates once its placeholders are filled."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from explainer.checking.validate import validate_data
from explainer.commands.skeletons import SkeletonError, render_skeleton, write_skeleton

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
