"""Need-to-know grants: on a person's identity, on a restricted incident; and revoking them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import AccessGrant, Membership, User
from justicework.core.roles import Capability
from justicework.violations import rules
from justicework.violations.actions._common import (
    actor_or_none,
    require,
)
from justicework.violations.models import (
    Incident,
    Person,
)


def _grant(
    actor: User | None,
    *,
    user: User,
    obj: Person | Incident,
    capability: Capability,
    reason: str,
    expires_at: dt.datetime | None,
    audit_action: str,
) -> AccessGrant:
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say why this person needs to know.")
    elif len(reason) > 300:
        errors["reason"] = _("At most 300 characters.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry is in the past.")
    if not Membership.objects.filter(
        user=user, organisation_id=obj.organisation_id, organisation__is_active=True
    ).exists():
        errors["user"] = _("This user is not a member of the owning organisation.")
    if errors:
        raise ValidationError(errors)
    grant = AccessGrant.objects.create(
        user=user,
        organisation_id=obj.organisation_id,
        capability=capability,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        granted_by=actor_or_none(actor),
        reason=reason,
        expires_at=expires_at,
    )
    record(
        actor,
        audit_action,
        obj,
        diff={
            "grant": grant.pk,
            "user": user.pk,
            "reason": reason,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    rules.forget_grants(user)
    return grant


@transaction.atomic
def grant_need_to_know(
    actor: User | None,
    user: User,
    person: Person,
    reason: str,
    expires_at: dt.datetime | None = None,
) -> AccessGrant:
    """Let ``user`` open ``person``'s identity (they still need ``identity.reveal``)."""
    require(actor, "grant_need_to_know", person)
    return _grant(
        actor,
        user=user,
        obj=person,
        capability=Capability.IDENTITY_REVEAL,
        reason=reason,
        expires_at=expires_at,
        audit_action="violations.person.need_to_know_granted",
    )


@transaction.atomic
def grant_incident_access(
    actor: User | None,
    user: User,
    incident: Incident,
    reason: str,
    expires_at: dt.datetime | None = None,
) -> AccessGrant:
    """Let ``user`` see a restricted incident (their role still decides what they may do)."""
    require(actor, "grant_access", incident)
    return _grant(
        actor,
        user=user,
        obj=incident,
        capability=Capability.RECORD_VIEW,
        reason=reason,
        expires_at=expires_at,
        audit_action="violations.incident.access_granted",
    )


@transaction.atomic
def revoke_grant(actor: User | None, grant: AccessGrant) -> AccessGrant:
    """Revoke a need-to-know grant now (idempotent)."""
    require(actor, "revoke", grant)
    if grant.object_type not in {rules.PERSON_TYPE, rules.INCIDENT_TYPE}:
        raise ValidationError({"grant": _("This grant is not about incidents or persons.")})
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    record(
        actor,
        "violations.grant.revoked",
        grant,
        organisation_id=grant.organisation_id,
        diff={"user": grant.user_id, "object": f"{grant.object_type}:{grant.object_id}"},
    )
    rules.forget_grants(grant.user)
    return grant
