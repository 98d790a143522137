"""The support plan over the API (``/survivors/plans``): read and save a survivor's plan,
record a review, add an agreed action, mark one done. Runs under ``survivors.support``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id, InputSchema, choices
from justicework.core import policy
from justicework.survivors import actions
from justicework.survivors.api.referrals import survivor_file, user_of
from justicework.survivors.forms_support import support_staff
from justicework.survivors.models import ServiceKind, SupportAction, SupportPlan, SurvivorFile

router = Router(tags=["survivors"])
Need = choices("SupportNeed", ServiceKind)


class PlanIn(InputSchema):
    needs: list[Need] = Field(max_length=10)  # type: ignore[valid-type]  # enum built at import
    needs_note: str = Field("", max_length=4000)
    next_review_on: dt.date | None = None


class ReviewIn(InputSchema):
    next_review_on: dt.date | None = None


class ActionIn(InputSchema):
    description: str = Field(min_length=1, max_length=4000)
    owner_id: Id
    due_on: dt.date


class ActionOut(Schema):
    id: int
    description: str
    owner_id: int
    due_on: dt.date
    done_at: dt.datetime | None


class PlanOut(Schema):
    person_id: int
    needs: list[str]
    needs_note: str
    next_review_on: dt.date | None
    reviewed_at: dt.datetime | None
    reviewed_by_id: int | None
    actions: list[ActionOut]


def _plan(request: HttpRequest, file: SurvivorFile) -> SupportPlan:
    plan = policy.visible(request.user, SupportPlan, "view").filter(file=file).first()
    if plan is None:
        raise Http404
    return plan


def _out(request: HttpRequest, plan: SupportPlan) -> dict[str, Any]:
    found = (
        policy.visible(request.user, SupportAction, "view")
        .filter(plan=plan)
        .order_by("due_on", "pk")
    )
    return {
        "person_id": plan.person_id, "needs": list(plan.needs), "needs_note": plan.needs_note or "",
        "next_review_on": plan.next_review_on, "reviewed_at": plan.reviewed_at,
        "reviewed_by_id": plan.reviewed_by_id,
        "actions": [
            {"id": a.pk, "description": a.description or "", "owner_id": a.owner_id,
             "due_on": a.due_on, "done_at": a.done_at}
            for a in found
        ],
    }  # fmt: skip


@router.get("/persons/{int:person_id}", response=PlanOut, summary="A survivor's support plan")
def get_plan(request: HttpRequest, person_id: Id) -> Any:
    return _out(request, _plan(request, survivor_file(user_of(request), person_id, "view")))


@router.put("/persons/{int:person_id}", response=PlanOut)
def save_plan(request: HttpRequest, person_id: Id, payload: PlanIn) -> Any:
    user = user_of(request)
    file = survivor_file(user, person_id, "manage")
    plan = actions.save_plan(
        user, file, needs=[str(n) for n in payload.needs], needs_note=payload.needs_note,
        next_review_on=payload.next_review_on,
    )  # fmt: skip
    return _out(request, plan)


@router.post("/persons/{int:person_id}/review", response=PlanOut)
def review_plan(request: HttpRequest, person_id: Id, payload: ReviewIn) -> Any:
    user = user_of(request)
    plan = _plan(request, survivor_file(user, person_id, "manage"))
    return _out(request, actions.review_plan(user, plan, next_review_on=payload.next_review_on))


@router.post("/persons/{int:person_id}/actions", response={201: ActionOut})
def add_action(request: HttpRequest, person_id: Id, payload: ActionIn) -> Any:
    user = user_of(request)
    plan = _plan(request, survivor_file(user, person_id, "manage"))
    owner = support_staff(plan.organisation_id).filter(pk=payload.owner_id).first()
    if owner is None:
        raise ValidationError({"owner_id": _("Not a support coordinator here.")})
    action = actions.add_plan_action(
        user, plan, description=payload.description, owner=owner, due_on=payload.due_on
    )
    out = {"id": action.pk, "description": action.description, "owner_id": owner.pk,
           "due_on": action.due_on, "done_at": None}  # fmt: skip
    return Status(201, out)


@router.post("/actions/{int:plan_action_id}/done", response=ActionOut)
def action_done(request: HttpRequest, plan_action_id: Id) -> Any:
    user = user_of(request)
    action = policy.get_or_404(user, SupportAction, "manage", pk=plan_action_id)
    action = actions.complete_plan_action(user, action)
    return {"id": action.pk, "description": action.description or "", "owner_id": action.owner_id,
            "due_on": action.due_on, "done_at": action.done_at}  # fmt: skip
