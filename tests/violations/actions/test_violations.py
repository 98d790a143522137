"""Violation actions: victims, links inside the incident and organisation, edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.verify import verify_chain
from justicework.violations import actions
from justicework.violations.models import (
    PersonRole,
    Violation,
)
from justicework.violations.queries import Filters, search_incidents

from ..conftest import last_audit, make_incident, make_person

pytestmark = pytest.mark.django_db


def test_add_violation_links_the_victim_and_indexes_type_labels(cast, incident, person):
    location = incident.locations.get()
    violation = actions.add_violation(
        cast.documenter,
        incident,
        type="rape",
        method="sexual_assault_method",
        victim=person,
        location=location,
        victim_age=17,
        victim_outcome="released",
        start_date=dt.date(2023, 5, 4),
    )
    assert violation.organisation_id == cast.acme.pk
    assert violation.person_roles.get().person == person
    entry = last_audit("violations.violation.created")
    assert entry.diff["victim"] == person.code
    assert "Коваленко" not in str(entry.diff)
    # labels in every UI language make it findable
    for word in ["rape", "viol", "violación", "изнасилование", "الاغتصاب"]:
        assert list(search_incidents(cast.documenter, Filters(q=word))) == [incident], word


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "rapee"}, "type"),
        ({"type": "sgbv"}, "type"),  # a grouping, not an act
        ({"method": "magic"}, "method"),
        ({"victim_age": 200}, "victim_age"),
        ({"victim_outcome": "happy"}, "victim_outcome"),
        ({"nonsense": 1}, "nonsense"),
    ],
)
def test_bad_violation_input_is_refused(cast, incident, fields, field):
    data = {"type": "torture", **fields}
    with pytest.raises(ValidationError) as excinfo:
        actions.add_violation(cast.documenter, incident, **data)
    assert field in excinfo.value.message_dict
    assert not Violation.objects.exists()


def test_violation_links_must_stay_inside_the_incident_and_organisation(
    cast, incident, person, beacon
):
    other = make_incident(cast.acme, title="Elsewhere", locations=[{"place_name": "Lviv"}])
    with pytest.raises(ValidationError) as excinfo:
        actions.add_violation(
            cast.documenter, incident, type="torture", location=other.locations.get()
        )
    assert "location" in excinfo.value.message_dict
    stranger = make_person(beacon, full_name="Jean Mukendi")
    with pytest.raises(ValidationError) as excinfo:
        actions.add_violation(cast.documenter, incident, type="torture", victim=stranger)
    assert "victim" in excinfo.value.message_dict
    group = actions.create_victim_group(
        cast.documenter, cast.acme, description="Village", number_of_persons=40
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.add_violation(
            cast.documenter, incident, type="torture", victim=person, victim_group=group
        )
    assert "victim" in excinfo.value.message_dict
    assert not Violation.objects.exists()


def test_one_victim_per_violation_other_roles_many(cast, violation, person):
    second = make_person(cast.acme, full_name="Second")
    with pytest.raises(ValidationError):
        actions.link_person(cast.documenter, violation, second, "victim")
    witness = actions.link_person(cast.documenter, violation, second, "witness")
    actions.link_person(cast.documenter, violation, second, "source")
    with pytest.raises(ValidationError):
        actions.link_person(cast.documenter, violation, second, "witness")
    with pytest.raises(ValidationError):
        actions.link_person(cast.documenter, violation, second, "bystander")
    assert last_audit("violations.person.linked").diff["person"] == second.code
    actions.unlink_person(cast.documenter, witness)
    assert set(violation.person_roles.values_list("role", flat=True)) == {"victim", "source"}


def test_group_victim(cast, incident):
    group = actions.create_victim_group(
        cast.documenter,
        cast.acme,
        description="Residents of a village",
        number_of_persons=120,
        kind="village",
    )
    assert group.code.startswith("G-")
    violation = actions.add_violation(
        cast.documenter, incident, type="forced_displacement", victim_group=group
    )
    with pytest.raises(ValidationError):
        actions.link_person(cast.documenter, violation, make_person(cast.acme), "victim")
    with pytest.raises(ValidationError):
        actions.create_victim_group(
            cast.documenter, cast.acme, description="Empty", number_of_persons=0
        )
    actions.update_victim_group(cast.documenter, group, number_of_persons=130)
    group.refresh_from_db()
    assert group.number_of_persons == 130


def test_update_and_remove_violation(cast, violation):
    actions.update_violation(
        cast.analyst, violation, type="extrajudicial_execution", victim_outcome="deceased"
    )
    violation.refresh_from_db()
    assert violation.type == "extrajudicial_execution"
    with pytest.raises(ValidationError):
        actions.update_violation(cast.analyst, violation, type="nope")
    with pytest.raises(PermissionDenied):
        actions.remove_violation(cast.viewer, violation)
    actions.remove_violation(cast.documenter, violation)
    assert not Violation.objects.exists()
    assert PersonRole.objects.count() == 0


def test_the_audit_chain_stays_valid(cast, incident, violation, person):
    actions.grant_need_to_know(cast.admin, cast.analyst, person, "case")
    actions.reveal_identity(cast.analyst, person)
    assert verify_chain().ok


def test_a_role_that_is_not_one_is_refused(cast, violation, person):
    with pytest.raises(ValidationError) as caught:
        actions.link_person(cast.documenter, violation, person, "bystander")
    assert caught.value.message_dict == {"role": ["'bystander' is not a role."]}


def test_a_violation_with_a_group_victim_takes_no_person_victim(cast, incident, person):
    group = actions.create_victim_group(None, cast.acme, description="Family", number_of_persons=3)
    violation = actions.add_violation(None, incident, type="torture", victim_group=group)
    with pytest.raises(ValidationError) as caught:
        actions.link_person(cast.documenter, violation, person, PersonRole.Role.VICTIM)
    assert "role" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.add_violation(None, incident, type="torture", victim=person, victim_group=group)
    assert "victim" in caught.value.message_dict


def test_a_person_of_another_organisation_cannot_be_linked(cast, violation):
    stranger = make_person(cast.beacon)
    with pytest.raises((PermissionDenied, ValidationError)):
        actions.link_person(cast.admin, violation, stranger, PersonRole.Role.WITNESS)
    assert not violation.person_roles.filter(person=stranger).exists()


def test_unlinking_is_audited_by_code_and_needs_delete(cast, violation, person):
    link = violation.person_roles.get(person=person)
    with pytest.raises(PermissionDenied):
        actions.unlink_person(cast.viewer, link)
    actions.unlink_person(cast.documenter, link)
    assert last_audit("violations.person.unlinked").diff == {
        "violation": violation.pk,
        "person": person.code,
        "role": "victim",
    }
