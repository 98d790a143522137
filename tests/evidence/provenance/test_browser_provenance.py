"""The provenance part of an item's page in a real browser (Debian's chromium through
Playwright, as tests/violations/test_browser.py): the place of capture drawn on the map with the
strict CSP on, and the page (metadata, findings, Content Credentials with their history,
near-duplicates) in the five languages at 360 px: no horizontal scroll, Arabic right to left."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.actions import extract_provenance
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

from ..conftest import upload_file
from . import files
from .signing import sign_jpeg


def test_the_provenance_part_at_360_px_in_five_languages(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    image = files.picture(41)
    exif = files.jpeg_with_exif(
        image, make="Canon", model="EOS Very Long Model Name Without Spaces" * 2,
        taken="2024:05:01 14:03:22", gps=(48.8584, -2.2945),
    )  # fmt: skip
    item = upload_file(cast.documenter, cast.acme, sign_jpeg(exif), filename="capture.jpg")
    copy = upload_file(
        cast.documenter, cast.acme, files.encode(image.resize((320, 240)), "PNG"), filename="c.png"
    )
    extract_provenance(item.original)
    extract_provenance(copy.original)
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    page.goto(f"{base}/evidence/items/{item.pk}/")
    page.wait_for_selector("#incident-map .leaflet-overlay-pane path.leaflet-interactive")
    assert page.locator("#content-credentials").count() == 1
    assert page.locator(".near-duplicates tbody tr").count() == 1
    assert page.problems == []  # no CSP violation, no script error

    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "fr", "es", "ru", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page.goto(f"{base}/evidence/items/{item.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, language
        direction = page.evaluate("document.documentElement.dir")
        assert direction == ("rtl" if language == "ar" else "ltr")
    assert page.problems == []
