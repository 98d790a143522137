"""The item page's links and verification, and the "Evidence" section of the incident and
person pages, in a real browser at 360 px in the five languages (Arabic right to left): no
horizontal scroll; the SHA-256 prefix and the person's code keep their order in Arabic."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.actions import link_item, record_finding
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

from ...violations.conftest import make_incident, make_person, make_violation
from ..conftest import upload_file


def test_links_and_verification_at_360_px_in_five_languages(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    item = upload_file(
        cast.documenter, cast.acme, b"video bytes" * 10,
        filename="تسجيل-السوق-المركزي-صباح-الرابع-من-أيار-Kramatorsk-market-recording.mp4",
    )  # fmt: skip
    incident = make_incident(
        cast.acme, title="Shelling of the central market of Kramatorsk during morning trading",
        external_ref="ACME-2023-017-KRAMATORSK-MARKET",
    )  # fmt: skip
    person = make_person(cast.acme, full_name="Oleksandra Kovalenko")
    violation = make_violation(incident, victim=person)
    for record in (incident, violation, person):
        link_item(cast.analyst, item, record)
    record_finding(
        cast.analyst, item, level="content", confidence="medium",
        text="Shadows and the market's awnings match the morning; " * 4,
    )  # fmt: skip
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.analyst, secret)
    _sign_in_with_totp(page, base, cast.analyst.email, cast.password, secret)

    paths = [
        f"/evidence/items/{item.pk}/",
        f"/incidents/{incident.pk}/",
        f"/persons/{person.pk}/",
    ]
    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "fr", "es", "ru", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            assert page.locator("#evidence, #links").count() >= 1, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{language} {path}: {width}"
            assert page.evaluate("window.scrollX") == 0, f"{language} {path}"
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr")
    # In Arabic the SHA-256 prefix is drawn left to right (its first character leftmost).
    page.goto(f"{base}/incidents/{incident.pk}/")
    prefix = item.original.sha256[:12]
    box = page.locator("#evidence .pseudonym").first
    assert box.inner_text() == prefix
    assert box.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.problems == []
