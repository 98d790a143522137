"""Actions on the dated hierarchy of units: a unit being part of another over a period.

A unit is part of one unit at a time: two periods of the same unit may not overlap. No unit is
part of itself on any date: adding a period may not close a loop with the periods (and, for a
unit with no period recorded, the ``Unit.parent``) already recorded for the days it covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import User
from justicework.violations.actions._common import (
    apply_changes,
    check_fields,
    require,
    same_org,
    snapshot,
)
from justicework.violations.models import Source, Unit, UnitSubordination

SUBORDINATION_FIELDS = frozenset({"parent", "valid_from", "valid_to", "source", "note"})
#: the audit diff's fields (ids for the foreign keys)
_SNAPSHOT = ("parent", "valid_from", "valid_to", "source", "note")
#: how far up a loop is looked for (the chain pages stop there too)
MAX_DEPTH = 64

Period = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class _Link:
    parent_id: int
    start: dt.date | None
    end: dt.date | None


def overlap(a: Period, b: Period) -> Period | None:
    """The days two periods share (``None`` ends are open), or ``None`` when they share none."""
    starts = [d for d in (a[0], b[0]) if d is not None]
    ends = [d for d in (a[1], b[1]) if d is not None]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    if start is not None and end is not None and start > end:
        return None
    return start, end


def _links(organisation_id: int, exclude_pk: int | None) -> dict[int, list[_Link]]:
    """Every unit's links upwards: its periods, or its ``parent`` (all days) when it has none."""
    links: dict[int, list[_Link]] = {}
    rows = UnitSubordination.objects.filter(organisation_id=organisation_id)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    for unit_id, parent_id, start, end in rows.values_list(
        "unit_id", "parent_id", "valid_from", "valid_to"
    ):
        links.setdefault(unit_id, []).append(_Link(parent_id, start, end))
    for unit_id, parent_id in Unit.objects.filter(
        organisation_id=organisation_id, parent__isnull=False
    ).values_list("id", "parent_id"):
        links.setdefault(unit_id, [_Link(parent_id, None, None)])
    return links


def _loop_day(links: dict[int, list[_Link]], sub: UnitSubordination) -> Period | None:
    """The days on which ``sub`` would make its unit part of itself (``None``: never)."""
    todo: list[tuple[int, Period, int]] = [(sub.parent_id, (sub.valid_from, sub.valid_to), 0)]
    seen: set[tuple[int, Period]] = set()
    while todo:
        unit_id, period, depth = todo.pop()
        if unit_id == sub.unit_id:
            return period
        if (unit_id, period) in seen or depth >= MAX_DEPTH:
            continue
        seen.add((unit_id, period))
        for link in links.get(unit_id, ()):
            shared = overlap(period, (link.start, link.end))
            if shared is not None:
                todo.append((link.parent_id, shared, depth + 1))
    return None


def _day(value: dt.date | None, default: str) -> str:
    return value.isoformat() if value else default


def check_subordination(sub: UnitSubordination) -> None:
    """The period's checks (each error names its field); nothing is written."""
    if sub.valid_from and sub.valid_to and sub.valid_to < sub.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    if sub.parent_id == sub.unit_id:
        raise ValidationError({"parent": _("A unit cannot be part of itself.")})
    same_org(sub.parent, sub.organisation_id, "parent")
    same_org(sub.source, sub.organisation_id, "source")
    sub.note = (sub.note or "").strip()
    others = UnitSubordination.objects.filter(unit_id=sub.unit_id).exclude(pk=sub.pk)
    for other in others.select_related("parent"):
        if overlap((sub.valid_from, sub.valid_to), (other.valid_from, other.valid_to)):
            message = _(
                "The unit is already recorded as part of %(parent)s from %(start)s to %(end)s; "
                "a unit is part of one unit at a time."
            ) % {
                "parent": other.parent.name,
                "start": _day(other.valid_from, _("an unknown date")),
                "end": _day(other.valid_to, _("no recorded end")),
            }
            raise ValidationError({"valid_from": message})
    loop = _loop_day(_links(sub.organisation_id, sub.pk), sub)
    if loop is not None:
        day = loop[0] or loop[1]
        message = (
            _("This would make the unit part of itself (through %(parent)s) on %(day)s.")
            % {"parent": sub.parent.name, "day": day.isoformat()}
            if day
            else _("This would make the unit part of itself (through %(parent)s).")
            % {"parent": sub.parent.name}
        )
        raise ValidationError({"parent": message})


def _check_source(actor: User | None, source: Source | None) -> None:
    if actor is not None and source is not None and not policy.can(actor, "view", source):
        raise ValidationError({"source": _("You cannot see this record.")})


@transaction.atomic
def add_unit_subordination(
    actor: User | None, unit: Unit, parent: Unit, **fields: Any
) -> UnitSubordination:
    """Record that ``unit`` was part of ``parent`` from ``valid_from`` to ``valid_to``."""
    require(actor, "change", unit)
    check_fields(fields, SUBORDINATION_FIELDS - {"parent"})
    _check_source(actor, fields.get("source"))
    sub = UnitSubordination(
        organisation_id=unit.organisation_id, unit=unit, parent=parent, **fields
    )
    check_subordination(sub)
    sub.save()
    record(
        actor,
        "violations.unit.subordination_added",
        sub,
        diff={"unit": unit.pk, **snapshot(sub, _SNAPSHOT)},
    )
    return sub


@transaction.atomic
def update_unit_subordination(
    actor: User | None, sub: UnitSubordination, **changes: Any
) -> UnitSubordination:
    require(actor, "change", sub)
    check_fields(changes, SUBORDINATION_FIELDS)
    _check_source(actor, changes.get("source"))
    before = snapshot(sub, changes)
    apply_changes(sub, changes, lambda: check_subordination(sub))
    sub.save()
    record(
        actor,
        "violations.unit.subordination_updated",
        sub,
        diff={"unit": sub.unit_id, **diff_fields(before, snapshot(sub, changes))},
    )
    return sub


@transaction.atomic
def remove_unit_subordination(actor: User | None, sub: UnitSubordination) -> None:
    require(actor, "delete", sub)
    diff = {"unit": sub.unit_id, **snapshot(sub, _SNAPSHOT)}
    record(actor, "violations.unit.subordination_removed", sub, diff=diff)
    sub.delete()
