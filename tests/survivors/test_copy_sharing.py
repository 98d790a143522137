"""Copying an evidence item to a partner organisation shares what it shows of the persons it is
linked to: a survivor's refusal or withdrawal of sharing with that organisation (by name, or by
its kind) refuses the copy with a reason naming the consent, and nothing is copied; consent
given again allows it. Persons without a survivor file are not consent-managed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from justicework.core import actions as core_actions
from justicework.core import uses
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from justicework.core.uses import Scope
from justicework.evidence import actions as evidence_actions
from justicework.evidence.models import CustodyEntry, Item
from justicework.survivors.models import SurvivorFile
from justicework.violations import actions as violations_actions
from tests.evidence.conftest import upload_file
from tests.survivors.conftest import give, refuse, withdraw

pytestmark = pytest.mark.django_db
SHARING = Scope.SHARING


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def bridge(admin: User, beacon: Organisation) -> User:
    """acme's admin, also a documenter of beacon (may copy from acme and upload to beacon)."""
    core_actions.add_member(None, beacon, admin, Role.DOCUMENTER)
    admin.forget_memberships()
    return admin


@pytest.fixture
def testimony(documenter: User, acme: Organisation, file: SurvivorFile, coordinator: User) -> Item:
    """A document linked to a survivor who consented to documentation and sharing."""
    give(coordinator, file, Scope.DOCUMENTATION, SHARING)
    item = upload_file(documenter, acme, b"a written testimony", filename="t.txt")
    evidence_actions.link_item(documenter, item, file.person)
    return item


def _copy(actor: User, item: Item, target: Organisation) -> Item:
    with uses.using("evidence.records"):
        return evidence_actions.copy_item(actor, item, target)


def _copies(beacon: Organisation) -> int:
    return Item.objects.filter(organisation=beacon).count()


def test_sharing_given_copies(bridge, testimony, beacon):
    copy = _copy(bridge, testimony, beacon)
    assert copy.organisation_id == beacon.pk


@pytest.mark.parametrize("named", [True, False], ids=["by-name", "by-kind"])
def test_sharing_refused_with_the_partner_refuses_the_copy(
    bridge, coordinator, file, testimony, beacon, named
):
    qualifier = beacon.name if named else beacon.kind
    refuse(coordinator, file, SHARING, qualifier=qualifier)
    with pytest.raises(ValidationError) as refused:
        _copy(bridge, testimony, beacon)
    message = " ".join(refused.value.messages)
    assert file.person.code in message and "sharing" in message and "Nothing was copied" in message
    assert _copies(beacon) == 0
    assert not CustodyEntry.objects.filter(item=testimony, event="copied").exists()


def test_a_withdrawal_refuses_at_once_and_consent_again_allows(
    bridge, coordinator, file, testimony, beacon
):
    withdraw(coordinator, file, SHARING)
    with pytest.raises(ValidationError, match="withdrawn on"):
        _copy(bridge, testimony, beacon)
    give(coordinator, file, SHARING, qualifier=beacon.name)
    assert _copy(bridge, testimony, beacon).organisation_id == beacon.pk


def test_the_web_form_says_why_and_writes_nothing(
    bridge, coordinator, file, testimony, beacon, login
):
    refuse(coordinator, file, SHARING, qualifier=beacon.name)
    response = login(bridge).post(
        reverse("evidence:item_copy", args=[testimony.pk]), {"organisation": beacon.pk}
    )
    assert response.status_code == 422
    assert "Nothing was copied" in response.content.decode()
    assert _copies(beacon) == 0


def test_a_person_without_a_survivor_file_is_not_consent_managed(bridge, documenter, acme, beacon):
    person = violations_actions.create_person(None, acme, full_name="Not A Survivor")
    item = upload_file(documenter, acme, b"a report", filename="r.txt")
    evidence_actions.link_item(documenter, item, person)
    assert _copy(bridge, item, beacon).organisation_id == beacon.pk
