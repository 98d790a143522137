"""Appending to an item's chain of custody (each entry also an audit entry)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from justicework.audit.chain import record
from justicework.core.actors import Actor
from justicework.evidence import custody
from justicework.evidence.models import CustodyEntry, Item


@transaction.atomic
def append_custody(
    actor: Actor, item: Item, event: str, detail: dict[str, Any] | None = None
) -> CustodyEntry:
    """Add ``event`` to ``item``'s chain, after its last entry, and to the audit log. The item's
    row is locked (PostgreSQL) so two appends on one item take turns."""
    list(Item.objects.select_for_update().filter(pk=item.pk).values_list("pk", flat=True))
    last = CustodyEntry.objects.filter(item=item).order_by("-seq").first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, custody.GENESIS)
    label = "" if actor is None else actor.email
    entry = CustodyEntry(
        item=item, seq=seq, event=event, actor=actor, actor_label=label,
        at=timezone.now(), detail=dict(detail or {}), prev_hash=prev,
    )  # fmt: skip
    entry.hash = custody.entry_hash(entry)
    entry.save()
    record(
        actor,
        f"evidence.custody.{event}",
        item,
        diff={"seq": seq, "hash": entry.hash, **entry.detail},
        organisation_id=item.organisation_id,
    )
    return entry
