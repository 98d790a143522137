"""The ranking of a call (sortable; below-threshold applications shown as such) with its
overall threshold, and the decision form of one application (award with the cap check,
reserve list, reject), which shows a recorded decision read-only: it is never changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from justicework.grants import cap, ranking
from justicework.grants.actions_review import decisions, scoring
from justicework.grants.fields import text_in
from justicework.grants.models import Award
from justicework.grants.models.review_scores import Decision
from justicework.grants.rules_review import application_for_staff, call_for_staff
from justicework.grants.views.review_common import actor, attempt

PER_PAGE = 100


_CONSOLIDATION = reverse_lazy("grants:review_consolidation", args=[0])
_DECISION = reverse_lazy("grants:review_decision", args=[0])


def _shown(rows: list[ranking.Row]) -> list[tuple[Any, ...]]:
    """Each row with its links and its numbers as the page prints them. The URLs are reversed
    once (a row's differ by the id only), and the numbers formatted with the language's decimal
    separator looked up once: the template's own localisation of each of some 700 numbers a
    page was most of the page's time (no thousands separator here, as in the template)."""
    consolidation, decision = str(_CONSOLIDATION), str(_DECISION)
    separator = str(get_format("DECIMAL_SEPARATOR"))

    def number(value: Decimal | int | None) -> str:
        return "…" if value is None else str(value).replace(".", separator)

    return [
        (
            row,
            consolidation.replace("/0/", f"/{row.application_id}/", 1),
            decision.replace("/0/", f"/{row.application_id}/", 1),
            number(row.rank),
            [number(s) for s in row.scores],
            number(row.total),
            number(row.requested),
        )
        for row in rows
    ]


@require_http_methods(["GET", "POST"])
@login_required
def ranking_page(request: HttpRequest, call_id: int) -> HttpResponse:
    user = actor(request)
    call = call_for_staff(user, call_id)
    if request.method == "POST":
        if attempt(request, scoring.set_threshold, user, call, request.POST.get("overall", "")):
            messages.success(request, _("Threshold saved."))
        return redirect("grants:review_ranking", call_id=call.pk)
    sort = request.GET.get("sort", "rank")
    result = ranking.order(call, sort)
    # the rank is over every application; a page shows a hundred rows (phones, and speed),
    # and only those are read in full and built
    page = Paginator(result.keys, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "call": call,
        "title": text_in(call.title),
        "ranking": result,
        "page": page,
        "rows": _shown(ranking.rows(result, list(page))),
        "below": result.below,
        "criteria": [(c, text_in(c.title)) for c in result.criteria],
        "sort": sort,
        "sorts": ranking.SORTS,
    }
    return render(request, "grants/review/ranking.html", context)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.Outcome.choices)
    reasons = forms.CharField(
        label=gettext_lazy("Reasons given to the applicant"), widget=forms.Textarea
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount awarded"), required=False, max_digits=14, decimal_places=2
    )
    rate_to_programme = forms.DecimalField(
        label=gettext_lazy("Rate to the programme's currency"),
        required=False,
        max_digits=18,
        decimal_places=8,
        help_text=gettext_lazy("Only when the call's currency is not the programme's."),
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), required=False, max_length=500)
    start_date = forms.DateField(
        label=gettext_lazy("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=gettext_lazy("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@require_http_methods(["GET", "POST"])
@login_required
def decision_page(request: HttpRequest, application_id: int) -> HttpResponse:
    user = actor(request)
    app = application_for_staff(user, application_id)
    recorded = Decision.objects.filter(application=app).select_related("decided_by").first()
    form = DecisionForm(request.POST or None, initial={"amount": app.requested_amount})
    if request.method == "POST" and recorded is None and form.is_valid():
        data = form.cleaned_data
        done = attempt(request, decisions.decide, user, app, **data)
        if done is not None:
            messages.success(request, _("Decision recorded."))
            return redirect("grants:review_decision", application_id=app.pk)
    room = cap.check(app.applicant, app.call, app.requested_amount, Decimal(1))
    context = {
        "app": app,
        "form": form,
        "recorded": recorded,
        "award": Award.objects.filter(application=app).first() if recorded else None,
        "cap": room,
    }
    return render(request, "grants/review/decision.html", context)
