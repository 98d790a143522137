"""``/api/v1/law/qualifications/``: suggested crimes for violations (computed, never stored),
a legal analyst's decision on one, and the decisions taken. Each needs ``view`` on the violation
and ``qualify_violations`` in its organisation (``law.rules_qualifications``); they read
violations, their incidents and the units attributed to them, never a person."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import User
from justicework.law.actions_qualifications import decide_qualification
from justicework.law.models import Qualification
from justicework.law.models.qualifications import CRIME_ID_LENGTH, NOTE_MAX_LENGTH
from justicework.law.qualification_queries import suggestions_for
from justicework.law.rules_qualifications import QUALIFY
from justicework.law.suggestions import Suggestions
from justicework.violations.models import Violation

router = Router(tags=["law"])
#: at most this many violations in one request for suggestions
MAX_SET = 100


class LawSuggestedElementOut(Schema):
    number: int
    type: str
    text: str
    citation: str


class LawSuggestionOut(Schema):
    crime_id: str
    category: str
    title: str
    context_fit: str
    reasons: list[str]
    elements_to_establish: list[LawSuggestedElementOut]


class LawExcludedOut(Schema):
    crime_id: str
    title: str
    reason: str


class LawSuggestionsOut(Schema):
    violation_id: int
    type: str
    note: str
    pattern_count: int
    suggestions: list[LawSuggestionOut]
    excluded: list[LawExcludedOut]


class LawSuggestionsQuery(Schema):
    violation_ids: list[Id] = Field(..., min_length=1, max_length=MAX_SET)


class LawDecisionIn(Schema):
    decision: Literal["accept", "reject", "edit", "propose"]
    crime_id: str = Field(..., min_length=1, max_length=CRIME_ID_LENGTH)
    new_crime_id: str = Field("", max_length=CRIME_ID_LENGTH)
    note: str = Field(..., min_length=1, max_length=NOTE_MAX_LENGTH)


class LawQualificationOut(Schema):
    id: int
    violation_id: int
    crime_id: str
    suggested_crime_id: str
    status: str
    analyst_id: int | None
    note: str
    catalogue_version: str
    decided_at: str

    @staticmethod
    def resolve_decided_at(obj: Qualification) -> str:
        return obj.decided_at.isoformat()


def _out(result: Suggestions) -> dict[str, Any]:
    return {
        "violation_id": result.violation_id,
        "type": result.type,
        "note": result.note,
        "pattern_count": result.pattern_count,
        "suggestions": [
            {
                "crime_id": s.crime_id,
                "category": s.category,
                "title": s.title,
                "context_fit": s.context_fit,
                "reasons": list(s.reasons),
                "elements_to_establish": [
                    {"number": e.number, "type": e.type, "text": e.text, "citation": e.citation}
                    for e in s.elements
                ],
            }
            for s in result.suggestions
        ],
        "excluded": [vars(e) for e in result.excluded],
    }


def _violation(user: User, violation_id: int) -> Violation:
    """404 unless the user may see it; 403 unless they may qualify it."""
    violation = policy.get_or_404(
        user, Violation.objects.select_related("organisation"), "view", pk=violation_id
    )
    policy.require(user, QUALIFY, violation.organisation)
    return violation


def _qualifiable(user: User) -> Any:
    """The violations ``user`` may see and qualify."""
    orgs = policy.allowed_organisation_ids(user, QUALIFY)
    return policy.visible(user, Violation, "view").filter(organisation_id__in=orgs)


@router.get(
    "/violations/{violation_id}/suggestions",
    response=LawSuggestionsOut,
    operation_id="law_violation_suggestions",
)
def violation_suggestions(request: HttpRequest, violation_id: Id) -> Any:
    user = acting_user(request)
    violation = _violation(user, violation_id)
    (result,) = suggestions_for(user, Violation.objects.filter(pk=violation.pk))
    return _out(result)


@router.get("/suggestions", response=list[LawSuggestionsOut], operation_id="law_suggestions")
def suggestions(request: HttpRequest, query: Query[LawSuggestionsQuery]) -> Any:
    """Suggestions for a set of violations; ids the caller may not qualify are left out."""
    user = acting_user(request)
    chosen = _qualifiable(user).filter(pk__in=sorted(set(query.violation_ids)))
    return [_out(result) for result in suggestions_for(user, chosen)]


@router.get(
    "/violations/{violation_id}",
    response=list[LawQualificationOut],
    operation_id="law_violation_qualifications",
)
def violation_qualifications(request: HttpRequest, violation_id: Id) -> Any:
    user = acting_user(request)
    violation = _violation(user, violation_id)
    return list(
        policy.visible(user, Qualification).filter(violation=violation).order_by("-decided_at")
    )


@router.post(
    "/violations/{violation_id}",
    response={201: LawQualificationOut},
    operation_id="law_decide_qualification",
)
def decide(request: HttpRequest, violation_id: Id, payload: LawDecisionIn) -> Any:
    user = acting_user(request)
    violation = _violation(user, violation_id)
    item = decide_qualification(
        user, violation, decision=payload.decision, crime_id=payload.crime_id,
        new_crime_id=payload.new_crime_id, note=payload.note,
    )  # fmt: skip
    return Status(201, item)


def register() -> None:
    from justicework.api import router_registry
    from justicework.core.uses import NO_PERSON_DATA

    router_registry.register("/law/qualifications", router, use=NO_PERSON_DATA.name)
