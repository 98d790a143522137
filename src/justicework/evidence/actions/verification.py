"""Verification acts on an item: a finding (source, item or content level) and a change of its
status through the machine in ``evidence.verification``; each a custody entry "verified" (which
also writes the audit entry). The organisation's two-person setting is changed here too."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.actors import Actor
from justicework.core.models import Organisation, User
from justicework.evidence import verification
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.models import CustodyEntry, Finding, Item, VaultSettings

VERIFIED = CustodyEntry.Event.VERIFIED
TEXT_LIMIT = 5000


def two_person(organisation_id: int) -> bool:
    """Does the organisation ask for two people to verify?"""
    return VaultSettings.objects.filter(
        organisation_id=organisation_id, two_person_verification=True
    ).exists()


def _clean_finding(level: str, text: str, confidence: str) -> str:
    errors: dict[str, str] = {}
    if level not in Finding.Level.values:
        errors["level"] = _("Choose the level: source, item or content.")
    if confidence not in Finding.Confidence.values:
        errors["confidence"] = _("Choose the confidence: low, medium or high.")
    text = text.strip()
    if not text:
        errors["text"] = _("Write the finding.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def record_finding(actor: User, item: Item, *, level: str, text: str, confidence: str) -> Finding:
    """A finding by ``actor`` on ``item``; an unverified item goes into review with it."""
    policy.require(actor, "verify", item)
    text = _clean_finding(level, text, confidence)
    finding = Finding.objects.create(
        organisation_id=item.organisation_id, item=item, level=level, text=text,
        confidence=confidence, reviewer=actor, reviewer_label=actor.email, at=timezone.now(),
    )  # fmt: skip
    append_custody(actor, item, VERIFIED, {
        "act": "finding", "finding": finding.pk, "level": level, "confidence": confidence,
        "text_sha256": _sha256(text),
    })  # fmt: skip
    if item.status == Item.Status.UNVERIFIED:
        set_status(actor, item, Item.Status.IN_REVIEW)
    return finding


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def set_status(actor: User, item: Item, new: str, *, note: str = "") -> Item:
    """Move ``item`` to ``new`` if the machine allows it now (``verification.problem``)."""
    policy.require(actor, "verify", item)
    locked = Item.objects.select_for_update().get(pk=item.pk)
    authors = list(Finding.objects.filter(item=locked).values_list("reviewer_id", flat=True))
    why = verification.problem(
        locked.status, new, finding_authors=authors, actor_id=actor.pk,
        two_person=two_person(locked.organisation_id),
    )  # fmt: skip
    if why is not None:
        raise ValidationError({"status": why})
    if len(note) > TEXT_LIMIT:
        raise ValidationError({"note": _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    old = locked.status
    Item.objects.filter(pk=item.pk).update(status=new)
    item.status = new
    append_custody(actor, item, VERIFIED, {
        "act": "status", "from": old, "to": new, "note": note.strip(),
        "two_person": two_person(item.organisation_id),
    })  # fmt: skip
    return item


@transaction.atomic
def set_two_person_verification(
    actor: Actor, organisation: Organisation, enabled: bool
) -> VaultSettings:
    """Turn the organisation's two-person verification on or off (audited)."""
    if actor is not None:
        policy.require(actor, "evidence.settings", organisation)
    row, _created = VaultSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    old = row.two_person_verification
    row.two_person_verification = enabled
    row.updated_by = actor
    row.updated_at = timezone.now()
    row.save()
    record(
        actor, "evidence.settings.changed", row, organisation_id=organisation.pk,
        diff={"two_person_verification": [old, enabled]},
    )  # fmt: skip
    return row
