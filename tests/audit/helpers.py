"""Tampering helpers: raw SQL against the audit table with its triggers lifted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from justicework.audit import triggers
from justicework.audit.chain import record
from justicework.audit.models import AuditEntry

COLUMNS = (
    "created_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "diff",
    "prev_hash",
    "hash",
)


def append(count: int, *, organisation_id: int | None = None) -> list[AuditEntry]:
    return [
        record(
            None,
            "test.thing.changed",
            object_type="test.thing",
            object_id=str(i),
            organisation_id=organisation_id,
            diff={"status": ["draft", f"v{i}"]},
        )
        for i in range(count)
    ]


def tamper(sql: str, params: Sequence[Any] = ()) -> None:
    with triggers.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def swap_content(seq_a: int, seq_b: int) -> None:
    """Swap every column except id and seq between two rows (a reordering).
    Column names are the constants above, never input (hence the S608 waivers)."""
    with triggers.suspended(connection), connection.cursor() as cursor:
        cols = ", ".join(COLUMNS)
        cursor.execute(f"SELECT {cols} FROM audit_auditentry WHERE seq = %s", [seq_a])  # noqa: S608
        row_a = cursor.fetchone()
        cursor.execute(f"SELECT {cols} FROM audit_auditentry WHERE seq = %s", [seq_b])  # noqa: S608
        row_b = cursor.fetchone()
        assignments = ", ".join(f"{c} = %s" for c in COLUMNS)
        # hash is unique: park row a's hash first.
        cursor.execute("UPDATE audit_auditentry SET hash = 'parked' WHERE seq = %s", [seq_a])
        cursor.execute(
            f"UPDATE audit_auditentry SET {assignments} WHERE seq = %s",  # noqa: S608
            [*row_a, seq_b],
        )
        cursor.execute(
            f"UPDATE audit_auditentry SET {assignments} WHERE seq = %s",  # noqa: S608
            [*row_b, seq_a],
        )


def insert_unkeyed(count: int, *, action: str = "test.thing.changed") -> list[AuditEntry]:
    """Append ``count`` entries hashed with plain SHA-256 (no key), by INSERT alone: what a chain
    written before the audit key existed holds, and what someone with only the database can
    forge."""
    from django.utils import timezone

    from justicework.audit.chain import GENESIS_HASH, legacy_hash, payload_of

    last = AuditEntry.objects.order_by("-seq").first()
    seq, prev = (0, GENESIS_HASH) if last is None else (last.seq, last.hash)
    made = []
    for i in range(count):
        entry = AuditEntry(
            seq=seq + i + 1,
            created_at=timezone.now(),
            actor_label="system",
            action=action,
            object_type="test.thing",
            object_id=str(i),
            diff={"status": ["draft", f"u{i}"]},
            prev_hash=prev,
        )
        entry.hash = prev = legacy_hash(entry.prev_hash, payload_of(entry))
        entry.save(force_insert=True)
        made.append(entry)
    return made
