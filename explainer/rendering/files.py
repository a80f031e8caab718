"""Stage: publish a finished site folder as `--out`, all at once or not at all.

The site is built into a fresh folder beside `--out` (same file system), then swapped in:
on Linux with one `renameat2(RENAME_EXCHANGE)` call, so a reader of `--out` sees either the
old site or the new one; elsewhere with two renames and a rollback. Until the swap, nothing
in `--out` is touched, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_dir(out_dir: Path) -> Path:
    """An empty folder next to `out_dir`, to build the new site in."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))


def replace_dir(new_dir: Path, out_dir: Path) -> None:
    """Make `new_dir` the contents of `out_dir`; the old contents are removed afterwards."""
    out_dir = out_dir.resolve()
    new_dir = new_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} exists and is not a folder")
    new_dir.chmod(0o755)
    if not out_dir.exists():
        new_dir.rename(out_dir)
        return
    if _exchange(new_dir, out_dir):
        shutil.rmtree(new_dir)  # now holds the previous site
        return
    old_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
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


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), ctypes.c_uint(_RENAME_EXCHANGE))
    return bool(result == 0)
