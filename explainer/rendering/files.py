"""Stage: publish a finished site folder as `--out`, all at once or not at all.

The site is built into a fresh folder beside `--out` (same file system), then swapped in:
on Linux with one `renameat2(RENAME_EXCHANGE)` call, so a reader of `--out` sees either the
old site or the new one; elsewhere with two renames and a rollback. Until the swap, nothing
in `--out` is touched, so a failed build leaves the previous site as it was.

Only a folder this tool made is ever replaced. `check_target` runs before any work: `--out`
(and `--keep-build`) may not be the data folder, the archive, the project, a parent of any of
them, `/`, the home folder, a mount point or a file, and an existing folder must be empty or
carry this tool's stamp (`.explainer-site`, `.explainer-build`), which every folder it makes
holds from the start (MkDocs leaves hidden files of its site folder alone, and never
publishes hidden files of its docs). A staging folder left by a killed build
(`.<out>.new-<pid>-*`, stamped, its process gone) is removed by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from explainer import __version__

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2

SITE_STAMP = ".explainer-site"
BUILD_STAMP = ".explainer-build"
# Projects: a folder holding one of these is never replaced, whatever else it holds.
PROJECT_MARKERS = (".git", "pyproject.toml", ".hg")
# What a site built before the stamps existed always holds (explainer's own chart loader).
_LEGACY_SITE = ("assets/explainer/charts.js", "sitemap.xml")
_LEGACY_BUILD = ("mkdocs.yml", "docs/assets/explainer/charts.js")


class TargetRefused(Exception):
    """`--out` or `--keep-build` names a place a build may not replace (a usage error)."""


class PublishError(Exception):
    """The finished site could not be put in place; `--out` is as it was."""


@dataclass(frozen=True)
class Protected:
    """A folder no build may replace: `name` says what it is ("the data folder"). `inside`:
    whether a folder inside it is protected too (the data folder: yes; the project: no, its
    `site/` is where sites go)."""

    name: str
    path: Path
    inside: bool = True


def stamp_text(stamp: str) -> str:
    kind = "site" if stamp == SITE_STAMP else "generated folder"
    return f"explainer {__version__}: a {kind} made by explainer; a build may replace this folder\n"


def check_target(path: Path, flag: str, stamp: str, protected: list[Protected]) -> None:
    """TargetRefused (naming `flag` and why) unless a build may replace `path`: it does not
    exist yet (and can be made), or it is an empty folder or one this tool made (`stamp`), and
    it is none of the protected places, a parent of one, `/`, the home folder or a mount point."""
    shown = f"{flag} {path}"
    target = Path(path).resolve()
    if target.exists() and not target.is_dir():
        raise TargetRefused(f"{shown}: this is a file, not a folder; name a folder for the site")
    if target == Path(target.anchor) or target.parent == target:
        raise TargetRefused(f"{shown}: this is the root of the file system; name a folder of its own")
    home = Path.home().resolve()
    if home.is_relative_to(target):
        what = "your home folder" if home == target else f"a parent of your home folder {home}"
        raise TargetRefused(f"{shown}: this is {what}; name a folder of its own")
    for place in protected:
        where = place.path.resolve()
        if where == target:
            raise TargetRefused(f"{shown}: this is {place.name}; a build would replace it")
        if where.is_relative_to(target):
            raise TargetRefused(f"{shown}: this folder holds {place.name} ({place.path}); name a folder of its own")
        if place.inside and target.is_relative_to(where):
            raise TargetRefused(f"{shown}: this is inside {place.name} ({place.path}); name a folder outside it")
    if target.is_dir():
        _check_existing(target, shown, stamp)
    else:
        _check_creatable(target, shown)


def _check_existing(target: Path, shown: str, stamp: str) -> None:
    if os.path.ismount(target):
        raise TargetRefused(f"{shown}: this is a mount point; name a folder inside it")
    markers = [marker for marker in PROJECT_MARKERS if (target / marker).exists()]
    if markers:
        raise TargetRefused(f"{shown}: this is a project folder (it holds {markers[0]}); name a folder of its own")
    try:
        names = sorted(entry.name for entry in os.scandir(target))
    except OSError as exc:
        raise TargetRefused(f"{shown}: cannot read this folder: {exc.strerror or exc}") from None
    if names and not is_made_here(target, stamp):
        listed = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        raise TargetRefused(
            f"{shown}: this folder holds files explainer did not make ({listed}) and no {stamp} stamp; "
            "name a new or empty folder (a build replaces the whole folder)"
        )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise TargetRefused(f"{shown}: its parent folder {target.parent} is not writable")


def _check_creatable(target: Path, shown: str) -> None:
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise TargetRefused(f"{shown}: cannot make this folder: {parent} is a file")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise TargetRefused(f"{shown}: cannot make this folder: {parent} is not writable")


def is_made_here(folder: Path, stamp: str) -> bool:
    """Whether `folder` carries this tool's `stamp`, or is a site (or generated folder) built
    before stamps existed: it holds explainer's own chart loader."""
    if (folder / stamp).is_file():
        return True
    legacy = _LEGACY_SITE if stamp == SITE_STAMP else _LEGACY_BUILD
    return all((folder / part).is_file() for part in legacy)


