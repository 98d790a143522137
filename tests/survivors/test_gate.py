"""The consent gate through the one policy: can / visible / get_or_404 on a consent-managed
person refuse with the reason naming the missing consent; unmanaged persons are not gated;
reading with no declared use fails closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.test import override_settings

from justicework.core import policy, uses
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors.models import SurvivorFile
from justicework.violations.models import Person
from tests.survivors.conftest import give, refuse, withdraw

pytestmark = pytest.mark.django_db

D = Scope.DOCUMENTATION
L = Scope.LEGAL_PROCEEDINGS

LEGAL = uses.Use("tests.legal", L, "Legal proceedings in tests.")


@pytest.fixture(autouse=True)
def _legal_use() -> None:
    uses.register(LEGAL)


def test_person_without_a_file_is_not_consent_gated(viewer: User, acme: object) -> None:
    from justicework.violations import actions

    perpetrator = actions.create_person(None, acme, full_name="Colonel X")
    assert policy.can(viewer, "view", perpetrator)
    assert perpetrator in policy.visible(viewer, Person)


def test_opening_a_file_refuses_every_use_until_consent(viewer: User, file: SurvivorFile) -> None:
    person = file.person
    decision = policy.can(viewer, "view", person)
    assert not decision
    assert str(decision.reason) == "No consent for documentation — none recorded."
    assert person not in policy.visible(viewer, Person)
    with pytest.raises(Http404):
        policy.get_or_404(viewer, Person, "view", pk=person.pk)


def test_consent_given_allows_the_use(viewer: User, coordinator: User, file: SurvivorFile) -> None:
    give(coordinator, file, D)
    assert policy.can(viewer, "view", file.person)
    assert file.person in policy.visible(viewer, Person)
    assert policy.get_or_404(viewer, Person, "view", pk=file.person_id) == file.person


def test_refusal_is_named_with_its_date(
    viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    consent = refuse(coordinator, file, D)
    decision = policy.can(viewer, "view", file.person)
    day = consent.given_at.date().isoformat()
    assert str(decision.reason) == f"No consent for documentation — refused on {day}."


def test_withdrawal_takes_effect_at_once_and_names_the_date(
    viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D)
    with uses.using("tests.direct"):  # a fresh use: nothing remembered
        assert policy.can(viewer, "view", file.person)
        consent = withdraw(coordinator, file, D)
        decision = policy.can(viewer, "view", file.person)  # same request: forgotten by the action
    assert not decision
    day = consent.given_at.date().isoformat()
    assert str(decision.reason) == f"No consent for documentation — withdrawn on {day}."
    assert file.person not in policy.visible(viewer, Person)


def test_a_use_other_than_documentation_needs_its_own_consent(
    viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D)
    with uses.using(LEGAL.name, qualifier="ICC"):
        decision = policy.can(viewer, "view", file.person)
        assert str(decision.reason) == "No consent for legal proceedings (ICC) — none recorded."
        assert file.person not in policy.visible(viewer, Person)


def test_a_named_forum_takes_precedence_over_the_general_consent(
    viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D, L)
    refuse(coordinator, file, L, qualifier="ICC")
    with uses.using(LEGAL.name, qualifier="ICC"):
        assert not policy.can(viewer, "view", file.person)
        assert file.person not in policy.visible(viewer, Person)
    with uses.using(LEGAL.name, qualifier="National court"):
        assert policy.can(viewer, "view", file.person)
        assert file.person in policy.visible(viewer, Person)
    with uses.using(LEGAL.name):
        assert policy.can(viewer, "view", file.person)


def test_consent_for_one_forum_does_not_allow_the_use_in_general(
    viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D)
    give(coordinator, file, L, qualifier="ICC")
    with uses.using(LEGAL.name, qualifier="ICC"):
        assert policy.can(viewer, "view", file.person)
        assert file.person in policy.visible(viewer, Person)
    with uses.using(LEGAL.name):
        assert not policy.can(viewer, "view", file.person)
        assert file.person not in policy.visible(viewer, Person)


def test_withdrawing_documentation_withdraws_every_use(
    viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D, L)
    withdraw(coordinator, file, D)
    with uses.using(LEGAL.name):
        decision = policy.can(viewer, "view", file.person)
        assert "documentation" in str(decision.reason)
        assert file.person not in policy.visible(viewer, Person)


def test_person_roles_are_gated_with_their_person(
    viewer: User, coordinator: User, file: SurvivorFile, acme: object
) -> None:
    from justicework.violations import actions
    from justicework.violations.models import PersonRole

    incident = actions.create_incident(
        None, acme, title="Raid", country="UA", start_date=dt.date(2024, 3, 1)
    )
    violation = actions.add_violation(
        None, incident, type="killing_in_attack", start_date=dt.date(2024, 3, 1)
    )
    role = actions.link_person(None, violation, file.person, "victim")
    assert not policy.can(viewer, "view", role)
    assert role not in policy.visible(viewer, PersonRole)
    give(coordinator, file, D)
    with uses.using("tests.direct"):
        assert policy.can(viewer, "view", role)
        assert role in policy.visible(viewer, PersonRole)


@override_settings(JUSTICEWORK_STRICT_USES=True)
def test_reading_a_person_with_no_declared_use_raises_under_strict_settings(
    viewer: User, file: SurvivorFile
) -> None:
    with uses.cleared(), pytest.raises(policy.UndeclaredUse):
        policy.visible(viewer, Person)
    with uses.using(uses.NO_PERSON_DATA.name), pytest.raises(policy.UndeclaredUse):
        policy.can(viewer, "view", file.person)


@override_settings(JUSTICEWORK_STRICT_USES=False)
def test_reading_a_person_with_no_declared_use_is_refused_in_production(
    viewer: User, acme: object
) -> None:
    from justicework.violations import actions

    unmanaged = actions.create_person(None, acme)
    with uses.cleared():
        decision = policy.can(viewer, "view", unmanaged)
        assert not decision
        assert str(decision.reason) == "This reads personal data without a declared use."
        assert not policy.visible(viewer, Person).exists()


def test_administering_consent_needs_no_consent(coordinator: User, file: SurvivorFile) -> None:
    refuse(coordinator, file, *Scope.values)
    with uses.using("survivors.consent"):
        assert policy.can(coordinator, "view", file.person)
        assert file.person in policy.visible(coordinator, Person)


def test_the_gate_does_not_widen_what_the_rule_refuses(
    outsider: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D)
    assert not policy.can(outsider, "view", file.person)
    assert file.person not in policy.visible(outsider, Person)


@override_settings(JUSTICEWORK_STRICT_USES=True)
def test_every_model_that_exposes_a_person_needs_a_declared_use(viewer: User) -> None:
    from justicework.survivors.gate import gated_models

    for model in gated_models():
        assert policy.gate_for(model) is not None, model
        with uses.cleared(), pytest.raises(policy.UndeclaredUse):
            policy.visible(viewer, model)


def test_a_testimony_given_by_a_survivor_is_gated_with_them(
    viewer: User, coordinator: User, file: SurvivorFile, acme: object
) -> None:
    from justicework.violations import actions
    from justicework.violations.models import Source

    testimony = actions.create_source(
        None, acme, kind="victim_testimony", title="T1", person=file.person
    )
    open_source = actions.create_source(None, acme, kind="ngo_report", title="R1")
    assert not policy.can(viewer, "view", testimony)
    assert set(policy.visible(viewer, Source)) == {open_source}
    give(coordinator, file, D)
    with uses.using("tests.direct"):
        assert set(policy.visible(viewer, Source)) == {open_source, testimony}
