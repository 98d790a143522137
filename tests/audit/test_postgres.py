"""PostgreSQL only: the application role's privileges and concurrent appends."""

from __future__ import annotations

import io
import threading
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from justicework.audit.chain import record
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from tests.audit.helpers import append


@pytest.fixture
def app_role(db: None) -> str:
    """A NOLOGIN, non-superuser role created inside the test transaction (rolled back after)."""
    name = f"jw_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN NOSUPERUSER')
    return name


@pytest.mark.postgres
def test_app_role_may_insert_but_not_update_or_delete_audit_rows(app_role: str):
    append(2)
    out = io.StringIO()
    call_command("audit", "lockdown", "--role", app_role, stdout=out)
    assert "GRANT SELECT, INSERT ON TABLE audit_auditentry" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{app_role}"')
    try:
        entry = record(None, "test.as_app_role.appended")  # SELECT + INSERT work
        assert entry.seq == 3
        for statement in [
            "UPDATE audit_auditentry SET action = 'test.rewritten' WHERE seq = 1",
            "DELETE FROM audit_auditentry WHERE seq = 1",
            "TRUNCATE audit_auditentry",
        ]:
            with (
                pytest.raises(DatabaseError, match="permission denied"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
        # Other project tables stay writable for the app role.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_organisation SET name = name WHERE id < 0")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.count() == 3
    assert verify_chain().ok


@pytest.mark.postgres
def test_lockdown_refuses_a_superuser_or_missing_role(db: None):
    with pytest.raises(CommandError, match="superuser"):
        call_command("audit", "lockdown", "--role", "postgres")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("audit", "lockdown", "--role", f"nobody_{uuid.uuid4().hex[:8]}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_intact():
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            barrier.wait()
            for i in range(25):
                with transaction.atomic():
                    record(None, f"test.thread.{name}", object_id=str(i))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == AuditEntry.objects.count() >= 50
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "test.thread.a",
        "test.thread.b",
    }


def test_lockdown_is_refused_on_sqlite(db: None):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("audit", "lockdown", "--role", "app")
