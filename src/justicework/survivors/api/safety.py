"""Safety assessments over the API (``/survivors/safety/persons/{id}``): read the current one
(an audited read) and the warnings, record a new one. Runs under the use
``survivors.safety``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors import actions, safety
from justicework.survivors.models import SafetyAssessment, SurvivorFile
from justicework.violations.models import Person

router = Router(tags=["survivors"])


class SafetyIn(Schema):
    review_on: dt.date
    threats: str = Field("", max_length=4000)
    contact_methods: str = Field(min_length=1, max_length=4000)
    contact_times: str = Field("", max_length=4000)
    never_tell: str = Field("", max_length=4000)
    code_word: str = Field("", max_length=100)


class AssessmentOut(Schema):
    id: int
    review_on: dt.date
    overdue: bool
    threats: str
    contact_methods: str
    contact_times: str
    never_tell: str
    code_word: str
    recorded_at: dt.datetime
    recorded_by_id: int


class SafetyOut(Schema):
    person_id: int
    warnings: list[str]
    current: AssessmentOut | None


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def file_of(user: User, person_id: int, action: str) -> tuple[Person, SurvivorFile]:
    person = policy.get_or_404(
        user, Person.objects.only("id", "code", "organisation_id"), "view", pk=person_id
    )
    file = policy.visible(user, SurvivorFile, "view").filter(person=person).first()
    if file is None:
        raise Http404
    decision = policy.can(user, action, file)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return person, file


def _assessment(a: SafetyAssessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "id": a.pk, "review_on": a.review_on, "overdue": a.overdue, "threats": a.threats or "",
        "contact_methods": a.contact_methods or "", "contact_times": a.contact_times or "",
        "never_tell": a.never_tell or "", "code_word": a.code_word or "",
        "recorded_at": a.recorded_at, "recorded_by_id": a.recorded_by_id,
    }  # fmt: skip


def _out(user: User, person: Person, current: SafetyAssessment | None) -> dict[str, Any]:
    warnings = [str(w.text) for w in safety.warnings_for(user, person)]
    return {"person_id": person.pk, "warnings": warnings, "current": _assessment(current)}


@router.get("/persons/{int:person_id}", response=SafetyOut, summary="Safety assessment")
def get_safety(request: HttpRequest, person_id: Id) -> Any:
    user = _user(request)
    person, file = file_of(user, person_id, "view_safety")
    return _out(user, person, actions.read_safety_assessment(user, file))


@router.post("/persons/{int:person_id}", response={201: SafetyOut})
def record_safety(request: HttpRequest, person_id: Id, payload: SafetyIn) -> Any:
    user = _user(request)
    person, file = file_of(user, person_id, "record_safety")
    created = actions.record_safety_assessment(user, file, actions.Safety(**payload.dict()))
    return Status(201, _out(user, person, created))
