"""PostgreSQL only: the audit triggers stop even a role that may write the table (the owner, a
superuser running stray SQL): UPDATE, DELETE and TRUNCATE are refused with a message naming
the operation, the rows stay as they were, and the chain still verifies."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from justicework.audit import triggers
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from tests.audit.helpers import append

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize(
    "statement, operation",
    [
        ("UPDATE audit_auditentry SET action = 'test.rewritten'", "UPDATE"),
        ("DELETE FROM audit_auditentry", "DELETE"),
        ("TRUNCATE audit_auditentry", "TRUNCATE"),
    ],
)
def test_a_change_to_audit_rows_is_refused_naming_the_operation(statement, operation):
    append(3)
    before = list(AuditEntry.objects.order_by("seq").values_list("seq", "action", "hash"))
    expected = f"append-only: UPDATE and DELETE are refused ({operation} on {triggers.TABLE})"
    with (
        pytest.raises(DatabaseError, match=expected.replace("(", r"\(").replace(")", r"\)")),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "action", "hash")) == before
    assert verify_chain().ok


def test_the_refusal_is_an_insufficient_privilege_error():
    append(1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SAVEPOINT before_update")
        try:
            cursor.execute("UPDATE audit_auditentry SET action = 'x'")
        except DatabaseError as exc:
            assert getattr(exc.__cause__, "sqlstate", None) == "42501"
        else:  # pragma: no cover - the trigger must refuse
            pytest.fail("the UPDATE was allowed")
        cursor.execute("ROLLBACK TO SAVEPOINT before_update")


def test_a_disabled_trigger_counts_as_missing_and_install_puts_it_back():
    assert triggers.installed(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {triggers.TABLE} DISABLE TRIGGER audit_entry_no_truncate")
    assert not triggers.installed(connection)
    triggers.install(connection)  # drops and re-creates: enabled again
    assert triggers.installed(connection)
    with (
        pytest.raises(DatabaseError, match="TRUNCATE on audit_auditentry"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditentry")


def test_suspended_disables_and_re_enables_instead_of_dropping():
    append(1)
    with triggers.suspended(connection):
        AuditEntry.objects.filter(seq=1).update(action="test.rewritten")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [triggers.TABLE],
            )
            assert cursor.fetchone()[0] == 2  # still there, only disabled
    assert triggers.installed(connection)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()
