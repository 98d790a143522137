"""insert_many: explicit primary keys, encryption in pre_save, enums by value, one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from justicework.dataio.fastinsert import insert_many
from justicework.violations.models import Incident, Person


def test_insert_many_sets_ids_encrypts_and_stores_enum_values(acme):
    with transaction.atomic():
        existing = Incident.objects.create(organisation=acme, title="Before")
        people = [
            Person(organisation=acme, code=f"P-T{i}", full_name=f"Name {i}",
                   date_of_birth=dt.date(1990, 1, i + 1), status=Person.Status.ALIVE)
            for i in range(3)
        ]  # fmt: skip
        insert_many(people)
        incidents = [Incident(organisation=acme, title="After", status=Incident.Status.DRAFT)]
        insert_many(incidents)
    assert incidents[0].pk > existing.pk
    assert [p.pk for p in people] == sorted(p.pk for p in people)
    loaded = Person.objects.get(pk=people[1].pk)
    assert loaded.full_name == "Name 1"
    assert loaded.date_of_birth == dt.date(1990, 1, 2)
    assert loaded.status == "alive"
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, status FROM violations_person WHERE id = %s", [loaded.pk])
        ciphertext, status = cursor.fetchone()
    assert ciphertext.startswith("jw1.") and "Name" not in ciphertext
    assert status == "alive"
    # The ordinary path continues after the ids insert_many took.
    with transaction.atomic():
        later = Incident.objects.create(organisation=acme, title="Later")
    assert later.pk > incidents[0].pk


@pytest.mark.django_db(transaction=True)
def test_insert_many_refuses_to_run_outside_a_transaction(acme):
    with pytest.raises(RuntimeError, match="inside a transaction"):
        insert_many([Incident(organisation=acme, title="x")])


def test_insert_many_refuses_mixed_models(acme):
    with transaction.atomic(), pytest.raises(TypeError):
        insert_many([Incident(organisation=acme, title="x"), Person(organisation=acme, code="P")])


def test_insert_values_writes_plain_rows_with_fresh_ids(acme):
    from justicework.dataio.fastinsert import insert_values
    from justicework.dataio.models import ImportedRow

    with transaction.atomic():
        before = ImportedRow.objects.create(organisation=acme, kind="k", key_hash="0")
        ids = insert_values(
            ImportedRow,
            ["organisation_id", "kind", "key_hash", "object_id", "run_id"],
            [(acme.pk, "k", "1", "11", None), (acme.pk, "k", "2", "12", None)],
        )
        assert insert_values(ImportedRow, ["kind"], []) == []
    assert ImportedRow.objects.filter(pk=before.pk + 3).count() == 0
    assert ids == [before.pk + 1, before.pk + 2]
    stored = ImportedRow.objects.filter(pk__in=ids).order_by("pk")
    assert [(r.key_hash, r.object_id, r.run_id) for r in stored] == [
        ("1", "11", None),
        ("2", "12", None),
    ]


def test_insert_values_can_leave_the_ids_to_the_database(acme):
    from justicework.dataio.fastinsert import insert_values
    from justicework.dataio.models import ImportedRow

    with transaction.atomic():
        first = ImportedRow.objects.create(organisation=acme, kind="k", key_hash="0")
        gone = ImportedRow.objects.create(organisation=acme, kind="k", key_hash="gone")
        gone_id = gone.pk
        gone.delete()  # its id is never handed out again
        assert (
            insert_values(
                ImportedRow,
                ["organisation_id", "kind", "key_hash", "object_id"],
                [(acme.pk, "k", "1", "11"), (acme.pk, "k", "2", "12")],
                returning_ids=False,
            )
            == []
        )
    ids = list(ImportedRow.objects.filter(key_hash__in=["1", "2"]).values_list("pk", flat=True))
    assert len(ids) == 2 and min(ids) > gone_id > first.pk
