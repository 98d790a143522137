"""The consent pages at phone width (360 px) in English and Arabic (right to left), in a real
browser: no page is wider than the screen; a coordinator records consent, withdraws one use and
the person's page shows it."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give
from tests.violations.test_browser import _sign_in_with_totp
from tests.violations.test_browser_phone import _too_wide, phone, pytestmark  # noqa: F401


@pytest.mark.parametrize("language", ["en", "ar"])
def test_consent_pages_fit_a_phone(
    phone: Any,  # noqa: F811 - the imported fixture, requested by name
    live_server: Any,
    cast: Any,
    language: str,
) -> None:
    person = violations_actions.create_person(None, cast.acme, full_name="Mariam Haddad")
    file = actions.open_survivor_file(cast.coordinator, person)
    give(cast.coordinator, file, Scope.DOCUMENTATION, conditions="بشرط عدم ذكر اسم قريتي")
    give(cast.coordinator, file, Scope.LEGAL_PROCEEDINGS, qualifier="International Criminal Court")
    sheet = actions.create_information_sheet(
        cast.coordinator, cast.acme, language="ar", title="ورقة معلومات الموافقة", body="نص " * 200
    )
    secret = generate_totp_secret()
    TOTP.activate(cast.coordinator, secret)
    page = phone
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    _sign_in_with_totp(page, live_server.url, cast.coordinator.email, cast.password, secret)
    paths = [
        reverse("survivors:consent", args=[person.pk]),
        reverse("violations:person_detail", args=[person.pk]),
        reverse("survivors:sheet_list"),
        reverse("survivors:sheet_print", args=[sheet.pk]),
    ]
    assert _too_wide(page, live_server.url, paths) == []
    page.goto(live_server.url + paths[0])
    page.select_option("#id_withdraw-scope", "legal_proceedings")
    page.fill("#id_withdraw-qualifier", "International Criminal Court")
    page.fill("#id_withdraw-language", "ar")
    page.locator(
        f"form[action='{reverse('survivors:consent_withdraw', args=[person.pk])}'] button"
    ).click()
    page.goto(live_server.url + paths[1])
    assert page.locator("#consent .badge--error").count() == 1
