"""What `write_charts()` puts in a docs folder, and that two builds are byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import synthetic

from explainer.charts import build_charts, write_charts
from explainer.checking.validate import validate_data
from explainer.core import assets, resources

MINI = Path(__file__).parent / "fixtures" / "mini"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    for out in (first, second):
        dataset, _ = validate_data(MINI)  # a fresh load each time: nothing carried over
        write_charts(build_charts(dataset), out, dataset.site, images=False)
    return first, second


def test_two_builds_are_byte_identical(written):
    first, second = written
    assert tree(first) == tree(second)


def test_files_written(written):
    files = set(tree(written[0]))
    shipped = {"assets/explainer/charts.js", "assets/explainer/charts.css", "assets/explainer/static.css"}
    assert shipped | {"charts/index.md"} <= files
    assert len([f for f in files if f.startswith("assets/vendor/plotly/")]) == 1  # one copy of plotly.js
    for cid in ("timeline", "map", "question-president-step-down-history"):
        assert f"assets/charts/{cid}.json" in files
        assert f"assets/charts/{cid}.js" in files
        assert f"assets/charts/{cid}.csv" in files
        assert f"embed/{cid}/index.html" in files
        assert f"embed/{cid}/oembed.json" in files
        versions = [f for f in files if f.startswith(f"embed/{cid}/v/")]
        assert sorted(f.rsplit("/", 1)[1] for f in versions) == ["figure.js", "index.html"]  # no images: no previews
    # without images no file names one
    assert not [f for f in files if f.endswith((".png", ".svg"))]
    csv = (written[0] / "assets/charts/tolls.csv").read_text()
    assert csv.splitlines()[0] == "As of,Event,Event date,Killed,According to"
    assert "Houla massacre,25 May 2012,90–120,Unattributed" in csv


def test_stale_files_are_removed_and_unchanged_files_kept(tmp_path):
    dataset, _ = validate_data(MINI)
    chart_set = build_charts(dataset)
    write_charts(chart_set, tmp_path, dataset.site, images=False)
    stale = tmp_path / "embed" / "gone-chart" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    spec = tmp_path / "assets/charts/timeline.json"
    before = spec.stat().st_mtime_ns
    write_charts(chart_set, tmp_path, dataset.site, images=False)
    assert not stale.exists()
    assert not stale.parent.exists()
    assert spec.stat().st_mtime_ns == before


def test_missing_npm_assets_fall_back_with_notices(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(assets.ENV_ASSETS_DIR, str(tmp_path / "empty"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(resources, "VENDOR", tmp_path / "no-vendor")
    found = assets.locate_assets()
    assert found.plotly.name == "plotly.min.js"
    assert not found.partial_bundle
    assert found.topojson is None
    assert any("npm ci" in n for n in found.notices)
    dataset, _ = validate_data(MINI)
    write_charts(build_charts(dataset, assets=found), tmp_path / "docs", dataset.site, images=False)
    map_spec = json.loads((tmp_path / "docs/assets/charts/map.json").read_text())
    assert all(trace.get("meta") != "basemap" for trace in map_spec["data"])
    assert (tmp_path / "docs/assets/vendor/plotly/plotly.min.js").is_file()
    err = capsys.readouterr().err
    assert "the map is drawn without country outlines" in err
    assert "static chart images (PNG, SVG) skipped" in err


def test_npm_assets_found_in_assets_dir(tmp_path, monkeypatch):
    bundle = tmp_path / "mods" / assets.PLOTLY_PACKAGE / assets.PLOTLY_FILE
    bundle.parent.mkdir(parents=True)
    bundle.write_text("/* plotly */")
    (bundle.parent / "package.json").write_text('{"version": "9.9.9"}')
    monkeypatch.setenv(assets.ENV_ASSETS_DIR, str(tmp_path / "mods"))
    found = assets.locate_assets()
    assert found.plotly == bundle
    assert found.plotly_label == f"{assets.PLOTLY_PACKAGE} 9.9.9"


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_datasets_chart_completely_and_deterministically(tmp_path, seed):
    """Generated data (bench/synth.py, 300 events): every event is a mark on the timeline and a
    row of the map, every figure is charted, and two builds write the same bytes."""
    synthetic.write_folder(tmp_path / "data", 300, seed=seed)
    outputs = []
    for run in ("a", "b"):
        dataset, report = validate_data(tmp_path / "data")
        assert report.ok
        chart_set = build_charts(dataset)
        write_charts(chart_set, tmp_path / run, dataset.site, images=False)
        outputs.append(tree(tmp_path / run))
    assert outputs[0] == outputs[1]
    events = dataset.models("events")
    assert chart_set.chart("timeline").marks() == len(events)
    killed = sum(1 for e in events.values() for f in e.figures if f.measure == "killed")
    ranges = sum(1 for e in events.values() for f in e.figures if f.measure == "killed" and f.value is None)
    assert chart_set.chart("tolls").marks() == killed + 2 * ranges  # a range: its mark, and a tick at each end
    placed = sum(1 for e in events.values() if e.place)
    # the map draws one mark per place (events grouped by where they are drawn), and lists every event
    assert 0 < chart_set.chart("map").marks() <= placed
    assert len(chart_set.chart("map").table.rows) == placed
    for chart_id in chart_set.ids:
        chart = chart_set.chart(chart_id)
        assert chart.summary
        assert chart.table.rows


def test_a_failing_image_maker_does_not_fail_the_build(tmp_path, monkeypatch, capsys):
    from explainer.charts import files as output
    from explainer.charts import images

    def broken(*args, **kwargs):
        raise RuntimeError("the browser went away")

    monkeypatch.setattr(images, "images_available", lambda: None)
    monkeypatch.setattr(output, "images_available", lambda: None)
    monkeypatch.setattr(output, "make_images", broken)
    dataset, _ = validate_data(MINI)
    write_charts(build_charts(dataset), tmp_path, dataset.site)
    assert (tmp_path / "embed/timeline/index.html").is_file()
    assert "could not be made (RuntimeError: the browser went away)" in capsys.readouterr().err
