"""An incident's page (its acts a page at a time, persons by code, units, places, sources,
relations), and creating, editing, autosaving and moving it between statuses.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import Organisation, User
from justicework.violations import actions, views
from justicework.violations.forms import IncidentForm
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
    Violation,
)
from justicework.violations.views._common import (
    actor,
    apply_errors,
    error_message,
    map_settings,
    person_fields,
    require_create,
)


def _acts_page(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """One page of the incident's acts (``VIOLATIONS_PAGE`` at a time, so an incident with
    thousands of acts stays fast), in date order, with their persons and perpetrators."""
    all_violations = Violation.objects.filter(incident=incident)
    total = all_violations.count()
    pages = max(1, -(-total // views.VIOLATIONS_PAGE))
    raw_page = request.GET.get("vpage", "1")
    page = min(max(int(raw_page), 1), pages) if raw_page.isdigit() else 1
    start = (page - 1) * views.VIOLATIONS_PAGE
    person_only = Person.objects.only(*person_fields(""))
    roles = PersonRole.objects.select_related("person").only(
        "id", "violation_id", "role", "person_id", *person_fields("person__")
    )
    perpetrations = Perpetration.objects.select_related("unit").prefetch_related(
        Prefetch("person", queryset=person_only)
    )
    violations = list(
        all_violations.select_related("location", "victim_group")
        .prefetch_related(
            Prefetch("person_roles", queryset=roles),
            Prefetch("perpetrations", queryset=perpetrations),
        )
        .order_by(F("start_date").asc(nulls_last=True), "pk")[start : start + views.VIOLATIONS_PAGE]
    )
    return {
        "violations": violations,
        "violation_total": total,
        "violation_page": page,
        "violation_pages": pages,
        "violation_start": start + 1,
        "violation_last": start + len(violations),
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
    }


def _persons_and_units(user: Requester, incident: Incident) -> dict[str, Any]:
    """The persons (by code) and perpetrator units of the whole incident, ``SUMMARY_LIMIT`` of
    each, as the user may see them."""
    roles = PersonRole.objects.filter(violation__incident=incident).order_by().values("person_id")
    perpetrators = Perpetration.objects.filter(violation__incident=incident).order_by()
    # One IN over a UNION: "IN (a) OR IN (b)" made PostgreSQL scan every person
    # (figures: docs/benchmarks.md, "Query shapes chosen by measurement").
    person_ids = roles.union(perpetrators.filter(person__isnull=False).values("person_id"))
    persons = list(
        policy.visible(user, Person, "view")
        .filter(pk__in=person_ids)
        .only(*person_fields(""))
        .order_by("code")[: views.SUMMARY_LIMIT + 1]
    )
    units = list(
        policy.visible(user, Unit, "view")
        # DISTINCT keeps the subquery whole: PostgreSQL otherwise turned it into a semi-join
        # driven by every unit, reading each unit's perpetrations, instead of an index-only
        # read from the incident's violations (figures: docs/benchmarks.md).
        .filter(pk__in=perpetrators.filter(unit__isnull=False).values("unit_id").distinct())
        .order_by("name")[: views.SUMMARY_LIMIT + 1]
    )
    return {
        "persons": persons[: views.SUMMARY_LIMIT],
        "more_persons": len(persons) > views.SUMMARY_LIMIT,
        "units": units[: views.SUMMARY_LIMIT],
        "more_units": len(units) > views.SUMMARY_LIMIT,
    }


def _places(incident: Incident) -> dict[str, Any]:
    """The incident's places, and those with coordinates as map points."""
    locations = list(Location.objects.filter(incident=incident).order_by("pk"))
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
    return {"locations": locations, "points": points, **map_settings()}


def _relations(user: Requester, incident: Incident) -> list[IncidentRelation]:
    """Relations with both ends visible: a restricted incident's title never shows to users
    without access."""
    visible_incidents = policy.visible(user, Incident, "view")
    return list(
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
        .order_by("pk")[: views.SUMMARY_LIMIT]
    )


