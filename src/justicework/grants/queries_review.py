"""The staff's reads of the review part, one query path each for the pages and the API: a
call's applications with their eligibility counts, one application's checklist and
confirmations, its consolidation beside the reviews' averages. Callers have asked
``grants.rules_review`` for the call or the application first (``call_for_staff``,
``application_for_staff``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from justicework.grants.actions_review import scoring
from justicework.grants.models import Application, Call, Criterion
from justicework.grants.models.review import EligibilityCheck, EligibilityConfirmation
from justicework.grants.models.review_scores import Consolidation, Review, ReviewScore

#: the statuses the eligibility list shows (checked, or to be checked)
CHECKED = [
    Application.Status.SUBMITTED,
    Application.Status.INELIGIBLE,
    Application.Status.IN_REVIEW,
]
_MET = Q(eligibility_checks__decision="met") | Q(
    eligibility_checks__decision="", eligibility_checks__automatic="met"
)
_FAILED = Q(eligibility_checks__decision="not_met") | Q(
    eligibility_checks__decision="", eligibility_checks__automatic="not_met"
)


def eligibility_rows(call: Call) -> QuerySet[Any]:
    """The call's applications to check, with ``met``, ``failed`` and ``confirmations``; one
    query whatever their number. (``Any``: the annotations are not fields the type knows.)"""
    return (
        Application.objects.filter(call=call, status__in=CHECKED)
        .select_related("applicant")
        .annotate(
            met=Count("eligibility_checks", filter=_MET, distinct=True),
            failed=Count("eligibility_checks", filter=_FAILED, distinct=True),
            confirmations=Count("eligibility_confirmations", distinct=True),
        )
        .order_by("reference")
    )


def checks_of(application: Application) -> QuerySet[EligibilityCheck]:
    return EligibilityCheck.objects.filter(application=application).order_by("id")


def confirmations_of(application: Application) -> QuerySet[EligibilityConfirmation]:
    return EligibilityConfirmation.objects.filter(application=application).order_by(
        "confirmed_at", "id"
    )


@dataclass(frozen=True)
class CriterionLine:
    criterion: Criterion
    average: Decimal | None
    consolidated: Decimal | None


@dataclass(frozen=True)
class ConsolidationView:
    current: Consolidation | None
    lines: list[CriterionLine]
    #: each review of the application and its scores, by criterion id
    reviews: list[tuple[Review, dict[int, ReviewScore]]]


def consolidation_of(application: Application) -> ConsolidationView:
    """The application's consolidation (or None), each scored criterion with the reviews'
    average and the consolidated score, and the reviews; five queries."""
    criteria = scoring.scored_criteria(application.call_id)
    averages = scoring.review_averages([application.pk])
    current = (
        Consolidation.objects.filter(application=application).prefetch_related("scores").first()
    )
    kept = {s.criterion_id: s.score for s in current.scores.all()} if current else {}
    scores: dict[int, dict[int, ReviewScore]] = {}
    for s in ReviewScore.objects.filter(review__assignment__application=application):
        scores.setdefault(s.review_id, {})[s.criterion_id] = s
    reviews = Review.objects.filter(assignment__application=application).select_related(
        "assignment__reviewer"
    )
    return ConsolidationView(
        current=current,
        lines=[
            CriterionLine(c, averages.get((application.pk, c.pk)), kept.get(c.pk)) for c in criteria
        ],
        reviews=[(r, scores.get(r.pk, {})) for r in reviews.order_by("id")],
    )
