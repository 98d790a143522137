"""Sessions sealed at rest: the TOTP secret allauth keeps in the session during set-up is not
readable from ``django_session``; unsealed or altered sessions load empty."""

from __future__ import annotations

import base64
import zlib

import pytest
from django.contrib.sessions.backends.db import SessionStore as PlainStore
from django.db import connection
from django.test import Client
from django.urls import reverse

from justicework.encryption import keyring, mfa
from justicework.encryption.sessions import SessionStore, stored_key

pytestmark = pytest.mark.django_db


def raw_sessions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        return [row[0] for row in cursor.fetchall()]


def readable(data: str) -> str:
    """What Django's own encoding would let anyone read: base64 of (zlib-compressed) JSON."""
    payload = data.split(":")[0]
    compressed = payload.startswith(".")
    body = payload.lstrip(".")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode("utf-8", "replace")


def test_the_pending_totp_secret_is_not_readable_in_the_session_table(cast):
    client = Client()
    client.post("/accounts/login/", {"login": cast.documenter.email, "password": cast.password})
    client.post(reverse("account_reauthenticate"), {"password": cast.password})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    assert client.session["mfa.totp.secret"] == secret  # the application still reads it
    rows = raw_sessions()
    assert rows
    for data in rows:
        assert keyring.key_id_of(data) == keyring.existing_active_key_id(mfa.SCOPE)
        assert secret not in data
    # The same session written by Django's own store shows the secret once decoded.
    plain = PlainStore().encode(dict(client.session.items()))
    assert secret in readable(plain)


def test_signed_in_sessions_keep_working(cast):
    client = Client()
    client.post("/accounts/login/", {"login": cast.viewer.email, "password": cast.password})
    assert client.get("/account/").status_code == 200


def test_an_unsealed_or_altered_session_loads_empty(cast):
    store = SessionStore()
    store["marker"] = "x"
    store.save()
    assert SessionStore(store.session_key).load() == {"marker": "x"}
    plain = PlainStore().encode({"marker": "x"})
    assert SessionStore().decode(plain) == {}
    sealed = store.encode({"marker": "x"})
    altered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    assert SessionStore().decode(altered) == {}


def stored_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key FROM django_session")
        return [row[0] for row in cursor.fetchall()]


def test_the_table_never_holds_a_cookie_s_session_key(cast, settings):
    client = Client()
    client.post("/accounts/login/", {"login": cast.viewer.email, "password": cast.password})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/account/").status_code == 200
    keys = stored_keys()
    assert cookie not in keys and not any(cookie in key for key in keys)
    assert stored_key(cookie) in keys
    # A copy of the row's key is no cookie: presenting it opens nothing.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stored_key(cookie)
    assert thief.get("/account/").status_code == 302


def test_log_out_and_a_new_key_at_log_in_remove_the_old_rows(cast, settings):
    client = Client()
    client.get("/accounts/login/")
    store = SessionStore()
    store["marker"] = "x"
    store.save()
    assert store.exists(store.session_key)
    old = store.session_key
    store.cycle_key()
    assert not store.exists(old) and store.exists(store.session_key)
    assert SessionStore(store.session_key).load() == {"marker": "x"}
    client.post("/accounts/login/", {"login": cast.viewer.email, "password": cast.password})
    assert len(stored_keys()) == 2
    client.post(reverse("account_logout"))
    assert stored_key(store.session_key) in stored_keys() and len(stored_keys()) == 1
    store.delete()
    assert stored_keys() == []
