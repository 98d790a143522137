"""PostgreSQL keeps links inside one organisation (migration violations.0007): a victim link,
a blind index value, a violation or a place that points at another organisation's record is
refused by the database itself, whatever code wrote it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from justicework.core.models import Organisation
from justicework.violations.models import (
    Incident,
    Location,
    Person,
    PersonIndex,
    PersonRole,
    Violation,
)
from tests.violations.conftest import make_incident, make_person, make_violation

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _refused_at_commit(write: Callable[[], Any]) -> str:
    """The database's error when ``write`` runs and its deferred keys are checked."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return str(caught.value)


def _constraints(table: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def test_the_keys_pair_parent_and_organisation() -> None:
    keys = {
        "violations_personindex": {"personindex_person_same_org": ["person_id"]},
        "violations_personrole": {
            "personrole_person_same_org": ["person_id"],
            "personrole_violation_same_org": ["violation_id"],
        },
        "violations_violation": {"violation_incident_same_org": ["incident_id"]},
        "violations_location": {"location_incident_same_org": ["incident_id"]},
    }
    for table, expected in keys.items():
        found = _constraints(table)
        for name, columns in expected.items():
            assert found[name]["foreign_key"] is not None
            assert found[name]["columns"] == [*columns, "organisation_id"]
        single = {
            tuple(c["columns"])
            for c in found.values()
            if c["foreign_key"] and len(c["columns"]) == 1
        }
        # The replaced single-column keys are gone (created_by, location... stay).
        assert ("organisation_id",) not in single
        for columns in expected.values():
            assert tuple(columns) not in single


def test_a_victim_link_across_organisations_is_refused(
    acme: Organisation, beacon: Organisation
) -> None:
    violation = make_violation(make_incident(acme))
    stranger = make_person(beacon, full_name="Test Person")
    message = _refused_at_commit(
        lambda: PersonRole.objects.create(
            organisation_id=acme.pk, violation=violation, person=stranger, role="witness"
        )
    )
    assert "personrole_person_same_org" in message
    assert not PersonRole.objects.filter(person=stranger).exists()


def test_a_link_labelled_with_the_wrong_organisation_is_refused(
    acme: Organisation, beacon: Organisation
) -> None:
    violation = make_violation(make_incident(acme))
    person = make_person(acme, full_name="Test Person")
    message = _refused_at_commit(
        lambda: PersonRole.objects.create(
            organisation_id=beacon.pk, violation=violation, person=person, role="witness"
        )
    )
    assert "same_org" in message


def test_a_blind_index_value_of_another_organisations_person_is_refused(
    acme: Organisation, beacon: Organisation
) -> None:
    person = make_person(acme, full_name="Test Person")
    message = _refused_at_commit(
        lambda: PersonIndex.objects.create(
            organisation_id=beacon.pk, person=person, kind="name", value="0" * 32
        )
    )
    assert "personindex_person_same_org" in message


def test_a_violation_or_place_in_another_organisations_incident_is_refused(
    acme: Organisation, beacon: Organisation
) -> None:
    incident = make_incident(acme)
    message = _refused_at_commit(
        lambda: Violation.objects.create(
            organisation_id=beacon.pk, incident=incident, type="torture"
        )
    )
    assert "violation_incident_same_org" in message
    message = _refused_at_commit(
        lambda: Location.objects.create(organisation_id=beacon.pk, incident=incident, country="UA")
    )
    assert "location_incident_same_org" in message
    assert Violation.objects.filter(incident=incident).count() == 0


def test_a_missing_parent_is_still_refused(acme: Organisation) -> None:
    message = _refused_at_commit(
        lambda: Violation.objects.create(organisation_id=acme.pk, incident_id=987654, type="rape")
    )
    assert "violation_incident_same_org" in message
    assert not Incident.objects.filter(pk=987654).exists()
    assert Person.objects.count() == 0
