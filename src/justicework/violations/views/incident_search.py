"""The incident list, map and timeline: one filter form over the one query path
(``violations.queries.search_incidents``), the list with its total, facets and keyset pages.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from justicework import search
from justicework.core import policy
from justicework.core.models import Organisation
from justicework.violations import queries, views
from justicework.violations.forms import (
    IncidentFilterForm,
)
from justicework.violations.indexing import country_token, status_token, type_token
from justicework.violations.models import (
    Incident,
    Location,
    Perpetration,
    Unit,
    Violation,
)
from justicework.violations.views._common import _active_organisation, _map_settings
from justicework.violations.views.facets import _facets


def _filter_options(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    units = policy.visible(user, Unit, "view").only("id", "name").order_by("name")
    organisations = list(
        policy.visible(user, Organisation, "view_records").values_list("pk", "name")
    )
    return {"units": units, "organisations": organisations}


def _filters(user: Any, data: dict[str, Any]) -> dict[str, Q]:
    """The validated filters as ``Q`` objects on ``Incident``. Same meaning as the API's
    ``violations.queries.filter_incidents``. Acts and units are semi-joins (``IN (SELECT ...)``,
    evaluated once, from the (organisation, type) index), the country's places an ``EXISTS``:
    no filter multiplies rows, so no ``DISTINCT`` over large results."""
    filters: dict[str, Q] = {}
    # Children carry their organisation: naming it lets the database use the
    # (organisation, type) index instead of scanning every violation.
    orgs = policy.allowed_organisation_ids(user, "view_records")
    if data.get("country"):
        country = data["country"]
        filters["country"] = Q(country=country) | Q(
            Exists(Location.objects.filter(incident_id=OuterRef("pk"), country=country))
        )
    if data.get("status"):
        filters["status"] = Q(status=data["status"])
    if data.get("organisation"):
        filters["organisation"] = Q(organisation_id=data["organisation"])
    if data.get("date_from"):
        filters["date_from"] = Q(start_date__gte=data["date_from"])
    if data.get("date_to"):
        filters["date_to"] = Q(start_date__lte=data["date_to"])
    if data.get("type"):
        filters["type"] = Q(
            pk__in=Violation.objects.filter(
                organisation_id__in=orgs, type__in=queries.type_codes(data["type"])
            ).values("incident_id")
        )
    if data.get("unit"):
        filters["unit"] = Q(
            pk__in=Perpetration.objects.filter(
                organisation_id__in=orgs, unit_id__in=queries.unit_ids(data["unit"].pk)
            ).values("violation__incident_id")
        )
    return filters


def _filtered(
    base: QuerySet[Incident], filters: dict[str, Q], text: str, data: dict[str, Any]
) -> QuerySet[Incident]:
    """``base`` with the filters and the text. With text, the act-type, country and status
    filters join the text in one full-text look-up (each incident's document holds a token per
    type of act, country and for its status: ``indexing.type_token`` …) instead of a semi-join
    over the violations and an ``EXISTS`` over the places: the index intersects the posting
    lists."""
    queryset = base
    all_of: list[list[str]] = []
    if text and search.parse_query(text):
        if data.get("type"):
            all_of.append([type_token(code) for code in queries.type_codes(data["type"])])
        if data.get("country"):
            all_of.append([country_token(data["country"])])
        if data.get("status"):
            all_of.append([status_token(data["status"])])
        indexed = {"type", "country", "status"}
        filters = {name: q for name, q in filters.items() if name not in indexed}
    for condition in filters.values():
        queryset = queryset.filter(condition)
    return search.filter_queryset(queryset, text, all_of=all_of)


def _search_state(
    request: HttpRequest,
) -> tuple[IncidentFilterForm, QuerySet[Incident], dict[str, Any]]:
    """The bound filter form, the filtered queryset and what the templates need."""
    options = _filter_options(request)
    form = IncidentFilterForm(request.GET or None, **options)
    base = policy.visible(request.user, Incident, "view")
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    text = data.get("q", "")
    filters = _filters(request.user, data)
    queryset = _filtered(base, filters, text, data)
    return form, queryset, {"data": data}


@require_GET
@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    form, queryset, state = _search_state(request)
    data = state["data"]
    after = data.get("after")
    # Evaluate the filters (the costly part: full text, EXISTS on acts and units) once. When
    # at most MATERIALISE_LIMIT incidents match, their ids are fetched and every following
    # query (total, facets, page) is an index look-up on them; larger results are aggregated
    # in the database from the filtered sub-query.
    ids = list(queryset.order_by("-pk").values_list("pk", flat=True)[: views.MATERIALISE_LIMIT + 1])
    visible = policy.visible(request.user, Incident, "view")
    matching: list[int] | None = None
    if len(ids) <= views.MATERIALISE_LIMIT:
        matching = ids
        queryset = visible.filter(pk__in=ids)
    page_ids = [pk for pk in ids if after is None or pk < after][: views.PAGE_SIZE + 1]
    if matching is not None or len(page_ids) > views.PAGE_SIZE:
        page_qs = visible.filter(pk__in=page_ids)  # the page is among the ids fetched
    else:
        page_qs = queryset.filter(pk__lt=after) if after is not None else queryset
    total, facets = _facets(request.user, queryset, data, request.GET, matching)
    rows = list(page_qs.select_related("organisation").order_by("-pk")[: views.PAGE_SIZE + 1])
    has_more = len(rows) > views.PAGE_SIZE
    rows = rows[: views.PAGE_SIZE]
    counts = dict(
        Violation.objects.filter(incident_id__in=[i.pk for i in rows])
        .order_by()
        .values_list("incident_id")
        .annotate(n=Count("pk"))
    )
    for incident in rows:
        incident.violation_count = counts.get(incident.pk, 0)  # type: ignore[attr-defined]  # display-only attribute
    params = request.GET.copy()
    next_url = ""
    if has_more and rows:
        params_next = params.copy()
        params_next["after"] = str(rows[-1].pk)
        next_url = f"{reverse('violations:incident_list')}?{params_next.urlencode()}"
    first_url = ""
    if data.get("after"):
        params_first = params.copy()
        params_first.pop("after", None)
        first_url = f"{reverse('violations:incident_list')}?{params_first.urlencode()}"
    organisation = _active_organisation(request)
    context = {
        "form": form,
        "incidents": rows,
        "total": total,
        "facets": facets,
        "next_url": next_url,
        "first_url": first_url,
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
    active role may import or export."""
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
            links.append((reverse(name, args=["violations"]), str(label)))
        except NoReverseMatch:
            continue
    return links


@require_GET
@login_required
def incident_map(request: HttpRequest) -> HttpResponse:
    form, queryset, _state = _search_state(request)
    # The newest MAP_LIMIT matching incidents first (one index walk), then their places.
    ids = list(queryset.order_by("-pk").values_list("pk", flat=True)[: views.MAP_LIMIT + 1])
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
            "date": row["incident__start_date"].isoformat() if row["incident__start_date"] else "",
            "place": row["place_name"],
        }
        for row in rows
    ]
    return render(
        request,
        "violations/incident_map.html",
        {
            "form": form,
            "points": points,
            "truncated": truncated,
            "limit": views.MAP_LIMIT,
            "query_string": _query_without_cursor(request),
            **_map_settings(),
        },
    )


@require_GET
@login_required
def incident_timeline(request: HttpRequest) -> HttpResponse:
    form, queryset, _state = _search_state(request)
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
            "form": form,
            "years": years,
            "truncated": truncated,
            "limit": views.TIMELINE_LIMIT,
            "query_string": _query_without_cursor(request),
        },
    )
