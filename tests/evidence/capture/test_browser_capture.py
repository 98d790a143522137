"""Web capture in a real browser (Debian's chromium, as the other evidence browser tests): a
documenter gives the address of a page on the local test server, is taken to the capture's page
and sees its WARC's hash once the worker is done; a refused address is named on the form; then
both pages in the five languages at 360 px: no horizontal scroll, Arabic right to left."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.models import Capture
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401


def test_capture_a_page_and_see_its_hash(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    web_server: str,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    page.goto(f"{base}/evidence/capture/")
    page.fill("#url", f"{web_server}/r1?" + "long-query-" * 20)
    page.click("form.upload-form button[type=submit]")
    page.wait_for_selector("#capture-status dl")
    capture = Capture.objects.get()
    assert page.url == f"{base}/evidence/captures/{capture.pk}/"
    assert capture.item.original.sha256 in page.inner_text("#capture-status")
    assert page.problems == []  # no CSP violation, no script error

    page.goto(f"{base}/evidence/capture/")
    page.fill("#url", "http://10.0.0.1/admin")
    page.click("form.upload-form button[type=submit]")
    assert "a private address" in page.inner_text("#url-error")

    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "fr", "es", "ru", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        for path in ("/evidence/capture/", f"/evidence/captures/{capture.pk}/"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, (language, path)
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr")
