"""Participation, information and the survivor page at phone width (360 px) in English and
Arabic, in a real browser: no page is wider than the screen; the survivor page works with
JavaScript switched off (a basic phone): the code opens it and a use is withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.models import ConsentDecision
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give
from tests.violations.test_browser import _sign_in_with_totp
from tests.violations.test_browser_phone import _too_wide, phone, pytestmark  # noqa: F401


@pytest.mark.parametrize("language", ["en", "ar"])
def test_participation_pages_and_survivor_page_fit_a_phone(
    phone: Any,  # noqa: F811 - the imported fixture, requested by name
    live_server: Any,
    cast: Any,
    settings: Any,
    language: str,
) -> None:
    settings.SURVIVORS_PAGE = True
    actions.set_survivor_page(cast.admin, cast.acme, True)
    person = violations_actions.create_person(None, cast.acme, full_name="Mariam Haddad")
    file = actions.open_survivor_file(cast.coordinator, person, preferred_language=language)
    give(cast.coordinator, file, Scope.DOCUMENTATION, Scope.FOLLOW_UP)
    give(cast.coordinator, file, Scope.LEGAL_PROCEEDINGS, qualifier="International Criminal Court")
    long_text = "تدابير حماية طويلة جدا " * 30
    actions.record_participation(
        cast.coordinator, file,
        actions.Wish("yes", ("icc", "other"), "المحكمة الخاصة", {"measures_requested": long_text}),
    )  # fmt: skip
    actions.record_application(cast.coordinator, file, actions.Application("icc", "submitted"))
    actions.record_information(
        cast.coordinator, file, what="موعد الجلسة " * 40, how="phone", for_survivor=True,
        given_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    _code, typed = actions.issue_page_code(cast.coordinator, file)
    secret = generate_totp_secret()
    TOTP.activate(cast.coordinator, secret)
    page = phone
    cookie = [{"name": "django_language", "value": language, "url": live_server.url}]
    page.context.add_cookies(cookie)
    _sign_in_with_totp(page, live_server.url, cast.coordinator.email, cast.password, secret)
    paths = [
        reverse("survivors:participation", args=[person.pk]),
        reverse("survivors:information", args=[person.pk]),
        reverse("survivors:not_updated"),
    ]
    assert _too_wide(page, live_server.url, paths) == []

    # the survivor, on a phone without JavaScript and without an account
    browser = page.context.browser
    survivor = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False
    ).new_page()
    survivor.goto(live_server.url + reverse("survivor_page:enter"))
    survivor.fill("#id_code", typed)
    survivor.locator("main form button[type='submit']").click()
    assert survivor.url.endswith(reverse("survivor_page:home"))
    assert "Mariam" not in survivor.content()
    assert _too_wide(survivor, live_server.url, [reverse("survivor_page:home")]) == []
    assert survivor.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    survivor.locator("form:has(input[value='legal_proceedings']) button").click()
    assert survivor.url.endswith(reverse("survivor_page:home"))
    withdrawn = ConsentDecision.objects.filter(answer="withdrawn", scope="legal_proceedings")
    assert withdrawn.count() == 1
