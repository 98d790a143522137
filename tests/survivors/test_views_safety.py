"""The safety page and API (allow, deny, consent withdrawal, audited read), the safety warning
where a survivor is contacted, exported or packaged, and no survivor data in e-mails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.evidence import actions as evidence_actions
from justicework.evidence.actions import package_requests
from justicework.survivors import actions
from justicework.survivors.models import SafetyAssessment, SurvivorFile
from justicework.violations import actions as violations_actions
from tests.evidence.conftest import upload_file
from tests.survivors.conftest import give, withdraw
from tests.survivors.test_safety import safety

pytestmark = pytest.mark.django_db
D = Scope.DOCUMENTATION


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def assessed(coordinator: User, file: SurvivorFile) -> SurvivorFile:
    give(coordinator, file, D, Scope.SHARING, Scope.LEGAL_PROCEEDINGS)
    actions.record_safety_assessment(coordinator, file, safety())
    return file


def test_coordinator_reads_the_assessment_and_the_read_is_audited(
    login: Callable[[User], Client], coordinator: User, assessed: SurvivorFile
) -> None:
    response = login(coordinator).get(reverse("survivors:safety", args=[assessed.person_id]))
    assert response.status_code == 200
    assert b"blue kettle" in response.content
    assert response["Cache-Control"] == "no-store"
    assert AuditEntry.objects.filter(action="survivors.safety.viewed").count() == 1


def test_coordinator_records_a_new_assessment_on_the_page(
    login: Callable[[User], Client], coordinator: User, assessed: SurvivorFile
) -> None:
    url = reverse("survivors:safety_record", args=[assessed.person_id])
    review = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = login(coordinator).post(url, {"contact_methods": "Office only", "review_on": review})
    assert response.status_code == 302
    assert SafetyAssessment.objects.filter(file=assessed).count() == 2
    bad = login(coordinator).post(url, {"contact_methods": "x", "review_on": "2001-01-01"})
    assert bad.status_code == 422 and b"The review date is in the past." in bad.content
    assert SafetyAssessment.objects.filter(file=assessed).count() == 2


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("outsider", 404), ("analyst", 403)])
def test_others_are_refused_the_page(
    request: pytest.FixtureRequest, login: Callable[[User], Client], who: str, status: int,
    assessed: SurvivorFile,
) -> None:  # fmt: skip
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("survivors:safety", args=[assessed.person_id])).status_code == status
    url = reverse("survivors:safety_record", args=[assessed.person_id])
    review = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert client.post(url, {"contact_methods": "x", "review_on": review}).status_code == status
    assert not AuditEntry.objects.filter(action="survivors.safety.viewed").exists()


def test_withdrawn_documentation_consent_closes_the_page(
    login: Callable[[User], Client], coordinator: User, assessed: SurvivorFile
) -> None:
    withdraw(coordinator, assessed, D)
    response = login(coordinator).get(reverse("survivors:safety", args=[assessed.person_id]))
    assert response.status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="survivors.safety.viewed").exists()


def test_api_reads_and_records(
    login: Callable[[User], Client], coordinator: User, viewer: User, assessed: SurvivorFile
) -> None:
    url = f"/api/v1/survivors/safety/persons/{assessed.person_id}"
    body = login(coordinator).get(url).json()
    assert body["current"]["code_word"] == "blue kettle"
    assert body["warnings"] == ["Known threats: contact only as the safety assessment says."]
    review = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    created = login(coordinator).post(
        url, {"contact_methods": "Office", "review_on": review}, content_type="application/json"
    )
    assert created.status_code == 201
    bad = login(coordinator).post(
        url, {"contact_methods": "", "review_on": review}, content_type="application/json"
    )
    assert bad.status_code == 422
    client = login(viewer)
    assert client.get(url).status_code == 403
    refused = client.post(
        url, {"contact_methods": "x", "review_on": review}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert SafetyAssessment.objects.filter(file=assessed).count() == 2


def test_person_page_warns_before_the_contacts_are_revealed(
    login: Callable[[User], Client], coordinator: User, assessed: SurvivorFile
) -> None:
    page = login(coordinator).get(reverse("violations:person_detail", args=[assessed.person_id]))
    assert b"Safety warning" in page.content
    assert b"Known threats: contact only as the safety assessment says." in page.content
    assert b"blue kettle" not in page.content


def test_person_page_of_someone_else_has_no_warning(
    login: Callable[[User], Client], coordinator: User, acme: Any
) -> None:
    other = violations_actions.create_person(None, acme, full_name="Olena Shevchenko")
    page = login(coordinator).get(reverse("violations:person_detail", args=[other.pk]))
    assert page.status_code == 200 and b"Safety warning" not in page.content


def test_export_page_warns_when_the_selection_includes_a_survivor(
    login: Callable[[User], Client], documenter: User, assessed: SurvivorFile
) -> None:
    client = login(documenter)
    url = reverse("dataio:export", args=["violations"])
    assert b"Safety warning" not in client.get(url).content
    incident = violations_actions.create_incident(
        None, assessed.organisation, title="Raid", country="UA", start_date=dt.date(2024, 3, 1)
    )
    violations_actions.add_violation(
        None, incident, type="killing_in_attack", start_date=dt.date(2024, 3, 1),
        victim=assessed.person,
    )  # fmt: skip
    page = client.get(url)
    assert b"Safety warning" in page.content and assessed.person.code.encode() in page.content


def test_package_page_warns_about_a_linked_survivor(
    login: Callable[[User], Client], documenter: User, assessed: SurvivorFile, acme: Any
) -> None:
    item = upload_file(documenter, acme, b"statement audio", filename="statement.ogg")
    evidence_actions.link_item(documenter, item, assessed.person)
    package = package_requests.request_package(documenter, acme, [item.pk])
    page = login(documenter).get(reverse("evidence:package_detail", args=[package.pk]))
    assert page.status_code == 200
    assert b"Safety warning" in page.content and assessed.person.code.encode() in page.content


def test_survivor_work_sends_no_e_mail_with_survivor_data(
    login: Callable[[User], Client], coordinator: User, assessed: SurvivorFile
) -> None:
    """Everything a coordinator does on a file (consent, safety, reads) sends no notification
    that names the survivor, their code or the assessment's words."""
    client = login(coordinator)
    client.get(reverse("survivors:safety", args=[assessed.person_id]))
    review = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    client.post(
        reverse("survivors:safety_record", args=[assessed.person_id]),
        {"contact_methods": "Office only", "review_on": review},
    )
    withdraw(coordinator, assessed, Scope.SHARING)
    secrets = ["Mariam", "Haddad", assessed.person.code, "Dmytro", "kettle", "Office only"]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert not [s for s in secrets if s in text], text
