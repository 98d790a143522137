"""Need-to-know grants on identities and restricted incidents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.core.models import AccessGrant
from justicework.violations import actions
from justicework.violations.models import (
    Incident,
    Location,
    Person,
    PersonRole,
    Violation,
)
from justicework.violations.queries import Filters, search_incidents

from ..conftest import last_audit, make_incident

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("who", ["documenter", "analyst", "outsider"])
def test_only_the_organisations_grantors_grant_need_to_know(cast, person, who):
    with pytest.raises(PermissionDenied):
        actions.grant_need_to_know(getattr(cast, who), cast.analyst, person, "Case file")
    assert not AccessGrant.objects.exists()


def test_a_grant_is_audited_with_its_reason_and_revoked_once(cast, person):
    grant = actions.grant_need_to_know(cast.admin, cast.analyst, person, " Case file ")
    entry = last_audit("violations.person.need_to_know_granted")
    assert entry.diff == {
        "grant": grant.pk,
        "user": cast.analyst.pk,
        "reason": "Case file",
        "expires_at": None,
    }
    assert policy.can(cast.analyst, "reveal_identity", person)
    actions.revoke_grant(cast.admin, grant)
    revoked_at = grant.revoked_at
    actions.revoke_grant(cast.admin, grant)  # idempotent: no second entry
    assert grant.revoked_at == revoked_at
    assert AuditEntry.objects.filter(action="violations.grant.revoked").count() == 1
    assert not policy.can(cast.analyst, "reveal_identity", person)


def test_a_grant_reason_is_bounded(cast, person):
    with pytest.raises(ValidationError) as caught:
        actions.grant_need_to_know(cast.admin, cast.analyst, person, "x" * 301)
    assert caught.value.message_dict == {"reason": ["At most 300 characters."]}


def test_an_incident_grant_is_admins_only_and_audited(cast):
    restricted = make_incident(cast.acme, sensitivity=Incident.Sensitivity.RESTRICTED)
    with pytest.raises(PermissionDenied):
        actions.grant_incident_access(cast.documenter, cast.analyst, restricted, "Review")
    grant = actions.grant_incident_access(cast.admin, cast.analyst, restricted, "Review")
    assert last_audit("violations.incident.access_granted").diff["grant"] == grant.pk
    assert policy.can(cast.analyst, "view", restricted)
