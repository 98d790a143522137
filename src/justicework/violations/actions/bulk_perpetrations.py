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
    *,
    reindex: bool = True,
) -> list[Perpetration]:
    """Attribute many violations at once. Rows: ``violation`` (object or id), ``unit``
    (object or id) and/or ``person`` (object or code), ``involvement``, optional ``note``.
    ``reindex=False``: the caller reindexes the incidents (their unit names changed)."""
    require(actor, "bulk_create_violations", organisation)
    org_id = organisation.pk
    tables = {
        "violation": resolve(rows, "violation", Violation, org_id, "pk"),
        "unit": resolve(rows, "unit", Unit, org_id, "pk"),
        "person": resolve(rows, "person", Person, org_id, "code"),
    }
    now = timezone.now()
    errors: list[tuple[int, str, str]] = []
    created: list[Perpetration] = []
    allowed: dict[int, bool] = {}
    for index, row in enumerate(rows):
        for name in sorted(set(row) - _ROW_FIELDS):
            errors.append((index, name, _("This field cannot be set here.")))
        objs = {
            key: _lookup(row, key, table, org_id, index, errors) for key, table in tables.items()
        }
        violation = objs["violation"]
        if violation is None:
            if row.get("violation") in (None, ""):
                errors.append((index, "violation", _("This field is required.")))
            continue
        if actor is not None and not _may_change(actor, violation, allowed):
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
        _write(actor, org_id, created)
        if reindex:
            reindex_incidents({p.violation.incident_id for p in created if p.unit_id})
    return created


_ROW_FIELDS = frozenset({"violation", "unit", "person", "involvement", "note"})


def _lookup(
    row: Mapping[str, Any],
    key: str,
    table: Mapping[Any, Any],
    org_id: int,
    index: int,
    errors: list[tuple[int, str, str]],
) -> Any:
    """The record a row names under ``key`` (an instance of the organisation, or a key found in
    ``table``); None, with an error when something was named but not found."""
    value = row.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, Model):
        if getattr(value, "organisation_id", None) == org_id:
            return value
        errors.append((index, key, _("This record belongs to another organisation.")))
        return None
    found = table.get(value) or table.get(str(value))
    if found is None:
        errors.append((index, key, _("%(value)s was not found.") % {"value": value}))
    return found


def _may_change(actor: User, violation: Violation, allowed: dict[int, bool]) -> bool:
    """``change`` on the violation, asked once per incident of the batch."""
    if violation.incident_id not in allowed:
        allowed[violation.incident_id] = bool(policy.can(actor, "change", violation))
    return allowed[violation.incident_id]


def _write(actor: User | None, org_id: int, created: Sequence[Perpetration]) -> None:
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
