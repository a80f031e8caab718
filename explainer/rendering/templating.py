"""Compiled Jinja2 templates, kept between runs in the user's cache directory.

Compiling the page and chart templates costs about a tenth of a second, which is a quarter of
the generator's time on a small explainer, and a forked worker would pay it again. Entries are
keyed by each template's source, so an edited template is compiled afresh; a cache that cannot
be read or written only costs that time again.
"""

from __future__ import annotations

import contextlib

import jinja2
from jinja2.bccache import Bucket

from explainer.checking.parse_cache import default_cache_dir


class TemplateCache(jinja2.FileSystemBytecodeCache):
    def __init__(self) -> None:
        super().__init__(str(default_cache_dir() / "templates"), pattern="%s.jinja")

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            default_cache_dir().joinpath("templates").mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
