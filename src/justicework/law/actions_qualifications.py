"""The one write of qualifications: a legal analyst's decision, audited.

The platform never qualifies on its own: :func:`decide_qualification` needs a signed-in person
(no ``None`` system actor, unlike other actions) holding ``qualify_violations`` in the
violation's organisation, and a note saying why.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import User
from justicework.law.catalogue import catalogue
from justicework.law.models import Qualification
from justicework.law.models.qualifications import NOTE_MAX_LENGTH
from justicework.law.qualification_map import known_crime_ids
from justicework.law.rules_qualifications import QUALIFY
from justicework.violations.models import Violation

#: decision → the status it records
DECISIONS = {
    "accept": Qualification.Status.ACCEPTED,
    "reject": Qualification.Status.REJECTED,
    "edit": Qualification.Status.EDITED,
    "propose": Qualification.Status.PROPOSED,
}
AUDIT_ACTION = "law.qualification.decide"


def _check(decision: str, crime_id: str, new_crime_id: str, note: str) -> None:
    """Every fault at once, each on its field; nothing is written if any."""
    known = known_crime_ids(catalogue())
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(DECISIONS)}
    if crime_id not in known:
        errors["crime_id"] = _("%(id)r is not a crime of the catalogue.") % {"id": crime_id}
    if decision == "edit":
        if not new_crime_id:
            errors["new_crime_id"] = _("Choose the crime that replaces the suggested one.")
        elif new_crime_id not in known:
            errors["new_crime_id"] = _("%(id)r is not a crime of the catalogue.") % {
                "id": new_crime_id
            }
        elif new_crime_id == crime_id:
            errors["new_crime_id"] = _("Choose another crime than the suggested one.")
    elif new_crime_id:
        errors["new_crime_id"] = _("Only an edit names a replacing crime.")
    if not note.strip():
        errors["note"] = _("Say why: a qualification is decided with a note.")
    elif len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _("At most %(n)s characters.") % {"n": NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decide_qualification(
    actor: User | None,
    violation: Violation,
    *,
    decision: str,
    crime_id: str,
    note: str,
    new_crime_id: str = "",
) -> Qualification:
    """Record ``actor``'s decision on ``crime_id`` for ``violation``: ``accept``, ``reject``,
    ``propose`` it, or ``edit`` it (``new_crime_id`` replaces it). A decision on a crime already
    decided for the violation replaces that decision (the audit log keeps the earlier one)."""
    if actor is None:
        raise PermissionDenied(
            _("A qualification is decided by a legal analyst, never by the system.")
        )
    policy.require(actor, "view", violation)
    policy.require(actor, QUALIFY, violation.organisation)
    crime_id, new_crime_id = crime_id.strip(), new_crime_id.strip()
    _check(decision, crime_id, new_crime_id, note)
    target = new_crime_id if decision == "edit" else crime_id
    found = (
        Qualification.objects.select_for_update()
        .filter(violation=violation, crime_id=target)
        .first()
    )
    before = _snapshot(found) if found else None
    item = found or Qualification(
        organisation_id=violation.organisation_id, violation=violation, crime_id=target
    )
    item.status = DECISIONS[decision]
    item.suggested_crime_id = crime_id if decision == "edit" else ""
    item.analyst = actor
    item.note = note.strip()
    item.catalogue_version = catalogue().version
    item.decided_at = timezone.now()
    item.save()
    record(
        actor,
        AUDIT_ACTION,
        item,
        diff={
            "violation": violation.pk,
            **diff_fields(before, _snapshot(item), sensitive=["note"]),
        },
        organisation_id=violation.organisation_id,
    )
    return item


def _snapshot(item: Qualification) -> dict[str, str]:
    return {
        "crime_id": item.crime_id,
        "suggested_crime_id": item.suggested_crime_id,
        "status": item.status,
        "note": item.note,
        "catalogue_version": item.catalogue_version,
    }
