"""Evidence items: the list (the one query path, ``queries.search_items``), one item with its
hashes, collection record, custody log, links and findings (a removed item says so,
``removed``, and the detail gives its tombstone), a change of its verification status, and the
custody events a client causes: the original's bytes downloaded, a copy to a partner
organisation, a hand-over to an outside body."""

import datetime as dt
import logging
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, InputSchema, QueryText, choices
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence import actions, linked
from justicework.evidence.downloads import original_response
from justicework.evidence.intake.errors import IntakeError
from justicework.evidence.models import CustodyEntry, Item, Tombstone, Transfer
from justicework.evidence.queries import Filters, search_items
from justicework.evidence.rules import is_tombstone
from justicework.evidence.storage.originals import OriginalDamaged

log = logging.getLogger(__name__)
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


class TombstoneOut(Schema):
    """What is left of an item whose file was removed for legal reasons."""

    requested_by: str
    requested_at: dt.datetime
    approved_by: str
    approved_at: dt.datetime
    reason: str
    legal_basis: str

    @staticmethod
    def resolve_requested_by(obj: Tombstone) -> str:
        return obj.requested_by.email

    @staticmethod
    def resolve_approved_by(obj: Tombstone) -> str:
        return obj.approved_by.email

    @staticmethod
    def resolve_reason(obj: Tombstone) -> str:
        return obj.request.reason

    @staticmethod
    def resolve_legal_basis(obj: Tombstone) -> str:
        return obj.request.legal_basis


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
    #: shows violence or injury: clients should blur its pictures until asked (docs/evidence.md)
    graphic: bool
    created_at: dt.datetime
    #: true when the file was removed (two-person procedure): hashes, size and type remain
    removed: bool

    @staticmethod
    def resolve_removed(obj: Item) -> bool:
        return is_tombstone(obj)

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
    tombstone: TombstoneOut | None
    links: list[ItemLinkOut]
    findings: list[ItemFindingOut]

    @staticmethod
    def resolve_tombstone(obj: Item) -> Tombstone | None:
        return obj.tombstone if is_tombstone(obj) else None

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
    """The item's detail; reading it is custody entry "viewed" (channel ``api``), as opening
    its page is."""
    user = _user(request)
    item = policy.get_or_404(
        user,
        Item.objects.select_related(
            "original", "tombstone__request", "tombstone__requested_by", "tombstone__approved_by"
        ),
        "view",
        pk=item_id,
    )
    actions.record_view(user, item, channel="api")
    return item


@router.post("/{item_id}/status", response=ItemOut, operation_id="evidence_set_item_status")
def set_status(request: HttpRequest, item_id: Id, payload: ItemStatusIn) -> Any:
    """Move the item's verification status (``evidence.verification``: the machine and the
    two-person rule); a refused transition is a 422 naming ``status``."""
    user = _user(request)
    item = policy.get_or_404(user, Item.objects.select_related("original"), "view", pk=item_id)
    return actions.set_status(user, item, payload.status, note=payload.note)


# --- custody: the original's bytes, a copy to a partner, a hand-over ---------------------------


class ItemCopyIn(InputSchema):
    #: the organisation receiving the copy (the caller uploads there: ``evidence.upload``)
    organisation_id: Id


TransferMethod = choices("TransferMethod", Transfer.Method)


class TransferIn(InputSchema):
    recipient_name: str = Field(max_length=200)
    institution: str = Field(max_length=300)
    method: TransferMethod  # type: ignore[valid-type]  # an enum made at import (api.types)
    recipient_reference: str = Field(default="", max_length=200)
    #: with its offset (2024-03-01T14:30:00+02:00); not in the future
    handed_over_at: dt.datetime
    note: str = Field(default="", max_length=4000)


class TransferOut(Schema):
    id: int
    item_id: int
    recipient_name: str
    institution: str
    method: str
    recipient_reference: str
    handed_over_at: dt.datetime
    note: str
    recorded_at: dt.datetime


def _live(user: User, item_id: int) -> Item:
    return policy.get_or_404(
        user, Item.objects.select_related("original", "organisation"), "view", pk=item_id
    )


@router.get("/{item_id}/original", operation_id="evidence_download_original")
def download_original(request: HttpRequest, item_id: Id) -> FileResponse:
    """The original's bytes as received (decrypted when stored sealed), as an attachment;
    recorded as custody entry "downloaded" (channel ``api``). A removed item is a 403 naming
    its tombstone."""
    user = _user(request)
    item = _live(user, item_id)
    try:
        stream = actions.download_original(user, item, channel="api")
    except FileNotFoundError:
        raise Http404 from None
    return original_response(stream, item)


@router.post(
    "/{item_id}/copy", response={201: ItemOut}, operation_id="evidence_copy_item_to_organisation"
)
def copy_item(request: HttpRequest, item_id: Id, payload: ItemCopyIn) -> Any:
    """Copy the item to a partner organisation of the coalition on this instance (``copy`` on
    the item, ``evidence.upload`` there); the new item, with its own chain of custody."""
    user = _user(request)
    item = _live(user, item_id)
    target = policy.get_or_404(user, Organisation, "evidence.upload", pk=payload.organisation_id)
    try:
        return Status(201, actions.copy_item(user, item, target))
    except IntakeError as exc:
        raise ValidationError({"organisation_id": [exc.message]}) from exc
    except (OriginalDamaged, FileNotFoundError) as exc:  # the store's fault, not the request's
        log.error("the original of item %s could not be read to copy it", item.pk)
        raise HttpError(
            409, _("The original could not be read from the store (missing or damaged: evidence "
                   "fsck names it); nothing was copied."),
        ) from exc  # fmt: skip


@router.post(
    "/{item_id}/transfers", response={201: TransferOut}, operation_id="evidence_record_transfer"
)
def record_transfer(request: HttpRequest, item_id: Id, payload: TransferIn) -> Any:
    """Record a hand-over of the item to an outside body (a court, a UN mechanism, a
    prosecutor): custody entry "transferred"; a bad field is a 422 naming it."""
    user = _user(request)
    item = _live(user, item_id)
    return Status(201, actions.record_transfer(user, item, payload.model_dump(mode="json")))
