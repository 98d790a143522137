"""Units (armed forces, police, groups) and their commanders over time.

Mounted by ``violations.api`` under ``/api/v1/``; reads through the policy, writes through actions.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, QueryText
from justicework.core import policy
from justicework.core.models import User
from justicework.violations import actions
from justicework.violations.api import subordinations
from justicework.violations.api.common import (
    acting_user,
    changes,
    organisation_or_404,
)
from justicework.violations.models import (
    Person,
    Unit,
    UnitCommander,
)
from justicework.violations.schemas import (
    CommanderIn,
    CommanderOut,
    CommanderPatch,
    UnitIn,
    UnitOut,
    UnitPatch,
)

router = Router(tags=["units"])


def _unit_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    if "parent_id" in data:
        pk = data.pop("parent_id")
        data["parent"] = policy.get_or_404(user, Unit, "view", pk=pk) if pk else None
    return {
        k: ("" if v is None and k in {"country", "description"} else v) for k, v in data.items()
    }


@router.get("", response=list[UnitOut])
@paginate(CursorPagination, ordering=("name",))
def list_units(
    request: HttpRequest,
    organisation: Id | None = None,
    kind: QueryText | None = None,
    parent: Id | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Unit, "view")
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if kind:
        queryset = queryset.filter(kind=kind)
    if parent:
        queryset = queryset.filter(parent_id=parent)
    return queryset


@router.post("", response={201: UnitOut})
def create_unit(request: HttpRequest, payload: UnitIn) -> Any:
    user = acting_user(request)
    org = organisation_or_404(user, payload.organisation_id, "create_unit")
    data = _unit_fields(user, payload.dict(exclude={"organisation_id"}))
    return Status(201, actions.create_unit(user, org, **data))


@router.get("/{int:unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Unit, "view", pk=unit_id)


@router.patch("/{int:unit_id}", response=UnitOut)
def update_unit(request: HttpRequest, unit_id: Id, payload: UnitPatch) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    return actions.update_unit(user, unit, **_unit_fields(user, changes(payload)))


@router.get("/{int:unit_id}/commanders", response=list[CommanderOut])
def list_commanders(request: HttpRequest, unit_id: Id) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    return list(
        policy.visible(user, UnitCommander, "view").filter(unit=unit).select_related("person")
    )


@router.post("/{int:unit_id}/commanders", response={201: CommanderOut})
def add_commander(request: HttpRequest, unit_id: Id, payload: CommanderIn) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    person = policy.get_or_404(user, Person, "view", pk=payload.person_id)
    data = payload.dict(exclude={"person_id"})
    return Status(201, actions.add_unit_commander(user, unit, person, **data))


@router.patch("/commanders/{int:command_id}", response=CommanderOut)
def update_commander(request: HttpRequest, command_id: Id, payload: CommanderPatch) -> Any:
    user = acting_user(request)
    command = policy.get_or_404(
        user, UnitCommander.objects.select_related("person"), "view", pk=command_id
    )
    data = changes(payload)
    if data.get("title") is None:
        data.pop("title", None)
    return actions.update_unit_commander(user, command, **data)


@router.delete("/commanders/{int:command_id}", response={204: None})
def remove_commander(request: HttpRequest, command_id: Id) -> Any:
    user = acting_user(request)
    command = policy.get_or_404(user, UnitCommander, "view", pk=command_id)
    actions.remove_unit_commander(user, command)
    return Status(204, None)


# The dated hierarchy's endpoints live in their own module, under this router's prefix.
subordinations.attach(router)
