"""Attributing many violations at once (importer, demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple, overload

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import Event, append_many
from justicework.core import bulk, policy
from justicework.core.models import Organisation, User
from justicework.violations.actions._bulk import (
    BulkRowErrors,
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


class _Attribution(NamedTuple):
    """A checked row: what one perpetration stores."""

    violation: Violation
    unit: Unit | None
    person: Person | None
    involvement: str
    note: str


@overload
def bulk_create_perpetrations(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
    *,
    reindex: bool = ...,
    instances: Literal[True] = ...,
) -> list[Perpetration]: ...


@overload
def bulk_create_perpetrations(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
    *,
    reindex: bool = ...,
    instances: Literal[False],
) -> list[int]: ...


def bulk_create_perpetrations(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
    *,
    reindex: bool = True,
    instances: bool = True,
) -> list[Perpetration] | list[int]:
    """Attribute many violations at once. Rows: ``violation`` (object or id), ``unit``
    (object or id) and/or ``person`` (object or code), ``involvement``, optional ``note``.
    ``reindex=False``: the caller reindexes the incidents (their unit names changed).
    ``instances=False`` returns the new ids only (the importer: rows are written from
    tuples either way, the same rows)."""
    require(actor, "bulk_create_violations", organisation)
    org_id = organisation.pk
    checked = _checked(actor, org_id, rows)
    now = timezone.now()
    with transaction.atomic():
        ids = _write(actor, org_id, checked, now)
        if reindex:
            reindex_incidents({a.violation.incident_id for a in checked if a.unit is not None})
    if not instances:
        return ids
    return [_instance(org_id, pk, a, now) for pk, a in zip(ids, checked, strict=True)]


def _checked(
    actor: User | None, org_id: int, rows: Sequence[Mapping[str, Any]]
) -> list[_Attribution]:
    """Every row checked as ``add_perpetration`` checks it (:class:`BulkRowErrors`)."""
    tables = {
        "violation": resolve(rows, "violation", Violation, org_id, "pk"),
        "unit": resolve(rows, "unit", Unit, org_id, "pk"),
        "person": resolve(rows, "person", Person, org_id, "code"),
    }
    errors: list[tuple[int, str, str]] = []
    checked: list[_Attribution] = []
    allowed: dict[int, bool] = {}
    cleaned: dict[Any, str] = {}
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
        # The field first, then the model's clean() (as clean_given: one or the other).
        involvement = _involvement(row.get("involvement") or "", cleaned, index, errors)
        if involvement is None:
            continue
        if objs["unit"] is None and objs["person"] is None:
            errors.append((index, "unit", _("A perpetration names a person, a unit or both.")))
            continue
        note = row.get("note") or ""
        checked.append(_Attribution(violation, objs["unit"], objs["person"], involvement, note))
    if errors:
        raise BulkRowErrors(errors)
    return checked


def _field(name: str) -> Field[Any, Any]:
    field = Perpetration._meta.get_field(name)
    assert isinstance(field, Field)
    return field


_INVOLVEMENT = _field("involvement")


def _involvement(
    value: str, cleaned: dict[Any, str], index: int, errors: list[tuple[int, str, str]]
) -> str | None:
    """The involvement as the model field cleans it (once per value of the batch); None and
    errors added when it is not valid."""
    key = (type(value), value)
    if key not in cleaned:
        try:
            cleaned[key] = _INVOLVEMENT.clean(value, None)
        except ValidationError as exc:
            errors.extend((index, "involvement", message) for message in exc.messages)
            return None
    return cleaned[key]


def _instance(org_id: int, pk: int, a: _Attribution, now: dt.datetime) -> Perpetration:
    """A written perpetration as the saved instance ``Perpetration(...).save()`` leaves."""
    perpetration = Perpetration(
        pk=pk,
        organisation_id=org_id,
        violation=a.violation,
        unit=a.unit,
        person=a.person,
        involvement=a.involvement,
        note=a.note,
        created_at=now,
    )
    perpetration._state.adding = False
    perpetration._state.db = connection.alias
    return perpetration


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


_COLUMNS = [
    "id",
    "organisation_id",
    "violation_id",
    "person_id",
    "unit_id",
    "involvement",
    "note",
    "created_at",
]


def _write(
    actor: User | None, org_id: int, checked: Sequence[_Attribution], now: dt.datetime
) -> list[int]:
    """The perpetrations as rows (no model instances) and one audit entry each."""
    ids = bulk.allocate_ids(Perpetration, len(checked))
    stamp = bulk.db_value(Perpetration, "created_at", now)
    bulk.insert_rows(
        Perpetration,
        _COLUMNS,
        [
            (
                pk,
                org_id,
                a.violation.pk,
                a.person.pk if a.person is not None else None,
                a.unit.pk if a.unit is not None else None,
                a.involvement,
                a.note,
                stamp,
            )
            for pk, a in zip(ids, checked, strict=True)
        ],
    )
    object_type = Perpetration._meta.label_lower
    append_many(
        Event(
            action="violations.perpetration.created",
            actor=actor,
            object_type=object_type,
            object_id=str(pk),
            organisation_id=org_id,
            diff={
                "violation": a.violation.pk,
                "person": a.person.code if a.person is not None else None,
                "unit": a.unit.pk if a.unit is not None else None,
                "involvement": a.involvement,
            },
        )
        for pk, a in zip(ids, checked, strict=True)
    )
    return ids
