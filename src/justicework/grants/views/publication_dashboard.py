"""A programme's dashboard for its staff (``view_grant_dashboard`` on the programme's
organisation: programme officers): money, applications and success rates by country, recipient
category, priority and activity type, as tables with inline SVG bars."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from justicework.grants import dashboard
from justicework.grants.dashboard import dashboard_programme, dashboard_programmes
from justicework.grants.fields import text_in
from justicework.grants.models import Call, Programme


class CallForm(forms.Form):
    call = forms.ChoiceField(label=gettext_lazy("Call"), required=False)

    def __init__(self, programme: Programme, data: QueryDict | None = None) -> None:
        super().__init__(data)
        self.calls = {c.reference: c for c in Call.objects.filter(programme=programme)}
        cast(forms.ChoiceField, self.fields["call"]).choices = [("", _("All calls"))] + [
            (ref, f"{ref}: {text_in(call.title)}") for ref, call in sorted(self.calls.items())
        ]

    def chosen(self) -> Call | None:
        return self.calls.get(self.cleaned_data["call"] or "")


@login_required
@require_safe
def dashboard_index(request: HttpRequest) -> HttpResponse:
    programmes = dashboard_programmes(request.user)
    return render(request, "grants/publication/dashboards.html", {"programmes": programmes})


@login_required
@require_safe
def programme_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    programme = dashboard_programme(request.user, pk)
    form = CallForm(programme, request.GET or None)
    figures = None
    if not request.GET or form.is_valid():
        figures = dashboard.build(programme, form.chosen() if request.GET else None)
    context = {"programme": programme, "form": form, "figures": figures}
    return render(
        request,
        "grants/publication/dashboard.html",
        context,
        status=200 if figures is not None else 400,
    )
