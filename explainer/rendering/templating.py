"""The one factory for the Jinja2 environments of every stage, and their compiled-template cache.

Every template the package ships lives under `explainer/templates/<family>/` (pages, charts,
export, feed, skeletons); a stage asks for its family's environment here and adds its filters.
All environments share the same strictness (an undefined name is an error, never an empty
string) and the same bytecode cache.

Compiled templates are kept between runs in the user's cache directory: compiling the page and
chart templates costs about a tenth of a second, a quarter of the generator's time on a small
explainer, and a forked worker would pay it again. Entries are keyed by each template's source,
so an edited template is compiled afresh; a cache that cannot be read or written only costs that
time again.
"""

from __future__ import annotations

import contextlib
from enum import Enum

import jinja2
from jinja2.bccache import Bucket

from explainer.checking.parse_cache import default_cache_dir
from explainer.core import resources


class Escaping(Enum):
    """What a family's output is, and so how values are escaped in it."""

    HTML = "html"  # every value escaped unless marked safe (charts, embeds, XML feed)
    PREPARED = "prepared"  # Markdown or YAML: values are escaped in Python before they arrive


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


def environment(family: str, escaping: Escaping, *, compact: bool = True) -> jinja2.Environment:
    """The environment of one template family (`explainer/templates/<family>/`).

    `compact` drops the newline after a block tag and the indentation before it (pages,
    charts, skeletons); the feed and the data page keep their text as written."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.TEMPLATES / family)),
        bytecode_cache=TemplateCache(),
        autoescape=escaping is Escaping.HTML,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=compact,
        lstrip_blocks=compact,
    )
