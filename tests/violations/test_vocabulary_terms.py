"""Types of act as documenters use them: an act with narrower terms (killing) can be recorded
when the precise act is unknown, in the form and in the importer; neutral, not yet qualified
terms exist beside the legal qualifications; groupings are refused with the acts they hold."""

from __future__ import annotations

import pytest
from django.utils import translation

from justicework.violations import vocabularies
from justicework.violations.forms.common import violation_type_choices
from justicework.violations.io_fields import violation_type

LANGUAGES = ["en", "fr", "es", "ru", "ar"]
TYPES = vocabularies.get("violation_types")


@pytest.mark.parametrize("term", TYPES.selectable(), ids=lambda t: t.code)
def test_every_act_imports_by_its_code_and_its_label_in_each_language(term) -> None:
    parse = violation_type()
    assert parse(term.code) == term.code
    for language in LANGUAGES:
        assert parse(term.labels[language]) == term.code, language


def test_killing_is_an_act_not_a_group_and_its_narrower_acts_stay_available() -> None:
    assert violation_type()("Killing") == "killing"
    assert TYPES.has_narrower("killing")
    assert {"extrajudicial_execution", "use_of_lethal_force"} <= set(TYPES.descendants("killing"))


@pytest.mark.parametrize("code", ["use_of_lethal_force", "detention"])
def test_neutral_terms_are_labelled_as_not_yet_qualified_in_every_language(code: str) -> None:
    term = TYPES.term(code)
    assert not term.extra.get("group")
    assert set(term.labels) == set(LANGUAGES)
    assert "not yet" in term.labels["en"]
    assert term.crimes  # what the facts may amount to, once qualified


@pytest.mark.parametrize("group", [t for t in TYPES if t.extra.get("group")], ids=str)
def test_a_grouping_is_refused_with_the_acts_it_holds(group) -> None:
    with pytest.raises(ValueError) as caught:
        violation_type()(group.labels["fr"])
    message = str(caught.value)
    assert "is a grouping of acts" in message
    for child in TYPES.children(group.code):
        assert child.code in message


def test_the_form_offers_killing_as_unspecified_with_its_narrower_acts_indented() -> None:
    with translation.override("en"):
        choices = dict(violation_type_choices(groups_selectable=False)[1:])
    life = choices["Violations of the right to life"]
    labels = dict(life)
    assert labels["killing"] == "Killing (act not specified)"
    assert labels["extrajudicial_execution"] == "\u2003Extrajudicial or summary execution"
    assert labels["attempted_killing"] == "Attempted killing"
    codes = [code for code, _label in life]
    assert (
        codes.index("killing")
        < codes.index("use_of_lethal_force")
        < codes.index("attempted_killing")
    )
    assert "right_to_life" not in codes


def test_the_filter_offers_groups_and_no_unspecified_wording() -> None:
    with translation.override("en"):
        choices = dict(violation_type_choices(groups_selectable=True)[1:])
    labels = dict(choices["Violations of the right to life"])
    assert labels["right_to_life"] == "Any: Violations of the right to life"
    assert labels["killing"] == "Killing"  # "killing" in a filter includes the narrower acts
