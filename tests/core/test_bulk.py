"""core.bulk: the one fast-insert path. Explicit primary keys (never a deleted row's id), one
converter (encryption as pre_save, dates, enums by value), rows without instances, the template
maker, and the models it writes: none may gain a callable default its callers do not set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from justicework.core import bulk
from justicework.core.models import Organisation
from justicework.dataio.models import ImportedRow
from justicework.violations.models import Incident, Location, Person, Violation

pytestmark = pytest.mark.django_db


def _writers() -> None:
    """Import every module that declares what it writes (the declarations run at import)."""
    import justicework.dataio.engine
    import justicework.demo.violations_scale
    import justicework.violations.actions
    import justicework.violations.io  # noqa: F401


def test_no_model_written_by_the_bulk_path_has_a_callable_default_left_to_it() -> None:
    """A template row (``bulk.maker``, ``prepared_row``) evaluates defaults once per batch: a
    callable default its callers do not set would give every row of a batch the same value."""
    _writers()
    written = bulk.written()
    assert {Violation, Incident, Location, Person, ImportedRow} <= set(written)
    assert {m._meta.label: bulk.callable_defaults(m) for m in written} == {
        m._meta.label: [] for m in written
    }


def test_a_callable_default_on_a_written_model_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    _writers()
    field = Violation._meta.get_field("description")
    monkeypatch.setattr(field, "default", list)
    assert bulk.callable_defaults(Violation) == ["description"]
    with pytest.raises(TypeError, match="description"):
        bulk.maker(Violation, created_at=None, updated_at=None)


def test_maker_builds_from_one_template(acme: Organisation) -> None:
    _writers()
    now = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    make = bulk.maker(Violation, organisation_id=acme.pk, created_at=now, updated_at=now)
    first, second = make(type="torture"), make(type="killing", incident_id=7)
    assert (first.type, first.incident_id, first.organisation_id) == ("torture", None, acme.pk)
    assert (second.type, second.incident_id, second.created_at) == ("killing", 7, now)
    assert first._state.adding


def test_maker_instances_are_what_model_init_makes(acme: Organisation) -> None:
    """The maker stores the values directly where ``Model.__init__`` would only store them:
    the same attributes and state as the positional constructor, for every declared model."""
    _writers()
    now = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    for model, given in bulk.written().items():
        shared = {name: now for name in given if name.endswith("_at")}
        stored = bulk.maker(model, **shared)()
        template = model(**shared)
        row = [getattr(template, f.attname) for f in model._meta.concrete_fields]
        built = model(*row)
        assert {k: v for k, v in vars(stored).items() if k != "_state"} == {
            k: v for k, v in vars(built).items() if k != "_state"
        }, model
        assert vars(stored._state) == vars(built._state)
    make = bulk.maker(Violation, organisation_id=acme.pk, created_at=now, updated_at=now)
    with pytest.raises(KeyError, match="no_such_field"):
        make(no_such_field=1)


def test_maker_falls_back_to_model_init_when_a_receiver_listens(acme: Organisation) -> None:
    _writers()
    from django.db.models.signals import post_init

    seen: list[Violation] = []

    def receiver(sender: type[Violation], instance: Violation, **kwargs: object) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Violation)
    try:
        now = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
        made = bulk.maker(Violation, organisation_id=acme.pk, created_at=now, updated_at=now)()
    finally:
        post_init.disconnect(receiver, sender=Violation)
    assert seen[-1] is made


def test_undeclared_models_and_writes_outside_a_transaction_are_refused(acme: Organisation):
    with pytest.raises(LookupError, match=r"bulk\.writes"):
        bulk.maker(Organisation)
    with transaction.atomic(), pytest.raises(LookupError, match=r"bulk\.writes"):
        bulk.insert(Organisation, [Organisation(name="x")])


@pytest.mark.django_db(transaction=True)
def test_insert_refuses_to_run_outside_a_transaction(acme: Organisation) -> None:
    _writers()
    with pytest.raises(RuntimeError, match="inside a transaction"):
        bulk.insert(Incident, [Incident(organisation=acme, title="x")])


def test_insert_refuses_mixed_models(acme: Organisation) -> None:
    _writers()
    with transaction.atomic(), pytest.raises(TypeError):
        bulk.insert(Incident, [Incident(organisation=acme, title="x"), Person(organisation=acme)])


def test_insert_sets_ids_encrypts_and_stores_enum_values(acme: Organisation) -> None:
    _writers()
    with transaction.atomic():
        existing = Incident.objects.create(organisation=acme, title="Before")
        people = [
            Person(organisation=acme, code=f"P-T{i}", full_name=f"Name {i}",
                   date_of_birth=dt.date(1990, 1, i + 1), status=Person.Status.ALIVE)
            for i in range(3)
        ]  # fmt: skip
        bulk.insert(Person, people)
        incidents = [Incident(organisation=acme, title="After", status=Incident.Status.DRAFT)]
        bulk.insert(Incident, incidents)
    assert incidents[0].pk > existing.pk
    assert [p.pk for p in people] == sorted(p.pk for p in people)
    loaded = Person.objects.get(pk=people[1].pk)
    assert (loaded.full_name, loaded.date_of_birth) == ("Name 1", dt.date(1990, 1, 2))
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, status FROM violations_person WHERE id = %s", [loaded.pk])
        ciphertext, status = cursor.fetchone()
    assert ciphertext.startswith("jw1.") and "Name" not in ciphertext
    assert status == "alive"
    with transaction.atomic():  # the ordinary path continues after the ids taken here
        later = Incident.objects.create(organisation=acme, title="Later")
    assert later.pk > incidents[0].pk


def test_insert_writes_dates_flags_and_floats(acme: Organisation) -> None:
    _writers()
    incident = Incident.objects.create(organisation=acme, title="A", country="UA")
    objs = [
        Violation(organisation_id=acme.pk, incident=incident, type="torture",
                  start_date=dt.date(2023, 1, i + 1), date_approximate=bool(i % 2))
        for i in range(3)
    ]  # fmt: skip
    places = [Location(organisation_id=acme.pk, incident=incident, country="UA", latitude=50.1)]
    with transaction.atomic():
        bulk.insert(Violation, objs)
        bulk.insert(Location, places)
    stored = {v.pk: v for v in Violation.objects.filter(pk__in=[v.pk for v in objs])}
    assert [(stored[v.pk].start_date.day, stored[v.pk].date_approximate) for v in objs] == [
        (1, False),
        (2, True),
        (3, False),
    ]
    assert Location.objects.get(pk=places[0].pk).latitude == 50.1


def test_ids_never_reuse_the_id_of_a_deleted_row(acme: Organisation) -> None:
    """An audit entry names a record by id; a new record must never inherit a deleted one's id."""
    first = Incident.objects.create(organisation=acme, title="First")
    newest = Incident.objects.create(organisation=acme, title="Second")
    assert newest.pk > first.pk
    Incident.objects.filter(pk=newest.pk).delete()  # raw delete of the highest id
    with transaction.atomic():
        assert bulk.allocate_ids(Incident, 0) == []
        assert bulk.allocate_ids(Incident, 3)[0] > newest.pk


