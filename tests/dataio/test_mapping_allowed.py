"""A vocabulary field exposes its allowed terms (``Field.allowed``): labels in the user's
language, every spelling the importer accepts, and the importer's own suggestions."""

from __future__ import annotations

from django.utils import translation

from justicework.dataio.parsers import choice
from justicework.dataio.schema import Allowed
from justicework.violations.io import ViolationSchema


def _field(name: str):  # type: ignore[no-untyped-def]
    return ViolationSchema().field_map()[name]


def test_every_vocabulary_field_of_violations_exposes_its_terms_and_free_fields_do_not() -> None:
    schema = ViolationSchema()
    with_terms = {f.name for f in schema.fields if f.allowed is not None}
    assert with_terms == {
        "context", "type", "method", "victim_outcome", "perpetrator_unit_kind",
        "perpetrator_involvement", "location_precision", "victim_status",
    }  # fmt: skip


def test_allowed_labels_follow_the_users_language() -> None:
    allowed = _field("type").allowed
    with translation.override("ru"):
        assert allowed.label("killing") == "Убийство"
    with translation.override("en"):
        assert allowed.label("killing") == "Killing"


def test_a_label_in_any_language_is_recognised_and_a_near_miss_gets_the_importers_suggestion() -> (
    None
):
    field = _field("type")
    assert field.allowed.match("УБИЙСТВО") == "killing"
    assert field.allowed.match("homicidio") == "killing"
    assert field.allowed.suggest("kiling")[0] == "killing"
    assert field.parse("Meurtre") == "killing"


def test_django_choices_accept_their_labels_in_every_language() -> None:
    field = _field("victim_outcome")
    code = field.allowed.terms[1][0]
    with translation.override("fr"):
        french = field.allowed.label(code)
    assert french == "Libéré·e"
    with translation.override("en"):
        assert field.parse(french) == code
        assert field.allowed.match(french) == code


def test_groupings_are_not_offered_as_types_of_act() -> None:
    codes = {code for code, _label in _field("type").allowed.terms}
    assert {"killing", "killing_in_attack"} <= codes
    assert "right_to_life" not in codes


def test_allowed_suggests_as_the_choice_parser_refuses() -> None:
    terms = {"red": "red", "green": "green", "rouge": "red"}
    allowed = Allowed((("red", "Red"), ("green", "Green")), terms)
    parse = choice(terms)
    try:
        parse("gren")
    except ValueError as exc:
        assert "Did you mean: green" in str(exc)
    assert allowed.suggest("gren") == ["green"]
    assert allowed.match("ROUGE") == "red" and allowed.label("red") == "Red"
