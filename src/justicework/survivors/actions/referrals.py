"""Referrals of a survivor to a service provider (or a kind of service).

Every step that passes information on (proposing, checking consent, sending) asks the one
policy under the declared use ``survivors.referral`` with the provider's name (and its kind),
or the kind of service, as the consent qualifier; a refusal names the missing consent and
changes nothing.
The status changes only through :func:`change_status`, which knows the allowed transitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy, uses
from justicework.core.models import User
from justicework.core.policy import Decision
from justicework.survivors.models import Referral, ServiceKind, ServiceProvider, SurvivorFile

S = Referral.Status
REFERRAL_USE = "survivors.referral"

#: The one place that says which status may follow which.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.CONSENT_CHECKED, S.CLOSED}),
    S.CONSENT_CHECKED: frozenset({S.SENT, S.CLOSED}),
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.COMPLETED, S.CLOSED}),
    S.DECLINED: frozenset({S.CLOSED}),
    S.COMPLETED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
#: Moving into these passes information on: consent is asked again.
NEEDS_CONSENT = frozenset({S.CONSENT_CHECKED, S.SENT})
#: Statuses where a follow-up is still expected (reminders).
OPEN = frozenset({S.PROPOSED, S.CONSENT_CHECKED, S.SENT, S.ACCEPTED})


@dataclass(frozen=True)
class ReferralData:
    provider: ServiceProvider | None = None
    kind: str = ""
    shared_items: Sequence[str] = field(default_factory=tuple)
    note: str = ""
    responsible: User | None = None
    follow_up_on: dt.date | None = None


def qualifier(provider: ServiceProvider | None, kind: str) -> str:
    """The consent qualifier: the named provider, else the kind of service (its code)."""
    return provider.name if provider is not None else kind


def consent_for(
    actor: User, file: SurvivorFile, provider: ServiceProvider | None, kind: str
) -> Decision:
    """The policy's answer for referring the file's person to this service: a named provider
    is asked with its kind, so consent or refusal for the kind covers it (``gate``)."""
    of_kind = provider.kind if provider is not None else ""
    with uses.using(REFERRAL_USE, qualifier=qualifier(provider, kind), kind=of_kind):
        return policy.can(actor, "view", file.person)


def _require_consent(
    actor: User, file: SurvivorFile, provider: ServiceProvider | None, kind: str
) -> None:
    decision = consent_for(actor, file, provider, kind)
    if not decision:
        raise ValidationError({"consent": str(decision.reason)})


def _check(actor: User, file: SurvivorFile, data: ReferralData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.provider is not None:
        if not data.provider.active or not policy.can(actor, "view", data.provider):
            errors["provider"] = _("Choose an active provider from the directory.")
    elif data.kind not in ServiceKind.values:
        errors["kind"] = _("Choose a provider or a kind of service.")
    items = list(data.shared_items)
    if not items:
        errors["shared_items"] = _("Choose what information is passed on (the minimum necessary).")
    elif any(item not in Referral.Item.values for item in items) or len(set(items)) != len(items):
        errors["shared_items"] = _("Choose each item of information once, from the list.")
    if len(data.note) > 4000:
        errors["note"] = _("At most %(n)d characters.") % {"n": 4000}
    if data.responsible is not None and not policy.can(
        data.responsible, "manage", Referral(organisation_id=file.organisation_id)
    ):
        errors["responsible"] = _("The responsible person must be a support coordinator here.")
    if data.follow_up_on is not None and data.follow_up_on < timezone.localdate():
        errors["follow_up_on"] = _("The follow-up date is in the past.")
    return errors


def _diff(referral: Referral, **extra: object) -> dict[str, object]:
    """The audit diff: ids, status, what is passed; never the note or the outcome."""
    return {
        "file": referral.file_id,
        "provider": referral.provider_id,
        "kind": referral.kind,
        "status": referral.status,
        "shared_items": list(referral.shared_items),
        **extra,
    }


@transaction.atomic
def create_referral(actor: User, file: SurvivorFile, data: ReferralData) -> Referral:
    """Propose a referral. Refused (nothing written) without current consent to refer."""
    policy.require(actor, "manage", Referral(organisation_id=file.organisation_id))
    errors = _check(actor, file, data)
    if errors:
        raise ValidationError(errors)
    kind = data.provider.kind if data.provider is not None else data.kind
    _require_consent(actor, file, data.provider, kind)
    referral = Referral.objects.create(
        organisation_id=file.organisation_id, file=file, person_id=file.person_id,
        provider=data.provider, kind=kind, shared_items=list(data.shared_items),
        note=data.note.strip(), responsible=data.responsible or actor,
        follow_up_on=data.follow_up_on, created_by=actor,
    )  # fmt: skip
    record(
        actor, "survivors.referral.created", referral,
        organisation_id=file.organisation_id, diff=_diff(referral),
    )  # fmt: skip
    return referral


def allowed_next(referral: Referral) -> list[str]:
    """The statuses the referral may move to, in the order of the choices."""
    return [s for s in S.values if s in TRANSITIONS[referral.status]]


@transaction.atomic
def change_status(actor: User, referral: Referral, to: str, *, outcome: str = "") -> Referral:
    """Move the referral to ``to`` if the transitions allow it; checking consent and sending
    ask the policy for consent again (a withdrawal since the proposal stops it here)."""
    policy.require(actor, "manage", referral)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if to not in TRANSITIONS.get(locked.status, frozenset()):
        raise ValidationError(
            {"status": _("A referral cannot go from “%(from)s” to “%(to)s”.")
             % {"from": S(locked.status).label, "to": S(to).label if to in S.values else to}}
        )  # fmt: skip
    if to in NEEDS_CONSENT:
        _require_consent(actor, locked.file, locked.provider, locked.kind)
    if len(outcome) > 4000:
        raise ValidationError({"outcome": _("At most %(n)d characters.") % {"n": 4000}})
    before = locked.status
    locked.status = to
    if outcome.strip():
        locked.outcome = outcome.strip()
    locked.updated_at = timezone.now()
    locked.save()
    record(
        actor, "survivors.referral.status", locked, organisation_id=locked.organisation_id,
        diff=_diff(locked, previous=before, has_outcome=bool(locked.outcome)),
    )  # fmt: skip
    return locked


@transaction.atomic
def record_follow_up(
    actor: User, referral: Referral, *, follow_up_on: dt.date | None, outcome: str = ""
) -> Referral:
    """Set the next follow-up date (None: no further follow-up) and the outcome so far."""
    policy.require(actor, "manage", referral)
    if follow_up_on is not None and follow_up_on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("The follow-up date is in the past.")})
    if len(outcome) > 4000:
        raise ValidationError({"outcome": _("At most %(n)d characters.") % {"n": 4000}})
    referral.follow_up_on = follow_up_on
    if outcome.strip():
        referral.outcome = outcome.strip()
    referral.updated_at = timezone.now()
    referral.save()
    record(
        actor, "survivors.referral.follow_up", referral,
        organisation_id=referral.organisation_id,
        diff=_diff(referral, follow_up_on=str(follow_up_on), has_outcome=bool(referral.outcome)),
    )  # fmt: skip
    return referral
