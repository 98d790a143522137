"""Incidents: their locations, their relations to other incidents and need-to-know grants on them.

Mounted by ``violations.api`` under ``/api/v1/``; reads through the policy, writes through actions.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import User
from justicework.violations import actions, queries
from justicework.violations.api.common import (
    acting_user,
    changes,
    organisation_or_404,
    patch_dates,
    query_errors,
)
from justicework.violations.models import (
    Incident,
    IncidentRelation,
    Location,
)
from justicework.violations.schemas import (
    GrantIn,
    GrantOut,
    IncidentIn,
    IncidentOut,
    IncidentPatch,
    ListFilters,
    LocationIn,
    LocationOut,
    LocationPatch,
    RelationIn,
    RelationOut,
    StatusIn,
)

router = Router(tags=["incidents"])


def _incident_queryset(user: User) -> QuerySet[Incident]:
    return policy.visible(user, Incident, "view").prefetch_related(
        Prefetch("locations", queryset=Location.objects.order_by("pk"))
    )


@router.get("", response=list[IncidentOut], summary="Incidents you may see")
@paginate(CursorPagination, ordering=("-created_at",))
def list_incidents(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    try:
        found = queries.search_incidents(acting_user(request), filters.as_filters())
    except ValidationError as exc:
        raise query_errors(exc) from exc
    return found.prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("pk")))


@router.post("", response={201: IncidentOut})
def create_incident(request: HttpRequest, payload: IncidentIn) -> Any:
    user = acting_user(request)
    org = organisation_or_404(user, payload.organisation_id, "create_incident")
    data = payload.dict(exclude={"organisation_id"})
    data = patch_dates(data)
    incident = actions.create_incident(user, org, **data)
    return Status(201, _incident_queryset(user).get(pk=incident.pk))


@router.get("/{int:incident_id}", response=IncidentOut)
def get_incident(request: HttpRequest, incident_id: Id) -> Any:
    return policy.get_or_404(
        acting_user(request), _incident_queryset(acting_user(request)), "view", pk=incident_id
    )


@router.patch("/{int:incident_id}", response=IncidentOut)
def update_incident(request: HttpRequest, incident_id: Id, payload: IncidentPatch) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    fields = patch_dates(changes(payload))
    reason = fields.pop("reason", None) or ""
    actions.update_incident(user, incident, reason=reason, **fields)
    return _incident_queryset(user).get(pk=incident.pk)


@router.delete("/{int:incident_id}", response={204: None})
def delete_incident(request: HttpRequest, incident_id: Id) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    actions.delete_incident(user, incident)
    return Status(204, None)


@router.post("/{int:incident_id}/status", response=IncidentOut)
def change_status(request: HttpRequest, incident_id: Id, payload: StatusIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    actions.change_incident_status(user, incident, payload.status)
    return _incident_queryset(user).get(pk=incident.pk)


@router.post("/{int:incident_id}/locations", response={201: LocationOut})
def add_location(request: HttpRequest, incident_id: Id, payload: LocationIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    return Status(201, actions.add_location(user, incident, **payload.dict()))


@router.patch("/locations/{int:location_id}", response=LocationOut)
def update_location(request: HttpRequest, location_id: Id, payload: LocationPatch) -> Any:
    user = acting_user(request)
    location = policy.get_or_404(user, Location, "view", pk=location_id)
    return actions.update_location(user, location, **changes(payload))


@router.delete("/locations/{int:location_id}", response={204: None})
def delete_location(request: HttpRequest, location_id: Id) -> Any:
    user = acting_user(request)
    location = policy.get_or_404(user, Location, "view", pk=location_id)
    actions.remove_location(user, location)
    return Status(204, None)


@router.get("/{int:incident_id}/relations", response=list[RelationOut])
def list_relations(request: HttpRequest, incident_id: Id) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    return list(policy.visible(user, IncidentRelation, "view").filter(from_incident=incident))


@router.post("/{int:incident_id}/relations", response={201: RelationOut})
def relate(request: HttpRequest, incident_id: Id, payload: RelationIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    other = policy.get_or_404(user, Incident, "view", pk=payload.to_incident_id)
    relation = actions.relate_incidents(user, incident, other, payload.kind, payload.note)
    return Status(201, relation)


@router.delete("/relations/{int:relation_id}", response={204: None})
def unrelate(request: HttpRequest, relation_id: Id) -> Any:
    user = acting_user(request)
    relation = policy.get_or_404(user, IncidentRelation, "view", pk=relation_id)
    actions.unrelate_incidents(user, relation)
    return Status(204, None)


@router.post("/{int:incident_id}/access-grants", response={201: GrantOut})
def grant_incident_access(request: HttpRequest, incident_id: Id, payload: GrantIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "grant_access", pk=incident_id)
    grantee = policy.get_or_404(user, User, "view", pk=payload.user_id)
    grant = actions.grant_incident_access(
        user, grantee, incident, payload.reason, payload.expires_at
    )
    return Status(201, grant)
