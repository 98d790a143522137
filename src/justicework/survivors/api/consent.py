"""Consent over the API (``/survivors/persons/{id}/...``): open the file, read where each use
stands and the history, record consent, withdraw one use. Runs under the use
``survivors.consent``; the survivor's words never travel in a response here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.evidence.models import Item
from justicework.survivors import actions, queries
from justicework.survivors.models import Consent, InformationSheet, SurvivorFile
from justicework.violations.models import Person

router = Router(tags=["survivors"])


class FileIn(Schema):
    is_child: bool = False
    preferred_language: str = Field("", max_length=16)


class UseIn(Schema):
    scope: Scope
    given: bool
    qualifier: str = Field("", max_length=200)


class HowIn(Schema):
    given_at: dt.datetime
    method: Consent.Method
    language: str = Field(min_length=1, max_length=16)
    interpreter: str = Field("", max_length=200)
    given_by: Consent.GivenBy = Consent.GivenBy.SURVIVOR
    guardian_relationship: str = Field("", max_length=100)
    recording_id: Id | None = None


class ConsentIn(HowIn):
    uses: list[UseIn] = Field(min_length=1, max_length=50)
    sheet_id: Id | None = None
    conditions: str = Field("", max_length=4000)


class WithdrawIn(HowIn):
    scope: Scope
    qualifier: str = Field("", max_length=200)


class UseOut(Schema):
    scope: str
    qualifier: str
    answer: str
    since: dt.datetime


class DecisionOut(Schema):
    scope: str
    qualifier: str
    answer: str


class ConsentOut(Schema):
    id: int
    given_at: dt.datetime
    method: str
    language: str
    given_by: str
    sheet_id: int | None
    recording_id: int | None
    taken_by_id: int
    decisions: list[DecisionOut]


class FileOut(Schema):
    person_id: int
    is_child: bool
    opened_at: dt.datetime
    uses: list[UseOut]
    history: list[ConsentOut]


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def _file(user: User, person_id: int, action: str = "view") -> SurvivorFile:
    person = policy.get_or_404(
        user, Person.objects.only("id", "organisation_id"), "view", pk=person_id
    )
    file = policy.visible(user, SurvivorFile, "view").filter(person=person).first()
    if file is None:
        raise Http404
    policy.require(user, action, file)
    return file


def _out(file: SurvivorFile) -> dict[str, Any]:
    return {
        "person_id": file.person_id,
        "is_child": file.is_child,
        "opened_at": file.opened_at,
        "uses": [
            {
                "scope": r.scope,
                "qualifier": r.qualifier,
                "answer": r.answer,
                "since": r.decision.consent.given_at,
            }
            for r in queries.current_uses(file)
        ],
        "history": [
            {
                "id": c.pk,
                "given_at": c.given_at,
                "method": c.method,
                "language": c.language,
                "given_by": c.given_by,
                "sheet_id": c.sheet_id,
                "recording_id": c.recording_id,
                "taken_by_id": c.taken_by_id,
                "decisions": [
                    {"scope": d.scope, "qualifier": d.qualifier, "answer": d.answer}
                    for d in c.decisions.all()
                ],
            }
            for c in queries.history(file, with_words=False)
        ],
    }


def _how(user: User, file: SurvivorFile, payload: HowIn, **extra: Any) -> actions.How:
    recording = None
    if payload.recording_id is not None:
        recording = (
            policy.visible(user, Item, "view")
            .filter(pk=payload.recording_id, organisation_id=file.organisation_id)
            .first()
        )
        if recording is None:
            raise PermissionDenied(_("No evidence item you may open has this number."))
    return actions.How(
        given_at=payload.given_at, method=payload.method, language=payload.language,
        interpreter=payload.interpreter, given_by=payload.given_by,
        guardian_relationship=payload.guardian_relationship, recording=recording, **extra,
    )  # fmt: skip


@router.get("/persons/{int:person_id}/consent", response=FileOut, summary="Consent of a person")
def get_consent(request: HttpRequest, person_id: Id) -> Any:
    return _out(_file(_user(request), person_id))


@router.post("/persons/{int:person_id}/file", response={201: FileOut})
def open_file(request: HttpRequest, person_id: Id, payload: FileIn) -> Any:
    user = _user(request)
    person = policy.get_or_404(user, Person, "view", pk=person_id)
    file = actions.open_survivor_file(
        user, person, is_child=payload.is_child, preferred_language=payload.preferred_language
    )
    return Status(201, _out(file))


@router.post("/persons/{int:person_id}/consent", response={201: FileOut})
def record_consent(request: HttpRequest, person_id: Id, payload: ConsentIn) -> Any:
    user = _user(request)
    file = _file(user, person_id, "record_consent")
    sheet = None
    if payload.sheet_id is not None:
        sheet = (
            policy.visible(user, InformationSheet, "view")
            .filter(pk=payload.sheet_id, organisation_id=file.organisation_id)
            .first()
        )
        if sheet is None:
            raise PermissionDenied(_("No information sheet of this organisation has this number."))
    how = _how(user, file, payload, sheet=sheet, conditions=payload.conditions)
    choices = [actions.Choice(u.scope, u.given, u.qualifier) for u in payload.uses]
    actions.record_consent(user, file, how, choices)
    return Status(201, _out(file))


@router.post("/persons/{int:person_id}/consent/withdraw", response={201: FileOut})
def withdraw_consent(request: HttpRequest, person_id: Id, payload: WithdrawIn) -> Any:
    user = _user(request)
    file = _file(user, person_id, "record_consent")
    actions.withdraw_consent(
        user, file, _how(user, file, payload), payload.scope, payload.qualifier
    )
    return Status(201, _out(file))
