"""`explainer serve`: a live preview on 127.0.0.1.

The pages are generated into a preview folder that `mkdocs serve` watches (it rebuilds and
reloads the browser). This module watches what the pages are made from: the data folder, the
archive its quotes are checked against, the page templates, the theme and the shared docs. On
a change it validates the data again; with errors (with `--strict`, warnings too) it prints
them and keeps showing the last good version, never stopping; otherwise it regenerates and
copies only the files that changed into the preview folder.
"""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from explainer.commands.build import SHARED_DOCS, Progress, generate
from explainer.commands.options import ServeOptions
from explainer.commands.reporting import EXIT_INVALID, EXIT_OK, print_verdict
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


def refresh(options: ServeOptions, preview: Path) -> bool:
    """Validate and regenerate into the preview folder; False (problems printed) if the data
    is invalid (with `strict`: has warnings) or generating failed, in which case the preview
    keeps its last good version."""
    from explainer.checking.validate import validate_data

    dataset, report = validate_data(options.data_dir, shown_dir=options.data, archive_dir=options.archive_dir)
    if not print_verdict(report, strict=options.strict):
        print("explainer serve: the preview shows the last valid version; fix the problems above", file=sys.stderr)
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


def serve_command(options: ServeOptions) -> int:
    from explainer.checking.validate import resolve_archive

    signal.signal(signal.SIGTERM, _stop_on_terminate)  # stop the site engine too, never orphan it
    # The archive as it is now (site.yaml may name another later: a change to site.yaml rebuilds,
    # and a restart watches the new one).
    watched = [options.data_dir, resolve_archive(options.data_dir, options.archive_dir), *WATCHED_CODE, SHARED_DOCS]
    with tempfile.TemporaryDirectory(prefix="explainer-serve-") as temporary:
        preview = Path(temporary)
        state = snapshot(watched)
        ready = refresh(options, preview)
        engine: subprocess.Popen[bytes] | None = None
        try:
            while True:
                if ready and engine is None:
                    engine = start_engine(preview, options.port)
                    address = f"http://127.0.0.1:{options.port}/"
                    print(f"explainer serve: preview on {address} (Ctrl-C stops)", file=sys.stderr)
                if engine is not None and engine.poll() is not None:
                    print(f"explainer serve: the site engine stopped (exit {engine.returncode})", file=sys.stderr)
                    return EXIT_INVALID
                time.sleep(POLL_SECONDS)
                now = snapshot(watched)
                changes = changed_files(state, now)
                if changes:
                    time.sleep(POLL_SECONDS)  # let an editor finish saving
                    now = snapshot(watched)
                    shown = ", ".join(Path(p).name for p in changes[:3]) + (" …" if len(changes) > 3 else "")
                    print(f"explainer serve: changed: {shown}; rebuilding", file=sys.stderr)
                    ready = refresh(options, preview) or ready
                state = now
        except KeyboardInterrupt:
            return EXIT_OK
        finally:
            if engine is not None and engine.poll() is None:
                engine.terminate()
                try:
                    engine.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    engine.kill()
