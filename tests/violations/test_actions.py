from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from justicework.audit.chain import verify_chain
from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.violations import actions
from justicework.violations.models import (
    Incident,
    IncidentRelation,
    Location,
    Person,
    PersonIndex,
    PersonRole,
    Violation,
)
from justicework.violations.queries import Filters, search_incidents

from .conftest import make_incident, make_person, make_unit

pytestmark = pytest.mark.django_db


def last_audit(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-seq").first()
    assert entry is not None, f"no audit entry {action}"
    return entry


# --- Incidents -----------------------------------------------------------------------------------


def test_documenter_creates_an_incident_with_locations_audited_and_searchable(cast):
    incident = actions.create_incident(
        cast.documenter,
        cast.acme,
        title="Detention at the filtration point",
        description="Men separated at the checkpoint",
        country="ua",
        start_date=dt.date(2022, 4, 1),
        end_date=dt.date(2022, 4, 30),
        date_precision="range",
        locations=[
            {"place_name": "Bezimenne", "subdivision": "UA-14", "latitude": 47.1, "longitude": 38.0}
        ],
    )
    assert incident.country == "UA"
    assert incident.status == Incident.Status.DRAFT
    assert incident.created_by == cast.documenter
    location = incident.locations.get()
    assert location.country == "UA"  # taken from the incident
    entry = last_audit("violations.incident.created")
    assert entry.actor_id == cast.documenter.pk
    assert entry.organisation_id == cast.acme.pk
    assert entry.diff["title"] == "Detention at the filtration point"
    assert entry.diff["locations"] == [location.pk]
    found = list(search_incidents(cast.documenter, Filters(q="filtration")))
    assert found == [incident]
    assert list(search_incidents(cast.documenter, Filters(q="Bezimenne"))) == [incident]
    assert list(search_incidents(cast.documenter, Filters(q="Donetska"))) == [
        incident
    ]  # UA-14 name


@pytest.mark.parametrize("who", ["viewer", "outsider", "loner", "officer", "analyst"])
def test_users_without_record_create_in_acme_cannot_create_incidents(cast, who):
    with pytest.raises(PermissionDenied):
        actions.create_incident(
            getattr(cast, who), cast.acme, title="X", start_date=dt.date(2023, 1, 1)
        )
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"title": ""}, "title"),
        ({"context": "war"}, "context"),
        ({"start_date": dt.date(2023, 5, 2), "end_date": dt.date(2023, 5, 1)}, "end_date"),
        ({"date_precision": "range", "end_date": None}, "end_date"),
        ({"start_date": None}, "start_date"),
        ({"start_date": timezone.localdate() + dt.timedelta(days=3)}, "start_date"),
        ({"locations": [{"subdivision": "FR-75"}]}, "locations[0].subdivision"),
        ({"locations": [{"subdivision": "UA-99"}]}, "locations[0].subdivision"),
        ({"locations": [{"latitude": 91, "longitude": 0}]}, "locations[0].latitude"),
        ({"locations": [{"latitude": 10}]}, "locations[0].longitude"),
        ({"locations": [{"longitude": -181, "latitude": 0}]}, "locations[0].longitude"),
        ({"locations": [{"altitude": 3}]}, "locations[0].altitude"),
        ({"weather": "rain"}, "weather"),
    ],
)
def test_bad_incident_input_names_the_field_and_writes_nothing(cast, fields, field):
    data = {"title": "Attack", "country": "UA", "start_date": dt.date(2023, 5, 1), **fields}
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        actions.create_incident(cast.documenter, cast.acme, **data)
    assert field in excinfo.value.message_dict
    assert not Incident.objects.exists()
    assert not Location.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_unknown_date_needs_no_start(cast):
    incident = actions.create_incident(
        cast.documenter, cast.acme, title="Unknown", date_precision="unknown"
    )
    assert incident.start_date is None


