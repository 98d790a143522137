"""Victim groups: many unnamed victims of one act (``/victim-groups``).

Mounted by ``violations.api`` under ``/api/v1/``; reads through the policy, writes through actions.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id
from justicework.core import policy
from justicework.violations import actions
from justicework.violations.api.common import (
    acting_user,
    changes,
    organisation_or_404,
)
from justicework.violations.models import (
    VictimGroup,
)
from justicework.violations.schemas import (
    GroupIn,
    GroupOut,
    GroupPatch,
)

router = Router(tags=["victim groups"])


@router.get("", response=list[GroupOut])
@paginate(CursorPagination, ordering=("-created_at",))
def list_groups(request: HttpRequest, organisation: Id | None = None) -> Any:
    queryset = policy.visible(acting_user(request), VictimGroup, "view")
    return queryset.filter(organisation_id=organisation) if organisation else queryset


@router.post("", response={201: GroupOut})
def create_group(request: HttpRequest, payload: GroupIn) -> Any:
    user = acting_user(request)
    org = organisation_or_404(user, payload.organisation_id, "create_victim_group")
    data = payload.dict(exclude={"organisation_id"})
    return Status(201, actions.create_victim_group(user, org, **data))


@router.get("/{int:group_id}", response=GroupOut)
def get_group(request: HttpRequest, group_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), VictimGroup, "view", pk=group_id)


@router.patch("/{int:group_id}", response=GroupOut)
def update_group(request: HttpRequest, group_id: Id, payload: GroupPatch) -> Any:
    user = acting_user(request)
    group = policy.get_or_404(user, VictimGroup, "view", pk=group_id)
    return actions.update_victim_group(user, group, **changes(payload))
