"""Creating an evidence item for a stored original (from a finished upload)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.actors import Actor
from justicework.core.models import Organisation
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.models import CustodyEntry, Item, Original

E = CustodyEntry.Event


def _original(*, sha256: str, vault: int | None = None, **fields: Any) -> Original:
    """The Original row for these bytes (sealed for ``vault``, or plain): the existing one, or
    a new one (the file is stored); ``fields``: sha512, size, media_type, storage_key and
    where it is stored (backend, lock_mode, retain_until)."""
    existing = Original.objects.filter(sha256=sha256, vault_id=vault).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Original.objects.create(sha256=sha256, vault_id=vault, **fields)
    except IntegrityError:  # stored meanwhile by another upload of the same bytes
        return Original.objects.get(sha256=sha256, vault_id=vault)


@transaction.atomic
def create_item(
    actor: Actor,
    organisation: Organisation,
    *,
    original: dict[str, Any],
    display_name: str,
    submitted_name: str,
    extension_matches: bool | None,
    record_fields: dict[str, Any],
    received: dict[str, Any],
    graphic: bool = False,
    collected_entry: bool = True,
) -> Item:
    """An item of ``organisation`` holding the original described by ``original`` (sha256,
    sha512, size, media_type, storage_key), with its collection record, and its first custody
    entries: "collected" (when a collection record was given and ``collected_entry``: a copy
    from a partner carries the record, not a new collection), "received", and "sealed" when
    the stored original is encrypted or under object lock."""
    if actor is not None:
        policy.require(actor, "evidence.upload", organisation)
    stored = _original(**original)
    item = Item(
        organisation=organisation, original=stored, display_name=display_name,
        submitted_name=submitted_name, extension_matches=extension_matches,
        uploaded_by=actor, graphic=graphic, **record_fields,
    )  # fmt: skip
    item.full_clean(exclude=["organisation", "original", "uploaded_by"])
    item.save()
    record(
        actor,
        "evidence.item.created",
        item,
        diff={"sha256": stored.sha256, "size": stored.size, "media_type": stored.media_type,
              "graphic": graphic},
        organisation_id=organisation.pk,
    )  # fmt: skip
    if record_fields and collected_entry:
        append_custody(actor, item, E.COLLECTED, _collected_detail(item))
    append_custody(actor, item, E.RECEIVED, {"sha256": stored.sha256, **received})
    if stored.encrypted or stored.lock_mode:
        append_custody(actor, item, E.SEALED, sealed_detail(stored))
    if not hasattr(stored, "provenance"):
        transaction.on_commit(partial(_enqueue_provenance, stored.pk))
    return item


def _enqueue_provenance(original_id: int) -> None:
    """A new original: read its provenance, then make its derivatives (two tasks)."""
    from justicework.evidence.tasks import extract_provenance_task, make_derivatives_task

    extract_provenance_task.enqueue(original_id)
    make_derivatives_task.enqueue(original_id)


@transaction.atomic
def set_graphic(actor: Actor, item: Item, graphic: bool) -> Item:
    """Mark ``item`` as graphic (its thumbnails and previews blurred in every view until the
    reader chooses to see them) or not; audited with the old and new value."""
    policy.require(actor, "mark_graphic", item)
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if locked.graphic != graphic:
        Item.objects.filter(pk=item.pk).update(graphic=graphic)
        record(
            actor,
            "evidence.item.graphic",
            item,
            diff={"graphic": [locked.graphic, graphic]},
            organisation_id=item.organisation_id,
        )
    item.graphic = graphic
    return item


def sealed_detail(original: Original) -> dict[str, Any]:
    """How the item's original is protected at rest: sealed under its organisation's data key
    (AES-GCM, ``EVIDENCE_ENCRYPT``) and/or write-once under the store's object lock."""
    until = original.retain_until
    return {
        "encrypted": original.encrypted,
        "lock_mode": original.lock_mode,
        "retain_until": until.isoformat() if until else None,
    }


def _collected_detail(item: Item) -> dict[str, Any]:
    return {
        "collector": item.collector,
        "collected_at": item.collected_at.isoformat() if item.collected_at else None,
        "tool": item.collection_tool,
        "source_url": item.source_url,
        "method": item.collection_method,
        "sha256_at_collection": item.sha256_at_collection,
    }
