"""In a real browser at phone width (360 px), in English and Arabic: a programme officer
creates a call through the editor, adds a criterion and a question and publishes it; then a
visitor registers their organisation and reads the call, its dates also in their own zone.
No page is wider than the screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from justicework.grants.models import Call, LegalEntity, Programme
from tests.violations.test_browser_phone import (  # noqa: F401 - the fixture, by name
    _too_wide,
    phone,
    pytestmark,
)

TITLES = {"en": "Support to survivor-led groups", "ar": "دعم المجموعات التي يقودها الناجون"}


def _sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", password)
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/")


def _row(page: Any, kind: str) -> Any:
    return page.locator(f"form:has(input[name='kind'][value='{kind}'])").last


def _officer_publishes(page: Any, base: str, programme: Programme) -> Call:
    page.goto(base + reverse("grants:call_manage"))
    page.click(f"a[href='{reverse('grants:call_create', args=[programme.pk])}']")
    page.fill("#id_title_en", TITLES["en"])
    page.fill("#id_title_ar", TITLES["ar"])
    page.fill("#id_text_en", "Small grants for documentation led by survivors.")
    page.select_option("#id_countries", ["UA", "IQ"])
    page.check("input[name='recipient_categories'][value='survivor_led']")
    page.check("input[name='legal_forms'][value='ngo']")
    for field, value in (("budget", "200000"), ("amount_min", "5000"), ("amount_max", "30000")):
        page.fill(f"#id_{field}", value)
    page.select_option("#id_time_zone", "Asia/Baghdad")
    now = timezone.now()
    page.fill("#id_opens_at", (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_closes_at", (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#activity-code-1", "documentation")
    page.fill("#activity-1-en", "Documentation")
    page.locator("form.grants-form button[type='submit']").click()
    page.wait_for_url("**/rows/")
    call = Call.objects.get()
    criterion = _row(page, "criterion")
    criterion.locator("[name='criterion-new-code']").fill("leadership")
    criterion.locator("[name='criterion-new-title_en']").fill("Led by survivors")
    criterion.locator("[name='criterion-new-weight']").fill("2")
    criterion.locator("button[value='save']").click()
    page.wait_for_url("**/rows/")
    question = _row(page, "question")
    question.locator("[name='question-new-code']").fill("plan")
    question.locator("[name='question-new-prompt_en']").fill("What will you do?")
    question.locator("button[value='save']").click()
    page.wait_for_url("**/rows/")
    page.click("button[name='go'][value='published']")
    page.wait_for_url("**/rows/")
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED, page.content()
    return call


def _visitor_registers(page: Any, base: str) -> None:
    page.goto(base + reverse("grants:call_list"))
    page.click(f"main a[href='{reverse('grants:register')}']")
    page.fill("#id_display_name", "Layla")
    page.fill("#id_email", "layla@mosul-voices.test")
    page.fill("#id_password", "a long passphrase for Mosul 2026")
    page.fill("#id_legal_name", "Mosul Survivors Voices")
    page.select_option("#id_legal_form", "ngo")
    page.select_option("#id_country", "IQ")
    page.fill("#id_registration_number", "IQ-5521-77")
    page.check("input[name='categories'][value='survivor_led']")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(f"{base}{reverse('grants:call_list')}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_officer_publishes_and_a_visitor_registers_and_reads(
    phone: Any,  # noqa: F811 - the fixture
    live_server: Any,
    cast: Any,
    language: str,
) -> None:
    base = live_server.url
    programme = Programme.objects.create(
        organisation=cast.acme, name="Survivor fund", currency="EUR"
    )
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    _sign_in(phone, base, cast.officer.email, cast.password)
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    call = _officer_publishes(phone, base, programme)
    staff_pages = [
        reverse("grants:call_manage"),
        reverse("grants:call_edit", args=[call.pk]),
        reverse("grants:call_items", args=[call.pk]),
        reverse("grants:call_detail", args=[call.pk]),
    ]
    assert _too_wide(phone, base, staff_pages) == []

    phone.context.clear_cookies()
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    assert _too_wide(phone, base, [reverse("grants:call_list"), reverse("grants:register")]) == []
    _visitor_registers(phone, base)
    assert LegalEntity.objects.get().identity_key == "IQ:IQ552177"
    phone.click(f"a[href='{reverse('grants:call_detail', args=[call.pk])}']")
    assert phone.locator("h1").inner_text().strip() == TITLES[language]
    assert "Asia/Baghdad" in phone.locator("main").inner_text()
    local = phone.locator(".grants-local").first
    assert local.is_visible() and local.inner_text().strip() != ""
    assert _too_wide(phone, base, [reverse("grants:call_detail", args=[call.pk])]) == []
