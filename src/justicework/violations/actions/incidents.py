"""Actions on incidents and their locations: create, edit, change status, delete (drafts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework import search
from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.violations.actions._common import (
    INCIDENT_FIELDS,
    LOCATION_FIELDS,
    actor_or_none,
    apply_changes,
    check_fields,
    require,
    snapshot,
    touch,
)
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import (
    Incident,
    Location,
)


@transaction.atomic
def create_incident(
    actor: User | None,
    organisation: Organisation,
    *,
    title: str,
    status: str = Incident.Status.DRAFT,
    locations: Sequence[Mapping[str, Any]] = (),
    **fields: Any,
) -> Incident:
    """Create an incident (status draft or documented; verified needs ``verify``), with
    optional locations (dicts of ``Location`` fields)."""
    require(actor, "create_incident", organisation)
    check_fields(fields, INCIDENT_FIELDS)
    incident = Incident(
        organisation=organisation,
        title=(title or "").strip(),
        status=status,
        created_by=actor_or_none(actor),
        **fields,
    )
    incident.country = (incident.country or "").upper()
    incident.full_clean()
    if (
        status == Incident.Status.VERIFIED
        and actor is not None
        and not policy.can(actor, "verify_records", organisation)
    ):
        raise PermissionDenied(_("Your role does not allow marking records as verified."))
    incident.save()
    created = [_new_location(incident, data, index) for index, data in enumerate(locations)]
    record(
        actor,
        "violations.incident.created",
        incident,
        diff={
            **snapshot(incident, [*sorted(INCIDENT_FIELDS), "status"]),
            "locations": [loc.pk for loc in created],
        },
    )
    reindex_incidents([incident.pk])
    return incident


def _new_location(
    incident: Incident, data: Mapping[str, Any], index: int | None = None
) -> Location:
    try:
        check_fields(data, LOCATION_FIELDS)
        location = Location(incident=incident, organisation_id=incident.organisation_id, **data)
        location.country = (location.country or incident.country or "").upper()
        location.full_clean(exclude=["incident", "organisation"])
    except ValidationError as exc:
        if index is None:
            raise
        raise ValidationError(
            {f"locations[{index}].{k}": v for k, v in exc.message_dict.items()}
        ) from exc
    location.save()
    return location


@transaction.atomic
def update_incident(
    actor: User | None, incident: Incident, *, reason: str = "", **changes: Any
) -> Incident:
    """Edit an incident's fields. Making a restricted incident normal again needs
    ``grant_access`` (admins), since it opens the record to every member. Changing a verified
    incident needs a reason and returns it to documented, to be verified again; both are in
    the audit entry."""
    require(actor, "change", incident)
    check_fields(changes, INCIDENT_FIELDS)
    if changes.get("sensitivity") == Incident.Sensitivity.NORMAL and incident.is_restricted:
        require(actor, "grant_access", incident)
    before = snapshot(incident, changes)

    def validate() -> None:
        incident.country = (incident.country or "").upper()
        incident.full_clean()

    apply_changes(incident, changes, validate)
    diff = diff_fields(before, snapshot(incident, changes))
    reverify = incident.status == Incident.Status.VERIFIED and bool(diff)
    reason = (reason or "").strip()
    if reverify and not reason:
        incident.refresh_from_db()  # nothing was written: leave the caller's object as it was
        raise ValidationError(
            {
                "reason": _(
                    "This incident is verified: say why you change it. It goes back to "
                    "documented, to be verified again."
                )
            }
        )
    if reverify:
        incident.status = Incident.Status.DOCUMENTED
        diff.update(status=[Incident.Status.VERIFIED, incident.status], reason=reason)
    touch(incident)
    incident.save()
    record(actor, "violations.incident.updated", incident, diff=diff)
    reindex_incidents([incident.pk])
    return incident


@transaction.atomic
def change_incident_status(actor: User | None, incident: Incident, status: str) -> Incident:
    """Move between draft, documented and verified. Entering or leaving *verified* needs the
    ``verify`` action (``record.verify``)."""
    if status not in Incident.Status.values:
        raise ValidationError({"status": _("%(value)r is not a status.") % {"value": status}})
    verified = Incident.Status.VERIFIED
    require(actor, "verify" if verified in (status, incident.status) else "change", incident)
    if status == incident.status:
        return incident
    before = incident.status
    incident.status = status
    touch(incident)
    incident.save(update_fields=["status", "updated_at"])
    record(actor, "violations.incident.status_changed", incident, diff={"status": [before, status]})
    reindex_incidents([incident.pk])  # the status token (indexing.status_token)
    return incident


@transaction.atomic
def delete_incident(actor: User | None, incident: Incident) -> None:
    """Delete a draft incident and everything recorded under it."""
    require(actor, "delete", incident)
    if incident.status != Incident.Status.DRAFT:
        raise ValidationError({"status": _("Only draft incidents can be deleted.")})
    pk = incident.pk
    diff = {
        "title": incident.title,
        "violations": incident.violations.count(),
        "locations": incident.locations.count(),
    }
    record(actor, "violations.incident.deleted", incident, diff=diff)
    incident.delete()
    search.remove(Incident, [pk])


@transaction.atomic
def add_location(actor: User | None, incident: Incident, **fields: Any) -> Location:
    require(actor, "change", incident)
    location = _new_location(incident, fields)
    record(
        actor,
        "violations.location.created",
        location,
        diff={"incident": incident.pk, **snapshot(location, sorted(LOCATION_FIELDS))},
    )
    reindex_incidents([incident.pk])
    return location


@transaction.atomic
def update_location(actor: User | None, location: Location, **changes: Any) -> Location:
    require(actor, "change", location)
    check_fields(changes, LOCATION_FIELDS)
    before = snapshot(location, changes)
    apply_changes(
        location, changes, lambda: location.full_clean(exclude=["incident", "organisation"])
    )
    location.save()
    record(
        actor,
        "violations.location.updated",
        location,
        diff=diff_fields(before, snapshot(location, changes)),
    )
    reindex_incidents([location.incident_id])
    return location


@transaction.atomic
def remove_location(actor: User | None, location: Location) -> None:
    require(actor, "delete", location)
    incident_id = location.incident_id
    record(actor, "violations.location.deleted", location, diff={"incident": incident_id})
    location.delete()
    reindex_incidents([incident_id])
