"""Evidence links and verification findings: the links of items (listed, added, removed) and
findings added. Reads through the policy, writes through the actions; a target the caller may
not open, or of another organisation than the item's, is a 404 like a missing one."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import User
from justicework.evidence import actions, linked
from justicework.evidence.models import Finding, Item, Link

router = Router(tags=["evidence"])
findings_router = Router(tags=["evidence"])

Kind = Literal["incident", "violation", "person", "source"]


class EvidenceLinkOut(Schema):
    id: int
    item_id: int
    kind: str
    target_id: int
    created_at: dt.datetime


class EvidenceLinkIn(Schema):
    item_id: Id
    kind: Kind
    target_id: Id


class EvidenceFindingOut(Schema):
    id: int
    item_id: int
    level: str
    text: str
    confidence: str
    reviewer: str
    at: dt.datetime

    @staticmethod
    def resolve_reviewer(obj: Finding) -> str:
        return obj.reviewer_label


class EvidenceFindingIn(Schema):
    item_id: Id
    level: Literal["source", "item", "content"]
    confidence: Literal["low", "medium", "high"]
    text: str = Field(min_length=1, max_length=5000)


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


@router.get("", response=list[EvidenceLinkOut], operation_id="evidence_list_links")
@paginate(CursorPagination, ordering=("-created_at",))
def list_links(
    request: HttpRequest,
    item: Id | None = None,
    incident: Id | None = None,
    violation: Id | None = None,
    person: Id | None = None,
    source: Id | None = None,
) -> Any:
    """Links of the items the caller may open (``Link`` "view"), filtered."""
    links = policy.visible(_user(request), Link, "view")
    for name, value in [("item_id", item), ("incident_id", incident),
                        ("violation_id", violation), ("person_id", person),
                        ("source_id", source)]:  # fmt: skip
        if value:
            links = links.filter(**{name: value})
    return links


@router.post("", response={201: EvidenceLinkOut}, operation_id="evidence_create_link")
def create_link(request: HttpRequest, payload: EvidenceLinkIn) -> Any:
    user = _user(request)
    item = policy.get_or_404(user, Item, "view", pk=payload.item_id)
    target = policy.get_or_404(
        user, linked.candidates(user, item.organisation_id, payload.kind), "view",
        pk=payload.target_id,
    )  # fmt: skip
    return Status(201, actions.link_item(user, item, target))


@router.delete("/{link_id}", response={204: None}, operation_id="evidence_delete_link")
def delete_link(request: HttpRequest, link_id: Id) -> Any:
    user = _user(request)
    link = policy.get_or_404(user, Link.objects.select_related("item"), "view", pk=link_id)
    actions.unlink_item(user, link)
    return Status(204, None)


@findings_router.post(
    "", response={201: EvidenceFindingOut}, operation_id="evidence_create_finding"
)
def create_finding(request: HttpRequest, payload: EvidenceFindingIn) -> Any:
    user = _user(request)
    item = policy.get_or_404(user, Item, "view", pk=payload.item_id)
    finding = actions.record_finding(
        user, item, level=payload.level, text=payload.text, confidence=payload.confidence
    )
    return Status(201, finding)
