"""A PDF's pictures in a real browser (Debian's chromium through Playwright, as
test_browser_graphic.py): the graphic PDF's preview loads as a picture, is blurred until "Show"
(this view only), and its thumbnail in the list too; a PDF protected by a password has its
page, which says why there is no preview; at 360 px, in English and Arabic, nothing scrolls
sideways."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.actions import make_derivatives, set_graphic
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

from ..conftest import upload_file
from .test_browser_graphic import _blur
from .test_pdf_pages import text_pdf, with_password


def test_a_graphic_pdf_is_blurred_and_an_unreadable_one_says_why(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    report = upload_file(cast.documenter, cast.acme, text_pdf(), filename="report.pdf")
    locked = upload_file(
        cast.documenter, cast.acme, with_password(text_pdf(), "secret"), filename="locked.pdf"
    )
    for item in (report, locked):
        make_derivatives(item.original)
    set_graphic(cast.documenter, report, True)
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.analyst, secret)
    _sign_in_with_totp(page, base, cast.analyst.email, cast.password, secret)

    page.goto(f"{base}/evidence/items/{report.pk}/")
    preview = "#derivatives .graphic-media"
    page.wait_for_selector(f"{preview} img")
    # decoded before it is measured (``wait_for_function`` evaluates text, which the CSP refuses)
    page.locator(f"{preview} img").evaluate("img => img.decode()")
    assert page.evaluate(f"document.querySelector('{preview} img').naturalHeight") == 1280
    assert _blur(page, preview).startswith("blur(")
    page.click(f"{preview} .graphic-show")
    assert _blur(page, preview) == "none"
    page.goto(f"{base}/evidence/items/")
    assert _blur(page, ".media--thumb.graphic-media").startswith("blur(")

    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        for item in (report, locked):
            page.goto(f"{base}/evidence/items/{item.pk}/")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, language
        assert page.locator("#preview-not-made").count() == 1
    assert "the PDF is protected by a password" in page.inner_text("#preview-not-made")
    assert page.problems == []
