"""Perpetrator units named by an import row with the source's own id (``perpetrator_unit_ref``).

The first row that names a reference creates the unit (name and kind from the row, through
``actions.bulk_create_units``: ``create_unit``'s policy, validation and audit); later rows and
later imports of the same mapping namespace find it again by the reference's keyed hash in
``dataio.ImportedRow``, as incidents are found. The violation is then attributed to the unit
(``bulk_create_perpetrations``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from justicework.core.actors import Actor
from justicework.core.bulk import insert_rows
from justicework.core.models import Organisation
from justicework.dataio.models import ImportedRow
from justicework.dataio.schema import ParsedRow, RowProblem
from justicework.violations import actions
from justicework.violations.models import Unit, Violation

UNIT_KEY_KIND = "violations.unit"
UNIT_FIELDS = ("perpetrator_unit_name", "perpetrator_unit_kind", "perpetrator_involvement")
DEFAULT_INVOLVEMENT = "alleged"


def unit_hash(namespace: str, ref: str) -> str:
    return hashlib.sha256(f"{namespace}\x1funit\x1f{ref}".encode()).hexdigest()


def _known(organisation: Organisation, namespace: str, refs: set[str]) -> dict[str, int]:
    """Reference → unit id, for the references an earlier chunk or import created."""
    hashes = {unit_hash(namespace, ref): ref for ref in refs}
    found = ImportedRow.objects.filter(
        organisation=organisation, kind=UNIT_KEY_KIND, key_hash__in=sorted(hashes)
    ).values_list("key_hash", "object_id")
    return {hashes[key]: int(pk) for key, pk in found}


def check_units(
    organisation: Organisation, namespace: str, rows: list[ParsedRow]
) -> list[RowProblem]:
    """A unit's details without its reference, or a new reference without name and kind."""
    problems: list[RowProblem] = []
    refs = {r.values["perpetrator_unit_ref"] for r in rows if r.values.get("perpetrator_unit_ref")}
    known = _known(organisation, namespace, refs) if refs else {}
    for row in rows:
        v = row.values
        ref = v.get("perpetrator_unit_ref")
        if not ref:
            for name in UNIT_FIELDS:
                if v.get(name):
                    message = _("Give the unit's reference (perpetrator_unit_ref) too.")
                    problems.append(RowProblem(row.number, name, message))
            continue
        if ref in known:
            continue
        for name in ("perpetrator_unit_name", "perpetrator_unit_kind"):
            if not v.get(name):
                message = _("The unit %(ref)s is new here: give its %(what)s.") % {
                    "ref": ref,
                    "what": name,
                }
                problems.append(RowProblem(row.number, name, message))
    return problems


def resolve_units(
    actor: Actor | None, organisation: Organisation, namespace: str, rows: list[ParsedRow]
) -> dict[str, Unit]:
    """The unit of every reference in ``rows``, creating those seen for the first time."""
    refs = {r.values["perpetrator_unit_ref"] for r in rows if r.values.get("perpetrator_unit_ref")}
    if not refs:
        return {}
    known = _known(organisation, namespace, refs)
    units: dict[str, Unit] = {}
    by_pk = Unit.objects.in_bulk(list(known.values()))
    units.update({ref: by_pk[pk] for ref, pk in known.items() if pk in by_pk})
    first_rows: dict[str, ParsedRow] = {}
    for row in rows:
        ref = row.values.get("perpetrator_unit_ref")
        if ref and ref not in units:
            first_rows.setdefault(ref, row)
    new_rows = list(first_rows.values())
    if not new_rows:
        return units
    try:
        new_units = actions.bulk_create_units(
            actor,
            organisation,
            [
                {
                    "name": row.values.get("perpetrator_unit_name") or "",
                    "kind": row.values.get("perpetrator_unit_kind") or "",
                }
                for row in new_rows
            ],
        )
    except actions.BulkRowErrors as exc:
        raise ValidationError(
            [
                f"row {new_rows[i].number}, perpetrator_unit_{name}: {message}"
                for i, name, message in exc.rows
            ]
        ) from exc
    created = list(zip(first_rows, new_units, strict=True))
    units.update(created)
    insert_rows(
        ImportedRow,
        ["organisation_id", "kind", "key_hash", "object_id", "run_id"],
        [
            (organisation.pk, UNIT_KEY_KIND, unit_hash(namespace, ref), str(u.pk), None)
            for ref, u in created
        ],
    )
    return units


def perpetration_rows(
    rows: Sequence[ParsedRow], violations: Sequence[Violation], units: Mapping[str, Unit]
) -> list[dict[str, Any]]:
    """``bulk_create_perpetrations`` rows: each row's violation attributed to its unit."""
    result: list[dict[str, Any]] = []
    for row, violation in zip(rows, violations, strict=True):
        ref = row.values.get("perpetrator_unit_ref")
        if ref:
            involvement = row.values.get("perpetrator_involvement") or DEFAULT_INVOLVEMENT
            result.append({"violation": violation, "unit": units[ref], "involvement": involvement})
    return result
