"""The one query path over incidents: the web list, map and timeline, the API list, the export
and the facet counts all call :func:`search_incidents` with a typed :class:`Filters`.

``search_incidents`` starts from ``policy.visible`` and only narrows it. Bad filter values
raise ``ValidationError`` naming the filter (the API answers 422, the export 400, a form shows
the message). The same code runs on SQLite and PostgreSQL (docs/search.md, "One query path").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from justicework import search
from justicework.core import policy
from justicework.core.actors import Requester
from justicework.violations import vocabularies
from justicework.violations.indexing import country_token, status_token, type_token
from justicework.violations.models import Incident, Location, Perpetration, Violation

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")

#: Up to this many matches their ids are fetched once and counted over (:func:`match`).
MATERIALISE_LIMIT = 5000
#: Seconds the counts of a larger result stay in the cache, per user and filters.
COUNTS_CACHE_SECONDS = 120


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
    def from_mapping(cls, data: Mapping[str, Any]) -> Filters:
        """From already typed values (a form's ``cleaned_data``, an API schema); a model
        instance (the form's unit) stands for its id. Other keys are ignored."""
        values = {name: data.get(name) or None for name in cls.__dataclass_fields__}
        for name, value in values.items():
            if value is not None and hasattr(value, "pk"):
                values[name] = value.pk
        return cls(**values)

    @classmethod
    def from_text(cls, data: Mapping[str, str]) -> Filters:
        """From text (a query string, a command's options): ids and dates parsed, each bad
        value reported by name."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name in cls.__dataclass_fields__:
            raw = str(data.get(name) or "").strip()
            if not raw:
                continue
            try:
                if name in {"organisation", "unit"}:
                    values[name] = int(raw)
                elif name in {"date_from", "date_to"}:
                    values[name] = dt.date.fromisoformat(raw)
                else:
                    values[name] = raw
            except ValueError:
                errors[name] = _("%(value)r is not valid here.") % {"value": raw[:40]}
        if errors:
            raise ValidationError(errors)
        return cls(**values)

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

    def as_text(self) -> dict[str, str]:
        """The filters that are set, as text (audit entries, cache keys, links)."""
        return {name: str(value) for name, value in asdict(self).items() if value is not None}


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


def _conditions(f: Filters, orgs: list[int] | None) -> dict[str, Q]:
    """The filters as ``Q`` objects on ``Incident``. Acts and units are semi-joins (``IN
    (SELECT ...)``, evaluated once), the country's places an ``EXISTS``: no filter multiplies
    rows, so no ``DISTINCT`` over large results. Children carry their organisation: naming the
    user's organisations (``orgs``) lets the database use the (organisation, type) index
    instead of scanning every violation."""
    within = {"organisation_id__in": orgs} if orgs is not None else {}
    conditions: dict[str, Q] = {}
    if f.country:
        places = Location.objects.filter(incident_id=OuterRef("pk"), country=f.country)
        conditions["country"] = Q(country=f.country) | Q(Exists(places))
    if f.status:
        conditions["status"] = Q(status=f.status)
    if f.organisation:
        conditions["organisation"] = Q(organisation_id=f.organisation)
    if f.date_from:
        conditions["date_from"] = Q(start_date__gte=f.date_from)
    if f.date_to:
        conditions["date_to"] = Q(start_date__lte=f.date_to)
    if f.type:
        acts = Violation.objects.filter(type__in=type_codes(f.type), **within)
        conditions["type"] = Q(pk__in=acts.values("incident_id"))
    if f.unit:
        attributions = Perpetration.objects.filter(unit_id__in=unit_ids(f.unit), **within)
        conditions["unit"] = Q(pk__in=attributions.values("violation__incident_id"))
    return conditions


def _without_text(
    queryset: QuerySet[Incident], f: Filters, orgs: list[int] | None
) -> tuple[QuerySet[Incident], list[list[str]]]:
    """``queryset`` with every filter but the text, and the index tokens the text look-up must
    also match. With text, the act-type, country and status filters join the text in one
    full-text look-up (each incident's document holds a token per type of act, country and for
    its status: ``indexing.type_token`` …) instead of a semi-join over the violations and an
    ``EXISTS`` over the places: the index intersects the posting lists."""
    conditions = _conditions(f, orgs)
    all_of: list[list[str]] = []
    if f.q and search.parse_query(f.q):
        if f.type:
            all_of.append([type_token(code) for code in type_codes(f.type)])
        if f.country:
            all_of.append([country_token(f.country)])
        if f.status:
            all_of.append([status_token(f.status)])
        conditions = {k: q for k, q in conditions.items() if k not in {"type", "country", "status"}}
    for condition in conditions.values():
        queryset = queryset.filter(condition)
    return queryset, all_of


def _narrow(queryset: QuerySet[Incident], f: Filters, orgs: list[int] | None) -> QuerySet[Incident]:
    """``queryset`` with the filters and the text."""
    narrowed, all_of = _without_text(queryset, f, orgs)
    return search.filter_queryset(narrowed, f.q or "", all_of=all_of)


def search_incidents(user: Requester, filters: Filters, action: str = "view") -> QuerySet[Incident]:
    """The incidents ``user`` may ``action`` that match ``filters``, newest first (``-pk``).
    Raises ``ValidationError`` for a bad filter value."""
    f = filters.clean()
    orgs = policy.allowed_organisation_ids(user, "view_records")
    return _narrow(policy.visible(user, Incident, action), f, orgs).order_by("-pk")


def newest_ids(user: Requester, filters: Filters, limit: int, action: str = "view") -> list[int]:
    """The ids of the ``limit`` newest incidents of :func:`search_incidents`, highest first.
    With words, the index walks the matches backwards and probes the other filters per match
    (``search.newest_ids``): a word in almost every incident then costs no more than a rare one,
    where reading the whole result first would read every match."""
    f = filters.clean()
    orgs = policy.allowed_organisation_ids(user, "view_records")
    narrowed, all_of = _without_text(policy.visible(user, Incident, action), f, orgs)
    ids = search.newest_ids(narrowed, f.q, limit, all_of)
    if ids is None:
        return list(narrowed.order_by("-pk").values_list("pk", flat=True)[:limit])
    return ids


def filter_violations(queryset: QuerySet[Violation], filters: Filters) -> QuerySet[Violation]:
    """The acts of ``queryset`` matching ``filters`` (the API's violation list): the country of
    the act's place (or of its incident), the act's own type, dates and units."""
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


# --- Matches evaluated once: pages and counts ---------------------------------------------------


@dataclass
class Matches:
    """:func:`search_incidents` evaluated once. ``ids``: the newest matching ids (at most
    ``limit + 1``); when ``complete`` they are every match and ``queryset`` is an id look-up on
    them, otherwise ``queryset`` is the filtered query itself."""

    user: Requester
    filters: Filters
    queryset: QuerySet[Incident]
    visible: QuerySet[Incident]
    ids: list[int]
    complete: bool

    def page(self, after: int | None, size: int) -> tuple[list[Incident], bool]:
        """Up to ``size`` matches below ``after`` (keyset), newest first, and whether more
        follow. Among the ids already fetched when possible (an index look-up)."""
        page_ids = [pk for pk in self.ids if after is None or pk < after][: size + 1]
        if self.complete or len(page_ids) > size:
            rows = self.visible.filter(pk__in=page_ids)
        else:
            rows = self.queryset.filter(pk__lt=after) if after is not None else self.queryset
        found = list(rows.select_related("organisation").order_by("-pk")[: size + 1])
        return found[:size], len(found) > size


def match(
    user: Requester, filters: Filters, limit: int = MATERIALISE_LIMIT, action: str = "view"
) -> Matches:
    """Evaluate the filters (the costly part: full text, semi-joins on acts and units) once.
    When at most ``limit`` incidents match, their ids are fetched and every following query
    (total, counts, page) is an index look-up on them; larger results are counted in the
    database from the filtered sub-query."""
    queryset = search_incidents(user, filters, action)
    ids = newest_ids(user, filters, limit + 1, action)
    visible = policy.visible(user, Incident, action)
    if len(ids) <= limit:
        return Matches(user, filters, visible.filter(pk__in=ids), visible, ids, True)
    return Matches(user, filters, queryset, visible, ids, False)


@dataclass
class IncidentCounts:
    """The total and the facet counts of a result: incidents by country, status and
    organisation; *acts* by type and *attributions* by unit (not distinct incidents)."""

    total: int = 0
    country: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    organisation: dict[int, int] = field(default_factory=dict)
    type: dict[str, int] = field(default_factory=dict)
    unit: dict[int, int] = field(default_factory=dict)


def _cache_key(matches: Matches) -> str:
    text = repr(sorted(matches.filters.as_text().items()))
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    user_pk = getattr(matches.user, "pk", None)
    return f"violations:incident-counts:{user_pk}:{digest}"


def incident_counts(matches: Matches) -> IncidentCounts:
    """The counts of ``matches`` in three GROUP BY queries whatever the data size: incidents by
    (country, status, organisation), which gives the total and three facets at once; acts by
    type; attributions by unit (no ``COUNT(DISTINCT incident)``, two to three times dearer over
    a million rows). Counts over an incomplete (large) result are kept in the cache for
    ``COUNTS_CACHE_SECONDS``, so the unfiltered first page stays fast when visited again."""
    key = "" if matches.complete else _cache_key(matches)
    if key and isinstance(cached := cache.get(key), IncidentCounts):
        return cached
    queryset = matches.queryset.order_by()
    counts = IncidentCounts()
    grouped = queryset.values_list("country", "status", "organisation_id").annotate(n=Count("pk"))
    for country, status, organisation_id, n in grouped:
        counts.total += n
        counts.country[country] = counts.country.get(country, 0) + n
        counts.status[status] = counts.status.get(status, 0) + n
        counts.organisation[organisation_id] = counts.organisation.get(organisation_id, 0) + n
    incidents: Any = matches.ids if matches.complete else queryset.values("pk")
    violations = Violation.objects.filter(incident_id__in=incidents)
    perpetrations = Perpetration.objects.filter(unit__isnull=False)
    if not matches.complete:
        # Over a large result, naming the organisations lets the database use the
        # (organisation, type) index; over a list of ids the incident index is the right one
        # (and SQLite would pick the wrong one if offered both).
        orgs = policy.allowed_organisation_ids(matches.user, "view_records")
        violations = violations.filter(organisation_id__in=orgs)
        perpetrations = perpetrations.filter(organisation_id__in=orgs)
    counts.type = dict(violations.order_by().values_list("type").annotate(n=Count("pk")))
    counts.unit = dict(
        perpetrations.filter(violation_id__in=violations.values("pk"))
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    if key:
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def facets(user: Requester, filters: Filters) -> IncidentCounts:
    """The total and facet counts of :func:`search_incidents` for ``filters``."""
    return incident_counts(match(user, filters))
