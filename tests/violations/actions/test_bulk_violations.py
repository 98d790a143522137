"""bulk_create_violations: every row validated first, then one write."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.violations import actions
from justicework.violations.models import (
    Incident,
    Violation,
)
from justicework.violations.queries import Filters, search_incidents

from ..conftest import make_incident

pytestmark = pytest.mark.django_db


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


def test_a_bulk_violation_is_audited_as_add_violation_audits_it(cast, incident, person):
    place = incident.locations.get()
    fields = {"type": "torture", "victim_age": 30, "description": "At the checkpoint."}
    single = actions.add_violation(
        cast.documenter, incident, victim=person, location=place, **fields
    )
    one = AuditEntry.objects.get(action="violations.violation.created", object_id=str(single.pk))
    [bulk] = actions.bulk_create_violations(
        cast.documenter,
        cast.acme,
        [{"incident": incident, "victim": person, "location": place, **fields}],
    )
    other = AuditEntry.objects.get(action="violations.violation.created", object_id=str(bulk.pk))
    assert other.diff == one.diff
    assert one.diff["victim"] == person.code and one.diff["location"] == place.pk


def test_a_row_naming_nothing_known_is_refused_field_by_field(cast, incident):
    rows = [
        {"type": "torture"},
        {"incident": 10**9, "type": "torture"},
        {"incident": incident, "type": "torture", "victim": "P-NONE1", "victim_group": "G-X"},
        {"incident": incident, "type": "torture", "colour": "red"},
    ]
    with pytest.raises(actions.BulkRowErrors) as caught:
        actions.bulk_create_violations(cast.documenter, cast.acme, rows)
    assert caught.value.message_dict == {
        "0.incident": ["This field is required."],
        "1.incident": [f"{10**9} was not found."],
        "2.victim": ["P-NONE1 was not found."],
        "2.victim_group": ["G-X was not found."],
        "3.colour": ["This field cannot be set here."],
    }
    assert not Violation.objects.exists()


def test_a_restricted_incident_is_refused_to_a_member_without_access(cast):
    restricted = make_incident(cast.acme, sensitivity=Incident.Sensitivity.RESTRICTED)
    with pytest.raises(actions.BulkRowErrors) as caught:
        actions.bulk_create_violations(
            cast.documenter, cast.acme, [{"incident": restricted, "type": "torture"}]
        )
    assert caught.value.rows == [(0, "incident", "You may not add violations to this incident.")]


def test_a_violation_without_dates_takes_its_incidents(cast, incident):
    [violation] = actions.bulk_create_violations(
        None, cast.acme, [{"incident": incident, "type": "torture"}]
    )
    stored = Violation.objects.get(pk=violation.pk)
    assert (stored.start_date, stored.date_precision) == (
        incident.start_date,
        incident.date_precision,
    )
