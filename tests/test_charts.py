"""Chart figures built from the mini fixture, checked for what they show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from explainer.charts import build_charts, write_charts
from explainer.charts.chart import TEMPLATE
from explainer.charts.render import spec_json
from explainer.checking.validate import validate_data

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def mini():
    dataset, report = validate_data(MINI)
    assert report.ok, [d.format() for d in report.diagnostics]
    return dataset


@pytest.fixture(scope="module")
def charts(mini):
    return build_charts(mini)


def traces(chart, name=None, mode=None):
    found = chart.figure["data"]
    if name is not None:
        found = [t for t in found if t["name"] == name]
    if mode is not None:
        found = [t for t in found if t.get("mode") == mode]
    return found


def test_ids_site_wide_first_then_records(charts):
    assert charts.ids == [
        "timeline", "positions", "tolls", "network", "map",
        "actor-envoy-events", "actor-france-events", "actor-government-events",
        "question-peace-plan-history", "question-president-step-down-history",
    ]  # fmt: skip
    assert charts.for_actor("envoy") == ["actor-envoy-events"]
    assert charts.for_actor("president") == []  # took part in no event
    assert charts.for_question("peace-plan") == ["question-peace-plan-history"]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid) for cid in charts.ids)


def test_unknown_chart_is_a_clear_error(charts):
    with pytest.raises(KeyError, match="no chart 'nope'; the charts are timeline, positions"):
        charts.block("nope", "timeline/")


def test_timeline_lanes_sizes_spans_and_links(charts):
    chart = charts.chart("timeline")
    markers = traces(chart, mode="markers")
    assert [t["name"] for t in markers] == ["Massacre", "Military operation", "Protest", "Appointment"]
    assert chart.marks() == 4
    layout = chart.figure["layout"]
    assert layout["yaxis"]["categoryarray"] == ["Appointment", "Protest", "Military operation", "Massacre"]
    offensive = traces(chart, "Military operation", "markers")[0]
    assert offensive["x"] == ["2012-03-31"]  # the middle of March-April 2012, not 1 March
    assert offensive["marker"]["size"] == [36]  # the largest toll: 7,500
    assert offensive["marker"]["symbol"] == ["circle"]
    assert offensive["customdata"] == ["events/spring-offensive/"]
    assert "March 2012 – April 2012" in offensive["hovertext"][0]
    assert "at least 7,500 killed, according to France" in offensive["hovertext"][0]
    houla = traces(chart, "Massacre", "markers")[0]
    assert houla["marker"]["size"] == [12.42]  # sqrt scale: 9 + 27 * sqrt(120 / 7500)
    assert "25 May 2012" in houla["hovertext"][0]
    appointed = traces(chart, "Appointment", "markers")[0]
    assert appointed["marker"]["symbol"] == ["circle-open"]  # no toll reported
    # Month and year precision are drawn as spans over the days they may cover.
    spans = {t["name"]: t for t in traces(chart, mode="lines")}
    assert spans["Military operation (date range)"]["x"] == ["2012-03-01", "2012-04-30", None]
    assert spans["Protest (date range)"]["x"] == ["2011-01-01", "2011-12-31", None]
    assert "Massacre (date range)" not in spans
    assert chart.summary[0].startswith("4 events from 2011 (The uprising begins) to 25 May 2012 (Houla massacre)")
    assert "Spring offensive (March 2012): at least 7,500 killed, according to France" in chart.summary[1]
    assert chart.table.headers == ("Date", "Event", "Kind", "Killed")
    assert chart.table.rows[0] == ("2011", "The uprising begins", "Protest", "not reported")


def test_positions_cells_colours_and_as_of_replay(charts):
    chart = charts.chart("positions")
    cells, *key = chart.figure["data"]
    assert [t["name"] for t in key] == ["For", "Against", "Mixed", "No position yet"]  # the colour key
    assert all(t["x"] == [None] for t in key)
    colour = {t["marker"]["color"]: t["name"] for t in key}
    final = {(x, y): colour[col] for x, y, col in zip(cells["x"], cells["y"], cells["marker"]["color"], strict=True)}
    assert final == {
        ("Assad stepping down", "France"): "For",
        ("Assad stepping down", "Kofi Annan"): "For",
        ("Should the world keep backing the peace plan?", "Kofi Annan"): "For",
        ("Should the world keep backing the peace plan?", "Government"): "Mixed",
        ("Assad stepping down", "Assad"): "Against",
    }
    assert cells["text"][cells["y"].index("Assad")] == "−"
    france = cells["hovertext"][cells["y"].index("France")]
    assert "“he must go”" in france
    assert "<b>For</b> from August 2011" in france
    assert "Weekly Analysis" in france
    position = {(x, y): i for i, (x, y) in enumerate(zip(cells["x"], cells["y"], strict=True))}
    annan = cells["hovertext"][position[("Assad stepping down", "Kofi Annan")]]
    assert re.search(r"<b>Mixed</b> from March 2012[^<]*<br><b>For</b> from 7 June 2012<br>", annan)  # the history
    slider = chart.figure["layout"]["sliders"][0]
    assert [s["label"] for s in slider["steps"]] == ["August 2011", "March 2012", "April 2012", "7 June 2012"]
    assert slider["active"] == 3
    march, targets = slider["steps"][1]["args"]
    assert targets == [0]  # the replay recolours the cells only
    as_of_march = {
        (x, y): colour[col] for x, y, col in zip(cells["x"], cells["y"], march["marker.color"][0], strict=True)
    }
    assert as_of_march[("Assad stepping down", "Kofi Annan")] == "Mixed"  # changed to "for" in June
    assert as_of_march[("Should the world keep backing the peace plan?", "Government")] == "No position yet"
    assert as_of_march[("Assad stepping down", "France")] == "For"
    august = slider["steps"][0]["args"][0]
    assert august["text"][0] == ["" if c != "France" else "+" for c in cells["y"]]
    assert chart.marks() == 5
    assert (
        "1 position changed over time, e.g. Kofi Annan on Assad stepping down: "
        "mixed (March 2012) then for (7 June 2012)"
    ) in " ".join(chart.summary)


def test_tolls_keep_qualifiers_and_ranges(charts):
    chart = charts.chart("tolls")
    points = {t["name"]: t for t in traces(chart, mode="markers")}
    assert list(points) == ["France", "Kofi Annan", "Unattributed"]
    assert points["France"]["y"] == [7500]
    assert points["France"]["marker"]["symbol"] == ["triangle-up"]
    assert "at least 7,500 killed" in points["France"]["hovertext"][0]
    assert points["Kofi Annan"]["y"] == [108]
    assert points["Kofi Annan"]["marker"]["symbol"] == ["circle"]
    assert points["Unattributed"]["y"] == [90]
    assert points["Unattributed"]["marker"]["symbol"] == ["line-ew-open"]
    ranges = traces(chart, "Unattributed (ranges)")[0]
    assert ranges["y"] == [90, 120, None]
    assert "90–120 killed" in points["Unattributed"]["hovertext"][0]
    assert chart.table.rows == (
        ("March 2012 – April 2012", "Spring offensive", "at least 7,500", "France"),
        ("25 May 2012", "Houla massacre", "108", "Kofi Annan"),
        ("25 May 2012", "Houla massacre", "90–120", "Unattributed"),
    )
    assert "1 event has differing figures" in " ".join(chart.summary)


def test_network_relations_and_deterministic_layout(mini, charts):
    chart = charts.chart("network")
    edges = {t["name"]: t for t in traces(chart, mode="lines")}
    assert set(edges) == {"leads", "backs", "opposes", "envoy of"}
    nodes = [t for t in chart.figure["data"] if t["mode"] == "markers+text"]
    labels = sorted(label for t in nodes for label in t["text"])
    assert labels == ["Assad", "France", "Government", "Kofi Annan"]
    assert sorted(u for t in nodes for u in t["customdata"]) == [
        "actors/envoy/",
        "actors/france/",
        "actors/government/",
        "actors/president/",
    ]
    xs = [x for t in nodes for x in t["x"]]
    assert all(-1 <= x <= 1 for x in xs)
    assert len(set(xs)) == 4
    assert spec_json(build_charts(mini).chart("network")) == spec_json(chart)
    assert chart.table.rows[0] == ("Kofi Annan", "envoy of", "France")


def test_map_places_events_on_fitted_axes_with_outlines(charts):
    chart = charts.chart("map")
    assert chart.marks() == 3
    massacre = traces(chart, "Massacre")[0]
    assert massacre["type"] == "scatter"
    assert massacre["y"] == [34.884]
    assert massacre["x"] == [36.531]  # longitude across, latitude up
    layout = chart.figure["layout"]
    west, east = layout["xaxis"]["range"]
    south, north = layout["yaxis"]["range"]
    assert west < 2.3522 < 38.5 < east  # Paris to Syria, padded
    assert south < 34.884 < 48.8566 < north
    assert layout["yaxis"]["scaleanchor"] == "x"
    assert 1.2 < layout["yaxis"]["scaleratio"] < 1.5  # 1 / cos(about 42 degrees north)
    outline = chart.figure["data"][0]
    assert outline["meta"] == "basemap"
    assert outline["fill"] == "toself"
    assert outline["hoverinfo"] == "skip"
    assert len(outline["x"]) > 100  # France, Syria and their neighbours, cut from world_110m
    across = max(30, east - west)  # shapes are cut a view's width beyond the view
    assert all(x is None or west - across - 0.01 <= x <= east + across + 0.01 for x in outline["x"])
    assert min(x for x in outline["x"] if x is not None) < west  # and reach beyond it
    assert "1 event without a place is not on the map." in chart.summary


def test_map_without_topojson_has_no_outlines(mini):
    from explainer.charts.geo import map_chart

    chart = map_chart(mini, topology=None)
    assert [t["name"] for t in chart.figure["data"]] == ["Massacre", "Military operation", "Appointment"]


def test_question_history_joins_an_actors_stances(charts):
    chart = charts.chart("question-president-step-down-history")
    joined = traces(chart, "Change of position")[0]
    assert joined["y"] == ["Kofi Annan", "Kofi Annan", None]
    assert [t["name"] for t in traces(chart, mode="markers")] == ["For", "Mixed", "Against"]
    assert chart.home == "questions/president-step-down/"
    assert "Kofi Annan (mixed, March 2012 then for, 7 June 2012)" in " ".join(chart.summary)


REPORTED = """\
question: Should Bashar al-Assad step down?
short_name: Assad stepping down
summary: Whether the president should leave.
stances:
  - {actor: france, stance: for, date: "2011-08", quote: "he must go", sources: [weekly-analysis]}
  - {actor: president, stance: against, date: "2012-03", according_to: envoy, sources: [weekly-analysis]}
  - {actor: envoy, stance: mixed, date: "2012-03", according_to: france, sources: [daily-report]}
  - {actor: envoy, stance: for, date: "2012-06-07", quote: "the plan is not being implemented", sources: [daily-report]}
