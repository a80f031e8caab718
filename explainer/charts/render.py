"""HTML and Markdown for charts: the block on a page, the embed page, the gallery, the snippet.

Pure functions: prepared values in, text out. Templates (`explainer/templates/charts/`) lay
the values out; every decision (what is shown, which link) is made here, and every address
is asked of `explainer.core.urls`.
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
from explainer.core import urls
from explainer.rendering import templating

SCRIPT = urls.theme_file("charts.js")
STYLE = urls.theme_file("charts.css")
EMBED_FALLBACK_HEIGHT = 40 + 60  # title and credit lines around the chart


@dataclass(frozen=True)
class Paths:
    """Where the shared files are, relative to the site root."""

    plotly: str


@dataclass(frozen=True)
class ChartLinks:
    """A chart's addresses as seen from one page: its embed, its files and the page it explains."""

    embed: str
    spec: str
    csv: str
    page: str
    shown: str
    """The embed's address as readers see it: "embed/timeline/"."""

    @classmethod
    def of(cls, chart: Chart, root: str) -> ChartLinks:
        embed = urls.embed_url(chart.id)
        return cls(
            embed=root + embed,
            spec=root + urls.chart_file(chart.id, "json"),
            csv=root + urls.chart_file(chart.id, "csv"),
            page=root + chart.home,
            shown=embed,
        )


@cache
def environment() -> jinja2.Environment:
    env = templating.environment("charts", templating.Escaping.HTML)
    env.filters["json_script"] = json_script
    env.globals["data_table"] = data_table
    return env


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


def embed_address(chart_id: str, base_url: str | None) -> str:
    """Where another site's iframe finds the chart: absolute with `base_url`, else from the host's root."""
    path = urls.embed_url(chart_id)
    if base_url:
        return base_url.rstrip("/") + "/" + path
    return "/" + path


def snippet(chart: Chart, base_url: str | None) -> str:
    """The copy-paste embed: an iframe, plus a listener that sets its height from the chart's."""
    return (
        environment()
        .get_template("snippet.html.j2")
        .render(src=embed_address(chart.id, base_url), title=chart.title, height=chart.height + EMBED_FALLBACK_HEIGHT)
        .strip()
    )


def block(chart: Chart, page_url: str, paths: Paths, image: str | None, *, table: bool = True) -> str:
    """The chart on a generated page published at `page_url` ("timeline/")."""
    root = urls.depth_prefix(page_url)
    links = ChartLinks.of(chart, root)
    return (
        environment()
        .get_template("block.html.j2")
        .render(
            chart=chart,
            root=root,
            spec=links.spec,
            plotly=root + paths.plotly,
            image=(root + image) if image else None,
            gallery=root + urls.chart_in_gallery(chart.id),
            csv=links.csv,
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
    root = urls.depth_prefix(urls.embed_url(chart.id))
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
    per_record: list[tuple[str, list[Chart]]],
    *,
    images: dict[str, dict[str, str]],
    base_url: str | None,
    inline_snippets: bool,
) -> str:
    """The /charts/ page: every chart, its snippet and its downloads (a Markdown page with HTML)."""
    root = urls.depth_prefix(urls.url_of(urls.CHARTS))
    charts = [chart for chart, _ in site_wide] + [chart for _, group in per_record for chart in group]
    return (
        environment()
        .get_template("gallery.md.j2")
        .render(
            site_wide=[(chart, markupsafe.Markup(html)) for chart, html in site_wide],
            per_record=per_record,
            links={chart.id: ChartLinks.of(chart, root) for chart in charts},
            images={cid: {fmt: root + path for fmt, path in formats.items()} for cid, formats in images.items()},
            snippets={chart.id: snippet(chart, base_url) for chart, _ in site_wide},
            record_snippets={chart.id: snippet(chart, base_url) for _, group in per_record for chart in group}
            if inline_snippets
            else {},
            generic_snippet=_generic_snippet(base_url),
            base_origin=urlsplit(base_url).netloc if base_url else "",
        )
    )


def _generic_snippet(base_url: str | None) -> str:
    return (
        environment()
        .get_template("snippet.html.j2")
        .render(src=embed_address("CHART-ID", base_url), title="CHART TITLE", height=500)
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
