"""The ranking of a call's applications: each application's score per criterion (its
consolidated score, or the average of its submitted reviews when it has no consolidation), the
weighted total, and which thresholds it falls below (per criterion and overall). A fixed number
of flat queries whatever the number of applications."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from justicework.grants.actions_review.scoring import review_averages, scored_criteria
from justicework.grants.models import Application, Call, Criterion
from justicework.grants.models.review_scores import (
    ConsolidatedScore,
    Decision,
    RankingThreshold,
    Review,
)

#: the applications a ranking shows: past eligibility, in review or decided
RANKED = [
    Application.Status.IN_REVIEW,
    Application.Status.AWARDED,
    Application.Status.RESERVE,
    Application.Status.REJECTED,
]
SORTS = ("rank", "reference", "applicant", "requested", "reviews")


@dataclass
class Row:
    application_id: int
    reference: str
    title: str
    applicant: str
    status: str
    requested: Decimal
    scores: list[Decimal | None]
    #: "consolidated", "reviews" or "" (no score yet)
    source: str
    reviews: int
    total: Decimal | None = None
    rank: int | None = None
    decision: str = ""
    #: the codes of the criteria it is below the threshold of ("overall" for the total)
    below: list[str] = field(default_factory=list)


@dataclass
class Ranking:
    call: Call
    criteria: list[Criterion]
    overall_threshold: Decimal | None
    rows: list[Row]


def _scores(call_id: int) -> dict[tuple[int, int], Decimal]:
    rows = ConsolidatedScore.objects.filter(
        consolidation__application__call_id=call_id
    ).values_list("consolidation__application_id", "criterion_id", "score")
    return {(a, c): s for a, c, s in rows}


def _weigh(row: Row, criteria: list[Criterion], overall: Decimal | None) -> None:
    if row.scores and all(s is not None for s in row.scores):
        row.total = sum(
            (c.weight * s for c, s in zip(criteria, row.scores, strict=True) if s is not None),
            Decimal(0),
        ).quantize(Decimal("0.01"))
    for criterion, score in zip(criteria, row.scores, strict=True):
        if criterion.threshold is not None and score is not None and score < criterion.threshold:
            row.below.append(criterion.code)
    if overall is not None and row.total is not None and row.total < overall:
        row.below.append("overall")


def build(call: Call, sort: str = "rank") -> Ranking:
    criteria = scored_criteria(call.pk)
    threshold = RankingThreshold.objects.filter(call=call).values_list("overall", flat=True).first()
    apps = list(
        Application.objects.filter(call=call, status__in=RANKED)
        .order_by("pk")
        .values_list(
            "pk", "reference", "title", "applicant__legal_name", "status", "requested_amount"
        )
    )
    consolidated = _scores(call.pk)
    averages = review_averages(call_id=call.pk)
    counts = dict(
        Review.objects.filter(assignment__call=call, submitted_at__isnull=False)
        .values_list("assignment__application_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    decisions = dict(
        Decision.objects.filter(application__call=call).values_list("application_id", "outcome")
    )
    has_consolidation = {a for a, _c in consolidated}
    rows = []
    for pk, reference, title, applicant, status, requested in apps:
        source = consolidated if pk in has_consolidation else averages
        scores = [source.get((pk, c.pk)) for c in criteria]
        kind = "consolidated" if pk in has_consolidation else ("reviews" if counts.get(pk) else "")
        row = Row(
            pk, reference, title, applicant, status, requested, scores, kind, counts.get(pk, 0)
        )
        row.decision = decisions.get(pk, "")
        _weigh(row, criteria, threshold)
        rows.append(row)
    _rank(rows)
    return Ranking(call, criteria, threshold, sort_rows(rows, sort))


def _rank(rows: list[Row]) -> None:
    scored = sorted(
        (r for r in rows if r.total is not None), key=lambda r: (-(r.total or 0), r.reference)
    )
    for position, row in enumerate(scored, start=1):
        row.rank = position


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """``rank`` (unscored last), ``reference``, ``applicant``, ``requested`` (largest first),
    ``reviews`` (fewest first: who still needs reviews); a leading ``-`` reverses."""
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, reverse = "rank", False
    keys = {
        "rank": lambda r: (r.rank is None, r.rank or 0, r.reference),
        "reference": lambda r: r.reference,
        "applicant": lambda r: (r.applicant.casefold(), r.reference),
        "requested": lambda r: (-r.requested, r.reference),
        "reviews": lambda r: (r.reviews, r.reference),
    }
    return sorted(rows, key=keys[key], reverse=reverse)
