"""Referrals over the API (``/survivors/referrals``): a survivor's referrals, propose one,
change its status, record a follow-up. Runs under ``survivors.support``; the actions ask
``survivors.referral`` with the provider or kind as the qualifier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id, InputSchema, choices
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors import actions, queries_support
from justicework.survivors.actions.referrals import allowed_next
from justicework.survivors.forms_support import support_staff
from justicework.survivors.models import Referral, ServiceProvider, SurvivorFile
from justicework.violations.models import Person

router = Router(tags=["survivors"])
StatusChoice = choices("ReferralStatus", Referral.Status)
ItemChoice = choices("ReferralItem", Referral.Item)


class ReferralIn(InputSchema):
    person_id: Id
    provider_id: Id | None = None
    kind: str = Field("", max_length=20)
    shared_items: list[ItemChoice] = Field(max_length=20)  # type: ignore[valid-type]  # enum built at import
    note: str = Field("", max_length=4000)
    responsible_id: Id | None = None
    follow_up_on: dt.date | None = None


class ReferralStatusIn(InputSchema):
    status: StatusChoice  # type: ignore[valid-type]  # enum built at import
    outcome: str = Field("", max_length=4000)


class FollowUpIn(InputSchema):
    follow_up_on: dt.date | None = None
    outcome: str = Field("", max_length=4000)


class ReferralOut(Schema):
    id: int
    person_id: int
    provider_id: int | None
    kind: str
    status: str
    shared_items: list[str]
    note: str
    responsible_id: int
    follow_up_on: dt.date | None
    outcome: str
    next_statuses: list[str]


def user_of(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def survivor_file(user: User, person_id: int, action: str) -> SurvivorFile:
    person = policy.get_or_404(
        user, Person.objects.only("id", "organisation_id"), "view", pk=person_id
    )
    file = policy.visible(user, SurvivorFile, "view").filter(person=person).first()
    if file is None or not policy.can(user, action, Referral(organisation_id=file.organisation_id)):
        raise Http404
    file.person = person
    return file


def _out(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk, "person_id": r.person_id, "provider_id": r.provider_id, "kind": r.kind,
        "status": r.status, "shared_items": list(r.shared_items), "note": r.note or "",
        "responsible_id": r.responsible_id, "follow_up_on": r.follow_up_on,
        "outcome": r.outcome or "",
        "next_statuses": allowed_next(r),
    }  # fmt: skip


def _referral(user: User, referral_id: int, action: str = "view") -> Referral:
    return policy.get_or_404(user, Referral, action, pk=referral_id)


@router.get(
    "/persons/{int:person_id}", response=list[ReferralOut], summary="A survivor's referrals"
)
def list_referrals(request: HttpRequest, person_id: Id) -> Any:
    user = user_of(request)
    return [
        _out(r)
        for r in queries_support.referrals(user, survivor_file(user, person_id, "view"))[:200]
    ]


@router.get("/{int:referral_id}", response=ReferralOut)
def get_referral(request: HttpRequest, referral_id: Id) -> Any:
    return _out(_referral(user_of(request), referral_id))


@router.post("", response={201: ReferralOut})
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    user = user_of(request)
    file = survivor_file(user, payload.person_id, "manage")
    provider = None
    if payload.provider_id is not None:
        provider = (
            policy.visible(user, ServiceProvider, "view").filter(pk=payload.provider_id).first()
        )
        if provider is None:
            raise ValidationError({"provider_id": _("No provider you may see has this number.")})
    responsible = None
    if payload.responsible_id is not None:
        responsible = support_staff(file.organisation_id).filter(pk=payload.responsible_id).first()
        if responsible is None:
            raise ValidationError({"responsible_id": _("Not a support coordinator here.")})
    data = actions.ReferralData(
        provider=provider, kind=payload.kind, shared_items=[str(i) for i in payload.shared_items],
        note=payload.note, responsible=responsible, follow_up_on=payload.follow_up_on,
    )  # fmt: skip
    return Status(201, _out(actions.create_referral(user, file, data)))


@router.post("/{int:referral_id}/status", response=ReferralOut)
def change_status(request: HttpRequest, referral_id: Id, payload: ReferralStatusIn) -> Any:
    user = user_of(request)
    referral = _referral(user, referral_id, "manage")
    return _out(actions.change_status(user, referral, str(payload.status), outcome=payload.outcome))


@router.post("/{int:referral_id}/follow-up", response=ReferralOut)
def follow_up(request: HttpRequest, referral_id: Id, payload: FollowUpIn) -> Any:
    user = user_of(request)
    referral = _referral(user, referral_id, "manage")
    return _out(
        actions.record_follow_up(
            user, referral, follow_up_on=payload.follow_up_on, outcome=payload.outcome
        )
    )
