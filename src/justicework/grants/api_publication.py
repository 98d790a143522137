"""``/api/v1/grants/publication``: the published award list (any signed-in user: it is public
data; visitors without an account use the 360Giving files of the public pages, since the API
is sign-in only) and a programme's dashboard figures (its staff, ``view_grant_dashboard``)."""

# no ``from __future__ import annotations``: ninja reads the parameter types at run time

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from justicework.api import router_registry
from justicework.api.core import acting_user
from justicework.api.pagination import CursorPagination
from justicework.api.types import Id
from justicework.core import uses
from justicework.grants import dashboard
from justicework.grants.dashboard import dashboard_programme
from justicework.grants.models import Award, Call
from justicework.grants.publication import (
    AwardFilter,
    award_date,
    grant_id,
    published_awards,
    recipient_id,
)

router = Router(tags=["grants"])


class GrantsPublishedAwardOut(Schema):
    id: int
    #: the 360Giving grant identifier
    grant_id: str
    call: str
    recipient_id: str
    recipient_name: str
    country: str
    amount: Decimal
    currency: str
    award_date: date
    start_date: date | None
    end_date: date | None
    purpose: str

    @staticmethod
    def resolve_grant_id(award: Award) -> str:
        return grant_id(award)

    @staticmethod
    def resolve_call(award: Award) -> str:
        return award.call.reference

    @staticmethod
    def resolve_recipient_id(award: Award) -> str:
        return recipient_id(award.legal_entity)

    @staticmethod
    def resolve_recipient_name(award: Award) -> str:
        return award.legal_entity.legal_name

    @staticmethod
    def resolve_country(award: Award) -> str:
        return award.legal_entity.country

    @staticmethod
    def resolve_award_date(award: Award) -> date:
        return award_date(award)


class GrantsAwardFilterIn(Schema):
    call: str = Field("", max_length=40, description="A call's reference.")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2.")
    year: int | None = Field(None, ge=1900, le=9999, description="The year of the award.")


class GrantsDashboardRowOut(Schema):
    key: str
    label: str
    money: Decimal
    applications: int
    awarded: int
    rate: int | None


class GrantsDashboardTableOut(Schema):
    title: str
    rows: list[GrantsDashboardRowOut]


class GrantsDashboardOut(Schema):
    programme_id: int
    call: str | None
    currency: str
    money: Decimal
    applications: int
    awarded: int
    rate: int | None
    tables: list[GrantsDashboardTableOut]


@router.get(
    "/awards", response=list[GrantsPublishedAwardOut], operation_id="grants_published_awards"
)
@paginate(CursorPagination, ordering=("-decided_at",))
def list_published(request: HttpRequest, filters: Query[GrantsAwardFilterIn]) -> Any:
    acting_user(request)  # the API's auth already refused anonymous callers
    chosen = AwardFilter(call=filters.call, country=filters.country, year=filters.year)
    return published_awards(chosen)


@router.get(
    "/programmes/{int:programme_id}/dashboard",
    response=GrantsDashboardOut,
    operation_id="grants_programme_dashboard",
)
def programme_dashboard(
    request: HttpRequest,
    programme_id: Id,
    call: Annotated[str, Query(max_length=40, description="A call's reference.")] = "",
) -> Any:
    programme = dashboard_programme(acting_user(request), programme_id)
    chosen = None
    if call:
        chosen = Call.objects.filter(programme=programme, reference=call).first()
        if chosen is None:
            raise ValidationError([{"loc": ["query", "call"], "msg": _("No such call.")}])
    figures = dashboard.build(programme, chosen)
    return {
        "programme_id": programme.pk,
        "call": chosen.reference if chosen else None,
        "currency": programme.currency,
        "money": figures.money,
        "applications": figures.applications,
        "awarded": figures.awarded,
        "rate": figures.rate,
        "tables": [
            {"title": str(t.title), "rows": [vars(r) | {"rate": r.rate} for r in t.rows]}
            for t in figures.tables
        ],
    }


def register() -> None:
    router_registry.register("/grants/publication", router, use=uses.NO_PERSON_DATA.name)