"""


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """The mini fixture with stances reported by someone else (France's short name as HTML)."""
    import shutil

    data = tmp_path_factory.mktemp("reported") / "data"
    shutil.copytree(MINI, data)
    (data / "questions" / "president-step-down.yaml").write_text(REPORTED, encoding="utf-8")
    france = data / "actors" / "france.yaml"
    france.write_text(france.read_text(encoding="utf-8").replace("short_name: France", "short_name: F<i>r</i>"))
    dataset, report = validate_data(data)
    assert report.ok, [d.format() for d in report.diagnostics]
    return build_charts(dataset)


def test_a_stance_reported_by_someone_else_says_so_on_the_question_chart(reported):
    chart = reported.chart("question-president-step-down-history")
    assert chart.table.headers == ("Date", "Actor", "Stance", "Quote", "According to", "Source")
    rows = {(row[0], row[1], row[2]): row for row in chart.table.rows}
    assert rows[("March 2012", "Assad", "Against")][3:5] == ("", "Kofi Annan")
    assert rows[("March 2012", "Kofi Annan", "Mixed")][3:5] == ("", "F<i>r</i>")  # the HTML table escapes it
    assert rows[("August 2011", "F<i>r</i>", "For")][3:5] == ("he must go", "")  # quoted: no reporter
    hovers = {h.split("<br>")[0]: h for t in traces(chart, mode="markers") for h in t["hovertext"]}
    assert "<b>Assad</b>: Against, according to Kofi Annan" in hovers
    assert "<b>Kofi Annan</b>: Mixed, according to F&lt;i&gt;r&lt;/i&gt;" in hovers
    assert "<b>F&lt;i&gt;r&lt;/i&gt;</b>: For" in hovers
    assert "<b>Kofi Annan</b>: For" in hovers
    assert not any("<i>" in h for h in hovers.values())


def test_a_stance_reported_by_someone_else_says_so_on_the_positions_grid(reported):
    chart = reported.chart("positions")
    cells = chart.figure["data"][0]
    hover = {
        y: h for x, y, h in zip(cells["x"], cells["y"], cells["hovertext"], strict=True) if x == "Assad stepping down"
    }
    assert (
        "<b>Mixed</b> from March 2012, according to F&lt;i&gt;r&lt;/i&gt;<br><b>For</b> from 7 June 2012<br>"
        in (hover["Kofi Annan"])
    )
    assert "<b>Against</b> from March 2012, according to Kofi Annan" in hover["Assad"]
    assert "according to" not in hover["F&lt;i&gt;r&lt;/i&gt;"]
    assert chart.table.headers == ("Actor", "Question", "Stance", "Date", "Quote", "According to", "Source")
    rows = {(row[0], row[1], row[3]): row for row in chart.table.rows}
    assert rows[("Kofi Annan", "Assad stepping down", "March 2012")][4:6] == ("", "F<i>r</i>")
    assert rows[("Assad", "Assad stepping down", "March 2012")][4:6] == ("", "Kofi Annan")
    assert rows[("F<i>r</i>", "Assad stepping down", "August 2011")][4:6] == ("he must go", "")


def test_actor_mini_timeline_has_only_their_events(charts):
    chart = charts.chart("actor-government-events")
    assert sorted(u for t in traces(chart, mode="markers") for u in t["customdata"]) == [
        "events/houla-massacre/",
        "events/spring-offensive/",
    ]
    assert chart.home == "actors/government/"


def test_specs_are_plain_slim_json(charts):
    for cid in charts.ids:
        text = spec_json(charts.chart(cid))
        assert "bdata" not in text
        assert "dtype" not in text
        figure = json.loads(text)
        assert figure["layout"]["template"] == TEMPLATE
        assert len(json.dumps(TEMPLATE)) < 500
        assert "<script" not in text


def test_data_text_is_escaped_in_hover(tmp_path):
    import shutil

    shutil.copytree(MINI, tmp_path / "data")
    event = tmp_path / "data" / "events" / "houla-massacre.yaml"
    event.write_text(event.read_text().replace("title: Houla massacre", "title: Houla <b>massacre</b>"))
    actor = tmp_path / "data" / "actors" / "envoy.yaml"
    actor.write_text(actor.read_text().replace("name: Kofi Annan", "name: Kofi <i>Annan</i>"))
    dataset, report = validate_data(tmp_path / "data")
    assert report.ok
    chart_set = build_charts(dataset)
    hover = traces(chart_set.chart("timeline"), "Massacre", "markers")[0]["hovertext"][0]
    assert "Houla &lt;b&gt;massacre&lt;/b&gt;" in hover
    assert "Kofi &lt;i&gt;Annan&lt;/i&gt;" in chart_set.chart("positions").figure["layout"]["yaxis"]["categoryarray"]
    assert "Kofi &lt;i&gt;Annan&lt;/i&gt;" in [t["name"] for t in chart_set.chart("tolls").figure["data"]]
    tolls_hover = traces(chart_set.chart("tolls"), "Kofi &lt;i&gt;Annan&lt;/i&gt;")[0]["hovertext"][0]
    assert "According to Kofi &lt;i&gt;Annan&lt;/i&gt;" in tolls_hover
    history = chart_set.chart("question-president-step-down-history").figure["layout"]["yaxis"]
    assert "Kofi &lt;i&gt;Annan&lt;/i&gt;" in history["categoryarray"]
    assert "Kofi <i>Annan</i>" in chart_set.chart("tolls").table.rows[1]  # the HTML table escapes it itself
    assert "&lt;i&gt;" in chart_set.block("tolls", "events/")


def test_block_paths_are_relative_to_the_page(charts):
    block = charts.block("actor-envoy-events", "actors/envoy/")
    assert 'data-spec="../../assets/charts/actor-envoy-events.json"' in block
    assert 'data-plotly="../../assets/vendor/plotly/' in block
    assert 'id="explainer-chart-actor-envoy-events"' in block
    assert "<noscript>" not in block  # per-record charts have no static image
    assert block.count("<tr>") == 1 + 2  # header and one row per event
    assert "\n\n" not in block  # a blank line would end the raw HTML block in Markdown
    assert 'data-plotly="../assets/vendor/plotly/' in charts.block("map", "map/")
    assert 'href="../../charts/#chart-actor-envoy-events"' in block  # its embed snippet, on the gallery
    assert 'data-spec="assets/charts/timeline.json"' in charts.block("timeline", "")  # the home page


def test_embed_page_is_standalone_credited_and_local(charts):
    page = charts.embed_page("timeline")
    assert page.startswith("<!doctype html>")
    assert '<html lang="en"' in page
    assert "<title>Timeline of events — Mini explainer: a small test crisis</title>" in page
    assert "The Daily Report" in page
    assert "Weekly Analysis" in page
    assert 'href="../../timeline/"' in page
    assert '<link rel="canonical" href="https://example.org/mini/timeline/">' in page
    assert "md-header" not in page  # no site chrome
    fetched = re.findall(r'<(?:script|img|iframe)[^>]+src="([^"]+)"', page)
    fetched += re.findall(r'<link rel="(?:stylesheet|icon|preload)"[^>]* href="([^"]+)"', page)
    assert len(fetched) >= 3  # the style sheet, plotly.js and charts.js
    for url in fetched:
        assert not re.match(r"^(https?:)?//", url), url
    assert '<details class="explainer-embed-data">' in page
    assert page.count("<tr>") == 1 + 4  # the same data as a table: a header and one row per event
    assert "\n\n" not in page
    spec = re.search(r'<script type="application/json" id="explainer-spec-timeline">(.*?)</script>', page, re.S)
    assert json.loads(spec.group(1))["data"]


def test_snippet_uses_base_url_and_checks_messages(charts):
    snippet = charts.snippet("tolls")
    assert '<iframe src="https://example.org/mini/embed/tolls/"' in snippet
    assert 'sandbox="allow-scripts allow-popups' in snippet
    assert 'typeof e.data!=="number"' in snippet
    assert "e.source" in snippet
    height = int(re.search(r'height="(\d+)"', snippet).group(1))
    assert height >= charts.chart("tolls").height
    assert '<iframe src="/embed/tolls/"' in charts.snippet("tolls", base_url="")


def test_gallery_lists_every_chart(charts):
    gallery = charts.gallery()
    for cid in charts.ids:
        assert f"embed/{cid}/" in gallery
    assert gallery.count("&lt;iframe") == len(charts.ids)


def test_sparse_dataset_leaves_out_empty_charts(tmp_path):
    data = tmp_path / "data"
    for folder in ("actors", "events", "sources"):
        (data / folder).mkdir(parents=True)
    (data / "site.yaml").write_text("title: Sparse\n")
    (data / "sources" / "note.yaml").write_text("title: A note\npublisher: Us\ndate: '2020'\n")
    (data / "events" / "meeting.yaml").write_text(
        "title: A meeting\ndate: '2020-05-01'\nkind: diplomacy\nsummary: Met.\nsources: [note]\n"
    )
    dataset, report = validate_data(data)
    assert report.ok, [d.format() for d in report.diagnostics]
    chart_set = build_charts(dataset)
    assert chart_set.ids == ["timeline"]
    assert chart_set.chart("timeline").summary[1] == "No event has a reported death toll."


def test_traces_have_fixed_uids(charts):
    for cid in charts.ids:
        uids = [t["uid"] for t in charts.chart(cid).figure["data"]]
        assert uids == [f"t{i}" for i in range(len(uids))]


def test_svg_random_ids_are_fixed():
    from explainer.charts.images import fixed_svg_ids

    def svg(uid: bytes) -> bytes:
        return (
            b'<svg><defs id="defs-' + uid + b'"><clipPath id="clip' + uid + b'xyplot"></clipPath></defs>'
            b'<g clip-path="url(#clip' + uid + b'xyplot)"></g><defs id="topdefs-' + uid + b'"></defs>'
            b'<g fill="#a1b2c3"></g></svg>'
        )

    fixed = fixed_svg_ids(svg(b"a1b2c3"), "tolls")
    assert b"clipa1b2c3" not in fixed
    assert b"defs-a1b2c3" not in fixed
    assert b'fill="#a1b2c3"' in fixed  # only ids are renamed
    assert fixed.replace(b"#a1b2c3", b"") == fixed_svg_ids(svg(b"ffee00"), "tolls").replace(b"#a1b2c3", b"")


def test_images_skipped_with_a_reason(monkeypatch):
    from explainer.charts import images

    monkeypatch.setattr(images, "find_chromium", lambda: None)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert images.images_available() == "Chromium was not found (install Debian's chromium, or set BROWSER_PATH)"
    monkeypatch.setenv("BROWSER_PATH", "/nowhere/chromium")
    assert images.images_available() == "BROWSER_PATH=/nowhere/chromium is not a file"
    monkeypatch.setenv("EXPLAINER_IMAGES", "0")
    assert images.images_available() == "EXPLAINER_IMAGES=0"


def test_dataset_without_events_has_only_the_charts_it_supports(tmp_path):
    data = tmp_path / "data"
    for folder in ("actors", "questions", "sources"):
        (data / folder).mkdir(parents=True)
    (data / "site.yaml").write_text("title: Quiet\n")
    (data / "sources" / "note.yaml").write_text("title: A note\npublisher: Us\ndate: '2020'\n")
    (data / "actors" / "someone.yaml").write_text("name: Someone\nkind: person\nsummary: A person.\n")
    (data / "questions" / "go.yaml").write_text(
        "question: Should they go?\nsummary: Whether.\nstances:\n"
        "  - {actor: someone, stance: for, date: '2020-01', sources: [note]}\n"
    )
    dataset, report = validate_data(data)
    assert report.ok, [d.format() for d in report.diagnostics]
    chart_set = build_charts(dataset)
    assert chart_set.ids == ["positions", "question-go-history"]
    assert chart_set.for_actor("someone") == []
    assert "slider" not in json.dumps(chart_set.chart("positions").figure["layout"])  # one date: nothing to replay
    write_charts(chart_set, tmp_path / "docs", dataset.site, images=False)
    assert (tmp_path / "docs" / "embed" / "positions" / "index.html").is_file()


def test_positions_grid_keeps_the_most_outspoken_when_large(mini, monkeypatch):
    from explainer.charts import positions

    monkeypatch.setattr(positions, "MAX_ROWS", 2)
    monkeypatch.setattr(positions, "MAX_COLUMNS", 1)
    chart = positions.positions_chart(mini)
    layout = chart.figure["layout"]
    assert layout["yaxis"]["categoryarray"] == ["Kofi Annan", "France"]  # Annan: 3 stances; then France, by id
    assert layout["xaxis"]["categoryarray"] == ["Assad stepping down"]  # the question with the most stances
    assert chart.summary[-1] == (
        "The grid shows the 2 actors with the most recorded stances (of 4) and the 1 question with the most "
        "(of 2); the table lists every stance."
    )
    assert len(chart.table.rows) == 6  # every stance


def test_charts_ask_the_wording_module_for_every_word_and_colour(mini, monkeypatch):
    """One owner of the words readers see: change a word there and every chart says it."""
    from explainer.core import wording

    monkeypatch.setitem(wording.EVENT_KINDS, "massacre", "Mass killing")
    monkeypatch.setitem(wording.EVENT_KIND_COLOURS, "massacre", "#000001")
    monkeypatch.setitem(wording.STANCES, "mixed", "Both ways")
    monkeypatch.setitem(wording.STANCE_COLOURS, "mixed", "#000002")
    monkeypatch.setitem(wording.ACTOR_KINDS, "person", "Human")
    monkeypatch.setitem(wording.RELATIONS, "leads", "heads")
    monkeypatch.setitem(wording.QUALIFIERS, "at-least", "no fewer than ")
    charts = build_charts(mini)
    timeline = charts.chart("timeline")
    lane = traces(timeline, "Mass killing", mode="markers")[0]
    assert lane["marker"]["color"] == "#000001"
    assert any(row[2] == "Mass killing" for row in timeline.table.rows)
    assert traces(charts.chart("map"), "Mass killing")
    positions = charts.chart("positions")
    assert traces(positions, "Both ways")[0]["marker"]["color"] == "#000002"
    assert "Both ways" in {row[2] for row in positions.table.rows}
    network = charts.chart("network")
    assert traces(network, "Human")
    assert "heads" in {row[1] for row in network.table.rows}
    assert any("no fewer than" in row[2] for row in charts.chart("tolls").table.rows)
