"""Where the files the package ships live, whether it runs from a checkout or a wheel.

Everything `explainer` needs besides the data folder is inside the package: the templates, the
theme, the site engine's base settings, the pages every explainer shares (methodology, format,
errors, editing, embedding) and the third-party browser assets (copied into `vendor/` at set-up
by `python -m explainer.core.assets`, and into the wheel when it is built). Nothing is looked up
relative to the source checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
THEME = STATIC / "theme"
CHART_STATIC = STATIC / "charts"
BASE_CONFIG = PACKAGE / "site" / "mkdocs-base.yml"
SHARED_DOCS = PACKAGE / "docs"
VENDOR = PACKAGE / "vendor"
STARTER = PACKAGE / "starter"
