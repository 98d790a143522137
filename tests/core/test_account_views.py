"""My account, my API tokens, and switching organisations."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from justicework.core import actions
from justicework.core.middleware import ACTIVE_ORG_SESSION_KEY
from justicework.core.models import ApiToken
from justicework.core.roles import Role
from justicework.core.tokens import hash_secret

pytestmark = pytest.mark.django_db


def signed_in(user, *, mfa: bool = False) -> Client:
    if mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return client


# --- My account ---------------------------------------------------------------------------------


def test_account_page_lists_my_memberships_and_links_to_mfa(cast):
    actions.add_member(None, cast.beacon, cast.viewer, Role.REVIEWER)
    response = signed_in(cast.viewer).get("/account/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Acme Rights Watch" in body and "Beacon Justice Centre" in body
    assert "/accounts/2fa/" in body
    assert "/account/tokens/" in body


def test_account_page_needs_sign_in(cast):
    response = Client().get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_account_page_does_not_show_other_peoples_memberships(cast):
    body = signed_in(cast.viewer).get("/account/").content.decode()
    assert "Beacon Justice Centre" not in body


# --- Tokens page --------------------------------------------------------------------------------


def test_tokens_page_creates_a_token_and_shows_the_secret_once(cast):
    client = signed_in(cast.analyst, mfa=True)
    response = client.post(
        "/account/tokens/", {"name": "laptop", "scope": "read", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get(user=cast.analyst)
    secret = response.context["secret"]
    assert hash_secret(secret) == token.secret_hash
    assert secret in response.content.decode()
    again = client.get("/account/tokens/")
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_tokens_page_bad_input_names_the_field_and_creates_nothing(cast):
    client = signed_in(cast.viewer)
    response = client.post(
        "/account/tokens/", {"name": "", "scope": "read", "expires_in_days": "9999"}
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"name", "expires_in_days"}
    assert not ApiToken.objects.exists()


def test_tokens_page_lists_only_my_tokens(cast):
    actions.create_token(cast.admin, name="admin-script", scope="write", expires_in_days=5)
    actions.create_token(cast.viewer, name="viewer-script", scope="read", expires_in_days=5)
    body = signed_in(cast.viewer).get("/account/tokens/").content.decode()
    assert "viewer-script" in body
    assert "admin-script" not in body


def test_tokens_page_needs_sign_in(cast):
    assert Client().get("/account/tokens/").status_code == 302


def test_tokens_page_query_count_does_not_grow(cast, django_assert_num_queries):
    client = signed_in(cast.viewer)
    client.get("/account/tokens/")
    # session, user, memberships, the tokens page's list (the rest is the layout)
    with django_assert_num_queries(4) as before:
        client.get("/account/tokens/")
    for i in range(10):
        actions.create_token(cast.viewer, name=f"t{i}", scope="read", expires_in_days=5)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get("/account/tokens/")


def test_revoke_my_token_with_post(cast):
    token, _ = actions.create_token(cast.viewer, name="old", scope="read", expires_in_days=5)
    response = signed_in(cast.viewer).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoke_with_htmx_returns_the_row(cast):
    token, _ = actions.create_token(cast.viewer, name="old", scope="read", expires_in_days=5)
    response = signed_in(cast.viewer).post(
        f"/account/tokens/{token.pk}/revoke/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'id="token-{token.pk}"' in response.content.decode()
    assert "Revoked" in response.content.decode()


def test_cannot_revoke_someone_elses_token(cast):
    token, _ = actions.create_token(cast.viewer, name="mine", scope="read", expires_in_days=5)
    response = signed_in(cast.admin, mfa=True).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(cast):
    token, _ = actions.create_token(cast.viewer, name="mine", scope="read", expires_in_days=5)
    assert signed_in(cast.viewer).get(f"/account/tokens/{token.pk}/revoke/").status_code == 405


# --- Switching organisation ---------------------------------------------------------------------


def test_member_of_two_organisations_switches_the_active_one(cast):
    actions.add_member(None, cast.beacon, cast.viewer, Role.REVIEWER)
    client = signed_in(cast.viewer)
    assert client.get("/api/v1/me").json()["active_organisation_id"] == cast.acme.pk
    response = client.post(
        "/account/organisation/", {"organisation": cast.beacon.pk, "next": "/account/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.session[ACTIVE_ORG_SESSION_KEY] == cast.beacon.pk
    assert client.get("/api/v1/me").json()["active_organisation_id"] == cast.beacon.pk
    page = client.get("/account/")
    membership = page.wsgi_request.membership  # type: ignore[attr-defined]  # our middleware
    assert membership.organisation_id == cast.beacon.pk


def test_cannot_switch_to_an_organisation_you_are_not_a_member_of(cast):
    client = signed_in(cast.viewer)
    response = client.post("/account/organisation/", {"organisation": cast.beacon.pk})
    assert response.status_code == 404
    assert ACTIVE_ORG_SESSION_KEY not in client.session


def test_switch_with_bad_id_is_404(cast):
    assert (
        signed_in(cast.viewer).post("/account/organisation/", {"organisation": "x"}).status_code
        == 404
    )


def test_switch_ignores_offsite_next(cast):
    actions.add_member(None, cast.beacon, cast.viewer, Role.REVIEWER)
    response = signed_in(cast.viewer).post(
        "/account/organisation/",
        {"organisation": cast.beacon.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_switch_needs_post_and_sign_in(cast):
    assert signed_in(cast.viewer).get("/account/organisation/").status_code == 405
    response = Client().post("/account/organisation/", {"organisation": cast.acme.pk})
    assert response.status_code == 302


def test_account_page_query_count_does_not_grow_with_memberships(cast, django_assert_num_queries):
    client = signed_in(cast.viewer)
    client.get("/account/")
    # session, user, memberships, authenticators, token count
    with django_assert_num_queries(5) as first:
        client.get("/account/")
    for i in range(5):
        org = actions.create_organisation(None, name=f"Extra org {i}", kind="member")
        actions.add_member(None, org, cast.viewer, Role.REVIEWER)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get("/account/").status_code == 200


def test_mfa_pages_render_inside_our_layout(cast):
    response = signed_in(cast.documenter).get("/accounts/2fa/")
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
