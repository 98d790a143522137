"""Evidence items: the list (the one query path, ``queries.search_items``), one item with its
hashes, collection record, custody log, links and findings, and a change of its verification
status."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, QueryText
from justicework.core import policy
from justicework.core.models import User
from justicework.evidence import actions, linked
from justicework.evidence.models import CustodyEntry, Item
from justicework.evidence.queries import Filters, search_items

router = Router(tags=["evidence"])


class CustodyOut(Schema):
    seq: int
    event: str
    at: dt.datetime
    actor: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_actor(obj: CustodyEntry) -> str:
        return obj.actor_label


class ItemOut(Schema):
    id: int
    organisation_id: int
    name: str
    sha256: str
    sha512: str
    size: int
    media_type: str
    extension_matches: bool | None
    status: str
    created_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Item) -> str:
        return obj.display_name

    @staticmethod
    def resolve_sha256(obj: Item) -> str:
        return obj.original.sha256

    @staticmethod
    def resolve_sha512(obj: Item) -> str:
        return obj.original.sha512

    @staticmethod
    def resolve_size(obj: Item) -> int:
        return obj.original.size

    @staticmethod
    def resolve_media_type(obj: Item) -> str:
        return obj.original.media_type


class ItemLinkOut(Schema):
    id: int
    kind: str
    target_id: int
    restricted: bool  # the caller may not open the record linked to
    reference: dict[str, Any]  # an incident's reference, a person's code (never an identity)
    created_at: dt.datetime


class ItemFindingOut(Schema):
    id: int
    level: str
    text: str
    confidence: str
    reviewer: str
    at: dt.datetime


class ItemStatusIn(Schema):
    status: Literal["unverified", "in_review", "verified", "disputed"]
    note: str = Field(default="", max_length=5000)


class ItemDetailOut(ItemOut):
    submitted_name: str
    collector: str
    collected_at: dt.datetime | None
    collection_tool: str
    source_url: str
    collection_method: str
    sha256_at_collection: str
    custody: list[CustodyOut]
    links: list[ItemLinkOut]
    findings: list[ItemFindingOut]

    @staticmethod
    def resolve_custody(obj: Item) -> list[CustodyEntry]:
        return list(obj.custody.order_by("seq"))

    @staticmethod
    def resolve_links(obj: Item, context: Any) -> list[dict[str, Any]]:
        rows = linked.item_links(context["request"].user, obj)
        return [
            {"id": row.link.pk, "kind": row.link.kind, "target_id": row.link.target_id,
             "restricted": row.restricted, "reference": row.reference,
             "created_at": row.link.created_at}
            for row in rows
        ]  # fmt: skip

    @staticmethod
    def resolve_findings(obj: Item) -> list[dict[str, Any]]:
        return [
            {"id": f.pk, "level": f.level, "text": f.text, "confidence": f.confidence,
             "reviewer": f.reviewer_label, "at": f.at}
            for f in obj.findings.order_by("at", "pk")
        ]  # fmt: skip


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


@router.get("", response=list[ItemOut], operation_id="evidence_list_items")
@paginate(CursorPagination, ordering=("-created_at",))
def list_items(
    request: HttpRequest,
    organisation: Id | None = None,
    sha256: QueryText | None = None,
    media_type: QueryText | None = None,
) -> Any:
    filters = Filters(
        organisation_id=organisation, sha256=sha256 or "", media_type=media_type or ""
    )
    return search_items(_user(request), filters)


@router.get("/{item_id}", response=ItemDetailOut, operation_id="evidence_get_item")
def get_item(request: HttpRequest, item_id: Id) -> Any:
    return policy.get_or_404(
        _user(request), Item.objects.select_related("original"), "view", pk=item_id
    )


@router.post("/{item_id}/status", response=ItemOut, operation_id="evidence_set_item_status")
def set_status(request: HttpRequest, item_id: Id, payload: ItemStatusIn) -> Any:
    """Move the item's verification status (``evidence.verification``: the machine and the
    two-person rule); a refused transition is a 422 naming ``status``."""
    user = _user(request)
    item = policy.get_or_404(user, Item.objects.select_related("original"), "view", pk=item_id)
    return actions.set_status(user, item, payload.status, note=payload.note)
