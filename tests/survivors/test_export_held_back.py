"""The export page says which consent keeps victims out of the file (by reason, with how many;
no code), and ``policy.held_back`` tells only what the rule lets the reader see."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.core import policy, uses
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors.models import SurvivorFile
from justicework.violations import actions as violations_actions
from justicework.violations.models import PersonRole
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db

HEADING = "Left out of this export for lack of consent"


def _victim_of_an_act(file: SurvivorFile) -> None:
    incident = violations_actions.create_incident(
        None, file.person.organisation, title="Raid", country="UA", start_date=dt.date(2024, 3, 1)
    )
    violations_actions.add_violation(
        None, incident, type="killing_in_attack", start_date=dt.date(2024, 3, 1),
        victim=file.person,
    )  # fmt: skip


def _page(client: Client, documenter: User) -> str:
    Authenticator.objects.get_or_create(
        user=documenter, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client.force_login(documenter)
    response = client.get(reverse("dataio:export", args=["violations"]))
    assert response.status_code == 200
    return response.content.decode()


def test_export_page_names_the_withdrawn_consent_without_the_code(
    client: Client, documenter: User, coordinator: User, file: SurvivorFile
) -> None:
    _victim_of_an_act(file)
    give(coordinator, file, Scope.DOCUMENTATION, Scope.SHARING)
    assert HEADING not in _page(client, documenter)
    consent = withdraw(coordinator, file, Scope.SHARING)
    page = _page(client, documenter)
    day = timezone.localdate(consent.given_at).isoformat()
    assert HEADING in page
    assert f"1 person: No consent for sharing with other organisations — withdrawn on {day}." in (
        page
    )
    assert file.person.code not in page
    give(coordinator, file, Scope.SHARING)
    assert HEADING not in _page(client, documenter)


def test_export_page_says_when_no_consent_was_recorded(
    client: Client, documenter: User, file: SurvivorFile
) -> None:
    _victim_of_an_act(file)
    page = _page(client, documenter)
    assert "1 person: No consent for documentation — none recorded." in page


def test_held_back_tells_another_organisation_nothing(
    outsider: User, beacon_admin: User, documenter: User, file: SurvivorFile
) -> None:
    _victim_of_an_act(file)
    roles = PersonRole.objects.filter(person=file.person)
    with uses.using("violations.export"):
        assert len(policy.held_back(documenter, "view", roles)) == 1  # no consent recorded
        assert policy.held_back(outsider, "view", roles) == []
        assert policy.held_back(beacon_admin, "view", roles) == []


def test_held_back_needs_a_use_with_a_consent_scope(documenter: User, file: SurvivorFile) -> None:
    _victim_of_an_act(file)
    roles = PersonRole.objects.filter(person=file.person)
    with uses.cleared():
        assert policy.held_back(documenter, "view", roles) == []
    with uses.using("survivors.consent"):  # administering consent: nothing is held back
        assert policy.held_back(documenter, "view", roles) == []
    with uses.using("violations.export"):
        assert policy.held_back(documenter, "view", roles)
