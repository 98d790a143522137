"""Verification from an item's page: a finding, a change of status (the machine in
``evidence.verification``), and the organisation's two-person setting (on the evidence list,
for its admins). Each POST needs the policy's ``verify`` on the item (``evidence.settings`` on
the organisation); a user who may not open the item gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.evidence import actions
from justicework.evidence.forms import FindingForm, StatusForm, VaultSettingsForm
from justicework.evidence.models import Item
from justicework.evidence.views.item_page import item_queryset, render_item


def _verifiable_item(request: HttpRequest, pk: int) -> Item:
    item: Item = policy.get_or_404(request.user, item_queryset(), "view", pk=pk)
    decision = policy.can(request.user, "verify", item)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return item


def _show_errors(form: FindingForm | StatusForm, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_POST
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _verifiable_item(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            actions.record_finding(signed_in(request), item, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect("evidence:item_detail", pk=item.pk)
    return render_item(request, item, status=422, finding_form=form)


@login_required
@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    item = _verifiable_item(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_status(signed_in(request), item, data["status"], note=data["note"])
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Status changed to %(status)s.")
                             % {"status": item.get_status_display()})  # fmt: skip
            return redirect("evidence:item_detail", pk=item.pk)
    return render_item(request, item, status=422, status_form=form)


@login_required
@require_POST
def vault_settings(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    organisation = membership.organisation
    decision = policy.can(request.user, "evidence.settings", organisation)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    form = VaultSettingsForm(request.POST)
    form.is_valid()  # a checkbox: absent is off, anything else is on
    enabled = bool(form.cleaned_data.get("two_person_verification"))
    actions.set_two_person_verification(signed_in(request), organisation, enabled)
    messages.success(
        request,
        _("Two-person verification is on.") if enabled else _("Two-person verification is off."),
    )
    return redirect("evidence:item_list")
