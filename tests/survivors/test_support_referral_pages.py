"""Referral pages and API: allow and deny for each (another organisation, a viewer, a
documenter without need-to-know, a consent withdrawal), the consent refusal shown with its
reason, the safety warning on the form, query counts on the lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.models import Referral, ServiceProvider, SurvivorFile
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db

D, R = Scope.DOCUMENTATION, Scope.REFERRAL
S = Referral.Status


@pytest.fixture
def referral(coordinator: User, file: SurvivorFile, clinic: ServiceProvider) -> Referral:
    give(coordinator, file, D)
    give(coordinator, file, R, qualifier=clinic.name)
    return actions.create_referral(
        coordinator, file, actions.ReferralData(provider=clinic, shared_items=["code"])
    )


def test_coordinator_proposes_a_referral_on_the_page(
    login: Callable[[User], Client],
    coordinator: User,
    file: SurvivorFile,
    clinic: ServiceProvider,
) -> None:
    give(coordinator, file, D)
    client = login(coordinator)
    url = reverse("survivors:referral_new", args=[file.person_id])
    page = client.get(url).content.decode()
    assert "Clinic Nadiya" in page and 'name="shared_items"' in page and " checked>" not in page
    post = {"provider": clinic.pk, "shared_items": ["code", "needs"]}
    refused = client.post(url, post)
    assert refused.status_code == 422
    assert "No consent for referral to services (Clinic Nadiya) — none recorded." in (
        refused.content.decode()
    )
    assert not Referral.objects.exists()
    give(coordinator, file, R, qualifier=clinic.name)
    response = client.post(url, post)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.shared_items == ["code", "needs"]
    body = client.get(reverse("survivors:referral_detail", args=[referral.pk])).content.decode()
    assert "Consent checked" in body and "Safe contact details" not in body


def test_status_and_follow_up_on_the_page_refuse_invalid_changes(
    login: Callable[[User], Client], coordinator: User, referral: Referral
) -> None:
    client = login(coordinator)
    status = reverse("survivors:referral_status", args=[referral.pk])
    assert client.post(status, {"status": S.COMPLETED}).status_code == 422
    assert client.post(status, {"status": S.CONSENT_CHECKED}).status_code == 302
    follow = reverse("survivors:referral_follow_up", args=[referral.pk])
    assert client.post(follow, {"follow_up_on": "2000-01-01"}).status_code == 422
    assert client.post(follow, {"follow_up_on": "2999-01-01", "outcome": "ok"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.CONSENT_CHECKED and str(referral.follow_up_on) == "2999-01-01"


def test_referral_form_shows_the_safety_warning_first(
    login: Callable[[User], Client], coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, D)
    url = reverse("survivors:referral_new", args=[file.person_id])
    page = login(coordinator).get(url).content.decode()
    assert "Safety warning" in page and "no safety assessment" in page
    assert page.index("Safety warning") < page.index('name="shared_items"')


def _urls(referral: Referral) -> list[tuple[str, str]]:
    person = referral.person_id
    return [
        ("get", reverse("survivors:referral_list", args=[person])),
        ("get", reverse("survivors:referral_new", args=[person])),
        ("get", reverse("survivors:referral_detail", args=[referral.pk])),
        ("post", reverse("survivors:referral_status", args=[referral.pk])),
        ("post", reverse("survivors:referral_follow_up", args=[referral.pk])),
    ]


@pytest.mark.parametrize("who", ["viewer", "documenter", "outsider", "loner"])
def test_others_get_404_on_every_referral_page(
    login: Callable[[User], Client], cast: Any, referral: Referral, who: str
) -> None:
    client = login(getattr(cast, who))
    for method, url in _urls(referral):
        data = {"status": S.CLOSED} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code in {302, 404}, url
        assert response.status_code == 404 or "login" in response["Location"], url
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED


def test_referral_pages_are_closed_after_documentation_consent_is_withdrawn(
    login: Callable[[User], Client], coordinator: User, referral: Referral, file: SurvivorFile
) -> None:
    client = login(coordinator)
    assert client.get(_urls(referral)[0][1]).status_code == 200
    withdraw(coordinator, file, D)
    for method, url in _urls(referral):
        assert getattr(client, method)(url).status_code == 404, url


def test_referral_list_query_count_does_not_grow(
    login: Callable[[User], Client],
    coordinator: User,
    referral: Referral,
    clinic: ServiceProvider,
    file: SurvivorFile,
    django_assert_max_num_queries: Any,
) -> None:
    client = login(coordinator)
    url = reverse("survivors:referral_list", args=[file.person_id])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    baseline = len(few.captured_queries)  # read now: a request resets the log
    for _ in range(6):
        actions.create_referral(
            coordinator, file, actions.ReferralData(provider=clinic, shared_items=["code"])
        )
    with django_assert_max_num_queries(baseline):
        body = client.get(url).content.decode()
    assert body.count("Clinic Nadiya") == 7


API = "/api/v1/survivors/referrals"


def test_api_proposes_moves_and_follows_up_a_referral(
    bearer: Callable[[User], Client],
    coordinator: User,
    file: SurvivorFile,
    clinic: ServiceProvider,
) -> None:
    give(coordinator, file, D)
    api = bearer(coordinator)
    body = {"person_id": file.person_id, "provider_id": clinic.pk, "shared_items": ["code"]}
    refused = api.post(API, body, content_type="application/json")
    assert refused.status_code == 422 and "none recorded" in refused.content.decode()
    give(coordinator, file, R, qualifier=clinic.name)
    created = api.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["next_statuses"] == ["consent_checked", "closed"]
    bad = api.post(f"{API}/{pk}/status", {"status": "sent"}, content_type="application/json")
    assert bad.status_code == 422
    ok = api.post(
        f"{API}/{pk}/status", {"status": "consent_checked"}, content_type="application/json"
    )
    assert ok.json()["status"] == "consent_checked"
    follow = api.post(
        f"{API}/{pk}/follow-up", {"follow_up_on": "2999-01-01"}, content_type="application/json"
    )
    assert follow.json()["follow_up_on"] == "2999-01-01"
    assert [r["id"] for r in api.get(f"{API}/persons/{file.person_id}").json()] == [pk]


@pytest.mark.parametrize("who", ["viewer", "documenter", "outsider"])
def test_api_refuses_others(
    bearer: Callable[[User], Client], cast: Any, referral: Referral, who: str
) -> None:
    api = bearer(getattr(cast, who))
    assert api.get(f"{API}/{referral.pk}").status_code == 404
    assert api.get(f"{API}/persons/{referral.person_id}").status_code == 404
    moved = api.post(
        f"{API}/{referral.pk}/status", {"status": "closed"}, content_type="application/json"
    )
    assert moved.status_code == 404
    body = {"person_id": referral.person_id, "kind": "legal", "shared_items": ["code"]}
    assert api.post(API, body, content_type="application/json").status_code == 404
    assert Referral.objects.count() == 1


def test_api_hides_referrals_after_documentation_consent_is_withdrawn(
    bearer: Callable[[User], Client], coordinator: User, referral: Referral, file: SurvivorFile
) -> None:
    api = bearer(coordinator)
    assert api.get(f"{API}/{referral.pk}").status_code == 200
    withdraw(coordinator, file, D)
    assert api.get(f"{API}/{referral.pk}").status_code == 404
    assert api.get(f"{API}/persons/{file.person_id}").status_code == 404


def test_api_referral_list_query_count_does_not_grow(
    bearer: Callable[[User], Client],
    coordinator: User,
    referral: Referral,
    clinic: ServiceProvider,
    file: SurvivorFile,
    django_assert_max_num_queries: Any,
) -> None:
    api = bearer(coordinator)
    url = f"{API}/persons/{file.person_id}"
    api.get(url)
    with django_assert_max_num_queries(30) as few:
        api.get(url)
    baseline = len(few.captured_queries)  # read now: a request resets the log
    for _ in range(6):
        actions.create_referral(
            coordinator, file, actions.ReferralData(provider=clinic, shared_items=["code"])
        )
    with django_assert_max_num_queries(baseline):
        assert len(api.get(url).json()) == 7
