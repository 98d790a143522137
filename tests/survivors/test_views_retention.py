"""The retention page (schedules, review list, apply and dry run) and the legal-hold page:
allow and deny for each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from justicework.core.models import Organisation, User
from justicework.survivors.models import LegalHold, RetentionSchedule
from justicework.violations.models import Person
from tests.survivors.retention_helpers import old_file, schedule

pytestmark = pytest.mark.django_db


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


def test_admin_sets_a_schedule_reviews_and_applies(
    login: Callable[[User], Client], admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    client = login(admin)
    page = reverse("survivors:retention")
    response = client.post(
        page,
        {"record_type": "survivors.file", "start_event": "opened", "period_days": "365",
         "action": "anonymise"},
    )  # fmt: skip
    assert response.status_code == 302
    assert RetentionSchedule.objects.get().period_days == 365
    assert file.person.code in client.get(page).content.decode()
    client.post(reverse("survivors:retention_apply"), {"dry_run": "1"})
    assert Person.objects.get(pk=file.person_id).full_name
    client.post(reverse("survivors:retention_apply"))
    assert Person.objects.get(pk=file.person_id).full_name is None


def test_bad_schedule_input_is_a_422_naming_the_field(
    login: Callable[[User], Client], admin: User
) -> None:
    response = login(admin).post(
        reverse("survivors:retention"),
        {"record_type": "survivors.file", "start_event": "opened", "period_days": "0",
         "action": "anonymise"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "period_days" in response.context["form"].errors
    assert not RetentionSchedule.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "viewer", "documenter", "outsider", "loner"])
def test_the_retention_pages_are_closed_to_non_admins(
    login: Callable[[User], Client],
    who: str,
    request: pytest.FixtureRequest,
    admin: User,
    coordinator: User,
    acme: Organisation,
) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme)
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("survivors:retention")).status_code == 404
    assert client.post(reverse("survivors:retention_apply")).status_code == 404
    assert Person.objects.get(pk=file.person_id).full_name


def test_admin_sets_and_lifts_a_legal_hold(
    login: Callable[[User], Client], admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    client = login(admin)
    page = reverse("survivors:legal_hold", args=[file.person_id])
    assert client.get(page).status_code == 200
    assert client.post(page, {"reason": "ICC case 12", "ends_on": ""}).status_code == 302
    hold = LegalHold.objects.get()
    assert hold.in_force() and "ICC case 12" in client.get(page).content.decode()
    client.post(reverse("survivors:legal_hold_lift", args=[file.person_id, hold.pk]))
    hold.refresh_from_db()
    assert not hold.in_force()


def test_a_hold_without_a_reason_is_a_422(
    login: Callable[[User], Client], admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    page = reverse("survivors:legal_hold", args=[file.person_id])
    response = login(admin).post(page, {"reason": "", "ends_on": ""})
    assert response.status_code == 422 and not LegalHold.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "viewer", "outsider", "beacon_admin"])
def test_the_legal_hold_page_is_closed_to_others(
    login: Callable[[User], Client],
    who: str,
    request: pytest.FixtureRequest,
    admin: User,
    coordinator: User,
    acme: Organisation,
) -> None:
    from justicework.survivors import actions

    file = old_file(acme, coordinator)
    hold = actions.set_legal_hold(admin, file, reason="Case 3")
    client = login(request.getfixturevalue(who))
    page = reverse("survivors:legal_hold", args=[file.person_id])
    assert client.get(page).status_code == 404
    assert client.post(page, {"reason": "x"}).status_code == 404
    lift = reverse("survivors:legal_hold_lift", args=[file.person_id, hold.pk])
    assert client.post(lift).status_code == 404
    assert LegalHold.objects.get().lifted_at is None


def test_retention_review_query_count_does_not_grow_with_records(
    login: Callable[[User], Client],
    admin: User,
    coordinator: User,
    acme: Organisation,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    schedule(admin, acme)
    old_file(acme, coordinator)
    client = login(admin)
    client.get(reverse("survivors:retention"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("survivors:retention"))
    for _ in range(4):
        old_file(acme, coordinator)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("survivors:retention"))
    assert len(response.context["due"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_person_page_links_to_hold_and_statistics_for_an_admin_only(
    login: Callable[[User], Client],
    admin: User,
    coordinator: User,
    viewer: User,
    acme: Organisation,
) -> None:
    from justicework.survivors import actions
    from tests.survivors.conftest import give

    file = old_file(acme, coordinator)
    give(coordinator, file, "documentation")
    actions.set_legal_hold(admin, file, reason="Case 5")
    page = reverse("violations:person_detail", args=[file.person_id])
    html = login(admin).get(page).content.decode()
    assert reverse("survivors:legal_hold", args=[file.person_id]) in html
    assert "A legal hold is in force" in html
    html = login(viewer).get(page).content.decode()
    assert reverse("survivors:legal_hold", args=[file.person_id]) not in html


def test_retention_and_holds_work_after_consent_is_withdrawn(
    login: Callable[[User], Client], admin: User, coordinator: User, acme: Organisation
) -> None:
    """Ending what may not be kept needs no consent: the pages run under a use with none."""
    from tests.survivors.conftest import give, withdraw

    file = old_file(acme, coordinator)
    give(coordinator, file, "documentation")
    withdraw(coordinator, file, "documentation")
    client = login(admin)
    page = reverse("survivors:legal_hold", args=[file.person_id])
    assert client.get(page).status_code == 200
    schedule(admin, acme)
    client.post(reverse("survivors:retention_apply"))
    assert Person.objects.get(pk=file.person_id).full_name is None
