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
from justicework.encryption.sessions import SessionStore

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
