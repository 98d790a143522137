"""Violations: one act against one victim within an incident, the persons' roles in it and
the bulk creation of many at once.

Mounted by ``violations.api`` under ``/api/v1/``; reads through the policy, writes through actions.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
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
    Location,
    Person,
    PersonRole,
    VictimGroup,
    Violation,
)
from justicework.violations.schemas import (
    BulkIn,
    BulkOut,
    ListFilters,
    PersonRoleIn,
    PersonRoleOut,
    ViolationIn,
    ViolationOut,
    ViolationPatch,
)

router = Router(tags=["violations"])


def _violation_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``*_id`` keys into visible objects (404 if not visible)."""
    if "location_id" in data:
        pk = data.pop("location_id")
        data["location"] = policy.get_or_404(user, Location, "view", pk=pk) if pk else None
    if "victim_group_id" in data:
        pk = data.pop("victim_group_id")
        data["victim_group"] = policy.get_or_404(user, VictimGroup, "view", pk=pk) if pk else None
    for name in ("method", "description", "consequences", "victim_outcome"):
        if name in data and data[name] is None:
            data[name] = "" if name != "victim_outcome" else Violation.VictimOutcome.UNKNOWN
    return patch_dates(data)


@router.get("", response=list[ViolationOut], summary="Violations you may see")
@paginate(CursorPagination, ordering=("-created_at",))
def list_violations(
    request: HttpRequest,
    filters: Query[ListFilters],
    incident: Id | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Violation, "view")
    if incident is not None:
        queryset = queryset.filter(incident_id=incident)
    try:
        return queries.filter_violations(queryset, filters.as_filters())
    except ValidationError as exc:
        raise query_errors(exc) from exc


@router.post("", response={201: ViolationOut})
def create_violation(request: HttpRequest, payload: ViolationIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=payload.incident_id)
    data = payload.dict(exclude={"incident_id", "victim_id"}, exclude_none=True)
    victim = (
        policy.get_or_404(user, Person, "view", pk=payload.victim_id) if payload.victim_id else None
    )
    violation = actions.add_violation(
        user, incident, victim=victim, **_violation_fields(user, data)
    )
    return Status(201, violation)


@router.post("/bulk", response={201: BulkOut}, summary="Create many violations at once")
def bulk_create(request: HttpRequest, payload: BulkIn) -> Any:
    user = acting_user(request)
    org = organisation_or_404(user, payload.organisation_id, "bulk_create_violations")
    rows = []
    for row in payload.rows:
        data = row.dict(exclude_none=True)
        item: dict[str, Any] = {"incident": data.pop("incident_id")}
        if "victim_code" in data:
            item["victim"] = data.pop("victim_code")
        if "victim_group_code" in data:
            item["victim_group"] = data.pop("victim_group_code")
        if "location_id" in data:
            item["location"] = data.pop("location_id")
        data.pop("victim_group_id", None)
        rows.append({**item, **data})
    try:
        created = actions.bulk_create_violations(user, org, rows)
    except actions.BulkRowErrors as exc:
        raise NinjaValidationError(
            [{"loc": ["body", "rows", index, field], "msg": msg} for index, field, msg in exc.rows]
        ) from exc
    return Status(201, {"created": len(created), "ids": [v.pk for v in created]})


@router.get("/{int:violation_id}", response=ViolationOut)
def get_violation(request: HttpRequest, violation_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Violation, "view", pk=violation_id)


@router.patch("/{int:violation_id}", response=ViolationOut)
def update_violation(request: HttpRequest, violation_id: Id, payload: ViolationPatch) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    return actions.update_violation(user, violation, **_violation_fields(user, changes(payload)))


@router.delete("/{int:violation_id}", response={204: None})
def delete_violation(request: HttpRequest, violation_id: Id) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    actions.remove_violation(user, violation)
    return Status(204, None)


@router.get("/{int:violation_id}/persons", response=list[PersonRoleOut])
def list_person_roles(request: HttpRequest, violation_id: Id) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    return list(
        policy.visible(user, PersonRole, "view")
        .filter(violation=violation)
        .select_related("person")
    )


@router.post("/{int:violation_id}/persons", response={201: PersonRoleOut})
def link_person(request: HttpRequest, violation_id: Id, payload: PersonRoleIn) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    person = policy.get_or_404(user, Person, "view", pk=payload.person_id)
    return Status(201, actions.link_person(user, violation, person, payload.role))


@router.delete("/person-roles/{int:role_id}", response={204: None})
def unlink_person(request: HttpRequest, role_id: Id) -> Any:
    user = acting_user(request)
    link = policy.get_or_404(user, PersonRole.objects.select_related("person"), "view", pk=role_id)
    actions.unlink_person(user, link)
    return Status(204, None)
