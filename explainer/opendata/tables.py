"""Open data: every fact of a checked dataset as one JSON document and as CSV tables.

`/data/` holds `explainer.json` (the records exactly as the models read them, with the format
version), one CSV table per kind of fact, a Frictionless `datapackage.json` describing the
tables (with the data's licence when `site.yaml` names one), and `index.md`, the page that
explains them. Everything here is deterministic: rows are sorted by id (rows of a record's
lists keep the order of its file), nothing carries a time.

Every fact reaches both forms: a stance's `according_to`, a figure's `as_of`, a place's
aliases (`place_aliases.csv`, beside the actors' `aliases.csv`) and every record's
corrections (`corrections.csv`: collection, record, date, text). The site's `archive` setting
is left out of the JSON: it says where the editor's copies of the sources are, not a fact.

The pure middle (`facts_document`, `table_rows`, `csv_text`, `data_package`, `index_page`) is
tested on its own; `write_open_data` is the only function that touches files, and
`load_open_data` reads a JSON export back through the same models for the round-trip.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from explainer.checking import models
from explainer.checking.dataset import Dataset
from explainer.checking.models import COLLECTIONS, FORMAT_VERSION, ID_PATTERN, RECORD_MODELS, Site, suggest_id
from explainer.core import urls
from explainer.core.dates import DATE_PATTERN
from explainer.rendering import spreadsheet
from explainer.rendering.spreadsheet import safe_cell
from explainer.rendering.templating import Escaping, environment

JSON_NAME = "explainer.json"
SITE_SETTINGS_NOT_EXPORTED = frozenset({"archive"})
SPDX_PAGE = "https://spdx.org/licenses/{}.html"
PACKAGE_NAME = "datapackage.json"
PAGE_NAME = "index.md"
LIST_SEPARATOR = ";"

CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}
Cell = str | int | float | None
Row = tuple[Cell, ...]


# --- the tables, described once: the CSV header, the page and the data package read this ------


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type: string, integer or number
    description: str
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    references: str | None = None  # the table whose `id` this column names
    is_list: bool = False  # several ids joined with LIST_SEPARATOR


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str | None = None

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


def _choices(literal: object) -> tuple[str, ...]:
    return tuple(typing.get_args(literal))


def _id(collection: str, noun: str) -> Column:
    page = urls.record_path(collection, "<id>")
    return Column("id", "string", f"The {noun}'s id; its page is {page}.", required=True, pattern=ID_PATTERN)


def _ref(name: str, table: str, description: str, *, required: bool = False) -> Column:
    return Column(name, "string", description, required=required, pattern=ID_PATTERN, references=table)


def _date(name: str, description: str, *, required: bool = False) -> Column:
    return Column(name, "string", f"{description} Written YYYY, YYYY-MM or YYYY-MM-DD: the precision known.",
                  required=required, pattern=DATE_PATTERN)  # fmt: skip


def _text(name: str, description: str, *, required: bool = False) -> Column:
    return Column(name, "string", description, required=required)


def _enum(name: str, literal: object, description: str, *, required: bool = False) -> Column:
    return Column(name, "string", description, required=required, enum=_choices(literal))


SOURCES = Column(
    "sources", "string", "The ids of the sources (in sources.csv) that support this fact, separated by ';'.",
    is_list=True,
)  # fmt: skip

TABLES: tuple[Table, ...] = (
    Table("actors", "Actors", "People, states, organisations, armed groups, communities and media.", (
        _id("actors", "actor"),
        _text("name", "The actor's full name.", required=True),
        _text("short_name", "A short label used in charts."),
        _enum("kind", models.ActorKind, "What sort of actor this is.", required=True),
        _text("summary", "Who the actor is, in Markdown.", required=True),
        SOURCES,
    ), primary_key="id"),
    Table("aliases", "Aliases", "Other names an actor is known by (one row per name).", (
        _ref("actor", "actors", "The actor's id.", required=True),
        _text("alias", "Another name of the actor.", required=True),
    )),
    Table("roles", "Roles", "Offices and positions actors held.", (
        _ref("actor", "actors", "Who held the role.", required=True),
        _text("title", "The role, e.g. President of Syria.", required=True),
        _ref("of", "actors", "The actor (state, organisation) the role was held in."),
        _date("from", "When the role began."),
        _date("to", "When the role ended; empty if it had not ended."),
        SOURCES,
    )),
    Table("relations", "Relations", "How one actor stood to another.", (
        _ref("actor", "actors", "The actor whose relation this is.", required=True),
        _enum("kind", models.RelationKind, "The relation: actor <kind> related_actor.", required=True),
        _ref("related_actor", "actors", "The other actor.", required=True),
        _date("from", "When the relation began."),
        _date("to", "When the relation ended."),
        _text("note", "A note on the relation, in Markdown."),
        SOURCES,
    )),
    Table("events", "Events", "What happened, when and where.", (
        _id("events", "event"),
        _text("title", "The event's title.", required=True),
        _date("date", "When the event happened (or began).", required=True),
        _date("end_date", "When an event lasting several days ended."),
        _enum("kind", models.EventKind, "What sort of event this is.", required=True),
        _ref("place", "places", "Where it happened."),
        _text("summary", "What happened, in Markdown.", required=True),
        SOURCES,
    ), primary_key="id"),
    Table("event_actors", "Event actors", "Who took part in each event, and in what role.", (
        _ref("event", "events", "The event.", required=True),
        _ref("actor", "actors", "The actor.", required=True),
        _enum("role", models.ParticipantRole, "The actor's part in the event.", required=True),
    )),
    Table("figures", "Figures", "Numbers reported for events: one row per number, as one party reported it.", (
        _ref("event", "events", "The event the number is about.", required=True),
        _enum("measure", models.Measure, "What was counted.", required=True),
        Column("value", "integer", "The number, when one number was given (else min and max)."),
        Column("min", "integer", "The lower end of a reported range."),
        Column("max", "integer", "The upper end of a reported range."),
        _enum("qualifier", models.Qualifier, "How exact the number was said to be.", required=True),
        _ref("according_to", "actors", "The actor who reported the number."),
        _date("as_of", "The date the number refers to or was reported; empty: the date of the source reporting it."),
        SOURCES,
    )),
    Table("claims", "Claims", "Attributed, possibly contested statements: who said what, not what is true.", (
        _ref("event", "events", "The event the claim is about.", required=True),
        _ref("by", "actors", "Who made the claim.", required=True),
        _text("text", "What was claimed, in the explainer's words.", required=True),
        _text("quote", "The claim in the speaker's own words, verbatim from the source."),
        SOURCES,
    )),
    Table("questions", "Questions", "Contested questions on which actors took positions.", (
        _id("questions", "question"),
        _text("question", "The question as asked.", required=True),
        _text("short_name", "A short label used in charts."),
        _text("summary", "The question in context, in Markdown.", required=True),
    ), primary_key="id"),
    Table("stances", "Stances", "Each actor's position on a question at a date; several dates record a change.", (
        _ref("question", "questions", "The question.", required=True),
        _ref("actor", "actors", "Whose position this is.", required=True),
        _enum("stance", models.StanceValue, "The position taken.", required=True),
        _date("date", "When the position was stated.", required=True),
        _text("quote", "The position in the actor's own words, verbatim from the source."),
        _ref("according_to", "actors", "Who reports the position, when the actor is not quoted stating it."),
        _text("note", "A note on the position, in Markdown."),
        SOURCES,
    )),
    Table("places", "Places", "Named places, with coordinates.", (
        _id("places", "place"),
        _text("name", "The place's name.", required=True),
        _text("kind", "What sort of place, e.g. country, city, building."),
        Column("lat", "number", "Latitude in decimal degrees (WGS 84).", required=True),
        Column("lon", "number", "Longitude in decimal degrees (WGS 84).", required=True),
        _ref("in", "places", "The place this one lies in."),
    ), primary_key="id"),
    Table("place_aliases", "Place aliases", "Other spellings of a place's name (one row per spelling).", (
        _ref("place", "places", "The place's id.", required=True),
        _text("alias", "Another spelling of the place's name.", required=True),
    )),
    Table("sources", "Sources", "The articles, statements and documents every fact cites.", (
        _id("sources", "source"),
        _text("title", "The source's title.", required=True),
        _text("publisher", "Who published it.", required=True),
        _date("date", "When it was published.", required=True),
        _text("author", "Who wrote it."),
        _text("url", "Where it was published."),
        _enum("kind", models.SourceKind, "What sort of source it is."),
        _text("archive", "The file name of the archived text the quotes were checked against (not published here)."),
    ), primary_key="id"),
    Table("corrections", "Corrections", "Fixes made to the records: what was wrong and what changed, and when.", (
        Column("collection", "string", "The table of the corrected record.", required=True, enum=COLLECTIONS),
        Column("record", "string", "The corrected record's id in that table; its page is "
               f"{urls.record_path('<collection>', '<record>')}.", required=True, pattern=ID_PATTERN),
        _date("date", "When the correction was made.", required=True),
        _text("text", "What was wrong and what changed, in Markdown.", required=True),
    )),
)  # fmt: skip

TABLES_BY_NAME = {table.name: table for table in TABLES}


# --- the pure middle ---------------------------------------------------------------------------


def record_dump(model: models.Model) -> dict[str, Any]:
    """One record as plain JSON values, keys as written in the data files (`from`, `in`)."""
    return model.model_dump(by_alias=True, mode="json")


def facts_document(dataset: Dataset) -> dict[str, Any]:
    """Every fact: `{"format_version": 1, "site": {...}, "actors": [{"id": ..., ...}], ...}`."""
    site = {k: v for k, v in record_dump(dataset.site).items() if k not in SITE_SETTINGS_NOT_EXPORTED}
    document: dict[str, Any] = {"format_version": FORMAT_VERSION, "site": site}
    for collection in COLLECTIONS:
        models_by_id = dataset.models(collection)
        document[collection] = [{"id": rid, **record_dump(models_by_id[rid])} for rid in sorted(models_by_id)]
    return document


def facts_json(dataset: Dataset) -> str:
    """Compact (no indentation: a tenth of the size at 10,000 events); one line, then a newline."""
    return json.dumps(facts_document(dataset), ensure_ascii=False, separators=(",", ":")) + "\n"


def _joined(ids: list[str]) -> str | None:
    return LIST_SEPARATOR.join(ids) if ids else None


def _text_date(value: Any) -> str | None:
    return None if value is None else str(value)


def _sorted(dataset: Dataset, collection: str) -> Iterator[tuple[str, Any]]:
    models_by_id = dataset.models(collection)
    for rid in sorted(models_by_id):
        yield rid, models_by_id[rid]


def _actor_rows(dataset: Dataset) -> dict[str, list[Row]]:
    actors: list[Row] = []
    aliases: list[Row] = []
    roles: list[Row] = []
    relations: list[Row] = []
    for rid, a in _sorted(dataset, "actors"):
        actors.append((rid, a.name, a.short_name, a.kind, a.summary, _joined(a.sources)))
        aliases += [(rid, alias) for alias in a.aliases]
        roles += [(rid, r.title, r.of, _text_date(r.start), _text_date(r.end), _joined(r.sources)) for r in a.roles]
        relations += [
            (rid, r.kind, r.actor, _text_date(r.start), _text_date(r.end), r.note, _joined(r.sources))
            for r in a.relations
        ]
    return {"actors": actors, "aliases": aliases, "roles": roles, "relations": relations}


def _event_rows(dataset: Dataset) -> dict[str, list[Row]]:
    events: list[Row] = []
    participants: list[Row] = []
    figures: list[Row] = []
    claims: list[Row] = []
    for rid, e in _sorted(dataset, "events"):
        events.append(
            (rid, e.title, str(e.date), _text_date(e.end_date), e.kind, e.place, e.summary, _joined(e.sources))
        )
        participants += [(rid, p.actor, p.role) for p in e.actors]
        figures += [
            (
                rid,
                f.measure,
                f.value,
                f.min,
                f.max,
                f.qualifier,
                f.according_to,
                _text_date(f.as_of),
                _joined(f.sources),
            )
            for f in e.figures
        ]
        claims += [(rid, c.by, c.text, c.quote, _joined(c.sources)) for c in e.claims]
    return {"events": events, "event_actors": participants, "figures": figures, "claims": claims}


def _question_rows(dataset: Dataset) -> dict[str, list[Row]]:
    questions: list[Row] = []
    stances: list[Row] = []
    for rid, q in _sorted(dataset, "questions"):
        questions.append((rid, q.question, q.short_name, q.summary))
        stances += [
            (rid, s.actor, s.stance, str(s.date), s.quote, s.according_to, s.note, _joined(s.sources))
            for s in q.stances
        ]
    return {"questions": questions, "stances": stances}


def _place_rows(dataset: Dataset) -> dict[str, list[Row]]:
    places: list[Row] = []
    aliases: list[Row] = []
    for rid, p in _sorted(dataset, "places"):
        places.append((rid, p.name, p.kind, p.lat, p.lon, p.within))
        aliases += [(rid, alias) for alias in p.aliases]
    return {"places": places, "place_aliases": aliases}


def _source_rows(dataset: Dataset) -> dict[str, list[Row]]:
    return {
        "sources": [
            (rid, s.title, s.publisher, str(s.date), s.author, s.url, s.kind, s.archive)
            for rid, s in _sorted(dataset, "sources")
        ]
    }


def _correction_rows(dataset: Dataset) -> dict[str, list[Row]]:
    """Every record's corrections: by collection, then id, each record's in the order of its file."""
    return {
        "corrections": [
            (collection, rid, str(c.date), c.text)
            for collection in COLLECTIONS
            for rid, record in _sorted(dataset, collection)
            for c in record.corrections
        ]
    }


_ROW_BUILDERS: tuple[Callable[[Dataset], dict[str, list[Row]]], ...] = (
    _actor_rows, _event_rows, _question_rows, _place_rows, _source_rows, _correction_rows,
)  # fmt: skip


def table_rows(dataset: Dataset) -> dict[str, list[Row]]:
    """The rows of every table, in the order of TABLES; each row matches its table's columns."""
    built: dict[str, list[Row]] = {}
    for builder in _ROW_BUILDERS:
        built.update(builder(dataset))
    for table in TABLES:
        width = len(table.columns)
        assert all(len(row) == width for row in built[table.name]), f"{table.name}: row width is not {width}"
    return {table.name: built[table.name] for table in TABLES}


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return str(safe_cell(value))
    return str(value)


