"""The published award list: the one place that decides which awards the public sees.

The rule: an award is published when the decisions of its call are published, that is when the
call is **decided** or **archived**. An award of a call that is still open, closed or under
review is never shown, whatever its own state: a call's decisions are announced together, so a
recipient never appears before the applicants who were not selected have been told.

The public list is read by visitors who are not signed in, so the policy (which answers
"no" to every anonymous question) cannot decide it; this module is its documented public-read
function instead. The award list page, the 360Giving CSV and JSON, the IATI activity file and the
API's published list all call :func:`published_awards` with the same :class:`AwardFilter`, and
nothing else reads awards for the public.

Identifiers (docs/grants.md, ``grpublish``): a grant is ``{GRANTS_360_PREFIX}-{call}-{award}``; a
recipient is ``{org-id list}-{registration number}`` where the country's register is configured
(``GRANTS_ORG_ID_LISTS``, org-id.guide codes), else ``{GRANTS_360_PREFIX}-{country}-{number}``
(the 360Giving guidance for identifiers from the grant-maker's own records).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from justicework.grants.models import Award, Call, LegalEntity, Payment, Recovery, Reduction

#: the call statuses whose awards are public
PUBLISHED_CALL_STATUSES = (Call.Status.DECIDED, Call.Status.ARCHIVED)


@dataclass(frozen=True)
class AwardFilter:
    """What a reader narrows the published list to (each part optional)."""

    call: str = ""  # a call's reference
    country: str = ""  # the recipient's country of registration (ISO 3166-1 alpha-2)
    year: int | None = None  # the year of the award decision (UTC)


def published_awards(filters: AwardFilter | None = None) -> QuerySet[Award]:
    """The published awards, narrowed by ``filters``, with what every reader shows already
    joined (call, programme and its organisation, the recipient): one query for any number."""
    filters = filters or AwardFilter()
    awards = Award.objects.filter(call__status__in=PUBLISHED_CALL_STATUSES)
    if filters.call:
        awards = awards.filter(call__reference=filters.call)
    if filters.country:
        awards = awards.filter(legal_entity__country=filters.country.upper())
    if filters.year is not None:
        awards = awards.filter(decided_at__year=filters.year)
    return awards.select_related(
        "call", "programme__organisation", "legal_entity", "application"
    ).order_by("-decided_at", "-id")


def published_awards_with_money(filters: AwardFilter | None = None) -> QuerySet[Award]:
    """:func:`published_awards` (the same rule, the same filters) with each award's payments,
    reductions and recoveries, by date: three queries more whatever the number of awards or
    payments. An award's money is public with the award and never without it (the IATI
    file's commitments and disbursements)."""
    return published_awards(filters).prefetch_related(
        Prefetch("payments", queryset=Payment.objects.order_by("date", "pk")),
        Prefetch("reductions", queryset=Reduction.objects.order_by("date", "pk")),
        Prefetch("recoveries", queryset=Recovery.objects.order_by("date", "pk")),
    )


def published_calls() -> QuerySet[Call]:
    """The calls whose awards are published (the list's call filter offers these)."""
    return Call.objects.filter(status__in=PUBLISHED_CALL_STATUSES, awards__isnull=False).distinct()


def published_countries() -> list[str]:
    countries = (
        published_awards().order_by().values_list("legal_entity__country", flat=True).distinct()
    )
    return sorted(set(countries))


def published_years() -> list[int]:
    years = published_awards().order_by().values_list("decided_at__year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def grant_id(award: Award) -> str:
    """The 360Giving grant identifier (also the IATI transaction's ``ref``)."""
    return f"{settings.GRANTS_360_PREFIX}-{award.call.reference}-{award.pk}"


def recipient_id(entity: LegalEntity) -> str:
    """The recipient's organisation identifier, org-id.guide style, stable across calls (built
    from the same country and number as the entity's de-duplicating identity key)."""
    country, _, number = entity.identity_key.partition(":")
    register = dict(_org_id_lists()).get(country)
    if register:
        return f"{register}-{number}"
    return f"{settings.GRANTS_360_PREFIX}-{country}-{number}"


def _org_id_lists() -> list[tuple[str, str]]:
    """``GRANTS_ORG_ID_LISTS`` as ``(country, list code)`` pairs (``"UA=UA-EDR"`` items)."""
    pairs = []
    for item in settings.GRANTS_ORG_ID_LISTS:
        country, _, code = item.partition("=")
        pairs.append((country.strip().upper(), code.strip()))
    return pairs


def award_date(award: Award) -> date:
    """The day of the decision (UTC), as both standards date an award."""
    return award.decided_at.date()
