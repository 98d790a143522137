"""``/api/v1/grants/calls``: the calls a user may read (published ones for everyone signed in,
drafts for the programme's staff), and for staff creating, changing and moving a call along its
life, through ``actions_calls`` and the policy. Calls read no person data."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from justicework.api.core import acting_user
from justicework.api.types import Id, InputSchema, Short, choices
from justicework.core import policy
from justicework.grants import actions_calls as actions
from justicework.grants.models import Call, CallAnswer, CallChange, Programme

router = Router(tags=["grants"])

if TYPE_CHECKING:
    GrantsCallStatus = Call.Status
    GrantsAmountMethod = Call.AmountMethod
else:  # the same values under names of their own in the OpenAPI document
    GrantsCallStatus = choices("GrantsCallStatus", Call.Status)
    GrantsAmountMethod = choices("GrantsAmountMethod", Call.AmountMethod)

#: An amount in major units: a number or its text, two decimals at most, below 10^12.
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    WithJsonSchema(
        {"anyOf": [
            {"type": "number", "minimum": 0, "maximum": 999_999_999_999.99},
            {"type": "string", "maxLength": 16, "pattern": r"^\d{1,12}(\.\d{1,2})?$"},
        ]}
    ),
]  # fmt: skip


class GrantsCriterionOut(Schema):
    code: str
    title: dict[str, str]
    kind: str
    priority: str
    weight: Decimal
    min_score: int
    max_score: int
    threshold: Decimal | None


class GrantsQuestionOut(Schema):
    code: str
    section: dict[str, str]
    prompt: dict[str, str]
    kind: str
    required: bool
    max_length: int | None


class GrantsCallChangeOut(Schema):
    field: str
    old: Any
    new: Any
    note: str
    changed_at: dt.datetime


class GrantsCallAnswerOut(Schema):
    question: dict[str, str]
    answer: dict[str, str]
    published_at: dt.datetime | None


class GrantsCallOut(Schema):
    id: int
    programme_id: int
    organisation_id: int
    reference: str
    title: dict[str, str]
    text: dict[str, str]
    status: str
    #: the status as applicants live it (a published call past its closing time is closed)
    effective_status: str
    activity_types: list[dict[str, Any]]
    recipient_categories: list[str]
    countries: list[str]
    legal_forms: list[str]
    currency: str
    budget: Decimal
    amount_min: Decimal
    amount_max: Decimal
    amount_method: str
    cap_per_recipient: Decimal
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_zone: str
    publication_links: list[str]

    @staticmethod
    def resolve_effective_status(obj: Call) -> str:
        return actions.effective_status(obj)


class GrantsCallDetailOut(GrantsCallOut):
    criteria: list[GrantsCriterionOut]
    questions: list[GrantsQuestionOut]
    changes: list[GrantsCallChangeOut]
    #: the published questions and answers (who asked is never given)
    answers: list[GrantsCallAnswerOut]

    @staticmethod
    def resolve_criteria(obj: Call) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_questions(obj: Call) -> list[Any]:
        return list(obj.questions.all())

    @staticmethod
    def resolve_changes(obj: Call, context: dict[str, Any]) -> list[Any]:
        user = acting_user(context["request"])
        return list(policy.visible(user, CallChange).filter(call=obj))

    @staticmethod
    def resolve_answers(obj: Call, context: dict[str, Any]) -> list[Any]:
        user = acting_user(context["request"])
        published = policy.visible(user, CallAnswer).filter(call=obj, published_at__isnull=False)
        return list(published.order_by("published_at", "pk"))


class GrantsCallFields(InputSchema):
    title: dict[str, str] | None = None
    text: dict[str, str] | None = None
    reference: str | None = Field(None, max_length=40)
    activity_types: list[dict[str, Any]] | None = Field(None, max_length=200)
    recipient_categories: list[Short] | None = Field(None, max_length=50)
    countries: list[Short] | None = Field(None, max_length=300)
    legal_forms: list[Short] | None = Field(None, max_length=50)
    currency: str | None = Field(None, min_length=3, max_length=3)
    budget: Money | None = None
    amount_min: Money | None = None
    amount_max: Money | None = None
    amount_method: GrantsAmountMethod | None = None
    amount_note: str | None = Field(None, max_length=5000)
    cap_per_recipient: Money | None = None
    cap_justification: str | None = Field(None, max_length=5000)
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    time_zone: str | None = Field(None, max_length=64)
    publication_links: list[Short] | None = Field(None, max_length=20)
    blind_review: bool | None = None
    reviews_per_application: int | None = Field(None, ge=1, le=20)
    one_proposal_per_applicant: bool | None = None


class GrantsCallIn(GrantsCallFields):
    programme_id: Id


class GrantsCallPatch(GrantsCallFields):
    #: why (required once the call is published; shown to applicants)
    note: str = Field("", max_length=2000)


class GrantsStatusIn(InputSchema):
    status: GrantsCallStatus
    note: str = Field("", max_length=2000)


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """Enum members of the schema as the plain values the actions store."""
    return {k: v.value if isinstance(v, enum.Enum) else v for k, v in fields.items()}


@router.get("/calls", response=list[GrantsCallOut], operation_id="grants_call_list")
def list_calls(request: HttpRequest) -> Any:
    return list(policy.visible(acting_user(request), Call).order_by("-opens_at", "-pk")[:500])


@router.get("/calls/{int:call_id}", response=GrantsCallDetailOut, operation_id="grants_call_get")
def get_call(request: HttpRequest, call_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Call, pk=call_id)


@router.post("/calls", response={201: GrantsCallOut}, operation_id="grants_call_create")
def create_call(request: HttpRequest, payload: GrantsCallIn) -> Any:
    user = acting_user(request)
    programme = policy.get_or_404(user, Programme, "change", pk=payload.programme_id)
    fields = payload.dict(exclude={"programme_id"}, exclude_none=True)
    return Status(201, actions.create_call(user, programme, **_plain(fields)))


@router.patch("/calls/{int:call_id}", response=GrantsCallOut, operation_id="grants_call_update")
def update_call(request: HttpRequest, call_id: Id, payload: GrantsCallPatch) -> Any:
    user = acting_user(request)
    call = policy.get_or_404(user, Call.objects.select_related("programme"), "change", pk=call_id)
    fields = payload.dict(exclude={"note"}, exclude_unset=True, exclude_none=True)
    return actions.update_call(user, call, note=payload.note, **_plain(fields))


@router.post(
    "/calls/{int:call_id}/status", response=GrantsCallOut, operation_id="grants_call_status"
)
def change_status(request: HttpRequest, call_id: Id, payload: GrantsStatusIn) -> Any:
    user = acting_user(request)
    call = policy.get_or_404(user, Call.objects.select_related("programme"), "change", pk=call_id)
    return actions.change_status(user, call, str(payload.status.value), note=payload.note)


def register() -> None:
    from justicework.api import router_registry
    from justicework.core.uses import NO_PERSON_DATA

    router_registry.register("/grants", router, use=NO_PERSON_DATA.name)