def test_insert_rows_with_ids_from_allocate_ids_or_from_the_database(acme: Organisation):
    _writers()
    columns = ["organisation_id", "kind", "key_hash", "object_id", "run_id"]
    with transaction.atomic():
        before = ImportedRow.objects.create(organisation=acme, kind="k", key_hash="0")
        gone = ImportedRow.objects.create(organisation=acme, kind="k", key_hash="gone")
        gone_id = gone.pk
        gone.delete()  # its id is never handed out again
        ids = bulk.allocate_ids(ImportedRow, 2)
        rows = [(ids[0], acme.pk, "k", "1", "11", None), (ids[1], acme.pk, "k", "2", "12", None)]
        bulk.insert_rows(ImportedRow, ["id", *columns], rows)
        bulk.insert_rows(ImportedRow, columns, [(acme.pk, "k", "3", "13", None)])
        bulk.insert_rows(ImportedRow, ["kind"], [])
    assert ids[0] > gone_id > before.pk
    stored = ImportedRow.objects.filter(key_hash__in=["1", "2", "3"]).order_by("pk")
    assert [(r.pk in ids, r.key_hash, r.object_id) for r in stored] == [
        (True, "1", "11"),
        (True, "2", "12"),
        (False, "3", "13"),
    ]
    assert stored[2].pk > ids[1]


def test_db_value_is_the_value_insert_writes(acme: Organisation) -> None:
    _writers()
    now = dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC)
    assert bulk.db_value(Violation, "created_at", now) == connection.ops.adapt_datetimefield_value(
        now
    )
    assert bulk.db_value(Incident, "status", Incident.Status.DRAFT) == "draft"
    with pytest.raises(TypeError, match="needs its object"):
        bulk.db_value(Person, "full_name", "x")
