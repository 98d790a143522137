"""What makes an incident findable in full-text search (``justicework.search``).

The text holds the title, the description, country and place names, the labels of the
violation types in the five UI languages, and perpetrator unit names. It NEVER holds person
identities (the index is not encrypted); persons are found through blind indexes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pycountry
from django.db.models import Prefetch

from justicework import search
from justicework.violations import vocabularies
from justicework.violations.models import Incident, Location, Perpetration, Violation


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return str(country.name) if country else ""


def _subdivision_name(code: str) -> str:
    sub = pycountry.subdivisions.get(code=code) if code else None
    return str(sub.name) if sub else ""


def _types_and_units(incident: Incident) -> tuple[set[str], set[str]]:
    precomputed = getattr(incident, "_search_extra", None)
    if precomputed is not None:
        types, units = precomputed
        return set(types), set(units)
    types = set(incident.violations.values_list("type", flat=True).distinct())
    units = set(
        Perpetration.objects.filter(violation__incident=incident, unit__isnull=False)
        .values_list("unit__name", flat=True)
        .distinct()
    )
    return types, units


def incident_text(incident: Incident) -> str:
    parts: list[str] = [incident.title, incident.description, _country_name(incident.country)]
    preloaded = getattr(incident, "_search_locations", None)
    for location in preloaded if preloaded is not None else incident.locations.all():
        parts += [location.place_name, _subdivision_name(location.subdivision)]
    vocabulary = vocabularies.get("violation_types")
    types, units = _types_and_units(incident)
    for code in sorted(types):
        if code in vocabulary:
            parts.extend(vocabulary.term(code).labels.values())
    parts.extend(sorted(units))
    return "\n".join(p for p in parts if p)


def with_search_relations(incidents: list[Incident]) -> list[Incident]:
    """Load what :func:`incident_text` reads for many incidents in three queries."""
    ids = [incident.pk for incident in incidents]
    types: dict[int, set[str]] = {pk: set() for pk in ids}
    units: dict[int, set[str]] = {pk: set() for pk in ids}
    pairs = Violation.objects.filter(incident_id__in=ids).values_list("incident_id", "type")
    for incident_id, code in pairs.distinct():
        types[incident_id].add(code)
    unit_pairs = Perpetration.objects.filter(
        violation__incident_id__in=ids, unit__isnull=False
    ).values_list("violation__incident_id", "unit__name")
    for incident_id, name in unit_pairs.distinct():
        units[incident_id].add(name)
    for incident in incidents:
        incident._search_extra = (types[incident.pk], units[incident.pk])  # type: ignore[attr-defined]  # cache for incident_text
    return incidents


def reindex_incidents(ids: Iterable[int]) -> int:
    """(Re)index the incidents with primary keys ``ids``; call inside the writing action."""
    wanted = sorted(set(ids))
    total = 0
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        incidents = list(
            Incident.objects.filter(pk__in=chunk).prefetch_related(
                Prefetch(
                    "locations",
                    queryset=Location.objects.only("incident_id", "place_name", "subdivision"),
                )
            )
        )
        total += search.index_many(Incident, with_search_relations(incidents))
    return total


def register() -> None:
    search.register(Incident, text=incident_text, organisation_path="organisation_id")
