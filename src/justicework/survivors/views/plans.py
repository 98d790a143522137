"""A survivor's support plan page: needs, agreed actions (owner, date, done), reviews. Runs
under ``survivors.support``; only the owning organisation's support coordinators see it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.survivors import actions
from justicework.survivors.forms_support import PlanActionForm, PlanForm, ReviewForm, support_staff
from justicework.survivors.models import SupportAction, SupportPlan, SurvivorFile
from justicework.survivors.views.referrals import _actor, _apply, survivor_file


def _plan(request: HttpRequest, file: SurvivorFile) -> SupportPlan | None:
    return policy.visible(request.user, SupportPlan, "view").filter(file=file).first()


def _page(
    request: HttpRequest, file: SurvivorFile, status: int = 200, **forms: Any
) -> HttpResponse:
    plan = _plan(request, file)
    plan_actions = (
        list(
            policy.visible(request.user, SupportAction, "view")
            .filter(plan=plan)
            .select_related("owner")
            .order_by("done_at", "due_on", "pk")
        )
        if plan
        else []
    )
    initial = (
        {"needs": plan.needs, "needs_note": plan.needs_note, "next_review_on": plan.next_review_on}
        if plan
        else {}
    )
    context = {
        "file": file,
        "plan": plan,
        "plan_actions": plan_actions,
        "plan_form": forms.get("plan_form") or PlanForm(initial=initial),
        "review_form": forms.get("review_form") or ReviewForm(),
        "action_form": forms.get("action_form")
        or PlanActionForm(staff=support_staff(file.organisation_id)),
    }
    return render(request, "survivors/plan.html", context, status=status)


@require_GET
@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, survivor_file(request, pk))


@require_POST
@login_required
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    file = survivor_file(request, pk, "manage")
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            actions.save_plan(_actor(request), file, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Support plan saved."))
            return redirect("survivors:plan", pk=pk)
    return _page(request, file, 422, plan_form=form)


def _existing(request: HttpRequest, file: SurvivorFile) -> SupportPlan:
    plan = _plan(request, file)
    if plan is None:
        raise ValidationError({None: _("Save the plan's needs first.")})  # type: ignore[dict-item]  # a form-wide error
    return plan


@require_POST
@login_required
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    file = survivor_file(request, pk, "manage")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_plan(_actor(request), _existing(request, file), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("survivors:plan", pk=pk)
    return _page(request, file, 422, review_form=form)


@require_POST
@login_required
def plan_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = survivor_file(request, pk, "manage")
    form = PlanActionForm(request.POST, staff=support_staff(file.organisation_id))
    if form.is_valid():
        try:
            actions.add_plan_action(_actor(request), _existing(request, file), **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Action added."))
            return redirect("survivors:plan", pk=pk)
    return _page(request, file, 422, action_form=form)


@require_POST
@login_required
def plan_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = policy.get_or_404(request.user, SupportAction, "manage", pk=pk)
    try:
        actions.complete_plan_action(_actor(request), action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("survivors:plan", pk=action.person_id)


@require_GET
@login_required
def plan_action_open(request: HttpRequest, pk: int) -> HttpResponse:
    """An action's link (reminders carry only this): its plan, through the policy."""
    action = policy.get_or_404(request.user, SupportAction, "view", pk=pk)
    return redirect("survivors:plan", pk=action.person_id)
