"""The lockdown grants: full read/write on every project table, only SELECT and INSERT on the
audit log; lockdown itself refuses databases without roles."""

from __future__ import annotations

import pytest
from django.db import connection

from justicework.audit import lockdown
from justicework.audit.triggers import TABLE

pytestmark = pytest.mark.django_db


def test_the_audit_table_gets_only_select_and_insert() -> None:
    done = lockdown.statements("app")
    quoted = connection.ops.quote_name("app")
    about_audit = [s for s in done if TABLE in s]
    assert about_audit == [
        f"REVOKE ALL ON TABLE {TABLE} FROM {quoted}",
        f"GRANT SELECT, INSERT ON TABLE {TABLE} TO {quoted}",
    ]
    assert done.index(about_audit[0]) < done.index(about_audit[1])


def test_every_other_project_table_gets_read_and_write() -> None:
    done = lockdown.statements("app")
    tables = set(connection.introspection.django_table_names(only_existing=True)) - {TABLE}
    granted = {
        s.split(" ON TABLE ")[1].split(" TO ")[0].strip('"')
        for s in done
        if s.startswith("GRANT SELECT, INSERT, UPDATE, DELETE")
    }
    assert granted == tables
    assert "core_organisation" in granted


def test_lockdown_needs_postgresql() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite refusal")
    with pytest.raises(lockdown.LockdownError, match="SQLite has no roles"):
        lockdown.lockdown("app")


def test_a_quote_in_the_role_name_cannot_end_the_identifier() -> None:
    done = lockdown.statements('app"; DROP TABLE audit_auditentry; --')
    who = '"app""; DROP TABLE audit_auditentry; --"'
    assert done[0] == f"GRANT USAGE ON SCHEMA public TO {who}"
    assert all(s.endswith(who) for s in done if " TO " in s)