def csv_text(table: Table, rows: list[Row]) -> str:
    """RFC 4180 CSV: a header row, CRLF line ends, quotes only where needed, empty = no value;
    a text a spreadsheet would run as a formula starts with `'` (`explainer.rendering.spreadsheet`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _field_schema(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.pattern and not column.is_list:
        constraints["pattern"] = column.pattern
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.type == "integer":
        constraints["minimum"] = 0
    if constraints:
        field["constraints"] = constraints
    return field


def _table_schema(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [_field_schema(c) for c in table.columns], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = [table.primary_key]
    foreign_keys = [
        {"fields": [c.name], "reference": {"resource": c.references, "fields": ["id"]}}
        for c in table.columns
        if c.references
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _file_facts(text: str) -> dict[str, Any]:
    raw = text.encode("utf-8")
    return {"bytes": len(raw), "hash": "sha256:" + hashlib.sha256(raw).hexdigest()}


def package_name(site: Site) -> str:
    return suggest_id(site.title) or "explainer"


def licence(spdx_id: str) -> dict[str, str]:
    """A Data Package `licenses` entry: the SPDX id, and its page on spdx.org for a listed
    licence (a `LicenseRef-` id is the publisher's own and has no such page)."""
    entry = {"name": spdx_id}
    if not spdx_id.startswith("LicenseRef-"):
        entry["path"] = SPDX_PAGE.format(spdx_id)
    return entry


def _licence_link(spdx_id: str) -> str:
    """The licence as the /data/ page names it: a link to its SPDX page, or the id as code."""
    entry = licence(spdx_id)
    name = escape_markdown(entry["name"])
    return f"[{name}]({entry['path']})" if "path" in entry else f"`{entry['name']}`"


def data_package(site: Site, files: dict[str, str]) -> dict[str, Any]:
    """A Frictionless Data Package (v1) describing the JSON document and every CSV table.

    `files` maps file names to their text (for sizes and hashes)."""
    resources: list[dict[str, Any]] = [
        {
            "name": "explainer",
            "path": JSON_NAME,
            "title": "All facts",
            "description": f"Every record as the data files hold it, with format_version {FORMAT_VERSION}.",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            **_file_facts(files[JSON_NAME]),
        }
    ]
    for table in TABLES:
        resources.append({
            "name": table.name,
            "path": table.file_name,
            "profile": "tabular-data-resource",
            "title": table.title,
            "description": f"{table.description} {spreadsheet.NOTE}",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": CSV_DIALECT,
            **_file_facts(files[table.file_name]),
            "schema": _table_schema(table),
        })  # fmt: skip
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": package_name(site),
        "title": site.title,
    }
    if site.description:
        package["description"] = site.description
    if site.base_url:
        package["homepage"] = site.base_url
    if site.license:
        package["licenses"] = [licence(site.license)]
    package["version"] = f"{FORMAT_VERSION}.0.0"
    package["resources"] = resources
    return package


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as written, also inside a table cell: `*`, `<b>`, `|` stay text."""
    text = " ".join(text.split())
    text = "".join(_HTML_SPECIAL.get(char, char) for char in text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _column_type(column: Column) -> str:
    if column.is_list:
        return "list of ids"
    if column.enum:
        return "one of " + ", ".join(f"`{value}`" for value in column.enum)
    if column.references:
        return f"id in {column.references}.csv"
    if column.pattern == DATE_PATTERN:
        return "date"
    if column.pattern == ID_PATTERN:
        return "id"
    return {"string": "text", "integer": "whole number", "number": "number"}[column.type]


_ENV = environment("export", Escaping.PREPARED, compact=False)  # Markdown: values escaped in Python


def index_page(site: Site, rows: dict[str, list[Row]], files: dict[str, str]) -> str:
    """The /data/ page: what each file holds, its columns, how to load it, how to cite it."""
    base = f"{site.base_url.rstrip('/')}/{urls.url_of(urls.DATA)}" if site.base_url else ""
    tables = [
        {
            "file": table.file_name,
            "title": table.title,
            "description": escape_markdown(table.description),
            "rows": len(rows[table.name]),
            "size": _size(files[table.file_name]),
            "columns": [
                {
                    "name": c.name,
                    "type": _column_type(c),
                    "required": c.required,
                    "description": escape_markdown(c.description),
                }
                for c in table.columns
            ],
        }
        for table in TABLES
    ]
    return _ENV.get_template("index.md.j2").render(
        title=escape_markdown(site.title),
        site_url=site.base_url,
        base=base,
        format_version=FORMAT_VERSION,
        json_name=JSON_NAME,
        json_size=_size(files[JSON_NAME]),
        package_name=PACKAGE_NAME,
        package_size=_size(files[PACKAGE_NAME]),
        separator=LIST_SEPARATOR,
        csv_note=escape_markdown(spreadsheet.NOTE),  # for "How the tables are written"
        tables=tables,
        record_page=urls.record_path("<table>", "<id>"),
        event_page=urls.record_path("events", "<id>"),
        licence=_licence_link(site.license) if site.license else None,
    )


def _size(text: str) -> str:
    size = len(text.encode("utf-8"))
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB" if size >= 10 * 1024 else f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def open_data_files(dataset: Dataset) -> dict[str, str]:
    """Every file of /data/ by name, as text: what `write_open_data` writes."""
    rows = table_rows(dataset)
    files = {JSON_NAME: facts_json(dataset)}
    files.update({table.file_name: csv_text(table, rows[table.name]) for table in TABLES})
    files[PACKAGE_NAME] = json.dumps(data_package(dataset.site, files), indent=2, ensure_ascii=False) + "\n"
    files[PAGE_NAME] = index_page(dataset.site, rows, files)
    return files


# --- the edges ---------------------------------------------------------------------------------


def write_open_data(dataset: Dataset, out_dir: Path) -> list[Path]:
    """Write /data/ into `out_dir` (created if needed); each file is written whole, then renamed."""
    files = open_data_files(dataset)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(files):
        path = out_dir / name
        temporary = out_dir / f".{name}.tmp"
        # newline="" keeps the CSV's CRLF line ends as they are on every platform
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(files[name])
        temporary.replace(path)
        written.append(path)
    return written


class OpenDataError(ValueError):
    """A JSON export that cannot be read back; the message names the place and the problem."""


def load_open_data(path: Path | str) -> dict[str, Any]:
    """Read `explainer.json` (or the folder holding it) back into checked models.

    Returns `{"format_version": 1, "site": Site, "actors": {id: Actor}, ...}`; every record goes
    through the same models as the YAML files (stances with `according_to`, figures with
    `as_of`, places with `aliases`, any record with `corrections`), so a round-trip proves
    nothing was lost. The site's `archive` setting is never exported, so it is read back unset."""
    path = Path(path)
    if path.is_dir():
        path = path / JSON_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OpenDataError(f"{path}: cannot read the JSON export: {exc}") from exc
    if not isinstance(document, dict):
        raise OpenDataError(f"{path}: the JSON export must be an object")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise OpenDataError(f"{path}: format_version is {version!r}; this explainer reads version {FORMAT_VERSION}")
    unknown = sorted(set(document) - {"format_version", "site", *COLLECTIONS})
    if unknown:
        raise OpenDataError(f"{path}: unknown keys {', '.join(unknown)}")
    loaded: dict[str, Any] = {"format_version": version, "site": _validate(Site, document.get("site"), f"{path}: site")}
    for collection in COLLECTIONS:
        records = document.get(collection)
        if not isinstance(records, list):
            raise OpenDataError(f"{path}: {collection} must be a list of records")
        by_id: dict[str, Any] = {}
        for index, record in enumerate(records):
            where = f"{path}: {collection}[{index}]"
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise OpenDataError(f"{where}: a record must be an object with an id")
            fields = dict(record)
            record_id = fields.pop("id")
            if record_id in by_id:
                raise OpenDataError(f"{where}: the id '{record_id}' appears twice")
            by_id[record_id] = _validate(RECORD_MODELS[collection], fields, f"{where} (id '{record_id}')")
        loaded[collection] = by_id
    return loaded


def _validate(model: type[models.Model], value: Any, where: str) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(record)"
        raise OpenDataError(f"{where}: {field}: {first['msg']}") from exc
