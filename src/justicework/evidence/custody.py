"""The custody chain's hashes (no database writes here; appending is ``actions.custody``).

``hash = SHA-256(prev_hash ‖ canonical JSON of the entry)``, chained per item from 64 zeros,
the canonical JSON the audit log's (``audit.canonical``: keys sorted, no spaces, UTF-8). The
entry covers the item, its sequence number, the event, who, when and the event's detail, so
changing, removing or reordering any entry breaks every hash after it; ``problems`` names the
first entry that does not verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from justicework.audit.hashing import canonical_json
from justicework.evidence.models import CustodyEntry

GENESIS = "0" * 64


def payload(
    *, item_id: int, seq: int, event: str, actor_id: int | None, actor_label: str,
    at: dt.datetime, detail: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    return {
        "item": item_id,
        "seq": seq,
        "event": event,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "detail": detail,
    }


def chain_hash(prev_hash: str, data: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(data)).hexdigest()


def entry_hash(entry: CustodyEntry) -> str:
    data = payload(
        item_id=entry.item_id, seq=entry.seq, event=entry.event, actor_id=entry.actor_id,
        actor_label=entry.actor_label, at=entry.at, detail=entry.detail,
    )  # fmt: skip
    return chain_hash(entry.prev_hash, data)


def problems(entries: Iterable[CustodyEntry]) -> list[str]:
    """What is wrong with one item's entries in ``seq`` order ([] when the chain holds)."""
    found: list[str] = []
    prev, expected_seq = GENESIS, 1
    for entry in entries:
        if entry.seq != expected_seq:
            found.append(f"entry {entry.seq}: expected sequence number {expected_seq}")
        if entry.prev_hash != prev:
            found.append(f"entry {entry.seq}: does not follow the previous entry's hash")
        if entry_hash(entry) != entry.hash:
            found.append(f"entry {entry.seq}: its hash does not match its content")
        prev, expected_seq = entry.hash, entry.seq + 1
    return found
