"""HTMX look-ups that fill a ``<datalist>``: units and incidents by typed text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from justicework.core import policy
from justicework.violations import views
from justicework.violations.forms import PICKED, picked_label
from justicework.violations.models import Incident
from justicework.violations.views._common import active_organisation, organisation_units


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
    organisation = active_organisation(request)
    text = _lookup_text(request, "unit", "parent", "q")
    options: list[tuple[str, str]] = []
    if organisation is not None and len(text) >= 2 and not PICKED.search(text):
        units = (
            organisation_units(request.user, organisation.pk)
            .filter(name__icontains=text)
            .only("id", "name")
            .order_by("name")[: views.LOOKUP_LIMIT]
        )
        options = [(picked_label(u.name, u.pk), u.name) for u in units]
    return render(request, "violations/partials/lookup_options.html", {"options": options})


@require_GET
@login_required
def incident_lookup(request: HttpRequest) -> HttpResponse:
    """HTMX: ``<option>``s for the incident ``<datalist>`` of the relation form (titles of the
    active organisation's visible incidents containing the typed text)."""
    organisation = active_organisation(request)
    text = _lookup_text(request, "to_incident", "q")
    options: list[tuple[str, str]] = []
    if organisation is not None and len(text) >= 2 and not PICKED.search(text):
        incidents = (
            policy.visible(request.user, Incident, "view")
            .filter(organisation=organisation, title__icontains=text)
            .only("id", "title")
            .order_by("-pk")[: views.LOOKUP_LIMIT]
        )
        options = [(picked_label(i.title, i.pk), i.title) for i in incidents]
    return render(request, "violations/partials/lookup_options.html", {"options": options})
