"""The one query layer of the suggestions: the facts of the violations a user may see, the units
attributed to them and the pattern of similar incidents, in three queries whatever the number
of violations (``tests/law/qualification/test_queries.py`` counts them).

Settings: ``LAW_PATTERN_THRESHOLD`` (how many similar incidents make a pattern worth citing,
default 3) and ``LAW_PATTERN_WINDOW_DAYS`` (how near in time, default 90).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import translation

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.law.qualification_map import crimes_by_id, qualification_map
from justicework.law.suggestions import (
    PatternRow,
    PatternRule,
    Suggestions,
    ViolationFacts,
    pattern_count,
    suggest,
)
from justicework.violations.models import Perpetration, Violation


def pattern_rule() -> PatternRule:
    return PatternRule(
        window_days=int(getattr(settings, "LAW_PATTERN_WINDOW_DAYS", 90)),
        threshold=int(getattr(settings, "LAW_PATTERN_THRESHOLD", 3)),
    )


def facts_of(violations: QuerySet[Violation]) -> list[ViolationFacts]:
    """The facts of ``violations`` (already narrowed by the policy): two queries."""
    rows = list(violations.select_related("incident", "location").order_by("pk"))
    units: dict[int, set[int]] = defaultdict(set)
    # Unit ids only: a perpetration's person is never read here.
    for violation_id, unit_id in Perpetration.objects.filter(
        violation_id__in=[v.pk for v in rows], unit_id__isnull=False
    ).values_list("violation_id", "unit_id"):
        units[violation_id].add(unit_id)
    return [
        ViolationFacts(
            id=v.pk,
            type=v.type,
            incident_id=v.incident_id,
            context=v.incident.context,
            date=v.start_date or v.incident.start_date,
            country=(v.location.country if v.location else "") or v.incident.country,
            subdivision=v.location.subdivision if v.location else "",
            unit_ids=frozenset(units[v.pk]),
        )
        for v in rows
    ]


def pattern_rows(
    user: Requester, facts: list[ViolationFacts], rule: PatternRule
) -> list[PatternRow]:
    """Every visible violation that might repeat one of ``facts``: one query over the types,
    units and the span of dates they share (the exact matching is :func:`pattern_count`)."""
    dated = [f for f in facts if f.unit_ids and f.date is not None]
    if not dated:
        return []
    window = dt.timedelta(days=rule.window_days)
    low = min(f.date for f in dated if f.date) - window
    high = max(f.date for f in dated if f.date) + window
    rows = (
        policy.visible(user, Violation, "view")
        .annotate(on=Coalesce("start_date", "incident__start_date"))
        .filter(
            Q(on__gte=low) & Q(on__lte=high),
            type__in=sorted({f.type for f in dated}),
            perpetrations__unit_id__in=sorted(set().union(*(f.unit_ids for f in dated))),
        )
        .values_list(
            "incident_id",
            "type",
            "on",
            "incident__country",
            "location__subdivision",
            "perpetrations__unit_id",
        )
    )
    return [
        PatternRow(incident, kind, on, country or "", subdivision or "", unit)
        for incident, kind, on, country, subdivision, unit in rows
    ]


def suggestions_for(user: Requester, violations: QuerySet[Violation]) -> list[Suggestions]:
    """Suggestions for each of ``violations`` (a queryset the policy has narrowed), in id order:
    three queries (plus the policy's own look-ups of the user's grants, once per request)."""
    rule = pattern_rule()
    facts = facts_of(violations)
    rows = pattern_rows(user, facts, rule)
    qmap, crimes = qualification_map(), crimes_by_id()
    language = (translation.get_language() or "en").split("-")[0]
    return [suggest(f, qmap, crimes, pattern_count(f, rows, rule), rule, language) for f in facts]
