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
        "timeline", "positions", "tolls", "network", "map", "question-president-step-down-history",
    ]  # fmt: skip
    assert charts.for_actor("envoy") == []  # two events: the actor's page lists them, no chart
    assert charts.for_actor("president") == []  # took part in no event
    assert charts.for_question("peace-plan") == []  # two stances: listed on the page
    assert charts.for_question("president-step-down") == ["question-president-step-down-history"]
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
    assert layout["yaxis"]["ticktext"] == ["Massacre", "Military operation", "Protest", "Appointment"]
    assert layout["yaxis"]["tickvals"] == [3, 2, 1, 0]  # lanes from the top
    offensive = traces(chart, "Military operation", "markers")[0]
    assert offensive["x"] == ["2012-03-01"]  # its first day, so it sorts as the tables do; the bar shows the rest
    assert offensive["y"] == [2]
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
    assert chart.summary[0].startswith("4 events from 2011 (the uprising begins) to 25 May 2012 (Houla massacre)")
    assert "Spring offensive (March 2012): at least 7,500 killed, according to France" in chart.summary[1]
    assert chart.table.headers == ("Date", "Event", "Kind", "Killed")
    assert chart.table.rows[0] == ("2011", "The uprising begins", "Protest", "not reported")


def test_positions_cells_colours_and_as_of_replay(charts):
    chart = charts.chart("positions")
    (cells,) = chart.figure["data"]
    key = chart.figure["layout"]["annotations"][0]["text"]
    assert key == "+ for   − against   ± mixed   blank: none yet"  # one line, under the grid
    from explainer.core import wording

    colour = {wording.STANCE_COLOURS[s]: wording.STANCES[s] for s in wording.STANCE_COLOURS}
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
    points = {t["name"]: t for t in traces(chart, mode="markers") if t.get("customdata")}
    assert list(points) == ["France", "Kofi Annan", "Unattributed"]
    legend = [t["name"] for t in chart.figure["data"] if t.get("showlegend") is not False]
    assert legend == ["France", "Kofi Annan", "Unattributed"]  # squares in the reporters' colours
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
    assert chart.table.headers == ("As of", "Event", "Event date", "Killed", "According to")
    assert [row[0] for row in chart.table.rows] == sorted(
        [row[0] for row in chart.table.rows], key=lambda d: d.split()[-1]
    )  # by the date of the figure
    assert ("8 June 2012", "Houla massacre", "25 May 2012", "108", "Kofi Annan") in chart.table.rows  # its source
    assert any(r[1:] == ("Houla massacre", "25 May 2012", "90–120", "Unattributed") for r in chart.table.rows)
    offensive = next(r for r in chart.table.rows if r[1] == "Spring offensive")
    assert offensive[2:] == ("March 2012 – April 2012", "at least 7,500", "France")  # reported as it began
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
    ys = [y for t in nodes for y in t["y"]]
    assert len(set(ys)) == 4  # one row each
    assert all(x in (0.0, 1.0, 2.0) for t in nodes for x in t["x"])  # indented by distance in the group
    assert spec_json(build_charts(mini).chart("network")) == spec_json(chart)
    assert chart.table.rows[0] == ("Kofi Annan", "envoy of", "France")


def test_map_places_events_on_fitted_axes_with_outlines(charts):
    chart = charts.chart("map")
    assert chart.meta == {"main": ["houla", "country"], "far": ["paris"]}  # Paris is far from the story
    assert chart.marks() == 3
    violence = traces(chart, "Violence")[0]
    assert violence["type"] == "scatter"
    houla = violence["customdata"].index("places/houla/")
    assert violence["y"][houla] == 34.884
    assert violence["x"][houla] == 36.531  # longitude across, latitude up
    assert violence["marker"]["symbol"] == "circle"
    layout = chart.figure["layout"]
    west, east = layout["xaxis"]["range"]
    south, north = layout["yaxis"]["range"]
    assert west < 36.531 < 38.5 < east
    assert east - west < 15
    assert south < 34.884 < north
    assert layout["yaxis"]["scaleanchor"] == "x"
    assert layout["dragmode"] == "pan"
    assert layout["xaxis"]["fixedrange"] is False
    far = traces(chart, "Diplomacy and UN (far)")[0]
    assert far["text"] == ["Paris · 1 event"]
    assert far["customdata"] == ["places/paris/"]
    outline = chart.figure["data"][0]
    assert outline["meta"] == "basemap"
    assert outline["fill"] == "toself"
    assert outline["hoverinfo"] == "skip"
    assert len(outline["x"]) > 100  # France, Syria and their neighbours, cut from world_110m
    assert min(x for x in outline["x"] if x is not None) < 2.35  # the outlines reach Paris for a pan there
    assert "1 event without a place is not on the map." in chart.summary


