"""bulk_create_incidents (with locations) and bulk_create_perpetrations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import (
    Incident,
    Perpetration,
)
from justicework.violations.queries import Filters, search_incidents

from ..conftest import make_person, make_unit

pytestmark = pytest.mark.django_db


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


def test_bulk_perpetrations_store_what_add_perpetration_stores(cast, violation):
    # Written from tuples (no instances), they must be the single action's rows and entries.
    unit = make_unit(cast.acme)
    commander = make_person(cast.acme)
    single = actions.add_perpetration(
        cast.documenter,
        violation,
        involvement="direct",
        unit=unit,
        person=commander,
        note="seen",
    )
    row = {"violation": violation.pk, "unit": unit.pk, "person": commander.code}
    ids = actions.bulk_create_perpetrations(
        cast.documenter,
        cast.acme,
        [{**row, "involvement": "direct", "note": "seen"}],
        instances=False,
    )
    fields = ["organisation_id", "violation_id", "person_id", "unit_id", "involvement", "note"]
    stored = Perpetration.objects.order_by("pk").values_list(*fields)
    assert [single.pk, *ids] == list(
        Perpetration.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert stored[0] == stored[1]
    entries = AuditEntry.objects.filter(action="violations.perpetration.created").order_by("seq")
    assert [(e.object_type, e.object_id, e.actor_id, e.diff) for e in entries] == [
        ("violations.perpetration", str(pk), cast.documenter.pk, entries[0].diff)
        for pk in [single.pk, *ids]
    ]
    back = Perpetration.objects.get(pk=ids[0])
    made = actions.bulk_create_perpetrations(
        cast.documenter, cast.acme, [{**row, "involvement": "ordered"}]
    )
    assert made[0].pk == back.pk + 1 and not made[0]._state.adding
    assert made[0].unit == unit and made[0].person == commander
