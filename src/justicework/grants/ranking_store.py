"""The ranking's stored scores (``RankingEntry``): each application's score per criterion (its
consolidated score, or the average of its submitted reviews when it has no consolidation), its
submitted reviews, its weighted total and the criteria whose threshold it is below.

Averaging every review score of a call on each request made the ranking page's cost grow with
the reviews (2,000 applications: 18,000 scores averaged per request). The entries are computed
here from the reviews and consolidations, and rewritten by the actions that change what they
are computed from, in the same transaction:

* ``scoring.save_review`` when a review is submitted (a draft counts for nothing);
* ``scoring.consolidate`` (the consolidated scores replace the average);
* the call's criteria added, changed, removed (``actions_call_items``): the whole call.

Nothing else changes them: a submitted review is never changed nor deleted while its
application is ranked (``unassign`` refuses), a recusal keeps the review it may have given,
and the overall threshold and the decision are read with the entries, not stored in them.
:func:`stale` compares the stored entries with a computation from scratch (tests, and a check
after a data repair)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count

from justicework.grants.models import Criterion
from justicework.grants.models.review_scores import (
    ConsolidatedScore,
    RankingEntry,
    Review,
    ReviewScore,
)

CENTS = Decimal("0.01")


def scored_criteria(call_id: int) -> list[Criterion]:
    return list(Criterion.objects.filter(call_id=call_id, kind=Criterion.Kind.SCORED))


def review_averages(
    application_ids: list[int] | None = None, *, call_id: int | None = None
) -> dict[tuple[int, int], Decimal]:
    """(application id, criterion id) -> the average of the submitted reviews' scores, for the
    given applications or every application of a call."""
    scores = ReviewScore.objects.filter(review__submitted_at__isnull=False)
    if call_id is not None:
        scores = scores.filter(review__assignment__call_id=call_id)
    else:
        scores = scores.filter(review__assignment__application_id__in=application_ids or [])
    rows = (
        scores.values_list("review__assignment__application_id", "criterion_id")
        .annotate(avg=Avg("score"))
        .order_by()
    )
    return {(a, c): Decimal(str(avg)).quantize(Decimal("0.01")) for a, c, avg in rows}


@dataclass(frozen=True)
class Computed:
    """What one application's entry holds."""

    source: str
    scores: dict[str, str]
    reviews: int
    total: Decimal | None
    below: list[str]


def weigh(
    criteria: list[Criterion], scores: list[Decimal | None]
) -> tuple[Decimal | None, list[str]]:
    """The weighted total (when every criterion is scored) and the codes of the criteria whose
    threshold the scores are below."""
    total = None
    if scores and all(s is not None for s in scores):
        total = sum(
            (c.weight * s for c, s in zip(criteria, scores, strict=True) if s is not None),
            Decimal(0),
        ).quantize(CENTS)
    below = [
        c.code
        for c, s in zip(criteria, scores, strict=True)
        if c.threshold is not None and s is not None and s < c.threshold
    ]
    return total, below


def compute(call_id: int, application_ids: Iterable[int] | None = None) -> dict[int, Computed]:
    """The entries of the call's applications (or of ``application_ids`` only) from the reviews
    and consolidations: one per application with a submitted review or a consolidation."""
    ids = None if application_ids is None else sorted(set(application_ids))
    criteria = scored_criteria(call_id)
    consolidated = ConsolidatedScore.objects.filter(consolidation__application__call_id=call_id)
    reviews = Review.objects.filter(assignment__call_id=call_id, submitted_at__isnull=False)
    if ids is not None:
        consolidated = consolidated.filter(consolidation__application_id__in=ids)
        reviews = reviews.filter(assignment__application_id__in=ids)
    given = {
        (a, c): s
        for a, c, s in consolidated.values_list(
            "consolidation__application_id", "criterion_id", "score"
        )
    }
    has_consolidation = {a for a, _c in given}
    counts = dict(
        reviews.values_list("assignment__application_id").annotate(n=Count("pk")).order_by()
    )
    averages = review_averages(call_id=call_id) if ids is None else review_averages(ids)
    out = {}
    for pk in sorted(has_consolidation | set(counts)):
        consolidated_here = pk in has_consolidation
        source = given if consolidated_here else averages
        scores = [source.get((pk, c.pk)) for c in criteria]
        total, below = weigh(criteria, scores)
        out[pk] = Computed(
            source=(
                RankingEntry.Source.CONSOLIDATED
                if consolidated_here
                else RankingEntry.Source.REVIEWS
            ),
            scores={
                str(c.pk): str(s) for c, s in zip(criteria, scores, strict=True) if s is not None
            },
            reviews=counts.get(pk, 0),
            total=total,
            below=below,
        )
    return out


def refresh(call_id: int, application_ids: Iterable[int] | None = None) -> int:
    """Rewrite the stored entries of the call's applications (or of ``application_ids``) from
    the reviews and consolidations; call inside the action's transaction. Returns how many
    entries the call's applications now have among those rewritten."""
    ids = None if application_ids is None else sorted(set(application_ids))
    computed = compute(call_id, ids)
    old = RankingEntry.objects.filter(call_id=call_id)
    if ids is not None:
        old = old.filter(application_id__in=ids)
    old.delete()
    RankingEntry.objects.bulk_create(
        [
            RankingEntry(
                application_id=pk,
                call_id=call_id,
                source=c.source,
                scores=c.scores,
                reviews=c.reviews,
                total=c.total,
                below=c.below,
                below_criterion=bool(c.below),
            )
            for pk, c in computed.items()
        ],
        batch_size=1000,
    )
    return len(computed)


def stale(call_id: int) -> list[int]:
    """The applications whose stored entry differs from a computation from scratch (missing,
    left over, or other values)."""
    computed = compute(call_id)
    stored = {
        e.application_id: Computed(e.source, e.scores, e.reviews, e.total, e.below)
        for e in RankingEntry.objects.filter(call_id=call_id)
        if e.below_criterion == bool(e.below)
    }
    return sorted(
        pk for pk in computed.keys() | stored.keys() if computed.get(pk) != stored.get(pk)
    )