def test_map_without_topojson_has_no_outlines(mini):
    from explainer.charts.geo import map_chart

    chart = map_chart(mini, topology=None)
    assert [t["name"] for t in chart.figure["data"]] == [
        "Violence", "Place names", "Diplomacy and UN (far)",
    ]  # fmt: skip


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


def test_actor_mini_timeline_has_only_their_events(cases):
    chart = cases[1].chart("actor-envoy-events")
    assert sorted(u for t in traces(chart, mode="markers") for u in t["customdata"]) == [
        "events/talks-1/",
        "events/talks-2/",
        "events/talks-3/",
    ]
    assert chart.home == "actors/envoy/"


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
    assert "according to Kofi &lt;i&gt;Annan&lt;/i&gt;" in tolls_hover
    history = chart_set.chart("question-president-step-down-history").figure["layout"]["yaxis"]
    assert "Kofi &lt;i&gt;Annan&lt;/i&gt;" in history["categoryarray"]
    assert "Kofi <i>Annan</i>" in chart_set.chart("tolls").table.rows[-1]  # the HTML table escapes it itself
    assert "&lt;i&gt;" in chart_set.block("tolls", "events/")


def test_block_paths_are_relative_to_the_page(charts):
    block = charts.block("question-president-step-down-history", "questions/president-step-down/")
    assert 'data-spec="../../assets/charts/question-president-step-down-history.json"' in block
    assert 'data-plotly="../../assets/vendor/plotly/' in block
    assert 'id="explainer-chart-question-president-step-down-history"' in block
    assert "<noscript>" not in block  # per-record charts have no static image
    assert block.count("<tr>") == 1 + 4  # header and one row per stance
    assert "\n\n" not in block  # a blank line would end the raw HTML block in Markdown
    assert 'data-plotly="../assets/vendor/plotly/' in charts.block("map", "map/")
    assert 'href="../../charts/#chart-question-president-step-down-history"' in block  # its snippet
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
    # static first: the build-time picture and the small charts.js; plotly.js and the figure
    # only when the reader reaches for the chart
    assert "../../assets/charts/timeline.preview.svg" in fetched
    assert "../../assets/explainer/charts.js" in fetched
    assert not [url for url in fetched if "plotly" in url]
    for url in fetched:
        assert not re.match(r"^(https?:)?//", url), url
    assert 'data-figure="../../assets/charts/timeline.js"' in page
    assert '<details class="explainer-embed-data"' in page
    assert page.count("<tr>") == 1 + 4  # the same data as a table: a header and one row per event
    assert "\n\n" not in page


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
    # each chart offers its latest embed; a chart with a frozen version offers that too
    latest = gallery.count("&lt;iframe src=&#34;https://example.org/mini/embed/")
    versions = len(re.findall(r"&lt;iframe src=&#34;https://example.org/mini/embed/[a-z0-9-]+/v/", gallery))
    assert latest == len(charts.ids) + versions
    assert versions >= 1


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
    assert chart_set.ids == ["positions"]  # one stance: the question's page lists it, no chart
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
    assert "(mass killing)" in traces(charts.chart("map"), "Violence")[0]["hovertext"][0]
    positions = charts.chart("positions")
    assert "± both ways" in positions.figure["layout"]["annotations"][0]["text"]
    assert "#000002" in positions.figure["data"][0]["marker"]["color"]
    assert "Both ways" in {row[2] for row in positions.table.rows}
    network = charts.chart("network")
    assert traces(network, "Human")
    assert "heads" in {row[1] for row in network.table.rows}
    assert any("no fewer than" in row[3] for row in charts.chart("tolls").table.rows)


