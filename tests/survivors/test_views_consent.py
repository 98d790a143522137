"""The consent page (open a file, record, withdraw, history) and the person page's consent
section; allow and deny for each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors.models import ConsentDecision, SurvivorFile
from justicework.violations.models import Person
from tests.survivors.conftest import give

pytestmark = pytest.mark.django_db

D = Scope.DOCUMENTATION


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


def how_fields() -> dict[str, str]:
    return {
        "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "oral",
        "language": "ar",
        "given_by": "survivor",
    }


def test_coordinator_opens_a_file_records_and_withdraws_consent(
    login: Callable[[User], Client], coordinator: User, survivor: Person
) -> None:
    client = login(coordinator)
    page = reverse("survivors:consent", args=[survivor.pk])
    assert b"Open a survivor file" in client.get(page).content
    client.post(reverse("survivors:file_open", args=[survivor.pk]))
    assert SurvivorFile.objects.filter(person=survivor).exists()
    response = client.post(
        reverse("survivors:consent_record", args=[survivor.pk]),
        {**how_fields(), "use_documentation": "given", "use_legal_proceedings": "given",
         "for_legal_proceedings": "ICC", "use_publication": "refused",
         "conditions": "Not my village's name."},
    )  # fmt: skip
    assert response.status_code == 302
    assert ConsentDecision.objects.filter(answer="given").count() == 2
    response = client.post(
        reverse("survivors:consent_withdraw", args=[survivor.pk]),
        {
            f"withdraw-{k}": v
            for k, v in {**how_fields(), "scope": "legal_proceedings", "qualifier": "ICC"}.items()
        },
    )
    assert response.status_code == 302
    body = client.get(page).content.decode()
    assert "Withdrawn" in body and "Refused" in body and "village" in body


def test_bad_consent_form_shows_the_error_and_records_nothing(
    login: Callable[[User], Client], coordinator: User, file: SurvivorFile
) -> None:
    client = login(coordinator)
    response = client.post(
        reverse("survivors:consent_record", args=[file.person_id]), {**how_fields()}
    )
    assert response.status_code == 422
    assert "Record at least one use" in response.content.decode()
    assert not ConsentDecision.objects.exists()


def test_viewer_sees_where_each_use_stands_but_not_the_survivors_words(
    login: Callable[[User], Client], viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D, conditions="Only initials.")
    client = login(viewer)
    body = client.get(reverse("survivors:consent", args=[file.person_id])).content.decode()
    assert "Given" in body and "initials" not in body and "Record consent" not in body
    response = client.post(
        reverse("survivors:consent_record", args=[file.person_id]),
        {**how_fields(), "use_documentation": "refused"},
    )
    assert response.status_code == 403
    assert ConsentDecision.objects.count() == 1


def test_viewer_cannot_open_a_survivor_file(
    login: Callable[[User], Client], viewer: User, survivor: Person
) -> None:
    client = login(viewer)
    client.post(reverse("survivors:file_open", args=[survivor.pk]))
    assert not SurvivorFile.objects.exists()


@pytest.mark.parametrize("name", ["consent", "file_open", "consent_record", "consent_withdraw"])
def test_outsider_gets_404_on_every_consent_page(
    login: Callable[[User], Client], outsider: User, file: SurvivorFile, name: str
) -> None:
    client = login(outsider)
    url = reverse(f"survivors:{name}", args=[file.person_id])
    response = client.get(url) if name == "consent" else client.post(url, how_fields())
    assert response.status_code == 404


def test_person_page_shows_the_consent_state_and_refuses_without_consent(
    login: Callable[[User], Client], viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    client = login(viewer)
    detail = reverse("violations:person_detail", args=[file.person_id])
    assert client.get(detail).status_code == 404  # no consent to documentation yet
    give(coordinator, file, D)
    body = client.get(detail).content.decode()
    assert 'id="consent"' in body and "survivor file" in body and "Given" in body


def test_person_page_of_an_unmanaged_person_says_so(
    login: Callable[[User], Client], coordinator: User, survivor: Person
) -> None:
    body = (
        login(coordinator)
        .get(reverse("violations:person_detail", args=[survivor.pk]))
        .content.decode()
    )
    assert "No survivor file" in body


def test_coordinator_adds_sheet_versions_and_prints_one(
    login: Callable[[User], Client], coordinator: User
) -> None:
    from justicework.survivors.models import InformationSheet

    client = login(coordinator)
    url = reverse("survivors:sheet_list")
    data = {"key": "consent", "language": "ar", "title": "ورقة المعلومات", "body": "نص"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "body": "نص جديد"}).status_code == 302
    versions = list(InformationSheet.objects.order_by("version").values_list("version", "body"))
    assert versions == [(1, "نص"), (2, "نص جديد")]
    page = client.get(reverse("survivors:sheet_print", args=[InformationSheet.objects.first().pk]))
    assert "ورقة المعلومات" in page.content.decode()
    assert client.post(url, {**data, "body": ""}).status_code == 422


def test_documenter_cannot_add_a_sheet(login: Callable[[User], Client], documenter: User) -> None:
    from justicework.survivors.models import InformationSheet

    client = login(documenter)
    url = reverse("survivors:sheet_list")
    assert client.get(url).status_code == 404
    client.post(url, {"key": "consent", "language": "ar", "title": "T", "body": "B"})
    assert not InformationSheet.objects.exists()


def test_outsider_cannot_print_another_organisations_sheet(
    login: Callable[[User], Client], outsider: User, coordinator: User, acme: object
) -> None:
    from justicework.survivors import actions

    sheet = actions.create_information_sheet(coordinator, acme, language="en", title="T", body="B")
    response = login(outsider).get(reverse("survivors:sheet_print", args=[sheet.pk]))
    assert response.status_code == 404
