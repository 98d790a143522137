"""The quick exit in a real browser at 360 px, in English and Arabic: on every survivors page
it is on the screen; the button and Escape twice leave for the neutral site, and "back" does
not return to the page left (``location.replace``)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give
from tests.survivors.test_interviews import data
from tests.survivors.test_safety import safety
from tests.violations.test_browser import _sign_in_with_totp
from tests.violations.test_browser_phone import _too_wide, phone, pytestmark  # noqa: F401

ON_SCREEN = """() => {
  const box = document.querySelector("[data-quick-exit]").getBoundingClientRect();
  return box.left >= 0 && box.right <= window.innerWidth && box.top >= 0
    && box.bottom <= window.innerHeight && box.width > 0;
}"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_quick_exit_on_every_survivors_page_at_phone_width(
    phone: Any,  # noqa: F811 - the imported fixture, requested by name
    live_server: Any,
    cast: Any,
    settings: Any,
    language: str,
) -> None:
    neutral = live_server.url + "/static/justicework/favicon.svg"
    settings.SURVIVORS_QUICK_EXIT_URL = neutral
    person = violations_actions.create_person(None, cast.acme, full_name="Mariam Haddad")
    file = actions.open_survivor_file(cast.coordinator, person)
    give(cast.coordinator, file, Scope.DOCUMENTATION)
    actions.record_safety_assessment(cast.coordinator, file, safety())
    actions.record_interview(
        cast.coordinator, file, data(interpreter="Ivan", interpreter_gender="male")
    )
    sheet = actions.create_information_sheet(
        cast.coordinator, cast.acme, language="en", title="Sheet", body="Text " * 100
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
        reverse("survivors:safety", args=[person.pk]),
        reverse("survivors:sheet_list"),
        reverse("survivors:sheet_print", args=[sheet.pk]),
        reverse("survivors:interviews", args=[person.pk]),
        reverse("survivors:interview_report"),
    ]
    assert _too_wide(page, live_server.url, paths) == []
    for path in paths:
        page.goto(live_server.url + path)
        assert page.evaluate(ON_SCREEN), path
    start = live_server.url + reverse("violations:person_detail", args=[person.pk])
    page.goto(start)
    page.goto(live_server.url + paths[1])
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(neutral)
    page.go_back()
    page.wait_for_load_state()
    assert page.url == start  # the safety page was replaced in the history
    page.goto(live_server.url + paths[0])
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(neutral)
