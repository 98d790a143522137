"""Referrals: consent asked through the one policy (use ``survivors.referral``, provider or
kind as the qualifier), refused with the reason and nothing written; status transitions in one
place (invalid ones refused, nothing changed); a withdrawal stops a pending referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.actions.referrals import TRANSITIONS, allowed_next
from justicework.survivors.models import Referral, ServiceProvider, SurvivorFile
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db

D, R = Scope.DOCUMENTATION, Scope.REFERRAL
S = Referral.Status


def data(provider: ServiceProvider | None = None, **fields: Any) -> actions.ReferralData:
    fields.setdefault("shared_items", ["code", "language"])
    return actions.ReferralData(provider=provider, **fields)


@pytest.fixture
def consented(coordinator: User, file: SurvivorFile, clinic: ServiceProvider) -> SurvivorFile:
    give(coordinator, file, D)
    give(coordinator, file, R, qualifier=clinic.name)
    return file


def test_referral_to_a_consented_provider_is_proposed_and_audited(
    coordinator: User, consented: SurvivorFile, clinic: ServiceProvider
) -> None:
    referral = actions.create_referral(
        coordinator, consented, data(clinic, note="Needs a female doctor.")
    )
    assert referral.status == S.PROPOSED and referral.kind == "medical"
    assert referral.responsible == coordinator and referral.person_id == consented.person_id
    entry = AuditEntry.objects.get(action="survivors.referral.created")
    assert "female" not in str(entry.diff) and entry.diff["shared_items"] == ["code", "language"]


def test_no_referral_consent_is_refused_naming_it(
    coordinator: User, file: SurvivorFile, clinic: ServiceProvider
) -> None:
    give(coordinator, file, D)
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(coordinator, file, data(clinic))
    assert caught.value.message_dict["consent"] == [
        "No consent for referral to services (Clinic Nadiya) — none recorded."
    ]
    assert not Referral.objects.exists()


def test_consent_for_another_provider_does_not_count_but_general_consent_does(
    coordinator: User, file: SurvivorFile, clinic: ServiceProvider
) -> None:
    give(coordinator, file, D)
    give(coordinator, file, R, qualifier="Another Clinic")
    with pytest.raises(ValidationError):
        actions.create_referral(coordinator, file, data(clinic))
    give(coordinator, file, R)
    assert actions.create_referral(coordinator, file, data(clinic)).pk


def test_referral_to_a_kind_of_service_asks_for_that_kind(
    coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D)
    give(coordinator, file, R, qualifier="shelter")
    assert actions.create_referral(coordinator, file, data(kind="shelter")).kind == "shelter"
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(coordinator, file, data(kind="legal"))
    assert "(legal)" in caught.value.message_dict["consent"][0]


def test_referral_after_withdrawal_is_refused_and_allowed_after_consent_again(
    coordinator: User, consented: SurvivorFile, clinic: ServiceProvider
) -> None:
    withdraw(coordinator, consented, R, clinic.name)
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(coordinator, consented, data(clinic))
    assert "withdrawn on" in caught.value.message_dict["consent"][0]
    assert not Referral.objects.exists()
    give(coordinator, consented, R, qualifier=clinic.name)
    assert actions.create_referral(coordinator, consented, data(clinic)).pk


def test_withdrawing_documentation_also_stops_referrals(
    coordinator: User, consented: SurvivorFile, clinic: ServiceProvider
) -> None:
    withdraw(coordinator, consented, D)
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(coordinator, consented, data(clinic))
    assert "No consent for documentation" in caught.value.message_dict["consent"][0]


def test_a_pending_referral_whose_consent_is_withdrawn_cannot_be_sent(
    coordinator: User, consented: SurvivorFile, clinic: ServiceProvider
) -> None:
    referral = actions.create_referral(coordinator, consented, data(clinic))
    actions.change_status(coordinator, referral, S.CONSENT_CHECKED)
    withdraw(coordinator, consented, R, clinic.name)
    with pytest.raises(ValidationError) as caught:
        actions.change_status(coordinator, referral, S.SENT)
    assert "withdrawn on" in caught.value.message_dict["consent"][0]
    referral.refresh_from_db()
    assert referral.status == S.CONSENT_CHECKED
    actions.change_status(coordinator, referral, S.CLOSED)  # closing needs no consent
    give(coordinator, consented, R, qualifier=clinic.name)


def test_the_whole_life_of_a_referral(
    coordinator: User, consented: SurvivorFile, clinic: ServiceProvider
) -> None:
    referral = actions.create_referral(coordinator, consented, data(clinic))
    for to in (S.CONSENT_CHECKED, S.SENT, S.ACCEPTED, S.COMPLETED, S.CLOSED):
        referral = actions.change_status(coordinator, referral, to, outcome=f"now {to}")
    assert referral.status == S.CLOSED and referral.outcome == "now closed"
    assert allowed_next(referral) == []
    assert AuditEntry.objects.filter(action="survivors.referral.status").count() == 5


INVALID = [
    (start, to)
    for start in S.values
    for to in S.values
    if to not in TRANSITIONS[start] and start in (S.PROPOSED, S.SENT, S.CLOSED)
]


@pytest.mark.parametrize(("start", "to"), INVALID)
def test_invalid_transitions_are_refused_and_change_nothing(
    coordinator: User, consented: SurvivorFile, clinic: ServiceProvider, start: str, to: str
) -> None:
    referral = actions.create_referral(coordinator, consented, data(clinic))
    Referral.objects.filter(pk=referral.pk).update(status=start)
    referral.refresh_from_db()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.change_status(coordinator, referral, to)
    assert "status" in caught.value.message_dict
    referral.refresh_from_db()
    assert referral.status == start and AuditEntry.objects.count() == before


def test_every_status_has_its_transitions_declared() -> None:
    assert set(TRANSITIONS) == set(S.values)
    assert all(targets <= set(S.values) for targets in TRANSITIONS.values())


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"shared_items": []}, "shared_items"),
        ({"shared_items": ["code", "passport"]}, "shared_items"),
        ({"shared_items": ["code", "code"]}, "shared_items"),
        ({"follow_up_on": dt.date(2000, 1, 1)}, "follow_up_on"),
    ],
)
def test_bad_referral_is_refused_naming_the_field(
    coordinator: User,
    consented: SurvivorFile,
    clinic: ServiceProvider,
    fields: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(coordinator, consented, data(clinic, **fields))
    assert field in caught.value.message_dict
    assert not Referral.objects.exists()


def test_kind_or_provider_is_needed_and_responsible_must_be_support_staff(
    coordinator: User, viewer: User, consented: SurvivorFile
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(coordinator, consented, data(kind="astrology"))
    assert "kind" in caught.value.message_dict
    give(coordinator, consented, R)
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(coordinator, consented, data(kind="legal", responsible=viewer))
    assert "responsible" in caught.value.message_dict


def test_an_inactive_or_unshared_provider_cannot_be_chosen(
    coordinator: User, consented: SurvivorFile, beacon: Any
) -> None:
    from justicework.core import actions as core_actions
    from justicework.core.roles import Role
    from tests.conftest import make_user
    from tests.survivors.support_fixtures import make_provider

    give(coordinator, consented, R)
    closed = make_provider(coordinator, consented.organisation, name="Gone", active=False)
    theirs = make_user("coordinator@beacon.test")
    core_actions.add_member(None, beacon, theirs, Role.SUPPORT_COORDINATOR)
    unshared = make_provider(theirs, beacon, name="Beacon Clinic", country="CD")
    for provider in (closed, unshared):
        with pytest.raises(ValidationError) as caught:
            actions.create_referral(coordinator, consented, data(provider))
        assert "provider" in caught.value.message_dict
    assert not Referral.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "documenter", "admin", "outsider"])
def test_only_support_coordinators_refer(
    cast: Any, consented: SurvivorFile, clinic: ServiceProvider, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_referral(getattr(cast, who), consented, data(clinic))
    assert not Referral.objects.exists()


def test_others_cannot_change_a_referral(
    cast: Any, coordinator: User, consented: SurvivorFile, clinic: ServiceProvider
) -> None:
    referral = actions.create_referral(coordinator, consented, data(clinic))
    for who in ("viewer", "documenter", "outsider"):
        with pytest.raises(PermissionDenied):
            actions.change_status(getattr(cast, who), referral, S.CLOSED)
        with pytest.raises(PermissionDenied):
            actions.record_follow_up(getattr(cast, who), referral, follow_up_on=None)
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED


def test_follow_up_is_recorded_without_the_outcome_in_the_audit(
    coordinator: User, consented: SurvivorFile, clinic: ServiceProvider
) -> None:
    referral = actions.create_referral(coordinator, consented, data(clinic))
    when = timezone.localdate() + dt.timedelta(days=7)
    actions.record_follow_up(coordinator, referral, follow_up_on=when, outcome="Seen twice.")
    referral.refresh_from_db()
    assert referral.follow_up_on == when and referral.outcome == "Seen twice."
    entry = AuditEntry.objects.get(action="survivors.referral.follow_up")
    assert "twice" not in str(entry.diff) and entry.diff["has_outcome"] is True
