"""Stage: the static site from the generated docs folder, by MkDocs with Material.

The generator never uses MkDocs' plugin API: it writes a complete docs folder and a plain
`mkdocs.yml` beside it, and runs `mkdocs build --strict` on them. The same folder builds with
any engine that reads `mkdocs.yml` (Zensical, for one).

The build folder's `mkdocs.yml` is the package's base configuration (`mkdocs-base.yml`) plus
what comes from the data: the site's name, address, language and licence (in the footer), the
nav (section index pages only, so a page's size does not grow with the number of records), and
the theme's own CSS and JS. Its files are handed to the build's writer as jobs.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from explainer.core import resources, urls
from explainer.rendering.writer import FileJob, files_in

ROOT_CONFIG = resources.BASE_CONFIG
THEME = resources.THEME
ASSETS = urls.THEME_ASSETS
OVERRIDES = "overrides"
CONFIG_FILE = "mkdocs.yml"


class SiteBuildError(Exception):
    """The site engine failed; the message holds its own output."""


@dataclass(frozen=True)
class NavEntry:
    title: str
    file: str | None = None
    children: tuple[NavEntry, ...] = ()

    def to_config(self) -> dict[str, Any]:
        if self.children:
            return {self.title: [child.to_config() for child in self.children]}
        return {self.title: self.file}


def base_config(path: Path = ROOT_CONFIG) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    if not isinstance(loaded, dict):
        raise SiteBuildError(f"{path}: expected a mapping of MkDocs settings")
    return loaded


def site_config(
    base: dict[str, Any],
    *,
    site_name: str,
    site_url: str | None,
    language: str,
    description: str | None,
    nav: list[NavEntry],
    assets: list[str],
    license: str | None = None,
    strict: bool = True,
) -> dict[str, Any]:
    """The build's MkDocs settings (pure). `assets`: the files of the docs folder, of which
    the theme's CSS and JS are linked; `license`: the data's SPDX id, shown in the footer."""
    config = dict(base)
    config["site_name"] = site_name
    if site_url:
        config["site_url"] = site_url
    else:
        config.pop("site_url", None)
    if description:
        config["site_description"] = description
    if license:
        config["copyright"] = footer_notice(license)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["strict"] = strict
    theme = dict(config.get("theme", {}))
    theme["language"] = language.split("-")[0]
    theme["font"] = False
    theme["custom_dir"] = OVERRIDES
    config["theme"] = theme
    config["nav"] = [entry.to_config() for entry in nav]
    config["not_in_nav"] = "\n".join(urls.NOT_IN_NAV)
    linked = sorted(path for path in assets if path.rpartition("/")[0] == ASSETS)
    config["extra_css"] = [path for path in linked if path.endswith(".css")]
    config["extra_javascript"] = [path for path in linked if path.endswith(".js")]
    return config


def footer_notice(license: str) -> str:
    """The footer's line (MkDocs `copyright`, shown as HTML): the data's licence."""
    return f"Data: {html.escape(license)} · built with explainer"


def config_files(config: dict[str, Any]) -> list[FileJob]:
    """The config beside the docs folder, and the theme's one template override beside it
    (`overrides/main.html`: the feed link and Open Graph tags in <head>). Everything else the
    explainer adds is CSS and JS, which any engine reading the config links the same way."""
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
    overrides = THEME / OVERRIDES
    jobs = [
        FileJob(f"{OVERRIDES}/{path.relative_to(overrides).as_posix()}", path.read_bytes)
        for path in files_in(overrides)
    ]
    return [*jobs, FileJob(CONFIG_FILE, lambda: text)]


def theme_asset_files() -> list[FileJob]:
    """The theme's own CSS and JS go with the chart assets (docs/assets/explainer/), linked
    in the config by name."""
    folder = THEME / "assets"
    return [FileJob(f"{ASSETS}/{path.relative_to(folder).as_posix()}", path.read_bytes) for path in files_in(folder)]


def engine_environment(epoch: int) -> dict[str, str]:
    """The engine's environment: no MkDocs 2 notice, a fixed build date (SOURCE_DATE_EPOCH)."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    env["PYTHONHASHSEED"] = "0"
    return env


def run_mkdocs(build_dir: Path, site_dir: Path | None = None, *, epoch: int) -> None:
    """`mkdocs build --strict` in the build folder; SiteBuildError with its output on failure."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(build_dir / CONFIG_FILE)]
    if site_dir is not None:
        command += ["--site-dir", str(site_dir)]
    # Not --quiet: strict mode counts the warnings it logs, and --quiet stops the logging.
    result = subprocess.run(
        command, cwd=build_dir, env=engine_environment(epoch), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = "\n".join(part for part in (result.stdout.strip(), result.stderr.strip()) if part)
        raise SiteBuildError(f"mkdocs build failed (exit {result.returncode}):\n{output}")