def test_update_incident_audits_a_minimal_diff_and_reindexes(cast, incident):
    actions.update_incident(
        cast.analyst, incident, title="Strike on the bus station", description=""
    )
    entry = last_audit("violations.incident.updated")
    assert entry.diff == {"title": ["Shelling of the market", "Strike on the bus station"]}
    assert list(search_incidents(cast.analyst, Filters(q="bus station"))) == [incident]
    assert list(search_incidents(cast.analyst, Filters(q="market"))) == []


def test_viewer_and_outsider_cannot_update(cast, incident):
    with pytest.raises(PermissionDenied):
        actions.update_incident(cast.viewer, incident, title="No")
    with pytest.raises(PermissionDenied):
        actions.update_incident(cast.outsider, incident, title="No")
    incident.refresh_from_db()
    assert incident.title == "Shelling of the market"


def test_only_admins_lift_a_restriction(cast, incident):
    actions.update_incident(cast.documenter, incident, sensitivity="restricted")
    with pytest.raises(PermissionDenied):
        actions.update_incident(cast.documenter, incident, sensitivity="normal")
    actions.update_incident(cast.admin, incident, sensitivity="normal")
    incident.refresh_from_db()
    assert incident.sensitivity == "normal"


def test_status_changes_and_verification_needs_record_verify(cast, incident):
    actions.change_incident_status(cast.documenter, incident, "documented")
    with pytest.raises(PermissionDenied):
        actions.change_incident_status(cast.documenter, incident, "verified")
    actions.change_incident_status(cast.analyst, incident, "verified")
    assert last_audit("violations.incident.status_changed").diff == {
        "status": ["documented", "verified"]
    }
    with pytest.raises(PermissionDenied):  # leaving verified also needs verify
        actions.change_incident_status(cast.documenter, incident, "draft")
    with pytest.raises(ValidationError) as excinfo:
        actions.change_incident_status(cast.analyst, incident, "final")
    assert "status" in excinfo.value.message_dict


def test_creating_an_incident_as_verified_needs_record_verify(cast):
    with pytest.raises(PermissionDenied):
        actions.create_incident(
            cast.documenter, cast.acme, title="X", start_date=dt.date(2023, 1, 1), status="verified"
        )
    assert not Incident.objects.exists()


def test_only_drafts_are_deleted_and_leave_the_index(cast, incident, violation):
    actions.change_incident_status(cast.documenter, incident, "documented")
    with pytest.raises(PermissionDenied):
        actions.delete_incident(cast.documenter, incident)
    actions.change_incident_status(cast.documenter, incident, "draft")
    with pytest.raises(PermissionDenied):
        actions.delete_incident(cast.analyst, incident)  # no record.delete
    actions.delete_incident(cast.documenter, incident)
    assert not Incident.objects.exists()
    assert not Violation.objects.exists()
    assert list(search_incidents(cast.documenter, Filters(q="market"))) == []
    assert last_audit("violations.incident.deleted").diff["violations"] == 1


def test_locations_are_added_changed_and_removed(cast, incident):
    location = actions.add_location(
        cast.documenter, incident, place_name="Izium", subdivision="UA-63"
    )
    actions.update_location(
        cast.documenter, location, latitude=49.2, longitude=37.3, precision="exact"
    )
    location.refresh_from_db()
    assert location.has_coordinates
    with pytest.raises(ValidationError):
        actions.update_location(cast.documenter, location, subdivision="RU-MOW")
    with pytest.raises(PermissionDenied):
        actions.remove_location(cast.viewer, location)
    actions.remove_location(cast.documenter, location)
    assert incident.locations.count() == 1


