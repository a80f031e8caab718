"""The site engine for `explainer serve`: MkDocs, kept running in its own process.

`explainer serve` starts this module as a separate process (the generator itself never
imports MkDocs) and asks it for a build by writing a line to its standard input; it answers
with one line of JSON on its standard output when the site folder is up to date:

    full     a whole build (the first one, or after the configuration changed)
    dirty    only the pages whose Markdown is newer than their HTML (MkDocs' `--dirty`)

    -> {"ok": true, "seconds": 0.12, "warnings": ["..."]}
    -> {"ok": false, "error": "..."}

Kept running, a build costs what MkDocs does for the changed pages, not a Python start and
the import of MkDocs and Material (about half a second), and the theme's templates are
compiled once: a Jinja2 bytecode cache in the preview's temporary folder keeps them across
builds (MkDocs makes a new template environment for every build). Nothing is printed but the
answers; the engine's warnings come back in them (its informational lines are dropped).
It stops at the end of its input; Ctrl-C in the terminal is for `explainer serve`.

    python -m explainer.site.preview_engine CONFIG SITE_DIR CACHE_DIR
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

# Not worth a line: the dirty build's caution (a dirty build is what the preview asks for).
# MkDocs' informational lines (its notes on links it does not recognise, among them) are
# below the level collected.
_DROPPED = ("A 'dirty' build is being performed",)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_DROPPED):
            self.messages.append(message)


_TEMPLATE_LISTS: dict[tuple[str, ...], list[str]] = {}


def _cache_templates(cache_dir: Path) -> None:
    """Every template environment MkDocs makes shares one bytecode cache on disk, and the
    list of the theme's files is walked once (a full build walks it again)."""
    import jinja2
    from mkdocs import theme

    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
    make_env = theme.Theme.get_env

    def get_env(self: Any) -> jinja2.Environment:
        env = make_env(self)
        env.bytecode_cache = cache
        return env

    list_templates = jinja2.FileSystemLoader.list_templates

    def listed(self: jinja2.FileSystemLoader) -> list[str]:
        key = tuple(str(path) for path in self.searchpath)
        if key not in _TEMPLATE_LISTS:
            _TEMPLATE_LISTS[key] = list_templates(self)
        return list(_TEMPLATE_LISTS[key])

    theme.Theme.get_env = get_env  # type: ignore[method-assign]
    jinja2.FileSystemLoader.list_templates = listed  # type: ignore[method-assign]


def build(config_file: str, site_dir: str, *, dirty: bool, collect: _Collect) -> dict[str, Any]:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect.messages = []
    if not dirty:
        _TEMPLATE_LISTS.clear()
    start = time.perf_counter()
    try:
        config = load_config(config_file=config_file, site_dir=site_dir)
        config.plugins.on_startup(command="serve", dirty=dirty)
        try:
            mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, OSError, ValueError, KeyError, TypeError) as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}", "warnings": collect.messages}
    except SystemExit as exc:  # MkDocs' own way to abort a build
        return {"ok": False, "error": f"the site engine stopped the build ({exc})", "warnings": collect.messages}
    return {"ok": True, "seconds": round(time.perf_counter() - start, 3), "warnings": collect.messages}


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal's Ctrl-C stops `serve`, which stops this
    config_file, site_dir, cache_dir = argv
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    collect = _Collect()
    engine_log = logging.getLogger("mkdocs")
    engine_log.handlers[:] = [collect]
    engine_log.setLevel(logging.WARNING)
    engine_log.propagate = False
    _cache_templates(Path(cache_dir))
    for line in sys.stdin:
        request = line.strip()
        if request not in ("full", "dirty"):
            answer: dict[str, Any] = {"ok": False, "error": f"unknown request {request!r}"}
        else:
            answer = build(config_file, site_dir, dirty=request == "dirty", collect=collect)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
