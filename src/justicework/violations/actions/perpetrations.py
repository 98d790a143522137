"""Attributing a violation to a person and/or a unit (and removing the attribution)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import User
from justicework.violations.actions._common import (
    require,
    same_org,
)
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import (
    Perpetration,
    Person,
    Unit,
    Violation,
)


@transaction.atomic
def add_perpetration(
    actor: User | None,
    violation: Violation,
    *,
    involvement: str,
    person: Person | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> Perpetration:
    """Attribute ``violation`` to a person and/or a unit with a degree of involvement."""
    require(actor, "change", violation)
    if person is None and unit is None:
        raise ValidationError({"person": _("Name a person, a unit or both.")})
    same_org(person, violation.organisation_id, "person")
    same_org(unit, violation.organisation_id, "unit")
    perpetration = Perpetration(
        organisation_id=violation.organisation_id,
        violation=violation,
        person=person,
        unit=unit,
        involvement=involvement,
        note=note,
    )
    perpetration.full_clean(exclude=["organisation", "violation", "person", "unit"])
    perpetration.save()
    record(
        actor,
        "violations.perpetration.created",
        perpetration,
        diff={
            "violation": violation.pk,
            "person": person.code if person else None,
            "unit": unit.pk if unit else None,
            "involvement": involvement,
        },
    )
    if unit is not None:
        reindex_incidents([violation.incident_id])
    return perpetration


@transaction.atomic
def remove_perpetration(actor: User | None, perpetration: Perpetration) -> None:
    require(actor, "delete", perpetration)
    incident_id = perpetration.violation.incident_id
    record(
        actor,
        "violations.perpetration.deleted",
        perpetration,
        diff={"violation": perpetration.violation_id},
    )
    perpetration.delete()
    reindex_incidents([incident_id])