def staging_dir(out_dir: Path, stamp: str = SITE_STAMP) -> Path:
    """An empty folder next to `out_dir`, stamped, to build the new site in; the leftovers of
    killed builds there are removed first."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir, stamp)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-{os.getpid()}-", dir=out_dir.parent))
    (staging / stamp).write_text(stamp_text(stamp), encoding="utf-8")
    return staging


def remove_leftovers(out_dir: Path, stamp: str) -> list[Path]:
    """Remove the staging folders of builds killed before they finished: named like ours
    (`.<out>.new-<pid>-*`, `.<out>.old-<pid>-*`), stamped, and their process gone."""
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}\.(?:new|old)-([0-9]+)-[A-Za-z0-9_]+")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(out_dir.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        if _process_alive(int(match.group(1))) or not (folder / stamp).is_file():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def replace_dir(new_dir: Path, out_dir: Path, flag: str = "--out") -> None:
    """Make `new_dir` the contents of `out_dir`; the old contents are removed afterwards.
    PublishError (and `out_dir` as it was) when `out_dir` is no longer a folder this tool may
    replace, or another build published it first."""
    out_dir = out_dir.resolve()
    new_dir = new_dir.resolve()
    stamp = SITE_STAMP if (new_dir / SITE_STAMP).is_file() else BUILD_STAMP
    if out_dir.exists():
        try:
            check_target(out_dir, flag, stamp, [])
        except TargetRefused as exc:
            raise PublishError(f"{exc} (it changed during the build)") from None
    new_dir.chmod(0o755)
    if not out_dir.exists():
        _publish_new(new_dir, out_dir)
        return
    if _exchange(new_dir, out_dir):
        shutil.rmtree(new_dir)  # now holds the previous site
        return
    old_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-", dir=out_dir.parent))
    old_dir.rmdir()
    out_dir.rename(old_dir)
    try:
        new_dir.rename(out_dir)
    except OSError:
        old_dir.rename(out_dir)
        raise
    shutil.rmtree(old_dir)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that (so watchers and file times
    see only real changes); through a temporary file and a rename, never half-written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return True


def sync_tree(source: Path, target: Path) -> list[str]:
    """Make `target` hold exactly the files of `source`, writing only those that differ (so a
    watching server sees only real changes); returns the paths changed, relative to target."""
    changed = []
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for relative in sorted(wanted):
        if write_if_changed(target / relative, (source / relative).read_bytes()):
            changed.append(str(relative))
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            relative = path.relative_to(target)
            if path.is_file() and relative not in wanted:
                path.unlink()
                changed.append(str(relative))
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _publish_new(new_dir: Path, out_dir: Path) -> None:
    """The first publish: `new_dir` becomes `out_dir`, unless another build made `out_dir`
    meanwhile (two first builds racing): then PublishError, and that build's site stays."""
    try:
        if _rename(new_dir, out_dir, _RENAME_NOREPLACE):
            return
        if out_dir.exists():  # where renameat2 is missing: rename would replace an empty folder
            raise FileExistsError(errno.EEXIST, "exists")
        new_dir.rename(out_dir)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) or out_dir.exists():
            raise PublishError(
                f"{out_dir} appeared while this build ran (another build published it first); run the build again"
            ) from None
        raise


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    return _rename(first, second, _RENAME_EXCHANGE)


def _rename(first: Path, second: Path, flags: int) -> bool:
    """Linux renameat2(first, second, flags): True if done; False where the system cannot;
    FileExistsError for RENAME_NOREPLACE onto an existing path."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), ctypes.c_uint(flags))
    if result == 0:
        return True
    if ctypes.get_errno() == errno.EEXIST:
        raise FileExistsError(errno.EEXIST, "exists", str(second))
    return False
