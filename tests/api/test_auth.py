"""Token and session authentication, scopes, CSRF, MFA and rate limits."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from justicework.core import actions
from justicework.core.models import ApiToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def give_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def test_anonymous_request_is_401(cast):
    response = Client().get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_valid_token_authenticates_its_owner(cast, bearer):
    response = bearer(cast.viewer).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == cast.viewer.email


def test_unknown_token_is_401(cast):
    client = Client(headers={"Authorization": "Bearer jw_" + "A" * 43})
    assert client.get(ME).status_code == 401


def test_token_without_our_prefix_is_401(cast):
    client = Client(headers={"Authorization": "Bearer something-else"})
    assert client.get(ME).status_code == 401


def test_revoked_token_is_401(cast):
    token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(ME).status_code == 200
    actions.revoke_token(cast.viewer, token)
    assert client.get(ME).status_code == 401


def test_expired_token_is_401(cast):
    token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(ME).status_code == 401


def test_token_of_deactivated_user_is_401(cast, token_for):
    secret = token_for(cast.viewer)
    cast.viewer.is_active = False
    cast.viewer.save(update_fields=["is_active"])
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(ME).status_code == 401


def test_token_use_sets_last_used(cast, token_for):
    secret = token_for(cast.viewer)
    Client(headers={"Authorization": f"Bearer {secret}"}).get(ME)
    assert ApiToken.objects.get(user=cast.viewer).last_used_at is not None


def test_read_token_cannot_write(cast, bearer):
    client = bearer(cast.admin, "read")
    response = client.post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": "new@acme.test", "role": "viewer"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    membership = cast.viewer.memberships.get()
    for method in ("patch", "delete"):
        response = getattr(client, method)(
            f"/api/v1/memberships/{membership.pk}",
            {"role": "documenter"},
            content_type="application/json",
        )
        assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_write_token_can_write(cast, bearer):
    response = bearer(cast.admin, "write").post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": "new@acme.test", "role": "viewer"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_session_auth_works_for_reads(cast):
    client = Client()
    client.force_login(cast.viewer)
    assert client.get(ME).json()["id"] == cast.viewer.pk


def test_session_write_without_csrf_token_is_403(cast):
    give_totp(cast.admin)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    response = client.post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": "new@acme.test", "role": "viewer"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not cast.acme.memberships.filter(user__email="new@acme.test").exists()


def test_session_write_with_csrf_token_is_allowed(cast):
    give_totp(cast.admin)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    client.get("/account/")  # a page with a form sets the CSRF cookie
    secret = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/v1/organisations/{cast.acme.pk}/memberships",
        {"email": "new@acme.test", "role": "viewer"},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201, response.content


def test_session_user_needing_mfa_without_it_is_403(cast):
    client = Client()
    client.force_login(cast.documenter)  # documenters open evidence: MFA required
    response = client.get(ME)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_session_user_with_mfa_is_allowed(cast):
    give_totp(cast.documenter)
    client = Client()
    client.force_login(cast.documenter)
    assert client.get(ME).status_code == 200


def test_rate_limit_per_token_answers_429_with_retry_after(cast, bearer, settings):
    settings.API_RATE_LIMIT = "3/m"
    client = bearer(cast.viewer)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(ME)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another token of the same person has its own budget.
    assert bearer(cast.viewer).get(ME).status_code == 200


def test_rate_limit_per_session_user(cast, settings):
    settings.API_RATE_LIMIT = "2/m"
    client = Client()
    client.force_login(cast.viewer)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    other = Client()
    other.force_login(cast.reviewer)
    assert other.get(ME).status_code == 200


def test_bad_tokens_are_rate_limited_per_ip(cast, settings):
    settings.API_RATE_LIMIT = "3/m"
    client = Client(headers={"Authorization": "Bearer jw_" + "B" * 43})
    assert [client.get(ME).status_code for _ in range(4)] == [401, 401, 401, 429]
    assert int(client.get(ME)["Retry-After"]) >= 1


def test_rate_limit_window_passes(cast, bearer, settings, monkeypatch):
    settings.API_RATE_LIMIT = "1/m"
    client = bearer(cast.viewer)
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 429
    import time

    from ninja.throttling import SimpleRateThrottle

    later = time.time() + 61
    monkeypatch.setattr(SimpleRateThrottle, "timer", staticmethod(lambda: later))
    assert client.get(ME).status_code == 200


def test_spoofed_forwarded_for_does_not_buy_a_fresh_ip_budget(cast, settings):
    settings.API_RATE_LIMIT = "2/m"
    codes = [
        Client(headers={"Authorization": "Bearer jw_" + "C" * 43, "X-Forwarded-For": f"10.9.{i}.1"})
        .get(ME)
        .status_code
        for i in range(3)
    ]
    assert codes == [401, 401, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(cast, settings):
    settings.API_RATE_LIMIT = "1/m"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    codes = [
        Client(
            REMOTE_ADDR="10.0.0.1",
            headers={"Authorization": "Bearer jw_" + "D" * 43, "X-Forwarded-For": f"203.0.113.{i}"},
        )
        .get(ME)
        .status_code
        for i in range(3)
    ]
    assert codes == [401, 401, 401]
