"""`explainer schema`: JSON Schema derived from the models, usable by editors' YAML tooling."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs installed (types-jsonschema is not a dependency)
import pytest

from explainer.checking.record_facts import REFERENCE_FIELDS
from explainer.checking.yaml_loader import load_document
from explainer.commands.cli import main
from explainer.commands.schema import known_ids, record_schemas, write_schemas

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).parent / "hostile" / "base" / "data"
SCHEMAS = record_schemas()


def _plain(path: Path) -> Any:
    document, problems = load_document(path.read_bytes(), str(path))
    assert document is not None, problems
    return document.data


def _validator(kind: str, schemas: dict[str, Any] = SCHEMAS) -> jsonschema.Draft202012Validator:
    schema = schemas[kind]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _real_records() -> list[tuple[str, Path]]:
    found = [("site", ROOT / "data" / "site.yaml"), ("site", BASE / "site.yaml")]
    for folder in (ROOT / "data", BASE):
        for kind in ("actors", "events", "questions", "places", "sources"):
            found += [(kind, path) for path in sorted((folder / kind).glob("*.yaml"))]
    return found


def test_every_kind_has_a_valid_draft_2020_12_schema() -> None:
    assert set(SCHEMAS) == {"actors", "events", "questions", "places", "sources", "site"}
    for kind in SCHEMAS:
        _validator(kind)


@pytest.mark.parametrize(("kind", "path"), _real_records(), ids=lambda value: getattr(value, "name", value))
def test_real_records_satisfy_their_schema(kind: str, path: Path) -> None:
    errors = sorted(error.message for error in _validator(kind).iter_errors(_plain(path)))
    assert errors == []


def _event() -> dict[str, Any]:
    data = _plain(BASE / "events" / "port-city-clashes.yaml")
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda e: e.update(kind="masacre"), "'masacre' is not one of"),
        (lambda e: e.pop("date"), "'date' is a required property"),
        (lambda e: e.update(dat="2012"), "Additional properties are not allowed ('dat' was unexpected)"),
        (lambda e: e.update(date="2012/03/13"), "'2012/03/13' is not valid under any of the given schemas"),
        (lambda e: e["figures"][0].update(min=-1), "-1 is not valid under any of the given schemas"),
        (lambda e: e["figures"][0].update(qualifier="at least"), "'at least' is not one of"),
        (lambda e: e["actors"][0].update(actor="Ana Ruiz"), "does not match"),
        (lambda e: e.update(sources=[]), "should be non-empty"),
        (lambda e: e.update(summary=["not", "text"]), "is not of type 'string'"),
    ],
)
def test_schema_rejects_a_bad_record(change: Any, expected: str) -> None:
    event = _event()
    change(event)
    messages = [error.message for error in _validator("events").iter_errors(event)]
    assert any(expected in message for message in messages), messages


def test_schema_knows_aliases_and_defaults() -> None:
    actor_roles = SCHEMAS["actors"]["$defs"]["Role"]["properties"]
    assert {"from", "to", "of", "title", "sources"} <= set(actor_roles)
    place = SCHEMAS["places"]["properties"]
    assert "in" in place
    assert SCHEMAS["events"]["$defs"]["Figure"]["properties"]["qualifier"]["default"] == "about"
    assert SCHEMAS["questions"]["$defs"]["Stance"]["required"] == ["actor", "stance", "date", "sources"]


def test_place_coordinates_are_bounded() -> None:
    place = _plain(BASE / "places" / "port-city.yaml")
    place["lat"] = 95
    assert any("maximum" in error.message for error in _validator("places").iter_errors(place))


def test_written_schemas_are_stable(tmp_path: Path) -> None:
    first = {path.name: path.read_bytes() for path in write_schemas(tmp_path / "a")}
    second = {path.name: path.read_bytes() for path in write_schemas(tmp_path / "b")}
    assert first == second
    assert all(text.endswith(b"\n") for text in first.values())


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(where, key, property schema) of every key of the file and of every nested object."""
    found = [("", key, value) for key, value in schema.get("properties", {}).items()]
    for name, definition in schema.get("$defs", {}).items():
        found += [(name, key, value) for key, value in definition.get("properties", {}).items()]
    return found


