"""Scores: a reviewer's review (saved as a draft, then submitted), the staff's consolidation of
an application's reviews, and the call's overall threshold."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import User
from justicework.grants import ranking_store
from justicework.grants.actions_review.common import audit, require_staff
from justicework.grants.models import Application, Call, Criterion
from justicework.grants.models.review import Assignment
from justicework.grants.models.review_scores import (
    ConsolidatedScore,
    Consolidation,
    RankingThreshold,
    Review,
    ReviewScore,
)
from justicework.grants.ranking_store import review_averages, scored_criteria

__all__ = ["consolidate", "review_averages", "save_review", "scored_criteria", "set_threshold"]


def _check_scores(
    criteria: list[Criterion], scores: Mapping[int, tuple[Any, str]], *, submit: bool
) -> dict[int, tuple[int, str]]:
    errors: dict[str, str] = {}
    clean: dict[int, tuple[int, str]] = {}
    for criterion in criteria:
        field = f"score_{criterion.code}"
        value, comment = scores.get(criterion.pk, (None, ""))
        comment = (comment or "").strip()
        if value is None or value == "":
            if submit:
                errors[field] = _("Give a score.")
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[field] = _("Give a whole number.")
            continue
        if not criterion.min_score <= number <= criterion.max_score:
            errors[field] = _("Give a score from %(low)s to %(high)s.") % {
                "low": criterion.min_score,
                "high": criterion.max_score,
            }
        elif submit and not comment:
            errors[f"comment_{criterion.code}"] = _("Explain the score.")
        else:
            clean[criterion.pk] = (number, comment)
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors["scores"] = _("A score is for a criterion the call does not score.")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def save_review(
    actor: User, assignment: Assignment, scores: Mapping[int, tuple[Any, str]], *, submit: bool
) -> Review:
    """Keep the reviewer's scores; ``submit`` makes them final (every criterion scored and
    explained)."""
    policy.require(actor, "score", assignment)
    clean = _check_scores(scored_criteria(assignment.call_id), scores, submit=submit)
    review, _created = Review.objects.get_or_create(assignment=assignment)
    for criterion_id, (score, comment) in clean.items():
        ReviewScore.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"score": score, "comment": comment}
        )
    review.updated_at = timezone.now()
    if submit:
        review.submitted_at = review.updated_at
    review.save(update_fields=["updated_at", "submitted_at"])
    if submit:
        ranking_store.refresh(assignment.call_id, [assignment.application_id])
    audit(
        actor,
        "review_submitted" if submit else "review_saved",
        review,
        assignment.call,
        scores={str(k): v[0] for k, v in sorted(clean.items())},
    )
    return review


def _consolidated_values(
    application: Application, method: str, given: Mapping[int, Any], notes: str
) -> dict[int, Decimal]:
    criteria = scored_criteria(application.call_id)
    if method == Consolidation.Method.AVERAGE:
        averages = review_averages([application.pk])
        missing = [c.code for c in criteria if (application.pk, c.pk) not in averages]
        if missing:
            raise ValidationError({"method": _("No submitted review scores every criterion.")})
        return {c.pk: averages[(application.pk, c.pk)] for c in criteria}
    if not notes:
        raise ValidationError({"notes": _("Give the meeting's notes or the moderator's reasons.")})
    values: dict[int, Decimal] = {}
    errors = {}
    for c in criteria:
        try:
            value = Decimal(str(given.get(c.pk, "")))
        except InvalidOperation:
            errors[f"score_{c.code}"] = _("Give a score.")
            continue
        if not c.min_score <= value <= c.max_score:
            errors[f"score_{c.code}"] = _("Give a score from %(low)s to %(high)s.") % {
                "low": c.min_score,
                "high": c.max_score,
            }
        values[c.pk] = value.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def consolidate(
    actor: User,
    application: Application,
    *,
    method: str,
    notes: str = "",
    scores: Mapping[int, Any] | None = None,
) -> Consolidation:
    """Set (or redo, until the decision) the application's consolidated scores."""
    require_staff(actor, application.call)
    if application.status != Application.Status.IN_REVIEW:
        raise ValidationError({"method": _("Only an application in review is consolidated.")})
    if method not in Consolidation.Method.values:
        raise ValidationError({"method": _("Choose a method.")})
    notes = (notes or "").strip()
    values = _consolidated_values(application, method, scores or {}, notes)
    consolidation, _created = Consolidation.objects.update_or_create(
        application=application,
        defaults={
            "method": method,
            "notes": notes,
            "consolidated_by": actor,
            "consolidated_at": timezone.now(),
        },
    )
    consolidation.scores.all().delete()
    ConsolidatedScore.objects.bulk_create(
        [
            ConsolidatedScore(consolidation=consolidation, criterion_id=k, score=v)
            for k, v in values.items()
        ]
    )
    ranking_store.refresh(application.call_id, [application.pk])
    audit(
        actor,
        "consolidated",
        consolidation,
        application.call,
        method=method,
        scores={str(k): str(v) for k, v in sorted(values.items())},
    )
    return consolidation


@transaction.atomic
def set_threshold(actor: User, call: Call, overall: Any) -> RankingThreshold:
    require_staff(actor, call)
    try:
        value = Decimal(str(overall)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValidationError({"overall": _("Give a number.")}) from exc
    if value < 0:
        raise ValidationError({"overall": _("Give a number of zero or more.")})
    threshold, _created = RankingThreshold.objects.update_or_create(
        call=call, defaults={"overall": value, "set_by": actor, "set_at": timezone.now()}
    )
    audit(actor, "threshold_set", threshold, call, overall=str(value))
    return threshold
