"""Custody entry "sealed": after "received", when the stored original is encrypted
(``EVIDENCE_ENCRYPT``) or under the store's object lock; none when it is neither."""

from __future__ import annotations

from justicework.evidence import custody
from justicework.evidence.models import CustodyEntry

from ..conftest import upload_file
from .conftest import events


def test_with_encryption_off_on_local_files_there_is_no_sealed_entry(settings, documenter, acme):
    settings.EVIDENCE_ENCRYPT = False
    item = upload_file(documenter, acme, b"plain bytes", filename="p.txt")
    assert events(item) == ["received"]


def test_with_encryption_on_the_item_is_sealed_after_it_is_received(settings, documenter, acme):
    settings.EVIDENCE_ENCRYPT = True
    item = upload_file(documenter, acme, b"sealed bytes", filename="s.txt", collector="Team 1")
    assert events(item) == ["collected", "received", "sealed"]
    entry = CustodyEntry.objects.get(item=item, event="sealed")
    assert entry.detail == {"encrypted": True, "lock_mode": "", "retain_until": None}
    assert custody.problems(item.custody.order_by("seq")) == []


def test_the_same_bytes_again_are_a_new_item_sealed_too(settings, documenter, admin, acme):
    settings.EVIDENCE_ENCRYPT = True
    first = upload_file(documenter, acme, b"twice", filename="a.txt")
    second = upload_file(admin, acme, b"twice", filename="b.txt")
    assert first.original_id == second.original_id
    assert events(second) == ["received", "sealed"]


def test_under_object_lock_the_entry_gives_mode_and_retention(backend, documenter, acme):
    """On S3 (object lock, compliance, 30 days) plain or sealed; on local files only sealed."""
    item = upload_file(documenter, acme, b"locked bytes", filename="l.txt")
    original = item.original
    entries = {e.event: e for e in item.custody.all()}
    if backend == "local":
        assert "sealed" not in entries
        return
    detail = entries["sealed"].detail
    assert detail["encrypted"] is backend.endswith("-sealed")
    assert detail["lock_mode"] == original.lock_mode
    assert detail["retain_until"] == (
        original.retain_until.isoformat() if original.retain_until else None
    )
    if backend.startswith("s3"):
        assert detail["lock_mode"] == "COMPLIANCE" and detail["retain_until"]
    assert events(item)[-2:] == ["received", "sealed"]
