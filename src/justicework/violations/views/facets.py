"""The incident list's facets as the page shows them: the counts of the query path
(``violations.queries``), labelled, each value a link that sets its filter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import Organisation
from justicework.violations import views
from justicework.violations.models import (
    Incident,
    Perpetration,
    Unit,
    Violation,
)
from justicework.violations.views._common import _vocab_label


@dataclass
class FacetValue:
    value: Any
    label: str
    count: int
    url: str
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    clear_url: str = ""
    values: list[FacetValue] = field(default_factory=list)


def _facet_url(params: QueryDict, name: str, value: Any) -> str:
    """The list URL with ``name`` set to ``value`` (removed when ``value`` is None)."""
    query = params.copy()
    query.pop("after", None)
    if value is None:
        query.pop(name, None)
    else:
        query[name] = str(value)
    return f"{reverse('violations:incident_list')}?{query.urlencode()}"


def _facet_counts(
    user: Any, queryset: QuerySet[Incident], matching: list[int] | None, params: Any
) -> dict[str, Any]:
    """The numbers behind :func:`_facets`. Counts over a large result (more than
    ``MATERIALISE_LIMIT`` incidents: typically the unfiltered first page) are kept in the cache
    for ``FACET_CACHE_SECONDS``, per user and query, so that page stays fast when visited again;
    small results are always counted afresh."""
    key = ""
    if matching is None:
        query = sorted((k, v) for k, v in params.lists() if k != "after")
        digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
        key = f"violations:facets:{user.pk}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return cast(dict[str, Any], cached)
    incidents: Any = matching if matching is not None else queryset.order_by().values("pk")
    grouped = list(
        queryset.order_by()
        .values_list("country", "status", "organisation_id")
        .annotate(n=Count("pk"))
    )
    sums: dict[str, dict[Any, int]] = {"country": {}, "status": {}, "organisation": {}}
    for country, status, organisation_id, n in grouped:
        for name, value in (
            ("country", country),
            ("status", status),
            ("organisation", organisation_id),
        ):
            sums[name][value] = sums[name].get(value, 0) + n
    violations = Violation.objects.filter(incident_id__in=incidents)
    perpetrations = Perpetration.objects.filter(unit__isnull=False)
    if matching is None:
        # Over a large result, naming the organisations lets the database use the
        # (organisation, type) index; over a list of ids the incident index is the right one
        # (and SQLite would pick the wrong one if offered both).
        orgs = policy.allowed_organisation_ids(user, "view_records")
        violations = violations.filter(organisation_id__in=orgs)
        perpetrations = perpetrations.filter(organisation_id__in=orgs)
    by_type = violations.order_by().values_list("type").annotate(n=Count("pk"))
    by_unit = (
        perpetrations.filter(violation_id__in=violations.values("pk"))
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    counts = {
        "total": sum(n for *_rest, n in grouped),
        "sums": sums,
        "type": dict(by_type),
        "unit": dict(by_unit),
    }
    if key:
        cache.set(key, counts, views.FACET_CACHE_SECONDS)
    return counts


def _facets(
    user: Any,
    queryset: QuerySet[Incident],
    data: dict[str, Any],
    params: Any,
    matching: list[int] | None = None,
) -> tuple[int, list[Facet]]:
    """The total and the facet counts of the filtered result, in three GROUP BY queries
    whatever the data size:

    * one over the incidents, grouped by (country, status, organisation), which gives the total
      and three facets at once (the full-text match, the costliest part, is evaluated once for
      all four);
    * one over their violations by act type and one over their perpetrations by unit: these
      count *acts* and *attributions* (no ``COUNT(DISTINCT incident)``, which costs 2-3 times
      more over a million rows); the labels say so.

    Facets count within the current result; a facet whose filter is set offers a link back to
    "any value" instead of the other values.
    """
    from justicework.violations.templatetags.violations_ui import country_name

    counts = _facet_counts(user, queryset, matching, params)
    total = counts["total"]
    sums: dict[str, dict[Any, int]] = counts["sums"]

    def top(items: dict[Any, int]) -> list[tuple[Any, int]]:
        return sorted(items.items(), key=lambda item: (-item[1], str(item[0])))[: views.FACET_LIMIT]

    type_rows, unit_rows = top(counts["type"]), top(counts["unit"])
    names = dict(Unit.objects.filter(pk__in=[v for v, _n in unit_rows]).values_list("pk", "name"))
    org_rows = top(sums["organisation"])
    org_names = dict(
        Organisation.objects.filter(pk__in=[v for v, _n in org_rows]).values_list("pk", "name")
    )
    statuses = dict(Incident.Status.choices)
    specs: list[tuple[str, Any, list[tuple[Any, int]], Any]] = [
        ("country", _("Country"), top(sums["country"]), country_name),
        (
            "type",
            _("Type of act (number of acts)"),
            type_rows,
            lambda code: _vocab_label("violation_types", code),
        ),
        (
            "unit",
            _("Perpetrator unit (number of attributions)"),
            unit_rows,
            lambda pk: names.get(pk, str(pk)),
        ),
        ("status", _("Status"), top(sums["status"]), lambda s: str(statuses.get(s, s))),
        ("organisation", _("Organisation"), org_rows, lambda pk: org_names.get(pk, str(pk))),
    ]
    facets = []
    for name, label, rows, labeller in specs:
        selected = data.get(name)
        if selected is not None and hasattr(selected, "pk"):
            selected = selected.pk
        facet = Facet(name, label, clear_url=_facet_url(params, name, None) if selected else "")
        for value, count in rows:
            if value in (None, ""):
                continue
            facet.values.append(
                FacetValue(
                    value,
                    labeller(value),
                    count,
                    _facet_url(params, name, value),
                    value == selected,
                )
            )
        facets.append(facet)
    return total, facets
