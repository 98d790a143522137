"""Two-person removal: an admin asks, another admin decides; the item becomes a tombstone and
the stored bytes go after the commit, unless another live item holds them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.evidence import custody
from justicework.evidence.actions import packages, removals
from justicework.evidence.models import RemovalRequest, Tombstone
from justicework.evidence.storage import store

from ..conftest import upload_file
from .helpers import second_admin

REASON = {"reason": "Court order", "legal_basis": "Order 12/2026 of the district court"}


@pytest.fixture
def item(documenter, acme):
    return upload_file(documenter, acme, b"a file a court ordered removed", filename="r.txt")


@pytest.fixture
def pending(admin, item):
    return removals.request_removal(admin, item, **REASON)


def test_approval_leaves_a_tombstone_and_removes_the_bytes(
    admin, acme, item, pending, django_capture_on_commit_callbacks
):
    other = second_admin(acme)
    sha256 = item.original.sha256
    assert store().exists(sha256)
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = removals.approve_removal(other, pending, "checked the order")
    assert not store().exists(sha256)
    assert (tombstone.sha256, tombstone.size, tombstone.media_type) == (
        sha256, item.original.size, item.original.media_type
    )  # fmt: skip
    assert tombstone.sha512 == item.original.sha512
    assert (tombstone.requested_by, tombstone.approved_by) == (admin, other)
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decided_by == other
    entries = list(item.custody.order_by("seq"))
    assert [e.event for e in entries] == ["received", "removal_requested", "removed"]
    assert entries[1].detail["legal_basis"] == REASON["legal_basis"]
    assert custody.problems(entries) == []
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"evidence.removal.requested", "evidence.removal.approved",
            "evidence.original.removed"} <= actions  # fmt: skip


def test_bytes_another_live_item_holds_stay(
    admin, acme, beacon, outsider, item, pending, django_capture_on_commit_callbacks
):
    copy = upload_file(outsider, beacon, b"a file a court ordered removed", filename="c.txt")
    assert copy.original_id == item.original_id
    with django_capture_on_commit_callbacks(execute=True):
        removals.approve_removal(second_admin(acme), pending)
    assert store().exists(item.original.sha256)
    assert Tombstone.objects.filter(item=item).exists()
    assert list(removals.unfinished()) == []


def test_rejection_removes_nothing(acme, item, pending):
    rejected = removals.reject_removal(second_admin(acme), pending, "no valid order")
    assert rejected.status == "rejected" and not Tombstone.objects.exists()
    assert store().exists(item.original.sha256)
    assert item.custody.order_by("-seq").first().event == "removal_rejected"


def test_admin_cannot_approve_or_reject_own_request(admin, pending):
    for decide in (removals.approve_removal, removals.reject_removal):
        with pytest.raises(PermissionDenied, match="another admin must decide"):
            decide(admin, pending)
    pending.refresh_from_db()
    assert pending.status == "pending" and not Tombstone.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "documenter", "viewer", "beacon_admin", "outsider"])
def test_others_cannot_approve(cast, pending, who):
    user = getattr(cast, who)
    assert not policy.can(user, "approve", pending)
    with pytest.raises(PermissionDenied):
        removals.approve_removal(user, pending)
    assert not Tombstone.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "documenter", "viewer", "beacon_admin", "outsider"])
def test_only_an_admin_of_the_organisation_may_ask(cast, item, who):
    with pytest.raises(PermissionDenied):
        removals.request_removal(getattr(cast, who), item, **REASON)
    assert not RemovalRequest.objects.exists() and item.custody.count() == 1


def test_a_decided_request_cannot_be_decided_again(acme, pending):
    other = second_admin(acme)
    removals.reject_removal(other, pending)
    with pytest.raises(PermissionDenied, match="decided already"):
        removals.approve_removal(other, pending)


def test_a_second_request_while_one_is_pending_is_refused(acme, item, pending):
    with pytest.raises(PermissionDenied, match="already waiting"):
        removals.request_removal(second_admin(acme), item, **REASON)


def test_a_tombstone_cannot_be_asked_for_again_nor_packaged(admin, acme, item, pending):
    removals.approve_removal(second_admin(acme), pending)
    with pytest.raises(PermissionDenied, match="only its tombstone"):
        removals.request_removal(admin, item, **REASON)
    with pytest.raises(ValidationError, match="only a tombstone is left"):
        packages.select_items(admin, acme, [item.pk])


def test_reason_and_legal_basis_are_required(admin, item):
    with pytest.raises(ValidationError, match="legal basis"):
        removals.request_removal(admin, item, reason="x", legal_basis="  ")
    with pytest.raises(ValidationError, match="reason"):
        removals.request_removal(admin, item, reason="", legal_basis="y")
    assert not RemovalRequest.objects.exists()


def test_a_crash_after_the_commit_is_finished_by_a_rerun(acme, item, pending):
    """Approval commits (the on-commit step never runs, as when the process dies then): the
    tombstone is there, the bytes too; finishing again removes them, and only once."""
    removals.approve_removal(second_admin(acme), pending)
    assert store().exists(item.original.sha256)
    assert list(removals.unfinished()) == [item.original]
    assert removals.finish_removals() == [item.original]
    assert not store().exists(item.original.sha256)
    assert removals.finish_removals() == []


def test_a_failure_inside_the_approval_changes_nothing(acme, item, pending, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(removals, "append_custody", broken)
    with pytest.raises(RuntimeError):
        removals.approve_removal(second_admin(acme), pending)
    pending.refresh_from_db()
    assert pending.status == "pending" and not Tombstone.objects.exists()
    assert store().exists(item.original.sha256)


def test_a_web_package_asked_for_before_the_removal_fails_naming_the_item(
    admin, acme, item, pending
):
    """Asked for (the worker's task not run yet), then the removal, then the worker."""
    from justicework.evidence.actions import package_requests
    from justicework.evidence.tasks import build_package

    package = package_requests.request_package(admin, acme, [item.pk])
    removals.approve_removal(second_admin(acme), pending)
    build_package.call(package.progress_id, str(package.pk))
    package.refresh_from_db()
    assert package.status == "failed"
    assert f"Evidence item(s) {item.pk} cannot be packaged" in package.problem
