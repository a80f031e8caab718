"""The Atom feed of events and corrections: well-formed, newest first, stable ids, dates from the data only."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from explainer.checking.validate import validate_data
from explainer.opendata.feed import FEED_NAME, feed_xml, plain_text, write_feed

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def syria():
    dataset, report = validate_data(ROOT / "data")
    assert report.ok
    return dataset


def _dataset(folder: Path, site: str, events: dict[str, str], others: dict[str, str] | None = None):
    (folder / "sources").mkdir(parents=True)
    (folder / "events").mkdir()
    (folder / "site.yaml").write_text(textwrap.dedent(site), encoding="utf-8")
    (folder / "sources" / "report.yaml").write_text("title: R\npublisher: P\ndate: 2012\n", encoding="utf-8")
    for event_id, text in events.items():
        (folder / "events" / f"{event_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    for name, text in (others or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    dataset, report = validate_data(folder)
    assert report.ok, "\n".join(d.format() for d in report.errors)
    return dataset


def _event(title: str, date: str, summary: str = "Something happened.") -> str:
    return f"title: {title!r}\ndate: {date!r}\nkind: other\nsummary: {summary!r}\nsources: [report]\n"


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def _kind(entry: ET.Element) -> str:
    return entry.find(f"{ATOM}category").get("term")


def test_the_feed_is_atom_with_every_event_newest_first(syria):
    root = _parse(feed_xml(syria))
    assert root.tag == f"{ATOM}feed"
    entries = [entry for entry in root.findall(f"{ATOM}entry") if _kind(entry) != "correction"]
    assert len(entries) == len(syria.models("events"))
    events = syria.models("events")
    keys = []
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        event_id = link.rstrip("/").rsplit("/", 1)[1]
        keys.append(events[event_id].date.sort_key)
        assert entry.findtext(f"{ATOM}id") == link == f"https://explainer.github.io/syria-2012/events/{event_id}/"
        assert entry.findtext(f"{ATOM}title").endswith(events[event_id].title)
        assert entry.findtext(f"{ATOM}updated") == f"{events[event_id].date.first_day.isoformat()}T00:00:00Z"
        assert entry.findtext(f"{ATOM}summary")
        assert entry.find(f"{ATOM}category").get("term") == events[event_id].kind
    assert keys == sorted(keys, reverse=True)
    everything = root.findall(f"{ATOM}entry")
    assert root.findtext(f"{ATOM}updated") == everything[0].findtext(f"{ATOM}updated")
    stamps = [entry.findtext(f"{ATOM}updated") for entry in everything]
    assert stamps == sorted(stamps, reverse=True)  # events and corrections together, newest first


def test_the_syria_feed_carries_every_correction(syria):
    root = _parse(feed_xml(syria))
    corrections = [entry for entry in root.findall(f"{ATOM}entry") if _kind(entry) == "correction"]
    made = [
        (collection, record_id, correction)
        for collection in ("actors", "events", "questions", "places", "sources")
        for record_id, model in syria.models(collection).items()
        for correction in model.corrections
    ]
    assert made, "the re-checked data records its corrections"
    assert len(corrections) == len(made)
    pages = {entry.find(f"{ATOM}link[@rel='alternate']").get("href") for entry in corrections}
    assert pages == {f"https://explainer.github.io/syria-2012/{c}/{rid}/" for c, rid, _ in made}
    for entry in corrections:
        assert entry.find(f"{ATOM}link[@rel='related']").get("href") == (
            "https://explainer.github.io/syria-2012/corrections/"
        )


def test_kinds_are_labelled_in_the_words_of_the_pages(syria):
    labels = {
        entry.find(f"{ATOM}category").get("term"): entry.find(f"{ATOM}category").get("label")
        for entry in _parse(feed_xml(syria)).findall(f"{ATOM}entry")
    }
    assert labels["un-vote"] == "UN vote"
    assert labels["military-operation"] == "Military operation"
    assert labels["correction"] == "Correction"


CORRECTED_ACTOR = """\
    name: Someone Important
    kind: person
    summary: A person.
    corrections:
      - {date: "2013-01", text: First fix.}
      - {date: "2013-02-01", text: "The *title* was wrong; it is now right."}
    """


def test_each_correction_is_an_entry_of_its_own_linking_the_record_and_the_corrections_page(tmp_path):
    events = {
        "clash": _event("Clash", "2012-05-25")
        + "corrections:\n  - {date: '2013-01-15', text: 'The date was a day late.'}\n",
        "later": _event("Later", "2013-01-15"),
    }
    dataset = _dataset(
        tmp_path / "data",
        "title: Fixes\nbase_url: https://example.org/x/\n",
        events,
        {"actors/someone.yaml": CORRECTED_ACTOR},
    )
    root = _parse(feed_xml(dataset))
    entries = root.findall(f"{ATOM}entry")
    seen = [
        (
            _kind(entry),
            entry.findtext(f"{ATOM}title"),
            entry.find(f"{ATOM}link[@rel='alternate']").get("href"),
            entry.findtext(f"{ATOM}updated"),
        )
        for entry in entries
    ]
    assert seen == [
        (
            "correction",
            "Correction: Someone Important",
            "https://example.org/x/actors/someone/",
            "2013-02-01T00:00:00Z",
        ),
        # the same day: the correction first, then the event
        ("correction", "Correction: Clash", "https://example.org/x/events/clash/", "2013-01-15T00:00:00Z"),
        ("other", "15 January 2013: Later", "https://example.org/x/events/later/", "2013-01-15T00:00:00Z"),
        (
            "correction",
            "Correction: Someone Important",
            "https://example.org/x/actors/someone/",
            "2013-01-01T00:00:00Z",
        ),
        ("other", "25 May 2012: Clash", "https://example.org/x/events/clash/", "2012-05-25T00:00:00Z"),
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}summary") == "The title was wrong; it is now right."
    assert first.findtext(f"{ATOM}published") == first.findtext(f"{ATOM}updated")
    assert first.find(f"{ATOM}link[@rel='related']").get("href") == "https://example.org/x/corrections/"
    assert first.findtext(f"{ATOM}id").startswith("urn:uuid:")
    assert entries[4].find(f"{ATOM}link[@rel='related']") is None  # an event has no corrections link
    assert root.findtext(f"{ATOM}updated") == "2013-02-01T00:00:00Z"
    assert root.findtext(f"{ATOM}title") == "Fixes: events"  # the name every page's head gives the feed


def test_a_corrections_id_stays_when_another_correction_is_added(tmp_path):
    one = CORRECTED_ACTOR.replace('      - {date: "2013-02-01", text: "The *title* was wrong; it is now right."}\n', "")
    first = _parse(feed_xml(_dataset(tmp_path / "one", "title: Fixes\n", {}, {"actors/someone.yaml": one})))
    second = _parse(
        feed_xml(_dataset(tmp_path / "two", "title: Fixes\n", {}, {"actors/someone.yaml": CORRECTED_ACTOR}))
    )
    first_ids = [entry.findtext(f"{ATOM}id") for entry in first.findall(f"{ATOM}entry")]
    second_ids = [entry.findtext(f"{ATOM}id") for entry in second.findall(f"{ATOM}entry")]
    assert len(first_ids) == 1
    assert len(second_ids) == 2
    assert first_ids[0] == second_ids[1]  # the first correction (2013-01), now the older entry
    assert second_ids[0] != second_ids[1]
    links = [entry.find(f"{ATOM}link[@rel='related']").get("href") for entry in second.findall(f"{ATOM}entry")]
    assert links == ["corrections/", "corrections/"]  # relative without base_url, like every link


def test_the_feed_has_what_atom_requires(syria):
    root = _parse(feed_xml(syria))
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}")
    assert root.find(f"{ATOM}author/{ATOM}name").text
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "https://explainer.github.io/syria-2012/feed.xml"
    ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)


def test_the_feed_never_depends_on_the_build_time(syria, tmp_path, monkeypatch):
    first = write_feed(syria, tmp_path / "one").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second = write_feed(syria, tmp_path / "two").read_bytes()
    assert first == second
    assert (tmp_path / "one" / FEED_NAME).is_file()
    assert not list((tmp_path / "one").glob(".*.tmp"))


def test_without_base_url_links_are_relative_and_ids_still_stable(tmp_path):
    site = "title: Local only\n"
    events = {"b-event": _event("B", "2012-03"), "a-event": _event("A", "2012-03"), "old": _event("Old", "2011")}
    first = _parse(feed_xml(_dataset(tmp_path / "one", site, events)))
    second = _parse(feed_xml(_dataset(tmp_path / "two", site, dict(reversed(events.items())))))
    links = [entry.find(f"{ATOM}link").get("href") for entry in first.findall(f"{ATOM}entry")]
    assert links == ["events/a-event/", "events/b-event/", "events/old/"]  # same date: by id
    ids = [entry.findtext(f"{ATOM}id") for entry in first.findall(f"{ATOM}entry")]
    assert all(entry_id.startswith("urn:uuid:") for entry_id in ids)
    assert ids == [entry.findtext(f"{ATOM}id") for entry in second.findall(f"{ATOM}entry")]
    assert first.find(f"{ATOM}link[@rel='self']") is None
    assert first.findtext(f"{ATOM}updated") == "2012-03-01T00:00:00Z"


def test_text_is_escaped_and_markdown_flattened(tmp_path):
    site = 'title: "Fish & <chips>"\nbase_url: https://example.org/x\n'
    events = {
        "tricky": _event(
            'A "quoted" <b>title</b> & more',
            "2012-05-25",
            "See [the report](https://example.org/r) and **this** & <that>.",
        )
    }
    text = feed_xml(_dataset(tmp_path / "data", site, events))
    root = _parse(text)
    assert "<b>" not in text
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == '25 May 2012: A "quoted" <b>title</b> & more'
    assert entry.findtext(f"{ATOM}summary") == "See the report and this & <that>."
    assert entry.findtext(f"{ATOM}id") == "https://example.org/x/events/tricky/"
    assert root.findtext(f"{ATOM}title") == "Fish & <chips>: events"


def test_an_empty_explainer_uses_source_date_epoch(tmp_path, monkeypatch):
    dataset = _dataset(tmp_path / "data", "title: Nothing yet\n", {})
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert _parse(feed_xml(dataset)).findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1341792000")
    assert _parse(feed_xml(dataset)).findtext(f"{ATOM}updated") == "2012-07-09T00:00:00Z"


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("[Annan](../actors/kofi-annan/) met *Assad*.", "Annan met Assad."),
        ("Two\n\nparagraphs", "Two paragraphs"),
        ("<https://example.org/a>", "https://example.org/a"),
        ("a_b_c stays, _this_ and __that__ do not", "a_b_c stays, this and that do not"),
        ("bad \x0b char", "bad char"),
    ],
)
def test_plain_text(markdown, text):
    assert plain_text(markdown) == text


def test_the_feed_holds_the_newest_events_up_to_its_limit(tmp_path):
    events = {f"event-{day:02d}": _event(f"Day {day}", f"2012-05-{day:02d}") for day in range(1, 6)}
    dataset = _dataset(tmp_path / "data", "title: Five days\n", events)
    root = _parse(feed_xml(dataset, limit=2))
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]
    assert links == ["events/event-05/", "events/event-04/"]
    assert root.findtext(f"{ATOM}updated") == "2012-05-05T00:00:00Z"
    assert len(_parse(feed_xml(dataset)).findall(f"{ATOM}entry")) == 5
