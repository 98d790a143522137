"""The "package" action in a real browser (Debian's chromium, as the upload test): a documenter
ticks two items on the list, asks for a package, sees the page with its download link once the
worker is done; then the list and the package page in the five languages at 360 px: no
horizontal scroll, Arabic right to left."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.models import Package
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

from .conftest import two_items


def test_package_chosen_items_and_see_the_download(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    items = two_items(cast.documenter, cast.acme)
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    page.goto(f"{base}/evidence/items/")
    for item in items:
        page.check(f"#choose-{item.pk}")
    page.click("#package-form button[type=submit]")
    package = Package.objects.get()
    page.wait_for_url(f"{base}/evidence/packages/{package.pk}/")
    link = page.wait_for_selector(f"a[href='/evidence/packages/{package.pk}/download']")
    assert link is not None
    assert page.problems == []  # no CSP violation, no script error

    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "fr", "es", "ru", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        for path in ("/evidence/items/", f"/evidence/packages/{package.pk}/"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, (language, path)
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr")
