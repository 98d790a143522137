"""Country names follow the UI language in the violations pages and the filter form."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation

from justicework.violations.forms import country_choices
from justicework.violations.templatetags.violations_ui import country_name

from .conftest import make_incident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Ukraine"), ("fr", "Ukraine"), ("es", "Ucrania"), ("ru", "Украина")],
)
def test_country_name_is_in_the_active_language(language: str, name: str) -> None:
    with translation.override(language):
        assert country_name("UA") == name
        assert ("UA", name) in country_choices()


def test_arabic_names_and_unknown_codes() -> None:
    with translation.override("ar"):
        assert country_name("UA") not in ("", "Ukraine")
        assert country_name("ZZ") == "ZZ"
        choices = country_choices()
        assert [label for _code, label in choices[1:]] == sorted(
            (label for _code, label in choices[1:]), key=str.casefold
        )


def test_incident_list_shows_the_country_in_russian(cast, client) -> None:
    make_incident(cast.acme, title="Shelling of the depot", country="UA")
    user = cast.documenter
    if user.requires_mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    with translation.override("ru"):
        page = client.get(reverse("violations:incident_list"), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Украина" in page.content.decode()
