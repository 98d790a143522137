"""What makes an incident findable in full-text search (``justicework.search``).

The text holds the title, the description, country and place names, the labels of the
violation types in the five UI languages, and perpetrator unit names. It NEVER holds person
identities (the index is not encrypted); persons are found through blind indexes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pycountry
from django.db.models import Prefetch, QuerySet

from justicework import search
from justicework.violations import vocabularies
from justicework.violations.models import Incident, Location, Perpetration, Violation


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return str(country.name) if country else ""


def _subdivision_name(code: str) -> str:
    sub = pycountry.subdivisions.get(code=code) if code else None
    return str(sub.name) if sub else ""


def incident_text(incident: Incident) -> str:
    parts: list[str] = [incident.title, incident.description, _country_name(incident.country)]
    for location in incident.locations.all():
        parts += [location.place_name, _subdivision_name(location.subdivision)]
    types = vocabularies.get("violation_types")
    seen: set[str] = set()
    units: set[str] = set()
    for violation in incident.violations.all():
        if violation.type not in seen and violation.type in types:
            seen.add(violation.type)
            parts.extend(types.term(violation.type).labels.values())
        for perpetration in violation.perpetrations.all():
            if perpetration.unit is not None:
                units.add(perpetration.unit.name)
    parts.extend(sorted(units))
    return "\n".join(p for p in parts if p)


def with_search_relations(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """Prefetch what :func:`incident_text` reads (a constant number of queries)."""
    return queryset.prefetch_related(
        Prefetch(
            "locations", queryset=Location.objects.only("incident_id", "place_name", "subdivision")
        ),
        Prefetch(
            "violations",
            queryset=Violation.objects.only("incident_id", "type").prefetch_related(
                Prefetch(
                    "perpetrations",
                    queryset=Perpetration.objects.select_related("unit").only(
                        "violation_id", "unit__name"
                    ),
                )
            ),
        ),
    )


def reindex_incidents(ids: Iterable[int]) -> int:
    """(Re)index the incidents with primary keys ``ids``; call inside the writing action."""
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    total = 0
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        incidents = with_search_relations(Incident.objects.filter(pk__in=chunk))
        total += search.index_many(Incident, incidents)
    return total


def register() -> None:
    search.register(Incident, text=incident_text, organisation_path="organisation_id")
