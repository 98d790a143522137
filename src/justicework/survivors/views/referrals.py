"""A survivor's referrals: the list with a new referral, a referral's page with its status
changes and follow-up. The pages run under ``survivors.support`` (the survivor's file is read
while they consent to documentation); proposing, checking consent and sending ask the policy
again under ``survivors.referral`` with the provider or kind as the qualifier (the actions).
Need-to-know: only support coordinators of the owning organisation see referrals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.models import User
from justicework.survivors import actions, queries_support, safety
from justicework.survivors.actions.referrals import allowed_next
from justicework.survivors.forms_support import (
    FollowUpForm,
    ReferralForm,
    StatusForm,
    support_staff,
)
from justicework.survivors.models import Referral, SurvivorFile
from justicework.violations.models import Person


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran
    return user


def survivor_file(request: HttpRequest, person_pk: int, action: str = "view") -> SurvivorFile:
    """The person's file, if the user may ``action`` its support records (404 otherwise)."""
    person = policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=person_pk
    )
    file = policy.visible(request.user, SurvivorFile, "view").filter(person=person).first()
    if file is None or not policy.can(
        request.user, action, Referral(organisation_id=file.organisation_id)
    ):
        raise Http404
    file.person = person
    return file


def _apply(form: Any, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _referral_form(request: HttpRequest, file: SurvivorFile) -> ReferralForm:
    providers = queries_support.providers(_actor(request), queries_support.ProviderFilter())
    return ReferralForm(
        request.POST or None,
        providers=providers.select_related(None),
        staff=support_staff(file.organisation_id),
    )


@require_GET
@login_required
def referral_list(request: HttpRequest, pk: int) -> HttpResponse:
    file = survivor_file(request, pk)
    referrals = list(queries_support.referrals(_actor(request), file)[:200])
    return render(request, "survivors/referral_list.html", {"file": file, "referrals": referrals})


@require_http_methods(["GET", "POST"])
@login_required
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    file = survivor_file(request, pk, "manage")
    form = _referral_form(request, file)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = actions.create_referral(
                    _actor(request), file,
                    actions.ReferralData(
                        provider=data["provider"], kind=data["kind"],
                        shared_items=data["shared_items"], note=data["note"],
                        responsible=data["responsible"], follow_up_on=data["follow_up_on"],
                    ),
                )  # fmt: skip
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Referral proposed."))
                return redirect("survivors:referral_detail", pk=referral.pk)
        status = 422
    warned = safety.warnings_for(request.user, file.person)
    context = {"file": file, "form": form, "safety_warnings": warned}
    return render(request, "survivors/referral_form.html", context, status=status)


def _referral(request: HttpRequest, pk: int, action: str = "view") -> Referral:
    return policy.get_or_404(
        request.user,
        Referral.objects.select_related("provider", "responsible", "person"),
        action,
        pk=pk,
    )


def _detail(
    request: HttpRequest,
    referral: Referral,
    *,
    status_form: StatusForm | None = None,
    follow_up: FollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "referral": referral,
        "next_statuses": [(s, Referral.Status(s).label) for s in allowed_next(referral)],
        "status_form": status_form or StatusForm(),
        "follow_up": follow_up or FollowUpForm(initial={"follow_up_on": referral.follow_up_on}),
    }
    return render(request, "survivors/referral_detail.html", context, status=status)


@require_GET
@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _referral(request, pk))


@require_POST
@login_required
def referral_status(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, "manage")
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.change_status(
                _actor(request), referral, form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )  # fmt: skip
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("survivors:referral_detail", pk=referral.pk)
    return _detail(request, referral, status_form=form, status=422)


@require_POST
@login_required
def referral_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, "manage")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            actions.record_follow_up(
                _actor(request), referral, follow_up_on=form.cleaned_data["follow_up_on"],
                outcome=form.cleaned_data["outcome"],
            )  # fmt: skip
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("survivors:referral_detail", pk=referral.pk)
    return _detail(request, referral, follow_up=form, status=422)
