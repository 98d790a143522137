from __future__ import annotations

import datetime as dt

import pytest

from justicework.violations import fastinsert
from justicework.violations.models import Location, Person, Violation

from .conftest import make_incident

pytestmark = pytest.mark.django_db


def test_insert_sets_primary_keys_and_values(cast):
    incident = make_incident(cast.acme)
    objs = [
        Violation(
            organisation_id=cast.acme.pk,
            incident=incident,
            type="torture",
            start_date=dt.date(2023, 1, i + 1),
            date_approximate=bool(i % 2),
        )
        for i in range(3)
    ]
    fastinsert.insert(Violation, objs)
    assert all(v.pk for v in objs)
    assert len({v.pk for v in objs}) == 3
    stored = {v.pk: v for v in Violation.objects.filter(pk__in=[v.pk for v in objs])}
    assert [stored[v.pk].start_date for v in objs] == [
        dt.date(2023, 1, 1),
        dt.date(2023, 1, 2),
        dt.date(2023, 1, 3),
    ]
    assert [stored[v.pk].date_approximate for v in objs] == [False, True, False]
    more = [
        Location(
            organisation_id=cast.acme.pk,
            incident=incident,
            country="UA",
            latitude=50.1,
            longitude=30.5,
        )
    ]
    fastinsert.insert(Location, more)
    assert Location.objects.get(pk=more[0].pk).latitude == 50.1
    assert fastinsert.reserve_ids(Violation, 0) == []
    assert min(fastinsert.reserve_ids(Violation, 2)) > max(v.pk for v in objs)


def test_encrypted_models_are_refused(cast):
    with pytest.raises(TypeError, match="encrypted"):
        fastinsert.insert(Person, [Person(organisation=cast.acme, code="P-AAAAA", full_name="x")])
    assert not Person.objects.exists()


def test_reserved_ids_never_reuse_the_id_of_a_deleted_row(cast):
    """An audit entry names a record by id; a new record must never inherit a deleted one's id."""
    from justicework.violations.models import Incident

    first = make_incident(cast.acme)
    newest = make_incident(cast.acme, title="Second")
    assert newest.pk > first.pk
    Incident.objects.filter(pk=newest.pk).delete()  # raw delete of the highest id
    assert fastinsert.reserve_ids(Incident, 3)[0] > newest.pk
