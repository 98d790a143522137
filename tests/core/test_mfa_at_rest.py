"""Second factors sealed at rest: TOTP secrets and recovery-code seeds never stored in clear
(issue 9, finding 3); the data migration seals older rows; key rotation moves them."""

from __future__ import annotations

import base64
import importlib
import io
import json
from types import SimpleNamespace

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from justicework.encryption import keyring, mfa
from justicework.encryption.models import DataKey

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
MIGRATION = importlib.import_module("justicework.core.migrations.0003_seal_mfa_secrets")


def raw_rows() -> dict[int, str]:
    """``mfa_authenticator.data`` as the database holds it, read with SQL (no model, no
    adapter)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, CAST(data AS TEXT) FROM mfa_authenticator ORDER BY id")
        return dict(cursor.fetchall())


def forms_of(secret: str) -> list[str]:
    """Every form in which a base32 TOTP secret could be recognised in a dump."""
    raw = base64.b32decode(secret)
    return [
        secret,
        secret.lower(),
        raw.hex(),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ]


def set_up_totp(cast: SimpleNamespace, user: object) -> tuple[Client, str]:
    client = Client()
    client.post(LOGIN, {"login": user.email, "password": cast.password})  # type: ignore[attr-defined]
    client.post(reverse("account_reauthenticate"), {"password": cast.password})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content
    cache.clear()  # allauth refuses a code replayed within its period
    return client, secret


def log_in_with(email: str, password: str, code: str) -> bool:
    client = Client()
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": code})
    cache.clear()
    return client.get("/account/").status_code == 200


def test_totp_secret_and_recovery_seed_are_not_in_the_raw_table(cast):
    _client, secret = set_up_totp(cast, cast.documenter)
    rows = raw_rows()
    assert len(rows) == 2  # the TOTP authenticator and the recovery codes made with it
    dump = "\n".join(rows.values())
    for form in forms_of(secret):
        assert form not in dump
    codes = Authenticator.objects.get(type="recovery_codes").wrap()
    seed = mfa.unseal(Authenticator.objects.get(type="recovery_codes").data["seed"])
    assert seed not in dump
    for code in codes.generate_codes():
        assert code not in dump
    for text in rows.values():
        data = json.loads(text)
        sealed = data.get("secret") or data.get("seed")
        assert keyring.key_id_of(sealed) == keyring.existing_active_key_id(mfa.SCOPE)


def test_totp_and_recovery_codes_still_log_in(cast):
    _client, secret = set_up_totp(cast, cast.documenter)
    assert log_in_with(cast.documenter.email, cast.password, pyotp.TOTP(secret).now())
    assert not log_in_with(cast.documenter.email, cast.password, "000000")
    code = RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).get_unused_codes()[0]
    assert log_in_with(cast.documenter.email, cast.password, code)
    assert not log_in_with(cast.documenter.email, cast.password, code)  # used once only


def test_a_secret_planted_in_clear_is_refused(cast):
    secret = pyotp.random_base32()
    Authenticator.objects.create(user=cast.documenter, type="totp", data={"secret": secret})
    with pytest.raises(mfa.MFASecretInClear):
        Authenticator.objects.get().wrap().validate_code(pyotp.TOTP(secret).now())


def plaintext_rows(cast: SimpleNamespace) -> SimpleNamespace:
    """Rows as allauth wrote them before MFA_ADAPTER sealed anything."""
    secret = pyotp.random_base32()
    seed = RecoveryCodes.generate_seed()
    totp = Authenticator.objects.create(user=cast.documenter, type="totp", data={"secret": secret})
    codes = Authenticator.objects.create(
        user=cast.documenter, type="recovery_codes", data={"seed": seed, "used_mask": 0}
    )
    migrated = Authenticator.objects.create(
        user=cast.analyst, type="recovery_codes", data={"migrated_codes": ["12345678", "87654321"]}
    )
    webauthn = Authenticator.objects.create(
        user=cast.analyst, type="webauthn", data={"name": "key", "credential": {"id": "x"}}
    )
    return SimpleNamespace(
        secret=secret, seed=seed, totp=totp, codes=codes, migrated=migrated, webauthn=webauthn
    )


def run_migration(forwards: bool = True) -> None:
    editor = SimpleNamespace(connection=connection)
    (MIGRATION.seal if forwards else MIGRATION.unseal)(apps, editor)


def test_the_migration_seals_plaintext_rows_once_and_they_still_work(cast):
    rows = plaintext_rows(cast)
    before = raw_rows()
    assert rows.secret in before[rows.totp.pk]
    assert mfa.plaintext_count() == 4
    status = io.StringIO()
    call_command("keys", "status", stdout=status)
    assert "4 second-factor secrets are stored in clear" in status.getvalue()
    run_migration()
    after = raw_rows()
    dump = "\n".join(after.values())
    for value in [rows.secret, rows.seed, "12345678", "87654321"]:
        assert value not in dump
    assert after[rows.webauthn.pk] == before[rows.webauthn.pk]  # no secret, untouched
    assert json.loads(after[rows.codes.pk])["used_mask"] == 0
    assert mfa.plaintext_count() == 0
    run_migration()  # already sealed values are recognised: nothing changes
    assert raw_rows() == after
    assert log_in_with(cast.documenter.email, cast.password, pyotp.TOTP(rows.secret).now())
    code = RecoveryCodes(Authenticator.objects.get(pk=rows.codes.pk)).generate_codes()[3]
    assert log_in_with(cast.documenter.email, cast.password, code)
    migrated = RecoveryCodes(Authenticator.objects.get(pk=rows.migrated.pk))
    assert migrated.validate_code("87654321")
    assert migrated.get_unused_codes() == ["12345678"]


def test_the_migration_reverses_to_plaintext(cast):
    plaintext_rows(cast)
    before = {pk: json.loads(text) for pk, text in raw_rows().items()}
    run_migration()
    run_migration(forwards=False)
    assert {pk: json.loads(text) for pk, text in raw_rows().items()} == before


def test_data_key_rotation_moves_the_sealed_secrets_and_login_still_works(cast):
    _client, secret = set_up_totp(cast, cast.documenter)
    first = keyring.existing_active_key_id(mfa.SCOPE)
    assert first is not None
    call_command("keys", "rotate", "--data-keys", "--no-wait", stdout=None)
    second = keyring.existing_active_key_id(mfa.SCOPE)
    assert second != first
    assert DataKey.objects.get(pk=first).retired_at is not None
    for text in raw_rows().values():
        data = json.loads(text)
        assert keyring.key_id_of(data.get("secret") or data["seed"]) == second
    keyring.keyring.clear()
    assert log_in_with(cast.documenter.email, cast.password, pyotp.TOTP(secret).now())
    from justicework.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="encryption.values.reencrypted", object_type=mfa.LABEL
    ).exists()


def test_keys_status_counts_mfa_secrets_left_on_a_retired_key(cast):
    set_up_totp(cast, cast.documenter)
    keyring.create_data_key(mfa.SCOPE)  # as an interrupted rotation leaves it
    from justicework.encryption import rotation

    assert rotation.reencrypt_pass(fix=False).stale[mfa.SCOPE] == 2
    rotation.reencrypt_pass()
    assert rotation.reencrypt_pass(fix=False).stale[mfa.SCOPE] == 0


UPGRADE = """
import django, pyotp
django.setup()
from pathlib import Path
from django.conf import settings
from django.core.management import call_command
from django.db import connection

