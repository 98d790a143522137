from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from justicework.encryption import keyring
from justicework.encryption.fields import blind_index, normalise
from justicework.encryption.keyring import Ciphertext, EncryptionError
from justicework.encryption.models import DataKey
from tests.encryption.conftest import raw
from tests.encryption.testapp.models import Dossier, Note


def test_values_round_trip_and_are_stored_as_ciphertext_naming_their_key(dossiers):
    dossier = Dossier.objects.get(pk=dossiers[0].pk)
    assert dossier.name == "Person 0 Ålvarez"
    assert dossier.born == dt.date(1980, 1, 2)
    assert dossier.details == {"phone": "+380 0000", "languages": ["uk", "ru"]}
    stored = raw(Dossier, dossier.pk, "name")
    assert stored.startswith("jw1.") and "Person" not in stored
    key_id = keyring.key_id_of(stored)
    assert key_id == keyring.keyring.active_key_id(keyring.org_scope(dossier.organisation_id))
    for field in ["born", "details"]:
        assert keyring.key_id_of(raw(Dossier, dossier.pk, field)) == key_id


def test_each_organisation_has_its_own_data_key(dossiers):
    acme_key = keyring.key_id_of(raw(Dossier, dossiers[0].pk, "name"))
    beacon_key = keyring.key_id_of(raw(Dossier, dossiers[3].pk, "name"))
    assert acme_key != beacon_key


def test_org_field_path_takes_the_scope_through_a_relation(dossiers):
    note = dossiers[3].notes.get()
    assert Note.objects.get(pk=note.pk).text == "note 3"
    assert keyring.key_id_of(raw(Note, note.pk, "text")) == keyring.key_id_of(
        raw(Dossier, dossiers[3].pk, "name")
    )


def test_the_same_value_encrypts_differently_each_time(dossiers):
    first = raw(Dossier, dossiers[0].pk, "name")
    dossiers[0].save()
    assert raw(Dossier, dossiers[0].pk, "name") != first


def test_empty_values_are_stored_as_null(cast):
    dossier = Dossier.objects.create(organisation=cast.acme, name="", born=None, details=None)
    assert raw(Dossier, dossier.pk, "name") is None
    assert Dossier.objects.get(pk=dossier.pk).name is None


def test_date_field_accepts_iso_strings_and_rejects_garbage(cast):
    from django.core.exceptions import ValidationError

    dossier = Dossier.objects.create(organisation=cast.acme, born="1990-05-06")
    assert Dossier.objects.get(pk=dossier.pk).born == dt.date(1990, 5, 6)
    with pytest.raises(ValidationError, match="born"):
        Dossier.objects.create(organisation=cast.acme, born="06/05/1990")


def test_plaintext_that_looks_like_ciphertext_is_still_encrypted(cast):
    sneaky = "jw1.1.AAAA"
    dossier = Dossier.objects.create(organisation=cast.acme, name=sneaky)
    assert raw(Dossier, dossier.pk, "name") != sneaky
    assert Dossier.objects.get(pk=dossier.pk).name == sneaky


def test_tampered_ciphertext_raises_encryption_error_not_garbage(dossiers):
    stored = raw(Dossier, dossiers[0].pk, "name")
    prefix, body = stored.rsplit(".", 1)
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    Dossier.objects.filter(pk=dossiers[0].pk).update(name=Ciphertext(f"{prefix}.{flipped}"))
    with pytest.raises(EncryptionError, match="failed authentication"):
        Dossier.objects.get(pk=dossiers[0].pk)


def test_malformed_ciphertext_raises_encryption_error(dossiers):
    Dossier.objects.filter(pk=dossiers[0].pk).update(name=Ciphertext("jw1.x.###"))
    with pytest.raises(EncryptionError):
        Dossier.objects.get(pk=dossiers[0].pk)
    Dossier.objects.filter(pk=dossiers[0].pk).update(name=Ciphertext("jw1.1.@@@"))
    with pytest.raises(EncryptionError):
        Dossier.objects.get(pk=dossiers[0].pk)


def test_ciphertext_copied_to_another_field_does_not_decrypt(dossiers):
    """GCM associated data binds a value to its field (context) and key."""
    name = raw(Dossier, dossiers[0].pk, "name")
    Note.objects.filter(dossier=dossiers[0]).update(text=Ciphertext(name))
    with pytest.raises(EncryptionError, match=r"encryption_testapp\.note\.text"):
        Note.objects.get(dossier=dossiers[0])


@pytest.mark.parametrize(
    "lookup",
    [
        {"name": "Person 0 Ålvarez"},
        {"name__in": ["Person 0 Ålvarez"]},
        {"name__startswith": "Person"},
        {"name__icontains": "Person"},
        {"name__iexact": "person 0 ålvarez"},
        {"born__gt": dt.date(1980, 1, 1)},
        {"name__lower": "person"},
    ],
)
def test_filtering_on_an_encrypted_field_raises_type_error(dossiers, lookup):
    with pytest.raises(TypeError, match=r"encrypted|Ciphertext"):
        list(Dossier.objects.filter(**lookup))


