"""The words and colours readers see for the format's fixed vocabularies, defined once.

Pages, charts, the feed and the open-data notes all ask here, so the published site never
calls one thing by two names ("UN vote" on a page and a chart alike). The keys are the values
the data format allows (`explainer.checking.models`); a test checks that every allowed value
has its words here. British spelling, sentence case; `lower()` of a label is what a sentence
uses ("the most common kind is military operation").
"""

from __future__ import annotations

EVENT_KINDS = {
    "massacre": "Massacre",
    "military-operation": "Military operation",
    "bombing": "Bombing",
    "protest": "Protest",
    "diplomacy": "Diplomacy",
    "un-vote": "UN vote",
    "statement": "Statement",
    "sanction": "Sanction",
    "defection": "Defection",
    "appointment": "Appointment",
    "other": "Other",
}
# Colours readable on white and on Material's slate; every meaning has a symbol or a label too.
EVENT_KIND_COLOURS = {
    "massacre": "#c0392b",
    "military-operation": "#8e44ad",
    "bombing": "#d35400",
    "protest": "#2e86c1",
    "diplomacy": "#17a589",
    "un-vote": "#2874a6",
    "statement": "#7f8c8d",
    "sanction": "#b7950b",
    "defection": "#a04000",
    "appointment": "#1e8449",
    "other": "#5d6d7e",
}

ACTOR_KINDS = {
    "person": "Person",
    "state": "State",
    "organization": "Organisation",
    "armed-group": "Armed group",
    "community": "Community",
    "media": "Media",
}
ACTOR_KIND_PLURALS = {
    "person": "People",
    "state": "States",
    "organization": "Organisations",
    "armed-group": "Armed groups",
    "community": "Communities",
    "media": "Media",
}
ACTOR_KIND_COLOURS = {
    "person": "#2874a6",
    "state": "#c0392b",
    "organization": "#17a589",
    "armed-group": "#8e44ad",
    "community": "#b9770e",
    "media": "#7f8c8d",
}

PARTICIPANT_ROLES = {
    "perpetrator": "Perpetrator",
    "accused": "Accused",
    "target": "Target",
    "victim": "Victim",
    "mediator": "Mediator",
    "participant": "Participant",
    "speaker": "Speaker",
    "host": "Host",
}
# The order an event page lists its participants in.
PARTICIPANT_ROLE_ORDER = ("perpetrator", "accused", "target", "victim", "mediator", "host", "speaker", "participant")

# A relation read from the actor who holds it ("leads"), and from the other end ("led by").
RELATIONS = {
    "member-of": "member of",
    "leads": "leads",
    "allied-with": "allied with",
    "backs": "backs",
    "opposes": "opposes",
    "envoy-of": "envoy of",
    "speaks-for": "speaks for",
}
RELATIONS_REVERSED = {
    "member-of": "has as member",
    "leads": "led by",
    "allied-with": "allied with",
    "backs": "backed by",
    "opposes": "opposed by",
    "envoy-of": "has as envoy",
    "speaks-for": "spoken for by",
}

STANCES = {"for": "For", "against": "Against", "mixed": "Mixed", "none": "No position yet"}
STANCE_COLOURS = {"for": "#2471a3", "against": "#c0392b", "mixed": "#b9770e", "none": "#aab7b8"}
STANCE_MARKS = {"for": "+", "against": "−", "mixed": "±", "none": ""}

MEASURES = {
    "killed": "killed",
    "wounded": "wounded",
    "detained": "detained",
    "displaced": "displaced",
    "deployed": "deployed",
}
MEASURE_ORDER = ("killed", "wounded", "detained", "displaced", "deployed")
# How a number is qualified in a sentence: "at least 90", "about 108", "5".
QUALIFIERS = {"exactly": "", "about": "about ", "at-least": "at least ", "up-to": "up to "}

SOURCE_KINDS = {
    "news": "News",
    "opinion": "Opinion",
    "blog": "Blog",
    "statement": "Statement",
    "report": "Report",
    "document": "Document",
}

# What a record of each collection is called, one and many.
RECORD_NOUNS = {
    "actors": ("actor", "actors"),
    "events": ("event", "events"),
    "questions": ("question", "questions"),
    "places": ("place", "places"),
    "sources": ("source", "sources"),
}


def label(vocabulary: dict[str, str], value: str) -> str:
    """The reader's word for a value; an unknown value (never valid data) as itself, readable."""
    return vocabulary.get(value) or value.replace("-", " ").capitalize()


def number(value: int) -> str:
    """A count as readers write it: 1,234."""
    return f"{value:,}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 event", "3 events", "2 people" (with `many`)."""
    return f"{number(count)} {one if count == 1 else (many or one + 's')}"


def mid_sentence(title: str) -> str:
    """A title placed inside a generated sentence: its first letter lowered when the title
    starts with a common word ("The uprising" -> "the uprising"), never a name ("UN", "Kofi")."""
    first, _, rest = title.partition(" ")
    if first in {"The", "A", "An"} and rest:
        return first.lower() + " " + rest
    return title


# The map groups the eleven kinds of event into a few families, each with a colour from the
# Okabe-Ito palette (told apart with every common colour-vision deficiency) and its own
# marker shape, so no meaning rests on colour alone.
EVENT_FAMILIES = {
    "violence": "Violence",
    "protest": "Protests",
    "diplomacy": "Diplomacy and UN",
    "statement": "Statements",
    "pressure": "Sanctions and defections",
    "other": "Other",
}
EVENT_FAMILY_OF_KIND = {
    "massacre": "violence",
    "military-operation": "violence",
    "bombing": "violence",
    "protest": "protest",
    "diplomacy": "diplomacy",
    "un-vote": "diplomacy",
    "appointment": "diplomacy",
    "statement": "statement",
    "sanction": "pressure",
    "defection": "pressure",
    "other": "other",
}
EVENT_FAMILY_COLOURS = {
    "violence": "#d55e00",
    "protest": "#cc79a7",
    "diplomacy": "#0072b2",
    "statement": "#009e73",
    "pressure": "#e69f00",
    "other": "#8c8c8c",
}
EVENT_FAMILY_SYMBOLS = {
    "violence": "circle",
    "protest": "triangle-up",
    "diplomacy": "square",
    "statement": "diamond",
    "pressure": "pentagon",
    "other": "cross",
}
