"""Relating incidents: same organisation only, never to itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.violations import actions
from justicework.violations.models import (
    IncidentRelation,
)

from ..conftest import make_incident

pytestmark = pytest.mark.django_db


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