# --- Issue 13: the cases named, as golden chart specs, and the axis rules ----------------------
#
# Refresh the golden specs after an intended change with
#
#     UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_charts.py -k golden
#
# (see tests/golden/charts/README.md) and review the diff.

CASES = Path(__file__).parent / "fixtures" / "charts-cases"
GOLDEN_CHARTS = Path(__file__).parent / "golden" / "charts"


@pytest.fixture(scope="module")
def cases():
    dataset, report = validate_data(CASES)
    assert report.ok, [d.format() for d in report.diagnostics]
    return dataset, build_charts(dataset)


def golden_text(chart) -> str:
    """What a golden file holds: the figure (as plotly.js reads it), the words and the table."""
    return (
        json.dumps(
            {
                "figure": json.loads(spec_json(chart)),
                "summary": list(chart.summary),
                "table": {"headers": list(chart.table.headers), "rows": [list(r) for r in chart.table.rows]},
                "min_width": chart.min_width,
            },
            indent=1,
            sort_keys=True,
            ensure_ascii=False,
        )
        + "\n"
    )


@pytest.mark.parametrize(
    "chart_id",
    ["actor-envoy-events", "question-talks-history", "tolls", "map", "timeline", "positions", "network"],
)
def test_golden_chart_specs(cases, chart_id):
    """Single-day actor, month precision, cumulative toll, places inside places: the specs."""
    import os

    text = golden_text(cases[1].chart(chart_id))
    path = GOLDEN_CHARTS / f"{chart_id}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}; run UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_charts.py -k golden"
    assert text == path.read_text(encoding="utf-8"), f"{chart_id} changed; see tests/golden/charts/README.md"


def date_axes(chart):
    layout = chart.figure["layout"]
    return [v for k, v in layout.items() if re.fullmatch(r"xaxis\d*", k) and v.get("type") == "date"]


def test_date_axes_never_go_below_a_day(cases, charts):
    """Every date axis of every chart: tick labels without a time of day at any zoom, and at
    least a month either side of its dates."""
    import datetime as dt

    from explainer.charts.chart import DAY_MS

    checked = 0
    for chart_set in (cases[1], charts):
        for cid in chart_set.ids:
            for axis in date_axes(chart_set.chart(cid)):
                checked += 1
                assert "dtick" not in axis or (isinstance(axis["dtick"], int) and axis["dtick"] >= DAY_MS)
                formats = [stop["value"] for stop in axis["tickformatstops"]] + [axis.get("tickformat", "")]
                assert not any(re.search(r"%[-_0]?[HIMSLfpQs]", f) for f in formats), formats
                assert axis["tickformatstops"][0]["dtickrange"][0] is None  # the finest zoom has its format too
                low, high = (dt.date.fromisoformat(d) for d in axis["range"])
                assert (high - low).days >= 62, (cid, axis["range"])
    assert checked >= 5


def test_a_single_day_gets_a_month_either_side():
    import datetime as dt

    from explainer.charts.chart import date_range

    day = dt.date(2012, 3, 10)
    low, high = date_range([(day, day)])
    assert low <= day - dt.timedelta(days=31)
    assert high >= day + dt.timedelta(days=31)
    long = (dt.date(2011, 1, 1), dt.date(2012, 12, 31))
    assert date_range([long])[0] < long[0]
    assert date_range([long])[1] > long[1]


def test_same_day_events_are_stacked_each_visible(cases):
    chart = cases[1].chart("actor-envoy-events")
    (lane,) = traces(chart, mode="markers")
    assert lane["x"] == ["2012-03-10"] * 3
    assert len(set(lane["y"])) == 3  # three rows across the lane, not one dot
    assert all(abs(y - round(y)) <= 0.41 for y in lane["y"])  # and all inside their lane
    assert chart.summary[0].startswith("3 events on 10 March 2012")


def test_month_precision_is_a_span_ordered_as_the_tables(cases):
    chart = cases[1].chart("question-talks-history")
    points = {x for t in traces(chart, mode="markers") for x in t["x"]}
    assert min(points) == "2012-03-01"  # "March 2012" is placed on its first day, before the 10th
    bar = traces(chart, "Date known to the month or year")[0]
    assert bar["x"] == ["2012-03-01", "2012-03-31", None]
    assert chart.table.rows[0][0] == "March 2012"  # the table lists it first too
    assert "in March 2012." in chart.summary[0]  # not "from March 2012 to 10 March 2012"


