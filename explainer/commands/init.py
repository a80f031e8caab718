"""`explainer init DIR`: a new explainer from the starter the package ships.

The starter (`explainer/starter/`) is a data folder with one commented, valid example of every
record kind, a README with the explainer's two commands, a Makefile, the GitHub workflows, the
editor settings, the pre-commit configuration and a `.gitignore`. Its dotfiles are stored under
`dot-` names (`dot-github/` becomes `.github/`): a wheel keeps them whatever its build tool
does with hidden files, and the starter's own `.gitignore` never applies to this repository.
`@EXPLAINER_VERSION@` in the files becomes the version of the running explainer, so a new
explainer installs the one that made it. The JSON Schemas the editor settings name are written
into `schema/` at once.

Nothing is ever overwritten, and no symbolic link is followed: a folder that is not empty is
refused unless `--force`, which only adds the missing files and names those it kept.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from explainer import __version__
from explainer.core import resources

STARTER = resources.STARTER
VERSION_MARK = "@EXPLAINER_VERSION@"
DOT_PREFIX = "dot-"
SCHEMA_DIR = "schema"
# Entries of a folder that still count as empty: an empty repository just cloned holds `.git`.
IGNORED_WHEN_EMPTY = frozenset({".git"})


class InitError(Exception):
    """The folder cannot be used; the message says why and what to do."""


@dataclass
class InitResult:
    """What `init` did, as paths relative to the new explainer's folder (POSIX form)."""

    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped_links: list[str] = field(default_factory=list)


def target_name(relative: PurePosixPath) -> PurePosixPath:
    """Where a starter file goes: `dot-github/workflows/x.yml` -> `.github/workflows/x.yml`."""
    parts = [("." + part[len(DOT_PREFIX) :]) if part.startswith(DOT_PREFIX) else part for part in relative.parts]
    return PurePosixPath(*parts)


def starter_files(starter: Path = STARTER) -> dict[str, Path]:
    """{target path (POSIX, relative to the new folder): the starter file it is made from}."""
    if not starter.is_dir():
        raise InitError(f"the starter files are missing from the installed package ({starter}); reinstall explainer")
    files = {}
    for path in sorted(starter.rglob("*")):
        relative = PurePosixPath(path.relative_to(starter).as_posix())
        if path.is_dir() or "__pycache__" in relative.parts or any(p.startswith(".") for p in relative.parts):
            continue
        files[str(target_name(relative))] = path
    return files


def render(text: str, version: str = __version__) -> str:
    return text.replace(VERSION_MARK, version)


def _existing_entries(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name not in IGNORED_WHEN_EMPTY)


def _check_target(folder: Path, shown: str, force: bool) -> None:
    if folder.is_symlink():
        raise InitError(f"{shown} is a symbolic link; give the folder itself (explainer init never follows links)")
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{shown} exists and is not a folder; choose a new folder name")
    if folder.is_dir() and not force:
        entries = _existing_entries(folder)
        if entries:
            listed = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise InitError(
                f"{shown} is not empty ({listed}); choose a new or empty folder, or add --force "
                "to add only the missing files (nothing is overwritten)"
            )


def _link_on_the_way(root: Path, relative: PurePosixPath) -> str | None:
    """The first component of `relative` under `root` that is a symbolic link, or None."""
    current = root
    for depth, part in enumerate(relative.parts):
        current = current / part
        if current.is_symlink():
            return str(PurePosixPath(*relative.parts[: depth + 1]))
    return None


def _write_new(root: Path, relative: str, data: bytes, result: InitResult) -> None:
    """Create root/relative unless it (or a symbolic link on its way) exists; never overwrite."""
    path = PurePosixPath(relative)
    link = _link_on_the_way(root, path)
    if link is not None:
        if link not in result.skipped_links:
            result.skipped_links.append(link)
        return
    target = root.joinpath(*path.parts)
    if target.exists():
        result.kept.append(relative)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if _link_on_the_way(root, path) is not None:  # a link made meanwhile: still never followed
        result.skipped_links.append(relative)
        return
    try:
        # Exclusive create, not following a link put there meanwhile: never overwrite anything.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except FileExistsError:
        result.kept.append(relative)
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    result.created.append(relative)


def init_explainer(folder: Path, *, shown: str | None = None, force: bool = False) -> InitResult:
    """Make a new explainer in `folder` (created if missing). Raises InitError when the folder
    cannot be used: not empty without `force`, a file, or a symbolic link."""
    shown = shown if shown is not None else str(folder)
    _check_target(folder, shown, force)
    files = starter_files()
    folder.mkdir(parents=True, exist_ok=True)
    result = InitResult()
    for relative, source in files.items():
        data = source.read_bytes()
        _write_new(folder, relative, render(data.decode("utf-8")).encode("utf-8"), result)
    _write_schemas(folder, result)
    return result


def _write_schemas(folder: Path, result: InitResult) -> None:
    """The JSON Schemas of the installed explainer, where `.vscode/settings.json` looks for them."""
    from explainer.commands.schema import write_schemas

    with tempfile.TemporaryDirectory(prefix="explainer-schema-") as scratch:
        for path in write_schemas(Path(scratch)):
            _write_new(folder, f"{SCHEMA_DIR}/{path.name}", path.read_bytes(), result)


def init_command(folder: str, force: bool) -> int:
    """The command line's `explainer init DIR [--force]`: 0 done, 2 the folder cannot be used."""
    try:
        result = init_explainer(Path(folder), shown=folder, force=force)
    except InitError as exc:
        print(f"explainer init: error: {exc}", file=sys.stderr)
        return 2
    shown = folder.rstrip("/\\") or folder
    if result.created:
        print(f"created {_files(len(result.created))} in {shown}/:")
        for relative in result.created:
            print(f"  {relative}")
    if result.kept:
        print(f"kept {_files(len(result.kept))} that were there already (not overwritten):")
        for relative in result.kept:
            print(f"  {relative}")
    if result.skipped_links:
        print("left alone, symbolic links are never followed:")
        for relative in result.skipped_links:
            print(f"  {relative}")
    print(
        "\nNext:\n"
        f"  cd {shlex.quote(shown)}\n"
        f"  make site     # sets up .venv/ with explainer {__version__}, validates data/, builds site/\n"
        "  make check    # validates data/, warnings count as errors\n"
        "Or, with explainer installed:\n"
        "  explainer validate --data data\n"
        "  explainer build --data data --out site\n"
        "Then replace the examples in data/ with your own records (README.md says more)."
    )
    return 0


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"
