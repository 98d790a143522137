"""Session timeouts, CSRF, security headers and `check --deploy` under production settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from justicework.core.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def set_session(client: Client, **values: int) -> None:
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def test_active_session_within_limits_goes_on(cast):
    client = signed_in(cast.viewer)
    now = int(time.time())
    set_session(client, **{SESSION_STARTED_KEY: now - 3600, SESSION_SEEN_KEY: now - 60})
    assert client.get("/account/").status_code == 200
    assert client.session[SESSION_SEEN_KEY] >= now


def test_idle_session_is_logged_out_after_30_minutes(cast):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    client = signed_in(cast.viewer)
    now = int(time.time())
    set_session(client, **{SESSION_STARTED_KEY: now - 3600, SESSION_SEEN_KEY: now - 31 * 60})
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccount%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/account/").status_code == 302


def test_session_ends_12_hours_after_login_even_when_active(cast):
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 3600
    client = signed_in(cast.viewer)
    now = int(time.time())
    set_session(client, **{SESSION_STARTED_KEY: now - 12 * 3600 - 5, SESSION_SEEN_KEY: now - 5})
    assert client.get("/account/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_expired_session_on_htmx_request_gets_hx_redirect(cast):
    client = signed_in(cast.viewer)
    now = int(time.time())
    set_session(client, **{SESSION_STARTED_KEY: now, SESSION_SEEN_KEY: now - 31 * 60})
    response = client.get("/account/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_expired_session_on_api_is_401(cast):
    client = signed_in(cast.viewer)
    now = int(time.time())
    set_session(client, **{SESSION_STARTED_KEY: now, SESSION_SEEN_KEY: now - 31 * 60})
    assert client.get("/api/v1/me").status_code == 401


def test_login_stamps_the_session_start(cast):
    client = Client()
    client.post("/accounts/login/", {"login": cast.viewer.email, "password": cast.password})
    assert abs(client.session[SESSION_STARTED_KEY] - time.time()) < 5


def test_login_form_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"login": cast.viewer.email, "password": cast.password}
    )
    assert response.status_code == 403


def test_pages_send_strict_csp_and_security_headers(cast):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_login_page_uses_our_layout(cast):
    response = Client().get("/accounts/login/")
    templates = [t.name for t in response.templates]
    assert "base.html" in templates
    assert "allauth/layouts/base.html" in templates
    html = response.content.decode()
    assert "<script>" not in html  # no inline script: CSP would block it
    head, body = html.split("</head>")
    assert "<form" not in head  # allauth's passkey form is in the page body, not the head
    assert 'id="mfa_login"' in body.split("<main", 1)[1]
    assert "/accounts/signup/" not in html  # no self sign-up


PRODUCTION_ENV = {
    "JUSTICEWORK_PRODUCTION": "1",
    "JUSTICEWORK_SECRET_KEY": "k7#Qm2!vR9x$Lp4@Zt8^Wn3&Hs6*Jd1(Fb5)Gc0-Ye9+Ua2=Xi7~Oq4" * 2,
    "JUSTICEWORK_MASTER_KEY": "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=",
    "JUSTICEWORK_AUDIT_KEY": "dGVzdC1hdWRpdC1rZXktMzItYnl0ZXMtbG9uZyEhISE=",
    "JUSTICEWORK_ALLOWED_HOSTS": "justice.example.org",
    "JUSTICEWORK_CSRF_TRUSTED_ORIGINS": "https://justice.example.org",
}


def _run_production(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("JUSTICEWORK_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(PRODUCTION_ENV, JUSTICEWORK_DATA_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "justicework.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _run_production(["check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_hashes_passwords_with_argon2(tmp_path):
    result = _run_production(
        ["shell", "-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"],
        tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    ), result.stderr


def test_webauthn_origin_check_is_on_unless_debug():
    assert settings.DEBUG is False
    assert settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN is False
