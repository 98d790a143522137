"""The incident list, map and timeline: one filter form over the one query path
(``violations.queries.search_incidents``), the list with its total, facets and keyset pages.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from justicework.core import policy
from justicework.core.models import Organisation
from justicework.violations import queries, views
from justicework.violations.forms import IncidentFilterForm
from justicework.violations.models import Incident, Location, Unit, Violation
from justicework.violations.views._common import active_organisation, map_settings
from justicework.violations.views.facets import labelled_facets


def _filter_options(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    units = policy.visible(user, Unit, "view").only("id", "name").order_by("name")
    organisations = list(
        policy.visible(user, Organisation, "view_records").values_list("pk", "name")
    )
    return {"units": units, "organisations": organisations}


@dataclass
class SearchState:
    """The bound filter form, its valid values and the filters they make (a value the form
    refuses is reported on its field and left out)."""

    form: IncidentFilterForm
    data: dict[str, Any]
    filters: queries.Filters


def _search_state(request: HttpRequest) -> SearchState:
    form = IncidentFilterForm(request.GET or None, **_filter_options(request))
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return SearchState(form, data, queries.Filters.from_mapping(data))


def _with_violation_counts(rows: list[Incident]) -> None:
    """Each row's number of acts, for the whole page in one query."""
    counts = dict(
        Violation.objects.filter(incident_id__in=[i.pk for i in rows])
        .order_by()
        .values_list("incident_id")
        .annotate(n=Count("pk"))
    )
    for incident in rows:
        incident.violation_count = counts.get(incident.pk, 0)  # type: ignore[attr-defined]  # display-only attribute


def _page_urls(
    request: HttpRequest, rows: list[Incident], has_more: bool, *, later: bool
) -> dict[str, str]:
    """The next page (keyset: ``?after=<last pk>``) and, on a later page, the first."""
    base = reverse("violations:incident_list")
    urls = {"next_url": "", "first_url": ""}
    if has_more and rows:
        params = request.GET.copy()
        params["after"] = str(rows[-1].pk)
        urls["next_url"] = f"{base}?{params.urlencode()}"
    if later:
        params = request.GET.copy()
        params.pop("after", None)
        urls["first_url"] = f"{base}?{params.urlencode()}"
    return urls


@require_GET
@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    state = _search_state(request)
    matches = queries.match(request.user, state.filters, limit=views.MATERIALISE_LIMIT)
    rows, has_more = matches.page(state.data.get("after"), views.PAGE_SIZE)
    counts = queries.incident_counts(matches)
    _with_violation_counts(rows)
    organisation = active_organisation(request)
    context = {
        "form": state.form,
        "incidents": rows,
        "total": counts.total,
        "facets": labelled_facets(counts, state.data, request.GET),
        **_page_urls(request, rows, has_more, later=bool(state.data.get("after"))),
        "query_string": _query_without_cursor(request),
        "can_create": organisation is not None
        and bool(policy.can(request.user, "create_incident", organisation)),
        "dataio_links": _dataio_links(request),
    }
    htmx: Any = getattr(request, "htmx", None)  # django-htmx's middleware sets it
    partial = bool(htmx) and not htmx.boosted and not htmx.history_restore_request
    template = (
        "violations/partials/incident_results.html" if partial else "violations/incident_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # caches must not mix the page and the partial
    return response


def _query_without_cursor(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("after", None)
    return params.urlencode()


def _dataio_links(request: HttpRequest) -> list[tuple[str, str]]:
    """Links to the import and export pages of violations (the dataio app), for members whose
    active role may import or export; the export link carries the list's filters."""
    from django.urls import NoReverseMatch

    membership: Any = getattr(request, "membership", None)
    if membership is None:
        return []
    links = []
    for name, action, label in [
        ("dataio:index", "import", gettext_lazy("Import from a spreadsheet")),
        ("dataio:export", "export", gettext_lazy("Export")),
    ]:
        if not policy.can(request.user, action, membership.organisation):
            continue
        try:
            link = reverse(name, args=["violations"])
        except NoReverseMatch:
            continue
        filters = _query_without_cursor(request) if action == "export" else ""
        links.append((f"{link}?{filters}" if filters else link, str(label)))
    if policy.can(request.user, "grant_need_to_know_set", membership.organisation):
        query = urlencode({"list": _query_without_cursor(request)})
        links.append(
            (
                f"{reverse('violations:person_grant_set')}?{query}",
                str(gettext_lazy("Need-to-know on the persons of this list")),
            )
        )
    return links


@require_GET
@login_required
def incident_map(request: HttpRequest) -> HttpResponse:
    state = _search_state(request)
    queryset = queries.search_incidents(request.user, state.filters)
    # The newest MAP_LIMIT matching incidents first (one index walk), then their places.
    ids = list(queryset.values_list("pk", flat=True)[: views.MAP_LIMIT + 1])
    truncated = len(ids) > views.MAP_LIMIT
    rows = (
        Location.objects.filter(
            incident_id__in=ids[: views.MAP_LIMIT], latitude__isnull=False, longitude__isnull=False
        )
        .order_by("-incident_id", "pk")
        .values(
            "incident_id",
            "incident__title",
            "incident__start_date",
            "place_name",
            "latitude",
            "longitude",
        )
    )
    prefix = reverse("violations:incident_list")  # one reverse() for all the points
    points = [
        {
            "lat": row["latitude"],
            "lng": row["longitude"],
            "title": row["incident__title"],
            "url": f"{prefix}{row['incident_id']}/",
            "date": date_format(row["incident__start_date"], "DATE_FORMAT")
            if row["incident__start_date"]
            else "",
            "place": row["place_name"],
        }
        for row in rows
    ]
    return render(
        request,
        "violations/incident_map.html",
        {
            "form": state.form,
            "points": points,
            "truncated": truncated,
            "limit": views.MAP_LIMIT,
            "query_string": _query_without_cursor(request),
            **map_settings(),
        },
    )


@require_GET
@login_required
def incident_timeline(request: HttpRequest) -> HttpResponse:
    state = _search_state(request)
    queryset = queries.search_incidents(request.user, state.filters)
    rows = list(
        queryset.filter(start_date__isnull=False)
        .select_related("organisation")
        .order_by("-start_date", "-pk")[: views.TIMELINE_LIMIT + 1]
    )
    truncated = len(rows) > views.TIMELINE_LIMIT
    years: OrderedDict[int, list[Incident]] = OrderedDict()
    for incident in rows[: views.TIMELINE_LIMIT]:
        assert incident.start_date is not None  # filtered above
        years.setdefault(incident.start_date.year, []).append(incident)
    return render(
        request,
        "violations/incident_timeline.html",
        {
            "form": state.form,
            "years": years,
            "truncated": truncated,
            "limit": views.TIMELINE_LIMIT,
            "query_string": _query_without_cursor(request),
        },
    )
