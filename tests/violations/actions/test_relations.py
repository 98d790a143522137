"""Relating incidents: same organisation only, never to itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import Incident, IncidentRelation

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


def test_an_incident_cannot_be_related_to_itself(cast, incident):
    with pytest.raises(ValidationError) as caught:
        actions.relate_incidents(cast.documenter, incident, incident, "same_as")
    assert caught.value.message_dict == {
        "to_incident": ["An incident cannot be related to itself."]
    }


def test_relating_needs_change_on_one_and_view_on_the_other(cast, incident):
    other = make_incident(cast.acme, title="Second strike")
    with pytest.raises(PermissionDenied):
        actions.relate_incidents(cast.viewer, incident, other, "precedes")
    hidden = make_incident(cast.acme, title="Closed", sensitivity=Incident.Sensitivity.RESTRICTED)
    with pytest.raises(PermissionDenied):
        actions.relate_incidents(cast.documenter, incident, hidden, "precedes")
    assert not IncidentRelation.objects.exists()


def test_an_unknown_kind_of_relation_is_refused_and_removal_is_audited(cast, incident):
    other = make_incident(cast.acme, title="Second strike")
    with pytest.raises(ValidationError) as caught:
        actions.relate_incidents(cast.documenter, incident, other, "caused")
    assert "kind" in caught.value.message_dict
    relation = actions.relate_incidents(cast.documenter, incident, other, "precedes")
    actions.unrelate_incidents(cast.documenter, relation)
    entry = AuditEntry.objects.filter(action="violations.incident.unrelated").get()
    assert entry.diff == {"from": incident.pk, "to": other.pk, "kind": "precedes"}
    assert not IncidentRelation.objects.exists()
