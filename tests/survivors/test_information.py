"""The information log and the "not updated for N days" list: the action, the pages, the API;
allow and deny (another organisation, a viewer, a withdrawn consent), query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.models import InformationGiven, SurvivorFile
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give, withdraw
from tests.survivors.particip_helpers import bearer_client, login_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    return login_with(client)


@pytest.fixture
def bearer() -> Callable[[User], Client]:
    return bearer_client


H = InformationGiven.How


@pytest.fixture
def consented(file: SurvivorFile, coordinator: User) -> SurvivorFile:
    give(coordinator, file, Scope.DOCUMENTATION)
    return file


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def new_file(coordinator: User, opened_days_ago: int, *, consent: bool = True) -> SurvivorFile:
    person = violations_actions.create_person(None, coordinator.memberships.get().organisation)
    file = actions.open_survivor_file(coordinator, person)
    SurvivorFile.objects.filter(pk=file.pk).update(opened_at=days_ago(opened_days_ago))
    if consent:
        give(coordinator, file, Scope.DOCUMENTATION)
    return file


def test_log_entry_is_audited_without_its_words(coordinator: User, consented: SurvivorFile) -> None:
    entry = actions.record_information(
        coordinator, consented, what="Hearing moved to March", given_at=days_ago(1), how=H.PHONE
    )
    assert InformationGiven.objects.get(pk=entry.pk).what == "Hearing moved to March"
    audit = AuditEntry.objects.get(action="survivors.information.recorded")
    assert "March" not in str(audit.diff) and audit.diff["how"] == "phone"


@pytest.mark.parametrize(
    ("what", "when", "how", "field"),
    [
        ("", days_ago(1), H.PHONE, "what"),
        ("x", timezone.now() + dt.timedelta(days=1), H.PHONE, "given_at"),
        ("x", days_ago(1), "pigeon", "how"),
        ("x" * 4001, days_ago(1), H.PHONE, "what"),
    ],
)
def test_bad_entries_name_the_field_and_write_nothing(
    coordinator: User, consented: SurvivorFile, what: str, when: dt.datetime, how: str,
    field: str,
) -> None:  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        actions.record_information(coordinator, consented, what=what, given_at=when, how=how)
    assert field in caught.value.message_dict
    assert not InformationGiven.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider"])
def test_others_may_not_log(
    request: pytest.FixtureRequest, consented: SurvivorFile, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_information(
            request.getfixturevalue(who), consented, what="x", given_at=days_ago(0), how=H.LETTER
        )


def test_page_logs_and_denies(
    login: Callable[[User], Client], coordinator: User, viewer: User, outsider: User,
    consented: SurvivorFile,
) -> None:  # fmt: skip
    pk = consented.person_id
    client = login(coordinator)
    response = client.post(
        reverse("survivors:information_record", args=[pk]),
        {"what": "Your application was received", "how": "letter", "for_survivor": "on",
         "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert response.status_code == 302
    body = client.get(reverse("survivors:information", args=[pk])).content.decode()
    assert "Your application was received" in body and "By letter" in body
    response = client.post(reverse("survivors:information_record", args=[pk]), {"how": "x"})
    assert response.status_code == 422
    assert login(viewer).get(reverse("survivors:information", args=[pk])).status_code == 403
    assert login(outsider).get(reverse("survivors:information", args=[pk])).status_code == 404
    withdraw(coordinator, consented, Scope.DOCUMENTATION)
    assert login(coordinator).get(reverse("survivors:information", args=[pk])).status_code == 404


@override_settings(SURVIVORS_UPDATE_DAYS=30)
def test_not_updated_lists_only_stale_visible_consented_files(
    login: Callable[[User], Client], coordinator: User, viewer: User, outsider: User,
) -> None:  # fmt: skip
    never = new_file(coordinator, 40)
    old = new_file(coordinator, 100)
    actions.record_information(coordinator, old, what="x", given_at=days_ago(31), how=H.PHONE)
    recent = new_file(coordinator, 100)
    actions.record_information(coordinator, recent, what="x", given_at=days_ago(2), how=H.PHONE)
    new_file(coordinator, 3)  # opened recently: not yet due
    refused = new_file(coordinator, 100, consent=False)  # no documentation consent: not read
    client = login(coordinator)
    body = client.get(reverse("survivors:not_updated")).content.decode()
    codes = [f.person.code for f in (never, old, recent, refused)]
    assert codes[0] in body and codes[1] in body
    assert codes[2] not in body and codes[3] not in body
    assert body.index(codes[0]) < body.index(codes[1])  # longest waiting first (40 > 31 days)
    assert codes[0] not in login(viewer).get(reverse("survivors:not_updated")).content.decode()
    assert codes[0] not in login(outsider).get(reverse("survivors:not_updated")).content.decode()
    withdraw(coordinator, never, Scope.DOCUMENTATION)
    assert codes[0] not in login(coordinator).get(reverse("survivors:not_updated")).content.decode()


def test_not_updated_query_count_does_not_grow(
    login: Callable[[User], Client], coordinator: User,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:  # fmt: skip
    client = login(coordinator)
    new_file(coordinator, 200)
    with django_assert_max_num_queries(30) as counted:  # type: ignore[operator]
        client.get(reverse("survivors:not_updated"))
    baseline = len(counted.captured_queries)  # type: ignore[attr-defined]
    for _n in range(8):
        new_file(coordinator, 200)
    with django_assert_max_num_queries(baseline):  # type: ignore[operator]
        body = client.get(reverse("survivors:not_updated")).content.decode()
    assert body.count('class="pseudonym"') == 9


def test_api_logs_reads_lists_and_denies(
    bearer: Callable[[User], Client], coordinator: User, viewer: User, consented: SurvivorFile,
) -> None:  # fmt: skip
    base = f"/api/v1/survivors/information/persons/{consented.person_id}"
    api = bearer(coordinator)
    payload = {"what": "Court date set", "given_at": days_ago(1).isoformat(), "how": "message"}
    assert api.post(base, payload, content_type="application/json").status_code == 201
    assert api.get(base).json()[0]["what"] == "Court date set"
    bad = {**payload, "given_at": (timezone.now() + dt.timedelta(days=3)).isoformat()}
    response = api.post(base, bad, content_type="application/json")
    assert response.status_code == 422 and "given_at" in response.content.decode()
    assert bearer(viewer).get(base).status_code == 403
    SurvivorFile.objects.filter(pk=consented.pk).update(opened_at=days_ago(400))
    InformationGiven.objects.update(given_at=days_ago(200))
    stale = api.get("/api/v1/survivors/information/not-updated").json()
    assert [r["person_id"] for r in stale] == [consented.person_id]
    assert bearer(viewer).get("/api/v1/survivors/information/not-updated").json() == []
