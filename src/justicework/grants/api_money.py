"""``/api/v1/grants/awards`` and ``/api/v1/grants/reports``: an award's money (agreement,
tranches, payments, reductions, recoveries, balance) and the grantee's reports, read and written
through the policy and ``actions_money`` / ``actions_money_reports`` (errors are 422 naming the
field). ``/grants/reports/results-schema`` is the JSON Schema of one result value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id, InputSchema
from justicework.core import policy
from justicework.grants import actions_money as actions
from justicework.grants import actions_money_reports as report_actions
from justicework.grants import agreement_pdf, balance, results
from justicework.grants.models import Agreement, Award, GranteeReport, Tranche
from justicework.grants.queries_money import LIST_LIMIT, awards_for

awards = Router(tags=["grants"])
reports = Router(tags=["grants"])
Money = Field(max_digits=14, decimal_places=2, gt=0)


class AwardOut(Schema):
    id: int
    call_id: int
    application_id: int
    legal_entity_id: int
    amount: Decimal
    currency: str
    purpose: str
    start_date: dt.date | None
    end_date: dt.date | None


class BalanceOut(Schema):
    currency: str
    awarded: Decimal
    reductions: Decimal
    paid: Decimal
    recovered: Decimal
    entitled: Decimal
    balance: Decimal
    owed: Decimal


class AgreementOut(Schema):
    id: int
    status: str
    language: str
    version: int
    sha256: str
    sent_at: dt.datetime | None
    signed_on: dt.date | None


class TrancheIn(InputSchema):
    amount: Decimal = Money
    condition: Tranche.Condition
    report_id: Id | None = None
    due_date: dt.date | None = None


class TrancheOut(Schema):
    id: int
    order: int
    amount: Decimal
    condition: str
    report_id: int | None
    due_date: dt.date | None
    status: str


class PaymentIn(InputSchema):
    amount: Decimal = Money
    date: dt.date
    reference: str = Field(min_length=1, max_length=120)
    tranche_id: Id | None = None


class PaymentOut(Schema):
    id: int
    tranche_id: int | None
    amount: Decimal
    date: dt.date
    reference: str


class MovementIn(InputSchema):
    amount: Decimal = Money
    date: dt.date
    reason: str = Field(min_length=1, max_length=5000)


class MovementOut(Schema):
    id: int
    amount: Decimal
    date: dt.date
    reason: str


class ReportIn(InputSchema):
    kind: GranteeReport.Kind
    title: str = Field(min_length=1, max_length=200)
    due_on: dt.date


class LineIn(InputSchema):
    budget_line_id: Id
    spent: Decimal = Field(max_digits=14, decimal_places=2, ge=0)
    note: str = Field("", max_length=500)


class ReportWriteIn(InputSchema):
    narrative: str = Field("", max_length=report_actions.MAX_NARRATIVE)
    lines: list[LineIn] = Field(default_factory=list, max_length=1000)
    results: list[dict[str, Any]] = Field(default_factory=list, max_length=results.MAX_RESULTS)


class ReviewIn(InputSchema):
    comment: str = Field("", max_length=5000)


class LineOut(Schema):
    budget_line_id: int
    spent: Decimal
    note: str
    variance: Decimal


class ReportOut(Schema):
    id: int
    award_id: int
    kind: str
    title: str
    due_on: dt.date
    status: str
    narrative: str
    results: list[dict[str, Any]]
    review_comment: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None


class ReportDetailOut(ReportOut):
    lines: list[LineOut]


def _award(request: HttpRequest, award_id: int, action: str = "view") -> Award:
    return policy.get_or_404(acting_user(request), Award, action, pk=award_id)


def _report(request: HttpRequest, report_id: int, action: str = "view") -> GranteeReport:
    return policy.get_or_404(acting_user(request), GranteeReport, action, pk=report_id)


def _detail(report: GranteeReport) -> dict[str, Any]:
    out = ReportOut.from_orm(report).dict()
    lines = report.lines.select_related("budget_line")
    out["lines"] = [
        {"budget_line_id": line.budget_line_id, "spent": line.spent, "note": line.note}
        | {"variance": line.variance}
        for line in lines
    ]
    return out


@awards.get("", response=list[AwardOut], operation_id="grants_award_list")
def list_awards(request: HttpRequest) -> Any:
    return list(awards_for(acting_user(request))[:LIST_LIMIT])


@awards.get("/{int:award_id}", response=AwardOut, operation_id="grants_award_get")
def get_award(request: HttpRequest, award_id: Id) -> Any:
    return _award(request, award_id)


@awards.get("/{int:award_id}/balance", response=BalanceOut, operation_id="grants_award_balance")
def get_balance(request: HttpRequest, award_id: Id) -> Any:
    now = balance.of(_award(request, award_id))
    return {name: getattr(now, name) for name in BalanceOut.model_fields}


@awards.get("/{int:award_id}/agreement", response=AgreementOut, operation_id="grants_agreement")
def get_agreement(request: HttpRequest, award_id: Id) -> Any:
    award = _award(request, award_id)
    return policy.get_or_404(acting_user(request), Agreement, "view", award=award)


@awards.get("/{int:award_id}/agreement.pdf", operation_id="grants_agreement_pdf")
def get_agreement_pdf(request: HttpRequest, award_id: Id) -> HttpResponse:
    award = _award(request, award_id)
    agreement = policy.get_or_404(acting_user(request), Agreement, "view", award=award)
    response = HttpResponse(bytes(agreement.document), content_type="application/pdf")
    name = agreement_pdf.filename(award, agreement.version)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@awards.post(
    "/{int:award_id}/agreement", response={201: AgreementOut}, operation_id="grants_agreement_make"
)
def generate_agreement(request: HttpRequest, award_id: Id) -> Any:
    award = _award(request, award_id, "manage")
    return Status(201, actions.generate_agreement(acting_user(request), award))


@awards.post(
    "/{int:award_id}/agreement/sent", response=AgreementOut, operation_id="grants_agreement_sent"
)
def agreement_sent(request: HttpRequest, award_id: Id) -> Any:
    award = _award(request, award_id, "manage")
    agreement = policy.get_or_404(acting_user(request), Agreement, "manage", award=award)
    return actions.mark_agreement_sent(acting_user(request), agreement)


class SignedIn(InputSchema):
    signed_on: dt.date


@awards.post(
    "/{int:award_id}/agreement/signed",
    response=AgreementOut,
    operation_id="grants_agreement_signed",
)
def agreement_signed(request: HttpRequest, award_id: Id, payload: SignedIn) -> Any:
    award = _award(request, award_id, "manage")
    agreement = policy.get_or_404(acting_user(request), Agreement, "manage", award=award)
    return actions.mark_agreement_signed(acting_user(request), agreement, payload.signed_on)


@awards.get("/{int:award_id}/tranches", response=list[TrancheOut], operation_id="grants_tranches")
def list_tranches(request: HttpRequest, award_id: Id) -> Any:
    award = _award(request, award_id)
    return list(policy.visible(acting_user(request), Tranche).filter(award=award))


@awards.post(
    "/{int:award_id}/tranches", response={201: TrancheOut}, operation_id="grants_tranche_add"
)
def add_tranche(request: HttpRequest, award_id: Id, payload: TrancheIn) -> Any:
    user, award = acting_user(request), _award(request, award_id, "manage")
    report = None
    if payload.report_id is not None:
        report = policy.get_or_404(user, GranteeReport, "view", pk=payload.report_id)
    tranche = actions.add_tranche(
        user, award, amount=payload.amount, condition=payload.condition, report=report,
        due_date=payload.due_date,
    )  # fmt: skip
    return Status(201, tranche)


@awards.get("/{int:award_id}/payments", response=list[PaymentOut], operation_id="grants_payments")
def list_payments(request: HttpRequest, award_id: Id) -> Any:
    award = _award(request, award_id)
    return list(award.payments.order_by("date", "pk"))


@awards.post(
    "/{int:award_id}/payments", response={201: PaymentOut}, operation_id="grants_payment_add"
)
def add_payment(request: HttpRequest, award_id: Id, payload: PaymentIn) -> Any:
    user, award = acting_user(request), _award(request, award_id, "manage")
    tranche = None
    if payload.tranche_id is not None:
        tranche = policy.get_or_404(user, Tranche, "manage", pk=payload.tranche_id)
    data = payload.dict(include={"amount", "date", "reference"})
    return Status(201, actions.record_payment(user, award, tranche=tranche, **data))


@awards.get(
    "/{int:award_id}/reductions", response=list[MovementOut], operation_id="grants_reductions"
)
def list_reductions(request: HttpRequest, award_id: Id) -> Any:
    return list(_award(request, award_id).reductions.order_by("date", "pk"))


@awards.get(
    "/{int:award_id}/recoveries", response=list[MovementOut], operation_id="grants_recoveries"
)
def list_recoveries(request: HttpRequest, award_id: Id) -> Any:
    return list(_award(request, award_id).recoveries.order_by("date", "pk"))


@awards.post(
    "/{int:award_id}/reductions", response={201: MovementOut}, operation_id="grants_reduction_add"
)
def add_reduction(request: HttpRequest, award_id: Id, payload: MovementIn) -> Any:
    award = _award(request, award_id, "manage")
    return Status(201, actions.record_reduction(acting_user(request), award, **payload.dict()))


@awards.post(
    "/{int:award_id}/recoveries", response={201: MovementOut}, operation_id="grants_recovery_add"
)
def add_recovery(request: HttpRequest, award_id: Id, payload: MovementIn) -> Any:
    award = _award(request, award_id, "manage")
    return Status(201, actions.record_recovery(acting_user(request), award, **payload.dict()))


@awards.get("/{int:award_id}/reports", response=list[ReportOut], operation_id="grants_reports")
def list_reports(request: HttpRequest, award_id: Id) -> Any:
    award = _award(request, award_id)
    return list(award.reports.order_by("due_on", "pk"))


@awards.post(
    "/{int:award_id}/reports", response={201: ReportOut}, operation_id="grants_report_schedule"
)
def schedule_report(request: HttpRequest, award_id: Id, payload: ReportIn) -> Any:
    award = _award(request, award_id, "manage")
    report = report_actions.schedule_report(acting_user(request), award, **payload.dict())
    return Status(201, report)


@reports.get("/results-schema", response=dict[str, Any], operation_id="grants_results_schema")
def results_schema(request: HttpRequest) -> Any:
    return results.json_schema()


@reports.get("/{int:report_id}", response=ReportDetailOut, operation_id="grants_report_get")
def get_report(request: HttpRequest, report_id: Id) -> Any:
    return _detail(_report(request, report_id))


@reports.put("/{int:report_id}", response=ReportDetailOut, operation_id="grants_report_write")
def write_report(request: HttpRequest, report_id: Id, payload: ReportWriteIn) -> Any:
    report = _report(request, report_id, "write")
    lines = {line.budget_line_id: (line.spent, line.note) for line in payload.lines}
    report_actions.save_report(
        acting_user(request), report, narrative=payload.narrative, lines=lines,
        results=payload.results,
    )  # fmt: skip
    return _detail(report)


@reports.post("/{int:report_id}/submit", response=ReportOut, operation_id="grants_report_submit")
def submit_report(request: HttpRequest, report_id: Id) -> Any:
    report = _report(request, report_id, "write")
    return report_actions.submit_report(acting_user(request), report)


@reports.post("/{int:report_id}/approve", response=ReportOut, operation_id="grants_report_approve")
def approve_report(request: HttpRequest, report_id: Id, payload: ReviewIn) -> Any:
    report = _report(request, report_id, "review")
    report_actions.approve_report(acting_user(request), report, payload.comment)
    report.refresh_from_db()
    return report


@reports.post("/{int:report_id}/return", response=ReportOut, operation_id="grants_report_return")
def return_report(request: HttpRequest, report_id: Id, payload: ReviewIn) -> Any:
    report = _report(request, report_id, "review")
    return report_actions.return_report(acting_user(request), report, payload.comment)


def register() -> None:
    from justicework.api import router_registry
    from justicework.core.uses import NO_PERSON_DATA

    router_registry.register("/grants/awards", awards, use=NO_PERSON_DATA.name)
    router_registry.register("/grants/reports", reports, use=NO_PERSON_DATA.name)
