"""The directory of service providers: actions (audited, validated), the policy (owner,
shared with the coalition, outsiders), the pages and the API; allow and deny for each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import actions, queries_support
from justicework.survivors.models import ServiceProvider
from tests.survivors.support_fixtures import make_provider, provider_data

pytestmark = pytest.mark.django_db


def test_coordinator_adds_a_provider_and_it_is_audited(
    coordinator: User, clinic: ServiceProvider
) -> None:
    assert clinic.languages == ",ru,uk,"
    assert clinic.language_codes == ["ru", "uk"]
    entry = AuditEntry.objects.filter(action="survivors.provider.created").get()
    assert entry.object_id == str(clinic.pk)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"kind": "astrology"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"languages": ["uk", "zz"]}, "languages"),
    ],
)
def test_bad_provider_is_refused_naming_the_field(
    coordinator: User, acme: Organisation, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_provider(coordinator, acme, **fields)
    assert field in caught.value.message_dict
    assert not ServiceProvider.objects.exists()


@pytest.mark.parametrize("who", ["documenter", "viewer", "admin", "outsider"])
def test_only_support_coordinators_add_providers(cast: Any, acme: Organisation, who: str) -> None:
    with pytest.raises(PermissionDenied):
        make_provider(getattr(cast, who), acme)
    assert not ServiceProvider.objects.exists()


def test_outsider_cannot_change_a_provider(outsider: User, clinic: ServiceProvider) -> None:
    with pytest.raises(PermissionDenied):
        actions.update_provider(outsider, clinic, provider_data(name="Renamed"))
    clinic.refresh_from_db()
    assert clinic.name == "Clinic Nadiya"


def test_a_provider_is_seen_by_the_coalition_only_once_shared(
    coordinator: User, outsider: User, loner: User, viewer: User, clinic: ServiceProvider
) -> None:
    everything = queries_support.ProviderFilter()
    assert list(queries_support.providers(viewer, everything)) == [clinic]
    assert not queries_support.providers(outsider, everything).exists()
    assert not policy.can(outsider, "view", clinic)
    actions.update_provider(coordinator, clinic, provider_data(shared=True))
    assert list(queries_support.providers(outsider, everything)) == [clinic]
    assert policy.can(outsider, "view", clinic)
    assert not policy.can(outsider, "manage", clinic)
    assert not queries_support.providers(loner, everything).exists()
    assert not policy.can(loner, "view", clinic)


def test_filters_by_country_kind_and_language(
    coordinator: User, acme: Organisation, viewer: User, clinic: ServiceProvider
) -> None:
    shelter = make_provider(
        coordinator, acme, name="Safe House", kind="shelter", country="GE", languages=["ka"]
    )
    make_provider(coordinator, acme, name="Closed", active=False)
    F = queries_support.ProviderFilter
    assert list(queries_support.providers(viewer, F(country="ge"))) == [shelter]
    assert list(queries_support.providers(viewer, F(kind="medical"))) == [clinic]
    assert list(queries_support.providers(viewer, F(language="ka"))) == [shelter]
    assert list(queries_support.providers(viewer, F(language="r"))) == []
    assert queries_support.providers(viewer, F(include_inactive=True)).count() == 3


def test_directory_page_filters_with_pickers_in_few_queries(
    login: Callable[[User], Client],
    coordinator: User,
    acme: Organisation,
    clinic: ServiceProvider,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(5):
        make_provider(coordinator, acme, name=f"Provider {i}", kind="legal")
    client = login(coordinator)
    url = reverse("survivors:provider_list")
    client.get(url)
    with django_assert_max_num_queries(12):
        body = client.get(url, {"kind": "medical", "language": "uk"}).content.decode()
    assert "Clinic Nadiya" in body and "Provider 1" not in body
    assert '<select name="country"' in body and '<select name="language"' in body
    assert "Add a provider" in body


def test_viewer_sees_the_directory_but_cannot_add_or_edit(
    login: Callable[[User], Client], viewer: User, clinic: ServiceProvider
) -> None:
    client = login(viewer)
    body = client.get(reverse("survivors:provider_list")).content.decode()
    assert "Clinic Nadiya" in body and "Add a provider" not in body
    assert client.get(reverse("survivors:provider_detail", args=[clinic.pk])).status_code == 200
    assert client.get(reverse("survivors:provider_new")).status_code == 404
    edit = reverse("survivors:provider_edit", args=[clinic.pk])
    assert client.post(edit, {"name": "X", "kind": "legal", "country": "UA"}).status_code == 404
    clinic.refresh_from_db()
    assert clinic.name == "Clinic Nadiya"


def test_coordinator_adds_and_edits_a_provider_on_the_pages(
    login: Callable[[User], Client], coordinator: User
) -> None:
    client = login(coordinator)
    data = {"name": "Legal Aid Kyiv", "kind": "legal", "country": "UA", "languages": ["uk"],
            "active": "on", "shared": "on"}  # fmt: skip
    response = client.post(reverse("survivors:provider_new"), data)
    assert response.status_code == 302
    provider = ServiceProvider.objects.get()
    assert provider.shared and provider.language_codes == ["uk"]
    edit = reverse("survivors:provider_edit", args=[provider.pk])
    assert client.post(edit, {**data, "country": "XX"}).status_code == 422
    assert client.post(edit, {**data, "name": "Legal Aid Lviv"}).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Legal Aid Lviv" and provider.country == "UA"


def test_outsider_gets_404_on_an_unshared_provider_page(
    login: Callable[[User], Client], outsider: User, clinic: ServiceProvider
) -> None:
    client = login(outsider)
    assert client.get(reverse("survivors:provider_detail", args=[clinic.pk])).status_code == 404
    assert "Clinic Nadiya" not in client.get(reverse("survivors:provider_list")).content.decode()


API = "/api/v1/survivors/support/providers"


def test_api_lists_creates_and_updates_providers(
    bearer: Callable[[User], Client], coordinator: User, acme: Organisation
) -> None:
    api = bearer(coordinator)
    body = {"organisation_id": acme.pk, "name": "Shelter One", "kind": "shelter",
            "country": "UA", "languages": ["uk"]}  # fmt: skip
    created = api.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.get(API, {"kind": "shelter"}).json()[0]["id"] == pk
    assert api.get(API, {"kind": "legal"}).json() == []
    changed = api.put(f"{API}/{pk}", {**body, "shared": True}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["shared"] is True
    bad = api.post(API, {**body, "languages": ["zz"]}, content_type="application/json")
    assert bad.status_code == 422
    assert ServiceProvider.objects.count() == 1


def test_api_refuses_others(
    bearer: Callable[[User], Client],
    viewer: User,
    outsider: User,
    acme: Organisation,
    clinic: ServiceProvider,
) -> None:
    body = {"organisation_id": acme.pk, "name": "X", "kind": "legal", "country": "UA"}
    assert bearer(viewer).post(API, body, content_type="application/json").status_code in {403, 404}
    put = bearer(viewer).put(f"{API}/{clinic.pk}", body, content_type="application/json")
    assert put.status_code == 404
    assert bearer(outsider).get(f"{API}/{clinic.pk}").status_code == 404
    assert bearer(outsider).get(API).json() == []
    assert ServiceProvider.objects.count() == 1


def test_api_list_query_count_does_not_grow(
    bearer: Callable[[User], Client],
    coordinator: User,
    acme: Organisation,
    clinic: ServiceProvider,
    django_assert_max_num_queries: Any,
) -> None:
    api = bearer(coordinator)
    api.get(API)
    with django_assert_max_num_queries(30) as few:
        api.get(API)
    baseline = len(few.captured_queries)  # read now: a request resets the log
    for i in range(6):
        make_provider(coordinator, acme, name=f"Provider {i}")
    with django_assert_max_num_queries(baseline):
        assert len(api.get(API).json()) == 7