def test_incident_relations(cast, incident):
    other = make_incident(cast.acme, title="Second wave")
    relation = actions.relate_incidents(cast.documenter, other, incident, "follows")
    assert relation.kind == "follows"
    with pytest.raises(ValidationError):
        actions.relate_incidents(cast.documenter, other, incident, "follows")  # twice
    with pytest.raises(ValidationError):
        actions.relate_incidents(cast.documenter, incident, incident, "same_as")
    with pytest.raises(ValidationError):
        actions.relate_incidents(cast.documenter, incident, other, "causes")
    actions.unrelate_incidents(cast.documenter, relation)
    assert not IncidentRelation.objects.exists()


def test_incidents_of_another_organisation_cannot_be_related(cast, incident, beacon_incident):
    with pytest.raises(PermissionDenied):
        actions.relate_incidents(cast.documenter, incident, beacon_incident, "same_as")
    with pytest.raises(ValidationError):
        actions.relate_incidents(None, incident, beacon_incident, "same_as")


# --- Violations ----------------------------------------------------------------------------------


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


# --- Persons -------------------------------------------------------------------------------------


def test_person_identity_is_encrypted_at_rest_and_never_audited(cast):
    person = actions.create_person(
        cast.documenter,
        cast.acme,
        status="missing",
        full_name="Олена Коваленко",
        names=[{"name": "Олена Коваленко", "script": "Cyrl", "transliteration": "Olena Kovalenko"}],
        other_names=["Lena"],
        date_of_birth="1990-02-03",
        age_range={"min": 30, "max": 35},
        sex="female",
        nationalities=["ua"],
        languages=["uk", "ru"],
        contacts=["+380 00 000 0000"],
        identity_documents=[{"type": "passport", "number": "FA123456"}],
    )
    assert len(person.code) == 7 and person.code.startswith("P-")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, date_of_birth, contacts FROM violations_person WHERE id = %s",
            [person.pk],
        )
        raw = cursor.fetchone()
    assert all(value.startswith("jw1.") for value in raw)
    assert "Коваленко" not in str(raw)
    entry = last_audit("violations.person.created")
    assert "Коваленко" not in str(entry.diff) and "1990" not in str(entry.diff)
    assert "full_name" in entry.diff["identity_fields"]
    reloaded = Person.objects.get(pk=person.pk)
    assert reloaded.full_name == "Олена Коваленко"
    assert reloaded.date_of_birth == dt.date(1990, 2, 3)
    assert reloaded.nationalities == ["UA"]
    kinds = set(PersonIndex.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == {"name", "name_key", "dob", "document"}


def test_person_codes_are_random_not_derived(cast):
    codes = {make_person(cast.acme, full_name="Same Name").code for _ in range(5)}
    assert len(codes) == 5


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        ({"nationalities": ["XX"]}, "nationalities"),
        ({"date_of_birth": "03/02/1990"}, "date_of_birth"),
        ({"date_of_birth": timezone.localdate() + dt.timedelta(days=1)}, "date_of_birth"),
        ({"age_range": {"min": 40, "max": 30}}, "age_range"),
        ({"age_range": {"min": -1}}, "age_range"),
        ({"names": [{"nom": "x"}]}, "names"),
        ({"identity_documents": [{"type": "passport"}]}, "identity_documents"),
        ({"other_names": "Lena"}, "other_names"),
        ({"full_name": 42}, "full_name"),
        ({"shoe_size": 44}, "shoe_size"),
    ],
)
def test_bad_identity_input_names_the_field(cast, identity, field):
    with pytest.raises(ValidationError) as excinfo:
        actions.create_person(cast.documenter, cast.acme, **identity)
    assert field in excinfo.value.message_dict
    assert not Person.objects.exists()


