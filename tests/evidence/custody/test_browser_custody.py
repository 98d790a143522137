"""The item page's download, copy and hand-over section in a real browser at 360 px, in English
and Arabic (right to left): no horizontal scroll with a long hand-over recorded; pressing the
download button gives the original's bytes and a custody entry "downloaded"."""

from __future__ import annotations

import hashlib
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.core import actions as core_actions
from justicework.core.roles import Role
from justicework.evidence import actions
from justicework.evidence.models import CustodyEntry
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

from ..conftest import upload_file

LONG = {
    "recipient_name": "Registry officer Marie-Christine Dupont-Lefèvre de la Tour",
    "institution": "International, Impartial and Independent Mechanism (IIIM), Evidence Unit",
    "method": "secure_upload",
    "recipient_reference": "IIIM-2026-EVID-000042-SUPPLEMENTARY-BATCH-7",
    "handed_over_at": "2026-01-15T10:30:00+01:00",
    "note": "",
}


def test_download_copy_and_hand_over_at_360_px_in_english_and_arabic(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    data = b"testimony bytes " * 64
    item = upload_file(
        cast.documenter, cast.acme, data,
        filename="شهادة-طويلة-جدا-من-السوق-المركزي-Kramatorsk-testimony-recording.txt",
    )  # fmt: skip
    core_actions.add_member(None, cast.beacon, cast.admin, Role.DOCUMENTER)
    cast.admin.forget_memberships()
    actions.record_transfer(cast.admin, item, LONG)
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.admin, secret)
    _sign_in_with_totp(page, base, cast.admin.email, cast.password, secret)

    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        response = page.goto(f"{base}/evidence/items/{item.pk}/")
        assert response is not None and response.status == 200
        for form in ("#download-original", "#copy-form", "#transfer-form"):
            assert page.locator(form).count() == 1, (language, form)
        assert page.locator("table.transfers tbody tr").count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{language}: {width}"
        assert page.evaluate("window.scrollX") == 0, language

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/evidence/items/{item.pk}/")
    with page.expect_download() as caught:
        page.locator("#download-original button").click()
    path = caught.value.path()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == item.original.sha256
    entry = CustodyEntry.objects.get(item=item, event="downloaded")
    assert entry.actor == cast.admin and entry.detail["channel"] == "web"
    assert page.problems == []
