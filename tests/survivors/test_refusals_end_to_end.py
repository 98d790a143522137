"""A withdrawal seen from the other side: the export leaves the victim out and the evidence
package refuses the item, each with the consent named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from justicework.core import uses
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.evidence import actions as evidence_actions
from justicework.evidence.actions import packages
from justicework.survivors.models import SurvivorFile
from justicework.violations import actions as violations_actions
from tests.evidence.conftest import upload_file
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def _victim_of_an_act(file: SurvivorFile) -> None:
    incident = violations_actions.create_incident(
        None, file.person.organisation, title="Raid", country="UA", start_date=dt.date(2024, 3, 1)
    )
    violations_actions.add_violation(
        None, incident, type="killing_in_attack", start_date=dt.date(2024, 3, 1),
        victim=file.person,
    )  # fmt: skip


def _export(client: Client) -> bytes:
    response = client.get(reverse("dataio:export_download", args=["violations", "csv"]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_export_leaves_out_a_victim_once_sharing_is_withdrawn(
    client: Client, documenter: User, coordinator: User, file: SurvivorFile
) -> None:
    _victim_of_an_act(file)
    give(coordinator, file, Scope.DOCUMENTATION, Scope.SHARING)
    Authenticator.objects.create(
        user=documenter, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(documenter)
    code = file.person.code.encode()
    assert code in _export(client)
    withdraw(coordinator, file, Scope.SHARING)
    assert code not in _export(client)
    give(coordinator, file, Scope.SHARING)
    assert code in _export(client)


def test_package_refuses_an_item_linked_to_a_survivor_who_withdrew(
    documenter: User, coordinator: User, file: SurvivorFile, acme: Any
) -> None:
    item = upload_file(documenter, acme, b"statement audio", filename="statement.ogg")
    give(coordinator, file, Scope.DOCUMENTATION, Scope.LEGAL_PROCEEDINGS)
    evidence_actions.link_item(documenter, item, file.person)
    with uses.using("evidence.package"):
        assert packages.select_items(documenter, acme, [item.pk]) == [item]
    consent = withdraw(coordinator, file, Scope.LEGAL_PROCEEDINGS)
    with uses.using("evidence.package"), pytest.raises(ValidationError) as exc:
        packages.select_items(documenter, acme, [item.pk])
    day = consent.given_at.date().isoformat()
    assert f"No consent for legal proceedings — withdrawn on {day}." in exc.value.messages[0]
