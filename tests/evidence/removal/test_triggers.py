"""Custody entries and tombstones (hand-overs: custody/test_transfer.py) are append-only in the
database itself: a raw UPDATE or DELETE is refused on SQLite and on PostgreSQL (run with DATABASE_URL=postgres://...)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from justicework.evidence import custody, triggers
from justicework.evidence.models import CustodyEntry, Tombstone

from ..conftest import upload_file
from .helpers import removed_item


def _refused(sql: str, params: list[object]) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_the_triggers_are_installed_by_the_migration(db):
    assert triggers.installed(connection)


def test_raw_sql_cannot_update_or_delete_a_custody_entry(documenter, acme):
    item = upload_file(documenter, acme, b"kept as it was", filename="k.txt", collector="Ana")
    _refused("UPDATE evidence_custodyentry SET actor_label = %s WHERE item_id = %s", ["x", item.pk])
    _refused("DELETE FROM evidence_custodyentry WHERE item_id = %s", [item.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CustodyEntry.objects.filter(item=item).update(detail={})
    entries = list(item.custody.order_by("seq"))
    assert len(entries) == 2 and custody.problems(entries) == []


def test_raw_sql_cannot_update_or_delete_a_tombstone(admin, analyst, acme):
    item = removed_item(admin, acme)
    _refused("UPDATE evidence_tombstone SET sha256 = %s WHERE item_id = %s", ["0" * 64, item.pk])
    _refused("DELETE FROM evidence_tombstone WHERE item_id = %s", [item.pk])
    assert Tombstone.objects.get(item=item).sha256 == item.original.sha256


def test_appending_still_works(documenter, acme):
    item = upload_file(documenter, acme, b"more", filename="m.txt")
    assert item.custody.count() == 1


@pytest.mark.postgres
def test_truncate_is_refused_on_postgres(documenter, acme):
    upload_file(documenter, acme, b"truncate me", filename="t.txt")
    with connection.cursor() as cursor:  # the test's transaction holds deferred FK checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _refused("TRUNCATE evidence_custodyentry CASCADE", [])
    assert CustodyEntry.objects.count() == 1
