"""``encryption.keyring``'s cache: what it remembers, what it forgets (a rotation here, a key
from a transaction still open in another thread), and the errors for keys it cannot find or
unwrap."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from justicework.encryption import keyring
from justicework.encryption.keyring import EncryptionError, Keyring, MasterKeyMismatch
from justicework.encryption.models import DataKey

pytestmark = pytest.mark.django_db

SCOPE = "org:515151"


def test_the_active_key_is_cached_until_a_rotation_here(django_assert_num_queries):
    first = keyring.keyring.active_key_id(SCOPE)
    with django_assert_num_queries(0):
        assert keyring.keyring.active_key_id(SCOPE) == first
    second = keyring.create_data_key(SCOPE).pk
    assert second != first
    assert keyring.keyring.active_key_id(SCOPE) == second


def test_forget_active_looks_the_key_up_again(django_assert_num_queries):
    keyring.keyring.active_key_id(SCOPE)
    keyring.keyring.forget_active(SCOPE)
    with django_assert_num_queries(1):
        keyring.keyring.active_key_id(SCOPE)


def test_a_cipher_is_kept_for_a_stored_key_but_not_for_a_pending_one():
    key_id = keyring.keyring.active_key_id(SCOPE)  # created inside the test's transaction
    assert keyring.keyring.cipher(key_id) is not keyring.keyring.cipher(key_id)
    keyring.keyring.clear()  # as another process that finds the key stored
    assert keyring.keyring.cipher(key_id) is keyring.keyring.cipher(key_id)


def test_a_missing_key_is_named_in_the_error():
    with pytest.raises(EncryptionError, match="Data key 987654 does not exist"):
        keyring.keyring.key(987654)


def test_a_key_wrapped_by_an_unknown_master_key_names_both_ids(settings):
    data_key = keyring.create_data_key(SCOPE)
    cache = Keyring()
    DataKey.objects.filter(pk=data_key.pk).update(master_key_id="0123456789abcdef")
    with pytest.raises(MasterKeyMismatch) as caught:
        cache.key(data_key.pk)
    message = str(caught.value)
    assert "wrapped by master key 0123456789abcdef" in message
    assert keyring.master_key_id(settings.MASTER_KEY) in message


def test_existing_keys_are_not_marked_pending_inside_a_transaction():
    key_id = keyring.keyring.active_key_id(SCOPE)
    keyring.keyring.clear()
    with transaction.atomic():
        assert keyring.keyring.active_key_id(SCOPE) == key_id
        assert key_id not in keyring.keyring._pending


def test_a_key_created_inside_a_transaction_is_pending_until_it_commits():
    with transaction.atomic():
        key_id = keyring.keyring.active_key_id(SCOPE)
        pending = keyring.keyring._pending[key_id]
        assert pending.state() == "here"
    # Tests run inside a transaction: the outer one is still open, so the key is still "here".
    assert pending.state() == "here"
    pending._commit()
    assert pending.state() == "committed"
    assert keyring.keyring._usable(key_id)
    assert key_id not in keyring.keyring._pending


def test_another_thread_does_not_use_a_key_from_a_transaction_still_open_here():
    with transaction.atomic():
        key_id = keyring.keyring.active_key_id(SCOPE)
        seen: list[object] = []

        def look() -> None:
            from django.db import connection

            seen.append(keyring.keyring._pending[key_id].state())
            seen.append(keyring.keyring._usable(key_id))
            connection.close()

        thread = threading.Thread(target=look)
        thread.start()
        thread.join()
        assert seen == ["elsewhere", False]
        assert keyring.keyring._usable(key_id)


def test_a_rolled_back_key_is_forgotten_everywhere_in_the_cache():
    with pytest.raises(RuntimeError), transaction.atomic():
        key_id = keyring.keyring.active_key_id(SCOPE)
        keyring.keyring.cipher(key_id)
        raise RuntimeError
    assert not keyring.keyring._usable(key_id)
    assert key_id not in keyring.keyring._pending
    assert SCOPE not in keyring.keyring._active
    assert key_id not in keyring.keyring._ciphers


def test_a_fixed_key_from_a_rolled_back_transaction_is_forgotten():
    scope = keyring.BLIND_INDEX_SCOPE
    with pytest.raises(RuntimeError), transaction.atomic():
        keyring.keyring.fixed_key(scope)
        key_id = keyring.keyring._fixed_ids[scope]
        raise RuntimeError
    keyring.keyring._usable(key_id)
    assert scope not in keyring.keyring._fixed and scope not in keyring.keyring._fixed_ids


def test_clear_forgets_everything():
    key_id = keyring.keyring.active_key_id(SCOPE)
    keyring.keyring.cipher(key_id)
    keyring.blind_index_key()
    keyring.keyring.clear()
    cache = keyring.keyring
    assert not (cache._by_id or cache._active or cache._fixed or cache._ciphers)
    assert not (cache._pending or cache._fixed_ids)


def test_the_key_id_is_read_from_the_token_only():
    assert keyring.key_id_of("jw1.42.anything.with.dots") == 42
    with pytest.raises(EncryptionError, match="Not a JusticeWork ciphertext"):
        keyring.key_id_of("jw1.42")


def test_is_ciphertext_checks_shape_and_type():
    assert keyring.is_ciphertext("jw1.1.x")
    assert not keyring.is_ciphertext(b"jw1.1.x")
    assert not keyring.is_ciphertext("jw10.1.x")
    assert not keyring.is_ciphertext(None)
