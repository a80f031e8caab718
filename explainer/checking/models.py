"""The records of a data folder, defined once.

These pydantic models check each file on its own (keys, types, enumerations, ranges) and are
the single source of the JSON Schema that `explainer schema` writes. Checks that need more than
one file (references, quotes against archives) live in `explainer.checking.crossref`.
"""

from __future__ import annotations

import math
import posixpath
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from explainer.core.dates import PartialDate, describe
from explainer.core.ids import _ID as _ID  # re-exported: the names other stages import from here
from explainer.core.ids import COLLECTIONS as COLLECTIONS
from explainer.core.ids import ID_MAX_LENGTH as ID_MAX_LENGTH
from explainer.core.ids import ID_PATTERN as ID_PATTERN
from explainer.core.ids import suggest_id as suggest_id
from explainer.core.links import SAFE_LINK_SCHEMES as SAFE_LINK_SCHEMES
from explainer.core.links import link_problem as link_problem
from explainer.core.links import markdown_link_targets
from explainer.core.visible import invisible_problem

FORMAT_VERSION = 1


ActorKind = Literal["person", "state", "organization", "armed-group", "community", "media"]
RelationKind = Literal["member-of", "leads", "allied-with", "backs", "opposes", "envoy-of", "speaks-for"]
EventKind = Literal[
    "massacre", "military-operation", "bombing", "protest", "diplomacy", "un-vote",
    "statement", "sanction", "defection", "appointment", "other",
]  # fmt: skip
ParticipantRole = Literal["perpetrator", "accused", "target", "victim", "mediator", "participant", "speaker", "host"]
Measure = Literal["killed", "wounded", "detained", "displaced", "deployed"]
Qualifier = Literal["exactly", "about", "at-least", "up-to"]
StanceValue = Literal["for", "against", "mixed"]
SourceKind = Literal["news", "opinion", "blog", "statement", "report", "document"]


# --- scalar types -----------------------------------------------------------------------------


