"""The chain of custody, the tombstones and the hand-over records are append-only: UPDATE,
DELETE and TRUNCATE on ``evidence_custodyentry``, ``evidence_tombstone`` and ``evidence_transfer``
are refused in the database (``core/append_only.py``, the same design as the audit log's).
The custody chain's hashes (checked on every item page and by ``justicework evidence fsck``) and
the audit entries that carry each custody hash detect a dropped trigger."""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.db.backends.base.base import BaseDatabaseWrapper

from justicework.core.append_only import RefusedChanges

TABLES = ("evidence_custodyentry", "evidence_tombstone", "evidence_transfer")
MESSAGE = (
    "evidence custody entries, tombstones and hand-overs are append-only: UPDATE and DELETE are "
    "refused"
)
TRIGGERS = RefusedChanges(TABLES, MESSAGE, "evidence_refuse_change", truncate=True)


def install(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = TABLES) -> None:
    """Put the triggers on ``tables`` (a migration names the tables that exist at its point)."""
    TRIGGERS.install(connection, tables)


def uninstall(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = TABLES) -> None:
    TRIGGERS.uninstall(connection, tables)


def installed(connection: BaseDatabaseWrapper) -> bool:
    return TRIGGERS.installed(connection)


def suspended(connection: BaseDatabaseWrapper) -> AbstractContextManager[None]:
    """Lift the triggers inside the block (tests only) and put them back after, even on error."""
    return TRIGGERS.suspended(connection)
