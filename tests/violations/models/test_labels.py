"""How records name themselves (admin lists, form choices): an act by its type's label in the UI
language, or its code when the vocabulary no longer has it."""

from __future__ import annotations

import pytest
from django.utils import translation

from justicework.violations import vocabularies
from justicework.violations.models import VictimGroup, Violation

LANGUAGES = ["en", "ar", "es", "fr", "ru"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_act_is_named_by_its_type_in_the_ui_language(language: str) -> None:
    act = Violation(type="torture")
    with translation.override(language):
        assert str(act) == vocabularies.label("violation_types", "torture", language)
        assert str(act) != "torture"
        assert act.type_label == str(act)


def test_an_act_of_a_retired_type_is_named_by_its_code() -> None:
    assert str(Violation(type="retired_code")) == "retired_code"


def test_a_victim_group_is_named_by_its_code_and_size() -> None:
    assert str(VictimGroup(code="G-7K2M", number_of_persons=12)) == "G-7K2M (12)"
