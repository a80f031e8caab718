"""The Atom feed of events (`/feed.xml`), newest first, for readers who follow the explainer.

Deterministic: entry ids and dates come from the data (an event's id and date), never from the
build. The feed's `updated` is the newest event's date; only a dataset without events falls
back to `SOURCE_DATE_EPOCH` (or the epoch itself).

The feed holds the newest MAX_ENTRIES events (all of them in a smaller explainer), so it stays
small enough to poll: at 10,000 events a feed of every event would be 9 MB. An event added
later but dated earlier than those is on the timeline, not in the feed. Links are absolute
when `site.yaml` gives `base_url`; otherwise they are relative to the feed's own address,
which Atom allows.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from pathlib import Path
from typing import Any

from explainer.checking.dataset import Dataset
from explainer.checking.models import Event, suggest_id
from explainer.core.dates import PartialDate
from explainer.rendering.templating import Escaping, environment

FEED_NAME = "feed.xml"
MAX_ENTRIES = 200

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
    return sorted(events.items(), key=lambda item: (tuple(-part for part in item[1].date.sort_key), item[0]))


def feed_context(dataset: Dataset, *, limit: int = MAX_ENTRIES) -> dict[str, Any]:
    """What the feed template lays out: the feed's own fields and an entry per recent event."""
    site = dataset.site
    base = site.base_url.rstrip("/") + "/" if site.base_url else ""
    name = suggest_id(site.title) or "explainer"
    places = dataset.models("places")
    events = newest_first(dataset.models("events"))[:limit]
    entries = []
    for event_id, event in events:
        link = f"{base}events/{event_id}/"
        summary = plain_text(event.summary)
        if event.place and event.place in places:
            summary = f"{_xml_safe(places[event.place].name)}. {summary}"
        entries.append({
            "id": link if base else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'explainer:{name}:events/{event_id}')}",
            "title": _xml_safe(f"{event.date.display()}: {' '.join(event.title.split())}"),
            "link": link,
            "updated": atom_date(event.date),
            "kind": event.kind,
            "kind_label": event.kind.replace("-", " "),
            "summary": summary,
        })  # fmt: skip
    feed = {
        "id": f"{base}{FEED_NAME}" if base else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'explainer:{name}:feed')}",
        "language": site.language,
        "title": _xml_safe(f"{site.title}: events"),
        "subtitle": _xml_safe(" ".join(site.description.split())) if site.description else None,
        "self_link": f"{base}{FEED_NAME}" if base else None,
        "timeline_link": f"{base}timeline/",
        "home": base or None,
        "author": _xml_safe(site.title),
        "updated": entries[0]["updated"] if entries else fallback_time(),
    }
    return {"feed": feed, "entries": entries}


def feed_xml(dataset: Dataset, *, limit: int = MAX_ENTRIES) -> str:
    return _ENV.get_template("feed.xml.j2").render(feed_context(dataset, limit=limit))


def write_feed(dataset: Dataset, docs_dir: Path) -> Path:
    """Write `feed.xml` into the generated docs folder (whole, then renamed into place)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    path = docs_dir / FEED_NAME
    temporary = docs_dir / f".{FEED_NAME}.tmp"
    temporary.write_text(feed_xml(dataset), encoding="utf-8")
    temporary.replace(path)
    return path
