"""Every endpoint of the accounts router: allow, deny, bad input (422), query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from justicework.audit.models import AuditEntry
from justicework.core import actions
from justicework.core.models import ApiToken, Membership, Organisation
from justicework.core.roles import Role
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"


# --- /me ----------------------------------------------------------------------------------------


def test_me_lists_own_memberships_with_capabilities(cast, bearer):
    data = bearer(cast.analyst).get("/api/v1/me").json()
    assert data["email"] == cast.analyst.email
    assert data["requires_mfa"] is True
    assert data["active_organisation_id"] == cast.acme.pk
    [membership] = data["memberships"]
    assert membership["role"] == Role.LEGAL_ANALYST
    assert "legal.assess" in membership["capabilities"]


def test_me_of_user_without_membership(cast, bearer):
    data = bearer(cast.loner).get("/api/v1/me").json()
    assert data["memberships"] == []
    assert data["active_organisation_id"] is None


def test_me_denies_anonymous(cast):
    assert Client().get("/api/v1/me").status_code == 401


# --- organisations ------------------------------------------------------------------------------


def test_member_lists_organisations(cast, bearer):
    data = bearer(cast.viewer).get("/api/v1/organisations").json()
    assert [o["name"] for o in data["items"]] == ["Acme Rights Watch", "Beacon Justice Centre"]
    assert data["next_cursor"] is None


def test_user_without_membership_sees_no_organisations(cast, bearer):
    assert bearer(cast.loner).get("/api/v1/organisations").json()["items"] == []


def test_organisation_list_pages_with_cursor(cast, bearer):
    for i in range(5):
        make_org(f"Org {i:02d}")
    client = bearer(cast.viewer)
    seen, cursor = [], None
    while True:
        url = "/api/v1/organisations?limit=3" + (f"&cursor={cursor}" if cursor else "")
        data = client.get(url).json()
        seen += [o["name"] for o in data["items"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(Organisation.objects.values_list("name", flat=True))
    assert len(seen) == 7


def test_organisation_list_query_count_does_not_grow(cast, bearer, django_assert_num_queries):
    client = bearer(cast.viewer)
    client.get("/api/v1/organisations")  # warm up: last_used_at is written at most once a minute
    with django_assert_num_queries(3):  # token+user, memberships, organisations
        client.get("/api/v1/organisations")
    for i in range(20):
        make_org(f"More {i:02d}")
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/organisations").json()["items"]) == 22


def test_tampered_cursor_is_422_naming_cursor(cast, bearer):
    response = bearer(cast.viewer).get("/api/v1/organisations?cursor=abc")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_limit_out_of_range_is_422(cast, bearer):
    response = bearer(cast.viewer).get("/api/v1/organisations?limit=0")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "limit"


def test_member_gets_an_organisation(cast, bearer):
    response = bearer(cast.viewer).get(f"/api/v1/organisations/{cast.beacon.pk}")
    assert response.status_code == 200
    assert response.json()["slug"] == cast.beacon.slug


def test_user_without_membership_gets_404_for_organisation(cast, bearer):
    assert bearer(cast.loner).get(f"/api/v1/organisations/{cast.acme.pk}").status_code == 404


def test_missing_organisation_is_404(cast, bearer):
    assert bearer(cast.viewer).get("/api/v1/organisations/999999").status_code == 404


def test_non_integer_organisation_id_is_422(cast, bearer):
    response = bearer(cast.viewer).get("/api/v1/organisations/abc")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "org_id"]


# --- memberships --------------------------------------------------------------------------------


def test_member_lists_own_organisations_memberships(cast, bearer):
    response = bearer(cast.viewer).get(f"/api/v1/organisations/{cast.acme.pk}/memberships")
    assert response.status_code == 200
    assert {m["user_email"] for m in response.json()["items"]} == {
        f"{name}@acme.test"
        for name in [
            "admin",
            "analyst",
            "documenter",
            "coordinator",
            "officer",
            "reviewer",
            "viewer",
        ]
    }


def test_outsider_cannot_list_memberships_of_another_organisation(cast, bearer):
    response = bearer(cast.outsider).get(f"/api/v1/organisations/{cast.acme.pk}/memberships")
    assert response.status_code == 404


def test_membership_list_query_count_does_not_grow(cast, bearer, django_assert_num_queries):
    client = bearer(cast.admin)
    url = f"/api/v1/organisations/{cast.acme.pk}/memberships"
    client.get(url)
    # token+user, memberships of the caller, the organisation, the page
    with django_assert_num_queries(4):
        client.get(url)
    for i in range(15):
        actions.add_member(None, cast.acme, make_user(f"extra{i}@acme.test"), Role.VIEWER)
    with django_assert_num_queries(4):
        assert len(client.get(url).json()["items"]) == 22


def test_admin_adds_existing_user_as_member(cast, bearer):
    response = bearer(cast.admin).post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": cast.loner.email, "role": "viewer"},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert response.json()["user_id"] == cast.loner.pk
    assert Membership.objects.filter(user=cast.loner, organisation=cast.acme).exists()
    assert AuditEntry.objects.filter(action="core.membership.added").count() >= 1


def test_admin_invites_new_person_who_gets_a_login_without_password(cast, bearer):
    response = bearer(cast.admin).post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": "New.Person@Acme.test", "role": "documenter"},
        content_type=JSON,
    )
    assert response.status_code == 201
    membership = Membership.objects.get(pk=response.json()["id"])
    assert membership.user.email == "new.person@acme.test"
    assert not membership.user.has_usable_password()


def test_non_admin_member_cannot_add_members(cast, bearer):
    response = bearer(cast.analyst).post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": cast.loner.email, "role": "viewer"},
        content_type=JSON,
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only this organisation's admins manage it."
    assert not Membership.objects.filter(user=cast.loner).exists()


def test_admin_of_another_organisation_cannot_add_members(cast, bearer):
    response = bearer(cast.beacon_admin).post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": cast.loner.email, "role": "viewer"},
        content_type=JSON,
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "x@acme.test", "role": "emperor"}, "role"),
        ({"email": "x@acme.test"}, "role"),
        ({"role": "viewer"}, "email"),
        ({"email": "not-an-address", "role": "viewer"}, "email"),
    ],
)
def test_bad_membership_input_is_422_naming_the_field(cast, bearer, payload, field):
    before = Membership.objects.count()
    response = bearer(cast.admin).post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships", payload, content_type=JSON
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"][0]["loc"]
    assert Membership.objects.count() == before


def test_adding_an_existing_member_again_is_422_naming_email(cast, bearer):
    response = bearer(cast.admin).post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": cast.viewer.email, "role": "viewer"},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


def test_unparseable_json_is_a_client_error(cast, bearer):
    response = bearer(cast.admin).post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships", "{nope", content_type=JSON
    )
    assert response.status_code == 400


def test_admin_changes_a_role(cast, bearer):
    membership = cast.viewer.memberships.get()
    response = bearer(cast.admin).patch(
        f"/api/v1/memberships/{membership.pk}", {"role": "documenter"}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["role"] == "documenter"
    membership.refresh_from_db()
    assert membership.role == Role.DOCUMENTER


def test_member_cannot_change_a_role(cast, bearer):
    membership = cast.viewer.memberships.get()
    response = bearer(cast.analyst).patch(
        f"/api/v1/memberships/{membership.pk}", {"role": "org_admin"}, content_type=JSON
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_outsider_cannot_see_or_change_a_membership(cast, bearer):
    membership = cast.viewer.memberships.get()
    response = bearer(cast.beacon_admin).patch(
        f"/api/v1/memberships/{membership.pk}", {"role": "org_admin"}, content_type=JSON
    )
    assert response.status_code == 404


def test_bad_role_change_is_422(cast, bearer):
    membership = cast.viewer.memberships.get()
    response = bearer(cast.admin).patch(
        f"/api/v1/memberships/{membership.pk}", {"role": "king"}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "role"]


def test_last_admin_cannot_demote_themself_422(cast, bearer):
    membership = cast.admin.memberships.get()
    response = bearer(cast.admin).patch(
        f"/api/v1/memberships/{membership.pk}", {"role": "viewer"}, content_type=JSON
    )
    assert response.status_code == 422
    assert "at least one admin" in response.json()["detail"][0]["msg"]
    membership.refresh_from_db()
    assert membership.role == Role.ORG_ADMIN


def test_admin_removes_a_member(cast, bearer):
    membership = cast.viewer.memberships.get()
    response = bearer(cast.admin).delete(f"/api/v1/memberships/{membership.pk}")
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_member_cannot_remove_a_member(cast, bearer):
    membership = cast.viewer.memberships.get()
    assert bearer(cast.reviewer).delete(f"/api/v1/memberships/{membership.pk}").status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_outsider_cannot_remove_a_member(cast, bearer):
    membership = cast.viewer.memberships.get()
    assert bearer(cast.outsider).delete(f"/api/v1/memberships/{membership.pk}").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- tokens -------------------------------------------------------------------------------------


def session_client(user) -> Client:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client = Client()
    client.force_login(user)
    return client


def test_session_user_creates_a_token_and_sees_the_secret_once(cast):
    client = session_client(cast.analyst)
    response = client.post(
        "/api/v1/tokens",
        {"name": "laptop", "scope": "read", "expires_in_days": 30},
        content_type=JSON,
    )
    assert response.status_code == 201
    data = response.json()
    assert data["secret"].startswith("jw_")
    assert data["secret"].startswith(data["prefix"])
    token = ApiToken.objects.get(pk=data["id"])
    assert data["secret"] not in str(token.__dict__)
    listed = client.get("/api/v1/tokens").json()["items"]
    assert [t["id"] for t in listed] == [token.pk]
    assert "secret" not in listed[0]
    entry = AuditEntry.objects.get(action="core.apitoken.created")
    assert data["secret"] not in str(entry.diff)


def test_token_cannot_create_tokens(cast, bearer):
    response = bearer(cast.analyst).post(
        "/api/v1/tokens", {"name": "x", "scope": "write", "expires_in_days": 1}, content_type=JSON
    )
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=cast.analyst).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "scope": "admin", "expires_in_days": 5}, "scope"),
        ({"name": "", "scope": "read", "expires_in_days": 5}, "name"),
        ({"name": "x", "scope": "read", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "scope": "read", "expires_in_days": 366}, "expires_in_days"),
        ({"name": "x", "scope": "read"}, "expires_in_days"),
    ],
)
def test_bad_token_input_is_422_naming_the_field(cast, payload, field):
    client = session_client(cast.viewer)
    response = client.post("/api/v1/tokens", payload, content_type=JSON)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not ApiToken.objects.exists()


def test_token_list_shows_only_own_tokens(cast, token_for, bearer):
    token_for(cast.admin)
    data = bearer(cast.viewer).get("/api/v1/tokens").json()
    assert len(data["items"]) == 1  # the viewer's own (the one the client uses)
    assert ApiToken.objects.get(pk=data["items"][0]["id"]).user == cast.viewer


def test_token_list_query_count_does_not_grow(cast, bearer, token_for, django_assert_num_queries):
    client = bearer(cast.viewer)
    client.get("/api/v1/tokens")
    with django_assert_num_queries(2):  # token+user, page
        client.get("/api/v1/tokens")
    for _ in range(10):
        token_for(cast.viewer)
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/tokens").json()["items"]) == 11


def test_user_revokes_own_token(cast, bearer):
    token, _secret = actions.create_token(cast.viewer, name="old", scope="read", expires_in_days=3)
    response = bearer(cast.viewer).delete(f"/api/v1/tokens/{token.pk}")
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="core.apitoken.revoked", object_id=str(token.pk))


def test_nobody_revokes_someone_elses_token(cast, bearer):
    token, _secret = actions.create_token(cast.viewer, name="mine", scope="read", expires_in_days=3)
    for other in (cast.admin, cast.superuser):
        assert bearer(other).delete(f"/api/v1/tokens/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- OpenAPI ------------------------------------------------------------------------------------


def test_openapi_document_lists_every_endpoint_and_auth(cast):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    paths = spec["paths"]
    expected = {
        "/api/v1/me": {"get"},
        "/api/v1/organisations": {"get"},
        "/api/v1/organisations/{org_id}": {"get"},
        "/api/v1/organisations/{org_id}/memberships": {"get", "post"},
        "/api/v1/memberships/{membership_id}": {"patch", "delete"},
        "/api/v1/tokens": {"get", "post"},
        "/api/v1/tokens/{token_id}": {"delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    assert {"TokenAuth", "SessionAuth"} <= set(spec["components"]["securitySchemes"])
    params = {p["name"] for p in paths["/api/v1/organisations"]["get"]["parameters"]}
    assert {"cursor", "limit"} <= params


def test_token_list_pages_newest_first_across_equal_timestamps(cast, bearer):
    from django.utils import timezone

    client = bearer(cast.viewer)
    for i in range(5):
        actions.create_token(cast.viewer, name=f"t{i}", scope="read", expires_in_days=5)
    # Equal creation times: the primary key breaks the tie, nothing is skipped or repeated.
    ApiToken.objects.filter(name__startswith="t").update(created_at=timezone.now())
    ids, cursor = [], None
    while True:
        url = "/api/v1/tokens?limit=2" + (f"&cursor={cursor}" if cursor else "")
        data = client.get(url).json()
        ids += [t["id"] for t in data["items"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    expected = list(
        ApiToken.objects.filter(user=cast.viewer)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert ids == expected
    assert len(ids) == 6


def test_cursor_from_one_list_is_refused_by_another(cast, bearer):
    client = bearer(cast.viewer)
    for i in range(3):
        make_org(f"Paged {i}")
    cursor = client.get("/api/v1/organisations?limit=1").json()["next_cursor"]
    response = client.get(f"/api/v1/tokens?cursor={cursor}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/organisations"),
        ("get", "/api/v1/organisations/{acme}"),
        ("get", "/api/v1/organisations/{acme}/memberships"),
        ("post", "/api/v1/organisations/{acme}/memberships"),
        ("patch", "/api/v1/memberships/{viewer_membership}"),
        ("delete", "/api/v1/memberships/{viewer_membership}"),
        ("get", "/api/v1/tokens"),
        ("post", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/999999"),
    ],
)
def test_every_endpoint_is_rate_limited(cast, bearer, settings, method, path):
    settings.API_RATE_LIMIT = "1/m"
    client = bearer(cast.admin)
    url = path.format(acme=cast.acme.pk, viewer_membership=cast.viewer.memberships.get().pk)
    first = getattr(client, method)(url, {}, content_type=JSON)
    assert first.status_code != 429
    second = getattr(client, method)(url, {}, content_type=JSON)
    assert second.status_code == 429
    assert int(second["Retry-After"]) >= 1
