"""The reader's words and colours cover every value the format allows, and nothing else."""

from __future__ import annotations

import typing

import pytest

from explainer.checking import models
from explainer.core import wording

VOCABULARIES = [
    (models.EventKind, wording.EVENT_KINDS),
    (models.EventKind, wording.EVENT_KIND_COLOURS),
    (models.ActorKind, wording.ACTOR_KINDS),
    (models.ActorKind, wording.ACTOR_KIND_PLURALS),
    (models.ActorKind, wording.ACTOR_KIND_COLOURS),
    (models.ParticipantRole, wording.PARTICIPANT_ROLES),
    (models.RelationKind, wording.RELATIONS),
    (models.RelationKind, wording.RELATIONS_REVERSED),
    (models.Measure, wording.MEASURES),
    (models.Qualifier, wording.QUALIFIERS),
    (models.SourceKind, wording.SOURCE_KINDS),
]


@pytest.mark.parametrize(("literal", "words"), VOCABULARIES)
def test_every_allowed_value_has_its_words(literal: object, words: dict[str, str]) -> None:
    assert set(words) == set(typing.get_args(literal))


def test_stance_words_cover_the_values_and_no_position() -> None:
    assert set(wording.STANCES) == {*typing.get_args(models.StanceValue), "none"}
    assert set(wording.STANCE_COLOURS) == set(wording.STANCES)


def test_orders_list_every_value_once() -> None:
    assert sorted(wording.PARTICIPANT_ROLE_ORDER) == sorted(typing.get_args(models.ParticipantRole))
    assert sorted(wording.MEASURE_ORDER) == sorted(typing.get_args(models.Measure))


def test_sentences() -> None:
    assert wording.plural(1, "event") == "1 event"
    assert wording.plural(1200, "person", "people") == "1,200 people"
    assert wording.mid_sentence("The uprising in Deraa") == "the uprising in Deraa"
    assert wording.mid_sentence("UN observers arrive") == "UN observers arrive"
    assert wording.label(wording.EVENT_KINDS, "un-vote") == "UN vote"
