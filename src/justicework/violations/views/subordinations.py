"""A unit's dated hierarchy on its page: the periods it was part of another unit, adding,
correcting and removing one (``change`` of the unit; the actions check again)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.violations import actions
from justicework.violations.forms import SubordinationForm, picked_label
from justicework.violations.models import Source, Unit, UnitSubordination
from justicework.violations.views._common import actor, apply_errors, organisation_units


def _sources(user: Requester, organisation_id: int) -> QuerySet[Source]:
    return policy.visible(user, Source, "view").filter(organisation_id=organisation_id)


def subordination_form(user: Requester, unit: Unit, data: Any = None, **kwargs: Any) -> Any:
    return SubordinationForm(
        data,
        units=organisation_units(user, unit.organisation_id).exclude(pk=unit.pk),
        sources=_sources(user, unit.organisation_id),
        **kwargs,
    )


def page_context(user: Requester, unit: Unit, can_change: bool) -> dict[str, Any]:
    """The unit page's "Part of, over time" section: one query for the periods."""
    periods = list(
        policy.visible(user, UnitSubordination, "view")
        .filter(unit=unit)
        .select_related("parent", "source")
        .only("id", "unit_id", "valid_from", "valid_to", "note", "parent__name", "source__title")
        .order_by(F("valid_from").asc(nulls_first=True), "pk")
    )
    form = subordination_form(user, unit) if can_change else None
    return {"subordinations": periods, "subordination_form": form}


def _fields(form: SubordinationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "valid_from": data.get("valid_from"),
        "valid_to": data.get("valid_to"),
        "source": data.get("source"),
        "note": data.get("note") or "",
    }


def _back(unit_id: int) -> HttpResponse:
    return redirect(f"{reverse('violations:unit_detail', args=[unit_id])}#hierarchy")


@require_POST
@login_required
def subordination_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = policy.get_or_404(request.user, Unit, "change", pk=pk)
    form = subordination_form(request.user, unit, request.POST)
    if form.is_valid():
        try:
            actions.add_unit_subordination(
                actor(request), unit, form.cleaned_data["parent"], **_fields(form)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Period added to the hierarchy."))
            return _back(unit.pk)
    return render(
        request, "violations/subordination_form.html", {"form": form, "unit": unit}, status=422
    )


@require_http_methods(["GET", "POST"])
@login_required
def subordination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = policy.get_or_404(
        request.user,
        UnitSubordination.objects.select_related("unit", "parent", "source"),
        "change",
        pk=pk,
    )
    if request.method == "POST":
        form = subordination_form(request.user, sub.unit, request.POST)
        if form.is_valid():
            wanted = {"parent": form.cleaned_data["parent"], **_fields(form)}
            changes = {k: v for k, v in wanted.items() if getattr(sub, k) != v}
            try:
                if changes:
                    actions.update_unit_subordination(actor(request), sub, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Period saved."))
                return _back(sub.unit_id)
    else:
        initial = {
            "parent": picked_label(sub.parent.name, sub.parent_id),
            "valid_from": sub.valid_from,
            "valid_to": sub.valid_to,
            "source": picked_label(sub.source.title, sub.source.pk) if sub.source else "",
            "note": sub.note,
        }
        form = subordination_form(request.user, sub.unit, initial=initial)
    context = {"form": form, "unit": sub.unit, "subordination": sub}
    status = 422 if request.method == "POST" else 200
    return render(request, "violations/subordination_form.html", context, status=status)


@require_POST
@login_required
def subordination_remove(request: HttpRequest, pk: int) -> HttpResponse:
    sub = policy.get_or_404(request.user, UnitSubordination, "delete", pk=pk)
    unit_id = sub.unit_id
    actions.remove_unit_subordination(actor(request), sub)
    messages.success(request, _("Period removed from the hierarchy."))
    return _back(unit_id)
