"""The removal in a real browser (Debian's chromium, as the other browser tests): a second
admin opens the pending request from the list and approves it; then the request form, the
list, the request and the tombstone's item page in the five languages at 360 px: no
horizontal scroll, Arabic right to left."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.actions import removals
from justicework.evidence.models import Tombstone
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

from ...conftest import PASSWORD
from ..conftest import upload_file
from .helpers import second_admin


def test_a_second_admin_approves_in_the_browser(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    item = upload_file(cast.documenter, cast.acme, b"remove me in a browser", filename="b.txt")
    other = upload_file(cast.documenter, cast.acme, b"still here", filename="kept.txt")
    removal = removals.request_removal(
        cast.admin, item, reason="A court order of a long name " * 3,
        legal_basis="Order 12/2026 of the district court, article 17",
    )  # fmt: skip
    approver = second_admin(cast.acme)
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(approver, secret)
    _sign_in_with_totp(page, base, approver.email, PASSWORD, secret)

    page.goto(f"{base}/evidence/removals/")
    page.click(f"a[href='/evidence/removals/{removal.pk}/']")
    page.fill("#note", "checked the order")
    page.click("button[value=approve]")
    page.wait_for_selector("#removal-status")
    assert Tombstone.objects.filter(item=item).exists()
    assert page.problems == []  # no CSP violation, no script error

    page.set_viewport_size({"width": 360, "height": 740})
    paths = ("/evidence/removals/", f"/evidence/removals/{removal.pk}/",
             f"/evidence/items/{item.pk}/", f"/evidence/items/{other.pk}/removal/")  # fmt: skip
    for language in ("en", "fr", "es", "ru", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        for path in paths:
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, (language, path)
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr")