def on_disk():
    return b"".join(p.read_bytes() for p in Path(settings.DATA_DIR).glob("justicework.sqlite3*"))

# As SQLite builds without SQLITE_SECURE_DELETE (Debian's has it): old cells stay in pages.
connection.cursor().execute("PRAGMA secure_delete = OFF")
call_command("migrate", "core", "0002", verbosity=0)
call_command("migrate", "mfa", verbosity=0)
from allauth.mfa.models import Authenticator
from justicework.core.models import User
user = User.objects.create(email="upgrade@example.test")
Authenticator.objects.create(user=user, type="totp", data={"secret": SECRET})
Authenticator.objects.create(user=user, type="recovery_codes", data={"seed": SEED, "used_mask": 0})
for authenticator in Authenticator.objects.all():  # logins rewrite the rows
    for _ in range(3):
        authenticator.record_usage()
assert SECRET.encode() in on_disk() and SEED.encode() in on_disk()
call_command("migrate", verbosity=0)  # core 0003 seals, then VACUUM and WAL truncation
assert SECRET.encode() not in on_disk(), "TOTP secret left in the file"
assert SEED.encode() not in on_disk(), "seed left in the file"
totp = Authenticator.objects.get(type="totp").wrap()
assert totp.validate_code(pyotp.TOTP(SECRET).now())
print("upgraded")
"""


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite files only")
def test_upgrading_a_sqlite_file_leaves_no_plaintext_secret_in_it(tmp_path):
    """The real upgrade on a database file: rows written in clear by the previous version are
    sealed, and the plaintext is gone from the file and its WAL (not only from the rows)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    secret, seed = pyotp.random_base32(), RecoveryCodes.generate_seed()
    env = {
        **os.environ,
        "PYTHONPATH": f"{root / 'src'}{os.pathsep}{root}",
        "JUSTICEWORK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
    }
    env.pop("DATABASE_URL", None)
    code = f"SECRET = {secret!r}\nSEED = {seed!r}\n{UPGRADE}"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "upgraded" in result.stdout
    assert secret.encode() not in b"".join(p.read_bytes() for p in tmp_path.rglob("*.sqlite3*"))
