"""PostgreSQL privileges for the two-role deployment (DESIGN 4.3).

The owner role runs migrations and owns every table. The application role — the one in the
web and worker processes' ``DATABASE_URL`` — gets ordinary read/write access to every project
table except the audit log, where it may only SELECT and INSERT. Run after every ``migrate``
(new tables need their grants): ``justicework audit lockdown --role <app role>``.
"""

from __future__ import annotations

from django.db import connection, transaction

from justicework.audit.triggers import TABLE


class LockdownError(Exception):
    pass


def _identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier, an inner quote doubled (Django's ``quote_name``
    leaves it as is, so a role named ``a"; DROP …`` would end the identifier)."""
    return '"' + name.replace('"', '""') + '"'


def statements(role: str) -> list[str]:
    """The GRANT/REVOKE statements for ``role`` (already checked to exist)."""
    quote = _identifier
    who = quote(role)
    result = [f"GRANT USAGE ON SCHEMA public TO {who}"]
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    for table in tables:
        if table == TABLE:
            continue
        result.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {quote(table)} TO {who}")
    result += [
        "GRANT SELECT ON TABLE django_migrations TO " + who,
        f"REVOKE ALL ON TABLE {TABLE} FROM {who}",
        f"GRANT SELECT, INSERT ON TABLE {TABLE} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
    ]
    return result


def lockdown(role: str) -> list[str]:
    """Apply :func:`statements` in one transaction; return them. Refuses a role that is a
    superuser or owns the audit table: such a role ignores grants."""
    if connection.vendor != "postgresql":
        raise LockdownError("audit lockdown is for PostgreSQL; SQLite has no roles.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise LockdownError(f"role {role!r} does not exist (CREATE ROLE it first).")
        if row[0]:
            raise LockdownError(f"role {role!r} is a superuser: grants cannot restrict it.")
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass", [TABLE]
        )
        owner = cursor.fetchone()[0]
        if owner == role:
            raise LockdownError(
                f"role {role!r} owns {TABLE}: the application needs its own role, separate from "
                "the owner that runs migrations."
            )
        done = statements(role)
        for statement in done:
            cursor.execute(statement)
    return done
