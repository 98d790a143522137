"""Login through allauth: audit entries, lock-out that expires, MFA set-up and enforcement."""

from __future__ import annotations

import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.core.auth_audit import identifier_index

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client: Client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_succeeds_and_is_audited(cast):
    client = Client()
    response = login(client, cast.viewer.email, cast.password)
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    entry = AuditEntry.objects.filter(action="core.user.logged_in").get()
    assert entry.actor_id == cast.viewer.pk
    assert verify_chain().ok


def test_failed_login_is_audited_without_password_or_identifier(cast):
    response = login(Client(), cast.viewer.email, "wrong password 123")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="core.user.login_failed")
    stored = str(entry.diff) + entry.actor_label + entry.object_id
    assert "wrong password" not in stored
    assert cast.viewer.email not in stored
    assert entry.diff["identifier_index"] == identifier_index(cast.viewer.email)
    assert entry.actor_id is None


def test_failed_login_for_unknown_address_is_audited_the_same_way(cast):
    login(Client(), "nobody@nowhere.test", "whatever whatever")
    entry = AuditEntry.objects.get(action="core.user.login_failed")
    assert entry.diff["identifier_index"] == identifier_index("nobody@nowhere.test")
    assert "nobody" not in str(entry.diff)


def test_logout_is_audited(cast):
    client = Client()
    login(client, cast.viewer.email, cast.password)
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(action="core.user.logged_out", actor_id=cast.viewer.pk)


def test_account_is_locked_after_five_failures_even_with_the_right_password(cast):
    client = Client()
    for _ in range(5):
        login(client, cast.viewer.email, "wrong password 123")
    response = login(client, cast.viewer.email, cast.password)
    assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


def test_lock_out_is_per_account_from_any_ip(cast):
    for i in range(5):
        login(Client(REMOTE_ADDR=f"10.0.0.{i}"), cast.viewer.email, "wrong password 123")
    response = login(Client(REMOTE_ADDR="10.0.1.1"), cast.viewer.email, cast.password)
    assert response.status_code == 200


def test_lock_out_of_one_account_does_not_lock_another(cast):
    client = Client()
    for _ in range(5):
        login(client, cast.viewer.email, "wrong password 123")
    assert (
        login(Client(REMOTE_ADDR="10.9.9.9"), cast.reviewer.email, cast.password).status_code == 302
    )


def test_lock_out_ends_when_the_window_passes(cast, monkeypatch):
    """An attacker cannot lock the real user out for good: the key limit is 5 per 5 minutes."""
    client = Client()
    for _ in range(5):
        login(client, cast.viewer.email, "wrong password 123")
    assert login(client, cast.viewer.email, cast.password).status_code == 200

    import allauth.core.internal.ratelimit as allauth_ratelimit

    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(allauth_ratelimit.time, "time", lambda: later)
    response = login(Client(REMOTE_ADDR="10.2.2.2"), cast.viewer.email, cast.password)
    assert response.status_code == 302


def test_per_ip_limit_stops_spraying_many_accounts(cast):
    client = Client(REMOTE_ADDR="10.3.3.3")
    for i in range(10):
        login(client, f"user{i}@spray.test", "wrong password 123")
    response = login(client, cast.viewer.email, cast.password)
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
    # The same account from another address still works.
    assert (
        login(Client(REMOTE_ADDR="10.4.4.4"), cast.viewer.email, cast.password).status_code == 302
    )


# --- MFA ---------------------------------------------------------------------------------------


def test_user_whose_role_needs_mfa_is_sent_to_mfa_setup(cast):
    client = Client()
    client.force_login(cast.documenter)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_htmx_request_of_user_without_mfa_gets_hx_redirect(cast):
    client = Client()
    client.force_login(cast.documenter)
    response = client.get("/account/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_user_needing_mfa_can_reach_the_mfa_pages_and_log_out(cast):
    client = Client()
    client.force_login(cast.documenter)
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/")  # re-authentication, not a loop
        assert not response["Location"].startswith(reverse("mfa_index"))
    assert client.post(reverse("account_logout")).status_code == 302


def test_role_without_identity_or_evidence_access_does_not_need_mfa(cast):
    client = Client()
    client.force_login(cast.viewer)
    assert client.get("/account/").status_code == 200


def test_superuser_needs_mfa(cast):
    client = Client()
    client.force_login(cast.superuser)
    assert client.get("/account/")["Location"] == reverse("mfa_index")


def test_documenter_sets_up_totp_end_to_end_and_then_gets_in(cast):
    client = Client()
    assert login(client, cast.documenter.email, cast.password).status_code == 302
    assert client.get("/account/")["Location"] == reverse("mfa_index")
    # allauth asks for the password again before adding an authenticator.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": cast.password})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content
    assert Authenticator.objects.filter(user=cast.documenter, type=Authenticator.Type.TOTP).exists()
    assert client.get("/account/").status_code == 200


def test_login_of_user_with_totp_asks_for_the_code(cast):
    client = Client()
    login(client, cast.documenter.email, cast.password)
    client.post(reverse("account_reauthenticate"), {"password": cast.password})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    client.post(reverse("account_logout"))
    cache_free = Client()
    response = login(cache_free, cast.documenter.email, cast.password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in cache_free.session
    wrong = cache_free.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert AuditEntry.objects.filter(action="core.user.mfa_failed", actor_id=cast.documenter.pk)
    # allauth refuses a code replayed within its period; forget the one used at set-up.
    cache.clear()
    ok = cache_free.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    assert cache_free.get("/account/").status_code == 200


@pytest.mark.parametrize(
    "name", ["admin", "analyst", "documenter", "coordinator", "officer", "reviewer", "viewer"]
)
def test_mfa_is_enforced_exactly_for_roles_with_mfa_capabilities(cast, name):
    from justicework.core.roles import role_requires_mfa

    user = getattr(cast, name)
    needs = role_requires_mfa(user.memberships.get().role)
    assert user.requires_mfa is needs
    client = Client()
    client.force_login(user)
    response = client.get("/account/")
    assert response.status_code == (302 if needs else 200)
    if needs:
        Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
        assert client.get("/account/").status_code == 200


def test_recovery_codes_alone_do_not_satisfy_the_mfa_requirement(cast):
    Authenticator.objects.create(user=cast.analyst, type=Authenticator.Type.RECOVERY_CODES, data={})
    client = Client()
    client.force_login(cast.analyst)
    assert client.get("/account/")["Location"] == reverse("mfa_index")
