"""An organisation's countries of work are ISO 3166-1 alpha-2 codes: anything else is refused
naming the value and nothing is saved; the country lists for forms are sorted by name."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from justicework.core import actions
from justicework.core.countries import country_choices
from justicework.core.models import Organisation, validate_country_codes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("UA", "must be a list of ISO 3166-1 alpha-2 codes"),
        (["UA", "XX"], "'XX' is not an ISO 3166-1 alpha-2 country code"),
        (["UKR"], "'UKR' is not an ISO 3166-1 alpha-2"),
        ([7], "7 is not an ISO 3166-1 alpha-2"),
    ],
)
def test_anything_but_a_list_of_alpha_2_codes_is_refused(value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_country_codes(value)
    assert message in " ".join(caught.value.messages)


def test_an_unknown_country_leaves_the_organisation_unchanged(cast: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        actions.update_organisation(cast.admin, cast.acme, countries=["UA", "ZZ"])
    assert Organisation.objects.get(pk=cast.acme.pk).countries == ["GE", "UA"]


def test_an_organisation_names_its_countries_in_english(cast: SimpleNamespace) -> None:
    assert cast.acme.country_names() == ["Georgia", "Ukraine"]


def test_country_choices_are_sorted_by_their_name_in_the_active_language() -> None:
    with translation.override("fr"):
        choices = country_choices()
    names = [name for _code, name in choices]
    assert names == sorted(names, key=str.casefold)
    assert ("DE", "Allemagne") in choices


def test_country_choices_lead_with_the_blank_choice_when_asked() -> None:
    with translation.override("en"):
        choices = country_choices(blank="—")
    assert choices[0] == ("", "—")
    assert len(choices) == len(country_choices()) + 1
