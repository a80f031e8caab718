"""Open data (/data/): the JSON export round-trips, the CSV tables agree with the data and with
datapackage.json, and two exports are byte-identical."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explainer.checking.models import COLLECTIONS, FORMAT_VERSION
from explainer.checking.validate import validate_data
from explainer.opendata.tables import (
    JSON_NAME,
    LIST_SEPARATOR,
    PACKAGE_NAME,
    PAGE_NAME,
    TABLES,
    TABLES_BY_NAME,
    Column,
    OpenDataError,
    Table,
    csv_text,
    escape_markdown,
    load_open_data,
    open_data_files,
    record_dump,
    write_open_data,
)

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def syria():
    dataset, report = validate_data(DATA)
    assert report.ok, "\n".join(d.format() for d in report.errors)
    return dataset


@pytest.fixture(scope="module")
def exported(syria, tmp_path_factory):
    out = tmp_path_factory.mktemp("open-data")
    write_open_data(syria, out)
    return out


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


TRICKY = {
    "site.yaml": """\
        title: "A *tricky* <b>title</b> | with pipes"
        license: LicenseRef-Tricky-1
        """,
    "sources/report-one.yaml": """\
        title: 'Report, with "quotes"'
        publisher: Agence Exemple
        date: "2012-03"
        url: https://example.org/report
        """,
    "sources/report-two.yaml": """\
        title: Second report
        publisher: Ünïcode Press
        date: 2012
        """,
    "places/homs.yaml": """\
        name: Homs
        lat: 34.7324
        lon: 36.7137
        in: syria
        aliases: [Hims, "=Homs, the city"]
        corrections:
          - {date: "2013-01", text: "-1 was the wrong latitude; now *34.73*."}
        """,
    "places/syria.yaml": """\
        name: Syria
        kind: country
        lat: 35
        lon: 38
        """,
    "actors/alpha.yaml": """\
        name: Alpha, the first
        kind: state
        aliases: ["A, B", 'the "alpha"']
        summary: |
          Two lines,
          with a comma; and a semicolon.
        roles:
          - title: Member
            of: beta
            from: "2011-02"
            sources: [report-one, report-two]
        relations:
          - kind: opposes
            actor: beta
            note: Since *March*.
            sources: [report-one]
        """,
    "actors/beta.yaml": """\
        name: Beta
        kind: armed-group
        summary: Beta.
        sources: [report-two]
        """,
    "events/siege.yaml": """\
        title: Siege of Homs
        date: "2012-02-03"
        end_date: "2012-03"
        kind: military-operation
        place: homs
        summary: A siege.
        sources: [report-one]
        actors:
          - {actor: alpha, role: perpetrator}
          - {actor: beta, role: target}
        figures:
          - {measure: killed, min: 100, max: 700, according_to: beta, sources: [report-one]}
          - {measure: displaced, value: 0, qualifier: exactly, as_of: "2012-03-05", sources: [report-two]}
        claims:
          - by: alpha
            text: Says it fought "terrorists".
            quote: armed terrorist groups
            sources: [report-one]
        """,
    "questions/talks.yaml": """\
        question: Should there be talks?
        summary: Talks.
        stances:
          - {actor: alpha, stance: against, date: "2012", according_to: beta, sources: [report-one]}
          - {actor: alpha, stance: for, date: "2012-06-01", note: Changed its mind., sources: [report-two]}
        corrections:
          - {date: "2013-02-01", text: "@alpha's first stance was dated 2011."}
          - {date: "2013-03", text: Second fix.}
        """,
}


@pytest.fixture
def tricky(tmp_path):
    dataset, report = validate_data(_write(tmp_path / "data", TRICKY))
    assert report.ok, "\n".join(d.format() for d in report.errors)
    return dataset


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the JSON document --------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["syria", "tricky"])
def test_json_export_round_trips(fixture, request, tmp_path):
    dataset = request.getfixturevalue(fixture)
    write_open_data(dataset, tmp_path)
    loaded = load_open_data(tmp_path / JSON_NAME)
    assert loaded["format_version"] == FORMAT_VERSION
    assert record_dump(loaded["site"]) == {**record_dump(dataset.site), "archive": None}  # never exported
    for collection in COLLECTIONS:
        expected = {rid: record_dump(model) for rid, model in dataset.models(collection).items()}
        assert {rid: record_dump(model) for rid, model in loaded[collection].items()} == expected


def test_json_export_carries_the_format_version_and_sorted_ids(exported, syria):
    document = json.loads((exported / JSON_NAME).read_text(encoding="utf-8"))
    assert document["format_version"] == FORMAT_VERSION == 1
    assert list(document) == ["format_version", "site", *COLLECTIONS]
    for collection in COLLECTIONS:
        ids = [record["id"] for record in document[collection]]
        assert ids == sorted(syria.models(collection))


def test_the_json_holds_the_trust_fields_and_not_the_archive_folder(exported, syria, tricky, tmp_path):
    document = json.loads((exported / JSON_NAME).read_text(encoding="utf-8"))
    assert syria.site.archive  # the Syria data names where its archived sources are...
    assert "archive" not in document["site"]  # ...which is the editor's folder, not a fact
    assert document["site"]["license"] == "CC-BY-4.0"
    stances = [s for q in document["questions"] for s in q["stances"]]
    assert any(s.get("according_to") for s in stances)
    assert any(r["corrections"] for c in COLLECTIONS for r in document[c])
    write_open_data(tricky, tmp_path)
    loaded = load_open_data(tmp_path)
    assert loaded["places"]["homs"].aliases == ["Hims", "=Homs, the city"]
    assert str(loaded["events"]["siege"].figures[1].as_of) == "2012-03-05"
    assert loaded["questions"]["talks"].stances[0].according_to == "beta"
    assert [c.text for c in loaded["questions"]["talks"].corrections] == [
        "@alpha's first stance was dated 2011.",
        "Second fix.",
    ]


def test_loading_a_folder_reads_its_json(exported):
    assert load_open_data(exported)["events"].keys() == load_open_data(exported / JSON_NAME)["events"].keys()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format_version=2), "format_version is 2"),
        (lambda d: d.update(extra=1), "unknown keys extra"),
        (lambda d: d.update(events={}), "events must be a list"),
        (lambda d: d["events"][0].pop("title"), r"events\[0\] \(id 'siege'\): title: Field required"),
        (lambda d: d["places"][0].update(lat=91), r"places\[0\] \(id 'homs'\): lat: "),
        (lambda d: d["actors"].append(dict(d["actors"][0])), "the id 'alpha' appears twice"),
        (lambda d: d["sources"][0].pop("id"), r"sources\[0\]: a record must be an object with an id"),
    ],
)
def test_a_damaged_export_is_refused_with_its_place(tricky, tmp_path, change, message):
    write_open_data(tricky, tmp_path)
    path = tmp_path / JSON_NAME
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(OpenDataError, match=message):
        load_open_data(path)


def test_unreadable_json_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / JSON_NAME
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(OpenDataError, match=re.escape(str(path))):
        load_open_data(path)


# --- the CSV tables -----------------------------------------------------------------------------


def test_every_table_has_its_header_and_crlf_lines(exported):
    for table in TABLES:
        raw = (exported / table.file_name).read_bytes()
        header = raw.split(b"\r\n", 1)[0].decode()
        assert header == ",".join(column.name for column in table.columns)
        assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
        assert raw.endswith(b"\r\n")


def test_tables_hold_every_fact(exported, syria):
    rows = {table.name: _read_csv(exported / table.file_name) for table in TABLES}
    for collection in ("actors", "events", "questions", "places", "sources"):
        assert [row["id"] for row in rows[collection]] == sorted(syria.models(collection))
    actors, events, questions = (syria.models(name).values() for name in ("actors", "events", "questions"))
    assert len(rows["stances"]) == sum(len(q.stances) for q in questions) >= 60
    assert len(rows["figures"]) == sum(len(e.figures) for e in syria.models("events").values())
    assert len(rows["claims"]) == sum(len(e.claims) for e in syria.models("events").values())
    assert len(rows["event_actors"]) == sum(len(e.actors) for e in events)
    assert len(rows["relations"]) == sum(len(a.relations) for a in actors)
    assert len(rows["roles"]) == sum(len(a.roles) for a in syria.models("actors").values())
    assert len(rows["aliases"]) == sum(len(a.aliases) for a in syria.models("actors").values())
    assert len(rows["place_aliases"]) == sum(len(p.aliases) for p in syria.models("places").values()) > 0
    corrected = [
        (collection, rid, str(c.date), c.text)
        for collection in COLLECTIONS
        for rid, record in sorted(syria.models(collection).items())
        for c in record.corrections
    ]
    assert corrected, "the re-checked Syria data records its corrections"
    assert [(r["collection"], r["record"], r["date"], r["text"]) for r in rows["corrections"]] == [
        (c, rid, date, text if text[:1] not in "=+-@" else "'" + text) for c, rid, date, text in corrected
    ]
    stances = [s for q in questions for s in q.stances]
    assert [r["according_to"] for r in rows["stances"]] == [
        s.according_to or "" for _, q in sorted(syria.models("questions").items()) for s in q.stances
    ]
    assert sum(1 for s in stances if s.according_to) > 0
    figures = [f for _, e in sorted(syria.models("events").items()) for f in e.figures]
    assert [r["as_of"] for r in rows["figures"]] == [str(f.as_of) if f.as_of else "" for f in figures]


def test_every_id_in_a_table_names_a_row_of_the_table_it_references(exported):
    rows = {table.name: _read_csv(exported / table.file_name) for table in TABLES}
    ids = {name: {row["id"] for row in rows[name]} for name in ("actors", "events", "questions", "places", "sources")}
    checked = 0
    for table in TABLES:
        for row in rows[table.name]:
            for column in table.columns:
                value = row[column.name]
                if column.references and value:
                    assert value in ids[column.references], f"{table.file_name}: {column.name}={value}"
                    checked += 1
                if column.is_list and value:
                    for source_id in value.split(LIST_SEPARATOR):
                        assert source_id in ids["sources"], f"{table.file_name}: sources has {source_id}"
                        checked += 1
    assert checked > 500


def test_tricky_values_survive_the_csv(tricky, tmp_path):
    write_open_data(tricky, tmp_path)
    actors = {row["id"]: row for row in _read_csv(tmp_path / "actors.csv")}
    assert actors["alpha"]["name"] == "Alpha, the first"
    assert actors["alpha"]["summary"] == "Two lines,\nwith a comma; and a semicolon.\n"
    assert actors["alpha"]["sources"] == ""
    assert [row["alias"] for row in _read_csv(tmp_path / "aliases.csv")] == ["A, B", 'the "alpha"']
    assert _read_csv(tmp_path / "roles.csv") == [
        {
            "actor": "alpha",
            "title": "Member",
            "of": "beta",
            "from": "2011-02",
            "to": "",
            "sources": "report-one;report-two",
        }
    ]
    assert _read_csv(tmp_path / "relations.csv")[0]["related_actor"] == "beta"
    figures = _read_csv(tmp_path / "figures.csv")
    assert [(f["value"], f["min"], f["max"], f["qualifier"]) for f in figures] == [
        ("", "100", "700", "about"),
        ("0", "", "", "exactly"),
    ]
    events = _read_csv(tmp_path / "events.csv")
    assert (events[0]["date"], events[0]["end_date"], events[0]["place"]) == ("2012-02-03", "2012-03", "homs")
    assert [f["as_of"] for f in figures] == ["", "2012-03-05"]
    stances = _read_csv(tmp_path / "stances.csv")
    assert [(s["date"], s["stance"], s["according_to"]) for s in stances] == [
        ("2012", "against", "beta"),
        ("2012-06-01", "for", ""),
    ]
    assert _read_csv(tmp_path / "place_aliases.csv") == [
        {"place": "homs", "alias": "Hims"},
        {"place": "homs", "alias": "'=Homs, the city"},  # a new text column, neutralised too
    ]
    assert _read_csv(tmp_path / "corrections.csv") == [
        {
            "collection": "questions",
            "record": "talks",
            "date": "2013-02-01",
            "text": "'@alpha's first stance was dated 2011.",
        },
        {"collection": "questions", "record": "talks", "date": "2013-03", "text": "Second fix."},
        {
            "collection": "places",
            "record": "homs",
            "date": "2013-01",
            "text": "'-1 was the wrong latitude; now *34.73*.",
        },
    ]  # in the order of the collections, then by id, each record's in the order of its file
    places = {row["id"]: row for row in _read_csv(tmp_path / "places.csv")}
    assert (places["syria"]["lat"], places["syria"]["in"], places["homs"]["in"]) == ("35.0", "", "syria")
    sources = {row["id"]: row for row in _read_csv(tmp_path / "sources.csv")}
    assert sources["report-one"]["title"] == 'Report, with "quotes"'
    assert sources["report-two"]["publisher"] == "Ünïcode Press"


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), min_size=2, max_size=2))
def test_any_text_survives_a_csv_cell(values):
    """Read back exactly, but for the quote that keeps a formula-like text from running."""
    table = Table("t", "T", "test", (Column("a", "string", "a"), Column("b", "string", "b")))
    text = csv_text(table, [tuple(values)])
    read = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert read == [("'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v) for v in values]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("Kofi Annan", "Kofi Annan"),
        ("", ""),
    ],
)
def test_a_text_cell_a_spreadsheet_would_run_starts_with_a_quote(value, cell):
    table = Table("t", "T", "test", (Column("a", "string", "a"), Column("n", "integer", "n")))
    rows = list(csv.reader(io.StringIO(csv_text(table, [(value, 3), (None, 0)]), newline="")))
    assert rows[1] == [cell, "3"]
    assert rows[2] == ["", "0"]  # numbers stay numbers


def test_formula_like_values_are_neutralised_in_csv_and_true_in_json(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    actor = data / "actors" / "envoy.yaml"
    text = actor.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name:"))
    actor.write_text(text.replace(name, "name: \"=cmd|' /C calc'!A0\""), encoding="utf-8")
    dataset, report = validate_data(data)
    assert report.ok, report.lines()
    out = tmp_path / "out"
    write_open_data(dataset, out)
    actors = {row["id"]: row for row in _read_csv(out / "actors.csv")}
    assert actors["envoy"]["name"] == "'=cmd|' /C calc'!A0"
    facts = json.loads((out / JSON_NAME).read_text(encoding="utf-8"))
    envoy = next(a for a in facts["actors"] if a["id"] == "envoy")
    assert envoy["name"] == "=cmd|' /C calc'!A0"
    package = json.loads((out / PACKAGE_NAME).read_text(encoding="utf-8"))
    csv_resources = [r for r in package["resources"] if r["format"] == "csv"]
    assert all("never run it as a formula" in r["description"] for r in csv_resources)


def test_chart_data_downloads_neutralise_formulas_too():
    from explainer.charts.files import table_csv

    class Table:
        headers = ("actor", "events")
        rows = (("=1+1", 2), ("-x", 0))

    class Chart:
        table = Table()

    assert table_csv(Chart()) == "actor,events\n'=1+1,2\n'-x,0\n"  # type: ignore[arg-type]


# --- datapackage.json ---------------------------------------------------------------------------


def test_the_data_package_describes_every_file_exactly(exported):
    package = json.loads((exported / PACKAGE_NAME).read_text(encoding="utf-8"))
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == {"explainer", *TABLES_BY_NAME}
    for resource in package["resources"]:
        raw = (exported / resource["path"]).read_bytes()
        assert resource["bytes"] == len(raw)
        assert resource["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
        assert resource["encoding"] == "utf-8"
    for table in TABLES:
        resource = resources[table.name]
        assert resource["profile"] == "tabular-data-resource"
        fields = resource["schema"]["fields"]
        with open(exported / table.file_name, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert [field["name"] for field in fields] == header
        assert all(field["type"] in ("string", "integer", "number") and field["description"] for field in fields)
        for key in resource["schema"].get("foreignKeys", []):
            assert key["reference"]["resource"] in resources
            assert key["fields"][0] in header


def test_the_data_package_and_the_page_carry_the_licence(exported, tricky, tmp_path):
    package = json.loads((exported / PACKAGE_NAME).read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": "https://spdx.org/licenses/CC-BY-4.0.html"}]
    assert list(package).index("licenses") < list(package).index("resources")
    page = (exported / PAGE_NAME).read_text(encoding="utf-8")
    assert "published under the licence\n[CC-BY-4.0](https://spdx.org/licenses/CC-BY-4.0.html)." in page
    assert "Reuse it under the terms of [CC-BY-4.0](https://spdx.org/licenses/CC-BY-4.0.html)" in page
    files = open_data_files(tricky)  # the publisher's own licence: no SPDX page to link
    assert json.loads(files[PACKAGE_NAME])["licenses"] == [{"name": "LicenseRef-Tricky-1"}]
    assert "published under the licence\n`LicenseRef-Tricky-1`." in files[PAGE_NAME]
    unlicensed = _write(tmp_path / "data", {**TRICKY, "site.yaml": "title: Unstated terms\n"})
    dataset, report = validate_data(unlicensed)
    assert report.ok
    files = open_data_files(dataset)
    assert "licenses" not in json.loads(files[PACKAGE_NAME])
    assert "licence" not in files[PAGE_NAME]


def test_enumerations_in_the_package_hold_every_value_used(exported):
    package = json.loads((exported / PACKAGE_NAME).read_text(encoding="utf-8"))
    for resource in package["resources"][1:]:
        rows = _read_csv(exported / resource["path"])
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            for row in rows:
                value = row[field["name"]]
                if "enum" in constraints and value:
                    assert value in constraints["enum"], f"{resource['path']}: {field['name']}={value}"
                if constraints.get("required"):
                    assert value, f"{resource['path']}: {field['name']} is required"
                if "pattern" in constraints and value:
                    assert re.fullmatch(constraints["pattern"], value)


# --- the page and the files as a whole ----------------------------------------------------------


def test_the_page_links_every_file_and_shows_how_to_load_it(exported, syria):
    page = (exported / PAGE_NAME).read_text(encoding="utf-8")
    written = {path.name for path in exported.iterdir()}
    linked = set(re.findall(r"\]\(([a-z_]+\.(?:csv|json))\)", page))
    assert linked == written - {PAGE_NAME}
    assert "pd.read_csv" in page
    assert "read.csv" in page
    assert f"`{LIST_SEPARATOR}`" in page
    assert syria.site.base_url + "data/" in page
    for table in TABLES:
        for column in table.columns:
            assert f"| `{column.name}` |" in page


def test_titles_are_shown_as_text_on_the_page(tricky):
    page = open_data_files(tricky)[PAGE_NAME]
    assert "A \\*tricky\\* &lt;b&gt;title&lt;/b&gt; &#124; with pipes" in page
    assert "<b>" not in page
    assert 'base = ""' in page  # no base_url: the examples name the downloaded files
    assert "Download the files first" in page


def test_escape_markdown_keeps_text_as_text():
    assert escape_markdown("a_b *c* [d](e) `f` <g> h|i & j\n k") == (
        "a\\_b \\*c\\* \\[d\\](e) \\`f\\` &lt;g&gt; h&#124;i &amp; j k"
    )


def test_two_exports_are_byte_identical(syria, exported, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    write_open_data(syria, tmp_path)
    for path in exported.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    assert not list(tmp_path.glob(".*.tmp")), "no temporary files are left behind"
