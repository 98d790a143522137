"""``/api/v1/grants/review``: the reviewer's queue, declarations and scores; the staff's
eligibility checklist and its two-person confirmation, assignment run, consolidation, ranking
and decisions. Through ``grants.rules_review`` and the review actions, like the pages (the
reads through ``grants.queries_review``, the pages' own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Field, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id, Money, Rate
from justicework.core import policy
from justicework.grants import api_review_staff, ranking
from justicework.grants import assignment as assigning
from justicework.grants.actions_review import conflicts, decisions, scoring
from justicework.grants.models import LegalEntity
from justicework.grants.models.review import Assignment, ConflictDeclaration, ConflictKind
from justicework.grants.models.review_scores import Decision
from justicework.grants.rules_review import application_for_staff, call_for_reviewer, call_for_staff
from justicework.grants.views.review_common import reviewer_view

# one router for the review API: the staff's eligibility and consolidation operations are on it
# already (a nested router would be documented under a wrong path)
router = api_review_staff.router


class QueueOut(Schema):
    id: int
    call_id: int
    application_reference: str
    status: str
    declared_for_call: bool
    submitted: bool


class ConflictIn(Schema):
    entity_id: Id
    kind: ConflictKind
    note: str = Field("", max_length=500)


class CallConflictsIn(Schema):
    #: empty: "I have no conflict with any applicant"
    conflicts: list[ConflictIn] = Field(default_factory=list, max_length=500)


class ApplicationConflictIn(Schema):
    #: empty: no conflict with this application
    kind: ConflictKind | None = None
    note: str = Field("", max_length=500)


class ScoreIn(Schema):
    criterion: str = Field(min_length=1, max_length=40)
    score: int = Field(ge=0, le=1000)
    comment: str = Field("", max_length=10000)


class GrantReviewIn(Schema):
    scores: list[ScoreIn] = Field(max_length=100)
    submit: bool = False


class ShortfallOut(Schema):
    application_id: int
    reference: str
    wanted: int
    got: int
    conflicted: int
    other_language: int


class RunOut(Schema):
    assigned: int
    shortfalls: list[ShortfallOut]


class RankOut(Schema):
    application_id: int
    reference: str
    rank: int | None
    total: Decimal | None
    scores: list[Decimal | None]
    source: str
    reviews: int
    below: list[str]
    decision: str


class DecisionIn(Schema):
    outcome: Decision.Outcome
    reasons: str = Field(min_length=1, max_length=20000)
    amount: Money | None = None
    rate_to_programme: Rate | None = None
    purpose: str = Field("", max_length=500)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class GrantDecisionOut(Schema):
    id: int
    application_id: int
    outcome: str
    amount: Decimal | None
    currency: str
    reasons: str
    decided_at: dt.datetime


def _own(request: HttpRequest, pk: int) -> Assignment:
    user = acting_user(request)
    queryset = Assignment.objects.filter(reviewer=user).select_related(
        "call__programme", "application__applicant"
    )
    return policy.get_or_404(user, queryset, "view", pk=pk)


@router.get("/queue", response=list[QueueOut], operation_id="grants_review_queue")
def queue(request: HttpRequest) -> Any:
    user = acting_user(request)
    declared = set(
        ConflictDeclaration.objects.filter(reviewer=user).values_list("call_id", flat=True)
    )
    rows = (
        policy.visible(user, Assignment, "view")
        .filter(reviewer=user)
        .select_related("application", "review")
        .order_by("call_id", "application__reference")[:1000]
    )
    return [
        {"id": a.pk, "call_id": a.call_id, "application_reference": a.application.reference}
        | {"status": a.status, "declared_for_call": a.call_id in declared}
        | {"submitted": bool(getattr(a, "review", None) and a.review.submitted_at)}
        for a in rows
    ]


@router.post(
    "/calls/{int:call_id}/conflicts",
    response={201: dict[str, int]},
    operation_id="grants_review_declare",
)
def declare(request: HttpRequest, call_id: Id, payload: CallConflictsIn) -> Any:
    user = acting_user(request)
    call = call_for_reviewer(user, call_id)
    entities = {e.pk: e for e in conflicts.applicant_entities(call)}
    chosen: list[tuple[LegalEntity, str, str]] = []
    for c in payload.conflicts:
        if c.entity_id not in entities:
            raise Http404
        chosen.append((entities[c.entity_id], c.kind.value, c.note))
    declaration = conflicts.declare_for_call(user, call, chosen)
    return Status(201, {"id": declaration.pk, "conflicts": declaration.conflicts.count()})


@router.get(
    "/assignments/{int:assignment_id}/application",
    response=dict[str, Any],
    operation_id="grants_review_application",
)
def application(request: HttpRequest, assignment_id: Id) -> Any:
    assignment = _own(request, assignment_id)
    if not policy.can(acting_user(request), "open", assignment):
        raise Http404
    view = reviewer_view(assignment.application, get_language() or "en")
    return {
        "reference": view.reference,
        "title": view.title,
        "language": view.language,
        "requested": str(view.requested),
        "currency": view.currency,
        "blind": view.blind,
        "answers": [{"code": a.code, "prompt": a.prompt, "value": a.value} for a in view.answers],
        "budget": [
            {
                "activity_type": b.activity_type,
                "cost_category": b.cost_category,
                "description": b.description,
                "amount": str(b.amount),
            }
            for b in view.budget
        ],
        "identity": view.identity,
    }


@router.post(
    "/assignments/{int:assignment_id}/declaration",
    response=dict[str, str],
    operation_id="grants_review_declare_application",
)
def declare_application(
    request: HttpRequest, assignment_id: Id, payload: ApplicationConflictIn
) -> Any:
    assignment = _own(request, assignment_id)
    kind = payload.kind.value if payload.kind else ""
    done = conflicts.declare_for_application(acting_user(request), assignment, kind, payload.note)
    return {"status": done.status}


@router.post(
    "/assignments/{int:assignment_id}/review",
    response=dict[str, Any],
    operation_id="grants_review_score",
)
def score(request: HttpRequest, assignment_id: Id, payload: GrantReviewIn) -> Any:
    assignment = _own(request, assignment_id)
    criteria = {c.code: c.pk for c in scoring.scored_criteria(assignment.call_id)}
    given: dict[int, tuple[Any, str]] = {}
    for s in payload.scores:
        if s.criterion not in criteria:
            raise ValidationError({"scores": f"{s.criterion}: not a scored criterion of the call"})
        given[criteria[s.criterion]] = (s.score, s.comment)
    review = scoring.save_review(acting_user(request), assignment, given, submit=payload.submit)
    return {"id": review.pk, "submitted": review.submitted_at is not None}


@router.post(
    "/calls/{int:call_id}/assignments/run", response=RunOut, operation_id="grants_review_assign"
)
def run(request: HttpRequest, call_id: Id) -> Any:
    user = acting_user(request)
    call = call_for_staff(user, call_id)
    plan = assigning.run_assignment(user, call)
    return {"assigned": len(plan.pairs), "shortfalls": plan.shortfalls}


@router.get(
    "/calls/{int:call_id}/ranking", response=list[RankOut], operation_id="grants_review_ranking"
)
def ranking_list(request: HttpRequest, call_id: Id, sort: str = "rank") -> Any:
    call = call_for_staff(acting_user(request), call_id)
    return ranking.build(call, sort).rows


@router.post(
    "/applications/{int:application_id}/decision",
    response={201: GrantDecisionOut},
    operation_id="grants_review_decide",
)
def decide(request: HttpRequest, application_id: Id, payload: DecisionIn) -> Any:
    user = acting_user(request)
    app = application_for_staff(user, application_id)
    data = payload.dict()
    data["outcome"] = payload.outcome.value
    return Status(201, decisions.decide(user, app, **data))


def register() -> None:
    from justicework.api import router_registry
    from justicework.core.uses import NO_PERSON_DATA

    router_registry.register("/grants/review", router, use=NO_PERSON_DATA.name)
