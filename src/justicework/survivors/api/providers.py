"""The directory of service providers over the API (``/survivors/providers``). Providers
are not person data: the router runs under the use ``"none"``."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from justicework.api.types import Id, InputSchema, choices
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import actions, queries_support
from justicework.survivors.models import ServiceKind, ServiceProvider

router = Router(tags=["survivors"])
Kind = choices("ServiceKind", ServiceKind)
LIST_LIMIT = 500
LanguageCode = Annotated[str, Field(max_length=3)]


class ProviderIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: Kind  # type: ignore[valid-type]  # an enum built at import
    country: str = Field(min_length=2, max_length=2)
    area: str = Field("", max_length=200)
    languages: list[Annotated[str, Field(max_length=3)]] = Field(
        default_factory=list, max_length=50
    )
    accessibility: str = Field("", max_length=4000)
    contact: str = Field("", max_length=4000)
    opening_hours: str = Field("", max_length=300)
    referral_requirements: str = Field("", max_length=4000)
    shared: bool = False
    active: bool = True


class ProviderCreateIn(ProviderIn):
    organisation_id: Id


class ProviderOut(Schema):
    id: int
    organisation_id: int
    name: str
    kind: str
    country: str
    area: str
    languages: list[str]
    accessibility: str
    contact: str
    opening_hours: str
    referral_requirements: str
    shared: bool
    active: bool


class ProviderQuery(Schema):
    country: str = Field("", max_length=2)
    kind: str = Field("", max_length=20)
    language: str = Field("", max_length=3)


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def _out(p: ServiceProvider) -> dict[str, Any]:
    return {
        "id": p.pk, "organisation_id": p.organisation_id, "name": p.name, "kind": p.kind,
        "country": p.country, "area": p.area, "languages": p.language_codes,
        "accessibility": p.accessibility, "contact": p.contact, "opening_hours": p.opening_hours,
        "referral_requirements": p.referral_requirements, "shared": p.shared, "active": p.active,
    }  # fmt: skip


def _data(payload: ProviderIn) -> actions.ProviderData:
    values = payload.model_dump(exclude={"organisation_id"})
    values["kind"] = str(values["kind"])
    return actions.ProviderData(**values)


@router.get("/providers", response=list[ProviderOut], summary="Service providers")
def list_providers(request: HttpRequest, filters: Query[ProviderQuery]) -> Any:
    f = queries_support.ProviderFilter(filters.country, filters.kind, filters.language)
    return [_out(p) for p in queries_support.providers(_user(request), f)[:LIST_LIMIT]]


@router.get("/providers/{int:provider_id}", response=ProviderOut)
def get_provider(request: HttpRequest, provider_id: Id) -> Any:
    return _out(policy.get_or_404(_user(request), ServiceProvider, "view", pk=provider_id))


@router.post("/providers", response={201: ProviderOut})
def create_provider(request: HttpRequest, payload: ProviderCreateIn) -> Any:
    user = _user(request)
    organisation = policy.get_or_404(
        user, Organisation, "manage_providers", pk=payload.organisation_id
    )
    return Status(201, _out(actions.create_provider(user, organisation, _data(payload))))


@router.put("/providers/{int:provider_id}", response=ProviderOut)
def update_provider(request: HttpRequest, provider_id: Id, payload: ProviderIn) -> Any:
    user = _user(request)
    provider = policy.get_or_404(user, ServiceProvider, "manage", pk=provider_id)
    return _out(actions.update_provider(user, provider, _data(payload)))
