"""``encryption.mfa`` directly: which values of an authenticator's data are secrets (and
which are left alone), sealing and unsealing one secret, counting and sealing rows in batches,
and refusing a secret stored in clear."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from justicework.encryption import keyring, mfa


def upper(value: str) -> str | None:
    return value.upper()


@pytest.mark.parametrize(
    "data, expected, changed",
    [
        ({"secret": "abc"}, {"secret": "ABC"}, 1),
        ({"seed": "abc", "used_mask": 3}, {"seed": "ABC", "used_mask": 3}, 1),
        ({"migrated_codes": ["a", "b"]}, {"migrated_codes": ["A", "B"]}, 2),
        ({"migrated_codes": ["a", 7, None]}, {"migrated_codes": ["A", 7, None]}, 1),
        ({"name": "key", "credential": {"id": "x"}}, {"name": "key", "credential": {"id": "x"}}, 0),
        ({"secret": 12}, {"secret": 12}, 0),
        ({"migrated_codes": "not a list"}, {"migrated_codes": "not a list"}, 0),
    ],
)
def test_only_secret_values_are_changed_and_counted(data, expected, changed):
    assert mfa._map_secrets(data, upper) == (expected, changed)


def test_data_that_is_not_a_mapping_is_returned_as_it_is():
    assert mfa._map_secrets(["secret"], upper) == (["secret"], 0)
    assert mfa._map_secrets(None, upper) == (None, 0)


def test_the_data_given_is_not_modified():
    data = {"secret": "abc", "migrated_codes": ["a"]}
    mfa._map_secrets(data, upper)
    assert data == {"secret": "abc", "migrated_codes": ["a"]}


def test_a_change_that_returns_none_keeps_the_value():
    assert mfa._map_secrets({"secret": "abc", "seed": "d"}, lambda v: None) == (
        {"secret": "abc", "seed": "d"},
        0,
    )


@pytest.mark.django_db
def test_a_sealed_secret_unseals_and_lives_in_the_accounts_scope():
    token = mfa.seal("JBSWY3DPEHPK3PXP")
    assert keyring.is_ciphertext(token) and "JBSWY3DP" not in token
    assert mfa.unseal(token) == "JBSWY3DPEHPK3PXP"
    assert mfa.scope_in_use()
    assert keyring.key_id_of(token) == keyring.keyring.active_key_id(mfa.SCOPE)


@pytest.mark.django_db
def test_a_secret_sealed_for_another_purpose_does_not_unseal():
    token = keyring.encrypt(b"JBSWY3DPEHPK3PXP", mfa.SCOPE, "another.context")
    with pytest.raises(keyring.EncryptionError, match="failed authentication"):
        mfa.unseal(token)


@pytest.mark.django_db
def test_a_secret_in_clear_is_refused_with_what_to_do():
    with pytest.raises(mfa.MFASecretInClear, match="justicework migrate"):
        mfa.unseal("JBSWY3DPEHPK3PXP")


@pytest.mark.django_db
def test_rows_in_clear_are_counted_then_sealed_in_batches_once(cast):
    people = [cast.documenter, cast.analyst, cast.viewer]
    for user in people:
        Authenticator.objects.create(user=user, type="totp", data={"secret": f"S{user.pk}"})
    Authenticator.objects.create(
        user=cast.admin, type="recovery_codes", data={"migrated_codes": ["1", "2"]}
    )
    assert mfa.plaintext_count() == 5
    assert mfa.seal_plaintext_rows(batch_size=1) == 5
    assert mfa.plaintext_count() == 0
    assert mfa.seal_plaintext_rows(batch_size=1) == 0  # idempotent
    stored = Authenticator.objects.get(user=cast.analyst, type="totp").data["secret"]
    assert keyring.is_ciphertext(stored) and mfa.unseal(stored) == f"S{cast.analyst.pk}"


@pytest.mark.django_db
def test_unsealing_rows_gives_back_the_plaintext(cast):
    Authenticator.objects.create(
        user=cast.documenter, type="totp", data={"secret": mfa.seal("ABCDEF")}
    )
    assert mfa.unseal_rows() == 1
    assert Authenticator.objects.get().data == {"secret": "ABCDEF"}
    assert mfa.plaintext_count() == 1
