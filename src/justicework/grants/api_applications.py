"""``/api/v1/grants/applications``: the applicant's own applications (start one, its details,
answers, budget lines and currency, submit, withdraw) and the staff's list of a call's submitted
applications; read through ``queries_applications`` and the policy, written through the
actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from justicework.api.core import acting_user
from justicework.api.types import Id
from justicework.core import policy
from justicework.grants import actions_application_budget as budget
from justicework.grants import actions_applications as actions
from justicework.grants.models import Application, BudgetLine, Call, LegalEntity
from justicework.grants.queries_applications import Filters, search_applications
from justicework.grants.rules_applications import may_list_submitted

router = Router(tags=["grants"])


class GrantApplicationIn(Schema):
    call_id: Id
    #: the applicant legal entity; may be left out when the user applies for one only
    legal_entity_id: Id | None = None
    title: str = Field(min_length=1, max_length=300)
    language: str = Field("en", min_length=2, max_length=8)
    currency: str = Field("", max_length=3)


class GrantApplicationPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    language: str | None = Field(None, min_length=2, max_length=8)
    currency: str | None = Field(None, min_length=3, max_length=3)
    exchange_rate: Decimal | None = Field(None, gt=0, max_digits=18, decimal_places=8)
    rate_date: dt.date | None = None
    rate_source: str | None = Field(None, max_length=200)


class GrantAnswersIn(Schema):
    #: some answers by question code (a partial save; null or "" clears an answer)
    answers: dict[str, str | int | float | bool | None]


class GrantBudgetLineIn(Schema):
    activity_type: str = Field(min_length=1, max_length=40)
    cost_category: BudgetLine.CostCategory
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    description: str = Field("", max_length=300)


class GrantBudgetLineOut(Schema):
    id: int
    activity_type: str
    cost_category: str
    description: str
    amount: Decimal


class GrantAttachmentOut(Schema):
    id: int
    kind: str
    file_name: str
    media_type: str
    size: int
    sha256: str


class GrantApplicationOut(Schema):
    id: int
    call_id: int
    applicant_id: int
    reference: str
    title: str
    language: str
    status: str
    currency: str
    exchange_rate: Decimal
    rate_date: dt.date | None
    rate_source: str
    requested_amount: Decimal
    submitted_at: dt.datetime | None
    withdrawn_at: dt.datetime | None


class GrantApplicationFullOut(GrantApplicationOut):
    answers: dict[str, Any]
    co_applicant_ids: list[int]
    budget_lines: list[GrantBudgetLineOut]
    attachments: list[GrantAttachmentOut]


def _application(request: HttpRequest, application_id: int, action: str = "view") -> Application:
    return policy.get_or_404(
        acting_user(request), Application.objects.select_related("call", "applicant"), action,
        pk=application_id,
    )  # fmt: skip


def _full(application: Application) -> dict[str, Any]:
    out = GrantApplicationOut.from_orm(application).dict()
    return out | {
        "answers": application.answers,
        "co_applicant_ids": sorted(application.co_applicants.values_list("pk", flat=True)),
        "budget_lines": list(application.budget_lines.all()),
        "attachments": list(application.attachments.all()),
    }


def _entity(request: HttpRequest, entity_id: int | None) -> LegalEntity:
    user = acting_user(request)
    if entity_id is not None:
        return policy.get_or_404(user, LegalEntity, "apply", pk=entity_id)
    entities = list(policy.visible(user, LegalEntity, "apply")[:2])
    if len(entities) != 1:
        raise Http404
    return entities[0]


@router.get("", response=list[GrantApplicationOut], operation_id="grants_application_list")
def list_mine(request: HttpRequest) -> Any:
    return list(search_applications(acting_user(request), Filters(mine=True))[:500])


@router.post("", response={201: GrantApplicationFullOut}, operation_id="grants_application_start")
def start(request: HttpRequest, payload: GrantApplicationIn) -> Any:
    entity = _entity(request, payload.legal_entity_id)
    # a published call is public data; its own pages belong to the calls' part of the app
    call = Call.objects.filter(pk=payload.call_id, status=Call.Status.PUBLISHED).first()
    if call is None:
        raise Http404
    application = actions.start_application(
        acting_user(request), entity, call, title=payload.title, language=payload.language,
        currency=payload.currency,
    )  # fmt: skip
    return Status(201, _full(application))


@router.get(
    "/{int:application_id}", response=GrantApplicationFullOut, operation_id="grants_application_get"
)
def get(request: HttpRequest, application_id: Id) -> Any:
    return _full(_application(request, application_id))


@router.patch(
    "/{int:application_id}", response=GrantApplicationFullOut,
    operation_id="grants_application_update",
)  # fmt: skip
def update(request: HttpRequest, application_id: Id, payload: GrantApplicationPatch) -> Any:
    user = acting_user(request)
    application = _application(request, application_id)
    given = payload.dict(exclude_unset=True)
    details = {k: v for k, v in given.items() if k in actions.DETAIL_FIELDS}
    money = {k: v for k, v in given.items() if k not in actions.DETAIL_FIELDS}
    with transaction.atomic():  # all of the patch or nothing
        if details:
            actions.update_application(user, application, **details)
        if money:
            budget.set_currency(user, application, **money)
    return _full(application)


@router.put(
    "/{int:application_id}/answers", response=GrantApplicationFullOut,
    operation_id="grants_application_answers",
)  # fmt: skip
def save_answers(request: HttpRequest, application_id: Id, payload: GrantAnswersIn) -> Any:
    """Some answers by question code (a partial save; null or "" clears an answer)."""
    application = _application(request, application_id)
    actions.save_answers(acting_user(request), application, dict(payload.answers))
    return _full(application)


@router.post(
    "/{int:application_id}/budget-lines", response={201: GrantBudgetLineOut},
    operation_id="grants_budget_line_add",
)  # fmt: skip
def add_line(request: HttpRequest, application_id: Id, payload: GrantBudgetLineIn) -> Any:
    application = _application(request, application_id)
    line = budget.add_budget_line(acting_user(request), application, **payload.dict())
    return Status(201, line)


@router.delete(
    "/{int:application_id}/budget-lines/{int:line_id}", response={204: None},
    operation_id="grants_budget_line_remove",
)  # fmt: skip
def remove_line(request: HttpRequest, application_id: Id, line_id: Id) -> Any:
    application = _application(request, application_id)
    line = policy.get_or_404(
        acting_user(request), BudgetLine.objects.filter(application=application), "view",
        pk=line_id,
    )  # fmt: skip
    budget.remove_budget_line(acting_user(request), line)
    return Status(204, None)


@router.post(
    "/{int:application_id}/submit", response=GrantApplicationFullOut,
    operation_id="grants_application_submit",
)  # fmt: skip
def submit(request: HttpRequest, application_id: Id) -> Any:
    application = _application(request, application_id)
    actions.submit_application(acting_user(request), application)
    application.refresh_from_db()
    return _full(application)


@router.post(
    "/{int:application_id}/withdraw", response=GrantApplicationFullOut,
    operation_id="grants_application_withdraw",
)  # fmt: skip
def withdraw(request: HttpRequest, application_id: Id) -> Any:
    application = _application(request, application_id)
    actions.withdraw_application(acting_user(request), application)
    return _full(application)


@router.get(
    "/calls/{int:call_id}/submitted", response=list[GrantApplicationOut],
    operation_id="grants_call_submitted_applications",
)  # fmt: skip
def call_submitted(request: HttpRequest, call_id: Id) -> Any:
    """The staff's list: a call's submitted applications (never drafts); 404 for anyone but the
    staff of the call's organisation."""
    user = acting_user(request)
    call = Call.objects.filter(pk=call_id).exclude(status=Call.Status.DRAFT).first()
    if call is None or not may_list_submitted(user, call):
        raise Http404
    filters = Filters(call_id=call.pk, submitted=True)
    return list(search_applications(user, filters)[:2000])


def register() -> None:
    from justicework.api import router_registry

    router_registry.register("/grants/applications", router, use="none")
