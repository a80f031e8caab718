"""Where the archived source texts are read from: `--archive`, else site.yaml's `archive:`
(relative to the data folder), else `DATA/archive`.

The archive is only read (quotes and copied prose are checked against it), never published, so
it may lie outside the data folder when it is named on purpose (`--archive`, site.yaml). Only
the default `DATA/archive`, and a folder site.yaml names inside the data folder, must stay in
the data folder's closed world: no link may lead them out of it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from explainer.checking.folder import ARCHIVE_DIR, SITE_FILE, shown_path


@dataclass(frozen=True)
class ArchiveFolder:
    path: Path  # where to read
    shown: str  # as the user would write it
    origin: str  # "--archive", "site.yaml" or "default"
    within: Path | None  # the folder it must lie in (the data folder), or None: anywhere
    site: tuple[str, int, int]  # site.yaml as shown, and the line and column of its `archive:` (0, 0: none)

    def how_to_set(self) -> str:
        """How the reader names another folder, for messages."""
        if self.origin == "site.yaml":
            return "correct archive: in site.yaml (a path relative to the data folder), or pass --archive DIR"
        if self.origin == "--archive":
            return "pass the folder that holds them with --archive DIR"
        return (
            f"put the archived texts in {self.shown.rstrip('/')}/, or name their folder in site.yaml "
            "(archive: a path relative to the data folder) or with --archive DIR"
        )


def locate_archive(
    data_dir: Path, shown: str, given: Path | str | None, site_archive: tuple[str | None, int, int] | None
) -> ArchiveFolder:
    """The archive folder of the data folder `data_dir` (shown as `shown`): `given` (--archive)
    wins; else `site_archive`, site.yaml's (archive, line, column) fact; else DATA/archive."""
    site_shown = shown_path(shown, SITE_FILE)
    if given is not None:
        return ArchiveFolder(Path(given), str(given), "--archive", None, (site_shown, 0, 0))
    written = site_archive[0] if site_archive is not None else None
    if site_archive is not None and written is not None:
        line, column = site_archive[1], site_archive[2]
        lexical = os.path.normpath(written)
        inside = not Path(lexical).is_absolute() and lexical != ".." and not lexical.startswith("../")
        return ArchiveFolder(
            data_dir / written,
            os.path.normpath(shown_path(shown, written)),
            "site.yaml",
            data_dir if inside else None,
            (site_shown, line, column),
        )
    default = shown_path(shown, ARCHIVE_DIR)
    return ArchiveFolder(data_dir / ARCHIVE_DIR, default, "default", data_dir, (site_shown, 0, 0))
