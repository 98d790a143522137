"""Survivor statistics: the disaggregated counts of the active organisation (small cells
suppressed), the survivor card on the dashboard, and a survivor's statistical data form.
They run under the use ``survivors.statistics``: counts, not person data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import actions, disaggregation
from justicework.survivors.forms_statistics import StatisticsForm
from justicework.survivors.models import SurvivorFile, SurvivorStatistics
from justicework.violations.models import Person


def _organisation(request: HttpRequest) -> Organisation | None:
    membership = getattr(request, "membership", None)
    if membership is None or not policy.can(
        request.user, "view_survivor_statistics", membership.organisation
    ):
        return None
    organisation: Organisation = membership.organisation
    return organisation


def _files(request: HttpRequest, organisation: Organisation) -> Any:
    return policy.visible(request.user, SurvivorFile, "view").filter(organisation=organisation)


@require_GET
@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if organisation is None:
        raise Http404
    result = disaggregation.breakdown(_files(request, organisation))
    return render(request, "survivors/statistics.html", {"breakdown": result})


def survivors_card(request: HttpRequest) -> dict[str, Any] | None:
    """Dashboard: survivors of the active organisation by sex (policy checks + 1 query)."""
    organisation = _organisation(request)
    if organisation is None:
        return None
    result = disaggregation.breakdown(_files(request, organisation))
    if result.total == 0:
        return None
    fewer = _("fewer than %(n)d") % {"n": result.min_cell}
    entries = [
        {"label": f"{cell.label}: {fewer if cell.count is None else cell.count}"}
        for cell in result.dimensions[0].cells
        if cell.count != 0
    ]
    return {
        "title": gettext_lazy("Survivors"),
        "count": result.total,
        "entries": entries,
        "url": reverse("survivors:statistics"),
        "link_label": gettext_lazy("By sex, gender and age"),
        "order": 45,
    }


@require_http_methods(["GET", "POST"])
@login_required
def statistics_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=pk
    )
    file = policy.visible(request.user, SurvivorFile, "record_statistics").filter(person=person)
    found = file.first()
    if found is None:
        raise Http404
    stats = SurvivorStatistics.objects.filter(file=found).first()
    initial = {name: getattr(stats, name) for name in StatisticsForm.base_fields} if stats else {}
    form = StatisticsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)  # login_required ran
        try:
            actions.record_statistics(user, found, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Statistical data saved."))
            return redirect("survivors:statistics_record", pk=pk)
    status = 422 if request.method == "POST" else 200
    context = {"person": person, "form": form}
    return render(request, "survivors/statistics_record.html", context, status=status)
