"""Factories for the survivors tests: a survivor (a person with a survivor file, opened by
the support coordinator), and consent recorded or withdrawn by the coordinator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from justicework.core.models import Organisation, User
from justicework.survivors import actions
from justicework.survivors.models import Consent, SurvivorFile
from justicework.violations import actions as violations_actions
from justicework.violations.models import Person


def how(**fields: Any) -> actions.How:
    fields.setdefault("given_at", timezone.now() - dt.timedelta(minutes=1))
    fields.setdefault("method", Consent.Method.ORAL)
    fields.setdefault("language", "uk")
    return actions.How(**fields)


def give(
    actor: User, file: SurvivorFile, *uses: str, qualifier: str = "", **fields: Any
) -> Consent:
    return actions.record_consent(
        actor, file, how(**fields), [actions.Choice(u, True, qualifier) for u in uses]
    )


def refuse(actor: User, file: SurvivorFile, *uses: str, qualifier: str = "") -> Consent:
    return actions.record_consent(
        actor, file, how(), [actions.Choice(u, False, qualifier) for u in uses]
    )


def withdraw(actor: User, file: SurvivorFile, use: str, qualifier: str = "") -> Consent:
    return actions.withdraw_consent(actor, file, how(), use, qualifier)


@pytest.fixture
def survivor(acme: Organisation) -> Person:
    return violations_actions.create_person(None, acme, full_name="Mariam Haddad")


@pytest.fixture
def file(survivor: Person, coordinator: User) -> SurvivorFile:
    return actions.open_survivor_file(coordinator, survivor, preferred_language="ar")


from tests.survivors.support_fixtures import bearer, clinic, login  # noqa: E402,F401  # i13support
