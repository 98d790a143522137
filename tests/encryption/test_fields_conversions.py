"""``encryption.fields`` below the ORM: migrations' view of the fields (``deconstruct``), the
conversions of each field type, the ciphertext-prefix look-up, what serialisation and forms
see, and the normalisation behind blind indexes."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError

from justicework.encryption import keyring
from justicework.encryption.fields import (
    BlindIndexField,
    EncryptedTextField,
    blind_index,
    normalise,
)
from tests.encryption.conftest import raw
from tests.encryption.testapp.models import Dossier, Note


def field(model: type, name: str):  # type: ignore[no-untyped-def]
    return model._meta.get_field(name)


def test_deconstruct_keeps_only_a_non_default_org_field():
    assert "org_field" not in field(Dossier, "name").deconstruct()[3]
    assert field(Note, "text").deconstruct()[3]["org_field"] == "dossier__organisation_id"


def test_encrypted_fields_default_to_nullable_and_blank():
    text = EncryptedTextField()
    assert text.null and text.blank
    assert not EncryptedTextField(null=False).null


def test_a_blind_index_deconstructs_its_db_index_choice():
    default = BlindIndexField()
    assert default.max_length == 32 and default.default == "" and default.db_index
    assert "db_index" not in default.deconstruct()[3] or default.deconstruct()[3]["db_index"]
    assert BlindIndexField(db_index=False).deconstruct()[3]["db_index"] is False


def test_the_context_names_the_model_and_field():
    assert field(Dossier, "born").context == "encryption_testapp.dossier.born"
    assert field(Note, "text").context == "encryption_testapp.note.text"


def test_serialisation_never_shows_the_value():
    dossier = Dossier(organisation_id=1, name="Amina Yusuf")
    assert field(Dossier, "name").value_to_string(dossier) == "[encrypted]"


def test_a_date_field_converts_dates_and_iso_strings_to_bytes():
    born = field(Dossier, "born")
    assert born.to_bytes(dt.date(1984, 2, 29)) == b"1984-02-29"
    assert born.to_bytes("1984-02-29") == b"1984-02-29"
    assert born.from_bytes(b"1984-02-29") == dt.date(1984, 2, 29)


@pytest.mark.parametrize(
    ("value", "message"),
    [(1984, "expected a date, got int"), ("29/02/1984", r"'29/02/1984' is not a date")],
)
def test_a_date_field_refuses_what_is_not_a_date(value, message):
    with pytest.raises(ValidationError, match=message):
        field(Dossier, "born").to_bytes(value)


def test_a_date_field_leaves_ciphertext_and_empty_values_to_the_caller():
    born = field(Dossier, "born")
    token = keyring.Ciphertext("jw1.1.abc")
    assert born.to_python(token) is token
    assert born.to_python("") == ""
    assert born.to_python(None) is None


def test_a_date_field_is_a_date_input_in_forms():
    assert isinstance(field(Dossier, "born").formfield(), forms.DateField)
    assert isinstance(field(Dossier, "name").formfield().widget, forms.Textarea)


def test_a_json_field_stores_empty_containers_but_not_none():
    details = field(Dossier, "details")
    assert details.is_empty(None)
    assert not details.is_empty({}) and not details.is_empty([])
    assert details.to_bytes({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'.encode()
    assert details.from_bytes(b'{"a": [1, 2]}') == {"a": [1, 2]}


def test_a_text_field_treats_only_none_and_empty_as_empty():
    name = field(Dossier, "name")
    assert name.is_empty(None) and name.is_empty("")
    assert not name.is_empty(" ") and not name.is_empty(0)


def test_transforms_are_refused_with_the_field_named():
    with pytest.raises(TypeError, match=r"encryption_testapp\.dossier\.name is encrypted: 'lower'"):
        field(Dossier, "name").get_transform("lower")


@pytest.mark.django_db
def test_startswith_takes_a_ciphertext_key_prefix(cast):
    dossier = Dossier.objects.create(organisation=cast.acme, name="Amina")
    key_id = keyring.keyring.active_key_id(keyring.org_scope(cast.acme.pk))
    prefix = keyring.Ciphertext(f"{keyring.PREFIX}.{key_id}.")
    assert list(Dossier.objects.filter(name__startswith=prefix)) == [dossier]
    other = keyring.Ciphertext(f"{keyring.PREFIX}.{key_id + 1000}.")
    assert not Dossier.objects.filter(name__startswith=other).exists()


@pytest.mark.django_db
def test_a_ciphertext_set_directly_is_stored_as_it_is(cast):
    name = field(Dossier, "name")
    stored = keyring.encrypt(b"Moved by rotation", keyring.org_scope(cast.acme.pk), name.context)
    dossier = Dossier(organisation=cast.acme, name=stored)
    assert name.pre_save(dossier, add=True) is stored
    dossier.save()
    assert raw(Dossier, dossier.pk, "name") == stored
    assert Dossier.objects.get(pk=dossier.pk).name == "Moved by rotation"


def test_blind_index_of_nothing_is_empty_without_a_key():
    assert blind_index(None) == ""
    assert blind_index("") == ""
    assert blind_index(" \t\n") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Élodie  Dupré", "elodie dupre"),
        ("محمّد", "محمد"),  # shadda is a combining mark
        ("مـحـمـد", "محمد"),  # tatweel is dropped
        ("Jean-Luc", "jean luc"),
        ("Jean\u2013Luc", "jean luc"),
        ("N\u02bcdiaye", "n diaye"),
        ("A.B., C", "a b c"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_folds_accents_marks_and_separators(value, expected):
    assert normalise(value) == expected
