"""An award's pages: the list of awards one may see, the award page (programme staff: the
agreement, tranches, payments, balance, reports and the forms that act on them; the grantee's
members: the same figures, the agreement to download and their reports to write) and the
agreement's PDF. Every page asks the policy; missing and not-yours are both 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.grants import actions_money as actions
from justicework.grants import actions_money_reports as report_actions
from justicework.grants import agreement_pdf, balance
from justicework.grants.fields import text_in
from justicework.grants.models import Agreement, Award, GranteeReport
from justicework.grants.queries_money import LIST_LIMIT, awards_for
from justicework.grants.views.money_forms import (
    MovementForm,
    PaymentForm,
    ReportScheduleForm,
    SignedForm,
    TrancheForm,
    error_text,
    form_error,
)


@login_required
@require_GET
def award_list(request: HttpRequest) -> HttpResponse:
    awards = list(awards_for(signed_in(request))[:LIST_LIMIT])
    return render(request, "grants/money/award_list.html", {"awards": awards})


def _award(request: HttpRequest, pk: int, action: str = "view") -> Award:
    queryset = Award.objects.select_related(
        "call", "programme__organisation", "legal_entity", "application"
    )
    return policy.get_or_404(signed_in(request), queryset, action, pk=pk)


def _tranches(award: Award) -> list[dict[str, Any]]:
    rows = []
    paid = dict(
        award.payments.exclude(tranche=None)
        .values("tranche")
        .annotate(total=Sum("amount"))
        .values_list("tranche", "total")
    )
    for tranche in award.tranches.select_related("report").order_by("order"):
        rows.append(
            {
                "tranche": tranche,
                "condition": agreement_pdf.condition_text(tranche),
                "paid": paid.get(tranche.pk, Decimal(0)),
            }
        )
    return rows


def award_context(request: HttpRequest, award: Award) -> dict[str, Any]:
    user = signed_in(request)
    manage = bool(policy.can(user, "manage", award))
    reports = list(award.reports.order_by("due_on", "pk"))
    return {
        "award": award,
        "call_title": text_in(award.call.title),
        "manage": manage,
        "agreement": Agreement.objects.filter(award=award).first(),
        "tranches": _tranches(award),
        "payments": list(award.payments.select_related("tranche").order_by("date", "pk")),
        "reductions": list(award.reductions.order_by("date", "pk")),
        "recoveries": list(award.recoveries.order_by("date", "pk")),
        "balance": balance.of(award),
        "reports": [
            (
                report,
                bool(policy.can(user, "write", report)),
                manage and report.status == "submitted",
            )
            for report in reports
        ],
        "forms": _forms(award, reports) if manage else {},
    }


def _forms(award: Award, reports: list[GranteeReport]) -> dict[str, Any]:
    return {
        "tranche": TrancheForm(reports=reports, prefix="tranche"),
        "payment": PaymentForm(tranches=list(award.tranches.order_by("order")), prefix="payment"),
        "reduction": MovementForm(prefix="reduction"),
        "recovery": MovementForm(prefix="recovery"),
        "report": ReportScheduleForm(prefix="report"),
        "signed": SignedForm(prefix="signed"),
    }


@login_required
@require_GET
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    return render(request, "grants/money/award_detail.html", award_context(request, award))


@login_required
@require_GET
def agreement_download(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    agreement = Agreement.objects.filter(award=award).first()
    if agreement is None or not policy.can(signed_in(request), "view", agreement):
        raise Http404
    response = HttpResponse(bytes(agreement.document), content_type="application/pdf")
    name = agreement_pdf.filename(award, agreement.version)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _done(request: HttpRequest, award: Award, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("grants:award_detail", award.pk)


def _refused(request: HttpRequest, award: Award, exc: ValidationError) -> HttpResponse:
    messages.error(request, error_text(exc))
    return redirect("grants:award_detail", award.pk)


@login_required
@require_POST
def agreement_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Generate the agreement, mark it sent or signed."""
    award = _award(request, pk, "manage")
    user = signed_in(request)
    agreement = Agreement.objects.filter(award=award).first()
    try:
        if step == "generate":
            actions.generate_agreement(user, award)
        elif agreement is None:
            raise ValidationError({"agreement": _("Generate the agreement first.")})
        elif step == "sent":
            actions.mark_agreement_sent(user, agreement)
        else:
            form = SignedForm(request.POST, prefix="signed")
            if not form.is_valid():
                raise ValidationError({"signed_on": _("Give the date it was signed.")})
            actions.mark_agreement_signed(user, agreement, form.cleaned_data["signed_on"])
    except ValidationError as exc:
        return _refused(request, award, exc)
    return _done(request, award, _("The agreement was updated."))


@login_required
@require_POST
def tranche_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, "manage")
    form = TrancheForm(request.POST, reports=list(award.reports.all()), prefix="tranche")
    try:
        if not form.is_valid():
            raise form_error(form)
        data = form.cleaned_data
        actions.add_tranche(
            signed_in(request), award, amount=data["amount"], condition=data["condition"],
            report=data.get("report"), due_date=data.get("due_date"),
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(request, award, exc)
    return _done(request, award, _("The tranche was added."))


@login_required
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, "manage")
    tranches = list(award.tranches.order_by("order"))
    form = PaymentForm(request.POST, tranches=tranches, prefix="payment")
    try:
        if not form.is_valid():
            raise form_error(form)
        data = form.cleaned_data
        tranche = next((t for t in tranches if str(t.pk) == data["tranche"]), None)
        actions.record_payment(
            signed_in(request), award, amount=data["amount"], date=data["date"],
            reference=data["reference"], tranche=tranche,
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(request, award, exc)
    return _done(request, award, _("The payment was recorded."))


@login_required
@require_POST
def movement_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A reduction or a recovery."""
    award = _award(request, pk, "manage")
    form = MovementForm(request.POST, prefix=kind)
    record = actions.record_reduction if kind == "reduction" else actions.record_recovery
    try:
        if not form.is_valid():
            raise form_error(form)
        data = form.cleaned_data
        record(
            signed_in(request), award, amount=data["amount"], date=data["date"],
            reason=data["reason"],
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(request, award, exc)
    return _done(request, award, _("Recorded."))


@login_required
@require_POST
def report_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, "manage")
    form = ReportScheduleForm(request.POST, prefix="report")
    try:
        if not form.is_valid():
            raise form_error(form)
        report_actions.schedule_report(signed_in(request), award, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, award, exc)
    return _done(request, award, _("The report was scheduled."))
