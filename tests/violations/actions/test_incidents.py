"""Incident actions: create, edit, status, delete, locations; who may and who may not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.violations import actions
from justicework.violations.models import (
    Incident,
    Location,
    Violation,
)
from justicework.violations.queries import Filters, search_incidents

from ..conftest import last_audit

pytestmark = pytest.mark.django_db


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


def test_create_actions_are_answered_on_the_organisation(cast):
    assert policy.can(cast.documenter, "create_incident", cast.acme)
    assert not policy.can(cast.viewer, "create_incident", cast.acme)
    assert not policy.can(cast.outsider, "create_incident", cast.acme)
    assert list(policy.visible(cast.documenter, type(cast.acme), "create_incident")) == [cast.acme]
    # core's own actions still work
    assert policy.can(cast.admin, "manage", cast.acme)
    assert not policy.can(cast.documenter, "manage", cast.acme)


def test_a_refused_edit_leaves_the_incident_as_it_was(cast, incident):
    title = incident.title
    with pytest.raises(ValidationError) as caught:
        actions.update_incident(cast.documenter, incident, title="", country="ZZ")
    assert {"title", "country"} <= set(caught.value.message_dict)
    assert (incident.title, incident.country) == (title, "UA")
    incident.refresh_from_db()
    assert incident.title == title


def test_fields_an_action_does_not_set_are_refused_by_name(cast, incident):
    with pytest.raises(ValidationError) as caught:
        actions.update_incident(cast.documenter, incident, organisation=cast.beacon)
    assert caught.value.message_dict == {"organisation": ["This field cannot be set here."]}
    with pytest.raises(ValidationError) as caught:
        actions.change_incident_status(cast.documenter, incident, "archived")
    assert caught.value.message_dict == {"status": ["'archived' is not a status."]}


def test_a_location_with_a_bad_field_is_refused_naming_its_position(cast):
    with pytest.raises(ValidationError) as caught:
        actions.create_incident(
            cast.documenter,
            cast.acme,
            title="Raid",
            country="UA",
            start_date=dt.date(2023, 5, 4),
            locations=[{"place_name": "Kharkiv"}, {"latitude": 91}],
        )
    assert "locations[1].latitude" in caught.value.message_dict
    assert not Incident.objects.exists()


def test_removing_a_location_is_audited_and_needs_delete(cast, incident):
    location = incident.locations.get()
    with pytest.raises(PermissionDenied):
        actions.remove_location(cast.viewer, location)
    actions.remove_location(cast.documenter, location)
    assert last_audit("violations.location.deleted").diff == {"incident": incident.pk}
    assert not incident.locations.exists()


def test_changing_a_verified_incident_needs_a_reason_and_returns_it_to_documented(cast):
    incident = actions.create_incident(
        None, cast.acme, title="Raid", date_precision="unknown", status="verified"
    )
    with pytest.raises(ValidationError) as caught:
        actions.update_incident(cast.documenter, incident, title="Night raid")
    assert "reason" in caught.value.message_dict
    assert incident.title == "Raid"  # the caller's object is left as it was
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Raid", "verified")
    with pytest.raises(ValidationError):
        actions.update_incident(cast.documenter, incident, title="Night raid", reason="   ")

    actions.update_incident(cast.documenter, incident, title="Night raid", reason="New witness")
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Night raid", "documented")
    entry = last_audit("violations.incident.updated")
    assert entry.diff == {
        "title": ["Raid", "Night raid"],
        "status": ["verified", "documented"],
        "reason": "New witness",
    }
    # Documented now: later edits need no reason.
    actions.update_incident(cast.documenter, incident, title="Night raid on the village")


def test_a_verified_incident_set_to_the_same_values_stays_verified_without_a_reason(cast):
    incident = actions.create_incident(
        None, cast.acme, title="Raid", date_precision="unknown", status="verified"
    )
    actions.update_incident(cast.documenter, incident, title="Raid")
    incident.refresh_from_db()
    assert incident.status == "verified"


def test_a_viewer_cannot_change_a_verified_incident_even_with_a_reason(cast):
    incident = actions.create_incident(
        None, cast.acme, title="Raid", date_precision="unknown", status="verified"
    )
    with pytest.raises(PermissionDenied):
        actions.update_incident(cast.viewer, incident, title="Night raid", reason="Because")
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Raid", "verified")
