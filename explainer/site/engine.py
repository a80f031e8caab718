"""Stage: the static site from the generated docs folder, by MkDocs with Material.

The generator never uses MkDocs' plugin API: it writes a complete docs folder and a plain
`mkdocs.yml` beside it, and runs `mkdocs build --strict` on them. The same folder builds with
any engine that reads `mkdocs.yml` (Zensical, for one).

The build folder's `mkdocs.yml` is the project's root `mkdocs.yml` plus what comes from the
data: the site's name, address and language, the nav (section index pages only, so a page's
size does not grow with the number of records), and the theme's own CSS and JS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from explainer.core import resources

ROOT_CONFIG = resources.BASE_CONFIG
THEME = resources.THEME
ASSETS = "assets/explainer"
OVERRIDES = "overrides"
# Record pages are reached from their section's index page, never listed in the sidebar.
NOT_IN_NAV = ("/actors/*.md", "/events/*.md", "/questions/*.md", "/places/*.md", "/sources/*.md")


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
    docs_dir: Path,
    strict: bool = True,
) -> dict[str, Any]:
    """The build's MkDocs settings (pure: the docs folder is only listed for its assets)."""
    config = dict(base)
    config["site_name"] = site_name
    if site_url:
        config["site_url"] = site_url
    else:
        config.pop("site_url", None)
    if description:
        config["site_description"] = description
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["strict"] = strict
    theme = dict(config.get("theme", {}))
    theme["language"] = language.split("-")[0]
    theme["font"] = False
    theme["custom_dir"] = OVERRIDES
    config["theme"] = theme
    config["nav"] = [entry.to_config() for entry in nav]
    config["not_in_nav"] = "\n".join(NOT_IN_NAV)
    asset_dir = docs_dir / ASSETS
    config["extra_css"] = sorted(f"{ASSETS}/{p.name}" for p in asset_dir.glob("*.css")) if asset_dir.is_dir() else []
    config["extra_javascript"] = (
        sorted(f"{ASSETS}/{p.name}" for p in asset_dir.glob("*.js")) if asset_dir.is_dir() else []
    )
    return config


def write_config(config: dict[str, Any], build_dir: Path) -> Path:
    """The config beside the docs folder, and the theme's one template override beside it
    (`overrides/main.html`: the feed link and Open Graph tags in <head>). Everything else the
    explainer adds is CSS and JS, which any engine reading the config links the same way."""
    shutil.copytree(THEME / OVERRIDES, build_dir / OVERRIDES, dirs_exist_ok=True)
    path = build_dir / "mkdocs.yml"
    path.write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8", newline="\n"
    )
    return path


def copy_theme_assets(docs_dir: Path) -> None:
    """The theme's own CSS and JS go with the chart assets, listed in the config by name."""
    target = docs_dir / ASSETS
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((THEME / "assets").iterdir()):
        destination = target / path.name
        if destination.exists():
            raise FileExistsError(f"{destination} was already written by another stage")
        shutil.copyfile(path, destination)


def engine_environment(epoch: int) -> dict[str, str]:
    """The engine's environment: no MkDocs 2 notice, a fixed build date (SOURCE_DATE_EPOCH)."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    env["PYTHONHASHSEED"] = "0"
    return env


def run_mkdocs(build_dir: Path, site_dir: Path | None = None, *, epoch: int) -> None:
    """`mkdocs build --strict` in the build folder; SiteBuildError with its output on failure."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(build_dir / "mkdocs.yml")]
    if site_dir is not None:
        command += ["--site-dir", str(site_dir)]
    # Not --quiet: strict mode counts the warnings it logs, and --quiet stops the logging.
    result = subprocess.run(
        command, cwd=build_dir, env=engine_environment(epoch), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = "\n".join(part for part in (result.stdout.strip(), result.stderr.strip()) if part)
        raise SiteBuildError(f"mkdocs build failed (exit {result.returncode}):\n{output}")
