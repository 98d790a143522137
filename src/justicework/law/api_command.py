"""Command responsibility in the API (``/api/v1/law/command/…``), the same functions as the
pages: the chain of command of a unit or a person on a date, the art. 28 summary of a suspect
and the pattern counts of a unit and its sub-units. Reads only, behind the policy's ``view``
of the unit or person (``record.view`` in its organisation); persons by pseudonymous code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from justicework.api.core import acting_user
from justicework.api.types import Id
from justicework.core import policy
from justicework.law.api_command_records import LawArt28SuspectModeOut, group_out
from justicework.law.command import art28, chain, pattern, records
from justicework.violations.models import Person, Unit

router = Router(tags=["law"])


class LawCommandCommanderOut(Schema):
    person_id: int
    person_code: str
    title: str
    start_date: dt.date | None
    end_date: dt.date | None
    #: "yes": the dates recorded cover the date; "maybe": they do not settle it
    covers: str


class LawCommandChainLevelOut(Schema):
    unit_id: int
    unit_name: str
    #: "known", "uncertain" or "not_recorded" (unknown, not "nobody")
    state: str
    #: how the unit's link to the level above is known on the date: "dated" (a recorded
    #: period), "current" (no period recorded: the hierarchy as recorded now),
    #: "none_on_date" (periods recorded, none covering the date) or "top"
    basis: str
    commanders: list[LawCommandCommanderOut]


class LawCommandUnitChainOut(Schema):
    unit_id: int
    date: dt.date
    #: the top of the hierarchy first, the unit last
    levels: list[LawCommandChainLevelOut]


class LawCommandPersonCommandOut(Schema):
    unit_id: int
    covers: str
    levels: list[LawCommandChainLevelOut]


class LawCommandPersonChainOut(Schema):
    person_id: int
    person_code: str
    date: dt.date
    commands: list[LawCommandPersonCommandOut]


class LawCommandAttributedOut(Schema):
    violation_id: int
    violation_type: str
    unit_id: int
    unit_name: str
    involvement: str


class LawCommandMaterialOut(Schema):
    kind: str
    id: int
    title: str
    detail: str


class LawCommandElementFindingOut(Schema):
    number: int
    text: str
    citation: str
    nothing_recorded: bool
    facts: list[str]


class LawCommandArt28IncidentOut(Schema):
    incident_id: int
    title: str
    date: dt.date | None
    units: list[int]
    attributed: list[LawCommandAttributedOut]
    elements: list[LawCommandElementFindingOut]
    material: list[LawCommandMaterialOut]


class LawCommandArt28Out(Schema):
    person_id: int
    person_code: str
    mode: str
    incidents: list[LawCommandArt28IncidentOut]
    #: per case file (the person a suspect under art. 28) and mode: every element with what
    #: is recorded for it (``/api/v1/law/art28``), those with nothing recorded too
    recorded: list[LawArt28SuspectModeOut]
    undated_incident_ids: list[int]
    truncated: bool


class LawCommandPatternCellOut(Schema):
    unit_id: int
    month: str  # YYYY-MM
    incidents: int


class LawCommandPatternUnitOut(Schema):
    unit_id: int
    name: str
    incidents: int


class LawCommandPatternOut(Schema):
    unit_id: int
    start: dt.date | None
    end: dt.date | None
    months: list[str]
    units: list[LawCommandPatternUnitOut]
    cells: list[LawCommandPatternCellOut]
    totals: dict[str, int]
    undated: int


def _level(level: chain.Level) -> dict[str, Any]:
    return {
        "unit_id": level.unit.id,
        "unit_name": level.unit.name,
        "state": level.state.value,
        "basis": level.basis.value,
        "commanders": [
            {
                "person_id": h.command.person_id,
                "person_code": h.command.person_code,
                "title": h.command.title,
                "start_date": h.command.start,
                "end_date": h.command.end,
                "covers": h.cover.value,
            }
            for h in level.holders
        ],
    }


@router.get(
    "/units/{unit_id}/chain", response=LawCommandUnitChainOut, operation_id="law_unit_chain"
)
def unit_chain(request: HttpRequest, unit_id: Id, date: dt.date | None = None) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit.objects.only("id", "organisation_id"), "view", pk=unit_id)
    on = date or timezone.localdate()
    hierarchy = chain.load_hierarchy(user, unit.organisation_id)
    levels = chain.unit_chain(hierarchy, unit.pk, on)
    return {"unit_id": unit.pk, "date": on, "levels": [_level(lv) for lv in levels]}


@router.get(
    "/persons/{person_id}/chain", response=LawCommandPersonChainOut, operation_id="law_person_chain"
)
def person_chain(request: HttpRequest, person_id: Id, date: dt.date | None = None) -> Any:
    user = acting_user(request)
    person = _person(request, person_id)
    on = date or timezone.localdate()
    hierarchy = chain.load_hierarchy(user, person.organisation_id)
    commands = [
        {
            "unit_id": pc.holder.command.unit_id,
            "covers": pc.holder.cover.value,
            "levels": [_level(lv) for lv in pc.chain],
        }
        for pc in chain.person_chains(hierarchy, person.pk, on)
    ]
    return {"person_id": person.pk, "person_code": person.code, "date": on, "commands": commands}


def _person(request: HttpRequest, person_id: int) -> Person:
    queryset = Person.objects.only("id", "code", "organisation_id")
    return policy.get_or_404(acting_user(request), queryset, "view", pk=person_id)


@router.get(
    "/persons/{person_id}/art28", response=LawCommandArt28Out, operation_id="law_art28_summary"
)
def art28_summary(request: HttpRequest, person_id: Id) -> Any:
    user = acting_user(request)
    person = _person(request, person_id)
    summary = art28.summarise(user, chain.load_hierarchy(user, person.organisation_id), person.pk)
    incidents = [
        {
            "incident_id": s.incident_id,
            "title": s.title,
            "date": s.date,
            "units": sorted(s.units),
            "attributed": [vars(a) for a in s.attributed],
            "elements": [
                {
                    "number": f.element.number,
                    "text": f.element.text,
                    "citation": f.element.citation,
                    "nothing_recorded": f.nothing_recorded,
                    "facts": list(f.facts),
                }
                for f in s.elements
            ],
            "material": [vars(m) for m in s.material],
        }
        for s in summary.incidents
    ]
    return {
        "person_id": person.pk,
        "person_code": person.code,
        "mode": art28.MODE_ID,
        "incidents": incidents,
        "undated_incident_ids": [pk for pk, _title in summary.undated],
        "recorded": [group_out(g) for g in records.for_person(user, person)],
        "truncated": summary.truncated,
    }


@router.get(
    "/units/{unit_id}/pattern", response=LawCommandPatternOut, operation_id="law_unit_pattern"
)
def unit_pattern(
    request: HttpRequest, unit_id: Id, start: dt.date | None = None, end: dt.date | None = None
) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit.objects.only("id", "organisation_id"), "view", pk=unit_id)
    hierarchy = chain.load_hierarchy(user, unit.organisation_id)
    try:
        found = pattern.incident_pattern(user, hierarchy, unit.pk, start, end)
    except pattern.PeriodError as exc:
        raise ValidationError({"end": str(exc)}) from None
    return {
        "unit_id": unit.pk,
        "start": start,
        "end": end,
        "months": [m.strftime("%Y-%m") for m in found.months],
        "units": [{"unit_id": u, "name": n, "incidents": c} for u, n, c in found.units],
        "cells": [
            {"unit_id": u, "month": m.strftime("%Y-%m"), "incidents": c}
            for (u, m), c in sorted(found.counts.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ],
        "totals": {m.strftime("%Y-%m"): c for m, c in sorted(found.totals.items())},
        "undated": found.undated,
    }


def register() -> None:
    from justicework.api import router_registry

    router_registry.register("/law/command", router, use="violations.records")