def test_duplicate_check_across_scripts_spellings_and_formats(cast, person, beacon):
    dob = "1990-02-03"
    make_person(beacon, full_name="Olena Kovalenko", date_of_birth=dt.date(1990, 2, 3))
    other = make_person(cast.acme, full_name="Ivan Petrenko", date_of_birth=dt.date(1990, 2, 3))

    def dup(**kw):
        return actions.check_duplicates(None, cast.acme, **kw).codes  # the system sees all

    assert dup(name="Olena Kovalenko", dob=dob) == [person.code]  # Latin of a Cyrillic name
    assert dup(name="Коваленко Олена", documents=["fa123456"]) == [person.code]  # word order
    assert dup(name="олена  КОВАЛЕНКО", dob=dob) == [person.code]
    assert dup(dob=dob, documents=["FA-123 456"]) == [person.code]
    assert dup(name="Петренко Іван", dob=dob) == [other.code]
    # Only the date of birth matches (two persons): one field is not a possible duplicate.
    assert dup(name="Nobody Known", dob=dob) == []
    assert dup(name="Olena Kovalenko", dob=dob, exclude=person) == []
    for alone in ({"dob": dob}, {"name": "Olena Kovalenko"}, {"documents": ["FA123456"]}, {}):
        with pytest.raises(ValidationError, match="at least two identifying fields"):
            dup(**alone)
    with pytest.raises(PermissionDenied):
        actions.check_duplicates(cast.viewer, cast.acme, name="Olena Kovalenko", dob=dob)
    with pytest.raises(PermissionDenied):
        actions.check_duplicates(cast.outsider, cast.acme, name="Olena Kovalenko", dob=dob)


def test_arabic_names_meet_their_latin_spelling(cast):
    person = make_person(
        cast.acme,
        names=[{"name": "محمد خالد", "script": "Arab"}],
        date_of_birth=dt.date(1980, 1, 1),
    )
    check = actions.check_duplicates(None, cast.acme, name="Mohammed Khaled", dob="1980-01-01")
    assert check.codes == [person.code]


def test_update_person_recomputes_indexes_and_hides_values_in_the_audit(cast, person):
    with pytest.raises(PermissionDenied, match="need-to-know"):  # cannot change what you cannot see
        actions.update_person(cast.documenter, person, full_name="Maria Rossi")
    actions.grant_need_to_know(None, cast.documenter, person, reason="Correct the name")
    actions.update_person(cast.documenter, person, full_name="Maria Rossi", status="deceased")
    dob = "1990-02-03"
    assert actions.check_duplicates(None, cast.acme, name="Maria Rossi", dob=dob).codes == [
        person.code
    ]
    assert actions.check_duplicates(None, cast.acme, name="Olena Kovalenko", dob=dob).codes == []
    entry = last_audit("violations.person.identity_changed")
    assert entry.diff == {"full_name": "changed", "status": ["unknown", "deceased"]}
    with pytest.raises(PermissionDenied):
        actions.update_person(cast.viewer, person, status="alive")


# --- Need to know --------------------------------------------------------------------------------


def test_reveal_needs_capability_and_a_current_grant(cast, person):
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.analyst, person)  # capability but no grant
    with pytest.raises(PermissionDenied):
        actions.grant_need_to_know(
            cast.documenter, cast.analyst, person, "case file"
        )  # no identity.grant
    grant = actions.grant_need_to_know(
        cast.admin,
        cast.analyst,
        person,
        "Preparing the case file",
        timezone.now() + dt.timedelta(days=7),
    )
    identity = actions.reveal_identity(cast.analyst, person)
    assert identity["full_name"] == "Олена Коваленко"
    assert identity["code"] == person.code
    entry = last_audit("violations.person.identity_revealed")
    assert entry.actor_id == cast.analyst.pk
    assert "full_name" in entry.diff["fields"]
    # Neither the name nor the document number (FA 123-456) reaches the log. Check the
    # number itself: the random pseudonym may contain the letters "FA" by chance.
    assert "Коваленко" not in str(entry.diff)
    assert "123-456" not in str(entry.diff) and "123456" not in str(entry.diff)
    actions.revoke_grant(cast.admin, grant)
    assert last_audit("violations.grant.revoked").diff["user"] == cast.analyst.pk
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.analyst, person)


