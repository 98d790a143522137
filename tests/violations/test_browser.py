"""A documenter, in a real browser (Debian's chromium through Playwright) against the live
server: signs in through the login form with a TOTP second factor, records an incident in
Russian with two violations through the forms, switches the interface to Russian and finds the
incident by searching for a Russian word. The strict CSP stays on throughout."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.violations import actions
from justicework.violations.models import Incident, Violation
from tests.conftest import totp_code

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    # Without chromium: skipped outside CI, failed in CI (.ci/run installs it).
    pytest.mark.skipif(
        CHROMIUM is None and os.environ.get("CI", "").lower() != "true",
        reason="chromium is not installed (apt-get install chromium)",
    ),
]

TITLE = "Обстрел рынка в Херсоне"
DESCRIPTION = "Снаряды попали в торговые ряды утром."


@pytest.fixture
def page(live_server: Any, transactional_db: None, monkeypatch: Any) -> Iterator[Any]:
    # Playwright runs an event loop; scoped to this test so it never leaks into subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.problems = problems  # type: ignore[attr-defined]  # collected for the assertions
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        yield page
        browser.close()


def _sign_in_with_totp(page: Any, base: str, email: str, password: str, secret: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", password)
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name='code']", totp_code(secret))
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/")


def test_documenter_records_an_incident_in_russian_and_finds_it_by_search(
    page: Any, live_server: Any, cast: Any
) -> None:
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    # The incident, through the create form.
    page.click("nav.site-nav a[href='/incidents/']")
    page.click("a[href='/incidents/new/']")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", DESCRIPTION)
    page.select_option("#id_country", "UA")
    page.fill("#id_start_date", "2023-05-04")
    page.select_option("#id_context", "iac")
    page.fill("#id_place_name", "Херсон")
    page.fill("#id_latitude", "46.635")
    page.fill("#id_longitude", "32.617")
    page.click("button[name='save']")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == TITLE
    incident = Incident.objects.get(title=TITLE)
    assert incident.status == Incident.Status.DOCUMENTED

    # Two violations, through the violation form ("save and add another", then "save").
    page.click(f"a[href='/incidents/{incident.pk}/violations/new/']")
    page.select_option("#id_type", "arbitrary_detention")
    page.fill("#id_description", "Задержан на блокпосту.")
    page.click("button[name='add_another']")
    page.wait_for_url(f"**/incidents/{incident.pk}/violations/new/")
    page.select_option("#id_type", "torture")
    page.select_option("#id_victim_outcome", "released")
    page.click("button[name='save']")
    page.wait_for_url(f"**/incidents/{incident.pk}/")
    assert page.locator("ol.timeline > li").count() == 2
    assert sorted(Violation.objects.filter(incident=incident).values_list("type", flat=True)) == [
        "arbitrary_detention",
        "torture",
    ]
    # Descriptions stay folded until asked for.
    details = page.locator("details.graphic").first
    assert not details.evaluate("d => d.open")
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    # The incident's place is on the map (no tile server configured: markers only).
    page.wait_for_selector("#incident-map .leaflet-interactive")

    # Another incident, so that the search has something to leave out.
    actions.create_incident(
        cast.documenter, cast.acme, title="Задержания в Мелитополе", date_precision="unknown"
    )

    # The interface in Russian, then a search for a Russian word.
    page.select_option("#set-language", "ru")
    page.click("form[action='/i18n/setlang/'] button")
    page.wait_for_selector("html[lang='ru']")
    page.click("nav.site-nav a[href='/incidents/']")
    results = page.locator("#incident-results")
    results.get_by_role("link", name="Задержания в Мелитополе").wait_for()
    page.fill("#id_q", "рынка")
    page.press("#id_q", "Enter")
    page.wait_for_url("**/incidents/?q=*")  # htmx pushed the search into the address bar
    results.get_by_role("link", name="Задержания в Мелитополе").wait_for(state="detached")
    assert results.get_by_role("link", name=TITLE).is_visible()
    assert page.locator("html").get_attribute("lang") == "ru"

    # A word that is nowhere gives no result.
    page.fill("#id_q", "вертолёт")
    page.press("#id_q", "Enter")
    results.get_by_role("link", name=TITLE).wait_for(state="detached")
    assert page.problems == []  # no CSP violation, no script error
