"""Requests for need-to-know on a person's identity: asking, and deciding (approve with an
expiry, or refuse with a reason). An approval makes the ``AccessGrant`` through the same path
as a direct grant. Both steps are audited; the request's reason and the decision's note are
the requester's and the decider's words, never an identity."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import User
from justicework.core.roles import Capability
from justicework.violations.actions._common import require
from justicework.violations.actions.grants import _grant
from justicework.violations.models import IdentityAccessRequest, Person

NOTE_LENGTH = 300


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > NOTE_LENGTH:
        raise ValidationError({field: _("At most 300 characters.")})
    return value


@transaction.atomic
def request_identity_access(actor: User, person: Person, reason: str) -> IdentityAccessRequest:
    """Ask the organisation's deciders for need-to-know on ``person``'s identity. Needs
    ``request_identity_access`` (a role that opens identities, no current grant); one request
    waits at a time per person and member."""
    require(actor, "request_identity_access", person)
    reason = _text(reason, "reason", _("Say why you need to see this identity."))
    waiting = IdentityAccessRequest.objects.filter(
        person=person, requester=actor, status=IdentityAccessRequest.Status.PENDING
    )
    if waiting.exists():
        raise ValidationError({"reason": _("Your request for this person is already waiting.")})
    request = IdentityAccessRequest.objects.create(
        organisation_id=person.organisation_id, person=person, requester=actor, reason=reason
    )
    record(
        actor,
        "violations.person.access_requested",
        person,
        diff={"request": request.pk, "reason": reason},
    )
    return request


@transaction.atomic
def decide_identity_request(
    actor: User,
    request: IdentityAccessRequest,
    *,
    approve: bool,
    note: str = "",
    expires_at: dt.datetime | None = None,
) -> IdentityAccessRequest:
    """Approve (a grant until ``expires_at``, which is required) or refuse (``note`` required)
    a waiting request. Needs ``decide`` on the request: the organisation's admins and support
    coordinators, never on their own request."""
    require(actor, "decide", request)
    if request.status != IdentityAccessRequest.Status.PENDING:
        raise ValidationError({"decision": _("This request was already decided.")})
    note = (note or "").strip()
    if approve:
        if expires_at is None:
            raise ValidationError({"expires_at": _("Choose until when the grant holds.")})
        if len(note) > NOTE_LENGTH:
            raise ValidationError({"note": _("At most 300 characters.")})
        request.grant = _grant(
            actor,
            user=request.requester,
            obj=request.person,
            capability=Capability.IDENTITY_REVEAL,
            reason=f"request #{request.pk}: {request.reason}"[:NOTE_LENGTH],
            expires_at=expires_at,
            audit_action="violations.person.need_to_know_granted",
        )
        request.status = IdentityAccessRequest.Status.APPROVED
    else:
        note = _text(note, "note", _("Say why the request is refused."))
        request.status = IdentityAccessRequest.Status.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "grant"])
    record(
        actor,
        "violations.person.access_request_decided",
        request.person,
        diff={
            "request": request.pk,
            "requester": request.requester_id,
            "status": request.status,
            "note": note,
            "grant": request.grant_id,
            "expires_at": expires_at.isoformat() if approve and expires_at else None,
        },
    )
    return request
