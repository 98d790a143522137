"""Perpetrator units: list, create, edit, page, and their commanders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.violations import actions, views
from justicework.violations.forms import CommanderEditForm, CommanderForm, UnitForm, picked_label
from justicework.violations.models import Incident, Unit, UnitCommander, Violation
from justicework.violations.views import subordinations
from justicework.violations.views._common import (
    active_organisation,
    actor,
    apply_errors,
    organisation_persons,
    organisation_units,
    require_create,
)


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
                    actions.update_unit_commander(actor(request), command, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
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
    page = list(units.order_by("name", "pk")[: views.UNIT_PAGE + 1])
    organisation = active_organisation(request)
    can_create = organisation is not None and bool(
        policy.can(request.user, "create_unit", organisation)
    )
    more = len(page) > views.UNIT_PAGE
    page = page[: views.UNIT_PAGE]
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


def unit_fields(form: UnitForm) -> dict[str, Any]:
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
    organisation = require_create(request, "create_unit")
    units = organisation_units(request.user, organisation.pk)
    if request.method == "POST":
        form = UnitForm(request.POST, units=units)
        if form.is_valid():
            try:
                unit = actions.create_unit(actor(request), organisation, **unit_fields(form))
            except ValidationError as exc:
                apply_errors(form, exc)
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
    units = organisation_units(request.user, unit.organisation_id)
    if request.method == "POST":
        form = UnitForm(request.POST, units=units)
        if form.is_valid():
            wanted = unit_fields(form)
            changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
            try:
                if changes:
                    actions.update_unit(actor(request), unit, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
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
        .only("id", "name", "kind")[: views.SUMMARY_LIMIT]
    )
    # Incidents with an act attributed to this unit (a semi-join, newest first, bounded).
    incidents = list(
        policy.visible(user, Incident, "view")
        .filter(pk__in=Violation.objects.filter(perpetrations__unit=unit).values("incident_id"))
        .only("id", "title", "start_date", "end_date", "date_precision", "date_approximate")
        .order_by("-pk")[: views.SUMMARY_LIMIT + 1]
    )
    return render(
        request,
        "violations/unit_detail.html",
        {
            "unit": unit,
            "incidents": incidents[: views.SUMMARY_LIMIT],
            "more_incidents": len(incidents) > views.SUMMARY_LIMIT,
            "commanders": commanders,
            "sub_units": sub_units,
            "can_change": can_change,
            **subordinations.page_context(user, unit, can_change),
            "form": form
            or (
                CommanderForm(persons=organisation_persons(user, unit.organisation_id))
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
        request.POST, persons=organisation_persons(request.user, unit.organisation_id)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_unit_commander(
                actor(request),
                unit,
                data["code"],
                title=data.get("title") or "",
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Commander added."))
            return redirect("violations:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, form=form, status=422)


@require_POST
@login_required
def commander_remove(request: HttpRequest, pk: int) -> HttpResponse:
    command = policy.get_or_404(request.user, UnitCommander, "delete", pk=pk)
    unit_pk = command.unit_id
    actions.remove_unit_commander(actor(request), command)
    messages.success(request, _("Commander removed."))
    return redirect("violations:unit_detail", pk=unit_pk)
