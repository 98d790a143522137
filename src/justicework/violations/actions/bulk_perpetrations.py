"""Attributing many violations at once (importer, demo)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import Event, append_many
from justicework.core import bulk, policy
from justicework.core.models import Organisation, User
from justicework.violations.actions._bulk import (
    BulkRowErrors,
    clean_given,
    collect_errors,
    resolve,
)
from justicework.violations.actions._common import (
    require,
)
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import (
    Perpetration,
    Person,
    Unit,
    Violation,
)


def bulk_create_perpetrations(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
) -> list[Perpetration]:
    """Attribute many violations at once. Rows: ``violation`` (object or id), ``unit``
    (object or id) and/or ``person`` (object or code), ``involvement``, optional ``note``."""
    require(actor, "bulk_create_violations", organisation)
    org_id = organisation.pk
    found_violations = resolve(rows, "violation", Violation, org_id, "pk")
    found_units = resolve(rows, "unit", Unit, org_id, "pk")
    found_persons = resolve(rows, "person", Person, org_id, "code")
    now = timezone.now()
    errors: list[tuple[int, str, str]] = []
    created: list[Perpetration] = []
    allowed_incidents: dict[int, bool] = {}
    for index, row in enumerate(rows):
        for name in sorted(set(row) - {"violation", "unit", "person", "involvement", "note"}):
            errors.append((index, name, _("This field cannot be set here.")))
        objs: dict[str, Any] = {}
        for key, table in [
            ("violation", found_violations),
            ("unit", found_units),
            ("person", found_persons),
        ]:
            value = row.get(key)
            if value in (None, ""):
                objs[key] = None
            elif isinstance(value, Model):
                objs[key] = value if getattr(value, "organisation_id", None) == org_id else None
                if objs[key] is None:
                    errors.append((index, key, _("This record belongs to another organisation.")))
            else:
                objs[key] = table.get(value) or table.get(str(value))
                if objs[key] is None:
                    errors.append((index, key, _("%(value)s was not found.") % {"value": value}))
        violation = objs["violation"]
        if violation is None:
            if row.get("violation") in (None, ""):
                errors.append((index, "violation", _("This field is required.")))
            continue
        if actor is not None:
            if violation.incident_id not in allowed_incidents:
                allowed_incidents[violation.incident_id] = bool(
                    policy.can(actor, "change", violation)
                )
            if not allowed_incidents[violation.incident_id]:
                errors.append((index, "violation", _("You may not change this violation.")))
                continue
        perpetration = Perpetration(
            organisation_id=org_id,
            violation=violation,
            unit=objs["unit"],
            person=objs["person"],
            involvement=row.get("involvement") or "",
            note=row.get("note") or "",
            created_at=now,
        )
        try:
            clean_given(perpetration, ["involvement"])
        except ValidationError as exc:
            collect_errors(errors, index, exc)
            continue
        created.append(perpetration)
    if errors:
        raise BulkRowErrors(errors)
    with transaction.atomic():
        bulk.insert(Perpetration, created)
        append_many(
            [
                Event(
                    action="violations.perpetration.created",
                    actor=actor,
                    obj=p,
                    organisation_id=org_id,
                    diff={
                        "violation": p.violation_id,
                        "person": p.person.code if p.person else None,
                        "unit": p.unit_id,
                        "involvement": p.involvement,
                    },
                )
                for p in created
            ]
        )
        reindex_incidents({p.violation.incident_id for p in created if p.unit_id})
    return created
