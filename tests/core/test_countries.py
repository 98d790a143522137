"""``core.countries``: a country named in the requested or active language, an unknown code
shown as it is, and the choices sorted by their names in that language."""

from __future__ import annotations

from django.utils import translation

from justicework.core.countries import country_choices, country_name


def test_a_country_is_named_in_the_language_asked_for():
    assert country_name("DE", "en") == "Germany"
    assert country_name("de", "fr") == "Allemagne"
    assert country_name("DE", "fr-ca") == "Allemagne"


def test_a_country_is_named_in_the_active_language_by_default():
    with translation.override("fr"):
        assert country_name("UA") == "Ukraine"
        assert country_name("GE") == "Géorgie"
    with translation.override("en"):
        assert country_name("GE") == "Georgia"


def test_an_unknown_code_is_shown_as_it_is():
    assert country_name("XX", "fr") == "XX"
    assert country_name("", "en") == ""


def test_the_choices_follow_the_active_language_and_lead_with_the_blank():
    with translation.override("fr"):
        french = dict(country_choices())
        blank, *rest = country_choices(blank="—")
    assert french["DE"] == "Allemagne"
    assert blank == ("", "—") and len(rest) == len(french)
    with translation.override("en"):
        assert dict(country_choices())["DE"] == "Germany"
