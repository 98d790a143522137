"""Units, their hierarchy and commanders, and perpetrations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework import search
from justicework.violations import actions
from justicework.violations.models import (
    Incident,
)

from ..conftest import make_person, make_unit

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
    assert search.query(cast.documenter, Incident, "Battalion").objects == [violation.incident]
    actions.update_unit(cast.documenter, battalion, name="Storm Battalion")
    assert search.query(cast.documenter, Incident, "Storm").objects == [violation.incident]
