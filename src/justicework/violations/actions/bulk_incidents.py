"""Creating many incidents with their locations at once (importer, demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import Event, append_many
from justicework.core import bulk, policy
from justicework.core.models import Organisation, User
from justicework.violations.actions._bulk import (
    BulkRowErrors,
    clean_given,
    collect_errors,
)
from justicework.violations.actions._common import (
    INCIDENT_FIELDS,
    LOCATION_FIELDS,
    actor_or_none,
    require,
)
from justicework.violations.indexing import reindex_incidents, remember_places
from justicework.violations.models import (
    Incident,
    Location,
)


def bulk_create_incidents(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
    *,
    source: str = "",
    reindex: bool = True,
) -> list[Incident]:
    """Create many incidents with their ``locations`` (importer, demo). Rows hold
    ``Incident`` fields (``status`` draft or documented; verified needs ``record.verify``)
    and an optional ``locations`` list. Validated first (:class:`BulkRowErrors`), then one
    transaction with one audit entry per incident (``source`` added to its diff when given)
    and the search index (``reindex=False``: the caller reindexes them, e.g. after adding
    their violations with :func:`bulk_create_violations`). Each returned incident keeps its
    created locations, in order (``indexing.remembered_places``)."""
    require(actor, "create_incident", organisation)
    may_verify = actor is None or bool(policy.can(actor, "verify_records", organisation))
    creator = actor_or_none(actor)
    now = timezone.now()
    errors: list[tuple[int, str, str]] = []
    incidents: list[Incident] = []
    locations: list[list[Location]] = []
    # Every row starts from one template (bulk.maker: defaults evaluated once).
    new_incident = bulk.maker(
        Incident,
        organisation_id=organisation.pk,
        created_by_id=creator.pk if creator is not None else None,
        created_at=now,
        updated_at=now,
    )
    new_location = bulk.maker(Location, organisation_id=organisation.pk)
    memo: dict[Any, Any] = {}
    for index, row in enumerate(rows):
        for name in sorted(set(row) - _ALLOWED):
            errors.append((index, name, _("This field cannot be set here.")))
        fields = {k: v for k, v in row.items() if k in _FIELDS}
        incident = new_incident(**fields)
        if not _check_incident(incident, fields, may_verify, (index, errors), memo):
            continue
        places = [
            location
            for position, data in enumerate(row.get("locations") or [])
            if (
                location := _location(new_location, incident, data, (index, position), errors, memo)
            )
            is not None
        ]
        incidents.append(incident)
        locations.append(places)
    if errors:
        raise BulkRowErrors(errors)
    with transaction.atomic():
        _write(actor, organisation, incidents, locations, source)
        if reindex:
            reindex_incidents([incident.pk for incident in incidents])
    return incidents


_FIELDS = INCIDENT_FIELDS | {"status"}
_ALLOWED = INCIDENT_FIELDS | {"status", "locations"}


def _check_incident(
    incident: Incident,
    fields: Mapping[str, Any],
    may_verify: bool,
    at: tuple[int, list[tuple[int, str, str]]],
    memo: dict[Any, Any],
) -> bool:
    """``create_incident``'s checks on a row's incident; False (errors added) if it fails.
    ``at``: the row's index and the errors list."""
    index, errors = at
    incident.title = (incident.title or "").strip()
    incident.country = (incident.country or "").upper()
    if incident.status == Incident.Status.VERIFIED and not may_verify:
        message = _("Your role does not allow marking records as verified.")
        errors.append((index, "status", message))
    try:
        clean_given(incident, fields, always=["title"], memo=memo)
    except ValidationError as exc:
        collect_errors(errors, index, exc)
        return False
    return True


def _location(
    new_location: Callable[..., Location],
    incident: Incident,
    data: Mapping[str, Any],
    at: tuple[int, int],
    errors: list[tuple[int, str, str]],
    memo: dict[Any, Any],
) -> Location | None:
    """One of a row's locations, checked as ``create_incident`` checks it (None: errors).
    ``at``: the row's index and the location's position in the row."""
    index, position = at
    prefix = f"locations[{position}]."
    unknown = sorted(set(data) - LOCATION_FIELDS)
    for name in unknown:
        errors.append((index, prefix + name, _("This field cannot be set here.")))
    if unknown:
        return None
    location = new_location(**data)
    location.country = (location.country or incident.country or "").upper()
    try:
        clean_given(location, data, always=["country"], memo=memo)
    except ValidationError as exc:
        collect_errors(errors, index, exc, prefix)
        return None
    return location


def _write(
    actor: User | None,
    organisation: Organisation,
    incidents: Sequence[Incident],
    locations: Sequence[Sequence[Location]],
    source: str,
) -> None:
    bulk.insert(Incident, incidents)
    for incident, places in zip(incidents, locations, strict=True):
        for location in places:
            location.incident = incident
    bulk.insert(Location, [loc for places in locations for loc in places])
    for incident, places in zip(incidents, locations, strict=True):
        remember_places(incident, places)
    extra = {"source": source} if source else {}
    append_many(
        [
            Event(
                action="violations.incident.created",
                actor=actor,
                obj=incident,
                organisation_id=organisation.pk,
                diff={
                    **_snapshot(incident),
                    "locations": [loc.pk for loc in places],
                    **extra,
                },
            )
            for incident, places in zip(incidents, locations, strict=True)
        ]
    )


#: (name, attname) of what a creation entry records: ``create_incident``'s snapshot fields.
_ATTNAMES = {f.name: f.attname for f in Incident._meta.concrete_fields}
_SNAPSHOT = tuple((name, _ATTNAMES[name]) for name in [*sorted(INCIDENT_FIELDS), "status"])


def _snapshot(incident: Incident) -> dict[str, Any]:
    """``snapshot(incident, ...)`` of those fields, without its per-field look-ups."""
    diff: dict[str, Any] = {}
    for name, attname in _SNAPSHOT:
        value = getattr(incident, attname)
        diff[name] = value.isoformat() if isinstance(value, dt.date) else value
    return diff
