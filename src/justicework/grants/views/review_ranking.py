"""The ranking of a call (sortable; below-threshold applications shown as such) with its
overall threshold, and the decision form of one application (award with the cap check,
reserve list, reject), which shows a recorded decision read-only: it is never changed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
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


def _links(pk: int) -> tuple[str, str]:
    return (
        str(_CONSOLIDATION).replace("/0/", f"/{pk}/", 1),
        str(_DECISION).replace("/0/", f"/{pk}/", 1),
    )


_CONSOLIDATION = reverse_lazy("grants:review_consolidation", args=[0])
_DECISION = reverse_lazy("grants:review_decision", args=[0])


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
    result = ranking.build(call, sort)
    # the rank is over every application; a page shows a hundred rows (phones, and speed)
    page = Paginator(result.rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "call": call,
        "title": text_in(call.title),
        "ranking": result,
        "page": page,
        # one reverse per page, not two per row: the links differ by the id only
        "rows": [(row, *_links(row.application_id)) for row in page],
        "below": sum(1 for row in result.rows if row.below),
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
