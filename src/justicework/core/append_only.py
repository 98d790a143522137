"""Database triggers that refuse UPDATE and DELETE (and, where asked, TRUNCATE on PostgreSQL) on
a set of tables, by the application's role and the owner's alike: evidence custody records and
grant decisions use them (the audit log has its own, ``audit/triggers.py``, with a lock-down of
privileges besides). Someone who owns the database can still drop a trigger; what detects that
is each app's own check (custody hashes, audit entries).

A migration that makes Django rebuild one of these tables on SQLite (``AlterField`` of a real
column) drops its triggers: such a migration must call :meth:`RefusedChanges.install` again.
:meth:`RefusedChanges.suspended` lifts them for one block; only tests use it (to tamper on
purpose, and to let the test runner empty tables after transactional tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass(frozen=True)
class RefusedChanges:
    """The triggers of one app: its tables, the message a refused change raises, the name of
    its PostgreSQL function, and whether TRUNCATE is refused too."""

    tables: tuple[str, ...]
    message: str
    function: str
    truncate: bool = False

    def _postgres_function(self) -> str:
        return f"""CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{self.message} (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$"""

    def _postgres(self, table: str, *, install: bool) -> list[str]:
        out = [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}"]
        if install:
            out.append(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {self.function}()"
            )
        if self.truncate:
            out.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            if install:
                out.append(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {self.function}()"
                )
        return out

    def _sqlite(self, table: str, *, install: bool) -> list[str]:
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
            if install
            else f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()}"
            for verb in ("UPDATE", "DELETE")
        ]

    def statements(
        self, connection: BaseDatabaseWrapper, *, install: bool, tables: tuple[str, ...] = ()
    ) -> list[str]:
        """The SQL that installs (or removes) the triggers on ``tables`` (default: all)."""
        chosen = tables or self.tables
        if connection.vendor == "sqlite":
            return [s for t in chosen for s in self._sqlite(t, install=install)]
        if connection.vendor != "postgresql":
            raise NotImplementedError(
                f"No triggers for {self.function} on database vendor {connection.vendor!r}."
            )
        body = [s for t in chosen for s in self._postgres(t, install=install)]
        if install:
            return [self._postgres_function(), *body]
        # the function goes only with the last of its triggers
        drop = [f"DROP FUNCTION IF EXISTS {self.function}()"] if chosen == self.tables else []
        return [*body, *drop]

    def install(self, connection: BaseDatabaseWrapper, tables: tuple[str, ...] = ()) -> None:
        """Put the triggers on ``tables`` (a migration names the tables that exist at its
        point; default: all)."""
        with connection.cursor() as cursor:
            for statement in self.statements(connection, install=True, tables=tables):
                cursor.execute(statement)

    def uninstall(self, connection: BaseDatabaseWrapper, tables: tuple[str, ...] = ()) -> None:
        with connection.cursor() as cursor:
            for statement in self.statements(connection, install=False, tables=tables):
                cursor.execute(statement)

    def installed(self, connection: BaseDatabaseWrapper) -> bool:
        """Are all the triggers in place (and enabled) on every table?"""
        expected = 2 if connection.vendor == "sqlite" or self.truncate else 1
        with connection.cursor() as cursor:
            for table in self.tables:
                if connection.vendor == "sqlite":
                    cursor.execute(
                        "SELECT count(*) FROM sqlite_master "
                        "WHERE type = 'trigger' AND tbl_name = %s",
                        [table],
                    )
                else:
                    cursor.execute(
                        "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
                        "AND NOT tgisinternal AND tgenabled <> 'D'",
                        [table],
                    )
                if int(cursor.fetchone()[0]) != expected:
                    return False
        return True

    @contextmanager
    def suspended(self, connection: BaseDatabaseWrapper) -> Iterator[None]:
        """Lift the triggers inside the block and put them back after, even on error."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # ALTER TABLE refuses a table with deferred foreign-key checks still pending
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in self.tables:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                for statement in self.statements(connection, install=False):
                    cursor.execute(statement)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    for table in self.tables:
                        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                else:
                    for statement in self.statements(connection, install=True):
                        cursor.execute(statement)