def test_expired_grant_does_not_reveal(cast, person):
    grant = actions.grant_need_to_know(
        cast.admin, cast.analyst, person, "Interview", timezone.now() + dt.timedelta(hours=1)
    )
    type(grant).objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.analyst, person)


def test_grant_without_identity_reveal_capability_does_not_reveal(cast, person):
    actions.grant_need_to_know(cast.admin, cast.viewer, person, "Curious")
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.viewer, person)


def test_grants_need_a_reason_a_future_expiry_and_a_member(cast, person):
    with pytest.raises(ValidationError) as excinfo:
        actions.grant_need_to_know(cast.admin, cast.analyst, person, "  ")
    assert "reason" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        actions.grant_need_to_know(
            cast.admin, cast.analyst, person, "x", timezone.now() - dt.timedelta(days=1)
        )
    assert "expires_at" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        actions.grant_need_to_know(cast.admin, cast.outsider, person, "x")
    assert "user" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.grant_need_to_know(cast.beacon_admin, cast.outsider, person, "x")


def test_outsider_cannot_reveal_even_with_a_grant_row(cast, person):
    from justicework.core.models import AccessGrant

    AccessGrant.objects.create(
        user=cast.outsider,
        organisation=cast.acme,
        capability="identity.reveal",
        object_type="violations.person",
        object_id=str(person.pk),
        reason="forged",
    )
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.outsider, person)


# --- Restricted incidents ------------------------------------------------------------------------


def test_restricted_incidents_are_need_to_know(cast, incident, violation):
    actions.update_incident(cast.admin, incident, sensitivity="restricted")
    for user in [cast.viewer, cast.analyst, cast.documenter]:
        user.forget_memberships()
        assert not policy.can(user, "view", incident)
        assert incident not in policy.visible(user, Incident)
        assert violation not in policy.visible(user, Violation)
        assert not policy.can(user, "view", violation)
    assert incident in policy.visible(cast.admin, Incident)
    assert policy.can(cast.admin, "view", violation)
    with pytest.raises(PermissionDenied):
        actions.add_violation(cast.documenter, incident, type="torture")
    grant = actions.grant_incident_access(cast.admin, cast.viewer, incident, "Reviewing")
    assert policy.can(cast.viewer, "view", incident)
    assert list(policy.visible(cast.viewer, Violation)) == [violation]
    assert not policy.can(cast.viewer, "change", incident)  # the role still decides
    actions.revoke_grant(cast.admin, grant)
    assert not policy.can(cast.viewer, "view", incident)
    assert list(search_incidents(cast.viewer, Filters(q="market"))) == []
    assert list(search_incidents(cast.admin, Filters(q="market"))) == [incident]


def test_the_creator_keeps_access_to_a_restricted_incident(cast):
    incident = actions.create_incident(
        cast.documenter,
        cast.acme,
        title="Sensitive",
        start_date=dt.date(2023, 1, 1),
        sensitivity="restricted",
    )
    assert policy.can(cast.documenter, "view", incident)
    assert not policy.can(cast.viewer, "view", incident)


def test_other_organisations_see_nothing(cast, incident, violation, person):
    for model in [Incident, Violation, Person, Location, PersonRole]:
        assert not policy.visible(cast.outsider, model).exists()
    assert not policy.can(cast.outsider, "view", incident)
    assert not policy.can(cast.outsider, "view", person)
    assert list(search_incidents(cast.outsider, Filters(q="market"))) == []


def test_create_actions_are_answered_on_the_organisation(cast):
    assert policy.can(cast.documenter, "create_incident", cast.acme)
    assert not policy.can(cast.viewer, "create_incident", cast.acme)
    assert not policy.can(cast.outsider, "create_incident", cast.acme)
    assert list(policy.visible(cast.documenter, type(cast.acme), "create_incident")) == [cast.acme]
    # core's own actions still work
    assert policy.can(cast.admin, "manage", cast.acme)
    assert not policy.can(cast.documenter, "manage", cast.acme)


