"""``core.append_only``: the refusing triggers are installed by the migrations of the apps that
use them, refuse a raw UPDATE and DELETE with their message, and a suspended block lets the
test runner's flush through (then they are back)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from justicework.core.append_only import RefusedChanges
from justicework.evidence import triggers as evidence_triggers
from justicework.grants import triggers_review


@pytest.mark.django_db
@pytest.mark.parametrize("triggers", [evidence_triggers.TRIGGERS, triggers_review.TRIGGERS])
def test_the_migrations_install_them(triggers: RefusedChanges) -> None:
    assert triggers.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_a_raw_delete_is_refused_until_suspended_then_refused_again() -> None:
    table = "core_refusal_probe"
    triggers = RefusedChanges((table,), "probe rows are final", "core_refusal_probe_refuse")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY)")
    try:
        triggers.install(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (id) VALUES (1), (2)")  # noqa: S608
        for sql in (f"UPDATE {table} SET id = 3 WHERE id = 1", f"DELETE FROM {table}"):  # noqa: S608
            with (
                pytest.raises(DatabaseError, match="probe rows are final"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        with triggers.suspended(connection), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = 2")  # noqa: S608
        assert triggers.installed(connection)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table}")  # noqa: S608
            assert cursor.fetchall() == [(1,)]
    finally:
        triggers.uninstall(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")


def test_an_unknown_engine_is_refused_by_name() -> None:
    class Other:
        vendor = "oracle"

    triggers = RefusedChanges(("t",), "m", "f")
    with pytest.raises(NotImplementedError, match="'oracle'"):
        triggers.statements(Other(), install=True)  # type: ignore[arg-type]
