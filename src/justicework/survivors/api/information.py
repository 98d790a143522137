"""The information log over the API (``/survivors/information``): read a file's entries, log
one, list the survivors not updated for ``JUSTICEWORK_SURVIVORS_UPDATE_DAYS`` days. Runs under
the use ``survivors.participation``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors import actions, queries_information
from justicework.survivors.models import InformationGiven, SurvivorFile
from justicework.violations.models import Person

router = Router(tags=["survivors"])


class EntryIn(Schema):
    what: str = Field(min_length=1, max_length=4000)
    given_at: dt.datetime
    how: InformationGiven.How
    for_survivor: bool = False


class EntryOut(EntryIn):
    id: int
    given_by_id: int


class StaleOut(Schema):
    person_id: int
    code: str
    opened_at: dt.datetime
    last: dt.datetime | None
    days: int


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def _file(user: User, person_id: int, action: str) -> SurvivorFile:
    person = policy.get_or_404(
        user, Person.objects.only("id", "organisation_id"), "view", pk=person_id
    )
    file = policy.visible(user, SurvivorFile, "view").filter(person=person).first()
    if file is None:
        raise Http404
    policy.require(user, action, file)
    return file


def _entry(e: InformationGiven) -> dict[str, Any]:
    return {
        "id": e.pk, "what": e.what or "", "given_at": e.given_at, "how": e.how,
        "for_survivor": e.for_survivor, "given_by_id": e.given_by_id,
    }  # fmt: skip


@router.get("/persons/{int:person_id}", response=list[EntryOut], summary="Information given")
def get_log(request: HttpRequest, person_id: Id) -> Any:
    file = _file(_user(request), person_id, "view_information")
    return [_entry(e) for e in queries_information.log(file)]


@router.post("/persons/{int:person_id}", response={201: EntryOut})
def log_information(request: HttpRequest, person_id: Id, payload: EntryIn) -> Any:
    user = _user(request)
    file = _file(user, person_id, "record_information")
    entry = actions.record_information(
        user, file, what=payload.what, given_at=payload.given_at, how=payload.how,
        for_survivor=payload.for_survivor,
    )  # fmt: skip
    return Status(201, _entry(entry))


@router.get("/not-updated", response=list[StaleOut], summary="Survivors not updated")
def not_updated(request: HttpRequest) -> Any:
    rows = queries_information.not_updated(_user(request), settings.SURVIVORS_UPDATE_DAYS)
    return [
        {"person_id": r.person_id, "code": r.code, "opened_at": r.opened_at, "last": r.last,
         "days": r.days}
        for r in rows
    ]  # fmt: skip
