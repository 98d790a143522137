"""The ranking of a call's applications: each application's score per criterion (its
consolidated score, or the average of its submitted reviews when it has no consolidation), the
weighted total, and which thresholds it falls below (per criterion and overall).

The scores and totals are read from the stored entries (``ranking_store``: kept by the review
and consolidation actions), never averaged per request. :func:`order` reads the few columns the
order, the rank and the counts need for every application (one flat query); :func:`rows` reads
the rest for the rows shown (one query): a page of the ranking costs the same queries whatever
the number of applications, and builds only its own rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from justicework.grants.models import Application, Call, Criterion
from justicework.grants.models.review_scores import RankingThreshold
from justicework.grants.ranking_store import scored_criteria

#: the applications a ranking shows: past eligibility, in review or decided
RANKED = [
    Application.Status.IN_REVIEW,
    Application.Status.AWARDED,
    Application.Status.RESERVE,
    Application.Status.REJECTED,
]
#: up to this many rows are read by id; more (the whole ranking) by call
FEW = 500
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


@dataclass(slots=True)
class Key:
    """What the order, the rank and the counts need of one application."""

    application_id: int
    reference: str
    reviews: int
    total: Decimal | None
    below: bool
    #: the value sorted by when it is neither the rank nor the reference (applicant, amount)
    value: Any = None
    rank: int | None = None


@dataclass
class Order:
    """Every application of the ranking in the order asked, ranked."""

    call: Call
    criteria: list[Criterion]
    overall_threshold: Decimal | None
    keys: list[Key]

    @property
    def below(self) -> int:
        """How many applications are below a threshold (a criterion's or the overall one)."""
        return sum(1 for k in self.keys if k.below)


#: the column a sort needs beside the rank's (only that sort reads it)
_SORTED_BY = {"applicant": "applicant__legal_name", "requested": "requested_amount"}


def order(call: Call, sort: str = "rank") -> Order:
    """Every application ranked, in the order ``sort`` asks (:func:`sort_rows`): one query of
    the few columns that needs, whatever is shown."""
    criteria = scored_criteria(call.pk)
    threshold = RankingThreshold.objects.filter(call=call).values_list("overall", flat=True).first()
    extra = _SORTED_BY.get(sort.lstrip("-"))
    columns = ["pk", "reference", "ranking_entry__reviews", "ranking_entry__total"]
    columns += ["ranking_entry__below_criterion", *([extra] if extra else [])]
    keys = []
    for pk, reference, reviews, total, below, *value in (
        Application.objects.filter(call=call, status__in=RANKED)
        .order_by("pk")
        .values_list(*columns)
    ):
        low = bool(below) or (threshold is not None and total is not None and total < threshold)
        keys.append(Key(pk, reference, reviews or 0, total, low, value[0] if value else None))
    _rank(keys)
    return Order(call, criteria, threshold, sort_rows(keys, sort))


def rows(ranking: Order, keys: Sequence[Key]) -> list[Row]:
    """The rows of ``keys`` (in their order), from their stored entries."""
    wanted = Application.objects.filter(call=ranking.call, status__in=RANKED)
    if len(keys) <= FEW:
        wanted = wanted.filter(pk__in=[k.application_id for k in keys])
    details = {
        pk: rest
        for pk, *rest in wanted.order_by().values_list(
            "pk",
            "title",
            "applicant__legal_name",
            "status",
            "requested_amount",
            "ranking_entry__source",
            "ranking_entry__scores",
            "ranking_entry__below",
            "decision__outcome",
        )
    }
    overall = ranking.overall_threshold
    out = []
    for key in keys:
        if key.application_id not in details:  # it left the ranking since ``order`` read it
            continue
        title, applicant, status, requested, source, scores, below, decision = details[
            key.application_id
        ]
        given = scores or {}
        row = Row(
            key.application_id,
            key.reference,
            title,
            applicant,
            status,
            requested,
            [_decimal(given.get(str(c.pk))) for c in ranking.criteria],
            source or "",
            key.reviews,
            total=key.total,
            rank=key.rank,
            decision=decision or "",
            below=list(below or []),
        )
        if overall is not None and row.total is not None and row.total < overall:
            row.below.append("overall")
        out.append(row)
    return out


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def build(call: Call, sort: str = "rank") -> Ranking:
    """Every row of the ranking (the API's list)."""
    ranked = order(call, sort)
    return Ranking(call, ranked.criteria, ranked.overall_threshold, rows(ranked, ranked.keys))


def _rank(keys: list[Key]) -> None:
    scored = sorted(
        (k for k in keys if k.total is not None), key=lambda k: (-(k.total or 0), k.reference)
    )
    for position, row in enumerate(scored, start=1):
        row.rank = position


def sort_rows(keys: list[Key], sort: str) -> list[Key]:
    """``rank`` (unscored last), ``reference``, ``applicant``, ``requested`` (largest first),
    ``reviews`` (fewest first: who still needs reviews); a leading ``-`` reverses."""
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, reverse = "rank", False
    by: dict[str, Callable[[Key], Any]] = {
        "rank": lambda r: (r.rank is None, r.rank or 0, r.reference),
        "reference": lambda r: r.reference,
        "applicant": lambda r: (r.value.casefold(), r.reference),
        "requested": lambda r: (-r.value, r.reference),
        "reviews": lambda r: (r.reviews, r.reference),
    }
    return sorted(keys, key=by[key], reverse=reverse)
