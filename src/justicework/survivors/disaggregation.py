"""Survivor counts disaggregated by sex, gender identity and age group (at the violation and
now), each with "unknown" and "prefer not to say", from one grouped query.

Small cells could re-identify a survivor (the only man aged 61+ in a district), so a displayed
breakdown suppresses every count between 1 and ``SURVIVORS_MIN_CELL - 1``; when a dimension
would hide a single cell, the next smallest is hidden too, so the total cannot give it away.
A file with no statistics row counts as "unknown" in every dimension.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from justicework.survivors.models import SurvivorFile
from justicework.survivors.models.statistics import UNKNOWN, AgeGroup, GenderIdentity, Sex

#: (field of SurvivorStatistics, heading, choices)
DIMENSIONS: tuple[tuple[str, Any, Any], ...] = (
    ("sex", _("Sex"), Sex),
    ("gender_identity", _("Gender identity"), GenderIdentity),
    ("age_group_then", _("Age group at the violation"), AgeGroup),
    ("age_group_now", _("Age group now"), AgeGroup),
)


def min_cell() -> int:
    return int(getattr(settings, "SURVIVORS_MIN_CELL", 5))


@dataclass(frozen=True)
class Cell:
    value: str
    label: Any
    count: int | None  # None: suppressed


@dataclass(frozen=True)
class Dimension:
    field: str
    heading: Any
    cells: list[Cell]


@dataclass(frozen=True)
class Breakdown:
    total: int
    dimensions: list[Dimension]
    min_cell: int


def _suppress(counts: dict[str, int], threshold: int) -> dict[str, int | None]:
    shown: dict[str, int | None] = {
        k: (None if 0 < n < threshold else n) for k, n in counts.items()
    }
    hidden = [k for k, n in shown.items() if n is None]
    if len(hidden) == 1:  # the total minus the others would give it away
        others = sorted((n, k) for k, n in counts.items() if n > 0 and shown[k] is not None)
        if others:
            shown[others[0][1]] = None
    return shown


def counts(files: QuerySet[SurvivorFile]) -> tuple[int, dict[str, Counter[str]]]:
    """Raw counts per dimension value of ``files`` (already narrowed by the policy): one
    query, grouped by the four fields together; the marginals are summed here."""
    keys = {field: Coalesce(F(f"statistics__{field}"), Value(UNKNOWN)) for field, *_ in DIMENSIONS}
    rows = files.order_by().values(**keys).annotate(n=Count("pk"))
    found: dict[str, Counter[str]] = {field: Counter() for field, *_ in DIMENSIONS}
    total = 0
    for row in rows:
        total += row["n"]
        for field, *_rest in DIMENSIONS:
            found[field][row[field]] += row["n"]
    return total, found


def breakdown(files: QuerySet[SurvivorFile], threshold: int | None = None) -> Breakdown:
    threshold = min_cell() if threshold is None else threshold
    total, found = counts(files)
    dimensions = []
    for field, heading, choices in DIMENSIONS:
        raw = {value: found[field].get(value, 0) for value in choices.values}
        shown = _suppress(raw, threshold)
        cells = [Cell(value, label, shown[value]) for value, label in choices.choices]
        dimensions.append(Dimension(field, heading, cells))
    return Breakdown(total, dimensions, threshold)
