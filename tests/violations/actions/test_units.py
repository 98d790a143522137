"""Units, their hierarchy and commanders, and perpetrations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.violations import actions
from justicework.violations.queries import Filters, search_incidents

from ..conftest import last_audit, make_person, make_unit

pytestmark = pytest.mark.django_db


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


def test_a_unit_cannot_become_part_of_itself_or_of_its_own_part(cast):
    brigade = make_unit(cast.acme, name="Brigade")
    battalion = make_unit(cast.acme, name="Battalion", parent=brigade)
    with pytest.raises(ValidationError) as caught:
        actions.update_unit(cast.documenter, brigade, parent=battalion)
    assert caught.value.message_dict == {"parent": ["A unit cannot be part of itself."]}
    assert brigade.parent is None  # the refused change is undone on the caller's object


def test_a_parent_of_another_organisation_and_bad_aliases_are_refused(cast):
    theirs = make_unit(cast.beacon, name="Theirs")
    with pytest.raises(ValidationError) as caught:
        actions.create_unit(cast.documenter, cast.acme, name="X", kind="militia", parent=theirs)
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.create_unit(cast.documenter, cast.acme, name="X", kind="militia", aliases="Y")
    assert caught.value.message_dict == {"aliases": ["Expected a list of names."]}


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_viewer_or_an_outsider_cannot_create_or_change_units(cast, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        actions.create_unit(user, cast.acme, name="X", kind="militia")
    unit = make_unit(cast.acme)
    with pytest.raises(PermissionDenied):
        actions.update_unit(user, unit, name="Renamed")


def test_commanders_of_another_organisation_are_refused_and_changes_audited(cast):
    unit = make_unit(cast.acme)
    stranger = make_person(cast.beacon)
    with pytest.raises(ValidationError) as caught:
        actions.add_unit_commander(cast.documenter, unit, stranger, title="Colonel")
    assert "person" in caught.value.message_dict
    commander = make_person(cast.acme)
    command = actions.add_unit_commander(
        cast.documenter, unit, commander, title="Colonel", start_date=dt.date(2022, 1, 1)
    )
    actions.update_unit_commander(cast.documenter, command, title="General")
    assert last_audit("violations.unit.commander_updated").diff == {"title": ["Colonel", "General"]}
    actions.remove_unit_commander(cast.documenter, command)
    assert last_audit("violations.unit.commander_removed").diff == {"unit": unit.pk}
