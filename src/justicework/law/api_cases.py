"""``/api/v1/law/cases``: case files, their charges, the case matrix and its gaps, read and
written through ``law.queries_cases``, ``law.actions_cases`` and the policy, under the declared
use ``law.cases``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import Organisation
from justicework.law import actions_cases as actions
from justicework.law.models import CaseFile, Charge, MatrixEntry
from justicework.law.queries_cases import cases_for, matrix_for, visible_ids

router = Router(tags=["law"])


class LawCaseIn(Schema):
    organisation_id: Id
    title: str = Field(min_length=1, max_length=300)
    country: str = Field(min_length=2, max_length=2)
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    summary: str = Field("", max_length=20000)
    restricted: bool = False


class LawCaseOut(Schema):
    id: int
    organisation_id: int
    title: str
    country: str
    period_from: dt.date | None
    period_to: dt.date | None
    summary: str
    restricted: bool


class LawChargeIn(Schema):
    crime_id: str = Field(min_length=1, max_length=40)
    mode_id: str = Field(min_length=1, max_length=40)
    note: str = Field("", max_length=5000)


class LawChargeOut(Schema):
    id: int
    case_id: int
    crime_id: str
    mode_id: str
    note: str


class LawEntryIn(Schema):
    part: MatrixEntry.Part
    element: int = Field(ge=1, le=100)
    #: the fact or piece of evidence: exactly one of the four
    violation_id: Id | None = None
    incident_id: Id | None = None
    item_id: Id | None = None
    source_id: Id | None = None
    bearing: MatrixEntry.Bearing
    strength: MatrixEntry.Strength
    note: str = Field("", max_length=5000)


class LawEntryPatch(Schema):
    """What may change in an entry: its assessment (its cell and record stay)."""

    bearing: MatrixEntry.Bearing | None = None
    strength: MatrixEntry.Strength | None = None
    note: str | None = Field(None, max_length=5000)


class LawEntryOut(Schema):
    id: int
    bearing: str
    strength: str
    note: str
    link: str
    #: the linked record's id; null when the reader may not see that record
    link_id: int | None


class LawCellOut(Schema):
    part: str
    number: int
    type: str
    text: str
    strength: str
    contradicted: bool
    gap: bool
    entries: list[LawEntryOut]


class LawMatrixRowOut(Schema):
    charge: LawChargeOut
    crime_title: str
    mode_title: str
    cells: list[LawCellOut]


class LawGapOut(Schema):
    charge_id: int
    crime_id: str
    part: str
    number: int
    type: str
    text: str
    strength: str
    kinds: list[str]
    hint: str


def _case(request: HttpRequest, case_id: int, action: str = "view") -> CaseFile:
    return policy.get_or_404(acting_user(request), CaseFile, action, pk=case_id)


@router.get("", response=list[LawCaseOut], operation_id="law_case_list")
def list_cases(request: HttpRequest) -> Any:
    return list(cases_for(acting_user(request)).order_by("-created_at", "-pk")[:500])


@router.post("", response={201: LawCaseOut}, operation_id="law_case_create")
def create_case(request: HttpRequest, payload: LawCaseIn) -> Any:
    user = acting_user(request)
    org = policy.get_or_404(user, Organisation, "create_case_file", pk=payload.organisation_id)
    data = payload.dict(exclude={"organisation_id", "title", "country"})
    case = actions.create_case_file(
        user, org, title=payload.title, country=payload.country, team=[user], **data
    )
    return Status(201, case)


@router.get("/{int:case_id}", response=LawCaseOut, operation_id="law_case_get")
def get_case(request: HttpRequest, case_id: Id) -> Any:
    return _case(request, case_id)


@router.get("/{int:case_id}/charges", response=list[LawChargeOut], operation_id="law_charges")
def list_charges(request: HttpRequest, case_id: Id) -> Any:
    case = _case(request, case_id)
    return list(policy.visible(acting_user(request), Charge).filter(case=case))


@router.post("/{int:case_id}/charges", response={201: LawChargeOut}, operation_id="law_charge_add")
def add_charge(request: HttpRequest, case_id: Id, payload: LawChargeIn) -> Any:
    case = _case(request, case_id)
    return Status(201, actions.add_charge(acting_user(request), case, **payload.dict()))


@router.post(
    "/charges/{int:charge_id}/entries",
    response={201: LawEntryOut},
    operation_id="law_matrix_entry_add",
)
def add_entry(request: HttpRequest, charge_id: Id, payload: LawEntryIn) -> Any:
    user = acting_user(request)
    charge = policy.get_or_404(user, Charge.objects.select_related("case"), "view", pk=charge_id)
    given = {f: getattr(payload, f"{f}_id") for f in actions.ENTRY_LINKS}
    given = {field: pk for field, pk in given.items() if pk is not None}
    if len(given) != 1:
        raise ValidationError(
            {"violation_id": _("Give exactly one of violation, incident, item or source.")}
        )
    [(field, pk)] = given.items()
    model = actions.link_models()[actions.ENTRY_LINKS[field]]
    link = policy.get_or_404(user, model, "view", pk=pk)
    data = payload.dict(include={"part", "element", "bearing", "strength", "note"})
    entry = actions.add_matrix_entry(user, charge, link=link, **data)
    out = {"id": entry.pk, "bearing": entry.bearing, "strength": entry.strength}
    return Status(201, {**out, "note": entry.note, "link": field, "link_id": link.pk})


@router.patch(
    "/entries/{int:entry_id}", response=LawEntryOut, operation_id="law_matrix_entry_update"
)
def update_entry(request: HttpRequest, entry_id: Id, payload: LawEntryPatch) -> Any:
    """Change an entry's bearing, strength or note (``change`` on its case); a field sent as
    null is refused by the action, naming it."""
    user = acting_user(request)
    entry = policy.get_or_404(
        user, MatrixEntry.objects.select_related("charge__case"), "view", pk=entry_id
    )
    given = payload.dict(exclude_unset=True)
    changes = {name: value if value is None else str(value) for name, value in given.items()}
    entry = actions.update_matrix_entry(user, entry, **changes)
    field = next(f for f in actions.ENTRY_LINKS if getattr(entry, f"{f}_id") is not None)
    pk = getattr(entry, f"{field}_id")
    model = actions.link_models()[actions.ENTRY_LINKS[field]]
    shown = pk in visible_ids(user, model, [pk])
    out = {"id": entry.pk, "bearing": entry.bearing, "strength": entry.strength}
    return {**out, "note": entry.note, "link": field, "link_id": pk if shown else None}


@router.get("/{int:case_id}/matrix", response=list[LawMatrixRowOut], operation_id="law_matrix")
def get_matrix(request: HttpRequest, case_id: Id) -> Any:
    case = _case(request, case_id)
    matrix = matrix_for(acting_user(request), case, get_language() or "en")
    rows = []
    for row in matrix.rows:
        cells = []
        for cell in row.cells:
            entries = []
            for entry in cell.entries:
                link, link_id = matrix.link_of(entry)
                entries.append(
                    {"id": entry.pk, "bearing": entry.bearing, "strength": entry.strength}
                    | {"note": entry.note, "link": link, "link_id": link_id}
                )
            element = cell.element
            cells.append(
                {"part": cell.part, "number": element.number, "type": element.type}
                | {"text": element.text, "strength": cell.strength, "gap": cell.gap}
                | {"contradicted": cell.contradicted, "entries": entries}
            )
        rows.append(
            {"charge": row.charge, "crime_title": row.crime_title}
            | {"mode_title": row.mode_title, "cells": cells}
        )
    return rows


@router.get("/{int:case_id}/gaps", response=list[LawGapOut], operation_id="law_gaps")
def get_gaps(request: HttpRequest, case_id: Id) -> Any:
    case = _case(request, case_id)
    matrix = matrix_for(acting_user(request), case, get_language() or "en")
    return [
        {"charge_id": m.charge.pk, "crime_id": m.charge.crime_id, "part": m.part}
        | {"number": m.element.number, "type": m.element.type, "text": m.element.text}
        | {"strength": m.strength, "kinds": [k for k, _label in m.kinds], "hint": str(m.hint)}
        for m in matrix.missing
    ]


def register() -> None:
    from justicework.api import router_registry

    router_registry.register("/law/cases", router, use="law.cases")
