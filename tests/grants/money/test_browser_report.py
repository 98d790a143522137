"""In a real browser at phone width (360 px), in English and in Arabic (right to left): the
grantee writes and submits a report on their award, the programme officer approves it, and the
tranche tied to the report becomes due. No page is wider than the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from justicework.grants import actions_money as money
from justicework.grants import actions_money_reports as reports
from tests.conftest import totp_code
from tests.grants.conftest import make_applicant, make_call
from tests.grants.money.conftest import make_award
from tests.violations.test_browser_phone import (  # noqa: F401 - the fixture, by name
    _too_wide,
    phone,
    pytestmark,
)


def _sign_in(page: Any, base: str, email: str, password: str, secret: str | None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", password)
    page.locator("main form button[type='submit']").first.click()
    if secret is not None:
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        page.fill("input[name='code']", totp_code(secret))
        page.locator("main form button[type='submit']").first.click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_grantee_reports_officer_approves_next_tranche_due(
    phone: Any,  # noqa: F811 - the fixture imported by name
    live_server: Any,
    cast: Any,
    language: str,
) -> None:
    from justicework.grants.models import Programme

    programme = Programme.objects.create(organisation=cast.acme, name="Fund", currency="EUR")
    grantee = make_applicant(f"Kharkiv Voices {language}")
    award = make_award(make_call(programme), grantee.entity, language=language)
    due = timezone.localdate() + dt.timedelta(days=20)
    report = reports.schedule_report(None, award, kind="financial", title="Q1", due_on=due)
    money.add_tranche(None, award, amount="24000", condition="signature")
    money.add_tranche(None, award, amount="16000", condition="report", report=report)
    base = live_server.url
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])

    _sign_in(phone, base, grantee.user.email, cast.password, None)
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    write = reverse("grants:report_write", args=[report.pk])
    assert _too_wide(phone, base, [reverse("grants:award_detail", args=[award.pk]), write]) == []
    phone.goto(base + write)
    phone.fill("#narrative", "تدريب 54 شخصا" if language == "ar" else "We trained 54 people.")
    line = award.application.budget_lines.order_by("order").first()
    phone.fill(f"#spent-{line.pk}", "12000")
    phone.fill("#r-0-indicator", "people_trained")
    phone.fill("#r-0-value", "54")
    phone.fill("#r-0-unit", "people")
    phone.select_option("#r-0-sex", "female")
    phone.locator("button[name='step'][value='submit']").click()
    phone.wait_for_url(f"**{reverse('grants:award_detail', args=[award.pk])}")

    phone.context.clear_cookies()
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    secret = generate_totp_secret()
    TOTP.activate(cast.officer, secret)
    _sign_in(phone, base, cast.officer.email, cast.password, secret)
    review = reverse("grants:report_review", args=[report.pk])
    assert _too_wide(phone, base, [review, reverse("grants:award_detail", args=[award.pk])]) == []
    phone.goto(base + review)
    phone.fill("textarea[name='comment']", "Thank you")
    phone.locator("button[name='decision'][value='approve']").click()
    phone.wait_for_url(f"**{reverse('grants:award_detail', args=[award.pk])}")
    status = phone.locator("#tranche-2 [data-status]").get_attribute("data-status")
    assert status == "due"
    assert phone.locator("#tranche-1 [data-status]").get_attribute("data-status") == "pending"
