"""Recorded grant decisions are final: UPDATE and DELETE on ``grants_decision`` are refused in
the database (``core/append_only.py``). TRUNCATE is left alone: it is no path of the application.
A migration that makes Django rebuild the table on SQLite drops them: such a migration must call
:func:`install` again."""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.db.backends.base.base import BaseDatabaseWrapper

from justicework.core.append_only import RefusedChanges

TABLES = ("grants_decision",)
MESSAGE = "grant decisions are final: UPDATE and DELETE are refused"
TRIGGERS = RefusedChanges(TABLES, MESSAGE, "grants_refuse_change")


def install(connection: BaseDatabaseWrapper) -> None:
    TRIGGERS.install(connection)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    TRIGGERS.uninstall(connection)


def suspended(connection: BaseDatabaseWrapper) -> AbstractContextManager[None]:
    """Lift the triggers inside the block (tests only) and put them back after, even on error."""
    return TRIGGERS.suspended(connection)