@pytest.mark.parametrize("with_ids", [False, True], ids=["general", "with-ids"])
def test_every_key_has_a_description_and_an_example(with_ids: bool) -> None:
    schemas = record_schemas(known_ids(BASE)) if with_ids else SCHEMAS
    missing = [
        f"{kind}: {where}.{key} lacks {what}"
        for kind, schema in schemas.items()
        for where, key, value in _properties(schema)
        for what in ("description", "examples")
        if not value.get(what)
    ]
    assert missing == []
    assert len([p for schema in schemas.values() for p in _properties(schema)]) > 80


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_example_is_a_valid_value(kind: str) -> None:
    schema = SCHEMAS[kind]
    for where, key, value in _properties(schema):
        validator = jsonschema.Draft202012Validator({**value, "$defs": schema.get("$defs", {})})
        for example in value["examples"]:
            assert list(validator.iter_errors(example)) == [], f"{where}.{key}: {example!r}"


def _id_leaf(schema: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The schema of the id at a REFERENCE_FIELDS path ("*": a list's items)."""
    node = schema
    for part in (*path, ""):
        while "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if "anyOf" in node:
            node = next(branch for branch in node["anyOf"] if branch.get("type") != "null")
        if part:
            node = node["items"] if part == "*" else node["properties"][part]
    return node


def test_references_list_the_ids_of_the_data_folder_with_their_names() -> None:
    ids = known_ids(BASE)
    assert ids["actors"] == {"ana-ruiz": "Ana Ruiz", "northland": "Republic of Northland", "river-front": "River Front"}
    assert ids["events"] == {"port-city-clashes": "Clashes in Port City (2012-03-13)"}
    schemas = record_schemas(ids)
    checked = 0
    for kind, fields in REFERENCE_FIELDS.items():
        for path, collection in fields:
            leaf = _id_leaf(schemas[kind], path)
            assert leaf["enum"] == sorted(ids[collection]), (kind, path)
            assert leaf["enumDescriptions"] == [ids[collection][i] for i in leaf["enum"]]
            assert "pattern" not in leaf
            checked += 1
    assert checked == sum(len(fields) for fields in REFERENCE_FIELDS.values())
    for kind, fields in REFERENCE_FIELDS.items():  # the general schema: the id pattern only
        for path, _ in fields:
            assert "enum" not in _id_leaf(SCHEMAS[kind], path)


def test_a_reference_to_an_id_that_does_not_exist_is_marked() -> None:
    schemas = record_schemas(known_ids(BASE))
    event = _event()
    assert list(_validator("events", schemas).iter_errors(event)) == []
    event["actors"][0]["actor"] = "northlnd"
    event["place"] = "port-ctiy"
    messages = sorted(error.message for error in _validator("events", schemas).iter_errors(event))
    assert any("'northlnd' is not one of ['ana-ruiz', 'northland', 'river-front']" in m for m in messages), messages
    assert any("'port-ctiy'" in m for m in messages), messages


@pytest.mark.parametrize("folder", [ROOT / "data", BASE], ids=["syria", "base"])
def test_real_records_satisfy_the_schema_with_their_own_ids(folder: Path) -> None:
    schemas = record_schemas(known_ids(folder))
    for kind in ("actors", "events", "questions", "places", "sources"):
        for path in sorted((folder / kind).glob("*.yaml")):
            errors = [error.message for error in _validator(kind, schemas).iter_errors(_plain(path))]
            assert errors == [], path


def test_write_schemas_writes_only_when_the_ids_change(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    out = tmp_path / "schema"
    assert write_schemas(data, out) is True
    stamps = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    assert write_schemas(data, out) is False
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir()} == stamps
    (data / "actors" / "new-actor.yaml").write_text("name: New Actor\n", encoding="utf-8")
    assert write_schemas(data, out) is True
    assert "new-actor" in (out / "events.schema.json").read_text(encoding="utf-8")
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{kind}.schema.json" for kind in SCHEMAS)


def test_schema_command_takes_the_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--data", str(BASE), "--out", str(tmp_path / "schema")]) == 0
    assert capsys.readouterr().out.count("wrote ") == len(SCHEMAS)
    assert '"river-front"' in (tmp_path / "schema" / "questions.schema.json").read_text(encoding="utf-8")
    assert main(["schema", "--data", str(tmp_path / "missing"), "--out", str(tmp_path / "general")]) == 0
    assert "no data folder" in capsys.readouterr().err
    assert '"enum": [\n        "ana-ruiz"' not in (tmp_path / "general" / "events.schema.json").read_text(
        encoding="utf-8"
    )
