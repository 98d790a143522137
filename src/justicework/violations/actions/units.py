"""Actions on perpetrator units and their commanders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core.models import Organisation, User
from justicework.violations.actions._common import (
    COMMANDER_FIELDS,
    UNIT_FIELDS,
    apply_changes,
    check_fields,
    require,
    same_org,
    snapshot,
    touch,
)
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import (
    Person,
    Unit,
    UnitCommander,
    Violation,
)


def check_unit(unit: Unit) -> None:
    """``create_unit``'s and ``update_unit``'s checks (the bulk form uses them too)."""
    unit.country = (unit.country or "").upper()
    if not isinstance(unit.aliases, list) or not all(isinstance(a, str) for a in unit.aliases):
        raise ValidationError({"aliases": _("Expected a list of names.")})
    unit.full_clean(exclude=["organisation", "parent"])
    parent = unit.parent
    if parent is None:
        return
    same_org(parent, unit.organisation_id, "parent")
    seen = {unit.pk} if unit.pk else set()
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("A unit cannot be part of itself.")})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def create_unit(
    actor: User | None,
    organisation: Organisation,
    *,
    name: str,
    kind: str,
    **fields: Any,
) -> Unit:
    require(actor, "create_unit", organisation)
    check_fields(fields, UNIT_FIELDS - {"name", "kind"})
    unit = Unit(organisation=organisation, name=(name or "").strip(), kind=kind, **fields)
    check_unit(unit)
    unit.save()
    record(actor, "violations.unit.created", unit, diff=snapshot(unit, sorted(UNIT_FIELDS)))
    return unit


@transaction.atomic
def update_unit(actor: User | None, unit: Unit, **changes: Any) -> Unit:
    require(actor, "change", unit)
    check_fields(changes, UNIT_FIELDS)
    before = snapshot(unit, changes)
    apply_changes(unit, changes, lambda: check_unit(unit))
    touch(unit)
    unit.save()
    record(
        actor, "violations.unit.updated", unit, diff=diff_fields(before, snapshot(unit, changes))
    )
    affected = Violation.objects.filter(perpetrations__unit=unit).values_list(
        "incident_id", flat=True
    )
    if "name" in changes:
        reindex_incidents(affected)
    return unit


@transaction.atomic
def add_unit_commander(
    actor: User | None,
    unit: Unit,
    person: Person,
    *,
    title: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> UnitCommander:
    """Record that ``person`` commanded ``unit`` from ``start_date`` to ``end_date``."""
    require(actor, "change", unit)
    same_org(person, unit.organisation_id, "person")
    command = UnitCommander(
        organisation_id=unit.organisation_id,
        unit=unit,
        person=person,
        title=title,
        start_date=start_date,
        end_date=end_date,
    )
    command.full_clean(exclude=["organisation", "unit", "person"])
    command.save()
    record(
        actor,
        "violations.unit.commander_added",
        command,
        diff={
            "unit": unit.pk,
            "person": person.code,
            **snapshot(command, sorted(COMMANDER_FIELDS)),
        },
    )
    return command


@transaction.atomic
def update_unit_commander(
    actor: User | None, command: UnitCommander, **changes: Any
) -> UnitCommander:
    require(actor, "change", command)
    check_fields(changes, COMMANDER_FIELDS)
    before = snapshot(command, changes)
    apply_changes(
        command, changes, lambda: command.full_clean(exclude=["organisation", "unit", "person"])
    )
    command.save()
    record(
        actor,
        "violations.unit.commander_updated",
        command,
        diff=diff_fields(before, snapshot(command, changes)),
    )
    return command


@transaction.atomic
def remove_unit_commander(actor: User | None, command: UnitCommander) -> None:
    require(actor, "delete", command)
    record(actor, "violations.unit.commander_removed", command, diff={"unit": command.unit_id})
    command.delete()
