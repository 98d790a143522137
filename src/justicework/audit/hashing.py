"""The audit chain's hashes: what an entry's hash covers and how it is keyed.

``hash = HMAC-SHA256(audit key, prev_hash ‖ canonical JSON of the entry)``; entries written before
the chain was keyed use plain SHA-256 (:func:`legacy_hash`); the sealed head's MAC is
:func:`head_mac`. Appending lives in :mod:`justicework.audit.chain`, walking in
:mod:`justicework.audit.verify`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from justicework.audit.canonical import canonical_text as _canonical
from justicework.audit.models import AuditEntry
from justicework.keyfiles import audit_key

GENESIS_HASH = "0" * 64


def canonical_json(data: Mapping[str, Any]) -> bytes:
    return _canonical(data).encode("utf-8")


def entry_payload(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    diff: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "organisation_id": organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "diff": diff,
    }


@functools.cache
def _pads(key: bytes) -> tuple[Any, Any]:
    """HMAC-SHA256's inner and outer hashes with the key's padded blocks already fed (RFC 2104):
    copying them per entry is a third of the cost of ``hmac.new``, for the same digest."""
    block = key.ljust(64, b"\0")  # the audit key is 32 bytes: shorter than SHA-256's block
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner, outer


class _Keyed:
    """HMAC-SHA256 under the audit key, fed ``prev_hash`` first (the caller feeds the rest);
    ``hexdigest`` equals ``hmac.new(audit_key(), message, "sha256").hexdigest()``."""

    __slots__ = ("inner", "outer")

    def __init__(self, prev_hash: str) -> None:
        inner, self.outer = _pads(audit_key())
        self.inner = inner.copy()
        self.inner.update(prev_hash.encode("ascii"))

    def update(self, data: bytes) -> None:
        self.inner.update(data)

    def hexdigest(self) -> str:
        outer = self.outer.copy()
        outer.update(self.inner.digest())
        return str(outer.hexdigest())


def compute_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """The keyed hash of an entry: HMAC-SHA256 under the audit key (:class:`_Keyed`, inlined:
    ``audit verify`` calls it for every entry)."""
    inner, outer = _pads(audit_key())
    digest = inner.copy()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_json(payload))
    result = outer.copy()
    result.update(digest.digest())
    return str(result.hexdigest())


def head_mac(seq: int, entry_hash: str) -> str:
    """The seal of the head ``(seq, hash)``: HMAC-SHA256 under the audit key (``AuditHead``)."""
    inner, outer = _pads(audit_key())
    digest = inner.copy()
    digest.update(f"justicework-audit-head:{seq}:{entry_hash}".encode("ascii"))
    result = outer.copy()
    result.update(digest.digest())
    return str(result.hexdigest())


def legacy_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """The unkeyed hash of entries written before the chain was keyed (plain SHA-256)."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_json(payload))
    return digest.hexdigest()


def payload_of(entry: AuditEntry) -> dict[str, Any]:
    return entry_payload(
        seq=entry.seq,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        organisation_id=entry.organisation_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        diff=entry.diff,
    )
