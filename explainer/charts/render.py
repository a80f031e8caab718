"""HTML and Markdown for charts: the block on a page, the embed page, the gallery, the snippet,
the oEmbed answer.

Pure functions: prepared values in, text out. Templates (`explainer/templates/charts/`) lay
the values out; every decision (what is shown, which link) is made here, and every address
is asked of `explainer.core.urls`.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markupsafe

from explainer.charts.chart import Chart, Table
from explainer.core import urls
from explainer.rendering import citation, templating

SCRIPT = urls.theme_file("charts.js")
STYLE = urls.theme_file("charts.css")
STATIC_STYLE = urls.theme_file("static.css")
EMBED_CHROME = 130
"""Height (px) of what surrounds the chart in an embed at a phone's width: padding, the
title on one or two lines, the credit on two or three, and "The data"."""
EMBED_CHROME_WIDE = 100
"""The same at 1000 px (one line each, and a little room to spare at 768 px)."""
NARROWEST = 320


@dataclass(frozen=True)
class Paths:
    """Where the shared files are, relative to the site root."""

    plotly: str


@dataclass(frozen=True)
class Previews:
    """A chart's static preview, light and dark (paths from the site root), and its size."""

    light: str
    dark: str
    width: int
    height: int


@dataclass(frozen=True)
class Snippets:
    """The snippet of the latest chart and of one version of it."""

    latest: str
    pinned: str
    version: str


def preview_size(chart: Chart) -> tuple[int, int]:
    """The preview's drawn size: the images module's width (or the chart's minimum), the chart's height."""
    from explainer.charts.images import PREVIEW_WIDTH

    return max(PREVIEW_WIDTH, chart.min_width), chart.height


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


def embed_url(chart_id: str, version: str | None = None) -> str:
    """The embed's address: "embed/timeline/", or a version of it: "embed/timeline/v/3fa9c01b2e/"."""
    return urls.embed_version_url(chart_id, version) if version else urls.embed_url(chart_id)


def oembed_url(chart_id: str) -> str:
    """The chart's oEmbed answer: "embed/timeline/oembed.json"."""
    return urls.oembed_url(chart_id)


@cache
def environment() -> jinja2.Environment:
    env = templating.environment("charts", templating.Escaping.HTML)
    env.filters["json_script"] = json_script
    env.globals["data_table"] = data_table
    return env


def figure_script(chart: Chart) -> str:
    """The figure as a script for charts.js (`explainerFigures[id] = …`): unlike a fetch, a
    script loads inside a sandboxed frame (no CORS) and from file://."""
    key = json.dumps(chart.id)
    return f"(window.explainerFigures=window.explainerFigures||{{}})[{key}]={spec_json(chart)};\n"


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


def embed_address(chart_id: str, base_url: str | None, version: str | None = None) -> str:
    """Where another site's iframe finds the chart: absolute with `base_url`, else from the host's root."""
    path = embed_url(chart_id, version)
    if base_url:
        return base_url.rstrip("/") + "/" + path
    return "/" + path


def frame_size(chart: Chart) -> tuple[str, int, int]:
    """The snippet's frame before its script (if any) sets it: (CSS aspect-ratio, min-height,
    fallback height). The embed's content is the preview scaled to the frame's width plus a
    fixed band of text; the frame is max(min-height, width / ratio), which holds both at 320
    px (the band at its tallest) and from 1000 px (the band at its flattest); in between a
    chart may be drawn a few pixels smaller. The embed page
    itself fits whatever it is given: the chart shrinks before the credit is cut."""
    width, height = preview_size(chart)
    ratio_num = width
    # width / ratio = width * height / preview width + the band, at 1000 px
    ratio_den = height + round(EMBED_CHROME_WIDE * width / 1000)
    min_height = round(NARROWEST * height / width) + EMBED_CHROME
    fallback = height + EMBED_CHROME_WIDE
    return f"{ratio_num}/{ratio_den}", min_height, fallback


def snippet(chart: Chart, base_url: str | None, *, version: str | None = None) -> str:
    """The copy-paste embed: an iframe sized by CSS for any width, plus a listener that sets
    its height from the chart's (and ignores anything but a number from the frame's origin)."""
    ratio, min_height, fallback = frame_size(chart)
    return (
        environment()
        .get_template("snippet.html.j2")
        .render(
            src=embed_address(chart.id, base_url, version),
            title=chart.title,
            ratio=ratio,
            min_height=min_height,
            height=fallback,
        )
        .strip()
    )


def slider_dates(figure: dict[str, Any]) -> list[str]:
    """The first day each step of the figure's date slider covers ("9 February 2012" ->
    "2012-02-09", "March 2012" -> "2012-03-01", "2012" -> "2012-01-01"), for `?date=`."""
    sliders = figure.get("layout", {}).get("sliders") or []
    if not sliders:
        return []
    months = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
    dates = []
    for step in sliders[0].get("steps", []):
        words = str(step.get("label", "")).split()
        day, month, year = 1, 1, None
        if words and words[-1].isdigit():
            year = int(words[-1])
            if len(words) >= 2 and words[-2].lower() in months:
                month = months[words[-2].lower()]
                if len(words) >= 3 and words[-3].isdigit():
                    day = int(words[-3])
        dates.append(f"{year:04d}-{month:02d}-{day:02d}" if year else "")
    return dates