def _as_text(value: Any) -> Any:
    """A plain YAML number or boolean where text is expected is that text (`title: 1984`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        return str(value)
    return value


PLACEHOLDER = re.compile(r"^<[^<>]*>$")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if PLACEHOLDER.match(value.strip()):
        raise ValueError(f"still holds the placeholder {value.strip()}; fill it in")
    return value


Text = Annotated[str, BeforeValidator(_as_text), AfterValidator(_not_blank)]


def _visible(value: str) -> str:
    if problem := invisible_problem(value):
        raise ValueError(problem)
    return value


# A name or title: shown in lists, links and headings, so nothing in it may be invisible.
Name = Annotated[Text, AfterValidator(_visible)]

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _check_markdown_links(value: str) -> str:
    for _, target in markdown_link_targets(value):
        if problem := link_problem(target):
            raise ValueError(problem)
    return value


Markdown = Annotated[
    Text,
    AfterValidator(_check_markdown_links),
    WithJsonSchema({"type": "string", "description": "Markdown text (links: http, https, mailto or relative)"}),
]


def _check_id(value: str) -> str:
    if PLACEHOLDER.match(value.strip()):
        raise ValueError(f"still holds the placeholder {value.strip()}; write an id")
    if not _ID.match(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lowercase letters a-z, digits and single hyphens "
            f"(e.g. '{suggest_id(value) or 'bashar-al-assad'}')"
        )
    if len(value) > ID_MAX_LENGTH:
        raise ValueError(f"an id may be at most {ID_MAX_LENGTH} characters long")
    return value


Ref = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH}),
]
SourceRefs = Annotated[list[Ref], Field(min_length=1)]
OptionalSourceRefs = list[Ref]


def _whole_number(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected a whole number, found {describe(value)}")
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            raise ValueError(f"write whole numbers in plain digits, without a decimal point or exponent ({int(value)})")
        raise ValueError(f"expected a whole number, found {describe(value)}")
    if isinstance(value, str):
        if re.fullmatch(r"[0-9]{1,3}([,. '][0-9]{3})+", value.strip()):
            digits = re.sub(r"[^0-9]", "", value)
            raise ValueError(f"write numbers without separators ({digits}, not '{value}')")
        if len(value) > 30 and value.lstrip("-+").isdigit():
            raise ValueError("the number is too large")
        if re.fullmatch(r"[0-9]+", value.strip()):
            raise ValueError(f"write the number without quotes ({value.strip()}, not '{value}')")
        raise ValueError(f"expected a whole number, found {describe(value)}")
    if not isinstance(value, int):
        raise ValueError(f"expected a whole number, found {describe(value)}")
    if value < 0:
        raise ValueError(f"must not be negative (found {value})")
    return value


Count = Annotated[int, BeforeValidator(_whole_number), WithJsonSchema({"type": "integer", "minimum": 0})]


def _coordinate(limit: int) -> Any:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number in decimal degrees, found {describe(value)}")
        if not math.isfinite(value):
            raise ValueError(f"expected a number in decimal degrees, found {value}")
        if not -limit <= value <= limit:
            raise ValueError(f"must be between -{limit} and {limit} (found {value})")
        return float(value)

    return BeforeValidator(check)


Latitude = Annotated[float, _coordinate(90), WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})]
Longitude = Annotated[float, _coordinate(180), WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})]


def _web_address(value: str) -> str:
    match = _SCHEME.match(value)
    if not match or match.group(1).lower() not in ("http", "https"):
        scheme = f"'{match.group(1)}:'" if match else "no scheme"
        raise ValueError(f"a url must start with http:// or https:// (found {scheme})")
    if not re.match(r"^\s*[a-zA-Z]+://[^/\s?#]+", value):
        raise ValueError("a url must name a host (https://example.org/...)")
    return value.strip()


Url = Annotated[
    Text,
    AfterValidator(_web_address),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^[hH][tT][tT][pP][sS]?://"}),
]


# The site's published address lands in every page's <head> (canonical link, Open Graph, feed)
# as the site engine writes it: only the characters of a plain address, no query or fragment.
BASE_URL_PATTERN = r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9\-._~%/!$()*+,;=:@]*)?$"
_BASE_URL_CHARACTER = re.compile(r"[^A-Za-z0-9\-._~%/!$()*+,;=:@]")


def _base_url(value: str) -> str:
    if re.match(BASE_URL_PATTERN, value):
        return value
    rest = re.sub(r"^[a-zA-Z]+://", "", value)
    bad = _BASE_URL_CHARACTER.search(rest)
    if bad is not None:
        found = bad.group()
        words = {" ": "a space", "'": "a quote", '"': "a quote", "<": "an angle bracket", ">": "an angle bracket"}
        what = words.get(found, f"'{found}'" if found.isprintable() else f"U+{ord(found):04X}")
        return _raise(
            f"base_url must be a plain web address such as https://example.org/explainer/; "
            f"it holds {what} at character {len(value) - len(rest) + bad.start() + 1}"
        )
    return _raise("base_url must be a plain web address such as https://example.org/explainer/ (host, then a path)")


def _raise(message: str) -> str:
    raise ValueError(message)


BaseUrl = Annotated[
    Url,
    AfterValidator(_base_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": BASE_URL_PATTERN}),
]


def _archive_name(value: str) -> str:
    if "\\" in value or value.startswith("/") or re.match(r"^[a-zA-Z]:", value):
        raise ValueError("the archive must be a relative path inside the archive folder")
    normal = posixpath.normpath(value)
    if normal == ".." or normal.startswith("../") or normal == ".":
        raise ValueError(f"'{value}' leaves the archive folder; name a file inside it")
    return value


ArchiveName = Annotated[Text, AfterValidator(_archive_name)]


# --- records ----------------------------------------------------------------------------------


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False, defer_build=True)


class Correction(Model):
    """A fix on the record: when it was made, what was wrong and what changed."""

    date: PartialDate = Field(description="When the correction was made.")
    text: Markdown = Field(description="What was wrong and what changed, in a sentence or two.")


Corrections = Annotated[
    list[Correction],
    Field(default_factory=list, description="Fixes made to this record, oldest first; published on its page."),
]


class Role(Model):
    """An office or position held, e.g. President of Syria."""

    title: Name
    of: Ref | None = Field(None, description="The actor (organisation, state) the role is held in.")
    start: PartialDate | None = Field(None, alias="from")
    end: PartialDate | None = Field(None, alias="to")
    sources: SourceRefs

    @field_validator("end")
    @classmethod
    def _ordered(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        return _check_order(info.data.get("start"), end, "from", "to")


class Relation(Model):
    """How this actor stands to another: `leads`, `backs`, `opposes`..."""

    kind: RelationKind
    actor: Ref
    start: PartialDate | None = Field(None, alias="from")
    end: PartialDate | None = Field(None, alias="to")
    note: Markdown | None = None
    sources: SourceRefs

    @field_validator("end")
    @classmethod
    def _ordered(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        return _check_order(info.data.get("start"), end, "from", "to")


class Actor(Model):
    """A person, state, organisation, armed group, community or media outlet."""

    collection: ClassVar[str] = "actors"
    name: Name
    short_name: Name | None = Field(None, description="A short label for charts.")
    kind: ActorKind
    aliases: list[Name] = Field(default_factory=list, description="Other names; searchable.")
    summary: Markdown
    sources: OptionalSourceRefs = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    corrections: Corrections

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Participant(Model):
    actor: Ref
    role: ParticipantRole


class Figure(Model):
    """A reported number: `value`, or a range `min` to `max`, as one party reported it."""

    measure: Measure
    value: Count | None = None
    min: Count | None = None
    max: Count | None = None
    qualifier: Qualifier = "about"
    according_to: Ref | None = Field(None, description="The actor who reported the number.")
    as_of: PartialDate | None = Field(
        None,
        description="The date the number refers to or was reported (default: the date of the source reporting it).",
    )
    sources: SourceRefs

    @model_validator(mode="before")
    @classmethod
    def _value_or_range(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        has_value = data.get("value") is not None
        has_min, has_max = data.get("min") is not None, data.get("max") is not None
        if has_value and (has_min or has_max):
            raise ValueError("give either value, or min and max, not both")
        if not has_value and not (has_min or has_max):
            raise ValueError("a figure needs a value, or a min and a max")
        if has_min != has_max:
            raise ValueError("a range needs both min and max")
        return data

    @field_validator("max")
    @classmethod
    def _range_ordered(cls, high: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("min")
        if low is not None and high is not None and low > high:
            raise ValueError(f"min ({low}) is greater than max ({high})")
        return high

    @property
    def low(self) -> int:
        return self.value if self.value is not None else self.min  # type: ignore[return-value]

    @property
    def high(self) -> int:
        return self.value if self.value is not None else self.max  # type: ignore[return-value]


class Claim(Model):
    """An attributed, possibly contested statement: who said what, not what is true."""

    by: Ref
    text: Text
    quote: Text | None = Field(None, description="Verbatim words, checked against the archived source.")
    sources: SourceRefs


class Event(Model):
    collection: ClassVar[str] = "events"
    title: Name
    date: PartialDate
    end_date: PartialDate | None = None
    kind: EventKind
    place: Ref | None = None
    summary: Markdown
    sources: SourceRefs
    actors: list[Participant] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    corrections: Corrections

    @field_validator("end_date")
    @classmethod
    def _ordered(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        return _check_order(info.data.get("date"), end, "date", "end_date")

    def killed(self) -> int | None:
        """The highest number of people reported killed, if any party reported one."""
        numbers = [f.high for f in self.figures if f.measure == "killed"]
        return max(numbers) if numbers else None


class Stance(Model):
    """An actor's position on a question at a date; several dates record a change."""

    actor: Ref
    stance: StanceValue
    date: PartialDate
    quote: Text | None = Field(None, description="The actor's own words, checked against the archived source.")
    according_to: Ref | None = Field(
        None, description="Who reports this position, when the stance has no quote of the actor's own."
    )
    note: Markdown | None = None
    sources: SourceRefs


