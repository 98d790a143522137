"""PostgreSQL only: ``audit lockdown`` refuses roles that grants cannot restrict (a superuser,
the audit table's owner, a missing role) and changes nothing then; for a proper application
role it is repeatable, quotes any role name, and leaves every other project table writable."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from justicework.audit import lockdown
from justicework.audit.triggers import TABLE
from tests.audit.helpers import append

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def make_role(name: str | None = None) -> str:
    name = name or f"jw_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {lockdown._identifier(name)} NOLOGIN NOSUPERUSER")
    return name


def privileges(role: str, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = %s",
            [role, table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_audit_tables_owner_is_refused_and_given_nothing():
    role = make_role()
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE {TABLE} OWNER TO "{role}"')
    with pytest.raises(lockdown.LockdownError, match=f"role '{role}' owns {TABLE}"):
        lockdown.lockdown(role)
    assert privileges(role, "core_organisation") == set()


def test_a_refused_role_through_the_command_is_a_command_error_naming_it():
    with pytest.raises(CommandError, match="'postgres' is a superuser"):
        call_command("audit", "lockdown", "--role", "postgres", stdout=io.StringIO())


def test_the_application_role_gets_select_and_insert_on_the_audit_table_only():
    role = make_role()
    lockdown.lockdown(role)
    assert privileges(role, TABLE) == {"SELECT", "INSERT"}
    assert privileges(role, "core_organisation") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert privileges(role, "dataio_importrun") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert privileges(role, "django_migrations") == {"SELECT"}


def test_lockdown_can_run_again_after_a_migration_with_the_same_result():
    role = make_role()
    first = lockdown.lockdown(role)
    second = lockdown.lockdown(role)
    assert first == second
    assert privileges(role, TABLE) == {"SELECT", "INSERT"}


def test_a_wider_grant_given_earlier_is_taken_back():
    role = make_role()
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT ALL ON TABLE {TABLE} TO "{role}"')
    lockdown.lockdown(role)
    assert privileges(role, TABLE) == {"SELECT", "INSERT"}


def test_a_role_name_with_a_quote_and_spaces_is_locked_down_as_itself():
    role = make_role(f'app "quoted" {uuid.uuid4().hex[:6]}')
    lockdown.lockdown(role)
    assert privileges(role, TABLE) == {"SELECT", "INSERT"}


def test_the_command_prints_every_statement_it_ran():
    role = make_role()
    out = io.StringIO()
    call_command("audit", "lockdown", "--role", role, stdout=out)
    printed = out.getvalue()
    for statement in lockdown.statements(role):
        assert statement in printed


def test_the_application_role_may_update_other_tables_but_never_the_audit_log():
    append(1)
    role = make_role()
    lockdown.lockdown(role)
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE dataio_mapping SET name = name WHERE id < 0")
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE audit_auditentry SET action = 'test.rewritten'")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
