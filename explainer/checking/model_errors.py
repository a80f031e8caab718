"""Turn pydantic's validation errors into located, editor-friendly diagnostics."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from explainer.checking.models import PLACEHOLDER, known_keys
from explainer.checking.yaml_loader import Document, Path
from explainer.core.dates import describe
from explainer.core.diagnostics import Diagnostic, Severity, did_you_mean, nearest

_EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
}


def field_name(path: Path) -> str:
    """`figures[1].value` for ('figures', 1, 'value')."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def model_diagnostics(exc: ValidationError, document: Document, model: type[BaseModel]) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    misspelt = _misspelt_keys(errors, model)
    out = []
    for error in errors:
        path: Path = tuple(error["loc"])
        if document.is_poisoned(path):
            continue
        if error["type"] == "missing" and path in misspelt:
            continue  # "unknown key 'dat' (did you mean 'date'?)" already says it
        diagnostic = _translate(error, path, document, model)
        if diagnostic is not None:
            out.append(diagnostic)
    return out


def _misspelt_keys(errors: list[Any], model: type[BaseModel]) -> set[Path]:
    """Paths of missing keys that an unknown key at the same place is a misspelling of."""
    out = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            parent = tuple(error["loc"][:-1])
            keys = known_keys(_model_at(model, parent) or model)
            match = nearest(str(error["loc"][-1]), keys)
            if match is not None:
                out.add((*parent, match))
    return out


def _translate(error: Any, path: Path, document: Document, model: type[BaseModel]) -> Diagnostic | None:
    kind = error["type"]
    value = error.get("input")
    name = field_name(path)
    prefix = f"{name}: " if name else ""
    line, column = document.at(path)
    placeholder = isinstance(value, str) and bool(PLACEHOLDER.match(value.strip()))
    if placeholder and kind in ("literal_error", "value_error"):
        allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        choices = f" (one of: {', '.join(allowed)})" if allowed else ""
        message = f"{prefix}still holds the placeholder; fill it in{choices}"
        return Diagnostic(document.path, line, column, Severity.ERROR, "placeholder", message)
    if kind == "missing":
        line, column = document.at(path[:-1])
        parent = field_name(path[:-1])
        where = f" in {parent}" if parent else ""
        message = f"missing required key '{path[-1]}'{where}"
        code = "missing-key"
    elif kind == "extra_forbidden":
        line, column = document.key_at(path)
        keys = known_keys(_model_at(model, path[:-1]) or model)
        message = f"unknown key '{path[-1]}'{did_you_mean(str(path[-1]), keys)}"
        parent = field_name(path[:-1])
        if parent:
            message += f" in {parent}"
        if not nearest(str(path[-1]), keys):
            message += f"; known keys: {', '.join(keys)}"
        code = "unknown-key"
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        shown = describe(value) if not isinstance(value, str) else f"'{value}'"
        hint = did_you_mean(str(value), allowed) if isinstance(value, str) else ""
        message = f"{prefix}{shown} is not allowed{hint}; expected one of: {', '.join(allowed)}"
        code = "unknown-value"
    elif kind == "too_short":
        what = "cite at least one source id" if path and path[-1] == "sources" else "needs at least one entry"
        message = f"{prefix}{what}"
        code = "too-short"
    elif kind in ("value_error", "assertion_error"):
        message = f"{prefix}{error['ctx']['error']}" if "ctx" in error else f"{prefix}{error['msg']}"
        code = "invalid-value"
    elif kind in _EXPECTED:
        if value is None:
            message = f"{prefix}is empty; expected {_EXPECTED[kind]}"
        else:
            message = f"{prefix}expected {_EXPECTED[kind]}, found {describe(value)}"
        code = "wrong-type"
    elif kind == "string_pattern_mismatch":
        message = f"{prefix}'{value}' does not have the expected form"
        code = "invalid-value"
    else:  # any other pydantic check: keep its own words
        message = f"{prefix}{error['msg']}"
        code = kind.replace("_", "-")
    return Diagnostic(document.path, line, column, Severity.ERROR, code, message)


def _model_at(model: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`, walking field annotations."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fields = {info.alias or key: info for key, info in current.model_fields.items()}
        if part not in fields:
            return None
        current = _unwrap(fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[X], X | None, Annotated[X, ...] -> X."""
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is None or not args:
            return annotation
        annotation = args[0]
