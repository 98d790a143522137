"""Applying in a real browser at phone width (360 px), in English and in Arabic (right to left):
a grantee starts an application, its answers save as they are written (a reload shows them),
adds a budget line (totals come back from the server), attaches a declaration of honour (a PDF
made with fpdf2) and submits. No page is wider than the screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from playwright.sync_api import expect

from justicework.grants.models import Application
from tests.conftest import PASSWORD
from tests.grants.applications.conftest import pdf_bytes
from tests.violations.test_browser import _sign_in_with_totp
from tests.violations.test_browser_phone import (  # noqa: F401 - the fixture, by name
    _too_wide,
    phone,
    pytestmark,
)


def _autosave(page: Any, selector: str, value: str) -> None:
    page.locator("#saved-status").evaluate("element => { element.textContent = ''; }")
    page.fill(selector, value)
    page.locator(selector).blur()
    expect(page.locator("#saved-status")).to_contain_text(":")  # "Saved at 21:04:05"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_grantee_applies_on_a_phone(
    phone: Any,  # noqa: F811
    live_server: Any,
    open_call: Any,
    applicant: Any,
    language: str,
) -> None:
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(applicant.user, secret)
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    _sign_in_with_totp(phone, base, applicant.user.email, PASSWORD, secret)
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")

    start = reverse("grants:application_start", args=[open_call.pk])
    assert _too_wide(phone, base, [start]) == []
    phone.fill("#title", "Documenting detention in Kharkiv oblast")
    phone.locator("main form button[type='submit']").click()
    phone.wait_for_url("**/grants/applications/*/")
    application = Application.objects.get()
    editor = reverse("grants:application_detail", args=[application.pk])

    _autosave(phone, "#id-q-summary", "We interview former detainees and keep their accounts.")
    _autosave(phone, "#id-q-staff", "4")
    phone.reload()
    assert phone.input_value("#id-q-summary").startswith("We interview former detainees")
    assert phone.input_value("#id-q-staff") == "4"

    phone.select_option("#line-activity", "documentation")
    phone.select_option("#line-category", "staff")
    phone.fill("#line-amount", "20000")
    # amounts are written the language's way (a decimal comma in Arabic)
    expect(phone.locator("#budget-preview")).to_contain_text(re.compile(r"20000[.,]00"))
    phone.locator("form[action$='/budget/'] button[type='submit']").click()
    expect(phone.locator("#budget-total")).to_contain_text(re.compile(r"20000[.,]00 EUR"))

    phone.select_option("#attachment-kind", "declaration")
    phone.set_input_files(
        "#attachment-file",
        {"name": "declaration.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
    )
    phone.locator("form[action$='/attachments/'] button[type='submit']").click()
    phone.wait_for_selector("#attachments a:has-text('declaration.pdf')")
    assert _too_wide(phone, base, [editor]) == []

    phone.locator("a[href$='/submit/']").click()
    phone.wait_for_url("**/submit/")
    phone.locator("main form.grants-form button[type='submit']").click()
    phone.wait_for_url(f"**{editor}")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.answers == {
        "summary": "We interview former detainees and keep their accounts.",
        "staff": "4",
    }
