"""``encryption.keyring`` directly: the ciphertext format and what refuses to decrypt (another
context, another key id, a damaged body, a missing key), master-key wrapping with old keys,
fixed scopes that never rotate, retired keys that still decrypt, and the blind-index HMAC."""

from __future__ import annotations

import hashlib
import hmac
import os

import pytest

from justicework.encryption import keyring
from justicework.encryption.keyring import EncryptionError, MasterKeyMismatch
from justicework.encryption.models import DataKey

pytestmark = pytest.mark.django_db

SCOPE = "org:424242"


def test_a_ciphertext_names_its_format_and_key_and_holds_no_plaintext():
    token = keyring.encrypt(b"Olena Kovalenko", SCOPE, "person.full_name")
    prefix, key_id, body = token.split(".", 2)
    assert prefix == keyring.PREFIX
    assert int(key_id) == keyring.key_id_of(token) == keyring.keyring.active_key_id(SCOPE)
    assert b"Olena" not in body.encode() and "=" not in body
    assert isinstance(token, keyring.Ciphertext) and keyring.is_ciphertext(token)
    assert keyring.decrypt(token, "person.full_name") == b"Olena Kovalenko"


def test_a_value_moved_to_another_field_does_not_decrypt():
    token = keyring.encrypt(b"secret", SCOPE, "person.full_name")
    with pytest.raises(EncryptionError, match=r"person\.notes failed authentication"):
        keyring.decrypt(token, "person.notes")


def test_a_value_relabelled_with_another_key_id_does_not_decrypt():
    token = keyring.encrypt(b"secret", SCOPE, "c")
    other = keyring.create_data_key("org:434343").pk
    _prefix, _key, body = token.split(".", 2)
    with pytest.raises(EncryptionError, match=f"with data key {other}"):
        keyring.decrypt(f"{keyring.PREFIX}.{other}.{body}", "c")


@pytest.mark.parametrize("token", ["plain text", "jw0.1.abc", "jw1.one.abc", "jw1", ""])
def test_something_that_is_not_a_ciphertext_is_refused_as_such(token):
    with pytest.raises(EncryptionError, match="Not a JusticeWork ciphertext"):
        keyring.decrypt(token, "c")


def test_a_damaged_body_is_refused_naming_the_field():
    token = keyring.encrypt(b"secret", SCOPE, "c")
    with pytest.raises(EncryptionError, match="A value for c"):
        keyring.decrypt(token[:-4] + "!!!!", "c")
    with pytest.raises(EncryptionError, match="failed authentication"):
        keyring.decrypt(token[:-6], "c")


def test_a_ciphertext_naming_a_key_that_does_not_exist_is_refused():
    with pytest.raises(EncryptionError, match="Data key 999999 does not exist"):
        keyring.decrypt("jw1.999999.AAAA", "c")


def test_a_batch_encryptor_with_a_chosen_key_makes_values_that_decrypt_individually():
    old = keyring.keyring.active_key_id(SCOPE)
    keyring.create_data_key(SCOPE)
    seal = keyring.encryptor(SCOPE, "c", key_id=old)
    tokens = [seal(f"row {i}".encode()) for i in range(3)]
    assert {keyring.key_id_of(t) for t in tokens} == {old}
    assert len(set(tokens)) == 3  # a fresh nonce each time
    assert [keyring.decrypt(t, "c") for t in tokens] == [b"row 0", b"row 1", b"row 2"]


def test_a_new_data_key_retires_the_old_one_which_still_decrypts():
    token = keyring.encrypt(b"before", SCOPE, "c")
    old = keyring.key_id_of(token)
    new = keyring.create_data_key(SCOPE)
    assert DataKey.objects.get(pk=old).retired_at is not None
    assert keyring.keyring.active_key_id(SCOPE) == new.pk
    assert keyring.key_id_of(keyring.encrypt(b"after", SCOPE, "c")) == new.pk
    assert keyring.decrypt(token, "c") == b"before"


@pytest.mark.parametrize("scope", sorted(keyring.FIXED_SCOPES))
def test_a_fixed_scope_is_never_rotated(scope):
    first = keyring.keyring.fixed_key(scope)
    with pytest.raises(EncryptionError, match=f"The {scope} key is never rotated"):
        keyring.create_data_key(scope)
    assert DataKey.objects.filter(scope=scope).count() == 1
    assert keyring.keyring.fixed_key(scope) == first


def test_existing_active_key_id_creates_nothing():
    assert keyring.existing_active_key_id("org:515151") is None
    assert not DataKey.objects.filter(scope="org:515151").exists()
    created = keyring.keyring.active_key_id("org:515151")
    assert keyring.existing_active_key_id("org:515151") == created


# --- master keys --------------------------------------------------------------------------


def test_the_master_key_id_is_stable_and_tells_keys_apart():
    key = os.urandom(32)
    assert keyring.master_key_id(key) == keyring.master_key_id(bytes(key))
    assert keyring.master_key_id(key) != keyring.master_key_id(os.urandom(32))
    assert len(keyring.master_key_id(key)) == 16


def test_a_key_wrapped_by_an_old_master_key_unwraps_while_it_is_listed(settings):
    old = os.urandom(32)
    raw = os.urandom(32)
    wrapped = keyring.wrap_key(raw, old)
    with pytest.raises(MasterKeyMismatch, match="JUSTICEWORK_MASTER_KEY is"):
        keyring.unwrap_key(wrapped, keyring.master_key_id(old))
    settings.OLD_MASTER_KEYS = [old]
    assert keyring.unwrap_key(wrapped, keyring.master_key_id(old)) == raw


def test_a_wrapped_key_that_was_altered_is_reported_as_altered(settings):
    raw = os.urandom(32)
    wrapped = bytearray(keyring.wrap_key(raw))
    wrapped[-1] ^= 1
    with pytest.raises(MasterKeyMismatch, match="the key file or the database has been altered"):
        keyring.unwrap_key(bytes(wrapped), keyring.master_key_id(settings.MASTER_KEY))


# --- blind index --------------------------------------------------------------------------


def test_the_hmac_is_the_standard_one_over_kind_and_value():
    key = os.urandom(32)
    expected = hmac.new(key, b"name\x1folena", hashlib.sha256).hexdigest()[:32]
    assert keyring.hmac_hex(key, "olena", "name") == expected
    assert keyring.hmac_hex(key, "olena", "name") == expected  # from the cached state


def test_the_hmac_differs_by_kind_and_by_key():
    key = os.urandom(32)
    assert keyring.hmac_hex(key, "olena", "name") != keyring.hmac_hex(key, "olena", "document")
    assert keyring.hmac_hex(key, "olena", "name") != keyring.hmac_hex(
        os.urandom(32), "olena", "name"
    )


def test_many_keys_keep_giving_correct_hmacs():
    keys = [os.urandom(32) for _ in range(12)]
    for key in keys * 2:
        expected = hmac.new(key, b"k\x1fv", hashlib.sha256).hexdigest()[:32]
        assert keyring.hmac_hex(key, "v", "k") == expected
