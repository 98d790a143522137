"""Pages of the violations app: incidents (list, search, facets, map, timeline, create, edit,
autosave), violations, persons (pseudonymous page, audited identity reveal, duplicate warning).

Every read starts from ``policy.visible`` or ``policy.get_or_404``; every write calls
``violations.actions``. List pages keep a constant number of queries whatever the data size:
facets are GROUP BY queries over the filtered queryset, pagination is keyset (``?after=<pk>``),
and per-row details are fetched in one query for the whole page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework import search
from justicework.core import policy
from justicework.core.models import AccessGrant, Membership, Organisation, User
from justicework.violations import actions, duplicates, queries, rules, vocabularies
from justicework.violations.forms import (
    PICKED,
    CommanderEditForm,
    CommanderForm,
    GrantForm,
    IncidentFilterForm,
    IncidentForm,
    PerpetrationForm,
    PersonForm,
    PersonLinkForm,
    RelationForm,
    RevealForm,
    SourceForm,
    UnitForm,
    ViolationForm,
    picked_label,
)
from justicework.violations.indexing import country_token, status_token, type_token
from justicework.violations.models import (
    DatePrecision,
    Incident,
    IncidentRelation,
    Location,
    Perpetration,
    Person,
    PersonRole,
    Source,
    Unit,
    UnitCommander,
    Violation,
)

PAGE_SIZE = 50
MATERIALISE_LIMIT = 5000
FACET_CACHE_SECONDS = 120
FACET_LIMIT = 15
MAP_LIMIT = 2000
TIMELINE_LIMIT = 200
VIOLATIONS_PAGE = 50
SUMMARY_LIMIT = 200


# --- Helpers -------------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User:
    """The signed-in user (every view here is ``login_required``)."""
    return cast(User, request.user)


def _active_organisation(request: HttpRequest) -> Organisation | None:
    membership: Any = getattr(request, "membership", None)
    return membership.organisation if membership is not None else None


def _require_create(request: HttpRequest, action: str) -> Organisation:
    """The active organisation, if the user may ``action`` (e.g. ``create_incident``) in it."""
    organisation = _active_organisation(request)
    if organisation is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    policy.require(request.user, action, organisation)
    return organisation


def _error_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _apply_errors(form: Any, exc: ValidationError) -> None:
    """Show an action's validation error on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Incident list: filters, facets, keyset pagination -------------------------------------------


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
        cache.set(key, counts, FACET_CACHE_SECONDS)
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
        return sorted(items.items(), key=lambda item: (-item[1], str(item[0])))[:FACET_LIMIT]

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


def _vocab_label(vocabulary: str, code: str) -> str:
    try:
        return vocabularies.label(vocabulary, code)
    except LookupError:
        return code


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
    ids = list(queryset.order_by("-pk").values_list("pk", flat=True)[: MATERIALISE_LIMIT + 1])
    visible = policy.visible(request.user, Incident, "view")
    matching: list[int] | None = None
    if len(ids) <= MATERIALISE_LIMIT:
        matching = ids
        queryset = visible.filter(pk__in=ids)
    page_ids = [pk for pk in ids if after is None or pk < after][: PAGE_SIZE + 1]
    if matching is not None or len(page_ids) > PAGE_SIZE:
        page_qs = visible.filter(pk__in=page_ids)  # the page is among the ids fetched
    else:
        page_qs = queryset.filter(pk__lt=after) if after is not None else queryset
    total, facets = _facets(request.user, queryset, data, request.GET, matching)
    rows = list(page_qs.select_related("organisation").order_by("-pk")[: PAGE_SIZE + 1])
    has_more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
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


# --- Map and timeline ----------------------------------------------------------------------------


@require_GET
@login_required
def incident_map(request: HttpRequest) -> HttpResponse:
    form, queryset, _state = _search_state(request)
    # The newest MAP_LIMIT matching incidents first (one index walk), then their places.
    ids = list(queryset.order_by("-pk").values_list("pk", flat=True)[: MAP_LIMIT + 1])
    truncated = len(ids) > MAP_LIMIT
    rows = (
        Location.objects.filter(
            incident_id__in=ids[:MAP_LIMIT], latitude__isnull=False, longitude__isnull=False
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
            "limit": MAP_LIMIT,
            "query_string": _query_without_cursor(request),
            **_map_settings(),
        },
    )


def _map_settings() -> dict[str, str]:
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }


@require_GET
@login_required
def incident_timeline(request: HttpRequest) -> HttpResponse:
    form, queryset, _state = _search_state(request)
    rows = list(
        queryset.filter(start_date__isnull=False)
        .select_related("organisation")
        .order_by("-start_date", "-pk")[: TIMELINE_LIMIT + 1]
    )
    truncated = len(rows) > TIMELINE_LIMIT
    years: OrderedDict[int, list[Incident]] = OrderedDict()
    for incident in rows[:TIMELINE_LIMIT]:
        assert incident.start_date is not None  # filtered above
        years.setdefault(incident.start_date.year, []).append(incident)
    return render(
        request,
        "violations/incident_timeline.html",
        {
            "form": form,
            "years": years,
            "truncated": truncated,
            "limit": TIMELINE_LIMIT,
            "query_string": _query_without_cursor(request),
        },
    )


# --- Incident page -------------------------------------------------------------------------------


