"""The dated hierarchy of units: the periods a unit was part of another, mounted on the units
router by :func:`attach` (``/api/v1/units/{unit_id}/subordinations`` and
``/api/v1/units/subordinations/{subordination_id}``).

Reads through the policy (``view`` of the unit), writes through actions (``change`` of the
unit); a bad period is a 422 naming the field (``valid_to``, ``parent_id``, ``valid_from``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id, InputSchema
from justicework.core import policy
from justicework.core.models import User
from justicework.violations import actions
from justicework.violations.api.common import acting_user, changes
from justicework.violations.models import Source, Unit, UnitSubordination


class SubordinationIn(InputSchema):
    parent_id: Id
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source_id: Id | None = None
    note: str = Field("", max_length=2000)


class SubordinationPatch(InputSchema):
    parent_id: Id | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source_id: Id | None = None
    note: str | None = Field(None, max_length=2000)


class SubordinationOut(Schema):
    id: int
    unit_id: int
    parent_id: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    source_id: int | None
    note: str


def _resolve(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Ids to records the caller may see (404 otherwise); ``note: null`` leaves the note."""
    if "parent_id" in data:
        pk = data.pop("parent_id")
        if pk is not None:
            data["parent"] = policy.get_or_404(user, Unit, "view", pk=pk)
    if "source_id" in data:
        pk = data.pop("source_id")
        data["source"] = policy.get_or_404(user, Source, "view", pk=pk) if pk else None
    if data.get("note", "") is None:
        data.pop("note")
    return data


def list_subordinations(request: HttpRequest, unit_id: Id) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    return list(policy.visible(user, UnitSubordination, "view").filter(unit=unit))


def add_subordination(request: HttpRequest, unit_id: Id, payload: SubordinationIn) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    data = _resolve(user, payload.dict())
    parent = data.pop("parent")
    return Status(201, actions.add_unit_subordination(user, unit, parent, **data))


def update_subordination(
    request: HttpRequest, subordination_id: Id, payload: SubordinationPatch
) -> Any:
    user = acting_user(request)
    sub = policy.get_or_404(user, UnitSubordination, "view", pk=subordination_id)
    return actions.update_unit_subordination(user, sub, **_resolve(user, changes(payload)))


def remove_subordination(request: HttpRequest, subordination_id: Id) -> Any:
    user = acting_user(request)
    sub = policy.get_or_404(user, UnitSubordination, "view", pk=subordination_id)
    actions.remove_unit_subordination(user, sub)
    return Status(204, None)


def attach(router: Router) -> None:
    """Mount these operations on the units router (one prefix, one router)."""
    router.get(
        "/{int:unit_id}/subordinations",
        response=list[SubordinationOut],
        operation_id="justicework_violations_api_list_subordinations",
    )(list_subordinations)
    router.post(
        "/{int:unit_id}/subordinations",
        response={201: SubordinationOut},
        operation_id="justicework_violations_api_add_subordination",
    )(add_subordination)
    router.patch(
        "/subordinations/{int:subordination_id}",
        response=SubordinationOut,
        operation_id="justicework_violations_api_update_subordination",
    )(update_subordination)
    router.delete(
        "/subordinations/{int:subordination_id}",
        response={204: None},
        operation_id="justicework_violations_api_remove_subordination",
    )(remove_subordination)
