"""Interviews over the API (``/survivors/interviews``): the earlier accounts of a person, a new
interview (the repeat reason and the sexual-violence purpose checked by the action), unfolding
one narrative (an audited read, a POST) and the report of persons interviewed often. Runs under
the use ``survivors.interviews``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors import actions, interview_history
from justicework.survivors.api.safety import file_of
from justicework.survivors.models import Interview
from justicework.survivors.models.interviews import Gender

router = Router(tags=["survivors"])


class InterviewIn(Schema):
    held_at: dt.datetime
    purposes: list[Interview.Purpose] = Field(min_length=1, max_length=10)
    interviewer_gender: Gender
    preferred_gender: Interview.Preference
    place: Interview.Place
    duration_minutes: int = Field(ge=1, le=1440)
    breaks: int = Field(0, ge=0, le=100)
    interpreter: str = Field("", max_length=200)
    interpreter_gender: Gender | None = None
    support_person_present: bool = False
    first_aid_given: bool = False
    referral_offered: bool = False
    repeat_reason: str = Field("", max_length=100_000)
    narrative: str = Field("", max_length=100_000)
    sexual_violence_narrative: str = Field("", max_length=100_000)


class InterviewOut(Schema):
    id: int
    held_at: dt.datetime
    interviewer_id: int
    interviewer_gender: str
    interpreter_gender: str
    preferred_gender: str
    place: str
    support_person_present: bool
    duration_minutes: int
    breaks: int
    first_aid_given: bool
    referral_offered: bool
    purposes: list[str]
    has_narrative: bool
    has_sexual_violence_narrative: bool


class StatementOut(Schema):
    id: int
    title: str
    date: dt.date | None


class AccountsOut(Schema):
    person_id: int
    interviews: list[InterviewOut]
    statements: list[StatementOut]


class NarrativeOut(Schema):
    interview_id: int
    part: str
    text: str


class FrequentOut(Schema):
    person_id: int
    code: str
    interviews: int
    last: dt.datetime


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def _interview(i: Interview) -> dict[str, Any]:
    names = ("id", "held_at", "interviewer_id", "interviewer_gender", "interpreter_gender",
             "preferred_gender", "place", "support_person_present", "duration_minutes", "breaks",
             "first_aid_given", "referral_offered", "purposes")  # fmt: skip
    out = {name: getattr(i, name) for name in names}
    out["has_narrative"] = bool(getattr(i, "has_narrative", False))
    out["has_sexual_violence_narrative"] = bool(getattr(i, "has_sv_narrative", False))
    return out


def _accounts(user: User, person_id: int) -> dict[str, Any]:
    _person, file = file_of(user, person_id, "view_interviews")
    earlier = interview_history.earlier_accounts(user, file)
    return {
        "person_id": person_id,
        "interviews": [_interview(i) for i in earlier.interviews],
        "statements": [{"id": s.pk, "title": s.title, "date": s.date} for s in earlier.sources],
    }


@router.get("/persons/{int:person_id}", response=AccountsOut, summary="Earlier accounts")
def list_interviews(request: HttpRequest, person_id: Id) -> Any:
    return _accounts(_user(request), person_id)


@router.post("/persons/{int:person_id}", response={201: AccountsOut})
def record_interview(request: HttpRequest, person_id: Id, payload: InterviewIn) -> Any:
    user = _user(request)
    _person, file = file_of(user, person_id, "record_interview")
    data = payload.dict()
    data["interpreter_gender"] = data["interpreter_gender"] or ""
    actions.record_interview(user, file, actions.InterviewData(**data))
    return Status(201, _accounts(user, person_id))


def _unfold(request: HttpRequest, person_id: int, interview_id: int, part: str) -> Any:
    user = _user(request)
    _person, file = file_of(user, person_id, "view_interviews")
    interview = policy.get_or_404(
        user, Interview.objects.defer("narrative", "sexual_violence_narrative"), "view",
        pk=interview_id, file=file,
    )  # fmt: skip
    text = actions.unfold_narrative(user, interview, part)
    return {"interview_id": interview.pk, "part": part, "text": text}


@router.post(
    "/persons/{int:person_id}/{int:interview_id}/narrative",
    response=NarrativeOut,
    summary="Unfold the narrative (audited)",
)
def unfold_narrative(request: HttpRequest, person_id: Id, interview_id: Id) -> Any:
    return _unfold(request, person_id, interview_id, "narrative")


@router.post(
    "/persons/{int:person_id}/{int:interview_id}/sexual-violence",
    response=NarrativeOut,
    summary="Unfold the sexual violence questions and answers (audited)",
)
def unfold_sexual_violence(request: HttpRequest, person_id: Id, interview_id: Id) -> Any:
    return _unfold(request, person_id, interview_id, "sexual_violence")


@router.get("/report", response=list[FrequentOut], summary="Persons interviewed often")
def report(request: HttpRequest) -> Any:
    return interview_history.interviewed_often(_user(request))