class Question(Model):
    collection: ClassVar[str] = "questions"
    question: Name
    short_name: Name | None = None
    summary: Markdown
    stances: Annotated[list[Stance], Field(min_length=1)]
    corrections: Corrections

    @property
    def label(self) -> str:
        return self.short_name or self.question


class Place(Model):
    collection: ClassVar[str] = "places"
    name: Name
    kind: Name | None = Field(None, description="e.g. country, city, town, village, building")
    lat: Latitude
    lon: Longitude
    within: Ref | None = Field(None, alias="in", description="The place this one lies in.")
    aliases: list[Name] = Field(default_factory=list, description="Other spellings of the name; searchable.")
    corrections: Corrections


class Source(Model):
    collection: ClassVar[str] = "sources"
    title: Name
    publisher: Name
    date: PartialDate
    author: Name | None = None
    url: Url | None = None
    kind: SourceKind | None = None
    archive: ArchiveName | None = Field(None, description="A file in the archive folder holding the source's text.")
    corrections: Corrections


LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def _language_tag(value: str) -> str:
    if not re.match(LANGUAGE_PATTERN, value):
        raise ValueError(f"'{value}' is not a language code; write a code such as en, fr, ar or pt-BR")
    return value


SPDX_PATTERN = r"^(LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.+-]*$"


