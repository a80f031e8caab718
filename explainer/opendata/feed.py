"""The Atom feed (`/feed.xml`): the events and the corrections, newest first, for readers who
follow the explainer.

Corrections are entries of their own, one per correction of any record (an actor, an event, a
source…), not updates of the corrected event's entry: most feed readers show an entry once and
never show it again when its `updated` changes, and a corrected actor or source has no entry
to update. A correction's entry is dated by the correction (`published` and `updated`), titled
"Correction: <the record>", holds the correction's text, links to the corrected record's page
(`alternate`) and to the corrections page (`related`), and has the category `correction`. Its
id is made from the record and the correction's place in the record's list (oldest first: a
new correction is added at the end), so it never changes when another is added.

Deterministic: entry ids and dates come from the data (a record's id, an event's or a
correction's date), never from the build. Entries are sorted by date, newest first; at the same
date corrections come before events, then by collection, id and place in the list. The feed's
`updated` is the newest entry's date; only a dataset with neither falls back to
`SOURCE_DATE_EPOCH` (or the epoch itself).

The feed holds the newest MAX_ENTRIES entries (all of them in a smaller explainer), so it stays
small enough to poll: at 10,000 events a feed of every event would be 9 MB. An event added
later but dated earlier than those is on the timeline, not in the feed. Links are absolute
when `site.yaml` gives `base_url`; otherwise they are relative to the feed's own address,
which Atom allows. Every address comes from `explainer.core.urls`, every word for a kind of
event from `explainer.core.wording`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.checking.dataset import Dataset
from explainer.checking.models import COLLECTIONS, Event, suggest_id
from explainer.core import urls, wording
from explainer.core.dates import PartialDate
from explainer.rendering.templating import Escaping, environment

FEED_NAME = urls.FEED
MAX_ENTRIES = 200
CORRECTION = "correction"

_ENV = environment("feed", Escaping.HTML, compact=False)  # XML: &, <, >, and quotes in attributes are escaped

# Characters XML 1.0 cannot hold at all (C0 controls but tab and line ends, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MD_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_REFERENCE_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
_MD_EMPHASIS = re.compile(r"(\*\*|\*|`)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)")


def plain_text(markdown: str) -> str:
    """Markdown as a feed reader shows plain text: link texts kept, markers dropped, one line."""
    text = _MD_INLINE_LINK.sub(r"\1", markdown)
    text = _MD_REFERENCE_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)
    return _xml_safe(" ".join(text.split()))


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def atom_date(date: PartialDate) -> str:
    """The first day a date can mean, as an RFC 3339 timestamp at midnight UTC."""
    return f"{date.first_day.isoformat()}T00:00:00Z"


def fallback_time() -> str:
    """For a feed without events: SOURCE_DATE_EPOCH when set (reproducible builds), else 1970."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(raw) if raw.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def newest_first(events: dict[str, Event]) -> list[tuple[str, Event]]:
    """By date, newest first; events of the same date by id, so the order never varies."""
    return sorted(events.items(), key=lambda item: (_newest(item[1].date), item[0]))


def _newest(date: PartialDate) -> tuple[int, ...]:
    return tuple(-part for part in date.sort_key)


@dataclass(frozen=True)
class Head:
    """The feed's own fields."""

    id: str
    language: str
    title: str
    subtitle: str | None
    self_link: str | None
    alternate: str
    home: str | None
    author: str
    updated: str


@dataclass(frozen=True)
class Entry:
    """One entry: an event, or a correction of a record."""

    id: str
    title: str
    link: str
    updated: str
    kind: str
    kind_label: str
    summary: str
    related: str | None = None
    """A second page the entry belongs with: the corrections page, for a correction."""


@dataclass(frozen=True)
class Feed:
    head: Head
    entries: tuple[Entry, ...]


def _title_of(model: Any) -> str:
    """What a record is called: an actor's or place's name, an event's or source's title, a question."""
    for attribute in ("name", "title", "question"):
        value = getattr(model, attribute, None)
        if isinstance(value, str):
            return value
    raise TypeError(f"a record without a name: {type(model).__name__}")


def feed_entries(dataset: Dataset, *, base: str, name: str) -> list[tuple[tuple[Any, ...], Entry]]:
    """Every entry with its sort key: each event, and each correction of any record."""
    places = dataset.models("places")
    found: list[tuple[tuple[Any, ...], Entry]] = []
    for event_id, event in dataset.models("events").items():
        link = base + urls.record_url("events", event_id)
        summary = plain_text(event.summary)
        if event.place and event.place in places:
            summary = f"{_xml_safe(places[event.place].name)}. {summary}"
        entry = Entry(
            # the key of an id, not an address: it stays as it was first published
            id=link if base else _urn(name, f"events/{event_id}"),
            title=_xml_safe(f"{event.date.display()}: {' '.join(event.title.split())}"),
            link=link,
            updated=atom_date(event.date),
            kind=event.kind,
            kind_label=wording.label(wording.EVENT_KINDS, event.kind),
            summary=summary,
        )
        found.append(((_newest(event.date), 1, "events", event_id, 0), entry))
    corrections_page = base + urls.url_of(urls.CORRECTIONS)
    for order, collection in enumerate(COLLECTIONS):
        for record_id, model in dataset.models(collection).items():
            for number, correction in enumerate(getattr(model, "corrections", ()), start=1):
                entry = Entry(
                    id=_urn(name, f"corrections/{collection}/{record_id}/{number}"),
                    title=_xml_safe(f"Correction: {' '.join(_title_of(model).split())}"),
                    link=base + urls.record_url(collection, record_id),
                    updated=atom_date(correction.date),
                    kind=CORRECTION,
                    kind_label=CORRECTION.capitalize(),
                    summary=plain_text(correction.text),
                    related=corrections_page,
                )
                found.append(((_newest(correction.date), 0, order, record_id, number), entry))
    return found


def _urn(name: str, key: str) -> str:
    """A stable id for an entry without a published address."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'explainer:{name}:{key}')}"


def feed_content(dataset: Dataset, *, limit: int = MAX_ENTRIES) -> Feed:
    """What the feed template lays out: the feed's own fields and its newest `limit` entries."""
    site = dataset.site
    base = site.base_url.rstrip("/") + "/" if site.base_url else ""
    name = suggest_id(site.title) or "explainer"
    found = feed_entries(dataset, base=base, name=name)
    entries = tuple(entry for _, entry in sorted(found, key=lambda item: item[0])[:limit])
    head = Head(
        id=f"{base}{FEED_NAME}" if base else _urn(name, "feed"),
        language=site.language,
        title=_xml_safe(f"{site.title}: events"),  # as every page's <link rel="alternate"> names it
        subtitle=_xml_safe(" ".join(site.description.split())) if site.description else None,
        self_link=f"{base}{FEED_NAME}" if base else None,
        alternate=base + urls.url_of(urls.TIMELINE),
        home=base or None,
        author=_xml_safe(site.title),
        updated=entries[0].updated if entries else fallback_time(),
    )
    return Feed(head, entries)


def feed_xml(dataset: Dataset, *, limit: int = MAX_ENTRIES) -> str:
    feed = feed_content(dataset, limit=limit)
    return _ENV.get_template("feed.xml.j2").render(feed=feed.head, entries=feed.entries)


def write_feed(dataset: Dataset, docs_dir: Path) -> Path:
    """Write `feed.xml` into the generated docs folder (whole, then renamed into place)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    path = docs_dir / FEED_NAME
    temporary = docs_dir / f".{FEED_NAME}.tmp"
    temporary.write_text(feed_xml(dataset), encoding="utf-8")
    temporary.replace(path)
    return path
