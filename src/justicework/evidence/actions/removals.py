"""Removing an original for legal reasons: the only way the application deletes stored bytes
(docs/evidence.md, "Removal").

1. :func:`request_removal`: an admin of the item's organisation gives the reason and the legal
   basis; custody entry ``removal_requested``, audit ``evidence.removal.requested``.
2. :func:`approve_removal` (another admin) or :func:`reject_removal`. Approval, in one
   transaction, marks the request approved, writes the item's :class:`Tombstone` and the custody
   entry ``removed`` and the audit entry; only **after the commit** are the bytes removed
   (:func:`finish_removal`), and only when no live item of any organisation holds the same
   original. A crash before the commit leaves nothing changed; a crash after it leaves a
   tombstone whose bytes are still stored, which ``justicework evidence fsck`` reports and
   ``--repair`` (or :func:`finish_removals`) finishes.

Removing an original's bytes takes what was made from them too, in this order: the rows
derived from it (``Derivative``, ``Provenance``, ``FrameHash``) are deleted and committed, then
the derivative files no other row points at are removed, then the original's file, last. A crash
anywhere in between leaves files no row points at (orphans, which ``evidence fsck`` reports and
its ``--repair`` finishes), never a row pointing at a missing file. The same on both backends,
sealed or not.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.actions.derivatives import drop_unreferenced
from justicework.evidence.models import (
    CustodyEntry,
    Derivative,
    FrameHash,
    Item,
    Original,
    Provenance,
    RemovalRequest,
    Tombstone,
)
from justicework.evidence.storage import store

E = CustodyEntry.Event
S = RemovalRequest.Status
LIMIT = 4000


def _text(value: str, field: str, label: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Give the %(label)s.") % {"label": label}})
    if len(value) > LIMIT:
        raise ValidationError(
            {field: _("The %(label)s is longer than %(limit)s characters.")
             % {"label": label, "limit": LIMIT}}
        )  # fmt: skip
    return value


@transaction.atomic
def request_removal(actor: User, item: Item, *, reason: str, legal_basis: str) -> RemovalRequest:
    """File a request to remove ``item``'s original; another admin must decide it."""
    reason = _text(reason, "reason", _("reason for the removal"))
    legal_basis = _text(legal_basis, "legal_basis", _("legal basis"))
    item = Item.objects.select_for_update().get(pk=item.pk)  # fresh: no cached tombstone answer
    policy.require(actor, "evidence.remove.request", item.organisation)  # an active organisation
    policy.require(actor, "remove.request", item)
    request = RemovalRequest.objects.create(
        organisation_id=item.organisation_id, item=item, requester=actor,
        reason=reason, legal_basis=legal_basis,
    )  # fmt: skip
    detail = {"request": request.pk, "reason": reason, "legal_basis": legal_basis}
    append_custody(actor, item, E.REMOVAL_REQUESTED, detail)
    record(actor, "evidence.removal.requested", request,
           organisation_id=item.organisation_id, diff={"item": item.pk, **detail})  # fmt: skip
    return request


def _locked(request: RemovalRequest) -> RemovalRequest:
    return (
        RemovalRequest.objects.select_for_update(of=("self",))
        .select_related("item__original", "organisation")
        .get(pk=request.pk)
    )


def _decide(actor: User, request: RemovalRequest, action: str, note: str) -> RemovalRequest:
    note = _text(note, "decision_note", _("note on the decision"), required=False)
    locked = _locked(request)
    policy.require(actor, "evidence.remove.approve", locked.organisation)
    policy.require(actor, action, locked)
    locked.status = S.APPROVED if action == "approve" else S.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return locked


@transaction.atomic
def approve_removal(actor: User, request: RemovalRequest, note: str = "") -> Tombstone:
    """Approve ``request`` (not the requester's own): the item becomes a tombstone now; its
    stored bytes go when the transaction commits, if no live item still holds them."""
    decided = _decide(actor, request, "approve", note)
    item, original = decided.item, decided.item.original
    tombstone = Tombstone.objects.create(
        item=item, request=decided, sha256=original.sha256, sha512=original.sha512,
        size=original.size, media_type=original.media_type, requested_by_id=decided.requester_id,
        approved_by=actor, requested_at=decided.requested_at,
        approved_at=decided.decided_at or timezone.now(),
    )  # fmt: skip
    detail: dict[str, Any] = {"request": decided.pk, "sha256": original.sha256,
                              "size": original.size, "note": decided.decision_note}  # fmt: skip
    append_custody(actor, item, E.REMOVED, detail)
    record(actor, "evidence.removal.approved", decided,
           organisation_id=item.organisation_id, diff={"item": item.pk, **detail})  # fmt: skip
    transaction.on_commit(partial(finish_removal, original.pk))
    return tombstone


@transaction.atomic
def reject_removal(actor: User, request: RemovalRequest, note: str = "") -> RemovalRequest:
    """Reject ``request`` (not the requester's own): nothing is removed."""
    decided = _decide(actor, request, "reject", note)
    detail = {"request": decided.pk, "note": decided.decision_note}
    append_custody(actor, decided.item, E.REMOVAL_REJECTED, detail)
    record(actor, "evidence.removal.rejected", decided, organisation_id=decided.organisation_id,
           diff={"item": decided.item_id, **detail})  # fmt: skip
    return decided


def unfinished() -> QuerySet[Original]:
    """Originals whose every item is a tombstone (at least one): their bytes must go."""
    live = Item.objects.filter(tombstone__isnull=True).values("original_id")
    return (
        Original.objects.filter(items__tombstone__isnull=False)
        .exclude(pk__in=live)
        .distinct()
        .order_by("pk")
    )


def _drop_derived_rows(original_id: int) -> list[str] | None:
    """Delete the rows derived from original ``original_id`` if it is to be removed (every item
    holding it a tombstone), committed before any file goes; the keys of its derivative files.
    None when it is not to be removed."""
    with transaction.atomic():
        original = Original.objects.select_for_update().filter(pk=original_id).first()
        if original is None or not unfinished().filter(pk=original_id).exists():
            return None
        made = Derivative.objects.filter(original=original)
        keys = sorted(made.values_list("storage_key", flat=True))
        deleted = {
            "derivatives": made.delete()[0],
            "frame_hashes": FrameHash.objects.filter(original=original).delete()[0],
            "provenance": Provenance.objects.filter(original=original).delete()[0],
        }
        if any(deleted.values()):
            record(None, "evidence.derivatives.removed", original,
                   diff={"sha256": original.sha256, "keys": keys, **deleted})  # fmt: skip
        return keys


def finish_removal(original_id: int) -> bool:
    """Remove the stored bytes of original ``original_id`` if every item holding it is a
    tombstone: its derived rows, then its derivative files, then its file (this order: see the
    module's docstring). True when its file was removed. Safe to run again."""
    keys = _drop_derived_rows(original_id)
    if keys is None:
        return False
    drop_unreferenced(keys)
    with transaction.atomic():
        original = Original.objects.select_for_update().get(pk=original_id)
        files = store()
        if not files.exists(original.storage_key):
            return False
        files.remove(original.storage_key)
        record(None, "evidence.original.removed", original,
               diff={"sha256": original.sha256, "size": original.size,
                     "derivatives": keys})  # fmt: skip
    return True


def finish_removals() -> list[Original]:
    """Finish every approved removal whose bytes are still stored (after a crash)."""
    return [o for o in unfinished() if store().exists(o.storage_key) and finish_removal(o.pk)]
