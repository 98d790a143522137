"""Creating many perpetrator units at once (the importer's new units by reference): each
checked as ``create_unit`` checks it, then one write and one audit entry per unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from justicework.audit.chain import Event, append_many
from justicework.core import bulk
from justicework.core.models import Organisation, User
from justicework.violations.actions._bulk import BulkRowErrors, collect_errors
from justicework.violations.actions._common import (
    UNIT_FIELDS,
    check_fields,
    require,
    snapshot,
)
from justicework.violations.actions.units import check_unit
from justicework.violations.models import Unit


def bulk_create_units(
    actor: User | None, organisation: Organisation, rows: Sequence[Mapping[str, Any]]
) -> list[Unit]:
    """Create many units. Each row holds ``name``, ``kind`` and optionally other
    ``UNIT_FIELDS``. Every row is checked first, as ``create_unit`` checks it
    (:class:`BulkRowErrors`: nothing written); then one transaction with the units and one
    ``violations.unit.created`` entry each, with ``create_unit``'s diff."""
    require(actor, "create_unit", organisation)
    now = timezone.now()
    errors: list[tuple[int, str, str]] = []
    units: list[Unit] = []
    for index, row in enumerate(rows):
        fields = {k: v for k, v in row.items() if k not in ("name", "kind")}
        try:
            check_fields(fields, UNIT_FIELDS - {"name", "kind"})
            # The stamps and aliases are always set: bulk.writes(Unit) relies on it.
            unit = Unit(
                organisation=organisation,
                name=(row.get("name") or "").strip(),
                kind=row.get("kind") or "",
                created_at=now,
                updated_at=now,
                **{"aliases": [], **fields},
            )
            check_unit(unit)
        except ValidationError as exc:
            collect_errors(errors, index, exc)
            continue
        units.append(unit)
    if errors:
        raise BulkRowErrors(errors)
    with transaction.atomic():
        bulk.insert(Unit, units)
        append_many(
            Event(
                action="violations.unit.created",
                actor=actor,
                obj=unit,
                organisation_id=organisation.pk,
                diff=snapshot(unit, _SNAPSHOT),
            )
            for unit in units
        )
    return units


_SNAPSHOT = sorted(UNIT_FIELDS)
