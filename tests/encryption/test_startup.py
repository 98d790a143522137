"""``encryption.startup`` and ``keys check``/``status``/``rotate`` edges: a database without
the key table passes, the start-up check closes its connection and warns about open files,
the status names values on retired keys and secrets in clear, and bad rotate options fail
before anything changes."""

from __future__ import annotations

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from justicework.encryption import filemodes, keyring, startup
from justicework.encryption.models import DataKey
from tests.encryption.testapp.models import Dossier

pytestmark = pytest.mark.django_db


def keys(*args: str) -> str:
    out = io.StringIO()
    call_command("keys", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def no_key_table(monkeypatch):
    names = connection.introspection.table_names
    monkeypatch.setattr(
        connection.introspection,
        "table_names",
        lambda *args, **kwargs: [n for n in names(*args, **kwargs) if n != DataKey._meta.db_table],
    )


def test_a_database_without_the_key_table_passes_the_check(no_key_table):
    result = startup.check_master_key()
    assert result.table_missing and result.checked == 0 and result.on_old_master == []


def test_keys_check_says_there_is_nothing_to_check_yet(no_key_table, monkeypatch):
    monkeypatch.setattr(filemodes, "exposed_paths", lambda *a, **k: [])
    assert "No key table yet (run `justicework migrate`)" in keys("check")


def test_the_check_names_the_data_key_that_does_not_unwrap(cast, settings):
    first = keyring.create_data_key("org:1").pk
    DataKey.objects.filter(pk=first).update(master_key_id="feedfeedfeedfeed")
    settings.OLD_MASTER_KEYS = []
    with pytest.raises(keyring.MasterKeyMismatch, match=f"cannot unwrap data key {first}"):
        startup.check_master_key()


def test_the_start_up_check_closes_its_connection_and_warns(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(startup, "check_master_key", lambda: calls.append("check"))
    monkeypatch.setattr(filemodes, "warn_if_exposed", lambda: calls.append("warn") or [])
    monkeypatch.setattr(
        "django.db.connections.close_all", lambda: calls.append("close"), raising=True
    )
    startup.check_at_start()
    assert calls == ["check", "close", "warn"]


def test_the_start_up_check_closes_its_connection_even_when_the_key_is_wrong(monkeypatch):
    calls: list[str] = []

    def wrong() -> None:
        raise keyring.MasterKeyMismatch("wrong key")

    monkeypatch.setattr(startup, "check_master_key", wrong)
    monkeypatch.setattr("django.db.connections.close_all", lambda: calls.append("close"))
    with pytest.raises(keyring.MasterKeyMismatch):
        startup.check_at_start()
    assert calls == ["close"]


def test_status_names_values_on_retired_keys_and_secrets_in_clear(cast):
    Dossier.objects.create(organisation=cast.acme, name="Amina")
    keyring.create_data_key(keyring.org_scope(cast.acme.pk))
    Authenticator.objects.create(user=cast.viewer, type="totp", data={"secret": "CLEAR"})
    output = keys("status")
    assert f"org:{cast.acme.pk}: 1 values on a retired key" in output
    assert "1 second-factor secrets are stored in clear" in output
    assert f"scope org:{cast.acme.pk}: active key" in output and "1 retired" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rotate"], "Say what to rotate"),
        (["rotate", "--data-keys", "--batch-size", "0"], "--batch-size must be at least 1"),
    ],
)
def test_bad_rotate_options_fail_before_anything_changes(cast, args, message):
    Dossier.objects.create(organisation=cast.acme, name="Amina")
    before = list(DataKey.objects.values_list("pk", "retired_at"))
    with pytest.raises(CommandError, match=message):
        keys(*args)
    assert list(DataKey.objects.values_list("pk", "retired_at")) == before