def _spdx_id(value: str) -> str:
    if not re.match(SPDX_PATTERN, value):
        raise ValueError(f"'{value}' is not an SPDX licence id; write one such as CC-BY-4.0, CC0-1.0 or ODbL-1.0")
    return value


def archive_folder_problem(value: str) -> str | None:
    """What is wrong with site.yaml's `archive:` folder, or None."""
    if "\\" in value or re.match(r"^[a-zA-Z]:", value):
        return "write the archive folder with forward slashes, relative to the data folder"
    if any(ord(c) < 32 for c in value):
        return "the archive folder may not contain control characters"
    return None


def _archive_folder(value: str) -> str:
    if problem := archive_folder_problem(value):
        raise ValueError(problem)
    return value


class Site(Model):
    title: Name
    description: Name | None = None
    base_url: BaseUrl | None = Field(
        None,
        description="The published address, used in embeds, the feed and canonical links: "
        "a plain http(s) address such as https://example.org/explainer/.",
    )
    language: Annotated[
        str,
        AfterValidator(_language_tag),
        WithJsonSchema({"type": "string", "pattern": LANGUAGE_PATTERN, "default": "en"}),
    ] = "en"
    license: (
        Annotated[
            Text,
            AfterValidator(_spdx_id),
            WithJsonSchema(
                {
                    "type": "string",
                    "pattern": SPDX_PATTERN,
                    "description": "The curated data's licence, an SPDX id such as CC-BY-4.0.",
                    "examples": ["CC-BY-4.0"],
                }
            ),
        ]
        | None
    ) = None
    archive: (
        Annotated[
            Text,
            AfterValidator(_archive_folder),
            WithJsonSchema(
                {
                    "type": "string",
                    "description": (
                        "Where the archived source texts live, relative to the data folder (default: archive)."
                    ),
                    "examples": ["archive", "../sources-archive"],
                }
            ),
        ]
        | None
    ) = None


RECORD_MODELS: dict[str, type[Model]] = {
    "actors": Actor,
    "events": Event,
    "questions": Question,
    "places": Place,
    "sources": Source,
}
assert tuple(RECORD_MODELS) == COLLECTIONS


def _check_order(start: PartialDate | None, end: PartialDate | None, first: str, second: str) -> PartialDate | None:
    """An end may not lie wholly before its start; `2012-03` to `2012-03-01` overlap, so they pass.

    Checked on the end field (the start is validated first), so the error points at the end date
    and is reported even when other fields of the same record are wrong."""
    if start is not None and end is not None and end.last_day < start.first_day:
        raise ValueError(f"ends ({end}) before it starts ({first}: {start})")
    return end


def known_keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]
