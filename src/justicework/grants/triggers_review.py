"""Database triggers that make recorded decisions final: UPDATE and DELETE on ``grants_decision``
are refused, by the application's role and the owner's alike (the design of
``evidence.triggers``). TRUNCATE is left alone: it is no path of the application, and the test
runner empties tables with it between transactional tests. A migration that makes Django
rebuild the table on SQLite drops them: such a migration must call :func:`install` again."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("grants_decision",)
MESSAGE = "grant decisions are final: UPDATE and DELETE are refused"
FUNCTION = "grants_refuse_change"

POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$"""


def _statements(connection: BaseDatabaseWrapper, *, install: bool) -> list[str]:
    out: list[str] = []
    if connection.vendor == "sqlite":
        for table in TABLES:
            for verb in ("UPDATE", "DELETE"):
                name = f"{table}_no_{verb.lower()}"
                out.append(
                    f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                    if install
                    else f"DROP TRIGGER IF EXISTS {name}"
                )
        return out
    if connection.vendor != "postgresql":
        raise NotImplementedError(f"No grants triggers for database vendor {connection.vendor!r}.")
    if install:
        out.append(POSTGRES_FUNCTION)
    for table in TABLES:
        out += [
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        ]
        if install:
            out += [
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
            ]
    if not install:
        out.append(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    return out


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)
