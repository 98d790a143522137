"""Actions on violations (one act against one victim) and on the persons linked to them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core.models import User
from justicework.violations.actions._bulk import (
    NewPerson,
)
from justicework.violations.actions._common import (
    VIOLATION_FIELDS,
    actor_or_none,
    apply_changes,
    check_fields,
    require,
    same_org,
    snapshot,
    touch,
)
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import (
    DatePrecision,
    Incident,
    Person,
    PersonRole,
    Violation,
)


def check_violation_links(violation: Violation, victim: Person | NewPerson | None) -> None:
    org_id = violation.organisation_id
    if violation.location is not None and violation.location.incident_id != violation.incident_id:
        raise ValidationError({"location": _("This place is not a location of the incident.")})
    same_org(violation.victim_group, org_id, "victim_group")
    same_org(victim, org_id, "victim")
    if victim is not None and violation.victim_group is not None:
        raise ValidationError(
            {"victim": _("A violation has one victim: a person or a group, not both.")}
        )


DATE_FIELDS = ("start_date", "end_date", "date_precision", "date_approximate")


def inherit_dates(violation: Violation, incident: Incident, fields: Mapping[str, Any]) -> None:
    """A violation given no dates at all takes the incident's (it happened during it)."""
    if not any(fields.get(name) not in (None, "") for name in DATE_FIELDS):
        for name in DATE_FIELDS:
            setattr(violation, name, getattr(incident, name))
        if incident.start_date is None:
            violation.date_precision = DatePrecision.UNKNOWN


@transaction.atomic
def add_violation(
    actor: User | None,
    incident: Incident,
    *,
    type: str,  # the vocabulary's name for it
    victim: Person | None = None,
    **fields: Any,
) -> Violation:
    """Record one act against one victim (``victim`` person or ``victim_group``)."""
    require(actor, "change", incident)
    check_fields(fields, VIOLATION_FIELDS - {"type"})
    violation = Violation(
        organisation_id=incident.organisation_id,
        incident=incident,
        type=type,
        created_by=actor_or_none(actor),
        **fields,
    )
    inherit_dates(violation, incident, fields)
    violation.full_clean(exclude=["incident", "organisation", "location", "victim_group"])
    check_violation_links(violation, victim)
    violation.save()
    if victim is not None:
        PersonRole.objects.create(
            organisation_id=incident.organisation_id,
            violation=violation,
            person=victim,
            role=PersonRole.Role.VICTIM,
        )
    record(
        actor,
        "violations.violation.created",
        violation,
        diff={
            "incident": incident.pk,
            "victim": victim.code if victim else None,
            **snapshot(violation, sorted(VIOLATION_FIELDS)),
        },
    )
    reindex_incidents([incident.pk])
    return violation


@transaction.atomic
def update_violation(actor: User | None, violation: Violation, **changes: Any) -> Violation:
    require(actor, "change", violation)
    check_fields(changes, VIOLATION_FIELDS)
    before = snapshot(violation, changes)
    victim = Person.objects.filter(
        roles__violation=violation, roles__role=PersonRole.Role.VICTIM
    ).first()

    def validate() -> None:
        violation.full_clean(exclude=["incident", "organisation", "location", "victim_group"])
        check_violation_links(violation, victim)

    apply_changes(violation, changes, validate)
    touch(violation)
    violation.save()
    record(
        actor,
        "violations.violation.updated",
        violation,
        diff=diff_fields(before, snapshot(violation, changes)),
    )
    reindex_incidents([violation.incident_id])
    return violation


@transaction.atomic
def remove_violation(actor: User | None, violation: Violation) -> None:
    require(actor, "delete", violation)
    incident_id = violation.incident_id
    record(
        actor,
        "violations.violation.deleted",
        violation,
        diff={"incident": incident_id, "type": violation.type},
    )
    violation.delete()
    reindex_incidents([incident_id])


@transaction.atomic
def link_person(actor: User | None, violation: Violation, person: Person, role: str) -> PersonRole:
    """Link ``person`` to ``violation`` as its victim, a witness or a source."""
    require(actor, "change", violation)
    require(actor, "view", person)
    same_org(person, violation.organisation_id, "person")
    if role not in PersonRole.Role.values:
        raise ValidationError({"role": _("%(value)r is not a role.") % {"value": role}})
    if role == PersonRole.Role.VICTIM:
        if violation.victim_group_id is not None:
            raise ValidationError(
                {"role": _("This violation's victim is a group; it cannot also have a person.")}
            )
        if violation.person_roles.filter(role=PersonRole.Role.VICTIM).exists():
            raise ValidationError({"role": _("This violation already has a victim.")})
    if violation.person_roles.filter(person=person, role=role).exists():
        raise ValidationError({"person": _("This person already has this role here.")})
    link = PersonRole.objects.create(
        organisation_id=violation.organisation_id, violation=violation, person=person, role=role
    )
    record(
        actor,
        "violations.person.linked",
        link,
        diff={"violation": violation.pk, "person": person.code, "role": role},
    )
    return link


@transaction.atomic
def unlink_person(actor: User | None, link: PersonRole) -> None:
    require(actor, "delete", link)
    record(
        actor,
        "violations.person.unlinked",
        link,
        diff={"violation": link.violation_id, "person": link.person.code, "role": link.role},
    )
    link.delete()
