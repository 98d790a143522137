"""Consent for a kind of service (or of organisation) covering a named one of that kind: the
gate's precedence — a refusal of the named one or of its kind always wins, then a consent for
either, and only then the general decision — the same in the Python check and in SQL."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from justicework.core import policy, uses
from justicework.core.models import Organisation, User
from justicework.core.uses import Scope
from justicework.survivors import actions, gate
from justicework.survivors.actions.referrals import REFERRAL_USE, consent_for
from justicework.survivors.models import ServiceProvider, SurvivorFile
from justicework.violations.models import Person
from tests.survivors.conftest import give, refuse, withdraw
from tests.survivors.support_fixtures import make_provider

pytestmark = pytest.mark.django_db

D, R, SH = Scope.DOCUMENTATION, Scope.REFERRAL, Scope.SHARING
CLINIC, MEDICAL = "Clinic Nadiya", "medical"
SHARING = uses.Use("tests.sharing", SH, "Sharing with one organisation in tests.")


@pytest.fixture(autouse=True)
def _sharing_use() -> None:
    uses.register(SHARING)


@pytest.fixture
def documented(coordinator: User, file: SurvivorFile) -> SurvivorFile:
    give(coordinator, file, D)
    return file


def _decide(actor: User, file: SurvivorFile, scope: str, steps: list[tuple[str, str]]) -> None:
    for qualifier, answer in steps:
        if answer == "given":
            give(actor, file, scope, qualifier=qualifier)
        elif answer == "refused":
            refuse(actor, file, scope, qualifier=qualifier)
        else:
            withdraw(actor, file, scope, qualifier)


# (decisions in the order recorded, whether a referral to Clinic Nadiya — medical — is allowed)
CASES = [
    ([(MEDICAL, "given")], True),  # the kind covers the named provider
    ([(CLINIC, "given")], True),
    ([("", "given")], True),  # general consent, as before
    ([], False),  # none recorded
    ([(MEDICAL, "refused"), (CLINIC, "given")], False),  # a refusal always wins …
    ([(CLINIC, "given"), (MEDICAL, "refused")], False),  # … whichever came first
    ([(MEDICAL, "given"), (CLINIC, "refused")], False),
    ([(CLINIC, "refused"), (MEDICAL, "given")], False),
    ([(MEDICAL, "given"), (MEDICAL, "withdrawn")], False),
    ([(MEDICAL, "given"), (CLINIC, "given"), (MEDICAL, "withdrawn")], False),
    ([(MEDICAL, "given"), (CLINIC, "given")], True),
    ([("", "given"), (MEDICAL, "refused")], False),  # specific beats general
    ([("", "refused"), (MEDICAL, "given")], True),  # "not in general, but medical"
    ([("", "refused"), (CLINIC, "given")], True),
    ([("", "given"), (CLINIC, "refused")], False),
    ([("psychosocial", "given")], False),  # another kind covers nothing here
    ([("Other clinic", "given")], False),  # another provider neither
    ([("Other clinic", "refused"), ("", "given")], True),  # nor does its refusal
]


@pytest.mark.parametrize(("steps", "allowed"), CASES)
def test_referral_to_a_named_provider_follows_the_precedence_in_python_and_sql(
    coordinator: User,
    viewer: User,
    documented: SurvivorFile,
    clinic: ServiceProvider,
    steps: list[tuple[str, str]],
    allowed: bool,
) -> None:
    _decide(coordinator, documented, R, steps)
    assert bool(consent_for(coordinator, documented, clinic, "")) is allowed
    with uses.using(REFERRAL_USE, qualifier=CLINIC, kind=MEDICAL):
        listed = policy.visible(viewer, Person).filter(pk=documented.person_id).exists()
    assert listed is allowed


def test_a_refused_kind_is_named_in_the_reason_even_with_the_provider_consented(
    coordinator: User, documented: SurvivorFile, clinic: ServiceProvider
) -> None:
    give(coordinator, documented, R, qualifier=CLINIC)
    consent = refuse(coordinator, documented, R, qualifier=MEDICAL)
    with pytest.raises(ValidationError) as caught:
        actions.create_referral(
            coordinator, documented, actions.ReferralData(provider=clinic, shared_items=["code"])
        )
    day = consent.given_at.date().isoformat()
    assert caught.value.message_dict["consent"] == [
        f"No consent for referral to services (medical) — refused on {day}."
    ]


def test_consent_for_a_named_provider_covers_only_that_provider(
    coordinator: User, documented: SurvivorFile, clinic: ServiceProvider, acme: Organisation
) -> None:
    other = make_provider(coordinator, acme, name="Clinic Svitlo")
    give(coordinator, documented, R, qualifier=CLINIC)
    assert consent_for(coordinator, documented, clinic, "")
    decision = consent_for(coordinator, documented, other, "")
    assert not decision
    assert "(Clinic Svitlo) — none recorded" in str(decision.reason)
    assert not consent_for(coordinator, documented, None, MEDICAL)  # nor the kind as a whole


def test_consent_for_a_kind_covers_every_provider_of_it_and_no_other_kind(
    coordinator: User, documented: SurvivorFile, clinic: ServiceProvider, acme: Organisation
) -> None:
    other_clinic = make_provider(coordinator, acme, name="Clinic Svitlo")
    counsellor = make_provider(coordinator, acme, name="Counselling Centre", kind="psychosocial")
    give(coordinator, documented, R, qualifier=MEDICAL)
    assert consent_for(coordinator, documented, clinic, "")
    assert consent_for(coordinator, documented, other_clinic, "")
    assert consent_for(coordinator, documented, None, MEDICAL)
    assert not consent_for(coordinator, documented, counsellor, "")
    referral = actions.create_referral(
        coordinator, documented, actions.ReferralData(provider=other_clinic, shared_items=["code"])
    )
    assert referral.provider_id == other_clinic.pk


def test_withdrawing_the_kind_takes_effect_at_once_in_the_same_use(
    coordinator: User, documented: SurvivorFile, clinic: ServiceProvider
) -> None:
    give(coordinator, documented, R, qualifier=MEDICAL)
    with uses.using(REFERRAL_USE, qualifier=CLINIC, kind=MEDICAL):
        assert policy.can(coordinator, "view", documented.person)
        consent = withdraw(coordinator, documented, R, MEDICAL)
        decision = policy.can(coordinator, "view", documented.person)  # no stale memory
    day = consent.given_at.date().isoformat()
    assert (
        str(decision.reason)
        == f"No consent for referral to services (medical) — withdrawn on {day}."
    )
    referral_data = actions.ReferralData(provider=clinic, shared_items=["code"])
    with pytest.raises(ValidationError):
        actions.create_referral(coordinator, documented, referral_data)
    give(coordinator, documented, R, qualifier=MEDICAL)  # given again: allowed again
    assert actions.create_referral(coordinator, documented, referral_data).pk


def test_a_pending_referral_cannot_be_sent_after_its_kind_is_refused(
    coordinator: User, documented: SurvivorFile, clinic: ServiceProvider
) -> None:
    give(coordinator, documented, R, qualifier=CLINIC)
    referral = actions.create_referral(
        coordinator, documented, actions.ReferralData(provider=clinic, shared_items=["code"])
    )
    refuse(coordinator, documented, R, qualifier=MEDICAL)
    with pytest.raises(ValidationError) as caught:
        actions.change_status(coordinator, referral, "consent_checked")
    assert "(medical)" in str(caught.value)


# Sharing with a named organisation of a kind: the same gate, asked with the organisation's
# name and kind (no code path names the receiving organisation yet: exports ask "sharing").
SHARING_CASES = [
    ([("local_partner", "given")], True),
    ([("local_partner", "given"), ("Partner Org", "refused")], False),
    ([("Partner Org", "given"), ("local_partner", "refused")], False),
    ([("Partner Org", "given")], True),
    ([("member", "given")], False),
]


@pytest.mark.parametrize(("steps", "allowed"), SHARING_CASES)
def test_sharing_with_a_named_organisation_of_a_kind_follows_the_same_precedence(
    coordinator: User,
    viewer: User,
    documented: SurvivorFile,
    steps: list[tuple[str, str]],
    allowed: bool,
) -> None:
    _decide(coordinator, documented, SH, steps)
    with uses.using(SHARING.name, qualifier="Partner Org", kind="local_partner"):
        assert bool(policy.can(viewer, "view", documented.person)) is allowed
        listed = policy.visible(viewer, Person).filter(pk=documented.person_id).exists()
    assert listed is allowed


def test_a_kind_alone_or_equal_to_the_name_changes_nothing(documented: SurvivorFile) -> None:
    with uses.using(REFERRAL_USE, kind=MEDICAL) as in_use:
        assert (in_use.qualifier, in_use.kind) == ("", "")  # no name: the kind is ignored
    with uses.using(REFERRAL_USE, qualifier=MEDICAL, kind=MEDICAL) as in_use:
        assert (in_use.qualifier, in_use.kind) == (MEDICAL, "")
    state = gate.current_state(documented.person_id, R, CLINIC, MEDICAL)
    assert state is not None and state.answer is None
