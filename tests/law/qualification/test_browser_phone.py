"""The qualification page at phone width (360 px) in English and in Arabic (right to left), in
a real browser (Debian's chromium through Playwright): nothing wider than the screen, crime
ids kept in their order, and a decision made from the page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from justicework.law.models import Qualification
from tests.violations.test_browser import CHROMIUM, LAUNCH_ARGS, _sign_in_with_totp
from tests.violations.test_browser_phone import MEASURE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") or shutil.which("chromium-browser"))
        and os.environ.get("CI", "").lower() != "true",
        reason="chromium is not installed (apt-get install chromium); CI fails instead",
    ),
]


@pytest.fixture
def phone(live_server: Any, transactional_db: None, monkeypatch: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_page_fits_a_phone_and_decides(
    phone: Any, live_server: Any, cast: Any, world: Any, language: str
) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.analyst, secret)
    page = phone
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    _sign_in_with_totp(page, base, cast.analyst.email, cast.password, secret)
    url = base + reverse("law:violation_qualification", args=[world.killing.pk])
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    found = page.evaluate(MEASURE)
    assert found["extra"] <= 0 and found["scrolled"] == 0, found
    shots = os.environ.get("JW_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"qualification-{language}.png"), full_page=True)
    # A crime id keeps its characters in order in either direction.
    assert page.inner_text("#crime-1 h3 bdi") == "8(2)(a)(i)"

    page.fill("#note-1", "The victims were civilians in the market.")
    with page.expect_navigation():
        page.click("#crime-1 button[value='accept']")
    item = Qualification.objects.get()
    assert (item.crime_id, item.status, item.analyst_id) == (
        "8(2)(a)(i)",
        "accepted",
        cast.analyst.pk,
    )
