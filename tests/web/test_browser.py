"""A real browser (Debian's chromium via Playwright) against the live server: the strict CSP
lets htmx and the stylesheet work, HTMX posts carry the CSRF token, Arabic lays out right to
left. Skipped when chromium is not installed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    # Without chromium: skipped outside CI, failed in CI (.ci/run installs it).
    pytest.mark.skipif(
        CHROMIUM is None and os.environ.get("CI", "").lower() != "true",
        reason="chromium is not installed (apt-get install chromium)",
    ),
]


@pytest.fixture
def page(live_server: Any, transactional_db: None, monkeypatch: Any) -> Iterator[Any]:
    # Playwright runs an event loop; scoped to this test so it never leaks into subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.console_errors = errors  # type: ignore[attr-defined]  # collected for the assertions

        def on_console(message: Any) -> None:
            if message.type == "error":
                errors.append(message.text)

        page.on("console", on_console)
        yield page
        browser.close()


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_htmx_chain_check_works_under_the_csp(page, live_server, cast) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=cast.admin, type=Authenticator.Type.TOTP, data={})
    _sign_in(page, live_server, cast.admin)
    page.goto(f"{live_server.url}/organisations/{cast.acme.pk}/audit/")
    assert page.evaluate("typeof window.htmx") == "object"
    color = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert color == "rgb(11, 79, 138)"  # app.css loaded
    page.click("#audit-verify button")
    page.wait_for_selector(".badge--ok")
    assert "is intact" in page.inner_text("#audit-verify")
    assert page.url.endswith("/audit/")  # swapped in place, no navigation
    assert page.console_errors == []


def test_switching_to_arabic_lays_out_right_to_left(page, live_server, cast) -> None:
    _sign_in(page, live_server, cast.viewer)
    page.goto(f"{live_server.url}/")
    page.select_option("#set-language", "ar")
    page.click("form[action='/i18n/setlang/'] button")
    page.wait_for_selector("html[dir='rtl']")
    assert page.inner_text("h1") == "لوحة المعلومات"
    main_box = page.evaluate(
        "(() => { const h = document.querySelector('h1').getBoundingClientRect();"
        " return [h.right, document.documentElement.clientWidth]; })()"
    )
    right, width = main_box
    assert right > width / 2  # the heading hugs the right-hand side
    assert page.console_errors == []
