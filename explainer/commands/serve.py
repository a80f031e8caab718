"""`explainer serve`: a live preview on 127.0.0.1.

The pages are generated into a preview folder that `mkdocs serve` watches (it rebuilds and
reloads the browser). This module watches what the pages are made from: the data folder, the
page templates, the theme and the shared docs. On a change it validates the data again; with
errors it prints them and keeps showing the last good version, never stopping; otherwise it
regenerates and copies only the files that changed into the preview folder.
"""

from __future__ import annotations

import argparse
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from explainer.commands.build import SHARED_DOCS, Progress, generate
from explainer.core import resources
from explainer.rendering import files as output
from explainer.site import engine as site_engine

WATCHED_CODE = (resources.TEMPLATES / "pages", resources.THEME, resources.BASE_CONFIG)
POLL_SECONDS = 0.5

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Every entry under the paths with its modification time and size, from `lstat`: never
    opened, so a named pipe or a device in the data folder cannot stall the preview (the
    validation then reports it), and a link is noticed when it changes, not what it points to."""
    state: Snapshot = {}
    for root in paths:
        try:
            files = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        except OSError:  # a folder that cannot be read: the validation says so
            files = []
        for path in files:
            if path.name.startswith("."):
                continue
            try:
                info = path.lstat()
            except OSError:  # removed meanwhile
                continue
            if not stat.S_ISDIR(info.st_mode):
                state[str(path)] = (info.st_mtime_ns, info.st_size)
    return state


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def refresh(args: argparse.Namespace, preview: Path) -> bool:
    """Validate and regenerate into the preview folder; False (errors printed) if the data is
    invalid or generating failed, in which case the preview keeps its last good version."""
    from explainer.checking.validate import validate_data
    from explainer.commands.cli import print_report

    dataset, report = validate_data(Path(args.data), shown_dir=args.data, archive_dir=getattr(args, "archive", None))
    print_report(report)
    if not report.ok:
        print("explainer serve: the preview shows the last valid version; fix the errors above", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory(prefix="explainer-preview-") as temporary:
        fresh = Path(temporary)
        try:
            generate(dataset, fresh, Progress(), shared_docs=SHARED_DOCS, preview=True)
        except Exception as exc:  # keep serving: the terminal says what went wrong
            print(f"explainer serve: error: could not generate the pages: {type(exc).__name__}: {exc}", file=sys.stderr)
            return False
        changed = output.sync_tree(fresh, preview)
    if changed:
        print(f"explainer serve: {len(changed)} generated files changed", file=sys.stderr)
    return True


def start_engine(preview: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "mkdocs", "serve",
        "--config-file", str(preview / "mkdocs.yml"),
        "--dev-addr", f"127.0.0.1:{port}",
    ]  # fmt: skip
    # a preview needs no reproducible build date
    return subprocess.Popen(command, cwd=preview, env=site_engine.engine_environment(0))


def _stop_on_terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_command(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _stop_on_terminate)  # stop the site engine too, never orphan it
    watched = [Path(args.data), *WATCHED_CODE, SHARED_DOCS]
    with tempfile.TemporaryDirectory(prefix="explainer-serve-") as temporary:
        preview = Path(temporary)
        state = snapshot(watched)
        ready = refresh(args, preview)
        engine: subprocess.Popen[bytes] | None = None
        try:
            while True:
                if ready and engine is None:
                    engine = start_engine(preview, args.port)
                    print(f"explainer serve: preview on http://127.0.0.1:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
                if engine is not None and engine.poll() is not None:
                    print(f"explainer serve: the site engine stopped (exit {engine.returncode})", file=sys.stderr)
                    return 1
                time.sleep(POLL_SECONDS)
                now = snapshot(watched)
                changes = changed_files(state, now)
                if changes:
                    time.sleep(POLL_SECONDS)  # let an editor finish saving
                    now = snapshot(watched)
                    shown = ", ".join(Path(p).name for p in changes[:3]) + (" …" if len(changes) > 3 else "")
                    print(f"explainer serve: changed: {shown}; rebuilding", file=sys.stderr)
                    ready = refresh(args, preview) or ready
                state = now
        except KeyboardInterrupt:
            return 0
        finally:
            if engine is not None and engine.poll() is None:
                engine.terminate()
                try:
                    engine.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    engine.kill()
