"""``GET /api/v1/law/crimes``: the whole catalogue, the very dict ``justicework law catalogue
--format json`` prints (``law.output.as_dict``), behind the policy's ``law.catalogue.view``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from justicework.api.core import acting_user
from justicework.core import policy
from justicework.core.models import User
from justicework.law.catalogue import catalogue
from justicework.law.output import as_dict

router = Router(tags=["law"])


class LawElementOut(Schema):
    number: int
    type: str
    text: str
    citation: str
    #: the shared (contextual) element it resolves, if any
    shared: str | None


class LawAmendmentOut(Schema):
    instrument: str
    title: str
    date: str


class LawCrimeOut(Schema):
    id: str
    category: str
    title: str
    titles: dict[str, str]
    added_by: LawAmendmentOut | None
    elements_pending: str | None
    elements: list[LawElementOut]


class LawModeOut(Schema):
    id: str
    provision: str
    title: str
    note: str | None
    elements: list[LawElementOut]
    sources: list[str]


class LawDifferenceOut(Schema):
    aspect: str
    this: str
    rome: dict[str, str]


class LawOtherCrimeOut(Schema):
    id: str
    instrument: str
    provision: str
    url: str
    title: str
    titles: dict[str, str]
    elements: list[LawElementOut]
    compared_with: list[str]
    differences: list[LawDifferenceOut]


class LawCatalogueOut(Schema):
    version: str
    sources: dict[str, dict[str, str]]
    crimes: list[LawCrimeOut]
    modes_of_liability: list[LawModeOut]
    other_instruments: list[LawOtherCrimeOut]


@router.get("/crimes", response=LawCatalogueOut, operation_id="law_catalogue")
def crimes(request: HttpRequest) -> Any:
    policy.require(acting_user(request), "law.catalogue.view", User)
    return as_dict(catalogue())


def register() -> None:
    from justicework.api import router_registry
    from justicework.core.uses import NO_PERSON_DATA

    router_registry.register("/law", router, use=NO_PERSON_DATA.name)
