"""The upload page in a real browser (Debian's chromium through Playwright, as
tests/violations/test_browser.py): a documenter uploads a file with the vendored tus-js-client,
pauses it half-way, resumes it, and sees its SHA-256, which is hashlib's; the item page shows
it too. The strict CSP stays on throughout. Then the upload and item pages in the five
languages at 360 px: no horizontal scroll, Arabic right to left."""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.intake import receive
from justicework.evidence.models import Item, Upload
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

SIZE = 10 * 1024 * 1024 + 5


def _slow_copy(real: Any) -> Any:
    """The server's copy loop, slowed so that a pause lands half-way (the live server runs in
    this process)."""

    def copy(stream: Any, descriptor: int, length: int, hasher: Any, chunk: Any) -> int:
        time.sleep(0.4)
        return int(real(stream, descriptor, length, hasher, chunk))

    return copy


def _wait_until(browser_page: Any, condition: str, seconds: float = 30) -> None:
    """Poll ``condition`` (``wait_for_function`` evaluates text, which the CSP refuses)."""
    deadline = time.monotonic() + seconds
    while not browser_page.evaluate(f"() => Boolean({condition})"):
        assert time.monotonic() < deadline, f"never true: {condition}"
        time.sleep(0.02)


def test_upload_pause_resume_and_see_the_hash(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    monkeypatch: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    monkeypatch.setattr(receive, "_copy", _slow_copy(receive._copy))
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    data = os.urandom(SIZE)
    page.click("nav.site-nav a[href='/evidence/upload/']")
    page.set_input_files(
        "#file", files=[{"name": "témoin.bin", "mimeType": "application/pdf", "buffer": data}]
    )
    page.fill("#collector", "Field team 2")
    page.fill("#collected_at", "2024-03-01T10:00:00")
    page.fill("#collected_tz", "+02:00")
    page.click("#start")
    _wait_until(page, "document.getElementById('progress').value > 0")
    page.click("#pause")
    page.wait_for_selector("#status:has-text('Paused.')")
    time.sleep(1)  # the aborted PATCH ends on the server
    paused_at = Upload.objects.get().offset
    assert 0 < paused_at < SIZE
    assert not Item.objects.exists()

    page.click("#resume")
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)
    digest = hashlib.sha256(data).hexdigest()
    assert page.text_content("#result-link") == digest
    item = Item.objects.get()
    assert item.original.sha256 == digest and item.original.size == SIZE
    assert item.collected_at.isoformat() == "2024-03-01T08:00:00+00:00"

    page.click("#result-link")
    page.wait_for_url(f"{base}/evidence/items/{item.pk}/")
    assert page.text_content("#sha256") == digest
    assert page.text_content("#sha512") == hashlib.sha512(data).hexdigest()
    assert page.problems == []  # no CSP violation, no script error

    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "fr", "es", "ru", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        for path in ("/evidence/upload/", f"/evidence/items/{item.pk}/", "/evidence/items/"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, (language, path)
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr")
