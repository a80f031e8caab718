"""Embeds a newsroom can publish (issue 14): versions, oEmbed, citations, credit lines,
publishable image figures, snippet sizes, and carrying versions from one published site
to the next. No browser here: tests/test_embed_browser.py shows them in Chromium."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from explainer.charts import build_charts, images, render, write_charts
from explainer.charts.files import carry_versions, chart_drawings
from explainer.checking.validate import validate_data
from explainer.rendering import citation

MINI = Path(__file__).parent / "fixtures" / "mini"
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def charts():
    dataset, report = validate_data(MINI)
    assert report.ok
    return build_charts(dataset)


@pytest.fixture(scope="module")
def syria():
    dataset, report = validate_data(DATA)
    assert report.ok
    return build_charts(dataset)


# --- citations --------------------------------------------------------------------------------


WORK = citation.Work(
    title="Timeline of events",
    container="Syria 2012: the uprising",
    url="https://example.org/syria/timeline/",
    issued=dt.date(2012, 7, 18),
    license="CC-BY-4.0",
    sources=(
        citation.Cited("Reuters", "Annan's plan {draft} & 100% of it", "2012-03-27", "https://example.org/r"),
        citation.Cited("BBC", "Houla", "2012-05", None, "A. Writer"),
    ),
    id="timeline",
)


def test_plain_citation_names_the_explainer_its_licence_and_every_source():
    text = citation.plain_text(WORK)
    assert text.startswith("Timeline of events. Syria 2012: the uprising, data as of 2012-07-18, CC-BY-4.0.")
    assert "https://example.org/syria/timeline/" in text
    assert "Reuters, “Annan's plan {draft} & 100% of it” (2012-03-27), https://example.org/r" in text
    assert "A. Writer, BBC, “Houla” (2012-05)" in text


def test_bibtex_escapes_tex_and_keeps_one_entry():
    entry = citation.bibtex(WORK)
    assert entry.startswith("@misc{syria2012-timeline-2012,\n")
    assert r"\{draft\} \& 100\% of it" in entry
    assert "url = {https://example.org/syria/timeline/}" in entry
    assert entry.count("@misc") == 1
    assert entry.endswith("\n}")


def test_csl_json_lists_the_work_then_its_sources():
    items = citation.csl_json(WORK)
    assert [item["type"] for item in items] == ["dataset", "article-newspaper", "article-newspaper"]
    assert items[0]["issued"] == {"date-parts": [[2012, 7, 18]]}
    assert items[2]["issued"] == {"date-parts": [[2012, 5]]}
    assert items[2]["author"] == [{"literal": "A. Writer"}]
    assert json.loads(citation.csl_json_text(WORK)) == items


def test_many_sources_are_counted_not_listed():
    many = citation.Work("T", "E", None, None, sources=tuple(citation.Cited("P", f"t{i}", "2012") for i in range(20)))
    assert f"and {20 - citation.MAX_SOURCES} more." in citation.plain_text(many)


# --- credit, versions, oEmbed -----------------------------------------------------------------


def test_credit_line_is_one_line_with_licence_date_and_publishers(syria):
    for chart_id in syria.ids:
        line = syria.credit_line(chart_id)
        assert len(line) <= 160
        assert "\n" not in line
        assert line.startswith("Source: Syria 2012")
        assert ", data CC-BY-4.0, as of " in line
    short = syria.credit_line("timeline", limit=90)
    assert len(short) <= 90
    assert "CC-BY-4.0" in short


def test_version_is_stable_and_follows_the_content(charts):
    dataset, _ = validate_data(MINI)
    again = build_charts(dataset)
    assert [charts.version(cid) for cid in charts.ids] == [again.version(cid) for cid in again.ids]
    assert len({charts.version(cid) for cid in charts.ids}) == len(charts.ids)
    chart = again.charts["timeline"]
    chart.figure["layout"]["height"] = 999
    assert again.version("timeline") != charts.version("timeline")


def test_oembed_answer_is_rich_with_the_snippet(charts):
    answer = json.loads(charts.oembed("timeline"))
    assert answer["type"] == "rich"
    assert answer["version"] == "1.0"
    assert answer["html"] == charts.snippet("timeline")
    assert answer["provider_url"] == "https://example.org/mini/"
    assert isinstance(answer["width"], int)
    assert isinstance(answer["height"], int)


def test_embed_page_paints_without_plotly_and_links_its_oembed(charts):
    page = charts.embed_page("timeline")
    assert (
        '<link rel="alternate" type="application/json+oembed" href="https://example.org/mini/embed/timeline/oembed.json"'
        in page
    )
    assert "application/json" not in page.replace("application/json+oembed", "")  # no figure inlined
    assert 'data-figure="../../assets/charts/timeline.js"' in page
    assert "plotly" not in page.split('data-plotly="')[0]  # no script tag for plotly.js
    assert '<script src="../../assets/explainer/charts.js" defer></script>' in page
    assert "<style>" in page
    assert 'rel="stylesheet"' not in page


def test_version_page_is_self_contained(charts):
    version = charts.version("positions")
    page = charts.embed_page("positions", version=True)
    assert 'data-figure="figure.js"' in page
    assert f"Version {version}" in page
    assert '<a href="../../../../embed/positions/"' in page  # the latest, from embed/positions/v/<v>/


def test_snippet_sizes_by_css_and_keeps_the_origin_check(charts):
    snippet = charts.snippet("timeline")
    assert "aspect-ratio:" in snippet
    assert "min-height:" in snippet
    assert "height:auto" in snippet
    assert "e.origin===o" in snippet
    assert 'typeof e.data!=="number"' in snippet
    pinned = charts.snippet("timeline", version=True)
    assert f"/embed/timeline/v/{charts.version('timeline')}/" in pinned


def test_frame_size_fits_the_preview_and_its_text_at_320_and_1000_px(charts):
    for chart_id in charts.ids:
        ratio, min_height, _ = render.frame_size(charts.chart(chart_id))
        num, den = (int(x) for x in ratio.split("/"))
        width, height = render.preview_size(charts.chart(chart_id))
        for frame_width, band in ((320, render.EMBED_CHROME), (1000, render.EMBED_CHROME_WIDE)):
            frame = max(min_height, frame_width * den / num)
            assert frame >= frame_width * height / width + band - 1


def test_slider_dates_read_the_step_labels():
    figure = {
        "layout": {"sliders": [{"steps": [{"label": "2011"}, {"label": "March 2012"}, {"label": "9 February 2012"}]}]}
    }
    assert render.slider_dates(figure) == ["2011-01-01", "2012-03-01", "2012-02-09"]
    assert render.slider_dates({"layout": {}}) == []


# --- image figures ----------------------------------------------------------------------------


def test_publishable_figure_has_title_credit_legend_and_no_controls(syria):
    for chart_id in ("timeline", "positions"):
        chart = syria.chart(chart_id)
        figure, height = images.publishable(
            chart.figure,
            title=chart.title,
            credit="Source: X",
            theme=images.THEMES["dark"],
            width=1000,
            height=chart.height,
        )
        layout = figure["layout"]
        assert "updatemenus" not in layout
        assert "sliders" not in layout
        assert layout["paper_bgcolor"] == images.THEMES["dark"].background
        assert chart.title in layout["title"]["text"]
        assert figure["data"][-1]["name"] == "Source: X"
        assert figure["data"][-1]["legend"] == "legend2"
        assert layout["legend2"]["yref"] == "container"
        assert height == chart.height + images.TITLE_BAND
    assert "updatemenus" in syria.chart("timeline").figure["layout"]  # the page's figure is untouched


def test_slanted_top_labels_get_room_on_the_right(syria):
    import math

    figure = {"layout": {"xaxis": {"categoryarray": ["Annan plan", "Security Council action"], "tickangle": -30}}}
    wide, _ = images.publishable(figure, title="t", credit="c", theme=images.THEMES["light"], width=1000, height=900)
    assert wide["layout"]["margin"]["r"] >= len("Security Council action") * 7 * math.cos(math.radians(30))
    figure["layout"]["xaxis"]["tickangle"] = -90  # upright labels run past nothing
    upright, _ = images.publishable(figure, title="t", credit="c", theme=images.THEMES["light"], width=1000, height=900)
    assert upright["layout"]["margin"]["r"] == 16


def test_dark_svg_swaps_theme_colours_only():
    svg = (
        b'<svg width="10" height="5"><rect style="fill: rgb(255, 255, 255)"/>'
        b'<text style="fill: rgb(31, 35, 40)"/><path style="stroke: rgb(214, 39, 40)"/></svg>'
    )
    dark = images.dark_svg(svg)
    assert b"rgb(30, 33, 41)" in dark
    assert b"rgb(226, 228, 233)" in dark
    assert b"rgb(214, 39, 40)" in dark  # a data colour stays
    assert b'viewBox="0 0 10 5"' in images.preview_svg(svg)


def test_every_chart_gets_previews_and_publishable_images(charts):
    for chart_id in charts.ids:
        outputs = [str(path) for drawing in chart_drawings(charts, chart_id) for path, _ in drawing.outputs]
        for fmt in ("preview.svg", "preview-dark.svg", "png", "svg", "dark.png", "dark.svg"):
            assert f"assets/charts/{chart_id}.{fmt}" in outputs
        assert any(f"/v/{charts.version(chart_id)}/preview.svg" in path for path in outputs)
        assert (f"assets/charts/{chart_id}.card.png" in outputs) == charts.chart(chart_id).site_wide


# --- versions carried from site to site ---------------------------------------------------------


def test_carry_versions_keeps_old_versions_and_never_overwrites(tmp_path, charts):
    dataset, _ = validate_data(MINI)
    previous, new = tmp_path / "previous", tmp_path / "new"
    write_charts(charts, previous, dataset.site, images=False)
    old = previous / "embed/timeline/v/0123456789"
    old.mkdir(parents=True)
    (old / "index.html").write_text("old version")
    (old / "figure.js").write_text("old figure")
    (previous / "embed/timeline/v/linked").symlink_to(old)
    os.symlink("/etc/passwd", old / "escape")
    write_charts(charts, new, dataset.site, images=False)
    current = f"timeline/v/{charts.version('timeline')}"
    (new / "embed" / current / "index.html").write_text("this build's")
    copied = carry_versions(previous, new)
    assert copied == ["timeline/v/0123456789"]
    assert (new / "embed/timeline/v/0123456789/index.html").read_text() == "old version"
    assert not (new / "embed/timeline/v/0123456789/escape").exists()
    assert not (new / "embed/timeline/v/linked").exists()
    assert (new / "embed" / current / "index.html").read_text() == "this build's"
    assert carry_versions(tmp_path / "missing", new) == []
