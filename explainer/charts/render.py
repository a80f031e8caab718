"""HTML and Markdown for charts: the block on a page, the embed page, the gallery, the snippet.

Pure functions: prepared values in, text out. Templates (`explainer/templates/charts/`) lay
the values out; every decision (paths, wording, what is shown) is made here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markupsafe

from explainer.charts.chart import Chart, Table
from explainer.rendering import templating

SPEC_DIR = "assets/charts"
VENDOR_DIR = "assets/vendor"
SCRIPT = "assets/explainer/charts.js"
STYLE = "assets/explainer/charts.css"
EMBED_FALLBACK_HEIGHT = 40 + 60  # title and credit lines around the chart


@dataclass(frozen=True)
class Paths:
    """Where the shared files are, relative to the site root."""

    plotly: str


@cache
def environment() -> jinja2.Environment:
    env = templating.environment("charts", templating.Escaping.HTML)
    env.filters["json_script"] = json_script
    env.globals["data_table"] = data_table
    return env


def root_of(page_path: str) -> str:
    """The relative way back to the site root from a page at `page_path` ("actors/x/" -> "../../")."""
    parts = [part for part in page_path.strip("/").split("/") if part]
    if page_path and not page_path.endswith("/"):
        parts = parts[:-1]  # a file such as "embed/x/index.html" sits in its folder
    return "../" * len(parts)


def spec_json(chart: Chart) -> str:
    """The figure as the file plotly.js reads: sorted keys, no spaces, plain lists."""
    return json.dumps(chart.figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def json_script(value: Any) -> markupsafe.Markup:
    """JSON safe inside a <script type="application/json"> element."""
    text = (
        value
        if isinstance(value, str)
        else json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    )
    return markupsafe.Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def embed_url(chart_id: str, base_url: str | None) -> str:
    path = f"embed/{chart_id}/"
    if base_url:
        return base_url.rstrip("/") + "/" + path
    return "/" + path


def snippet(chart: Chart, base_url: str | None) -> str:
    """The copy-paste embed: an iframe, plus a listener that sets its height from the chart's."""
    return (
        environment()
        .get_template("snippet.html.j2")
        .render(src=embed_url(chart.id, base_url), title=chart.title, height=chart.height + EMBED_FALLBACK_HEIGHT)
        .strip()
    )


def block(chart: Chart, page_path: str, paths: Paths, image: str | None, *, table: bool = True) -> str:
    root = root_of(page_path)
    return (
        environment()
        .get_template("block.html.j2")
        .render(
            chart=chart,
            root=root,
            spec=f"{root}{SPEC_DIR}/{chart.id}.json",
            plotly=root + paths.plotly,
            image=(root + image) if image else None,
            gallery=f"{root}charts/#chart-{chart.id}",
            csv=f"{root}{SPEC_DIR}/{chart.id}.csv",
            table=table,
        )
        .strip()
    )


def embed_page(
    chart: Chart,
    paths: Paths,
    *,
    site_title: str,
    language: str,
    credit: list[tuple[str, str | None]],
    image: str | None,
    base_url: str | None = None,
) -> str:
    page = f"embed/{chart.id}/"
    root = root_of(page)
    return (
        environment()
        .get_template("embed.html.j2")
        .render(
            chart=chart,
            root=root,
            spec=spec_json(chart),
            plotly=root + paths.plotly,
            script=root + SCRIPT,
            style=root + STYLE,
            home=root + chart.home,
            canonical=(base_url.rstrip("/") + "/" + chart.home) if base_url else None,
            site_title=site_title,
            language=language,
            credit=credit,
            image=(root + image) if image else None,
        )
    )


def gallery(
    site_wide: list[tuple[Chart, str]],
    per_record: list[tuple[str, list[tuple[Chart, str]]]],
    *,
    images: dict[str, dict[str, str]],
    base_url: str | None,
    inline_snippets: bool,
) -> str:
    """The /charts/ page: every chart, its snippet and its downloads (a Markdown page with HTML)."""
    root = root_of("charts/")
    return (
        environment()
        .get_template("gallery.md.j2")
        .render(
            site_wide=[(chart, markupsafe.Markup(html)) for chart, html in site_wide],
            per_record=per_record,
            images={cid: {fmt: root + path for fmt, path in formats.items()} for cid, formats in images.items()},
            snippets={chart.id: snippet(chart, base_url) for chart, _ in site_wide},
            record_snippets={chart.id: snippet(chart, base_url) for _, charts in per_record for chart, _ in charts}
            if inline_snippets
            else {},
            generic_snippet=_generic_snippet(base_url),
            root=root,
            spec_dir=root + SPEC_DIR,
            base_origin=urlsplit(base_url).netloc if base_url else "",
        )
    )


def _generic_snippet(base_url: str | None) -> str:
    return (
        environment()
        .get_template("snippet.html.j2")
        .render(src=embed_url("CHART-ID", base_url), title="CHART TITLE", height=500)
        .strip()
    )


def data_table(table: Table) -> markupsafe.Markup:
    """The chart's data as an HTML table (what a screen reader reads instead of the chart).
    Written here rather than as a template macro: pages and embeds hold thousands of rows,
    and this is several times quicker."""
    escape = markupsafe.escape
    rows = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>\n"
        for row in table.rows
    )
    headers = "".join(f'<th scope="col">{escape(header)}</th>' for header in table.headers)
    caption = escape(table.caption)
    return markupsafe.Markup(
        f'<div class="explainer-chart-table" tabindex="0" role="region" aria-label="{caption}">\n<table>\n'
        f"<caption>{caption}</caption>\n<thead><tr>{headers}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n"
    )
