"""``/api/v1/grants/review`` (the router that ``api_review`` mounts): the staff's eligibility
checklist (read, run, decide an item, the two-person confirmation) and the consolidation (read;
the average, a consensus meeting's scores with its notes, or a moderator's final scores with
reasons). The same actions as the pages (``grants.actions_review``), the same reads
(``grants.queries_review``), after the same rule (``application_for_staff``: 404 for a missing
application and for one not of the user's programme)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id
from justicework.core import policy
from justicework.grants import queries_review
from justicework.grants.actions_review import eligibility, scoring
from justicework.grants.models import Application
from justicework.grants.models.review import EligibilityCheck
from justicework.grants.rules_review import application_for_staff, call_for_staff

#: the review API's one router: ``api_review`` adds the reviewers' operations and mounts it
router = Router(tags=["grants"])


# --- Eligibility (the staff) --------------------------------------------------------------------


class EligibilityRowOut(Schema):
    application_id: int
    reference: str
    applicant: str
    status: str
    met: int
    failed: int
    items: int
    confirmations: int


class CheckOut(Schema):
    id: int
    item: str
    label: str
    automatic: str
    automatic_note: str
    decision: str
    note: str
    #: the staff's decision, else the automatic result
    result: str
    decided_at: dt.datetime | None


class ConfirmationOut(Schema):
    id: int
    outcome: str
    reason: str
    confirmed_by_id: int
    confirmed_at: dt.datetime


class EligibilityOut(Schema):
    application_id: int
    reference: str
    status: str
    checks: list[CheckOut]
    confirmations: list[ConfirmationOut]


class ItemDecisionIn(Schema):
    result: Literal["met", "not_met"]
    #: required when not met: the reason, told to the applicant if the application is ineligible
    note: str = Field("", max_length=5000)


def _check_out(check: EligibilityCheck) -> dict[str, Any]:
    return {
        "id": check.pk, "item": check.item, "label": str(check.get_item_display()),
        "automatic": check.automatic, "automatic_note": check.automatic_note,
        "decision": check.decision, "note": check.note, "result": check.result,
        "decided_at": check.decided_at,
    }  # fmt: skip


def _eligibility(app: Application) -> dict[str, Any]:
    return {
        "application_id": app.pk,
        "reference": app.reference,
        "status": app.status,
        "checks": [_check_out(c) for c in queries_review.checks_of(app)],
        "confirmations": list(queries_review.confirmations_of(app)),
    }


@router.get(
    "/calls/{int:call_id}/eligibility",
    response=list[EligibilityRowOut],
    operation_id="grants_review_eligibility_list",
)
def eligibility_list(request: HttpRequest, call_id: Id) -> Any:
    call = call_for_staff(acting_user(request), call_id)
    items = len(EligibilityCheck.Item.values)
    rows = queries_review.eligibility_rows(call).values_list(
        "pk", "reference", "applicant__legal_name", "status", "met", "failed", "confirmations"
    )
    return [
        {"application_id": pk, "reference": ref, "applicant": name, "status": status}
        | {"met": met, "failed": failed, "items": items, "confirmations": confirmations}
        for pk, ref, name, status, met, failed, confirmations in rows[:2000]
    ]


@router.get(
    "/applications/{int:application_id}/eligibility",
    response=EligibilityOut,
    operation_id="grants_review_eligibility",
)
def eligibility_read(request: HttpRequest, application_id: Id) -> Any:
    return _eligibility(application_for_staff(acting_user(request), application_id))


@router.post(
    "/applications/{int:application_id}/eligibility/run",
    response=EligibilityOut,
    operation_id="grants_review_eligibility_run",
)
def eligibility_run(request: HttpRequest, application_id: Id) -> Any:
    user = acting_user(request)
    app = application_for_staff(user, application_id)
    eligibility.run_checks(user, app)
    return _eligibility(app)


@router.put(
    "/eligibility-checks/{int:check_id}",
    response=CheckOut,
    operation_id="grants_review_eligibility_decide",
)
def eligibility_decide(request: HttpRequest, check_id: Id, payload: ItemDecisionIn) -> Any:
    """Record the staff's decision on one item (met, or not met with the reason)."""
    user = acting_user(request)
    queryset = EligibilityCheck.objects.select_related("application__call")
    check = policy.get_or_404(user, queryset, "manage", pk=check_id)
    eligibility.decide_item(user, check, payload.result, payload.note)
    return _check_out(check)