def test_updating_an_encrypted_field_in_sql_raises_type_error(dossiers):
    with pytest.raises(TypeError, match="encrypted"):
        Dossier.objects.filter(pk=dossiers[0].pk).update(name="Someone else")


def test_null_check_is_allowed(dossiers, cast):
    Dossier.objects.create(organisation=cast.acme, name="")
    assert Dossier.objects.filter(name__isnull=True).count() == 1


def test_encrypting_without_an_organisation_is_refused():
    dossier = Dossier(name="Nobody's")
    with pytest.raises(EncryptionError, match="owning organisation"):
        Dossier._meta.get_field("name").pre_save(dossier, add=True)


def test_blind_index_finds_exact_matches_across_case_accents_and_spacing(cast):
    for name in [
        "José  Álvarez-Núñez",
        "jose alvarez nunez",
        "JOSÉ ÁLVAREZ NUÑEZ ",
        "Jose Alvarez Nunez",
    ]:
        assert blind_index(name, "name") == blind_index("José Álvarez-Núñez", "name")
    assert blind_index("Олена Шевченко", "name") == blind_index("олена  шевченко", "name")
    assert blind_index("محمد", "name") == blind_index("مُحَمَّد", "name")  # harakat dropped
    assert blind_index("José Álvarez", "name") != blind_index("José Alvares", "name")


def test_blind_index_differs_across_kinds_and_is_not_the_plain_hash(cast):
    assert blind_index("AB123456", "name") != blind_index("AB123456", "document")
    assert len(blind_index("AB123456", "document")) == 32
    assert blind_index("", "name") == blind_index(None, "name") == ""


def test_blind_index_looks_up_records(cast):
    dossier = Dossier.objects.create(
        organisation=cast.acme, name="Amina Yusuf", name_index=blind_index("Amina Yusuf", "name")
    )
    assert list(Dossier.objects.filter(name_index=blind_index(" amina  YUSUF", "name"))) == [
        dossier
    ]


def test_blind_index_key_is_cached_after_the_first_call(cast, django_assert_num_queries):
    blind_index("warm", "name")
    with django_assert_num_queries(0):
        blind_index("Amina Yusuf", "name")
        keyring.blind_index_key()
    keyring.keyring.clear()
    with django_assert_num_queries(2):  # find the key, load it to unwrap
        keyring.blind_index_key()


def test_blind_index_key_is_created_once_and_never_rotated(cast):
    first = keyring.blind_index_key()
    with pytest.raises(EncryptionError, match="never rotated"):
        keyring.create_data_key(keyring.BLIND_INDEX_SCOPE)
    keyring.keyring.clear()
    assert keyring.blind_index_key() == first


def test_normalise_folds_width_and_punctuation():
    assert normalise("\uff21\uff22\uff23\uff11\uff12\uff13")  # full-width == "abc123"
    assert normalise("O\u2019Brien") == normalise("O'Brien") == "o brien"
    assert normalise("  a\tb\n c ") == "a b c"
    assert connection.vendor in {"sqlite", "postgresql"}


def test_a_data_key_from_a_rolled_back_transaction_is_never_used_again(cast):
    """The first value of an organisation creates its data key inside the action's transaction.
    If that transaction rolls back, the key is gone: later values must not be encrypted with a
    cached copy of it (they would be unreadable after a restart)."""
    scope = keyring.org_scope(cast.acme.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        Dossier.objects.create(organisation=cast.acme, name="Rolled back")
        assert keyring.keyring.active_key_id(scope)  # cached while the transaction is open
        raise RuntimeError
    assert not DataKey.objects.filter(scope=scope).exists()
    kept = Dossier.objects.create(organisation=cast.acme, name="Kept")
    assert DataKey.objects.filter(pk=keyring.key_id_of(raw(Dossier, kept.pk, "name"))).exists()
    keyring.keyring.clear()  # as after a restart
    assert Dossier.objects.get(pk=kept.pk).name == "Kept"


def test_a_blind_index_key_from_a_rolled_back_transaction_is_never_used_again(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        blind_index("Amina Yusuf", "name")
        raise RuntimeError
    index = blind_index("Amina Yusuf", "name")
    keyring.keyring.clear()  # as after a restart
    assert blind_index("Amina Yusuf", "name") == index


def test_keys_created_in_an_open_transaction_are_still_cached_within_it(
    cast, django_assert_num_queries
):
    with transaction.atomic():
        Dossier.objects.create(organisation=cast.acme, name="First")
        blind_index("warm", "name")
        with django_assert_num_queries(1):  # the INSERT only
            Dossier.objects.create(organisation=cast.acme, name="Second")
            blind_index("Second", "name")
