"""Participation wishes (versioned) and applications for victim status: the actions, the page
and the API; allow and deny for each (another organisation, a viewer, a withdrawn consent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.models import ParticipationWish, SurvivorFile, VictimStatusApplication
from tests.survivors.conftest import give, withdraw
from tests.survivors.particip_helpers import bearer_client, login_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    return login_with(client)


@pytest.fixture
def bearer() -> Callable[[User], Client]:
    return bearer_client


S = VictimStatusApplication.Status


@pytest.fixture
def consented(file: SurvivorFile, coordinator: User) -> SurvivorFile:
    give(coordinator, file, Scope.DOCUMENTATION)
    return file


def wish(**texts: str) -> actions.Wish:
    return actions.Wish("yes", ("icc", "other"), "Special Tribunal", texts)


def test_wishes_are_versions_and_the_audit_holds_no_names(
    coordinator: User, consented: SurvivorFile
) -> None:
    first = actions.record_participation(
        coordinator, consented, wish(legal_representative="Maître Dupont")
    )
    second = actions.record_participation(coordinator, consented, actions.Wish("no"))
    assert (first.version, second.version) == (1, 2)
    assert ParticipationWish.objects.get(pk=first.pk).legal_representative == "Maître Dupont"
    entry = AuditEntry.objects.filter(action="survivors.participation.recorded").first()
    assert entry is not None
    assert "Dupont" not in str(entry.diff) and entry.diff["filled"] == ["legal_representative"]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (actions.Wish("perhaps"), "take_part"),
        (actions.Wish("yes", ("moon",)), "forums"),
        (actions.Wish("yes", ("icc", "icc")), "forums"),
        (actions.Wish("yes", ("other",)), "forum_other"),
        (actions.Wish("yes", ("icc",), "Somewhere"), "forum_other"),
        (actions.Wish("yes", (), "", {"measures_granted": "x" * 4001}), "measures_granted"),
    ],
)
def test_bad_wishes_name_the_field_and_write_nothing(
    coordinator: User, consented: SurvivorFile, bad: actions.Wish, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_participation(coordinator, consented, bad)
    assert field in caught.value.message_dict
    assert not ParticipationWish.objects.exists()


def test_application_states_are_appended(coordinator: User, consented: SurvivorFile) -> None:
    today = timezone.localdate()
    first = actions.record_application(
        coordinator, consented, actions.Application("icc", S.SUBMITTED, applied_on=today)
    )
    granted = actions.Application("icc", S.GRANTED, applied_on=today, decided_on=today)
    second = actions.record_application(coordinator, consented, granted, first)
    assert second.supersedes_id == first.pk
    with pytest.raises(ValidationError) as caught:  # the old state cannot be updated again
        actions.record_application(coordinator, consented, granted, first)
    assert "supersedes" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.record_application(
            coordinator, consented, actions.Application("icc", S.GRANTED, applied_on=today)
        )
    assert "decided_on" in caught.value.message_dict
    future = today + dt.timedelta(days=2)
    with pytest.raises(ValidationError):
        actions.record_application(
            coordinator, consented, actions.Application("un", S.SUBMITTED, applied_on=future)
        )
    assert VictimStatusApplication.objects.count() == 2


@pytest.mark.parametrize("who", ["viewer", "outsider", "officer"])
def test_others_may_not_record(
    request: pytest.FixtureRequest, consented: SurvivorFile, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_participation(request.getfixturevalue(who), consented, wish())
    assert not ParticipationWish.objects.exists()


def test_page_allows_the_coordinator_and_the_lawyer(
    login: Callable[[User], Client], coordinator: User, analyst: User, consented: SurvivorFile
) -> None:
    pk = consented.person_id
    client = login(coordinator)
    response = client.post(
        reverse("survivors:participation_wish", args=[pk]),
        {"take_part": "yes", "forums": ["icc", "national"], "legal_representative": "A. Lawyer"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("survivors:participation_application", args=[pk]),
        {"app-forum": "icc", "app-status": "submitted", "app-applied_on": "2026-01-05"},
    )
    assert response.status_code == 302
    client = login(analyst)
    body = client.get(reverse("survivors:participation", args=[pk])).content.decode()
    assert "A. Lawyer" in body and "International Criminal Court" in body
    assert "Submitted" in body


def test_page_bad_input_is_422_and_writes_nothing(
    login: Callable[[User], Client], coordinator: User, consented: SurvivorFile
) -> None:
    client = login(coordinator)
    response = client.post(
        reverse("survivors:participation_wish", args=[consented.person_id]),
        {"take_part": "yes", "forums": ["other"]},
    )
    assert response.status_code == 422
    assert "Name the other forum" in response.content.decode()
    response = client.post(
        reverse("survivors:participation_application", args=[consented.person_id]),
        {"app-forum": "icc", "app-status": "submitted", "app-supersedes": "999"},
    )
    assert response.status_code == 422
    assert not ParticipationWish.objects.exists() and not VictimStatusApplication.objects.exists()


def test_page_denies_viewer_other_organisation_and_after_withdrawal(
    login: Callable[[User], Client], coordinator: User, viewer: User, outsider: User,
    consented: SurvivorFile,
) -> None:  # fmt: skip
    page = reverse("survivors:participation", args=[consented.person_id])
    assert login(viewer).get(page).status_code == 403
    assert login(outsider).get(page).status_code == 404
    client = login(coordinator)
    assert client.get(page).status_code == 200
    withdraw(coordinator, consented, Scope.DOCUMENTATION)
    assert client.get(page).status_code == 404
    response = client.post(
        reverse("survivors:participation_wish", args=[consented.person_id]), {"take_part": "no"}
    )
    assert response.status_code == 404
    assert not ParticipationWish.objects.exists()


def test_page_query_count_does_not_grow(
    login: Callable[[User], Client], coordinator: User, consented: SurvivorFile,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:  # fmt: skip
    client = login(coordinator)
    page = reverse("survivors:participation", args=[consented.person_id])
    client.get(page)
    for _n in range(5):
        actions.record_participation(coordinator, consented, wish())
        actions.record_application(coordinator, consented, actions.Application("un", S.PREPARING))
    with django_assert_max_num_queries(25) as counted:  # type: ignore[operator]
        client.get(page)
    baseline = len(counted.captured_queries)  # type: ignore[attr-defined]
    for _n in range(10):
        actions.record_participation(coordinator, consented, wish())
        actions.record_application(coordinator, consented, actions.Application("un", S.PREPARING))
    with django_assert_max_num_queries(baseline):  # type: ignore[operator]
        client.get(page)


def test_api_allows_and_denies(
    bearer: Callable[[User], Client], coordinator: User, viewer: User, outsider: User,
    consented: SurvivorFile,
) -> None:  # fmt: skip
    base = f"/api/v1/survivors/participation/persons/{consented.person_id}"
    api = bearer(coordinator)
    response = api.post(
        f"{base}/wishes", {"take_part": "yes", "forums": ["icc"]}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["current"]["version"] == 1
    response = api.post(
        f"{base}/victim-status", {"forum": "national", "status": "granted"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422 and "decided_on" in response.content.decode()
    response = api.post(
        f"{base}/victim-status", {"forum": "national", "status": "submitted"},
        content_type="application/json",
    )  # fmt: skip
    assert (
        response.status_code == 201 and response.json()["applications"][0]["status"] == "submitted"
    )
    assert bearer(viewer).get(base).status_code == 403
    assert bearer(outsider).get(base).status_code == 404
    withdraw(coordinator, consented, Scope.DOCUMENTATION)
    assert api.get(base).status_code == 404
