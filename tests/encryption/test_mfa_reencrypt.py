"""``encryption.mfa.reencrypt`` directly: sealed second factors moved onto the ``accounts``
scope's newest key in batches, counted without ``fix``, values in clear left to the migration,
one audit entry per batch naming key ids, never values."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from justicework.audit.models import AuditEntry
from justicework.encryption import keyring, mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(cast):
    """Two TOTP secrets and one migrated-codes list sealed under the first accounts key, and
    one secret stored in clear."""
    old = keyring.keyring.active_key_id(mfa.SCOPE)
    for user, secret in [(cast.documenter, "AAAA"), (cast.analyst, "BBBB")]:
        Authenticator.objects.create(user=user, type="totp", data={"secret": mfa.seal(secret)})
    Authenticator.objects.create(
        user=cast.admin,
        type="recovery_codes",
        data={"migrated_codes": [mfa.seal("111"), mfa.seal("222")], "used_mask": 0},
    )
    Authenticator.objects.create(user=cast.viewer, type="totp", data={"secret": "CLEAR"})
    new = keyring.create_data_key(mfa.SCOPE).pk
    return old, new


def key_ids() -> list[int]:
    found = []
    for data in Authenticator.objects.order_by("pk").values_list("data", flat=True):
        values = [data.get("secret"), *list(data.get("migrated_codes", []))]
        found += [keyring.key_id_of(v) for v in values if v and keyring.is_ciphertext(v)]
    return found


def test_without_a_target_nothing_is_done(sealed):
    assert mfa.reencrypt(None, fix=True, log=None) == (0, 0, 0)


def test_counting_changes_nothing(sealed):
    old, new = sealed
    assert mfa.reencrypt(new, fix=False, log=None) == (4, 0, 0)
    assert key_ids() == [old] * 4
    assert not AuditEntry.objects.filter(action="encryption.values.reencrypted").exists()


def test_fixing_moves_every_sealed_value_and_they_still_unseal(sealed):
    _old, new = sealed
    lines: list[str] = []
    assert mfa.reencrypt(new, fix=True, batch_size=2, log=lines.append) == (4, 3, 2)
    assert key_ids() == [new] * 4
    assert lines == [f"{mfa.LABEL}: re-encrypted 2 rows", f"{mfa.LABEL}: re-encrypted 3 rows"]
    data = Authenticator.objects.get(user__email="admin@acme.test").data
    assert [mfa.unseal(v) for v in data["migrated_codes"]] == ["111", "222"]
    assert data["used_mask"] == 0
    assert Authenticator.objects.get(user__email="viewer@acme.test").data == {"secret": "CLEAR"}
    assert mfa.reencrypt(new, fix=True, log=None) == (0, 0, 0)


def test_each_batch_is_audited_with_key_ids_only(sealed):
    old, new = sealed
    mfa.reencrypt(new, fix=True, batch_size=10, log=None)
    entry = AuditEntry.objects.get(action="encryption.values.reencrypted")
    assert entry.object_type == mfa.LABEL
    assert entry.diff["rows"] == 3
    assert entry.diff["from_key_ids"] == [old] and entry.diff["to_key_ids"] == [new]
    assert "AAAA" not in str(entry.diff) and "111" not in str(entry.diff)


def test_the_scope_is_in_use_once_a_secret_was_sealed(db):
    assert not mfa.scope_in_use()
    mfa.seal("SECRET")
    assert mfa.scope_in_use()
