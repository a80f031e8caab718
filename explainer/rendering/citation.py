"""How to cite a page or a chart of an explainer: plain text, BibTeX and CSL-JSON.

Pure functions of plain values (no dataset, no models), so that the chart stage and the
record pages build the same citations:

    work = Work(title="Timeline of events", container="Syria 2012", url="https://…/timeline/",
                issued=date(2012, 7, 18), license="CC-BY-4.0",
                sources=(Cited("Reuters", "Annan's plan…", "2012-03-27", "https://…"),))
    plain_text(work), bibtex(work), csl_json(work)

A citation names the explainer (the curated data, under its licence) and, after it, the
original sources the work's facts come from: the explainer only says what they reported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_SOURCES = 12
"""A citation names at most this many sources, then says how many more there are."""


@dataclass(frozen=True)
class Cited:
    """An original source: who published it, its title, its date as written ("2012-03", "2012-03-27")."""

    publisher: str
    title: str
    date: str
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Work:
    """What is cited: a chart or a page of the explainer `container`."""

    title: str
    container: str
    url: str | None
    issued: dt.date | None
    license: str | None = None
    kind: str = "dataset"
    """CSL type: "dataset" for a chart, "webpage" for a record page."""
    sources: tuple[Cited, ...] = field(default_factory=tuple)
    id: str = "explainer"


def plain_text(work: Work) -> str:
    """One paragraph: the work, then "Sources: …" (at most MAX_SOURCES, then "and N more")."""
    parts = [f"{work.title}. {work.container}"]
    if work.issued is not None:
        parts[-1] += f", data as of {work.issued.isoformat()}"
    if work.license:
        parts[-1] += f", {work.license}"
    parts[-1] += "."
    if work.url:
        parts.append(work.url)
    text = " ".join(parts)
    shown = [_source_text(source) for source in work.sources[:MAX_SOURCES]]
    if len(work.sources) > MAX_SOURCES:
        shown.append(f"and {len(work.sources) - MAX_SOURCES} more")
    if shown:
        text += " Sources: " + "; ".join(shown) + "."
    return text


def _source_text(source: Cited) -> str:
    by = f"{source.author}, " if source.author else ""
    return f"{by}{source.publisher}, “{source.title}” ({source.date})" + (f", {source.url}" if source.url else "")


def bibtex(work: Work) -> str:
    """A @misc entry for the work; its sources in the note (BibTeX has no field for them)."""
    fields = [("title", "{" + _bib(work.title) + "}"), ("howpublished", _bib(work.container))]
    if work.issued is not None:
        fields += [("year", str(work.issued.year)), ("month", str(work.issued.month))]
    if work.url:
        fields.append(("url", work.url))
    notes = []
    if work.license:
        notes.append(f"Data licence: {work.license}")
    if work.sources:
        shown = [_source_text(source) for source in work.sources[:MAX_SOURCES]]
        if len(work.sources) > MAX_SOURCES:
            shown.append(f"and {len(work.sources) - MAX_SOURCES} more")
        notes.append("Sources: " + "; ".join(shown))
    if notes:
        fields.append(("note", _bib(". ".join(notes))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{citation_key(work)},\n{body}\n}}"


def citation_key(work: Work) -> str:
    """An ASCII key from the explainer's name, the work's id and its year: "syria2012-timeline-2012"."""
    name = _ascii(work.container).lower()
    name = re.sub(r"[^a-z0-9]+", "", name.split(":")[0])[:16] or "explainer"
    ident = re.sub(r"[^a-z0-9-]+", "-", _ascii(work.id).lower()).strip("-")[:40] or "work"
    return f"{name}-{ident}" + (f"-{work.issued.year}" if work.issued else "")


def csl_json(work: Work) -> list[dict[str, Any]]:
    """CSL-JSON items: the work first, then each original source (type article-newspaper)."""
    item: dict[str, Any] = {
        "id": citation_key(work),
        "type": work.kind,
        "title": work.title,
        "container-title": work.container,
    }
    if work.url:
        item["URL"] = work.url
    if work.issued is not None:
        item["issued"] = {"date-parts": [[work.issued.year, work.issued.month, work.issued.day]]}
    if work.license:
        item["license"] = work.license
    items = [item]
    for number, source in enumerate(work.sources, 1):
        cited: dict[str, Any] = {
            "id": f"{item['id']}-source-{number}",
            "type": "article-newspaper",
            "title": source.title,
            "container-title": source.publisher,
            "issued": {"date-parts": [[int(part) for part in source.date.split("-") if part.isdigit()]]},
        }
        if source.url:
            cited["URL"] = source.url
        if source.author:
            cited["author"] = [{"literal": source.author}]
        items.append(cited)
    return items


def csl_json_text(work: Work, *, compact: bool = False) -> str:
    """The CSL-JSON items as a file; `compact`: one item a line (a page holds it for copying)."""
    items = csl_json(work)
    if not compact:
        return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True)
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items) + "\n]"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


_BIB_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bib(text: str) -> str:
    """Text safe inside a braced BibTeX field: TeX's special characters escaped."""
    return _BIB_SPECIAL.sub(
        lambda match: {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(
            match.group(1), "\\" + match.group(1)
        ),
        text,
    )
