"""Participation over the API (``/survivors/participation/persons/{id}``): read the current
wishes, their versions and the applications for victim status; record a new version; record
an application or its new state. Runs under the use ``survivors.participation``."""

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
from justicework.survivors import actions, queries_participation
from justicework.survivors.actions.participation import TEXT_FIELDS
from justicework.survivors.models import (
    Forum,
    ParticipationWish,
    SurvivorFile,
    VictimStatusApplication,
)
from justicework.violations.models import Person

router = Router(tags=["survivors"])
TakePart = ParticipationWish.TakePart


class WishIn(Schema):
    take_part: TakePart
    forums: list[Forum] = Field(default_factory=list, max_length=len(Forum))
    forum_other: str = Field("", max_length=200)
    legal_representative: str = Field("", max_length=4000)
    measures_requested: str = Field("", max_length=4000)
    measures_granted: str = Field("", max_length=4000)
    reparations_sought: str = Field("", max_length=4000)
    reparations_received: str = Field("", max_length=4000)


class WishOut(WishIn):
    version: int
    recorded_at: dt.datetime
    recorded_by_id: int


class ApplicationIn(Schema):
    forum: Forum
    status: VictimStatusApplication.Status
    forum_other: str = Field("", max_length=200)
    reference: str = Field("", max_length=100)
    applied_on: dt.date | None = None
    decided_on: dt.date | None = None
    #: the application (its latest state) this is a new state of
    supersedes_id: Id | None = None


class ApplicationOut(ApplicationIn):
    id: int
    recorded_at: dt.datetime
    earlier_ids: list[int]


class ParticipationOut(Schema):
    person_id: int
    current: WishOut | None
    versions: list[WishOut]
    applications: list[ApplicationOut]


def _file(request: HttpRequest, person_id: int, action: str) -> SurvivorFile:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    person = policy.get_or_404(
        user, Person.objects.only("id", "organisation_id"), "view", pk=person_id
    )
    file = policy.visible(user, SurvivorFile, "view").filter(person=person).first()
    if file is None:
        raise Http404
    policy.require(user, action, file)
    return file


def _wish(row: ParticipationWish) -> dict[str, Any]:
    return {
        "take_part": row.take_part, "forums": row.forums, "forum_other": row.forum_other,
        "version": row.version, "recorded_at": row.recorded_at,
        "recorded_by_id": row.recorded_by_id,
    } | {name: getattr(row, name) or "" for name in TEXT_FIELDS}  # fmt: skip


def _application(r: queries_participation.ApplicationRow) -> dict[str, Any]:
    c = r.current
    return {
        "id": c.pk, "forum": c.forum, "status": c.status, "forum_other": c.forum_other,
        "reference": c.reference, "applied_on": c.applied_on, "decided_on": c.decided_on,
        "supersedes_id": c.supersedes_id, "recorded_at": c.recorded_at,
        "earlier_ids": [e.pk for e in r.earlier],
    }  # fmt: skip


def _out(file: SurvivorFile) -> dict[str, Any]:
    versions = [_wish(w) for w in queries_participation.versions(file)]
    apps = [_application(r) for r in queries_participation.applications(file)]
    return {
        "person_id": file.person_id,
        "current": versions[0] if versions else None,
        "versions": versions,
        "applications": apps,
    }


@router.get("/persons/{int:person_id}", response=ParticipationOut, summary="Participation")
def get_participation(request: HttpRequest, person_id: Id) -> Any:
    return _out(_file(request, person_id, "view_participation"))


@router.post("/persons/{int:person_id}/wishes", response={201: ParticipationOut})
def record_wishes(request: HttpRequest, person_id: Id, payload: WishIn) -> Any:
    file = _file(request, person_id, "record_participation")
    wish = actions.Wish(
        take_part=payload.take_part, forums=tuple(payload.forums),
        forum_other=payload.forum_other, texts={n: getattr(payload, n) for n in TEXT_FIELDS},
    )  # fmt: skip
    actions.record_participation(request.user, file, wish)  # type: ignore[arg-type]
    return Status(201, _out(file))


@router.post("/persons/{int:person_id}/victim-status", response={201: ParticipationOut})
def record_application(request: HttpRequest, person_id: Id, payload: ApplicationIn) -> Any:
    file = _file(request, person_id, "record_participation")
    previous = None
    if payload.supersedes_id is not None:
        previous = VictimStatusApplication.objects.filter(
            pk=payload.supersedes_id, file=file
        ).first()
        if previous is None:
            raise PermissionDenied(_("No application of this file has this number."))
    app = actions.Application(
        forum=payload.forum, status=payload.status, forum_other=payload.forum_other,
        reference=payload.reference, applied_on=payload.applied_on,
        decided_on=payload.decided_on,
    )  # fmt: skip
    actions.record_application(request.user, file, app, previous)  # type: ignore[arg-type]
    return Status(201, _out(file))
