"""The survivors demo step: files for victims of the violations demo, consent given, refused and
withdrawn (and the gate refusing the withdrawn uses), safety, interviews, providers in the
demo countries, referrals at every status, participation and information given back; made
through the actions, and a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from justicework.audit.models import AuditEntry
from justicework.core import policy, uses
from justicework.core.models import Organisation, User
from justicework.survivors import actions
from justicework.survivors.actions.referrals import consent_for
from justicework.survivors.models import (
    Consent,
    ConsentDecision,
    InformationGiven,
    InformationSheet,
    Interview,
    ParticipationWish,
    Referral,
    SafetyAssessment,
    ServiceProvider,
    SupportPlan,
    SurvivorFile,
    VictimStatusApplication,
)
from justicework.survivors.queries_information import not_updated
from justicework.violations.models import PersonRole

pytestmark = pytest.mark.django_db

A = ConsentDecision.Answer
KINDS = (
    SurvivorFile,
    Consent,
    InformationSheet,
    SafetyAssessment,
    Interview,
    ServiceProvider,
    Referral,
    SupportPlan,
    ParticipationWish,
    VictimStatusApplication,
    InformationGiven,
)


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def org() -> Organisation:
    return Organisation.objects.get(slug="demo-member-1")


def user(role: str) -> User:
    return User.objects.get(email=f"{role.replace('_', '-')}@member-1.demo.test")


def test_each_kind_of_record_exists_and_was_written_by_the_actions() -> None:
    output = run_demo()
    assert "Survivors demo: " in output
    for model in KINDS:
        assert model.objects.filter(organisation=org()).exists(), model.__name__
    audited = {
        "survivors.file.opened": SurvivorFile,
        "survivors.consent.recorded": None,
        "survivors.safety.recorded": SafetyAssessment,
        "survivors.interview.recorded": Interview,
        "survivors.provider.created": ServiceProvider,
        "survivors.referral.created": Referral,
        "survivors.participation.recorded": ParticipationWish,
        "survivors.information.recorded": InformationGiven,
    }
    for action, model in audited.items():
        entries = AuditEntry.objects.filter(action=action, organisation_id=org().pk).count()
        assert entries, action
        if model is not None:
            assert entries == model.objects.filter(organisation=org()).count(), action


def test_survivors_are_victims_of_the_violations_demo() -> None:
    run_demo()
    files = SurvivorFile.objects.filter(organisation=org())
    assert files.count() >= 6
    victims = set(
        PersonRole.objects.filter(role="victim", organisation=org()).values_list(
            "person_id", flat=True
        )
    )
    persons = set(files.values_list("person_id", flat=True))
    # victims first; at a small demo fraction other persons (never a commander) fill up
    assert len(persons & victims) >= min(len(victims), len(persons))
    assert not files.filter(person__commands__isnull=False).exists()
    assert files.filter(is_child=True).exists()
    child = Consent.objects.filter(file__is_child=True).first()
    assert child is not None and child.given_by == Consent.GivenBy.GUARDIAN


def test_uses_are_given_refused_and_withdrawn() -> None:
    run_demo()
    answers = set(
        ConsentDecision.objects.filter(file__organisation=org()).values_list("answer", flat=True)
    )
    assert answers == {A.GIVEN, A.REFUSED, A.WITHDRAWN}
    withdrawn = set(
        ConsentDecision.objects.filter(answer=A.WITHDRAWN).values_list("scope", flat=True)
    )
    # the evidence package's use and the export's
    assert {"legal_proceedings", "sharing"} <= withdrawn


def test_the_gate_refuses_a_withdrawn_use_and_allows_a_given_one() -> None:
    run_demo()
    analyst = user("legal_analyst")
    decision = ConsentDecision.objects.filter(answer=A.WITHDRAWN, scope="legal_proceedings")
    person = decision.select_related("file__person").first().file.person
    with uses.using("evidence.package"):
        refused = policy.can(analyst, "view", person)
    assert not refused
    assert "No consent for legal proceedings — withdrawn on" in str(refused.reason)
    with uses.using("violations.records"):
        assert policy.can(analyst, "view", person)  # documentation stays given


def test_referrals_cover_every_status_and_the_gate_refused_one() -> None:
    output = run_demo()
    statuses = set(Referral.objects.filter(organisation=org()).values_list("status", flat=True))
    assert statuses == set(Referral.Status.values)
    assert "refused for lack of consent" in output
    coordinator = user("support_coordinator")
    refused = ConsentDecision.objects.filter(answer=A.REFUSED, scope="referral", qualifier="")
    file = refused.select_related("file__person").first().file
    assert not consent_for(coordinator, file, None, "legal")
    with uses.using("survivors.support"), pytest.raises(ValidationError, match="referral"):
        actions.create_referral(
            coordinator, file, actions.ReferralData(kind="legal", shared_items=["code"])
        )
    assert not Referral.objects.filter(file=file).exists()


def test_providers_are_in_the_demo_countries_with_every_kind() -> None:
    run_demo()
    providers = ServiceProvider.objects.filter(organisation=org())
    assert set(providers.values_list("country", flat=True)) == set(org().countries)
    assert set(providers.values_list("kind", flat=True)) == {
        "medical",
        "psychosocial",
        "legal",
        "shelter",
        "economic",
        "protection",
    }
    assert providers.filter(shared=True).exists() and providers.filter(active=False).exists()


def test_interviews_participation_and_information_show_on_their_lists() -> None:
    run_demo()
    coordinator = user("support_coordinator")
    assert any(interview.repeat_reason for interview in Interview.objects.all())
    assert ParticipationWish.objects.filter(version=2).exists()
    assert VictimStatusApplication.objects.filter(supersedes__isnull=False).exists()
    with uses.using("survivors.participation"):
        assert not_updated(coordinator, 90)  # a survivor left without news for months


def test_a_second_run_adds_nothing() -> None:
    run_demo()
    before = [model.objects.count() for model in (*KINDS, ConsentDecision, AuditEntry)]
    run_demo()
    assert [model.objects.count() for model in (*KINDS, ConsentDecision, AuditEntry)] == before
