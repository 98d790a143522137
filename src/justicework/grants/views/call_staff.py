"""The programme staff's pages: their programmes and calls, the call editor (terms, activity
types, criteria and form questions as rows), the status buttons and the questions to answer.
Every object comes through the policy (404 for missing and not-yours alike); every write is
an action."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.grants import actions_calls as actions
from justicework.grants.models import Call, CallAnswer, Programme
from justicework.grants.views.call_forms import (
    CallForm,
    ProgrammeForm,
    activity_rows,
    call_initial,
)


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: never anonymous here


def apply_errors(form: Any, exc: ValidationError) -> None:
    """The action's errors on the form's fields (a field the form lacks: on the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif f"{name}_en" in form.fields:  # a text in several languages
            form.add_error(f"{name}_en", errors)
        else:
            form.add_error(None, [f"{name}: {m}" for e in errors for m in e.messages])


@require_GET
@login_required
def call_manage(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    programmes = list(policy.visible(user, Programme, "change").order_by("name", "pk"))
    calls = list(
        policy.visible(user, Call, "change").select_related("programme").order_by("-opens_at")
    )
    for call in calls:
        call.effective = actions.effective_status(call)  # type: ignore[attr-defined]
    creatable = policy.allowed_organisation_ids(user, "create_grant_programme")
    if not programmes and not creatable:
        raise PermissionDenied(_("Only programme staff manage calls."))
    waiting = policy.visible(user, CallAnswer, "change").filter(published_at__isnull=True)
    return render(
        request,
        "grants/calls/manage.html",
        {
            "programmes": programmes,
            "calls": calls,
            "can_create_programme": bool(creatable),
            "waiting": waiting.count(),
            "statuses": dict(Call.Status.choices),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def programme_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = actor(request)
    programme = policy.get_or_404(user, Programme, "change", pk=pk) if pk else None
    orgs = list(policy.visible(user, Organisation, "create_grant_programme").order_by("name"))
    active: Any = getattr(request, "membership", None)
    # the active organisation first: a new programme is its
    orgs.sort(key=lambda org: active is None or org.pk != active.organisation_id)
    if programme is None and not orgs:
        raise PermissionDenied(_("Only programme staff create programmes."))
    initial = {f: getattr(programme, f) for f in actions.PROGRAMME_FIELDS} if programme else None
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                actions.create_programme(user, orgs[0], **form.cleaned_data)
            else:
                actions.update_programme(user, programme, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("grants:call_manage")
    return render(
        request,
        "grants/calls/programme_form.html",
        {"form": form, "programme": programme, "organisation": orgs[0] if orgs else None},
        status=422 if request.method == "POST" else 200,
    )


def _save_call(user: User, form: CallForm, data: Any, programme: Programme) -> Call | None:
    try:
        if form.call is None:
            return actions.create_call(user, programme, **form.values(data))
        note = str(form.cleaned_data.get("note") or "")
        return actions.update_call(user, form.call, note=note, **form.values(data))
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


@require_http_methods(["GET", "POST"])
@login_required
def call_form(
    request: HttpRequest, programme_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    """A new call of a programme, or the terms of an existing one."""
    user = actor(request)
    call = (
        policy.get_or_404(user, Call.objects.select_related("programme"), "change", pk=pk)
        if pk
        else None
    )
    programme = (
        call.programme if call else policy.get_or_404(user, Programme, "change", pk=programme_pk)
    )
    if call is None and not policy.can(user, "create_call", programme.organisation):
        raise PermissionDenied(_("Only programme staff create calls."))
    if call is None:
        initial = {"currency": programme.currency, "cap_per_recipient": programme.cap_per_recipient,
                   "time_zone": "UTC", "amount_method": Call.AmountMethod.ACTUAL_COSTS}  # fmt: skip
    else:
        initial = call_initial(call)
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, call=call, initial=initial)
    if data is not None and form.is_valid():
        saved = _save_call(user, form, data, programme)
        if saved is not None:
            messages.success(request, _("The call is saved."))
            return redirect("grants:call_items", pk=saved.pk)
    context = {"form": form, "call": call, "programme": programme,
               "activity_rows": activity_rows(data, call)}  # fmt: skip
    return render(request, "grants/calls/call_form.html", context, status=422 if data else 200)


@require_POST
@login_required
def call_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    call = policy.get_or_404(user, Call.objects.select_related("programme"), "change", pk=pk)
    status = request.POST.get("status", "")
    try:
        actions.change_status(user, call, status, note=request.POST.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The call is now %(status)s.") % {"status": call.get_status_display()}
        )
    return redirect("grants:call_items", pk=call.pk)
