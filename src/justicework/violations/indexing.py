"""What makes an incident findable in full-text search (``justicework.search``).

The text holds the title, the description, the descriptions of its violations (each distinct
one once, in the order they were recorded), country and place names, one code token per type
of act (:func:`type_token`), per country (:func:`country_token`) and for the status
(:func:`status_token`), and perpetrator unit names. The tokens let the incident list match its
act-type, country and status filters in the same index look-up as the text. It NEVER holds
person identities (the index is not encrypted); persons are found through blind indexes.

Types of act stay findable by their labels in the five UI languages without storing the labels
in every document (they were 69 % of the indexed text, which made PostgreSQL read three times
the pages per match): :func:`type_keywords` expands a searched word or phrase into the code
tokens of the types whose label, in any language, holds it (``пытки`` or ``torture`` finds
incidents with acts of torture), exactly as when the labels were indexed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import NamedTuple

import pycountry
from django.db.models import QuerySet

from justicework import search
from justicework.search.text import Term
from justicework.violations import vocabularies
from justicework.violations.models import Incident, Location, Perpetration, Violation


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return str(country.name) if country else ""


def _subdivision_name(code: str) -> str:
    sub = pycountry.subdivisions.get(code=code) if code else None
    return str(sub.name) if sub else ""


#: Type tokens start with this, so that no word of ordinary text is one.
TYPE_TOKEN_PREFIX = "xvt"  # noqa: S105  # not a secret: a search token prefix
STATUS_TOKEN_PREFIX = "xst"  # noqa: S105  # not a secret: a search token prefix
COUNTRY_TOKEN_PREFIX = "xcc"  # noqa: S105  # not a secret: a search token prefix
_NOT_ALNUM = re.compile(r"[\W_]+")


def type_token(code: str) -> str:
    """The index token of a type of act: ``killing_arbitrary`` → ``xvtkillingarbitrary``."""
    return TYPE_TOKEN_PREFIX + _NOT_ALNUM.sub("", code).casefold()


@cache
def _label_tokens() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """(type token, the tokens of its label in each language) for every type of act."""
    return tuple(
        (
            type_token(term.code),
            tuple(tuple(search.tokens(label)) for label in term.labels.values()),
        )
        for term in vocabularies.get("violation_types")
    )


def _holds(label: tuple[str, ...], term: Term) -> bool:
    """Whether ``term`` matches inside ``label`` as it would in an indexed text."""
    wanted, size = term.tokens, len(term.tokens)
    for start in range(len(label) - size + 1):
        window = label[start : start + size]
        if window[:-1] != wanted[:-1]:
            continue
        last = window[-1]
        if last == wanted[-1] or (term.prefix and last.startswith(wanted[-1])):
            return True
    return False


@lru_cache(maxsize=4096)  # keyed by searched words: bounded
def _keywords(tokens: tuple[str, ...], prefix: bool) -> tuple[str, ...]:
    term = Term(tokens, prefix)
    return tuple(
        token for token, labels in _label_tokens() if any(_holds(label, term) for label in labels)
    )


def type_keywords(term: Term) -> tuple[str, ...]:
    """The type tokens whose label (any language) holds ``term`` or starts a word with one of
    its stems (a search keyword hook)."""
    found = list(_keywords(term.tokens, term.prefix))
    for stem in term.stems:
        found += (token for token in _keywords((stem,), True) if token not in found)
    return tuple(found)


class SearchExtra(NamedTuple):
    """What :func:`incident_text` reads of an incident's violations and attributions: the
    types of act, the unit names and the violations' descriptions (in the order recorded)."""

    types: set[str]
    units: set[str]
    #: Each distinct description once, in the order first recorded (a dict keeps the order).
    descriptions: dict[str, None]


def _add_violation(extra: SearchExtra, code: str, description: str) -> None:
    extra.types.add(code)
    if description:
        extra.descriptions.setdefault(description)


def _types_and_units(incident: Incident) -> SearchExtra:
    precomputed: SearchExtra | None = getattr(incident, "_search_extra", None)
    if precomputed is not None:
        return precomputed
    extra = SearchExtra(set(), set(), {})
    for code, description in incident.violations.order_by("pk").values_list("type", "description"):
        _add_violation(extra, code, description)
    extra.units.update(
        Perpetration.objects.filter(violation__incident=incident, unit__isnull=False)
        .values_list("unit__name", flat=True)
        .distinct()
    )
    return extra


def status_token(status: str) -> str:
    """The index token of an incident status: ``verified`` → ``xstverified``."""
    return STATUS_TOKEN_PREFIX + _NOT_ALNUM.sub("", status).casefold()


def country_token(code: str) -> str:
    """The index token of a country where an incident took place: ``UA`` → ``xccua`` (the
    incident's country and each of its places' countries, as the list's country filter)."""
    return COUNTRY_TOKEN_PREFIX + _NOT_ALNUM.sub("", code).casefold()


