"""``/api/v1/law/art28``: a case file's per-element art. 28 records, read through
``law.command.records`` and written through ``law.actions_command`` and the policy, under the
declared use ``law.cases``. Every element of each mode is listed, those with nothing recorded
too; a record whose suspect or fact the caller may not see is left out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id, InputSchema
from justicework.core import policy
from justicework.law import actions_command as actions
from justicework.law.actions_cases import ENTRY_LINKS, link_models
from justicework.law.command import records
from justicework.law.models import CaseFile, CommandElementRecord, MatrixEntry
from justicework.violations.models import Person, Unit

router = Router(tags=["law"])


class LawArt28RecordIn(InputSchema):
    #: the suspect: exactly one of the two, one of the case's suspects
    suspect_person_id: Id | None = None
    suspect_unit_id: Id | None = None
    mode_id: str = Field(min_length=1, max_length=8)
    element: int = Field(ge=1, le=100)
    #: the fact or piece of evidence: exactly one of the four
    violation_id: Id | None = None
    incident_id: Id | None = None
    item_id: Id | None = None
    source_id: Id | None = None
    bearing: MatrixEntry.Bearing
    strength: MatrixEntry.Strength
    note: str = Field("", max_length=actions.NOTE_MAX_LENGTH)
    concerns_from: dt.date | None = None
    concerns_to: dt.date | None = None


class LawArt28RecordPatch(InputSchema):
    bearing: MatrixEntry.Bearing | None = None
    strength: MatrixEntry.Strength | None = None
    note: str | None = Field(None, max_length=actions.NOTE_MAX_LENGTH)
    concerns_from: dt.date | None = None
    concerns_to: dt.date | None = None


class LawArt28RecordOut(Schema):
    id: int
    case_id: int
    suspect_kind: str
    suspect_id: int
    mode_id: str
    element: int
    link: str
    link_id: int
    label: str
    bearing: str
    strength: str
    note: str
    concerns_from: dt.date | None
    concerns_to: dt.date | None


class LawArt28ElementOut(Schema):
    number: int
    type: str
    text: str
    citation: str
    nothing_recorded: bool
    contradicted: bool
    records: list[LawArt28RecordOut]


class LawArt28SuspectModeOut(Schema):
    case_id: int
    suspect_kind: str
    suspect_id: int
    suspect_label: str
    mode_id: str
    empty_elements: list[int]
    elements: list[LawArt28ElementOut]


def row_out(row: records.Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "case_id": row.case_id,
        "suspect_kind": row.suspect[0],
        "suspect_id": row.suspect[1],
        "mode_id": row.mode_id,
        "element": row.element,
        "link": row.link[0],
        "link_id": row.link[1],
        "label": row.label,
        "bearing": row.bearing,
        "strength": row.strength,
        "note": row.note,
        "concerns_from": row.concerns_from,
        "concerns_to": row.concerns_to,
    }


def group_out(group: records.SuspectMode) -> dict[str, Any]:
    elements = [
        {"number": c.element.number, "type": c.element.type, "text": c.element.text}
        | {"citation": c.element.citation, "nothing_recorded": c.nothing_recorded}
        | {"contradicted": c.contradicted, "records": [row_out(r) for r in c.rows]}
        for c in group.elements
    ]
    return {
        "case_id": group.case_id,
        "suspect_kind": group.suspect[0],
        "suspect_id": group.suspect[1],
        "suspect_label": group.suspect_label,
        "mode_id": group.mode_id,
        "empty_elements": [e.number for e in group.empty_elements],
        "elements": elements,
    }


def _one(payload: Any, names: tuple[str, ...], field: str, message: str) -> tuple[str, int]:
    given = {n: getattr(payload, f"{n}_id") for n in names}
    chosen = [(n, pk) for n, pk in given.items() if pk is not None]
    if len(chosen) != 1:
        raise ValidationError({field: message})
    return chosen[0]


@router.get(
    "/cases/{int:case_id}", response=list[LawArt28SuspectModeOut], operation_id="law_art28_case"
)
def case_records(request: HttpRequest, case_id: Id) -> Any:
    user = acting_user(request)
    case = policy.get_or_404(user, CaseFile, "view", pk=case_id)
    return [group_out(g) for g in records.for_case(user, case)]


@router.post(
    "/cases/{int:case_id}/records",
    response={201: LawArt28RecordOut},
    operation_id="law_art28_record_add",
)
def add_record(request: HttpRequest, case_id: Id, payload: LawArt28RecordIn) -> Any:
    user = acting_user(request)
    case = policy.get_or_404(user, CaseFile, "view", pk=case_id)
    kind, pk = _one(
        payload,
        ("suspect_person", "suspect_unit"),
        "suspect_person_id",
        _("Give exactly one of suspect person or suspect unit."),
    )
    suspect = policy.get_or_404(user, Person if kind == "suspect_person" else Unit, "view", pk=pk)
    field, pk = _one(
        payload,
        tuple(ENTRY_LINKS),
        "violation_id",
        _("Give exactly one of violation, incident, item or source."),
    )
    link = policy.get_or_404(user, link_models()[ENTRY_LINKS[field]], "view", pk=pk)
    values = payload.dict(include={"bearing", "strength", "note", "concerns_from", "concerns_to"})
    rec = actions.add_command_record(
        user,
        case,
        suspect=suspect,
        mode_id=payload.mode_id,
        element=payload.element,
        link=link,
        **values,
    )
    return Status(201, _out(user, rec))


def _out(user: Any, rec: CommandElementRecord) -> dict[str, Any]:
    [row] = records.visible_rows(user, pk=rec.pk)
    return row_out(row)


def _record(request: HttpRequest, art28_record_id: int) -> CommandElementRecord:
    """The record, if the caller may read it in full (404 for a record left out of reads)."""
    user = acting_user(request)
    queryset = CommandElementRecord.objects.select_related("case")
    rec = policy.get_or_404(user, queryset, "view", pk=art28_record_id)
    if not records.visible_rows(user, pk=rec.pk):
        raise Http404
    return rec


@router.patch(
    "/records/{int:art28_record_id}",
    response=LawArt28RecordOut,
    operation_id="law_art28_record_update",
)
def update_record(request: HttpRequest, art28_record_id: Id, payload: LawArt28RecordPatch) -> Any:
    user = acting_user(request)
    rec = _record(request, art28_record_id)
    changes = payload.dict(exclude_unset=True)
    for name in ("bearing", "strength", "note"):
        if name in changes and changes[name] is None:
            del changes[name]  # null leaves these as they are; a date set to null clears it
    return _out(user, actions.update_command_record(user, rec, **changes))


@router.delete(
    "/records/{int:art28_record_id}", response={204: None}, operation_id="law_art28_record_remove"
)
def remove_record(request: HttpRequest, art28_record_id: Id) -> Any:
    actions.remove_command_record(acting_user(request), _record(request, art28_record_id))
    return Status(204, None)


def register() -> None:
    from justicework.api import router_registry

    router_registry.register("/law/art28", router, use="law.cases")
