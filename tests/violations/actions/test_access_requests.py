"""Identity access as actions: the creator's automatic grant, asking for need-to-know,
deciding (approve with an expiry, refuse with a reason), and need-to-know on a set of persons in
one decision. Each denial leaves nothing written."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.core.models import AccessGrant
from justicework.violations import actions
from justicework.violations.models import IdentityAccessRequest, Person

from ..conftest import last_audit, make_incident, make_person, make_violation

pytestmark = pytest.mark.django_db

LATER = timezone.now() + dt.timedelta(days=10)


def _grants(user: Any) -> int:
    return AccessGrant.objects.filter(user=user, revoked_at__isnull=True).count()


# --- The creator's grant ---------------------------------------------------------------------


def test_the_creator_of_a_person_may_open_its_identity_for_a_limited_time(
    cast: SimpleNamespace, settings: Any
) -> None:
    settings.CREATOR_NEED_TO_KNOW_DAYS = 7
    person = actions.create_person(cast.documenter, cast.acme, full_name="Taras Melnyk")
    assert policy.can(cast.documenter, "reveal_identity", person)
    grant = AccessGrant.objects.get(user=cast.documenter)
    assert grant.expires_at is not None
    assert dt.timedelta(days=6, hours=23) < grant.expires_at - timezone.now() <= dt.timedelta(7)
    entry = last_audit("violations.person.creator_need_to_know_granted")
    assert entry.object_id == str(person.pk)
    assert "Taras" not in str(entry.diff)
    assert not policy.can(cast.analyst, "reveal_identity", person)  # only the creator


def test_the_creators_grant_ends_when_it_expires(cast: SimpleNamespace) -> None:
    person = actions.create_person(cast.documenter, cast.acme, full_name="Taras Melnyk")
    AccessGrant.objects.filter(user=cast.documenter).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not policy.can(cast.documenter, "reveal_identity", person)


def test_the_system_gets_no_grant(cast: SimpleNamespace) -> None:
    make_person(cast.acme, full_name="Taras Melnyk")
    assert not AccessGrant.objects.exists()


# --- Asking ----------------------------------------------------------------------------------


def test_a_member_asks_with_a_reason_once_at_a_time(cast: SimpleNamespace) -> None:
    person = make_person(cast.acme)
    request = actions.request_identity_access(cast.analyst, person, "  Preparing the case file ")
    assert request.status == IdentityAccessRequest.Status.PENDING
    assert request.reason == "Preparing the case file"
    assert last_audit("violations.person.access_requested").diff["request"] == request.pk
    with pytest.raises(ValidationError, match="already waiting"):
        actions.request_identity_access(cast.analyst, person, "Again")
    assert IdentityAccessRequest.objects.count() == 1


def test_a_request_without_a_reason_is_refused_and_nothing_written(cast: SimpleNamespace) -> None:
    person = make_person(cast.acme)
    with pytest.raises(ValidationError) as info:
        actions.request_identity_access(cast.analyst, person, "   ")
    assert "reason" in info.value.message_dict
    assert not IdentityAccessRequest.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "officer", "outsider", "beacon_admin"])
def test_who_may_not_open_identities_there_cannot_ask(cast: SimpleNamespace, who: str) -> None:
    person = make_person(cast.acme)
    with pytest.raises(PermissionDenied):
        actions.request_identity_access(getattr(cast, who), person, "Curious")
    assert not IdentityAccessRequest.objects.exists()


def test_who_already_holds_need_to_know_cannot_ask(cast: SimpleNamespace) -> None:
    person = actions.create_person(cast.documenter, cast.acme, full_name="Taras Melnyk")
    decision = policy.can(cast.documenter, "request_identity_access", person)
    assert not decision and "already hold" in str(decision.reason)


# --- Deciding --------------------------------------------------------------------------------


@pytest.mark.parametrize("decider", ["admin", "coordinator"])
def test_an_admin_or_a_support_coordinator_approves_until_a_day(
    cast: SimpleNamespace, decider: str
) -> None:
    person = make_person(cast.acme)
    request = actions.request_identity_access(cast.analyst, person, "Case file")
    actions.decide_identity_request(getattr(cast, decider), request, approve=True, expires_at=LATER)
    request.refresh_from_db()
    assert request.status == IdentityAccessRequest.Status.APPROVED
    assert request.grant is not None and request.grant.expires_at == LATER
    assert request.decided_by == getattr(cast, decider)
    assert policy.can(cast.analyst, "reveal_identity", person)
    entry = last_audit("violations.person.access_request_decided")
    assert entry.diff["status"] == "approved" and entry.diff["grant"] == request.grant_id


def test_a_refusal_needs_a_reason_and_the_requester_sees_it(cast: SimpleNamespace) -> None:
    person = make_person(cast.acme)
    request = actions.request_identity_access(cast.analyst, person, "Case file")
    with pytest.raises(ValidationError) as info:
        actions.decide_identity_request(cast.admin, request, approve=False, note="")
    assert "note" in info.value.message_dict
    request.refresh_from_db()
    assert request.status == IdentityAccessRequest.Status.PENDING
    actions.decide_identity_request(cast.admin, request, approve=False, note="Not your case")
    request.refresh_from_db()
    assert (request.status, request.decision_note) == ("refused", "Not your case")
    assert not policy.can(cast.analyst, "reveal_identity", person)
    assert policy.can(cast.analyst, "view", request)


def test_an_approval_needs_an_expiry(cast: SimpleNamespace) -> None:
    request = actions.request_identity_access(cast.analyst, make_person(cast.acme), "Case")
    with pytest.raises(ValidationError, match="until when"):
        actions.decide_identity_request(cast.admin, request, approve=True)
    assert not AccessGrant.objects.filter(user=cast.analyst).exists()


@pytest.mark.parametrize("who", ["documenter", "analyst", "viewer", "beacon_admin", "superuser"])
def test_others_cannot_decide(cast: SimpleNamespace, who: str) -> None:
    request = actions.request_identity_access(cast.analyst, make_person(cast.acme), "Case")
    with pytest.raises(PermissionDenied):
        actions.decide_identity_request(getattr(cast, who), request, approve=True, expires_at=LATER)
    request.refresh_from_db()
    assert request.status == "pending" and not AccessGrant.objects.exists()


def test_a_decider_cannot_approve_their_own_request(cast: SimpleNamespace) -> None:
    request = actions.request_identity_access(cast.coordinator, make_person(cast.acme), "Support")
    with pytest.raises(PermissionDenied, match="your own"):
        actions.decide_identity_request(cast.coordinator, request, approve=True, expires_at=LATER)
    actions.decide_identity_request(cast.admin, request, approve=True, expires_at=LATER)
    assert _grants(cast.coordinator) == 1


def test_a_decided_request_is_not_decided_again(cast: SimpleNamespace) -> None:
    request = actions.request_identity_access(cast.analyst, make_person(cast.acme), "Case")
    actions.decide_identity_request(cast.admin, request, approve=False, note="No")
    with pytest.raises(ValidationError, match="already decided"):
        actions.decide_identity_request(cast.coordinator, request, approve=True, expires_at=LATER)
    assert not AccessGrant.objects.exists()


# --- A set of persons ------------------------------------------------------------------------


def test_an_admin_grants_a_set_of_persons_in_one_audited_decision(cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme)
    victims = [make_person(cast.acme, full_name=f"Victim {n}") for n in range(3)]
    for victim in victims:
        make_violation(incident, victim=victim)
    actions.grant_need_to_know(cast.admin, cast.analyst, victims[0], "Already")
    theirs = make_person(cast.beacon)
    before = AuditEntry.objects.count()
    granted = actions.grant_need_to_know_for_set(
        cast.admin,
        cast.acme,
        cast.analyst,
        Person.objects.filter(pk__in=[v.pk for v in victims] + [theirs.pk]),
        reason="Export for the mechanism",
        expires_at=LATER,
        selection={"incident_list": "q=market"},
    )
    assert granted == 2  # the one already held is not granted twice
    assert all(policy.can(cast.analyst, "reveal_identity", v) for v in victims)
    assert AuditEntry.objects.count() == before + 1  # one decision, one entry
    entry = last_audit("violations.person.need_to_know_granted_set")
    assert entry.diff["persons"] == 3 and entry.diff["granted"] == 2
    assert entry.diff["selection"] == {"incident_list": "q=market"}
    assert "Victim" not in str(entry.diff)
    assert not AccessGrant.objects.filter(object_id=str(theirs.pk)).exists()


@pytest.mark.parametrize("who", ["documenter", "coordinator", "beacon_admin"])
def test_only_the_organisations_admins_grant_a_set(cast: SimpleNamespace, who: str) -> None:
    person = make_person(cast.acme)
    with pytest.raises(PermissionDenied):
        actions.grant_need_to_know_for_set(
            getattr(cast, who),
            cast.acme,
            cast.analyst,
            Person.objects.filter(pk=person.pk),
            reason="x",
            expires_at=LATER,
            selection={},
        )
    assert not AccessGrant.objects.exists()


def test_a_set_grant_needs_a_reason_a_future_end_and_a_member(cast: SimpleNamespace) -> None:
    person = make_person(cast.acme)
    with pytest.raises(ValidationError) as info:
        actions.grant_need_to_know_for_set(
            cast.admin,
            cast.acme,
            cast.outsider,
            Person.objects.filter(pk=person.pk),
            reason=" ",
            expires_at=timezone.now() - dt.timedelta(days=1),
            selection={},
        )
    assert set(info.value.message_dict) == {"reason", "expires_at", "user"}
    assert not AccessGrant.objects.exists()
