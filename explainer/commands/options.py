"""What each command is asked to do: small frozen objects, made by `cli` from its arguments.

The commands never see argparse: a test, a benchmark or another tool calls them with these.
Folders are kept as the user wrote them (`./data/`), because every message shows them so; the
`*_dir` properties give them as paths. An archive of `None` means "not given": validation then
takes the one `site.yaml` names (`archive:`), else `DATA/archive`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def _path(value: str | None) -> Path | None:
    return Path(value) if value is not None else None


@dataclass(frozen=True)
class DataOptions:
    """What every command that checks a data folder is asked: the folder, the archive, and
    whether warnings count as errors."""

    data: str = "data"
    archive: str | None = None
    strict: bool = False
    """Warnings count as errors (exit 1; `serve` keeps its last version without warnings)."""

    @property
    def data_dir(self) -> Path:
        return Path(self.data)

    @property
    def archive_dir(self) -> Path | None:
        return _path(self.archive)


@dataclass(frozen=True)
class ValidateOptions(DataOptions):
    use_cache: bool = True


@dataclass(frozen=True)
class BuildOptions(DataOptions):
    out: str = "site"
    keep_build: str | None = None
    """Also keep the generated folder (Markdown + mkdocs.yml) here."""
    versions: str | None = None
    """A folder of the embeds' earlier versions (`embed/<chart>/v/<version>/`), carried into
    the site: how versions outlive a build on a fresh machine (the Publish workflow's branch)."""

    @property
    def out_dir(self) -> Path:
        return Path(self.out)

    @property
    def versions_dir(self) -> Path | None:
        return _path(self.versions)

    @property
    def keep_build_dir(self) -> Path | None:
        return _path(self.keep_build)


@dataclass(frozen=True)
class ServeOptions(DataOptions):
    port: int = 8000
