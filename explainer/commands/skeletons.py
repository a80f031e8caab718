"""`explainer new KIND ID`: a commented skeleton record to fill in; `explainer new stance
QUESTION ACTOR`, `new figure EVENT`, `new claim EVENT`: a commented skeleton item appended to
the list of an existing record, as text, so the file's comments and layout stay as written."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from explainer.checking import models
from explainer.checking.document import Document
from explainer.checking.models import COLLECTIONS, ID_MAX_LENGTH, suggest_id
from explainer.checking.yaml_loader import load_document
from explainer.core.diagnostics import did_you_mean
from explainer.rendering.files import write_if_changed
from explainer.rendering.templating import Escaping, environment

KIND_NAMES = {name: name for name in COLLECTIONS} | {name.rstrip("s"): name for name in COLLECTIONS}
# The kinds that are items of a list inside a record: (the record's collection, the list).
ITEM_KINDS = {"stance": ("questions", "stances"), "figure": ("events", "figures"), "claim": ("events", "claims")}

_ENV = environment("skeletons", Escaping.PREPARED, compact=False)  # YAML, not HTML


class SkeletonError(Exception):
    """The id or kind asked for cannot be used; the message says why."""


def _choices(literal: object) -> str:
    return " | ".join(typing.get_args(literal))


ENUMS = {
    "actor_kind": _choices(models.ActorKind),
    "relation_kind": _choices(models.RelationKind),
    "event_kind": _choices(models.EventKind),
    "participant_role": _choices(models.ParticipantRole),
    "measure": _choices(models.Measure),
    "qualifier": _choices(models.Qualifier),
    "stance": _choices(models.StanceValue),
    "source_kind": _choices(models.SourceKind),
}


def render_skeleton(collection: str, record_id: str) -> str:
    return _ENV.get_template(f"{collection}.yaml.j2").render(id=record_id, enums=ENUMS)


def write_skeleton(kind: str, record_id: str, data_dir: Path) -> Path:
    """Write data/<collection>/<id>.yaml; refuse a bad kind, a bad id or an existing record."""
    collection = KIND_NAMES.get(kind)
    if collection is None:
        kinds = ", ".join(name.rstrip("s") for name in COLLECTIONS)
        hint = did_you_mean(kind, [*KIND_NAMES, *ITEM_KINDS])
        raise SkeletonError(
            f"unknown kind '{kind}'{hint}; choose one of: {kinds} (a new record), or stance QUESTION ACTOR, "
            "figure EVENT, claim EVENT (a new item in a record)"
        )
    if len(record_id) > ID_MAX_LENGTH or not models._ID.match(record_id):
        hint = suggest_id(record_id)
        raise SkeletonError(
            f"'{record_id}' is not a valid id: lowercase a-z, digits and single hyphens, at most {ID_MAX_LENGTH} "
            f"characters" + (f" (try '{hint}')" if hint else "")
        )
    folder = data_dir / collection
    target = folder / f"{record_id}.yaml"
    if target.exists() or (folder / f"{record_id}.yml").exists():
        raise SkeletonError(f"{target} already exists; ids are permanent, choose another or edit that file")
    folder.mkdir(parents=True, exist_ok=True)
    text = render_skeleton(collection, record_id)
    # Exclusive create: never overwrite a file that appeared meanwhile.
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target


# --- `explainer new stance QUESTION ACTOR`, `new figure EVENT`, `new claim EVENT` -------------

_EMPTY_VALUE = re.compile(r"(?P<value>\[\s*\]|~|null|Null|NULL)?(?P<rest>\s*(#.*)?)\Z")


def write_item(kind: str, record_id: str, data_dir: Path, actor_id: str | None = None) -> tuple[Path, int]:
    """Append a commented skeleton stance, figure or claim to the list of an existing record.

    The file is changed by inserting text at the end of the list's block (or, for an absent
    or empty list, right after its key), indented like the list's items: its comments and
    layout stay as written. Returns the file and the line the new item starts on."""
    collection, key = ITEM_KINDS[kind]
    path = _existing_record(data_dir, collection, record_id, collection.rstrip("s"))
    if kind == "stance":
        if actor_id is None:
            raise SkeletonError("a stance needs the question and the actor: explainer new stance QUESTION ACTOR")
        actor_path = _existing_record(data_dir, "actors", actor_id, "actor")
    elif actor_id is not None:
        raise SkeletonError(f"a {kind} takes only the event's id: explainer new {kind} EVENT")
    raw = path.read_bytes()
    document, problems = load_document(raw, str(path))
    if document is None or not isinstance(document.data, dict):
        first = problems[0].format() if problems else f"{path}: cannot be read"
        raise SkeletonError(f"{first}\nfix this first, then run `explainer new {kind}` again")
    value = document.data.get(key)
    if value is not None and not isinstance(value, list):
        line, column = document.at((key,))
        raise SkeletonError(f"{path}:{line}:{column}: '{key}' is not a list; fix it first")
    context: dict[str, object] = {"enums": ENUMS}
    if kind == "stance":
        assert actor_id is not None
        context |= {"actor": actor_id, "actor_name": _name_of(actor_path), "dates": _stance_dates(value, actor_id)}
    item = _ENV.get_template(f"{kind}.yaml.j2").render(**context)
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
    new_text, line = insert_item(text, document, key, item)
    checked, problems = load_document(new_text.encode("utf-8"), str(path))
    items = checked.data.get(key) if checked is not None and isinstance(checked.data, dict) else None
    if not isinstance(items, list) or len(items) != len(value or []) + 1:  # pragma: no cover - a safety net
        raise SkeletonError(
            f"{path}: the {kind} could not be added without changing the file's meaning; add it by hand"
        )
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    write_if_changed(path, bom + new_text.encode("utf-8"))
    return path, line


def insert_item(text: str, document: Document, key: str, item: str) -> tuple[str, int]:
    """`text` with `item` (a YAML list item written at column 0, "- ...") added to the list at
    the top-level `key`: after its last item, indented like its items; after the key when the
    list is empty (`key: []` becomes `key:`); at the end of the file when the key is absent.
    Returns the new text and the (1-based) line where the item starts."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    value = document.data.get(key)
    if key not in document.data:
        at, dash = len(lines), 2
        lines.append(f"{key}:{newline}")
        at += 1
    elif not value:  # `key: []`, `key:` or `key: ~`
        key_line = document.key_at((key,))[0] - 1
        head, _, tail = lines[key_line].rstrip("\r\n").partition(":")
        empty = _EMPTY_VALUE.match(tail.strip())
        if empty is None:  # pragma: no cover - the loader said the value is empty
            raise SkeletonError(f"'{key}' holds a value written in an unusual way; make it a list by hand")
        rest = empty.group("rest").strip()
        lines[key_line] = f"{head}:{' ' + rest if rest else ''}{newline}"
        at, dash = key_line + 1, 2
    else:
        first_item = document.at((key, 0))[0] - 1
        found = _dash_column(lines[first_item])
        if found is None:
            raise SkeletonError(
                f"'{key}' is written as a list on one line ([...]); write it one item per line, each after '- ', "
                "then run `explainer new` again"
            )
        at, dash = _block_end(lines, document.key_at((key,))[0] - 1), found
    indent = " " * dash
    body = "".join(indent + line if line.strip() else line for line in item.splitlines(keepends=True))
    body = body.replace("\r\n", "\n").replace("\n", newline)
    return "".join([*lines[:at], body, *lines[at:]]), at + 1


