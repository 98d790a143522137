"""Need-to-know grants: on a person's identity (one person, the creator's automatic grant, a
set of persons in one decision), on a restricted incident; and revoking them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import AccessGrant, Membership, Organisation, User
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


def _check_grant(
    obj_organisation_id: int, user: User, reason: str, expires_at: dt.datetime | None
) -> str:
    """The reason stripped, or a ``ValidationError`` naming every bad field."""
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say why this person needs to know.")
    elif len(reason) > 300:
        errors["reason"] = _("At most 300 characters.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry is in the past.")
    if not Membership.objects.filter(
        user=user, organisation_id=obj_organisation_id, organisation__is_active=True
    ).exists():
        errors["user"] = _("This user is not a member of the owning organisation.")
    if errors:
        raise ValidationError(errors)
    return reason


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
    reason = _check_grant(obj.organisation_id, user, reason, expires_at)
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


#: The reason stored on the automatic grant of a person's creator (data, not UI text).
CREATOR_REASON = "recorded this person"


def grant_creator_need_to_know(actor: User | None, person: Person) -> AccessGrant | None:
    """The creator's automatic, time-limited need-to-know on the identity they just typed
    (``settings.CREATOR_NEED_TO_KNOW_DAYS``), audited. Called by ``create_person`` inside its
    transaction (the creation is the authority); nothing for the system or for a creator whose
    role does not open identities."""
    if actor is None or not rules.may_hold_identity_grant(actor, person.organisation_id):
        return None
    expires_at = timezone.now() + dt.timedelta(days=settings.CREATOR_NEED_TO_KNOW_DAYS)
    return _grant(
        actor,
        user=actor,
        obj=person,
        capability=Capability.IDENTITY_REVEAL,
        reason=CREATOR_REASON,
        expires_at=expires_at,
        audit_action="violations.person.creator_need_to_know_granted",
    )


def _ids_digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


@transaction.atomic
def grant_need_to_know_for_set(
    actor: User | None,
    organisation: Organisation,
    user: User,
    persons: QuerySet[Person],
    *,
    reason: str,
    expires_at: dt.datetime,
    selection: Mapping[str, Any],
) -> int:
    """Let ``user`` open the identity of every person of ``persons`` (cut to ``organisation``)
    in one decision: one grant row per person who has no current one, one audit entry on the
    organisation with the selection that named them (``selection``: an import run, the incident
    list's filters), the number of persons and a digest of their ids. Returns how many grants
    were made."""
    require(actor, "grant_need_to_know_set", organisation)
    if expires_at is None:
        raise ValidationError({"expires_at": _("A grant for many persons needs an end date.")})
    reason = _check_grant(organisation.pk, user, reason, expires_at)
    ids = sorted(set(persons.filter(organisation=organisation).values_list("pk", flat=True)))
    now = timezone.now()
    held = set(
        AccessGrant.objects.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            user=user,
            capability=Capability.IDENTITY_REVEAL,
            object_type=rules.PERSON_TYPE,
            revoked_at__isnull=True,
        ).values_list("object_id", flat=True)
    )
    fresh = [pk for pk in ids if str(pk) not in held]
    _create_person_grants(actor, organisation, user, fresh, reason, expires_at)
    record(
        actor,
        "violations.person.need_to_know_granted_set",
        organisation,
        organisation_id=organisation.pk,
        diff={
            "user": user.pk,
            "reason": reason,
            "expires_at": expires_at.isoformat(),
            "selection": dict(selection),
            "persons": len(ids),
            "granted": len(fresh),
            "persons_sha256": _ids_digest(ids),
        },
    )
    rules.forget_grants(user)
    return len(fresh)


def _create_person_grants(
    actor: User | None,
    organisation: Organisation,
    user: User,
    person_ids: list[int],
    reason: str,
    expires_at: dt.datetime,
) -> None:
    AccessGrant.objects.bulk_create(
        [
            AccessGrant(
                user=user,
                organisation=organisation,
                capability=Capability.IDENTITY_REVEAL,
                object_type=rules.PERSON_TYPE,
                object_id=str(pk),
                granted_by=actor_or_none(actor),
                reason=reason,
                expires_at=expires_at,
            )
            for pk in person_ids
        ],
        batch_size=1000,
    )
