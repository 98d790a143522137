"""The evidence demo step: synthetic media with their provenance and derivatives, a web capture
of a loopback page (the SSRF rules closed again afterwards), findings at the three levels,
links, a graphic item; a second run adds nothing."""

from __future__ import annotations

import shutil
import socket
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.evidence import actions
from justicework.evidence.actions import captures
from justicework.evidence.actions.verification import two_person
from justicework.evidence.capture import hosts
from justicework.evidence.models import (
    Capture,
    CustodyEntry,
    Derivative,
    Finding,
    Item,
    Link,
    Original,
    Provenance,
)
from justicework.evidence.provenance import phash
from justicework.evidence.storage import store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_browser(settings: Any) -> None:
    """No Chromium by default (fast); the screenshot test turns it back on."""
    settings.EVIDENCE_CAPTURE_BROWSER = ""
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = False


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def org() -> Organisation:
    return Organisation.objects.get(slug="demo-member-1")


def demo_items() -> Any:
    return Item.objects.filter(organisation=org())


def test_the_demo_adds_media_with_provenance_and_derivatives() -> None:
    output = run_demo()
    assert "Evidence demo: " in output
    items = demo_items()
    types = Counter(items.values_list("original__media_type", flat=True))
    assert types["image/jpeg"] == 5 and types["application/pdf"] == 2
    assert types["video/mp4"] == 1 and types["audio/wave"] == 1
    assert types["application/x-gzip"] == 1  # the WARC (no screenshot without a browser)
    for item in items:
        assert Provenance.objects.filter(original=item.original).exists(), item.display_name
        events = list(item.custody.order_by("seq").values_list("event", flat=True))
        assert events[:2] == ["collected", "received"], item.display_name
    photos = Provenance.objects.filter(original__items__in=items, kind="image")
    located = [p for p in photos if p.latitude is not None]
    assert len(located) == 4 and all(p.metadata for p in located)
    assert (
        Derivative.objects.filter(original__items__in=items).values("original").distinct().count()
        >= 5
    )


def test_the_demo_pdfs_have_a_thumbnail_of_their_text() -> None:
    from PIL import Image

    from justicework.evidence.storage import derived

    run_demo()
    thumbnails = Derivative.objects.filter(
        original__items__in=demo_items(), original__media_type="application/pdf", kind="thumbnail"
    ).distinct()
    assert thumbnails.count() == 2
    for row in thumbnails:
        with derived.open_derivative(row) as stream, Image.open(stream) as image:
            grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert max(grey.size) == 256 and dark > 0.002 * grey.width * grey.height  # not blank


def test_the_near_duplicate_panel_has_a_pair() -> None:
    run_demo()
    items = demo_items()
    copy = items.get(display_name__startswith="forwarded-")
    first = items.get(submitted_name=copy.submitted_name.replace("forwarded-", ""))
    assert copy.original.sha256 != first.original.sha256
    a = Provenance.objects.get(original=first.original).phash
    b = Provenance.objects.get(original=copy.original).phash
    assert a is not None and b is not None
    assert phash.distance(phash.to_unsigned(a), phash.to_unsigned(b)) <= phash.NEAR


def test_findings_statuses_graphic_and_links() -> None:
    run_demo()
    items = demo_items()
    findings = Finding.objects.filter(item__in=items)
    assert set(findings.values_list("level", flat=True)) == {"source", "item", "content"}
    statuses = Counter(items.values_list("status", flat=True))
    assert statuses["verified"] == 1 and statuses["disputed"] == 1 and statuses["in_review"] >= 1
    assert two_person(org().pk)
    verified = items.get(status="verified")
    concluded = verified.custody.filter(event="verified", detail__act="status",
                                        detail__to="verified").get()  # fmt: skip
    examiners = set(Finding.objects.filter(item=verified).values_list("reviewer_id", flat=True))
    assert concluded.actor_id not in examiners and concluded.detail["two_person"] is True
    assert items.filter(graphic=True).count() == 1
    kinds = set(Link.objects.filter(item__in=items).values_list("kind", flat=True))
    assert kinds == {"incident", "violation", "person"}
    assert (
        CustodyEntry.objects.filter(item__in=items, event="linked").count()
        == Link.objects.filter(item__in=items).count()
    )


def test_the_video_waits_for_a_second_person() -> None:
    run_demo()
    video = demo_items().get(original__media_type="video/mp4")
    assert video.status == "in_review"
    examiner = User.objects.get(pk=Finding.objects.filter(item=video).values("reviewer")[:1])
    with pytest.raises(ValidationError):
        actions.set_status(examiner, video, Item.Status.VERIFIED)
    admin = User.objects.get(email="org-admin@member-1.demo.test")
    assert actions.set_status(admin, video, Item.Status.VERIFIED).status == "verified"


def test_the_capture_was_of_a_loopback_page_and_ssrf_stays_closed() -> None:
    run_demo()
    capture = Capture.objects.get(organisation=org())
    assert capture.status == Capture.Status.DONE and capture.http_status == 200
    assert capture.url.startswith("http://127.0.0.1:") and capture.address == "127.0.0.1"
    assert capture.screenshot is None and "browser" in capture.screenshot_reason
    port = int(capture.url.split(":")[2].split("/")[0])
    with pytest.raises(hosts.Refused, match="a loopback address"):
        hosts.check(capture.url)
    with pytest.raises(hosts.Refused, match="a loopback address"):
        hosts.check(f"http://127.0.0.1:{port + 1}/")
    with pytest.raises(ValidationError):
        captures.create_capture(capture.requester, org(), capture.url)
    # the throw-away server is gone
    with socket.socket() as probe, pytest.raises(OSError):
        probe.settimeout(1)
        probe.connect(("127.0.0.1", port))


@pytest.mark.skipif(not shutil.which("chromium"), reason="no Chromium on this machine")
def test_with_a_browser_the_capture_has_a_screenshot(settings: Any) -> None:
    settings.EVIDENCE_CAPTURE_BROWSER = "chromium"
    run_demo()
    capture = Capture.objects.get(organisation=org())
    assert capture.screenshot is not None
    assert capture.screenshot.original.media_type == "image/png"


def test_a_second_run_adds_nothing() -> None:
    run_demo()
    before = (Item.objects.count(), Original.objects.count(), Finding.objects.count(),
              Link.objects.count(), CustodyEntry.objects.count(), AuditEntry.objects.count(),
              Capture.objects.count(), Derivative.objects.count())  # fmt: skip
    files = sorted(p.name for p in store().root.rglob("*") if p.is_file())
    run_demo()
    after = (Item.objects.count(), Original.objects.count(), Finding.objects.count(),
             Link.objects.count(), CustodyEntry.objects.count(), AuditEntry.objects.count(),
             Capture.objects.count(), Derivative.objects.count())  # fmt: skip
    assert after == before
    assert sorted(p.name for p in store().root.rglob("*") if p.is_file()) == files


def test_every_write_went_through_the_actions() -> None:
    run_demo()
    items = list(demo_items())
    created = AuditEntry.objects.filter(action="evidence.item.created").count()
    assert created == len(items)
    assert AuditEntry.objects.filter(action="evidence.settings.changed").count() == 1
    assert AuditEntry.objects.filter(action="evidence.item.graphic").count() == 1
    assert AuditEntry.objects.filter(action="evidence.capture.done").count() == 1
