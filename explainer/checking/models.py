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
    text: Markdown = Field(
        description="What was wrong and what changed, in a sentence or two.",
        examples=["The date was 2012-05-26; the massacre began on the 25th."],
    )


Corrections = Annotated[
    list[Correction],
    Field(
        default_factory=list,
        description="Fixes made to this record, oldest first; published on its page.",
        examples=[[{"date": "2012-06-02", "text": "Corrected the date of the first report."}]],
    ),
]


class Role(Model):
    """An office or position held, e.g. President of Syria."""

    title: Name = Field(description="The office or position.", examples=["President", "Special Envoy"])
    of: Ref | None = Field(None, description="The actor (organisation, state) the role is held in.", examples=["syria"])
    start: PartialDate | None = Field(None, alias="from", description="When the role began.", examples=["2000-07"])
    end: PartialDate | None = Field(
        None, alias="to", description="When the role ended (leave out while it lasts).", examples=["2012-08-02"]
    )
    sources: SourceRefs = Field(
        description="Ids of the sources that report the role.", examples=[["thejournal-idlib-assault-annan-talks"]]
    )

    @field_validator("end")
    @classmethod
    def _ordered(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        return _check_order(info.data.get("start"), end, "from", "to")


class Relation(Model):
    """How this actor stands to another: `leads`, `backs`, `opposes`..."""

    kind: RelationKind = Field(description="How this actor stands to the other one.", examples=["backs"])
    actor: Ref = Field(description="The other actor's id.", examples=["free-syrian-army"])
    start: PartialDate | None = Field(None, alias="from", description="When the relation began.", examples=["2011"])
    end: PartialDate | None = Field(
        None, alias="to", description="When it ended (leave out while it lasts).", examples=["2012-03"]
    )
    note: Markdown | None = Field(
        None, description="Optional context, in your own words.", examples=["Denied by both sides."]
    )
    sources: SourceRefs = Field(
        description="Ids of the sources that report it.", examples=[["thejournal-idlib-assault-annan-talks"]]
    )

    @field_validator("end")
    @classmethod
    def _ordered(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        return _check_order(info.data.get("start"), end, "from", "to")


class Actor(Model):
    """A person, state, organisation, armed group, community or media outlet."""

    collection: ClassVar[str] = "actors"
    name: Name = Field(description="The full name, with its accents.", examples=["Kofi Annan"])
    short_name: Name | None = Field(None, description="A short label for charts.", examples=["Annan"])
    kind: ActorKind = Field(description="What sort of actor this is.", examples=["person"])
    aliases: list[Name] = Field(
        default_factory=list, description="Other names; searchable.", examples=[["Kofi A. Annan"]]
    )
    summary: Markdown = Field(
        description="Who they are, in a few sentences of your own (Markdown).",
        examples=["Former UN Secretary-General, joint envoy for Syria in 2012."],
    )
    sources: OptionalSourceRefs = Field(
        default_factory=list,
        description="Ids of the sources about this actor.",
        examples=[["thejournal-idlib-assault-annan-talks"]],
    )
    roles: list[Role] = Field(
        default_factory=list,
        description="Offices or positions held, with dates.",
        examples=[
            [
                {
                    "title": "Joint Special Envoy",
                    "of": "united-nations",
                    "from": "2012-02",
                    "sources": ["thejournal-idlib-assault-annan-talks"],
                }
            ]
        ],
    )
    relations: list[Relation] = Field(
        default_factory=list,
        description="How this actor stands to others: leads, backs, opposes...",
        examples=[
            [{"kind": "envoy-of", "actor": "united-nations", "sources": ["thejournal-idlib-assault-annan-talks"]}]
        ],
    )
    corrections: Corrections

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Participant(Model):
    """An actor taking part in an event, and the part they played."""

    actor: Ref = Field(description="The actor's id.", examples=["syrian-army"])
    role: ParticipantRole = Field(description="The part the actor played in the event.", examples=["perpetrator"])


class Figure(Model):
    """A reported number: `value`, or a range `min` to `max`, as one party reported it."""

    measure: Measure = Field(description="What was counted.", examples=["killed"])
    value: Count | None = Field(None, description="The number reported (or give min and max).", examples=[108])
    min: Count | None = Field(None, description="The low end of a range reported (with max).", examples=[90])
    max: Count | None = Field(None, description="The high end of a range reported (with min).", examples=[110])
    qualifier: Qualifier = Field(
        "about", description="How exact the number is, as reported (default: about).", examples=["at-least"]
    )
    according_to: Ref | None = Field(
        None, description="The actor who reported the number.", examples=["united-nations"]
    )
    as_of: PartialDate | None = Field(
        None,
        description="The date the number refers to or was reported (default: the date of the source reporting it).",
        examples=["2012-05-27"],
    )
    sources: SourceRefs = Field(
        description="Ids of the sources that report the number.", examples=[["stand-damascus-bombing"]]
    )

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

    by: Ref = Field(description="The id of the actor who made the claim.", examples=["syrian-government"])
    text: Text = Field(
        description="What they claimed, in your own words.", examples=["Blamed armed groups for the killings."]
    )
    quote: Text | None = Field(
        None,
        description="Verbatim words, checked against the archived source.",
        examples=["We categorically deny any responsibility."],
    )
    sources: SourceRefs = Field(
        description="Ids of the sources that report the claim.", examples=[["stand-damascus-bombing"]]
    )


class Event(Model):
    collection: ClassVar[str] = "events"
    title: Name = Field(description="What happened, in a few words.", examples=["Houla massacre"])
    date: PartialDate
    end_date: PartialDate | None = Field(
        None, description="The last day, for an event lasting several days.", examples=["2012-05-26"]
    )
    kind: EventKind = Field(description="What sort of event this is.", examples=["massacre"])
    place: Ref | None = Field(None, description="The id of the place where it happened.", examples=["houla"])
    summary: Markdown = Field(
        description="What happened, in your own words (Markdown).",
        examples=["More than a hundred villagers were killed in Taldou."],
    )
    sources: SourceRefs = Field(
        description="Ids of the sources that report the event.", examples=[["stand-damascus-bombing"]]
    )
    actors: list[Participant] = Field(
        default_factory=list,
        description="Who took part, and how.",
        examples=[[{"actor": "syrian-army", "role": "accused"}]],
    )
    figures: list[Figure] = Field(
        default_factory=list,
        description="Numbers reported (killed, wounded...), each as one party reported it.",
        examples=[
            [
                {
                    "measure": "killed",
                    "value": 108,
                    "according_to": "united-nations",
                    "sources": ["stand-damascus-bombing"],
                }
            ]
        ],
    )
    claims: list[Claim] = Field(
        default_factory=list,
        description="Attributed statements: who said what, not what is true.",
        examples=[[{"by": "syrian-government", "text": "Blamed armed groups.", "sources": ["stand-damascus-bombing"]}]],
    )
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

    actor: Ref = Field(description="The id of the actor whose position this is.", examples=["russia"])
    stance: StanceValue = Field(description="The actor's position on the question at that date.", examples=["against"])
    date: PartialDate
    quote: Text | None = Field(
        None,
        description="The actor's own words, checked against the archived source.",
        examples=["We will not support any resolution that opens the way to intervention."],
    )
    according_to: Ref | None = Field(
        None,
        description="Who reports this position, when the stance has no quote of the actor's own.",
        examples=["associated-press"],
    )
    note: Markdown | None = Field(None, description="Optional context, in your own words.", examples=["Vetoed."])
    sources: SourceRefs = Field(
        description="Ids of the sources for this stance.", examples=[["thejournal-idlib-assault-annan-talks"]]
    )


class Question(Model):
    collection: ClassVar[str] = "questions"
    question: Name = Field(
        description="The contested question, as a question.", examples=["Should foreign powers intervene in Syria?"]
    )
    short_name: Name | None = Field(None, description="A short label for charts.", examples=["Intervention"])
    summary: Markdown = Field(
        description="Why the question matters, in your own words (Markdown).",
        examples=["Whether outside military force should be used to stop the killing."],
    )
    stances: Annotated[list[Stance], Field(min_length=1)] = Field(
        description="Each actor's position, one item per actor and date; a change of position is a new item.",
        examples=[[{"actor": "russia", "stance": "against", "date": "2012-02", "according_to": "associated-press",
                    "sources": ["thejournal-idlib-assault-annan-talks"]}]],
    )  # fmt: skip
    corrections: Corrections

    @property
    def label(self) -> str:
        return self.short_name or self.question


class Place(Model):
    collection: ClassVar[str] = "places"
    name: Name = Field(description="The name as readers know it.", examples=["Houla"])
    kind: Name | None = Field(None, description="e.g. country, city, town, village, building", examples=["town"])
    lat: Latitude = Field(description="Latitude in decimal degrees (north positive).", examples=[34.89])
    lon: Longitude = Field(description="Longitude in decimal degrees (east positive).", examples=[36.53])
    within: Ref | None = Field(
        None, alias="in", description="The id of the place this one lies in.", examples=["homs-governorate"]
    )
    aliases: list[Name] = Field(
        default_factory=list, description="Other spellings of the name; searchable.", examples=[["Al-Houla"]]
    )
    corrections: Corrections


class Source(Model):
    collection: ClassVar[str] = "sources"
    title: Name = Field(description="The headline or document title.", examples=["Annan's six-point plan"])
    publisher: Name = Field(description="The publication or organisation.", examples=["BBC News"])
    date: PartialDate
    author: Name | None = Field(None, description="Who wrote it, when named.", examples=["Jim Muir"])
    url: Url | None = Field(
        None, description="Where it was published (http or https).", examples=["https://www.bbc.co.uk/news/"]
    )
    kind: SourceKind | None = Field(None, description="What sort of source this is.", examples=["news"])
    archive: ArchiveName | None = Field(
        None, description="A file in the archive folder holding the source's text.", examples=["thejournal-idlib.txt"]
    )
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
    title: Name = Field(description="The explainer's title, shown on every page.", examples=["Syria, 2012"])
    description: Name | None = Field(
        None,
        description="One sentence saying what the explainer covers (search results, link previews).",
        examples=["Who did what in Syria's 2012 crisis, and who says so."],
    )
    base_url: BaseUrl | None = Field(
        None,
        description="The published address, used in embeds, the feed and canonical links: "
        "a plain http(s) address such as https://example.org/explainer/.",
        examples=["https://example.org/explainer/"],
    )
    language: Annotated[
        str,
        AfterValidator(_language_tag),
        WithJsonSchema({"type": "string", "pattern": LANGUAGE_PATTERN, "default": "en"}),
    ] = Field("en", description="The language of the texts, a code such as en, fr or ar.", examples=["en"])
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
    ) = Field(None, description="The curated data's licence, an SPDX id such as CC-BY-4.0.", examples=["CC-BY-4.0"])
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
    ) = Field(
        None,
        description="Where the archived source texts live, relative to the data folder (default: archive).",
        examples=["archive"],
    )
    images: Literal["all", "site-wide"] = Field(
        "all",
        description="Which charts get images to publish (PNG and SVG, light and dark): all (default), "
        "or site-wide (the timeline, positions, tolls, network and map charts only; each actor's and "
        "question's chart then has its preview and no image downloads). A large explainer builds much faster.",
        examples=["site-wide"],
    )


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