@router.post(
    "/applications/{int:application_id}/eligibility/confirm",
    response={201: EligibilityOut},
    operation_id="grants_review_eligibility_confirm",
)
def eligibility_confirm(request: HttpRequest, application_id: Id) -> Any:
    """One staff member confirms the checklist's outcome; a second, different one applies it."""
    user = acting_user(request)
    app = application_for_staff(user, application_id)
    eligibility.confirm(user, app)
    return Status(201, _eligibility(app))


# --- Consolidation (the staff) -------------------------------------------------------------------


class CriterionLineOut(Schema):
    criterion: str
    average: Decimal | None
    consolidated: Decimal | None


class ReviewLineOut(Schema):
    reviewer_id: int
    submitted: bool
    scores: dict[str, int]


class ConsolidationOut(Schema):
    application_id: int
    method: str | None
    notes: str
    consolidated_at: dt.datetime | None
    criteria: list[CriterionLineOut]
    reviews: list[ReviewLineOut]


#: ``Consolidation.Method``'s values, spelt out: the OpenAPI document names enums by their class
#: name, and another app's ``Method`` would take this one's place (a test keeps them equal)
MethodName = Literal["average", "consensus", "moderator"]


class ConsolidationIn(Schema):
    method: MethodName
    #: the consensus meeting's notes or the moderator's reasons (required for those two)
    notes: str = Field("", max_length=20000)
    #: {criterion code: score}, for a consensus or a moderator's final scores
    scores: dict[str, Decimal] = Field(default_factory=dict, max_length=100)


def _consolidation(app: Application) -> dict[str, Any]:
    shown = queries_review.consolidation_of(app)
    codes = {line.criterion.pk: line.criterion.code for line in shown.lines}
    current = shown.current
    return {
        "application_id": app.pk,
        "method": current.method if current else None,
        "notes": current.notes if current else "",
        "consolidated_at": current.consolidated_at if current else None,
        "criteria": [
            {"criterion": line.criterion.code, "average": line.average}
            | {"consolidated": line.consolidated}
            for line in shown.lines
        ],
        "reviews": [
            {"reviewer_id": review.assignment.reviewer_id}
            | {"submitted": review.submitted_at is not None}
            | {"scores": {codes[k]: s.score for k, s in scores.items() if k in codes}}
            for review, scores in shown.reviews
        ],
    }


@router.get(
    "/applications/{int:application_id}/consolidation",
    response=ConsolidationOut,
    operation_id="grants_review_consolidation",
)
def consolidation_read(request: HttpRequest, application_id: Id) -> Any:
    return _consolidation(application_for_staff(acting_user(request), application_id))


@router.put(
    "/applications/{int:application_id}/consolidation",
    response=ConsolidationOut,
    operation_id="grants_review_consolidate",
)
def consolidate(request: HttpRequest, application_id: Id, payload: ConsolidationIn) -> Any:
    user = acting_user(request)
    app = application_for_staff(user, application_id)
    criteria = {c.code: c.pk for c in scoring.scored_criteria(app.call_id)}
    unknown = sorted(set(payload.scores) - set(criteria))
    if unknown:
        raise ValidationError(
            {"scores": _("Not a scored criterion of the call: %(codes)s.")
             % {"codes": ", ".join(unknown)}}
        )  # fmt: skip
    given = {criteria[code]: value for code, value in payload.scores.items()}
    scoring.consolidate(user, app, method=payload.method, notes=payload.notes, scores=given)
    return _consolidation(app)
