"""`explainer new KIND ID`: a commented skeleton record to fill in."""

from __future__ import annotations

import typing
from pathlib import Path

from explainer.checking import models
from explainer.checking.models import COLLECTIONS, ID_MAX_LENGTH, suggest_id
from explainer.core.diagnostics import did_you_mean
from explainer.rendering.templating import Escaping, environment

KIND_NAMES = {name: name for name in COLLECTIONS} | {name.rstrip("s"): name for name in COLLECTIONS}

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
        raise SkeletonError(f"unknown kind '{kind}'{did_you_mean(kind, KIND_NAMES)}; choose one of: {kinds}")
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
