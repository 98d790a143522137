"""Issue 2's smoke test in a real browser (Debian's chromium via Playwright, live server):
an organisation admin — a role that must use MFA — signs in through the login form with the
password and a TOTP code, lands on the dashboard, and switches the interface to Arabic, which
lays the page out right to left. No console or CSP error on the way."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.conftest import totp_code

# The chromium fixture and skip/fail rules are shared with the violations browser test.
from tests.violations.test_browser import page, pytestmark  # noqa: F401


def test_admin_signs_in_with_totp_and_switches_to_arabic(
    page: Any,  # noqa: F811 - the imported fixture, requested by name
    live_server: Any,
    cast: Any,
) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.admin, secret)
    assert cast.admin.requires_mfa

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name='login']", cast.admin.email)
    page.fill("input[name='password']", cast.password)
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")

    # The password alone does not open the dashboard: it sends the browser back for the code.
    page.goto(f"{live_server.url}/")
    assert "/accounts/2fa/authenticate/" in page.url

    page.fill("input[name='code']", totp_code(secret))
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.inner_text("h1") == "Dashboard"
    assert page.get_attribute("html", "dir") == "ltr"

    page.select_option("#set-language", "ar")
    page.click("form[action='/i18n/setlang/'] button")
    page.wait_for_selector("html[dir='rtl']")
    assert page.get_attribute("html", "lang") == "ar"
    assert page.inner_text("h1") == "لوحة المعلومات"
    assert page.problems == []
