"""JSON Schema for each record kind, derived from the models, for editors' autocompletion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explainer.checking.models import FORMAT_VERSION, RECORD_MODELS, Model, Site

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def record_schemas() -> dict[str, dict[str, Any]]:
    """`{"actors": {...}, ..., "site": {...}}`: one schema per file kind."""
    models: dict[str, type[Model]] = {**RECORD_MODELS, "site": Site}
    out = {}
    for name, model in models.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        out[name] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"urn:explainer:schema:v{FORMAT_VERSION}:{name}",
            "title": f"explainer {name} record (format v{FORMAT_VERSION})" if name != "site" else "explainer site.yaml",
            **{key: value for key, value in schema.items() if key != "title"},
        }
    return out


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in record_schemas().items():
        path = out_dir / f"{name}.schema.json"
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        written.append(path)
    return written