@require_GET
@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident with its violations (a dated timeline, ``VIOLATIONS_PAGE`` at a time so an
    incident with thousands of acts stays fast), persons by code, perpetrator units, places on a
    map and sources. Identity fields of persons are never loaded here."""
    user = request.user
    incident = policy.get_or_404(
        user, Incident.objects.select_related("organisation", "created_by"), "view", pk=pk
    )
    all_violations = Violation.objects.filter(incident=incident)
    violation_total = all_violations.count()
    pages = max(1, -(-violation_total // VIOLATIONS_PAGE))
    raw_page = request.GET.get("vpage", "1")
    page = min(max(int(raw_page), 1), pages) if raw_page.isdigit() else 1
    start = (page - 1) * VIOLATIONS_PAGE
    person_only = Person.objects.only(*_person_fields(""))
    violations = list(
        all_violations.select_related("location", "victim_group")
        .prefetch_related(
            Prefetch(
                "person_roles",
                queryset=PersonRole.objects.select_related("person").only(
                    "id", "violation_id", "role", "person_id", *_person_fields("person__")
                ),
            ),
            Prefetch(
                "perpetrations",
                queryset=Perpetration.objects.select_related("unit").prefetch_related(
                    Prefetch("person", queryset=person_only)
                ),
            ),
        )
        .order_by(F("start_date").asc(nulls_last=True), "pk")[start : start + VIOLATIONS_PAGE]
    )
    roles = PersonRole.objects.filter(violation__incident=incident).order_by().values("person_id")
    perpetrators = Perpetration.objects.filter(violation__incident=incident).order_by()
    # One IN over a UNION: "IN (a) OR IN (b)" made PostgreSQL scan every person
    # (figures: docs/benchmarks.md, "Query shapes chosen by measurement").
    person_ids = roles.union(perpetrators.filter(person__isnull=False).values("person_id"))
    persons = list(
        policy.visible(user, Person, "view")
        .filter(pk__in=person_ids)
        .only(*_person_fields(""))
        .order_by("code")[: SUMMARY_LIMIT + 1]
    )
    units = list(
        policy.visible(user, Unit, "view")
        # DISTINCT keeps the subquery whole: PostgreSQL otherwise turned it into a semi-join
        # driven by every unit, reading each unit's perpetrations, instead of an index-only
        # read from the incident's violations (figures: docs/benchmarks.md).
        .filter(pk__in=perpetrators.filter(unit__isnull=False).values("unit_id").distinct())
        .order_by("name")[: SUMMARY_LIMIT + 1]
    )
    locations = list(Location.objects.filter(incident=incident).order_by("pk"))
    sources = list(
        policy.visible(user, Source, "view").filter(incidents=incident).order_by("-date", "pk")
    )
    points = [
        {
            "lat": loc.latitude,
            "lng": loc.longitude,
            "title": str(loc) or incident.title,
            "url": "#location-" + str(loc.pk),
            "date": "",
            "place": loc.place_name,
        }
        for loc in locations
        if loc.has_coordinates
    ]
    can_change = bool(policy.can(user, "change", incident))
    can_verify = can_change and bool(policy.can(user, "verify", incident))
    for violation in violations:  # at most VIOLATIONS_PAGE reverse() calls
        violation.edit_url = (  # type: ignore[attr-defined]  # display-only attribute
            reverse("violations:violation_edit", args=[violation.pk]) if can_change else ""
        )
        violation.links_url = (  # type: ignore[attr-defined]  # display-only attribute
            reverse("violations:violation_links", args=[violation.pk]) if can_change else ""
        )
    # Both ends visible: a restricted incident's title never shows to users without access.
    visible_incidents = policy.visible(user, Incident, "view")
    relations = list(
        IncidentRelation.objects.filter(Q(from_incident=incident) | Q(to_incident=incident))
        .filter(from_incident__in=visible_incidents, to_incident__in=visible_incidents)
        .select_related("from_incident", "to_incident")
        .only(
            "id",
            "kind",
            "from_incident_id",
            "to_incident_id",
            "from_incident__title",
            "to_incident__title",
        )
        .order_by("pk")[:SUMMARY_LIMIT]
    )
    return render(
        request,
        "violations/incident_detail.html",
        {
            "incident": incident,
            "violations": violations,
            "violation_total": violation_total,
            "violation_page": page,
            "violation_pages": pages,
            "violation_start": start + 1,
            "violation_last": start + len(violations),
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "locations": locations,
            "sources": sources,
            "relations": relations,
            "persons": persons[:SUMMARY_LIMIT],
            "more_persons": len(persons) > SUMMARY_LIMIT,
            "units": units[:SUMMARY_LIMIT],
            "more_units": len(units) > SUMMARY_LIMIT,
            "points": points,
            "can_change": can_change,
            "can_verify": can_verify,
            # One reverse() for the page, not two per act.
            "person_url_prefix": reverse("violations:person_list"),
            "unit_url_prefix": reverse("violations:unit_list"),
            **_map_settings(),
        },
    )


def _person_fields(prefix: str) -> list[str]:
    return [f"{prefix}id", f"{prefix}code", f"{prefix}status", f"{prefix}organisation_id"]


# --- Incident create / edit / autosave -----------------------------------------------------------


def _incident_status_from(request: HttpRequest) -> str:
    return Incident.Status.DRAFT if "save_draft" in request.POST else Incident.Status.DOCUMENTED


def _prepare_draft(form: IncidentForm, status: str) -> None:
    """A draft may not know its date yet: an empty date is saved as "date unknown"."""
    if status == Incident.Status.DRAFT and not form.data.get("start_date"):
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound to a request
        data["date_precision"] = DatePrecision.UNKNOWN
        form.data = data


@require_http_methods(["GET", "POST"])
@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    organisation = _require_create(request, "create_incident")
    if request.method == "POST":
        form = IncidentForm(request.POST)
        status = _incident_status_from(request)
        _prepare_draft(form, status)
        if form.is_valid():
            place = form.place_fields()
            try:
                incident = actions.create_incident(
                    _actor(request),
                    organisation,
                    status=status,
                    locations=[place] if place is not None else [],
                    **form.incident_fields(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if status == Incident.Status.DRAFT:
                    messages.success(request, _("Draft saved. You can continue later."))
                    return redirect("violations:incident_edit", pk=incident.pk)
                messages.success(request, _("Incident recorded."))
                return redirect("violations:incident_detail", pk=incident.pk)
    else:
        form = IncidentForm(initial={"country": _default_country(organisation)})
    return render(
        request,
        "violations/incident_form.html",
        {"form": form, "incident": None, "organisation": organisation},
        status=422 if request.method == "POST" else 200,
    )


def _default_country(organisation: Organisation) -> str:
    countries = organisation.countries or []
    return countries[0] if len(countries) == 1 else ""


def _save_incident(user: Any, pk: int, fields: dict[str, Any], status: str) -> None:
    """Write only what changed (an unchanged autosave writes nothing and audits nothing), then
    the status, in one transaction. The incident is read afresh: a bound ModelForm has already
    copied the input onto its own instance."""
    with transaction.atomic():
        incident = policy.get_or_404(user, Incident, "change", pk=pk)
        changes = {k: v for k, v in fields.items() if getattr(incident, k) != v}
        if changes:
            actions.update_incident(user, incident, **changes)
        if status != incident.status:
            actions.change_incident_status(user, incident, status)


@require_http_methods(["GET", "POST"])
@login_required
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    if request.method == "POST":
        form = IncidentForm(request.POST, instance=incident, with_place=False)
        status = _incident_status_from(request)
        if incident.status == Incident.Status.VERIFIED:
            status = Incident.Status.VERIFIED  # verification is changed on its own page
        _prepare_draft(form, status)
        if form.is_valid():
            try:
                _save_incident(request.user, incident.pk, form.incident_fields(), status)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Incident saved."))
                if status == Incident.Status.DRAFT:
                    return redirect("violations:incident_edit", pk=incident.pk)
                return redirect("violations:incident_detail", pk=incident.pk)
        incident.refresh_from_db()
    else:
        form = IncidentForm(instance=incident, with_place=False)
    return render(
        request,
        "violations/incident_form.html",
        {"form": form, "incident": incident, "organisation": incident.organisation},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def incident_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save a draft while it is being typed. Only drafts autosave; a finished record
    changes only when the user presses Save."""
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    if incident.status != Incident.Status.DRAFT:
        return render(
            request,
            "violations/partials/autosave_status.html",
            {"ok": False, "message": _("Only drafts are saved automatically.")},
        )
    form = IncidentForm(request.POST, instance=incident, with_place=False)
    _prepare_draft(form, Incident.Status.DRAFT)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else _('Form')}: "
            + " ".join(str(error) for error in errors)
            for name, errors in form.errors.items()
        )
        return render(
            request,
            "violations/partials/autosave_status.html",
            {"ok": False, "message": _("Not saved yet: %(problems)s") % {"problems": problems}},
        )
    try:
        _save_incident(request.user, incident.pk, form.incident_fields(), Incident.Status.DRAFT)
    except ValidationError as exc:
        return render(
            request,
            "violations/partials/autosave_status.html",
            {"ok": False, "message": _error_message(exc)},
        )
    return render(
        request,
        "violations/partials/autosave_status.html",
        {"ok": True, "saved_at": timezone.now()},
    )