def block(
    chart: Chart,
    page_url: str,
    paths: Paths,
    previews: Previews | None,
    *,
    table: bool = True,
    snippets: Snippets | None = None,
    cite: citation.Work | None = None,
) -> str:
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
            figure=root + urls.chart_file(chart.id, "js"),
            plotly=root + paths.plotly,
            previews=previews,
            preview_root=root,
            gallery=root + urls.chart_in_gallery(chart.id),
            csv=links.csv,
            table=table or previews is None,
            snippets=snippets,
            cite=cite_texts(cite) if cite else None,
            dates=json.dumps(slider_dates(chart.figure)) if chart.figure.get("layout", {}).get("sliders") else None,
        )
        .strip()
    )


def cite_texts(work: citation.Work) -> dict[str, str]:
    return {"text": citation.plain_text(work), "bibtex": citation.bibtex(work)}


def embed_page(
    chart: Chart,
    paths: Paths,
    *,
    site_title: str,
    language: str,
    credit: list[tuple[str, str | None]],
    licence: str | None = None,
    previews: Previews | None,
    base_url: str | None = None,
    version: str | None = None,
    version_date: str | None = None,
) -> str:
    page = embed_url(chart.id, version)
    root = urls.depth_prefix(page)
    base = base_url.rstrip("/") + "/" if base_url else None
    return (
        environment()
        .get_template("embed.html.j2")
        .render(
            chart=chart,
            root=root,
            spec=root + urls.chart_file(chart.id, "json"),
            figure=(urls.VERSION_FIGURE if version else root + urls.chart_file(chart.id, "js")),
            plotly=root + paths.plotly,
            script=root + SCRIPT,
            style=root + STYLE,
            static_style=_static_css(),
            home=root + chart.home,
            canonical=(base + chart.home) if base else None,
            oembed=(base + oembed_url(chart.id)) if base else root + oembed_url(chart.id),
            site_title=site_title,
            language=language,
            credit=credit,
            licence=licence,
            previews=previews,
            preview_root=root,
            version=version,
            version_date=version_date,
            latest=root + urls.embed_url(chart.id),
            dates=json.dumps(slider_dates(chart.figure)) if chart.figure.get("layout", {}).get("sliders") else None,
        )
    )


@cache
def _static_css() -> markupsafe.Markup:
    """The embed page's own styles, inlined: one request fewer before the first paint."""
    from explainer.core import resources

    text = (resources.CHART_STATIC / "static.css").read_text(encoding="utf-8")
    lines = [line for line in text.replace("</", "<\\/").splitlines() if line.strip()]
    return markupsafe.Markup("\n".join(lines))


def oembed_json(chart: Chart, *, snippet: str, provider: str, base_url: str | None, thumbnail: str | None) -> str:
    """The chart's oEmbed answer (type "rich": the snippet as `html`), a static file."""
    base = base_url.rstrip("/") + "/" if base_url else "/"
    width, _ = preview_size(chart)
    _, _, fallback = frame_size(chart)
    answer: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": chart.title,
        "provider_name": provider,
        "provider_url": base,
        "html": snippet,
        "width": width,
        "height": fallback,
        "cache_age": 3600,
    }
    if thumbnail:
        from explainer.charts.images import IMAGE_WIDTH, TITLE_BAND

        answer.update(
            thumbnail_url=base + thumbnail, thumbnail_width=IMAGE_WIDTH, thumbnail_height=chart.height + TITLE_BAND
        )
    return json.dumps(answer, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def oembed_link(chart: Chart, root: str, base_url: str | None) -> markupsafe.Markup:
    """The discovery `<link>` of a chart's oEmbed answer, for the head of a page that shows it."""
    base = base_url.rstrip("/") + "/" if base_url else root
    href = markupsafe.escape(base + oembed_url(chart.id))
    title = markupsafe.escape(chart.title)
    return markupsafe.Markup(f'<link rel="alternate" type="application/json+oembed" href="{href}" title="{title}">')


def gallery(
    site_wide: list[tuple[Chart, str]],
    per_record: list[tuple[str, list[Chart]]],
    *,
    images: dict[str, dict[str, str]],
    record_snippets: dict[str, str],
    base_url: str | None,
) -> str:
    """The /charts/ page: every chart, its snippet and its downloads (a Markdown page with HTML)."""
    root = urls.depth_prefix(urls.url_of(urls.CHARTS))
    base = base_url.rstrip("/") + "/" if base_url else root
    charts = [chart for chart, _ in site_wide] + [chart for _, group in per_record for chart in group]
    return (
        environment()
        .get_template("gallery.md.j2")
        .render(
            site_wide=[(chart, markupsafe.Markup(html)) for chart, html in site_wide],
            per_record=per_record,
            links={chart.id: ChartLinks.of(chart, root) for chart in charts},
            images={cid: {fmt: root + path for fmt, path in formats.items()} for cid, formats in images.items()},
            record_snippets=record_snippets,
            generic_snippet=_generic_snippet(base_url),
            base_origin=urlsplit(base_url).netloc if base_url else "",
            # the oEmbed answers of the charts it presents first, announced in the page's head
            # (the theme prints `oembed` front matter; hundreds of per-record links would not help)
            oembed=[{"href": base + oembed_url(chart.id), "title": chart.title} for chart, _ in site_wide],
        )
    )


def _generic_snippet(base_url: str | None) -> str:
    return (
        environment()
        .get_template("snippet.html.j2")
        .render(
            src=embed_address("CHART-ID", base_url), title="CHART TITLE", ratio="720/560", min_height=480, height=560
        )
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
