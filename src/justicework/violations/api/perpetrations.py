"""Perpetrations: who (a person or a unit) took part in a violation, and how.

Mounted by ``violations.api`` under ``/api/v1/``; reads through the policy, writes through actions.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, QueryText
from justicework.core import policy
from justicework.violations import actions
from justicework.violations.api.common import (
    acting_user,
)
from justicework.violations.models import (
    Perpetration,
    Person,
    Unit,
    Violation,
)
from justicework.violations.schemas import (
    PerpetrationIn,
    PerpetrationOut,
)

router = Router(tags=["perpetrations"])


@router.get("", response=list[PerpetrationOut])
@paginate(CursorPagination, ordering=("-created_at",))
def list_perpetrations(
    request: HttpRequest,
    organisation: Id | None = None,
    violation: Id | None = None,
    unit: Id | None = None,
    person: Id | None = None,
    involvement: QueryText | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Perpetration, "view")
    for name, value in [
        ("organisation_id", organisation),
        ("violation_id", violation),
        ("unit_id", unit),
        ("person_id", person),
        ("involvement", involvement),
    ]:
        if value:
            queryset = queryset.filter(**{name: value})
    return queryset


@router.post("", response={201: PerpetrationOut})
def create_perpetration(request: HttpRequest, payload: PerpetrationIn) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=payload.violation_id)
    person = (
        policy.get_or_404(user, Person, "view", pk=payload.person_id) if payload.person_id else None
    )
    unit = policy.get_or_404(user, Unit, "view", pk=payload.unit_id) if payload.unit_id else None
    perpetration = actions.add_perpetration(
        user,
        violation,
        person=person,
        unit=unit,
        involvement=payload.involvement,
        note=payload.note,
    )
    return Status(201, perpetration)


@router.get("/{int:perpetration_id}", response=PerpetrationOut)
def get_perpetration(request: HttpRequest, perpetration_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Perpetration, "view", pk=perpetration_id)


@router.delete("/{int:perpetration_id}", response={204: None})
def delete_perpetration(request: HttpRequest, perpetration_id: Id) -> Any:
    user = acting_user(request)
    perpetration = policy.get_or_404(
        user, Perpetration.objects.select_related("violation"), "view", pk=perpetration_id
    )
    actions.remove_perpetration(user, perpetration)
    return Status(204, None)