@require_POST
@login_required
def incident_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an incident between documented and verified (``verify``: record.verify), or back to
    draft. The action checks the policy; a role without the right gets 403 with the reason."""
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    status = request.POST.get("status", "")
    try:
        actions.change_incident_status(_actor(request), incident, status)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request,
            _("Status: %(status)s.") % {"status": incident.get_status_display()},
        )
    return redirect("violations:incident_detail", pk=incident.pk)


# --- Violations ----------------------------------------------------------------------------------


def _violation_form_choices(user: Any, incident: Incident) -> dict[str, Any]:
    return {
        "locations": Location.objects.filter(incident=incident).order_by("pk"),
        "persons": policy.visible(user, Person, "view")
        .filter(organisation_id=incident.organisation_id)
        .only("id", "code", "organisation_id")
        .order_by("code"),
        "units": policy.visible(user, Unit, "view")
        .filter(organisation_id=incident.organisation_id)
        .only("id", "name")
        .order_by("name"),
    }


@require_http_methods(["GET", "POST"])
@login_required
def violation_create(request: HttpRequest, pk: int) -> HttpResponse:
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    choices = _violation_form_choices(request.user, incident)
    if request.method == "POST":
        form = ViolationForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            fields: dict[str, Any] = {
                "method": data.get("method") or "",
                "location": data.get("location"),
                "description": data.get("description") or "",
                "consequences": data.get("consequences") or "",
                "victim_age": data.get("victim_age"),
                "victim_outcome": data["victim_outcome"],
            }
            if data.get("start_date") or data.get("end_date"):
                fields.update(
                    start_date=data.get("start_date"),
                    end_date=data.get("end_date"),
                    date_precision=data["date_precision"],
                    date_approximate=bool(data.get("date_approximate")),
                )
            # With no date given the action takes the incident's dates.
            try:
                with transaction.atomic():
                    violation = actions.add_violation(
                        _actor(request),
                        incident,
                        type=data["type"],
                        victim=data.get("victim"),
                        **fields,
                    )
                    if data.get("unit") is not None:
                        actions.add_perpetration(
                            _actor(request),
                            violation,
                            unit=data["unit"],
                            involvement=data["involvement"],
                        )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Violation added."))
                if "add_another" in request.POST:
                    return redirect("violations:violation_create", pk=incident.pk)
                return redirect("violations:incident_detail", pk=incident.pk)
    else:
        form = ViolationForm(**choices)
    return render(
        request,
        "violations/violation_form.html",
        {"form": form, "incident": incident},
        status=422 if request.method == "POST" else 200,
    )


EDITABLE_ACT_FIELDS = (
    "type",
    "method",
    "location",
    "description",
    "consequences",
    "victim_age",
    "victim_outcome",
    "start_date",
    "end_date",
    "date_precision",
    "date_approximate",
)


@require_http_methods(["GET", "POST"])
@login_required
def violation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the act itself (type, dates, place, description, outcome). The victim and the
    perpetrators stay as recorded: they are links with their own audit entries."""
    violation = policy.get_or_404(
        request.user, Violation.objects.select_related("incident"), "change", pk=pk
    )
    incident = violation.incident
    choices = _violation_form_choices(request.user, incident)
    if request.method == "POST":
        form = ViolationForm(request.POST, edit=True, **choices)
        if form.is_valid():
            data = form.cleaned_data
            wanted = {
                "type": data["type"],
                "method": data.get("method") or "",
                "location": data.get("location"),
                "description": data.get("description") or "",
                "consequences": data.get("consequences") or "",
                "victim_age": data.get("victim_age"),
                "victim_outcome": data["victim_outcome"],
                "start_date": data.get("start_date"),
                "end_date": data.get("end_date"),
                "date_precision": data["date_precision"]
                if data.get("start_date")
                else DatePrecision.UNKNOWN,
                "date_approximate": bool(data.get("date_approximate")),
            }
            changes = {k: v for k, v in wanted.items() if getattr(violation, k) != v}
            try:
                if changes:
                    actions.update_violation(_actor(request), violation, **changes)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Violation saved."))
                return redirect(
                    f"{reverse('violations:incident_detail', args=[incident.pk])}"
                    f"#violation-{violation.pk}"
                )
    else:
        form = ViolationForm(
            initial={name: getattr(violation, name) for name in EDITABLE_ACT_FIELDS},
            edit=True,
            **choices,
        )
    return render(
        request,
        "violations/violation_form.html",
        {"form": form, "incident": incident, "violation": violation},
        status=422 if request.method == "POST" else 200,
    )


