"""Database triggers that make the chain of custody, the tombstones and the hand-over records
append-only: UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on ``evidence_custodyentry``,
``evidence_tombstone`` and ``evidence_transfer`` are refused, by the application's role and the
owner's alike (the same design as the audit log's, ``audit/triggers.py``). Someone who owns the
database can still drop a trigger: the custody chain's hashes (checked on every item page and
by ``justicework evidence fsck``) and the audit entries that carry each custody hash are what
detect that.

A migration that makes Django rebuild one of these tables on SQLite (``AlterField`` of a real
column) drops its triggers: such a migration must call :func:`install` again.

:func:`suspended` lifts the triggers for one block; only tests use it (to tamper on purpose, and
to let the test runner empty tables after transactional tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("evidence_custodyentry", "evidence_tombstone", "evidence_transfer")
MESSAGE = (
    "evidence custody entries, tombstones and hand-overs are append-only: UPDATE and DELETE are "
    "refused"
)
FUNCTION = "evidence_refuse_change"


def _sqlite_install(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
        for verb in ("UPDATE", "DELETE")
    ]


def _sqlite_uninstall(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb}" for verb in ("update", "delete")]


def _postgres_install(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()""",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
    ]


def _postgres_uninstall(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$"""


def _statements(
    connection: BaseDatabaseWrapper, *, install: bool, tables: tuple[str, ...] = TABLES
) -> list[str]:
    if connection.vendor == "sqlite":
        make = _sqlite_install if install else _sqlite_uninstall
        return [statement for table in tables for statement in make(table)]
    if connection.vendor == "postgresql":
        if install:
            return [POSTGRES_FUNCTION, *(s for t in tables for s in _postgres_install(t))]
        drop = [] if tables != TABLES else [f"DROP FUNCTION IF EXISTS {FUNCTION}()"]
        return [*(s for t in tables for s in _postgres_uninstall(t)), *drop]
    raise NotImplementedError(f"No evidence triggers for database vendor {connection.vendor!r}.")


def install(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = TABLES) -> None:
    """Put the triggers on ``tables`` (a migration names the tables that exist at its point)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True, tables=tables):
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = TABLES) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False, tables=tables):
            cursor.execute(statement)


def installed(connection: BaseDatabaseWrapper) -> bool:
    """Are both triggers in place (and enabled) on every append-only table?"""
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
                    "AND NOT tgisinternal AND tgenabled <> 'D'",
                    [table],
                )
            if int(cursor.fetchone()[0]) != 2:
                return False
    return True


@contextmanager
def suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the triggers inside the block and put them back after, even on error."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses a table with deferred foreign-key checks still pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for statement in _statements(connection, install=False):
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            else:
                for statement in _statements(connection, install=True):
                    cursor.execute(statement)
