"""The filters shared by the API and the web UI (the same names, the same meaning).

Each function takes a queryset that already comes from ``policy.visible(...)`` and narrows it;
it never widens what the policy allows. Bad filter values raise ``ValidationError`` naming the
filter (the API answers 422, a form shows the message).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from justicework import search
from justicework.violations import vocabularies
from justicework.violations.models import Incident, Perpetration, Violation

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@dataclass
class Filters:
    """``organisation`` id; ``country`` ISO 3166-1 alpha-2; ``date_from``/``date_to`` (period,
    on the start date); ``type`` a violation type code (a grouping code includes every narrower
    type); ``unit`` a perpetrator unit id (its sub-units included); ``status`` of the incident;
    ``q`` full-text words (incident title, description, places, type labels, unit names)."""

    organisation: int | None = None
    country: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    type: str | None = None
    unit: int | None = None
    status: str | None = None
    q: str | None = None

    @classmethod
    def from_mapping(cls, data: Any) -> Filters:
        return cls(**{name: data.get(name) or None for name in cls.__dataclass_fields__})

    def clean(self) -> Filters:
        errors: dict[str, str] = {}
        if self.country:
            if not _COUNTRY.match(self.country):
                errors["country"] = _("Use a two-letter ISO 3166-1 code.")
            self.country = self.country.upper()
        if self.type and self.type not in vocabularies.get("violation_types"):
            errors["type"] = _("%(code)r is not a violation type.") % {"code": self.type}
        if self.status and self.status not in Incident.Status.values:
            errors["status"] = _("%(value)r is not a status.") % {"value": self.status}
        if self.date_from and self.date_to and self.date_to < self.date_from:
            errors["date_to"] = _("The end of the period is before its start.")
        if errors:
            raise ValidationError(errors)
        return self


def type_codes(code: str) -> list[str]:
    """``code`` and every narrower violation type."""
    return vocabularies.get("violation_types").descendants(code)


def unit_ids(unit_id: int) -> list[int]:
    """``unit_id`` and all its sub-units (one query per level)."""
    from justicework.violations.models import Unit

    found = [unit_id]
    level = [unit_id]
    while level:
        level = list(Unit.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level = [pk for pk in level if pk not in found]
        found.extend(level)
    return found


def filter_incidents(queryset: QuerySet[Incident], filters: Filters) -> QuerySet[Incident]:
    f = filters.clean()
    if f.organisation:
        queryset = queryset.filter(organisation_id=f.organisation)
    if f.country:
        queryset = queryset.filter(Q(country=f.country) | Q(locations__country=f.country))
    if f.date_from:
        queryset = queryset.filter(start_date__gte=f.date_from)
    if f.date_to:
        queryset = queryset.filter(start_date__lte=f.date_to)
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.type:
        queryset = queryset.filter(
            pk__in=Violation.objects.filter(type__in=type_codes(f.type)).values("incident_id")
        )
    if f.unit:
        queryset = queryset.filter(
            pk__in=Perpetration.objects.filter(unit_id__in=unit_ids(f.unit)).values(
                "violation__incident_id"
            )
        )
    if f.q:
        queryset = search.filter_queryset(queryset, f.q)
    if f.country:
        queryset = queryset.distinct()
    return queryset


def filter_violations(queryset: QuerySet[Violation], filters: Filters) -> QuerySet[Violation]:
    f = filters.clean()
    if f.organisation:
        queryset = queryset.filter(organisation_id=f.organisation)
    if f.country:
        queryset = queryset.filter(
            Q(location__country=f.country) | Q(location__isnull=True, incident__country=f.country)
        )
    if f.date_from:
        queryset = queryset.filter(start_date__gte=f.date_from)
    if f.date_to:
        queryset = queryset.filter(start_date__lte=f.date_to)
    if f.status:
        queryset = queryset.filter(incident__status=f.status)
    if f.type:
        queryset = queryset.filter(type__in=type_codes(f.type))
    if f.unit:
        queryset = queryset.filter(
            pk__in=Perpetration.objects.filter(unit_id__in=unit_ids(f.unit)).values("violation_id")
        )
    if f.q:
        queryset = queryset.filter(
            incident_id__in=search.filter_queryset(Incident.objects.all(), f.q).values("pk")
        )
    return queryset
