"""`explainer schema`: JSON Schema derived from the models, usable by editors' YAML tooling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs installed (types-jsonschema is not a dependency)
import pytest

from explainer.checking.yaml_loader import load_document
from explainer.commands.schema import record_schemas, write_schemas

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).parent / "hostile" / "base" / "data"
SCHEMAS = record_schemas()


def _plain(path: Path) -> Any:
    document, problems = load_document(path.read_bytes(), str(path))
    assert document is not None, problems
    return document.data


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = SCHEMAS[kind]
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
