"""Perpetrations: a violation attributed to a unit and/or a person of its organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.violations import actions
from justicework.violations.models import Perpetration
from justicework.violations.queries import Filters, search_incidents

from ..conftest import last_audit, make_person, make_unit

pytestmark = pytest.mark.django_db


def test_an_attribution_needs_a_unit_or_a_person(cast, violation):
    with pytest.raises(ValidationError) as caught:
        actions.add_perpetration(cast.documenter, violation, involvement="direct")
    assert caught.value.message_dict == {"person": ["Name a person, a unit or both."]}


def test_a_unit_of_another_organisation_is_refused(cast, violation):
    theirs = make_unit(cast.beacon, name="Their unit")
    with pytest.raises(ValidationError) as caught:
        actions.add_perpetration(cast.documenter, violation, unit=theirs, involvement="direct")
    assert "unit" in caught.value.message_dict
    assert not Perpetration.objects.exists()


def test_a_viewer_cannot_attribute(cast, violation):
    unit = make_unit(cast.acme)
    with pytest.raises(PermissionDenied):
        actions.add_perpetration(cast.viewer, violation, unit=unit, involvement="direct")


def test_an_unknown_degree_of_involvement_is_refused(cast, violation):
    unit = make_unit(cast.acme)
    with pytest.raises(ValidationError) as caught:
        actions.add_perpetration(cast.documenter, violation, unit=unit, involvement="vibes")
    assert "involvement" in caught.value.message_dict


def test_attributing_to_a_unit_makes_the_incident_findable_by_its_name(cast, violation):
    unit = make_unit(cast.acme, name="Kestrel Brigade")
    person = make_person(cast.acme, full_name="Ivan Petrov")
    perpetration = actions.add_perpetration(
        cast.documenter, violation, unit=unit, person=person, involvement="direct"
    )
    assert last_audit("violations.perpetration.created").diff == {
        "violation": violation.pk,
        "person": person.code,
        "unit": unit.pk,
        "involvement": "direct",
    }
    assert list(search_incidents(cast.documenter, Filters(q="Kestrel"))) == [violation.incident]
    actions.remove_perpetration(cast.documenter, perpetration)
    assert last_audit("violations.perpetration.deleted").diff == {"violation": violation.pk}
    assert list(search_incidents(cast.documenter, Filters(q="Kestrel"))) == []