# --- Persons -------------------------------------------------------------------------------------


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """Persons by pseudonym only: no identity field is even loaded from the database."""
    queryset = (
        policy.visible(request.user, Person, "view")
        .select_related("organisation")
        .only("id", "code", "status", "organisation_id", "organisation__name", "created_at")
        .order_by("-pk")
    )
    code = (request.GET.get("code") or "").strip()[:16]
    if code:
        queryset = queryset.filter(code__istartswith=code)
    after = request.GET.get("after", "")
    if after.isdigit():
        queryset = queryset.filter(pk__lt=int(after))
    rows = list(queryset[: PAGE_SIZE + 1])
    has_more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_url = ""
    if has_more and rows:
        query = urlencode({"code": code, "after": str(rows[-1].pk)})
        next_url = f"{reverse('violations:person_list')}?{query}"
    organisation = _active_organisation(request)
    return render(
        request,
        "violations/person_list.html",
        {
            "persons": rows,
            "code": code,
            "next_url": next_url,
            "is_later_page": after.isdigit(),
            "can_create": organisation is not None
            and bool(policy.can(request.user, "create_person", organisation)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    organisation = _require_create(request, "create_person")
    if request.method != "POST":
        return _person_form(request, organisation, PersonForm(), None, status=200)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _person_form(request, organisation, form, None)
    try:
        check = _duplicate_check(request, organisation, form)
    except duplicates.RateLimited as exc:
        form.add_error(None, str(exc))
        response = _person_form(request, organisation, form, None, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    if check is not None and check.possible_duplicate and not form.cleaned_data["confirm_new"]:
        form.add_error(
            "confirm_new",
            _(
                "This person may already be recorded. Check the possible duplicates "
                "below; tick the box if this is a different person."
            ),
        )
        return _person_form(request, organisation, form, check)
    try:
        person = actions.create_person(
            _actor(request),
            organisation,
            status=form.cleaned_data["status"],
            **_identity_from(form),
        )
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _person_form(request, organisation, form, None)
    messages.success(request, _("Person recorded as %(code)s.") % {"code": person.code})
    return redirect("violations:person_detail", pk=person.pk)


def _person_form(
    request: HttpRequest,
    organisation: Organisation,
    form: PersonForm,
    check: duplicates.DuplicateCheck | None,
    status: int = 422,
) -> HttpResponse:
    shown = list(
        policy.visible(request.user, Person, "view")
        .filter(organisation=organisation, code__in=check.codes)
        .only("id", "code", "organisation_id")
        .order_by("code")
        if check is not None
        else []
    )
    return render(
        request,
        "violations/person_form.html",
        {"form": form, "check": check, "duplicates": shown, "organisation": organisation},
        status=status,
    )


def _duplicate_check(
    request: HttpRequest, organisation: Organisation, form: PersonForm
) -> duplicates.DuplicateCheck | None:
    """The audited, rate-limited duplicate check, when the form gives at least two identifying
    fields (fewer: no look-up at all, nothing to link)."""
    keys = _match_keys(form)
    given = sum(bool(keys[k]) for k in ("name", "dob", "documents"))
    if given < duplicates.MIN_FIELDS:
        return None
    try:
        return actions.check_duplicates(_actor(request), organisation, **keys)
    except ValidationError:
        return None  # e.g. names that normalise to nothing: not enough to look up


def _identity_from(form: PersonForm) -> dict[str, Any]:
    data = form.cleaned_data
    identity: dict[str, Any] = {}
    for name in ["full_name", "date_of_birth", "sex", "gender_identity", "ethnicity", "religion"]:
        if data.get(name):
            identity[name] = data[name]
    if form.other_name_list():
        identity["other_names"] = form.other_name_list()
    if data.get("nationality"):
        identity["nationalities"] = [data["nationality"]]
    if data.get("contact"):
        identity["contacts"] = [data["contact"]]
    if data.get("document_number"):
        identity["identity_documents"] = [{"number": data["document_number"]}]
    return identity


def _match_keys(form: PersonForm) -> dict[str, Any]:
    data = form.cleaned_data
    names = [n for n in [data.get("full_name"), *form.other_name_list()] if n]
    documents = [data["document_number"]] if data.get("document_number") else []
    return {"name": names, "dob": data.get("date_of_birth"), "documents": documents}


IDENTITY_LABELS = {
    name: getattr(Person._meta.get_field(name), "verbose_name", name)
    for name in Person.IDENTITY_FIELDS
}


def _identity_rows(identity: dict[str, Any]) -> list[tuple[str, str]]:
    """The revealed identity as (label, text) rows, empty fields left out."""
    rows = []
    for name in Person.IDENTITY_FIELDS:
        value = identity.get(name)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            parts = []
            for item in value:
                if isinstance(item, dict):
                    parts.append(" ".join(str(v) for v in item.values() if v))
                else:
                    parts.append(str(item))
            text = "; ".join(parts)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        rows.append((str(IDENTITY_LABELS[name]), text))
    return rows


def _person_page(
    request: HttpRequest,
    person: Person,
    *,
    identity: list[tuple[str, str]] | None,
    form: RevealForm,
    status: int = 200,
    grant_form: GrantForm | None = None,
) -> HttpResponse:
    user = request.user
    roles = list(
        policy.visible(user, PersonRole, "view")
        .filter(person=person)
        .select_related("violation", "violation__incident")
        .only(
            "id",
            "role",
            "person_id",
            "violation__id",
            "violation__type",
            "violation__start_date",
            "violation__end_date",
            "violation__date_precision",
            "violation__date_approximate",
            "violation__incident__id",
            "violation__incident__title",
        )
        .order_by("-pk")[: SUMMARY_LIMIT + 1]
    )
    decision = policy.can(user, "reveal_identity", person)
    can_grant = bool(policy.can(user, "grant_need_to_know", person))
    grants: list[AccessGrant] = []
    if can_grant:
        grants = list(
            policy.visible(user, AccessGrant, "revoke")
            .filter(
                object_type=Person._meta.label_lower,
                object_id=str(person.pk),
                revoked_at__isnull=True,
            )
            .select_related("user")
            .order_by("-pk")[:SUMMARY_LIMIT]
        )
    response = render(
        request,
        "violations/person_detail.html",
        {
            "can_grant": can_grant,
            "grants": grants,
            "grant_form": grant_form
            if grant_form is not None
            else (GrantForm(members=_grantable_members(user, person)) if can_grant else None),
            "person": person,
            "roles": roles[:SUMMARY_LIMIT],
            "more_roles": len(roles) > SUMMARY_LIMIT,
            "identity": identity,
            "form": form,
            "can_reveal": bool(decision),
            "reveal_reason": decision.reason,
        },
        status=status,
    )
    if identity is not None:
        response["Cache-Control"] = "no-store"
    return response


PSEUDONYMOUS_FIELDS = (
    "id",
    "code",
    "status",
    "organisation_id",
    "organisation__name",
    "created_at",
)


@require_GET
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The pseudonymous page: identity fields are not even loaded (nor decrypted)."""
    person = policy.get_or_404(
        request.user,
        Person.objects.select_related("organisation").only(*PSEUDONYMOUS_FIELDS),
        "view",
        pk=pk,
    )
    return _person_page(request, person, identity=None, form=RevealForm())


@require_POST
@login_required
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the identity: needs ``reveal_identity`` (role + need-to-know grant) and an explicit
    confirmation; ``actions.reveal_identity`` writes the audit entry. The identity is shown in
    this response only (``no-store``), never kept in the session."""
    person = policy.get_or_404(
        request.user, Person.objects.select_related("organisation"), "view", pk=pk
    )
    decision = policy.can(request.user, "reveal_identity", person)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, identity=None, form=form, status=422)
    identity = actions.reveal_identity(_actor(request), person)
    return _person_page(request, person, identity=_identity_rows(identity), form=RevealForm())


def _grantable_members(user: Any, person: Person) -> list[tuple[int, str]]:
    """Members of the person's organisation whose role may reveal identities."""
    memberships = rules.members_who_may_reveal(
        policy.visible(user, Membership, "view").filter(organisation_id=person.organisation_id)
    )
    return [
        (m.user_id, f"{m.user} ({m.get_role_display()})")
        for m in memberships.select_related("user").order_by("user__email")
    ]


@require_POST
@login_required
def person_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a member need-to-know on this identity (``grant_need_to_know``), audited by the
    action. Only the person's code is shown here; the grant does not open the identity."""
    person = policy.get_or_404(
        request.user,
        Person.objects.select_related("organisation").only(*PSEUDONYMOUS_FIELDS),
        "view",
        pk=pk,
    )
    policy.require(request.user, "grant_need_to_know", person)
    members = _grantable_members(request.user, person)
    form = GrantForm(request.POST, members=members)
    if form.is_valid():
        grantee = policy.get_or_404(request.user, User, "view", pk=form.cleaned_data["user"])
        expires_on = form.cleaned_data.get("expires_on")
        expires_at = (
            dt.datetime.combine(expires_on, dt.time.min, tzinfo=dt.UTC) if expires_on else None
        )
        try:
            actions.grant_need_to_know(
                _actor(request), grantee, person, form.cleaned_data["reason"], expires_at
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Need-to-know granted to %(user)s.") % {"user": grantee})
            return redirect("violations:person_detail", pk=person.pk)
    return _person_page(
        request, person, identity=None, form=RevealForm(), status=422, grant_form=form
    )


@require_POST
@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a need-to-know grant on a person (admins of the owning organisation)."""
    grant = policy.get_or_404(
        request.user,
        AccessGrant.objects.filter(object_type=Person._meta.label_lower),
        "revoke",
        pk=pk,
    )
    actions.revoke_grant(_actor(request), grant)
    messages.success(request, _("Grant revoked."))
    person_pk = int(grant.object_id) if grant.object_id.isdigit() else 0
    return redirect("violations:person_detail", pk=person_pk)


# --- Sources, perpetrators, witnesses, relations ------------------------------------------------

LOOKUP_LIMIT = 20
TARGET_LIMIT = 200


def _source_targets(incident: Incident) -> list[tuple[str, str]]:
    """Where a new source can be linked: the incident or one of its first acts (in date order;
    an incident with thousands of acts links the source to the incident instead)."""
    targets = [("incident", str(_("The incident as a whole")))]
    acts = (
        Violation.objects.filter(incident=incident)
        .only("id", "type", "start_date", "date_precision")
        .order_by(F("start_date").asc(nulls_last=True), "pk")[:TARGET_LIMIT]
    )
    for act in acts:
        when = act.start_date.isoformat() if act.start_date else _("date unknown")
        label = _vocab_label("violation_types", act.type)
        targets.append((f"violation-{act.pk}", f"#{act.pk} {label} ({when})"))
    return targets


@require_http_methods(["GET", "POST"])
@login_required
def source_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a source (Admiralty grade) and link it to the incident or one of its acts."""
    incident = policy.get_or_404(
        request.user, Incident.objects.select_related("organisation"), "change", pk=pk
    )
    policy.require(request.user, "create_source", incident.organisation)
    targets = _source_targets(incident)
    if request.method == "POST":
        form = SourceForm(request.POST, targets=targets)
        if form.is_valid():
            data = form.cleaned_data
            link_to: str = data["link_to"]
            links: dict[str, Any] = {"incidents": [incident]}
            if link_to.startswith("violation-"):
                violation = policy.get_or_404(
                    request.user,
                    Violation.objects.filter(incident=incident),
                    "change",
                    pk=link_to.removeprefix("violation-"),
                )
                links = {"violations": [violation]}
            try:
                actions.create_source(
                    _actor(request),
                    incident.organisation,
                    kind=data["kind"],
                    title=data["title"],
                    description=data.get("description") or "",
                    reliability=data["reliability"],
                    credibility=data["credibility"],
                    language=(data.get("language") or "").strip().lower(),
                    date=data.get("date"),
                    url=data.get("url") or "",
                    **links,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Source recorded."))
                return redirect(
                    f"{reverse('violations:incident_detail', args=[incident.pk])}#sources"
                )
    else:
        initial = {}
        wanted = request.GET.get("violation", "")
        if wanted.isdigit() and any(v == f"violation-{wanted}" for v, _l in targets):
            initial["link_to"] = f"violation-{wanted}"
        form = SourceForm(initial=initial, targets=targets)
    return render(
        request,
        "violations/source_form.html",
        {"form": form, "incident": incident},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def source_unlink(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    """Take a source off an incident (the source itself stays)."""
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    source = policy.get_or_404(
        request.user, Source.objects.filter(incidents=incident), "change", pk=source_pk
    )
    actions.unlink_source(_actor(request), source, incident=incident)
    messages.success(request, _("Source unlinked from the incident."))
    return redirect(f"{reverse('violations:incident_detail', args=[incident.pk])}#sources")


def _organisation_units(user: Any, organisation_id: int) -> QuerySet[Unit]:
    return policy.visible(user, Unit, "view").filter(organisation_id=organisation_id)


def _organisation_persons(user: Any, organisation_id: int) -> QuerySet[Person]:
    return (
        policy.visible(user, Person, "view")
        .filter(organisation_id=organisation_id)
        .only("id", "code", "organisation_id")
    )


def _violation_links_page(
    request: HttpRequest,
    violation: Violation,
    *,
    perpetration_form: PerpetrationForm | None = None,
    person_form: PersonLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The violation's links: perpetrators (units) and persons (witnesses, sources), each with
    a form to add one and a button to remove one."""
    user = request.user
    org_id = violation.organisation_id
    perpetrations = list(
        Perpetration.objects.filter(violation=violation)
        .select_related("unit")
        .prefetch_related(Prefetch("person", queryset=Person.objects.only("id", "code")))
        .order_by("pk")
    )
    roles = list(
        PersonRole.objects.filter(violation=violation)
        .select_related("person")
        .only("id", "role", "violation_id", "person_id", "person__code")
        .order_by("pk")
    )
    sources = list(
        policy.visible(user, Source, "view").filter(violations=violation).order_by("-date", "pk")
    )
    linkable = list(
        policy.visible(user, Source, "change")
        .filter(incidents=violation.incident_id)
        .exclude(pk__in=[source.pk for source in sources])
        .only("id", "title", "reliability", "credibility")
        .order_by("-date", "pk")[:TARGET_LIMIT]
    )
    return render(
        request,
        "violations/violation_links.html",
        {
            "violation": violation,
            "incident": violation.incident,
            "perpetrations": perpetrations,
            "roles": roles,
            "sources": sources,
            "linkable_sources": linkable,
            "perpetration_form": perpetration_form
            or PerpetrationForm(
                units=_organisation_units(user, org_id),
                persons=_organisation_persons(user, org_id),
            ),
            "person_form": person_form
            or PersonLinkForm(persons=_organisation_persons(user, org_id)),
        },
        status=status,
    )


def _changeable_violation(request: HttpRequest, pk: int) -> Violation:
    return policy.get_or_404(
        request.user, Violation.objects.select_related("incident"), "change", pk=pk
    )


def _violation_links_url(violation_pk: int) -> str:
    return reverse("violations:violation_links", args=[violation_pk])


@require_GET
@login_required
def violation_links(request: HttpRequest, pk: int) -> HttpResponse:
    return _violation_links_page(request, _changeable_violation(request, pk))


@require_POST
@login_required
def perpetration_add(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _changeable_violation(request, pk)
    org_id = violation.organisation_id
    form = PerpetrationForm(
        request.POST,
        units=_organisation_units(request.user, org_id),
        persons=_organisation_persons(request.user, org_id),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_perpetration(
                _actor(request),
                violation,
                unit=data.get("unit"),
                person=data.get("person"),
                involvement=data["involvement"],
                note=data.get("note") or "",
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Perpetrator added."))
            return redirect(_violation_links_url(violation.pk))
    return _violation_links_page(request, violation, perpetration_form=form, status=422)


@require_POST
@login_required
def perpetration_remove(request: HttpRequest, pk: int) -> HttpResponse:
    perpetration = policy.get_or_404(request.user, Perpetration, "delete", pk=pk)
    violation_pk = perpetration.violation_id
    actions.remove_perpetration(_actor(request), perpetration)
    messages.success(request, _("Perpetrator removed."))
    return redirect(_violation_links_url(violation_pk))


@require_POST
@login_required
def person_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _changeable_violation(request, pk)
    form = PersonLinkForm(
        request.POST, persons=_organisation_persons(request.user, violation.organisation_id)
    )
    if form.is_valid():
        try:
            actions.link_person(
                _actor(request), violation, form.cleaned_data["code"], form.cleaned_data["role"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Person linked."))
            return redirect(_violation_links_url(violation.pk))
    return _violation_links_page(request, violation, person_form=form, status=422)


@require_POST
@login_required
def person_role_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Unlink a witness or a source (the victim is changed on its own, not here)."""
    link = policy.get_or_404(
        request.user,
        PersonRole.objects.exclude(role=PersonRole.Role.VICTIM).select_related("person"),
        "delete",
        pk=pk,
    )
    violation_pk = link.violation_id
    actions.unlink_person(_actor(request), link)
    messages.success(request, _("Person unlinked."))
    return redirect(_violation_links_url(violation_pk))


@require_POST
@login_required
def violation_source_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link one of the incident's sources to this act too."""
    violation = _changeable_violation(request, pk)
    source = policy.get_or_404(
        request.user,
        Source.objects.filter(incidents=violation.incident_id),
        "change",
        pk=request.POST.get("source", ""),
    )
    actions.link_source(_actor(request), source, violation=violation)
    messages.success(request, _("Source linked to the act."))
    return redirect(_violation_links_url(violation.pk) + "#sources")


@require_POST
@login_required
def incident_source_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a source already recorded (for another incident, say) to this incident, by its
    number (shown in the list of sources). A bad number changes nothing and says why."""
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    back = f"{reverse('violations:incident_detail', args=[incident.pk])}#sources"
    raw = request.POST.get("source", "").strip().lstrip("#")
    if not raw.isdigit():
        messages.error(request, _("Give the number of a source, as in the list of sources (#12)."))
        return redirect(back)
    source = (
        policy.visible(request.user, Source, "change")
        .filter(pk=int(raw), organisation_id=incident.organisation_id)
        .first()
    )
    if source is None or not policy.can(request.user, "change", source):
        messages.error(
            request,
            _("There is no source #%(number)s of this incident's organisation that you may link.")
            % {"number": raw},
        )
        return redirect(back)
    if source.incidents.filter(pk=incident.pk).exists():
        messages.info(request, _("This source is already linked to the incident."))
        return redirect(back)
    try:
        actions.link_source(_actor(request), source, incident=incident)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, _("Source linked to the incident."))
    return redirect(back)


@require_http_methods(["GET", "POST"])
@login_required
def commander_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a commander's rank or title and dates (the person stays: remove and add to
    change who commanded)."""
    command = policy.get_or_404(
        request.user, UnitCommander.objects.select_related("unit", "person"), "change", pk=pk
    )
    if request.method == "POST":
        form = CommanderEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            wanted = {
                "title": data.get("title") or "",
                "start_date": data.get("start_date"),
                "end_date": data.get("end_date"),
            }
            changes = {k: v for k, v in wanted.items() if getattr(command, k) != v}
            try:
                if changes:
                    actions.update_unit_commander(_actor(request), command, **changes)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Commander saved."))
                return redirect(
                    f"{reverse('violations:unit_detail', args=[command.unit_id])}#commanders"
                )
    else:
        form = CommanderEditForm(
            initial={
                "title": command.title,
                "start_date": command.start_date,
                "end_date": command.end_date,
            }
        )
    return render(
        request,
        "violations/commander_form.html",
        {"form": form, "command": command},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def violation_source_unlink(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    violation = _changeable_violation(request, pk)
    source = policy.get_or_404(
        request.user, Source.objects.filter(violations=violation), "change", pk=source_pk
    )
    actions.unlink_source(_actor(request), source, violation=violation)
    messages.success(request, _("Source unlinked from the act."))
    return redirect(_violation_links_url(violation.pk) + "#sources")


SOURCE_EDITABLE = ("kind", "title", "description", "reliability", "credibility", "language")


@require_http_methods(["GET", "POST"])
@login_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a source or its grade; only fields that really change are written (audited)."""
    source = policy.get_or_404(request.user, Source, "change", pk=pk)
    if request.method == "POST":
        form = SourceForm(request.POST, targets=None)
        if form.is_valid():
            data = form.cleaned_data
            wanted = {name: data.get(name) or "" for name in SOURCE_EDITABLE}
            wanted["language"] = str(wanted["language"]).strip().lower()
            wanted.update(date=data.get("date"), url=data.get("url") or "")
            changes = {k: v for k, v in wanted.items() if getattr(source, k) != v}
            try:
                if changes:
                    actions.update_source(_actor(request), source, **changes)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Source saved."))
                return redirect("violations:source_list")
    else:
        form = SourceForm(
            initial={name: getattr(source, name) for name in (*SOURCE_EDITABLE, "date", "url")},
            targets=None,
        )
    return render(
        request,
        "violations/source_form.html",
        {"form": form, "source": source},
        status=422 if request.method == "POST" else 200,
    )


SOURCE_PAGE = 100


@require_GET
@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    """Sources the user may see, newest first, ``SOURCE_PAGE`` at a time (``?after=<id>``),
    each with the incidents it documents that the user may open."""
    user = request.user
    sources = policy.visible(user, Source, "view").select_related("organisation")
    after = request.GET.get("after", "")
    if after.isdigit():
        sources = sources.filter(pk__lt=int(after))
    page = list(
        sources.prefetch_related(
            Prefetch(
                "incidents",
                queryset=policy.visible(user, Incident, "view").only("id", "title"),
                to_attr="visible_incidents",
            )
        ).order_by("-pk")[: SOURCE_PAGE + 1]
    )
    more = len(page) > SOURCE_PAGE
    page = page[:SOURCE_PAGE]
    for source in page:  # the rule answers from the user's cached memberships: no query
        source.can_edit = bool(  # type: ignore[attr-defined]  # display-only attribute
            policy.can(user, "change", source)
        )
    return render(
        request,
        "violations/source_list.html",
        {
            "sources": page,
            "next_after": page[-1].pk if more and page else None,
            "source_url_prefix": reverse("violations:source_list"),
        },
    )


def _lookup_text(request: HttpRequest, *names: str) -> str:
    for name in names:
        value = request.GET.get(name, "").strip()
        if value:
            return value
    return ""


@require_GET
@login_required
def unit_lookup(request: HttpRequest) -> HttpResponse:
    """HTMX: ``<option>``s for a unit ``<datalist>``: units of the active organisation whose
    name contains the typed text (at most ``LOOKUP_LIMIT``)."""
    organisation = _active_organisation(request)
    text = _lookup_text(request, "unit", "parent", "q")
    options: list[tuple[str, str]] = []
    if organisation is not None and len(text) >= 2 and not PICKED.search(text):
        units = (
            _organisation_units(request.user, organisation.pk)
            .filter(name__icontains=text)
            .only("id", "name")
            .order_by("name")[:LOOKUP_LIMIT]
        )
        options = [(picked_label(u.name, u.pk), u.name) for u in units]
    return render(request, "violations/partials/lookup_options.html", {"options": options})


@require_GET
@login_required
def incident_lookup(request: HttpRequest) -> HttpResponse:
    """HTMX: ``<option>``s for the incident ``<datalist>`` of the relation form (titles of the
    active organisation's visible incidents containing the typed text)."""
    organisation = _active_organisation(request)
    text = _lookup_text(request, "to_incident", "q")
    options: list[tuple[str, str]] = []
    if organisation is not None and len(text) >= 2 and not PICKED.search(text):
        incidents = (
            policy.visible(request.user, Incident, "view")
            .filter(organisation=organisation, title__icontains=text)
            .only("id", "title")
            .order_by("-pk")[:LOOKUP_LIMIT]
        )
        options = [(picked_label(i.title, i.pk), i.title) for i in incidents]
    return render(request, "violations/partials/lookup_options.html", {"options": options})


@require_http_methods(["GET", "POST"])
@login_required
def incident_relations(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident's relations to others (both directions), and a form to add one."""
    user = request.user
    incident = policy.get_or_404(user, Incident, "change", pk=pk)
    others = policy.visible(user, Incident, "view").filter(organisation_id=incident.organisation_id)
    if request.method == "POST":
        form = RelationForm(request.POST, incidents=others)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.relate_incidents(
                    _actor(request),
                    incident,
                    data["to_incident"],
                    data["kind"],
                    note=data.get("note") or "",
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Relation recorded."))
                return redirect("violations:incident_relations", pk=incident.pk)
    else:
        form = RelationForm(incidents=others)
    visible_relations = policy.visible(user, IncidentRelation, "view")
    outgoing = list(
        visible_relations.filter(from_incident=incident, to_incident__in=others)
        .select_related("to_incident")
        .order_by("pk")
    )
    incoming = list(
        visible_relations.filter(to_incident=incident, from_incident__in=others)
        .select_related("from_incident")
        .order_by("pk")
    )
    return render(
        request,
        "violations/incident_relations.html",
        {"incident": incident, "form": form, "outgoing": outgoing, "incoming": incoming},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def relation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    relation = policy.get_or_404(request.user, IncidentRelation, "delete", pk=pk)
    # Back to the page the button was on: either end of the relation.
    back = request.POST.get("back", "")
    incident_pk = (
        relation.to_incident_id
        if back == str(relation.to_incident_id)
        else relation.from_incident_id
    )
    actions.unrelate_incidents(_actor(request), relation)
    messages.success(request, _("Relation removed."))
    return redirect("violations:incident_relations", pk=incident_pk)


# --- Units and their commanders -----------------------------------------------------------------

UNIT_PAGE = 100


@require_GET
@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """Units the user may see, by name (``?q=`` filters on the name), ``UNIT_PAGE`` at a time
    (keyset on the name: ``?after=<name>``), each with the unit it is part of."""
    text = request.GET.get("q", "").strip()[:200]
    after = request.GET.get("after", "")[:200]
    after_id = request.GET.get("after_id", "")
    units = policy.visible(request.user, Unit, "view").select_related("parent", "organisation")
    if text:
        units = units.filter(name__icontains=text)
    if after:  # keyset on (name, id): units of the same name are not skipped between pages
        tie = Q(name=after, pk__gt=int(after_id)) if after_id.isdigit() else Q(pk__in=[])
        units = units.filter(Q(name__gt=after) | tie)
    page = list(units.order_by("name", "pk")[: UNIT_PAGE + 1])
    organisation = _active_organisation(request)
    can_create = organisation is not None and bool(
        policy.can(request.user, "create_unit", organisation)
    )
    more = len(page) > UNIT_PAGE
    page = page[:UNIT_PAGE]
    next_query = (
        urlencode({"q": text, "after": page[-1].name, "after_id": str(page[-1].pk)})
        if more and page
        else ""
    )
    return render(
        request,
        "violations/unit_list.html",
        {"units": page, "q": text, "next_query": next_query, "can_create": can_create},
    )


def _unit_fields(form: UnitForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "kind": data["kind"],
        "parent": data.get("parent"),
        "country": data.get("country") or "",
        "description": data.get("description") or "",
    }


@require_http_methods(["GET", "POST"])
@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    organisation = _require_create(request, "create_unit")
    units = _organisation_units(request.user, organisation.pk)
    if request.method == "POST":
        form = UnitForm(request.POST, units=units)
        if form.is_valid():
            try:
                unit = actions.create_unit(_actor(request), organisation, **_unit_fields(form))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Unit recorded."))
                return redirect("violations:unit_detail", pk=unit.pk)
    else:
        form = UnitForm(units=units)
    return render(
        request,
        "violations/unit_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = policy.get_or_404(request.user, Unit.objects.select_related("parent"), "change", pk=pk)
    units = _organisation_units(request.user, unit.organisation_id)
    if request.method == "POST":
        form = UnitForm(request.POST, units=units)
        if form.is_valid():
            wanted = _unit_fields(form)
            changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
            try:
                if changes:
                    actions.update_unit(_actor(request), unit, **changes)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Unit saved."))
                return redirect("violations:unit_detail", pk=unit.pk)
    else:
        form = UnitForm(
            initial={
                "name": unit.name,
                "kind": unit.kind,
                "parent": picked_label(unit.parent.name, unit.parent.pk) if unit.parent else "",
                "country": unit.country,
                "description": unit.description,
            },
            units=units,
        )
    return render(
        request,
        "violations/unit_form.html",
        {"form": form, "unit": unit},
        status=422 if request.method == "POST" else 200,
    )


def _unit_page(
    request: HttpRequest, unit: Unit, *, form: CommanderForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    can_change = bool(policy.can(user, "change", unit))
    commanders = list(
        unit.commanders.select_related("person")
        .only("id", "unit_id", "title", "start_date", "end_date", "person_id", "person__code")
        .order_by(F("start_date").asc(nulls_first=True), "pk")
    )
    sub_units = list(
        policy.visible(user, Unit, "view")
        .filter(parent=unit)
        .only("id", "name", "kind")[:SUMMARY_LIMIT]
    )
    # Incidents with an act attributed to this unit (a semi-join, newest first, bounded).
    incidents = list(
        policy.visible(user, Incident, "view")
        .filter(pk__in=Violation.objects.filter(perpetrations__unit=unit).values("incident_id"))
        .only("id", "title", "start_date", "end_date", "date_precision", "date_approximate")
        .order_by("-pk")[: SUMMARY_LIMIT + 1]
    )
    return render(
        request,
        "violations/unit_detail.html",
        {
            "unit": unit,
            "incidents": incidents[:SUMMARY_LIMIT],
            "more_incidents": len(incidents) > SUMMARY_LIMIT,
            "commanders": commanders,
            "sub_units": sub_units,
            "can_change": can_change,
            "form": form
            or (
                CommanderForm(persons=_organisation_persons(user, unit.organisation_id))
                if can_change
                else None
            ),
        },
        status=status,
    )


@require_GET
@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = policy.get_or_404(request.user, Unit.objects.select_related("parent"), "view", pk=pk)
    return _unit_page(request, unit)


@require_POST
@login_required
def commander_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = policy.get_or_404(request.user, Unit.objects.select_related("parent"), "change", pk=pk)
    form = CommanderForm(
        request.POST, persons=_organisation_persons(request.user, unit.organisation_id)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_unit_commander(
                _actor(request),
                unit,
                data["code"],
                title=data.get("title") or "",
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Commander added."))
            return redirect("violations:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, form=form, status=422)


@require_POST
@login_required
def commander_remove(request: HttpRequest, pk: int) -> HttpResponse:
    command = policy.get_or_404(request.user, UnitCommander, "delete", pk=pk)
    unit_pk = command.unit_id
    actions.remove_unit_commander(_actor(request), command)
    messages.success(request, _("Commander removed."))
    return redirect("violations:unit_detail", pk=unit_pk)


# --- Navigation and dashboard --------------------------------------------------------------------


def incidents_card(request: HttpRequest) -> dict[str, Any] | None:
    """Dashboard card: incidents the user may see, how many are drafts, persons (3 queries)."""
    user = request.user
    membership: Any = getattr(request, "membership", None)
    if membership is None or not policy.can(user, "view_records", membership.organisation):
        return None
    incidents = policy.visible(user, Incident, "view")
    by_status = dict(
        incidents.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    persons = policy.visible(user, Person, "view").count()
    list_url = reverse("violations:incident_list")
    return {
        "title": gettext_lazy("Incidents"),
        "count": sum(by_status.values()),
        "url": list_url,
        "link_label": gettext_lazy("All incidents"),
        "entries": [
            {
                "label": _("Drafts: %(n)d") % {"n": by_status.get(Incident.Status.DRAFT, 0)},
                "url": f"{list_url}?status={Incident.Status.DRAFT}",
            },
            {
                "label": _("Verified: %(n)d") % {"n": by_status.get(Incident.Status.VERIFIED, 0)},
                "url": f"{list_url}?status={Incident.Status.VERIFIED}",
            },
            {
                "label": _("Persons: %(n)d") % {"n": persons},
                "url": reverse("violations:person_list"),
            },
        ],
        "order": 20,
    }
