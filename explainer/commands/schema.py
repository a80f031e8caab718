"""JSON Schema for each record kind, derived from the models, for editors' autocompletion.

With a data folder, every place where a record names another (`REFERENCE_FIELDS`: an event's
`place`, a stance's `actor`, every `sources` list...) lists the ids that exist there as an
`enum`, each with the record's name in `enumDescriptions` (what VS Code's YAML extension shows
beside a completion), so the editor offers the existing ids and marks a typo at once. Without
one, an id is checked against the id pattern only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, overload

from explainer.checking.models import COLLECTIONS, FORMAT_VERSION, RECORD_MODELS, Model, Site
from explainer.checking.record_facts import REFERENCE_FIELDS
from explainer.checking.yaml_loader import load_document
from explainer.core.ids import as_id
from explainer.rendering.files import write_if_changed

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The key holding each kind of record's name, shown beside its id.
NAME_KEYS = {"actors": "name", "events": "title", "questions": "question", "places": "name", "sources": "title"}

KnownIds = Mapping[str, Mapping[str, str]]  # {collection: {id: what to show beside it}}


def record_schemas(ids: KnownIds | None = None) -> dict[str, dict[str, Any]]:
    """`{"actors": {...}, ..., "site": {...}}`: one schema per file kind; with `ids`, the
    references list them."""
    models: dict[str, type[Model]] = {**RECORD_MODELS, "site": Site}
    out = {}
    for name, model in models.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        if ids:
            for pattern, collection in REFERENCE_FIELDS.get(name, ()):
                if ids.get(collection):
                    for leaf in _id_schemas(schema, schema, pattern):
                        _list_ids(leaf, ids[collection])
        out[name] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"urn:explainer:schema:v{FORMAT_VERSION}:{name}",
            "title": f"explainer {name} record (format v{FORMAT_VERSION})" if name != "site" else "explainer site.yaml",
            **{key: value for key, value in schema.items() if key != "title"},
        }
    return out


def _id_schemas(node: dict[str, Any], root: dict[str, Any], pattern: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """The schemas of the id strings at `pattern` (a REFERENCE_FIELDS path) inside `node`."""
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    for branch in node.get("anyOf", ()):
        if branch.get("type") != "null":
            yield from _id_schemas(branch, root, pattern)
    if not pattern:
        if node.get("type") == "string":
            yield node
        return
    head, rest = pattern[0], pattern[1:]
    child = node.get("items") if head == "*" else node.get("properties", {}).get(head)
    if isinstance(child, dict):
        yield from _id_schemas(child, root, rest)


def _list_ids(leaf: dict[str, Any], known: Mapping[str, str]) -> None:
    ids = sorted(known)
    for key in ("pattern", "maxLength"):
        leaf.pop(key, None)
    leaf["enum"] = ids
    leaf["enumDescriptions"] = [known[record_id] for record_id in ids]


def known_ids(data_dir: Path) -> dict[str, dict[str, str]]:
    """The ids of the records in `data_dir`, each with its name (an event: title and date).
    A file that cannot be read still names its id (its file name): it is being written."""
    found: dict[str, dict[str, str]] = {}
    for collection in COLLECTIONS:
        folder = data_dir / collection
        entries: dict[str, str] = {}
        paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
        for path in paths:
            record_id = as_id(path.stem)
            if record_id is None or record_id in entries or not path.is_file():
                continue
            entries[record_id] = _shown_name(collection, path) or record_id
        found[collection] = entries
    return found


def _shown_name(collection: str, path: Path) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    document, _ = load_document(raw, str(path))
    data = document.data if document is not None else None
    if not isinstance(data, dict):
        return None
    name = data.get(NAME_KEYS[collection])
    if not isinstance(name, str) or not name.strip():
        return None
    name = " ".join(name.split())
    date = data.get("date")
    return f"{name} ({date})" if collection == "events" and isinstance(date, (str, int)) else name


def schema_texts(ids: KnownIds | None = None) -> dict[str, str]:
    """{file name: JSON text} of every schema file."""
    return {
        f"{name}.schema.json": json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for name, schema in record_schemas(ids).items()
    }


def schema_files(data_dir: Path | None, out_dir: Path) -> list[Path]:
    """`explainer schema`: write the schemas (with the ids of `data_dir`, when given and
    present) into `out_dir`; returns every schema file, changed or not."""
    write_schemas(data_dir, out_dir)
    return [out_dir / f"{name}.schema.json" for name in (*RECORD_MODELS, "site")]


@overload
def write_schemas(data_dir: Path | None, out_dir: Path) -> bool: ...
@overload
def write_schemas(data_dir: Path) -> list[Path]: ...
def write_schemas(data_dir: Path | None, out_dir: Path | None = None) -> bool | list[Path]:
    """`write_schemas(data_dir, out_dir)`: the schemas with the ids of `data_dir` into
    `out_dir`, written only when their text changes (for `serve`, after each rebuild); returns
    whether any file changed.

    The one-argument form `write_schemas(out_dir)` writes the general schemas (no ids) and
    returns their paths: what `explainer init` calls before its data folder is in use."""
    if out_dir is None:  # the general schemas into the one folder given
        assert data_dir is not None
        write_schemas(None, data_dir)
        return [data_dir / f"{name}.schema.json" for name in (*RECORD_MODELS, "site")]
    ids = known_ids(data_dir) if data_dir is not None and data_dir.is_dir() else None
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = False
    for name, text in schema_texts(ids).items():
        changed |= write_if_changed(out_dir / name, text.encode("utf-8"))
    return changed