def _dash_column(line: str) -> int | None:
    stripped = line.lstrip(" ")
    return len(line) - len(stripped) if stripped.startswith("- ") or stripped.rstrip() == "-" else None


def _block_end(lines: list[str], key_line: int) -> int:
    """The index of the line after a top-level key's block: the next line at column 0 that
    is neither an item, a comment nor blank; blank lines and column-0 comments just before it
    belong to what follows."""
    end = len(lines)
    for number in range(key_line + 1, len(lines)):
        line = lines[number]
        if line.strip() and not line[0].isspace() and not line.startswith(("-", "#")):
            end = number
            break
    while end > key_line + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def _existing_record(data_dir: Path, collection: str, record_id: str, kind: str) -> Path:
    folder = data_dir / collection
    for suffix in (".yaml", ".yml"):
        if models._ID.match(record_id) and (folder / f"{record_id}{suffix}").is_file():
            return folder / f"{record_id}{suffix}"
    known = [path.stem for path in folder.glob("*.y*ml")] if folder.is_dir() else []
    raise SkeletonError(
        f"there is no {kind} '{record_id}' in {folder}{did_you_mean(record_id, known)}"
        + ("" if known else f"; write it first: explainer new {kind} {record_id}")
    )


def _name_of(actor_path: Path) -> str:
    document, _ = load_document(actor_path.read_bytes(), str(actor_path))
    name = document.data.get("name") if document is not None and isinstance(document.data, dict) else None
    return " ".join(str(name).split()) if isinstance(name, str) and name.strip() else actor_path.stem


def _stance_dates(stances: object, actor_id: str) -> list[str]:
    if not isinstance(stances, list):
        return []
    return [
        str(stance.get("date"))
        for stance in stances
        if isinstance(stance, dict) and stance.get("actor") == actor_id and stance.get("date") is not None
    ]
