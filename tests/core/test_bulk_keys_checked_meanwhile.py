"""``deferred_keys_checked_meanwhile``: PostgreSQL checks the deferred foreign keys of what the
transaction wrote while the block runs; a violated key still fails the transaction, the
connection is never used out of turn, and the keys are deferred again afterwards."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from justicework.core.bulk import deferred_keys_checked_meanwhile
from justicework.core.models import Organisation
from justicework.violations.models import Incident, Location

pytestmark = pytest.mark.django_db

MISSING = 987654321


def _dangling_location(org: Organisation) -> None:
    """A place whose incident does not exist (the key is deferred: accepted for now)."""
    Location.objects.create(organisation=org, incident_id=MISSING, country="UA")


@pytest.mark.postgres
def test_a_dangling_key_fails_when_the_block_ends(acme: Organisation) -> None:
    with pytest.raises(IntegrityError, match="incident"), transaction.atomic():
        _dangling_location(acme)
        with deferred_keys_checked_meanwhile():
            total = sum(range(1000))  # the block's own work, no query
        assert total == 499500
    assert not Location.objects.filter(incident_id=MISSING).exists()


@pytest.mark.postgres
def test_a_query_in_the_block_waits_for_the_check(acme: Organisation) -> None:
    """The answer is read before the block's first query: here it reports the dangling key."""
    with pytest.raises(IntegrityError, match="incident"), transaction.atomic():
        _dangling_location(acme)
        with deferred_keys_checked_meanwhile():
            Incident.objects.count()
    with transaction.atomic():  # the connection is usable again
        with deferred_keys_checked_meanwhile():
            assert Organisation.objects.filter(pk=acme.pk).count() == 1
        assert Organisation.objects.filter(pk=acme.pk).exists()


@pytest.mark.postgres
def test_the_blocks_own_error_wins(acme: Organisation) -> None:
    with pytest.raises(ValueError, match="the block's"), transaction.atomic():
        _dangling_location(acme)
        with deferred_keys_checked_meanwhile():
            raise ValueError("the block's")


@pytest.mark.postgres
def test_keys_are_deferred_again_after_the_block(acme: Organisation) -> None:
    incident = Incident.objects.create(organisation=acme, title="A")
    with transaction.atomic():
        Location.objects.create(organisation=acme, incident=incident, country="UA")
        with deferred_keys_checked_meanwhile():
            pass
        sid = transaction.savepoint()
        _dangling_location(acme)  # accepted now: checked only at commit (or on demand)
        with pytest.raises(IntegrityError), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.savepoint_rollback(sid)
    assert Location.objects.filter(incident=incident).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_nothing_is_sent(acme: Organisation) -> None:
    assert not connection.in_atomic_block
    with deferred_keys_checked_meanwhile():
        assert connection.execute_wrappers == []  # no answer pending: none to wait for
        assert Organisation.objects.filter(pk=acme.pk).exists()


def test_on_sqlite_the_block_just_runs(acme: Organisation) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's behaviour")
    with transaction.atomic(), deferred_keys_checked_meanwhile():
        assert connection.execute_wrappers == []  # nothing was sent
        assert Organisation.objects.filter(pk=acme.pk).exists()


@pytest.mark.postgres
def test_in_a_transaction_the_answer_is_awaited_before_a_query() -> None:
    with transaction.atomic(), deferred_keys_checked_meanwhile():
        assert len(connection.execute_wrappers) == 1


@pytest.mark.postgres
def test_no_constraint_is_deferrable_but_initially_immediate() -> None:
    """``SET CONSTRAINTS ALL DEFERRED`` restores the initial state only while every deferrable
    constraint starts deferred (Django's foreign keys do)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE condeferrable AND NOT condeferred"
        )
        assert cursor.fetchall() == []