def _permissions(
    user: Requester, incident: Incident, violations: list[Violation]
) -> dict[str, Any]:
    """What the user may do here, and each act's edit and links URLs when they may change it
    (at most ``VIOLATIONS_PAGE`` reverse() calls)."""
    can_change = bool(policy.can(user, "change", incident))
    for violation in violations:
        violation.edit_url = (  # type: ignore[attr-defined]  # display-only attribute
            reverse("violations:violation_edit", args=[violation.pk]) if can_change else ""
        )
        violation.links_url = (  # type: ignore[attr-defined]  # display-only attribute
            reverse("violations:violation_links", args=[violation.pk]) if can_change else ""
        )
    return {
        "can_change": can_change,
        "can_verify": can_change and bool(policy.can(user, "verify", incident)),
        "can_create_source": can_change
        and bool(policy.can(user, "create_source", incident.organisation)),
    }


@require_GET
@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident with its violations (a dated timeline, a page at a time), persons by code,
    perpetrator units, places on a map and sources. Identity fields of persons are never
    loaded here."""
    user = request.user
    incident = policy.get_or_404(
        user, Incident.objects.select_related("organisation", "created_by"), "view", pk=pk
    )
    acts = _acts_page(request, incident)
    summaries = _persons_and_units(user, incident)
    places = _places(incident)
    sources = list(
        policy.visible(user, Source, "view").filter(incidents=incident).order_by("-date", "pk")
    )
    context = {
        "incident": incident,
        **acts,
        **summaries,
        **places,
        "sources": sources,
        **_permissions(user, incident, acts["violations"]),
        "relations": _relations(user, incident),
        # One reverse() for the page, not two per act.
        "person_url_prefix": reverse("violations:person_list"),
        "unit_url_prefix": reverse("violations:unit_list"),
    }
    return render(request, "violations/incident_detail.html", context)


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
    organisation = require_create(request, "create_incident")
    if request.method == "POST":
        form = IncidentForm(request.POST)
        status = _incident_status_from(request)
        _prepare_draft(form, status)
        if form.is_valid():
            place = form.place_fields()
            try:
                incident = actions.create_incident(
                    actor(request),
                    organisation,
                    status=status,
                    locations=[place] if place is not None else [],
                    **form.incident_fields(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
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


def _save_incident(
    user: User, pk: int, fields: dict[str, Any], status: str | None, reason: str = ""
) -> None:
    """Write only what changed (an unchanged autosave writes nothing and audits nothing), then
    the status (``None``: leave it to the action), in one transaction. The incident is read
    afresh: a bound ModelForm has already copied the input onto its own instance."""
    with transaction.atomic():
        incident = policy.get_or_404(user, Incident, "change", pk=pk)
        changes = {k: v for k, v in fields.items() if getattr(incident, k) != v}
        if changes:
            actions.update_incident(user, incident, reason=reason, **changes)
        if status is not None and status != incident.status:
            actions.change_incident_status(user, incident, status)


def _saved_message(request: HttpRequest, pk: int, *, was_verified: bool) -> None:
    now = Incident.objects.filter(pk=pk).values_list("status", flat=True).get()
    if was_verified and now != Incident.Status.VERIFIED:
        messages.warning(
            request, _("Incident saved. It is documented again and waits to be verified again.")
        )
    else:
        messages.success(request, _("Incident saved."))


@require_http_methods(["GET", "POST"])
@login_required
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = policy.get_or_404(request.user, Incident, "change", pk=pk)
    if request.method == "POST":
        form = IncidentForm(request.POST, instance=incident, with_place=False)
        status: str | None = _incident_status_from(request)
        if incident.status == Incident.Status.VERIFIED:
            status = None  # a change returns it to documented (the action); verifying is elsewhere
        _prepare_draft(form, status or Incident.Status.DOCUMENTED)
        if form.is_valid():
            try:
                _save_incident(
                    actor(request), incident.pk, form.incident_fields(), status, form.given_reason()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                _saved_message(request, incident.pk, was_verified=status is None)
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
        _save_incident(actor(request), incident.pk, form.incident_fields(), Incident.Status.DRAFT)
    except ValidationError as exc:
        return render(
            request,
            "violations/partials/autosave_status.html",
            {"ok": False, "message": error_message(exc)},
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
        actions.change_incident_status(actor(request), incident, status)
    except ValidationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(
            request,
            _("Status: %(status)s.") % {"status": incident.get_status_display()},
        )
    return redirect("violations:incident_detail", pk=incident.pk)
