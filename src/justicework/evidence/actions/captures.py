"""Web captures: record the request, run it (the task worker, or the command), fail it.

``run_capture`` fetches the address under the rules of ``capture.hosts``, writes the WARC (its
hashes computed while it is written), takes the screenshot where a browser is available, and
stores both through ``actions.files.store_file``: the WARC is the capture's item, the screenshot
a second item whose collection record and "captured" custody entry name the WARC item and its
SHA-256 (and the WARC item's entry names the screenshot). Nothing is stored when the fetch is
refused or fails; the capture then says why.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.actions.files import store_file
from justicework.evidence.capture import fetch, hosts, screenshot, warc
from justicework.evidence.intake.hashing import Digests, StreamHasher
from justicework.evidence.models import Capture, CustodyEntry, Item
from justicework.evidence.storage import store

S = Capture.Status
METHOD = "web capture"
TOOL = f"JusticeWork web capture ({warc.SOFTWARE})"


def check_url(url: str) -> str:
    """``url`` cleaned, or a ``ValidationError`` on ``url`` naming why it is refused."""
    url = (url or "").strip()
    if not url or len(url) > 2000:
        raise ValidationError({"url": [_("Give the address (at most 2000 characters).")]})
    try:
        hosts.check(url)
    except hosts.Refused as exc:
        raise ValidationError({"url": [exc.message]}) from exc
    return url


@transaction.atomic
def create_capture(actor: User, organisation: Organisation, url: str) -> Capture:
    """Record that ``actor`` asks for a capture of ``url`` (refused now when it may not be
    fetched; checked again when it is)."""
    policy.require(actor, "evidence.capture", organisation)
    url = check_url(url)
    capture = Capture.objects.create(organisation=organisation, requester=actor, url=url)
    record(actor, "evidence.capture.requested", capture, organisation_id=organisation.pk,
           diff={"url": url})  # fmt: skip
    return capture


def fail_capture(capture: Capture, problem: str) -> None:
    capture.status, capture.problem = S.FAILED, problem[:1000]
    capture.finished_at = timezone.now()
    capture.save(update_fields=["status", "problem", "finished_at"])
    record(capture.requester, "evidence.capture.failed", capture,
           organisation_id=capture.organisation_id, diff={"problem": capture.problem})  # fmt: skip


def _hop_detail(hop: fetch.Exchange) -> dict[str, Any]:
    return {"url": hop.target.url, "status": hop.status, "ip": hop.target.address,
            "at": hop.started_at.isoformat(), "bytes": hop.size}  # fmt: skip


def _captured_detail(
    capture: Capture, hops: list[fetch.Exchange], at: dt.datetime
) -> dict[str, Any]:
    final = hops[-1]
    return {
        "url": capture.url, "final_url": final.target.url, "http_status": final.status,
        "ip": final.target.address, "user_agent": settings.EVIDENCE_CAPTURE_USER_AGENT,
        "at": at.astimezone(dt.UTC).isoformat(), "capture": str(capture.pk),
        "hops": [_hop_detail(h) for h in hops],
    }  # fmt: skip


def _file_digests(path: Path) -> Digests:
    """The screenshot's digests: the browser wrote it, so it is hashed as it is read once
    (it is not the evidence of the exchange; the WARC is, hashed while written)."""
    hasher = StreamHasher()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            hasher.update(block)
    return hasher.digests()


def _record(capture: Capture, at: dt.datetime, method: str, sha256: str = "") -> dict[str, Any]:
    return {
        "collector": capture.requester.email[:200], "collected_at": at,
        "collection_tool": TOOL[:300], "source_url": capture.url, "collection_method": method,
        **({"sha256_at_collection": sha256} if sha256 else {}),
    }  # fmt: skip


@dataclass(frozen=True)
class _Fetched:
    hops: list[fetch.Exchange]
    warc_file: Path
    digests: Digests
    size: int
    shot: screenshot.Shot
    at: dt.datetime


def _store(capture: Capture, fetched: _Fetched) -> Capture:
    actor, organisation = capture.requester, capture.organisation
    hops, shot, at, digests = fetched.hops, fetched.shot, fetched.at, fetched.digests
    detail = _captured_detail(capture, hops, at)
    host = urlsplit(capture.url).hostname or "page"
    stamp = at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    with transaction.atomic():
        item = store_file(
            actor, organisation, fetched.warc_file, digests=digests, size=fetched.size,
            name=f"{host}-{stamp}.warc.gz", received={"capture": str(capture.pk)},
            record_fields=_record(capture, at, METHOD, digests.sha256),
        )  # fmt: skip
        shot_item = _store_screenshot(capture, shot, at, item, host, stamp) if shot.path else None
        extra = {"screenshot_item": shot_item.pk if shot_item else None,
                 "screenshot_sha256": shot_item.original.sha256 if shot_item else None,
                 "screenshot_reason": shot.reason}  # fmt: skip
        append_custody(actor, item, CustodyEntry.Event.CAPTURED, {**detail, **extra})
        capture.status, capture.item, capture.screenshot = S.DONE, item, shot_item
        capture.screenshot_reason = shot.reason[:500]
        capture.final_url, capture.http_status = hops[-1].target.url[:2000], hops[-1].status
        capture.address, capture.finished_at = hops[-1].target.address, timezone.now()
        capture.save()
        record(actor, "evidence.capture.done", capture, organisation_id=organisation.pk,
               diff={"item": item.pk, "sha256": digests.sha256, **extra})  # fmt: skip
    return capture


def _store_screenshot(capture: Capture, shot: screenshot.Shot, at: dt.datetime, warc_item: Item,
                      host: str, stamp: str) -> Item:  # fmt: skip
    assert shot.path is not None
    digests = _file_digests(shot.path)
    of = {"capture": str(capture.pk), "warc_item": warc_item.pk,
          "warc_sha256": warc_item.original.sha256}  # fmt: skip
    method = f"{METHOD} (screenshot of the captured page, rendered offline by {shot.browser})"
    return store_file(
        capture.requester, capture.organisation, shot.path, digests=digests,
        size=shot.path.stat().st_size, name=f"{host}-{stamp}-screenshot.png",
        record_fields=_record(capture, at, method[:2000]), received=of,
        custody=[(CustodyEntry.Event.CAPTURED, {"url": capture.url, "screenshot_of": of,
                                                "at": at.astimezone(dt.UTC).isoformat()})],
    )  # fmt: skip


def sweep_workdirs(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Remove the work directories of captures killed mid-way (older than any capture's time
    limit); how many."""
    removed, now = 0, time.time()
    for leftover in store().incoming_dir().glob("capture-*"):
        if now - leftover.stat().st_mtime > older_than.total_seconds():
            shutil.rmtree(leftover, ignore_errors=True)
            removed += 1
    return removed


def run_capture(capture: Capture, progress: Callable[[int], None] | None = None) -> Capture:
    """Fetch, archive and store ``capture`` (the requester's rights checked again); raises
    ``hosts.Refused``, ``fetch.FetchProblem`` or the intake's errors, nothing stored then."""
    policy.require(capture.requester, "evidence.capture", capture.organisation)
    sweep_workdirs()
    workdir = store().incoming_dir() / f"capture-{uuid.uuid4().hex}"
    workdir.mkdir()
    try:
        at = timezone.now()
        hops = fetch.fetch(capture.url, workdir, progress)
        warc_file = workdir / "capture.warc.gz"
        digests, size = warc.write_warc(
            warc_file, hops, url=capture.url, captured_at=at,
            user_agent=settings.EVIDENCE_CAPTURE_USER_AGENT,
        )  # fmt: skip
        content_type = hops[-1].headers.get("Content-Type", "")
        shot = screenshot.take(warc.body_of(hops[-1]), content_type, workdir)
        return _store(capture, _Fetched(hops, warc_file, digests, size, shot, at))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
