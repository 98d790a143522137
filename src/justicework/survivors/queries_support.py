"""One query path per list of support (STYLE 18): the directory of providers, a survivor's
referrals; the page and the API call these with a typed filter."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from justicework.core import policy
from justicework.core.models import User
from justicework.survivors.models import Referral, ServiceProvider, SurvivorFile


@dataclass(frozen=True)
class ProviderFilter:
    country: str = ""
    kind: str = ""
    language: str = ""
    include_inactive: bool = False


def providers(user: User, f: ProviderFilter) -> QuerySet[ServiceProvider]:
    """Providers ``user`` may see (own organisations' and shared ones), filtered."""
    queryset = policy.visible(user, ServiceProvider, "view").select_related("organisation")
    if f.country:
        queryset = queryset.filter(country=f.country.upper())
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.language:
        queryset = queryset.filter(languages__contains=f",{f.language},")
    if not f.include_inactive:
        queryset = queryset.filter(active=True)
    return queryset.order_by("country", "kind", "name", "pk")


def referrals(user: User, file: SurvivorFile) -> QuerySet[Referral]:
    """The file's referrals ``user`` may see, newest first (the declared use narrows them)."""
    return (
        policy.visible(user, Referral, "view")
        .filter(file=file)
        .select_related("provider", "responsible")
        .order_by("-created_at", "-pk")
    )
