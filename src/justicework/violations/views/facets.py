"""The incident list's facets as the page shows them: the counts of the query path
(``violations.queries``), labelled, each value a link that sets its filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from justicework.core.models import Organisation
from justicework.violations import queries, views
from justicework.violations.models import Incident, Unit
from justicework.violations.views._common import vocab_label


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


def labelled_facets(
    counts: queries.IncidentCounts, data: dict[str, Any], params: QueryDict
) -> list[Facet]:
    """The counts of the query path (``queries.incident_counts``) as the page shows them: the
    most frequent ``FACET_LIMIT`` values of each facet, labelled (act types and units count
    *acts* and *attributions*; the labels say so). Facets count within the current result; a
    facet whose filter is set offers a link back to "any value" as well."""
    from justicework.violations.templatetags.violations_ui import country_name

    def top(items: dict[Any, int]) -> list[tuple[Any, int]]:
        return sorted(items.items(), key=lambda item: (-item[1], str(item[0])))[: views.FACET_LIMIT]

    type_rows, unit_rows = top(counts.type), top(counts.unit)
    names = dict(Unit.objects.filter(pk__in=[v for v, _n in unit_rows]).values_list("pk", "name"))
    org_rows = top(counts.organisation)
    org_names = dict(
        Organisation.objects.filter(pk__in=[v for v, _n in org_rows]).values_list("pk", "name")
    )
    statuses = dict(Incident.Status.choices)
    specs: list[tuple[str, Any, list[tuple[Any, int]], Any]] = [
        ("country", _("Country"), top(counts.country), country_name),
        (
            "type",
            _("Type of act (number of acts)"),
            type_rows,
            lambda code: vocab_label("violation_types", code),
        ),
        (
            "unit",
            _("Perpetrator unit (number of attributions)"),
            unit_rows,
            lambda pk: names.get(pk, str(pk)),
        ),
        ("status", _("Status"), top(counts.status), lambda s: str(statuses.get(s, s))),
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
    return facets