def test_cumulative_toll_is_drawn_in_reporting_time(cases):
    dataset, chart_set = cases
    from explainer.charts.descriptions import figure_as_of

    uprising = dataset.models("events")["the-uprising"]
    activists, monitors = uprising.figures
    assert str(figure_as_of(dataset, uprising, activists)) == "2012-03-10"  # its own as_of
    assert str(figure_as_of(dataset, uprising, monitors)) == "2012-03"  # its source's date
    chart = chart_set.chart("tolls")
    bands = traces(chart, "Activists (counted since)")[0]
    assert bands["x"][0] == "2011-03-01"
    assert bands["x"][1].startswith("2012-03")
    marks = [t for t in traces(chart, mode="markers") if t.get("customdata")]
    assert all(x >= "2012-02" for t in marks for x in t["x"])  # each mark at its report, not in 2011
    legend = [t for t in chart.figure["data"] if t.get("showlegend") is not False]
    assert all(t["marker"]["symbol"] == "square" for t in legend)  # colour = who; shapes in the key line
    key = chart.figure["layout"]["annotations"][0]["text"]
    assert "▲ at least" in key
    assert "counted since the event began" in key
    labels = [a["text"] for a in chart.figure["layout"]["annotations"][1:]]
    assert "The uprising: at least 8,000" in labels
    assert ("March 2012", "The uprising", "March 2011", "at least 7,500 since March 2011", "Monitors") in (
        chart.table.rows
    )


def test_places_inside_places_count_for_the_place_on_the_map(cases):
    dataset, chart_set = cases
    from explainer.charts.descriptions import events_within, map_place

    assert map_place(dataset, "ministry") == "capital"
    assert map_place(dataset, "old-quarter") == "capital"
    assert map_place(dataset, "town") == "town"  # never drawn as the region it lies in
    assert [eid for eid, _ in events_within(dataset, "capital")] == ["the-uprising", "talks-1", "talks-2", "talks-3"]
    assert [eid for eid, _ in events_within(dataset, "province")] == ["river-town-shelling"]
    chart = chart_set.chart("map")
    assert chart.meta == {"main": ["capital", "town"], "far": ["far-city"]}
    labels = traces(chart, "Place names")[0]["text"]
    assert "Capital · 4" in labels
    diplomacy = traces(chart, "Diplomacy and UN")[0]
    assert diplomacy["customdata"] == ["places/capital/"]
    assert diplomacy["hovertext"][0].count("<br>") == 3  # all three rounds of talks listed
    far = traces(chart, "Diplomacy and UN (far)")[0]
    assert far["text"] == ["Far city · 1 event"]
    assert far["xaxis"] == "x2"
    west, _east = chart.figure["layout"]["xaxis"]["range"]
    assert west > 30  # opens on the cluster, not on a world map reaching New York
    assert ("Ministry, Capital (in Capital)", "10 March 2012", "Talks, round 1", "Diplomacy", "not reported") in (
        chart.table.rows
    )


def test_a_record_with_fewer_than_three_marks_gets_no_chart(cases):
    _, chart_set = cases
    assert chart_set.for_actor("minister") == []  # one event: its page lists it
    assert chart_set.for_actor("envoy") == ["actor-envoy-events"]


def test_empty_table_columns_are_dropped():
    from explainer.charts.chart import Table

    table = Table("t", ("A", "B", "C"), (("x", "", "1"), ("y", " ", "2")))
    assert table.headers == ("A", "C")
    assert table.rows == (("x", "1"), ("y", "2"))
    assert Table("t", ("A", "B"), (("", ""),)).headers == ("A",)  # the row headers stay


def test_network_names_have_a_row_each(charts, cases):
    for chart_set in (charts, cases[1]):
        chart = chart_set.chart("network")
        rows = [y for t in traces(chart, mode="markers+text") for y in t["y"]]
        assert len(rows) == len(set(rows))  # one actor a row: names never overlap, at any width
        assert chart.min_width == 0