# --- Units, perpetrations, sources ---------------------------------------------------------------


def test_units_hierarchy_commanders_and_perpetrations(cast, violation, person):
    brigade = make_unit(cast.acme, name="12th Brigade")
    battalion = actions.create_unit(
        cast.documenter, cast.acme, name="2nd Battalion", kind="armed_forces", parent=brigade
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.update_unit(cast.documenter, brigade, parent=battalion)
    assert "parent" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        actions.create_unit(cast.documenter, cast.acme, name="X", kind="wizards")
    with pytest.raises(ValidationError):
        actions.create_unit(cast.documenter, cast.acme, name="X", kind="militia", country="ZZ")
    foreign = make_unit(cast.beacon, name="FARDC 3rd", country="CD")
    with pytest.raises(ValidationError):
        actions.update_unit(cast.documenter, battalion, parent=foreign)

    commander = make_person(cast.acme, full_name="Commander One")
    command = actions.add_unit_commander(
        cast.documenter, battalion, commander, title="Lt Col", start_date=dt.date(2022, 1, 1)
    )
    with pytest.raises(ValidationError):
        actions.update_unit_commander(cast.documenter, command, end_date=dt.date(2021, 1, 1))
    actions.update_unit_commander(cast.documenter, command, end_date=dt.date(2023, 1, 1))

    actions.add_perpetration(cast.documenter, violation, unit=battalion, involvement="direct")
    actions.add_perpetration(
        cast.documenter,
        violation,
        person=commander,
        unit=battalion,
        involvement="failed_to_prevent",
    )
    with pytest.raises(ValidationError):
        actions.add_perpetration(cast.documenter, violation, involvement="direct")
    with pytest.raises(ValidationError):
        actions.add_perpetration(
            cast.documenter, violation, unit=battalion, involvement="bystander"
        )
    with pytest.raises(ValidationError):
        actions.add_perpetration(cast.documenter, violation, unit=foreign, involvement="direct")
    with pytest.raises(PermissionDenied):
        actions.add_perpetration(cast.viewer, violation, unit=battalion, involvement="direct")
    assert violation.perpetrations.count() == 2
    assert list(search_incidents(cast.documenter, Filters(q="Battalion"))) == [violation.incident]
    actions.update_unit(cast.documenter, battalion, name="Storm Battalion")
    assert list(search_incidents(cast.documenter, Filters(q="Storm"))) == [violation.incident]


def test_sources_are_graded_and_linked(cast, incident, violation, beacon_incident):
    source = actions.create_source(
        cast.documenter,
        cast.acme,
        kind="witness_testimony",
        title="Interview 14",
        reliability="B",
        credibility="2",
        language="uk",
        date=dt.date(2023, 6, 1),
        incidents=[incident],
    )
    assert source.grade == "B2"
    actions.link_source(cast.documenter, source, violation=violation)
    assert list(violation.sources.all()) == [source]
    for bad, field in [
        ({"reliability": "G"}, "reliability"),
        ({"credibility": "7"}, "credibility"),
        ({"language": "xx"}, "language"),
        ({"kind": "rumour"}, "kind"),
    ]:
        data = {"kind": "document", "title": "Bad", **bad}
        with pytest.raises(ValidationError) as excinfo:
            actions.create_source(cast.documenter, cast.acme, **data)
        assert field in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        actions.link_source(None, source, incident=beacon_incident)
    with pytest.raises(PermissionDenied):
        actions.link_source(cast.outsider, source, incident=incident)
    actions.update_source(cast.analyst, source, reliability="A")
    actions.unlink_source(cast.documenter, source, incident=incident)
    assert not source.incidents.exists()


# --- Bulk ----------------------------------------------------------------------------------------


def test_bulk_create_validates_every_row_first(cast, incident, person):
    rows = [
        {
            "incident": incident.pk,
            "type": "torture",
            "victim": person.code,
            "start_date": "2023-05-04",
        },
        {"incident": incident, "type": "nope"},
        {"incident": 999999, "type": "torture"},
        {"type": "torture"},
        {"incident": incident.pk, "type": "torture", "victim": "P-NOPE1"},
        {"incident": incident.pk, "type": "torture", "colour": "red"},
    ]
    with pytest.raises(actions.BulkRowErrors) as excinfo:
        actions.bulk_create_violations(cast.documenter, cast.acme, rows)
    fields = {(index, field) for index, field, _ in excinfo.value.rows}
    assert fields == {(1, "type"), (2, "incident"), (3, "incident"), (4, "victim"), (5, "colour")}
    assert "1.type" in excinfo.value.message_dict
    assert not Violation.objects.exists()


def test_bulk_create_writes_audits_and_indexes(cast, incident, person):
    other = make_incident(cast.acme, title="Convoy")
    rows = [
        {
            "incident": incident.pk,
            "type": "torture",
            "victim": person.code,
            "start_date": "2023-05-04",
        },
        {"incident": other.pk, "type": "pillage"},
        {"incident": str(other.pk), "type": "enforced_disappearance", "victim_outcome": "missing"},
    ]
    before = AuditEntry.objects.count()
    created = actions.bulk_create_violations(cast.documenter, cast.acme, rows)
    assert len(created) == 3 and all(v.pk for v in created)
    assert created[0].person_roles.get().person == person
    assert created[1].start_date == other.start_date and created[1].date_precision == "day"
    assert AuditEntry.objects.count() == before + 3
    assert list(search_incidents(cast.documenter, Filters(q="pillage"))) == [other]
    assert verify_chain().ok


def test_bulk_create_refuses_other_organisations_and_viewers(cast, incident, beacon_incident):
    with pytest.raises(PermissionDenied):
        actions.bulk_create_violations(
            cast.viewer, cast.acme, [{"incident": incident.pk, "type": "torture"}]
        )
    with pytest.raises(actions.BulkRowErrors):
        actions.bulk_create_violations(
            cast.documenter, cast.acme, [{"incident": beacon_incident.pk, "type": "torture"}]
        )
    with pytest.raises(actions.BulkRowErrors):
        actions.bulk_create_violations(
            cast.documenter, cast.acme, [{"incident": beacon_incident, "type": "torture"}]
        )
    actions.update_incident(cast.admin, incident, sensitivity="restricted")
    with pytest.raises(actions.BulkRowErrors):
        actions.bulk_create_violations(
            cast.documenter, cast.acme, [{"incident": incident.pk, "type": "torture"}]
        )
    assert not Violation.objects.exists()


def test_the_audit_chain_stays_valid(cast, incident, violation, person):
    actions.grant_need_to_know(cast.admin, cast.analyst, person, "case")
    actions.reveal_identity(cast.analyst, person)
    assert verify_chain().ok


def test_bulk_create_persons_encrypts_indexes_and_audits(cast):
    persons = actions.bulk_create_persons(
        cast.documenter,
        cast.acme,
        [
            {"full_name": "Олена Коваленко", "date_of_birth": "1990-02-03", "status": "missing"},
            {"names": [{"name": "محمد خالد", "script": "Arab"}], "date_of_birth": "1980-01-01"},
            {},
        ],
    )
    assert len({p.code for p in persons}) == 3
    assert Person.objects.get(pk=persons[0].pk).full_name == "Олена Коваленко"
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM violations_person WHERE id = %s", [persons[0].pk])
        assert cursor.fetchone()[0].startswith("jw1.")
    check = actions.check_duplicates
    assert check(None, cast.acme, name="Olena Kovalenko", dob="1990-02-03").codes == [
        persons[0].code
    ]
    assert check(None, cast.acme, name="Mohamed Khalid", dob="1980-01-01").codes == [
        persons[1].code
    ]
    entries = AuditEntry.objects.filter(action="violations.person.created")
    assert entries.count() == 3
    assert "Коваленко" not in str(list(entries.values_list("diff", flat=True)))


def test_bulk_create_persons_refuses_bad_rows_and_viewers(cast):
    with pytest.raises(actions.BulkRowErrors) as excinfo:
        actions.bulk_create_persons(
            cast.documenter,
            cast.acme,
            [{"full_name": "Ok"}, {"nationalities": ["XX"]}, {"status": "gone", "hat": 1}],
        )
    assert {(i, f) for i, f, _ in excinfo.value.rows} == {
        (1, "nationalities"),
        (2, "status"),
        (2, "hat"),
    }
    assert not Person.objects.exists()
    with pytest.raises(PermissionDenied):
        actions.bulk_create_persons(cast.viewer, cast.acme, [{}])


def test_bulk_create_incidents_with_locations(cast):
    incidents = actions.bulk_create_incidents(
        cast.documenter,
        cast.acme,
        [
            {
                "title": "Raid",
                "country": "ua",
                "start_date": dt.date(2022, 3, 1),
                "locations": [{"place_name": "Irpin", "subdivision": "UA-32"}],
            },
            {"title": "Camp", "country": "GE", "date_precision": "unknown", "status": "documented"},
        ],
    )
    assert [i.country for i in incidents] == ["UA", "GE"]
    assert incidents[0].locations.get().country == "UA"
    assert list(search_incidents(cast.documenter, Filters(q="Irpin"))) == [incidents[0]]
    assert AuditEntry.objects.filter(action="violations.incident.created").count() == 2
    with pytest.raises(actions.BulkRowErrors) as excinfo:
        actions.bulk_create_incidents(
            cast.documenter,
            cast.acme,
            [
                {"title": "", "start_date": dt.date(2022, 3, 1)},
                {"title": "x", "start_date": dt.date(2022, 3, 1), "status": "verified"},
                {
                    "title": "x",
                    "start_date": dt.date(2022, 3, 1),
                    "locations": [{"subdivision": "FR-75", "country": "UA"}],
                },
                {"title": "x", "country": "XX", "start_date": dt.date(2022, 3, 1)},
            ],
        )
    assert {(i, f) for i, f, _ in excinfo.value.rows} == {
        (0, "title"),
        (1, "status"),
        (2, "locations[0].subdivision"),
        (3, "country"),
    }
    assert Incident.objects.count() == 2


def test_bulk_create_perpetrations(cast, violation, beacon):
    unit = make_unit(cast.acme)
    commander = make_person(cast.acme)
    created = actions.bulk_create_perpetrations(
        cast.documenter,
        cast.acme,
        [
            {"violation": violation.pk, "unit": unit.pk, "involvement": "direct"},
            {"violation": violation, "person": commander.code, "involvement": "ordered"},
        ],
    )
    assert len(created) == 2
    assert list(search_incidents(cast.documenter, Filters(q="Motorised"))) == [violation.incident]
    foreign = make_unit(beacon)
    with pytest.raises(actions.BulkRowErrors) as excinfo:
        actions.bulk_create_perpetrations(
            cast.documenter,
            cast.acme,
            [
                {"violation": violation.pk, "involvement": "direct"},
                {"violation": violation.pk, "unit": unit.pk, "involvement": "nope"},
                {"violation": violation.pk, "unit": foreign, "involvement": "direct"},
                {"unit": unit.pk, "involvement": "direct"},
            ],
        )
    assert {(i, f) for i, f, _ in excinfo.value.rows} == {
        (0, "unit"),
        (1, "involvement"),
        (2, "unit"),
        (3, "violation"),
    }
    with pytest.raises(PermissionDenied):
        actions.bulk_create_perpetrations(cast.viewer, cast.acme, [])
