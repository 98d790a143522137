"""Acts of an incident: adding one (with a first perpetrator unit) and editing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.violations import actions
from justicework.violations.forms import ViolationForm
from justicework.violations.models import DatePrecision, Incident, Location, Person, Unit, Violation
from justicework.violations.views._common import actor, apply_errors, creatable


def _violation_form_choices(user: Requester, incident: Incident) -> dict[str, Any]:
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
                        actor(request),
                        incident,
                        type=data["type"],
                        victim=data.get("victim"),
                        **fields,
                    )
                    if data.get("unit") is not None:
                        actions.add_perpetration(
                            actor(request),
                            violation,
                            unit=data["unit"],
                            involvement=data["involvement"],
                        )
            except ValidationError as exc:
                apply_errors(form, exc)
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
        {"form": form, "incident": incident, **creatable(request)},
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
                    actions.update_violation(actor(request), violation, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
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
