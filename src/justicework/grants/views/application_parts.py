"""The parts of an application beside its answers: the budget (currency and rate, lines added
and removed, the live totals of a line being typed: htmx fragments, or a redirect without
JavaScript), the co-applicants and the attachments (upload with its type and size errors,
download audited, removal)."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.grants import actions_application_budget as budget
from justicework.grants import actions_application_files as file_actions
from justicework.grants import actions_applications as actions
from justicework.grants.application_files import AttachmentDamaged
from justicework.grants.models import Application, Attachment, BudgetLine, LegalEntity
from justicework.grants.views import application_context as ctx
from justicework.grants.views.applications import error_list, get_application

BUDGET = "grants/applications/partials/budget.html"
log = logging.getLogger(__name__)


def _url(application: Application) -> str:
    return reverse("grants:application_detail", args=[application.pk])


def _budget_answer(
    request: HttpRequest, application: Application, errors: list[str]
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware sets it
        application.refresh_from_db()
        context = ctx.budget_context(application) | {"budget_errors": errors, "can_change": True}
        return render(request, BUDGET, context)
    for text in errors:
        messages.error(request, text)
    return redirect(f"{_url(application)}#budget")


@require_POST
@login_required
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = get_application(user, pk)
    errors: list[str] = []
    try:
        budget.add_budget_line(
            user, application, activity_type=request.POST.get("activity_type", ""),
            cost_category=request.POST.get("cost_category", ""),
            amount=request.POST.get("amount", ""),
            description=request.POST.get("description", ""),
        )  # fmt: skip
    except ValidationError as exc:
        errors = error_list(exc)
    return _budget_answer(request, application, errors)


@require_POST
@login_required
def budget_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    line = policy.get_or_404(user, BudgetLine.objects.select_related("application"), pk=pk)
    application = get_application(user, line.application_id)
    budget.remove_budget_line(user, line)
    return _budget_answer(request, application, [])


@require_POST
@login_required
def budget_currency(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = get_application(user, pk)
    errors: list[str] = []
    rate_date = None
    try:
        if request.POST.get("rate_date"):
            rate_date = dt.date.fromisoformat(request.POST["rate_date"])
        budget.set_currency(
            user, application, currency=request.POST.get("currency", ""),
            exchange_rate=request.POST.get("exchange_rate") or "1", rate_date=rate_date,
            rate_source=request.POST.get("rate_source", ""),
        )  # fmt: skip
    except ValueError:
        errors = [_("The date of the rate: give a date.")]
    except ValidationError as exc:
        errors = error_list(exc)
    return _budget_answer(request, application, errors)


@require_GET
@login_required
def budget_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the totals with the line being typed (nothing saved)."""
    application = get_application(signed_in(request), pk)
    try:
        extra = Decimal(request.GET.get("amount", "0").strip().replace(",", ".") or "0")
    except InvalidOperation:
        extra = Decimal(0)
    if not extra.is_finite() or extra < 0 or extra > budget.MAX_AMOUNT:
        extra = Decimal(0)
    totals = budget.totals(application, extra.quantize(budget.CENT))
    return render(request, "grants/applications/partials/preview.html", {"totals": totals})


@require_POST
@login_required
def co_applicants_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = get_application(user, pk)
    ids = [value for value in request.POST.getlist("co_applicants") if value.isdigit()]
    entities = policy.visible(user, LegalEntity, "pick").filter(pk__in=ids)
    try:
        if entities.count() != len(set(ids)):
            raise ValidationError({"co_applicants": _("Choose registered organisations only.")})
        actions.set_co_applicants(user, application, entities)
    except ValidationError as exc:
        for text in error_list(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("The co-applicants are saved."))
    return redirect(f"{_url(application)}#co-applicants")


@require_POST
@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = get_application(user, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")})
        file_actions.add_attachment(
            user, application, kind=request.POST.get("kind", ""), name=upload.name or "",
            chunks=upload.chunks(),
        )  # fmt: skip
    except ValidationError as exc:
        for text in error_list(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("The file is attached."))
    return redirect(f"{_url(application)}#attachments")


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = signed_in(request)
    attachments = Attachment.objects.select_related("application__call")
    attachment = policy.get_or_404(user, attachments, pk=pk)
    try:
        handle = file_actions.open_attachment(user, attachment)
    except AttachmentDamaged as exc:
        # Never a partial or a changed file: the reader is told, the operator too (the audit
        # log holds grants.attachment.damaged).
        log.error("the stored file of grants attachment %s failed its integrity check", pk)
        messages.error(request, str(exc))
        return redirect(f"{_url(attachment.application)}#attachments")
    return FileResponse(
        handle, as_attachment=True, filename=attachment.file_name,
        content_type=attachment.media_type,
    )  # fmt: skip


@require_POST
@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    attachment = policy.get_or_404(user, Attachment.objects.select_related("application"), pk=pk)
    application = attachment.application
    file_actions.remove_attachment(user, attachment)
    messages.success(request, _("The file is removed."))
    return redirect(f"{_url(application)}#attachments")