def incident_text(incident: Incident) -> str:
    extra = _types_and_units(incident)
    parts: list[str] = [incident.title, incident.description, *extra.descriptions]
    parts.append(_country_name(incident.country))
    countries = {incident.country} if incident.country else set()
    preloaded = getattr(incident, "_search_locations", None)
    for location in preloaded if preloaded is not None else incident.locations.all():
        parts += [location.place_name, _subdivision_name(location.subdivision)]
        if location.country:
            countries.add(location.country)
    parts.extend(type_token(code) for code in sorted(extra.types))
    parts.extend(country_token(code) for code in sorted(countries))
    parts.append(status_token(incident.status))
    parts.extend(sorted(extra.units))
    return "\n".join(p for p in parts if p)


def with_search_relations(incidents: list[Incident]) -> list[Incident]:
    """Load what :func:`incident_text` reads of many incidents' violations and attributions in
    two queries (whatever the number of incidents and violations)."""
    found = {incident.pk: SearchExtra(set(), set(), {}) for incident in incidents}
    rows = Violation.objects.filter(incident_id__in=list(found)).order_by("pk")
    for incident_id, code, description in rows.values_list("incident_id", "type", "description"):
        _add_violation(found[incident_id], code, description)
    unit_pairs = Perpetration.objects.filter(
        violation__incident_id__in=list(found), unit__isnull=False
    ).values_list("violation__incident_id", "unit__name")
    for incident_id, name in unit_pairs.distinct():
        found[incident_id].units.add(name)
    for incident in incidents:
        incident._search_extra = found[incident.pk]  # type: ignore[attr-defined]  # cache for incident_text
    return incidents


class _Place(NamedTuple):
    """What :func:`incident_text` reads of a location."""

    place_name: str
    subdivision: str
    country: str


def _with_places(incidents: list[Incident]) -> list[Incident]:
    """Attach each incident's places in one query of plain rows (no model instances)."""
    places: dict[int, list[_Place]] = {incident.pk: [] for incident in incidents}
    rows = Location.objects.filter(incident_id__in=list(places)).values_list(
        "incident_id", "place_name", "subdivision", "country"
    )
    for incident_id, *fields in rows.order_by("pk"):
        places[incident_id].append(_Place(*fields))
    for incident in incidents:
        incident._search_locations = places[incident.pk]  # type: ignore[attr-defined]  # read by incident_text
    return incidents


def remember_places(incident: Incident, places: Sequence[Location]) -> None:
    """Keep the places just created for a new ``incident`` on it (read by
    :func:`remembered_places` and :func:`index_new_incidents`: no query reads them back)."""
    incident._created_places = list(places)  # type: ignore[attr-defined]  # see docstring


def remembered_places(incident: Incident) -> list[Location] | None:
    """The places :func:`remember_places` kept on ``incident`` (None: not kept)."""
    places: list[Location] | None = getattr(incident, "_created_places", None)
    return places


def index_new_incidents(
    incidents: Iterable[Incident],
    violations: Iterable[tuple[int, str, str]],
    units: Iterable[tuple[int, str]],
) -> int:
    """Index incidents created in this transaction from what the writer holds, with no query:
    each keeps its places (:func:`remember_places`); ``violations`` are ``(incident id, type
    code, description)`` of ALL their violations in the order they were created, ``units``
    ``(incident id, unit name)`` of all their attributions. The documents are those
    :func:`reindex_incidents` would write."""
    new = list(incidents)
    found = {incident.pk: SearchExtra(set(), set(), {}) for incident in new}
    for incident_id, code, description in violations:
        if incident_id in found:
            _add_violation(found[incident_id], code, description)
    for incident_id, name in units:
        if incident_id in found:
            found[incident_id].units.add(name)
    for incident in new:
        places = remembered_places(incident)
        if places is None:
            raise ValueError("index_new_incidents needs the incidents' places (remember_places)")
        incident._search_locations = places  # type: ignore[attr-defined]  # incident_text
        incident._search_extra = found[incident.pk]  # type: ignore[attr-defined]  # incident_text
    return search.index_many(Incident, new)


def reindex_incidents(ids: Iterable[int]) -> int:
    """(Re)index the incidents with primary keys ``ids``; call inside the writing action."""
    wanted = sorted(set(ids))
    total = 0
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        incidents = list(Incident.objects.filter(pk__in=chunk).only(*_TEXT_FIELDS).order_by("pk"))
        total += search.index_many(Incident, _with_relations(incidents))
    return total


def _with_relations(incidents: list[Incident]) -> list[Incident]:
    """Everything :func:`incident_text` reads for ``incidents``, in three queries."""
    return with_search_relations(_with_places(incidents))


def _text_fields_only(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    return queryset.only(*_TEXT_FIELDS)


#: The incident fields :func:`incident_text` reads (a reindex loads no other).
_TEXT_FIELDS = ("pk", "organisation_id", "title", "description", "country", "status")


def register() -> None:
    search.register(
        Incident,
        text=incident_text,
        organisation_path="organisation_id",
        keywords=type_keywords,
        prepare=_text_fields_only,
        prepare_batch=_with_relations,  # search_reindex: 4 queries per batch, none per incident
    )
