"""The Person identity schema (violations/identity.py) and the paths that use it.

Each rule is declared once; these tests check the rules themselves and that the form, the API,
the single-record action, the bulk path and the importer refuse the same value for the same
reason.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from justicework.core import actions as core_actions
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.encryption.keyring import blind_index_key
from justicework.violations import actions, identity
from justicework.violations.forms import PersonForm
from justicework.violations.models import Person, PersonIndex

from ..test_import import csv_file, row, spec

# two days ahead: still in the future if the run crosses midnight after collection
TOMORROW = timezone.localdate() + dt.timedelta(days=2)


def _error(name: str, value: object) -> str:
    with pytest.raises(ValidationError) as caught:
        identity.clean({name: value})
    assert set(caught.value.message_dict) == {name}
    return " ".join(caught.value.message_dict[name])


# --- The declaration ---------------------------------------------------------------------------


def test_the_schema_declares_every_identity_field_of_the_model_once():
    assert identity.FIELD_NAMES == Person.IDENTITY_FIELDS
    assert set(identity.CLEANERS) == {field.kind for field in identity.FIELDS}


def test_the_blind_index_kinds_a_field_feeds_are_declared_and_cover_every_kind():
    fed = {kind for field in identity.FIELDS for kind in field.indexes}
    assert fed == set(PersonIndex.Kind.values)
    assert identity.BY_NAME["date_of_birth"].indexes == (PersonIndex.Kind.DATE_OF_BIRTH,)
    assert identity.BY_NAME["sex"].indexes == ()


# --- Normalisation -----------------------------------------------------------------------------


def test_empty_values_become_none_whatever_their_shape():
    empty = {"full_name": "", "names": [], "age_range": {}, "date_of_birth": None}
    assert identity.clean(empty) == dict.fromkeys(empty)


def test_texts_are_stripped_and_blank_texts_are_none():
    assert identity.clean({"full_name": "  Olena  ", "sex": "   "}) == {
        "full_name": "Olena",
        "sex": None,
    }


def test_lists_of_texts_drop_blank_entries_and_countries_are_upper_case():
    clean = identity.clean({"other_names": [" Lena ", " "], "nationalities": ["ua", "fr"]})
    assert clean == {"other_names": ["Lena"], "nationalities": ["UA", "FR"]}
    assert identity.clean_field("languages", [" "]) is None


def test_a_name_given_as_a_text_becomes_a_name_entry_without_empty_parts():
    names = identity.clean_field("names", ["Olena", {"name": " Олена ", "script": ""}])
    assert names == [{"name": "Olena"}, {"name": "Олена"}]


def test_dates_of_birth_are_read_from_iso_text():
    assert identity.clean_field("date_of_birth", "1990-02-03") == dt.date(1990, 2, 3)


def test_documents_keep_their_known_parts_stripped():
    docs = identity.clean_field("identity_documents", [{"number": " FA 1 ", "type": "passport"}])
    assert docs == [{"number": "FA 1", "type": "passport"}]


# --- Validation: each error names its field and says why ---------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("full_name", 12, "Expected a text."),
        ("full_name", "x" * 301, "At most 300 characters."),
        ("sex", "x" * 51, "At most 50 characters."),
        ("religion", "x" * 101, "At most 100 characters."),
        ("other_names", "Lena", "Expected a list of texts."),
        ("other_names", ["x" * 301], "At most 300 characters."),
        ("other_names", ["a"] * 51, "At most 50 items."),
        ("names", "Olena", "Expected a list of names."),
        ("names", [{"script": "Latn"}], "Each name needs a 'name'."),
        ("names", [{"name": "O", "nom": "x"}], "Unknown keys in a name: nom"),
        ("names", [{"name": "O", "script": "x" * 11}], "At most 10 characters."),
        ("date_of_birth", "03/02/1990", "Expected a date (YYYY-MM-DD)."),
        ("date_of_birth", dt.datetime(1990, 2, 3, tzinfo=dt.UTC), "Expected a date"),
        ("date_of_birth", TOMORROW, "The date of birth is in the future."),
        ("age_range", {"min": 1, "mean": 2}, "Expected {'min': years, 'max': years}."),
        ("age_range", {"min": -1}, "Ages are whole numbers from 0 to 130."),
        ("age_range", {"max": True}, "Ages are whole numbers from 0 to 130."),
        ("age_range", {"min": 50, "max": 20}, "The maximum age is below the minimum."),
        ("nationalities", ["XX"], "'XX' is not an ISO 3166-1 alpha-2 country code."),
        ("contacts", "+380", "Expected a list of contacts."),
        ("contacts", ["+380"] * 21, "At most 20 items."),
        ("contacts", [{"phone": "1" * 301}], "At most 300 characters."),
        ("identity_documents", {"number": "1"}, "Expected a list of documents."),
        ("identity_documents", [{"type": "passport"}], "Each identity document needs a 'number'."),
        ("identity_documents", [{"number": "1", "expiry": "2030"}], "Unknown keys in a document"),
        ("identity_documents", [{"number": "1" * 101}], "At most 100 characters."),
    ],
)
def test_a_bad_value_is_refused_naming_its_field_and_the_reason(name, value, reason):
    assert reason in _error(name, value)


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        identity.clean({"full_name": 1, "nationalities": ["XX"], "sex": "female"})
    assert set(caught.value.message_dict) == {"full_name", "nationalities"}


def test_an_unknown_field_is_refused():
    with pytest.raises(ValidationError, match="Unknown identity field"):
        identity.clean_field("eye_colour", "brown")


# --- Blind indexes -----------------------------------------------------------------------------


def test_the_indexes_of_an_identity_come_from_the_fields_that_feed_them():
    key = b"k" * 32
    full = identity.identity_index_values(
        {
            "full_name": "Olena Kovalenko",
            "names": [{"name": "Олена Коваленко", "transliteration": "Olena Kovalenko"}],
            "date_of_birth": dt.date(1990, 2, 3),
            "identity_documents": [{"number": "FA 123-456"}],
            "age_range": {"min": 34, "max": 35},
            "sex": "female",
        },
        key,
    )
    kinds = {kind for kind, _value in full}
    assert kinds == set(PersonIndex.Kind.values)
    assert ("document", identity.index_values(documents=["fa123456"], index_key=key).pop()[1]) in (
        full
    )
    without_sex = identity.identity_index_values(
        {"full_name": "Olena Kovalenko", "names": None}, key
    )
    assert without_sex <= full


@pytest.mark.django_db
def test_a_saved_person_has_the_indexes_of_its_cleaned_identity(cast):
    person = actions.create_person(
        None, cast.acme, full_name=" Olena ", other_names=["Lena"], date_of_birth="1990-02-03"
    )
    stored = set(PersonIndex.objects.filter(person=person).values_list("kind", "value"))
    clean = identity.clean({"full_name": " Olena ", "other_names": ["Lena"]})
    expected = identity.identity_index_values(
        {**clean, "date_of_birth": dt.date(1990, 2, 3)}, blind_index_key()
    )
    assert stored == expected == identity.person_index_values(person)
    assert identity.name_forms(person) == ["Olena", "Lena"]


# --- Every path says the same ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_refuses_what_the_schema_refuses_on_the_form_field(cast):
    form = PersonForm(
        {"status": "unknown", "date_of_birth": TOMORROW.isoformat(), "nationality": "UA"}
    )
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["The date of birth is in the future."]
    long = PersonForm({"status": "unknown", "other_names": "x" * 301})
    assert not long.is_valid()
    assert long.errors["other_names"] == ["At most 300 characters."]
    good = PersonForm({"status": "unknown", "full_name": " Olena ", "document_number": "FA 1"})
    assert good.is_valid(), good.errors
    assert good.identity_input() == {
        "full_name": "Olena",
        "identity_documents": [{"number": "FA 1"}],
    }


def test_the_form_and_the_api_take_their_bounds_from_the_schema():
    from justicework.violations.identity_schemas import DocumentIn, IdentityIn

    form = PersonForm()
    for name in ["full_name", "sex", "gender_identity", "ethnicity", "religion"]:
        assert form.fields[name].max_length == identity.BY_NAME[name].max_length, name
        assert _max_length(IdentityIn, name) == identity.BY_NAME[name].max_length, name
    assert _max_length(DocumentIn, "number") == identity.DOCUMENT_PARTS["number"]
    assert form.fields["document_number"].max_length == identity.DOCUMENT_PARTS["number"]


def _max_length(schema: type, name: str) -> int | None:
    for meta in schema.model_fields[name].metadata:
        if hasattr(meta, "max_length"):
            return int(meta.max_length)
    return None


@pytest.mark.django_db
def test_the_action_the_bulk_path_and_the_api_refuse_the_same_country(cast):
    with pytest.raises(ValidationError) as single:
        actions.create_person(None, cast.acme, nationalities=["XX"])
    with pytest.raises(actions.BulkRowErrors) as bulk:
        actions.bulk_create_persons(None, cast.acme, [{"nationalities": ["XX"]}])
    prepared = actions.prepare_identity({"nationalities": ["XX"]}, blind_index_key())
    assert bulk.value.rows == [(0, "nationalities", single.value.message_dict["nationalities"][0])]
    assert prepared.errors == (("nationalities", single.value.message_dict["nationalities"][0]),)
    _token, secret = core_actions.create_token(
        cast.documenter, name="t", scope="write", expires_in_days=1
    )
    response = Client(headers={"Authorization": f"Bearer {secret}"}).post(
        "/api/v1/persons",
        {"organisation_id": cast.acme.pk, "nationalities": ["XX"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == "nationalities"
    assert problem["msg"] == single.value.message_dict["nationalities"][0]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_importer_bounds_a_victim_name_as_the_schema_does(cast, tmp_path):
    path = csv_file(tmp_path, [row(1), row(2, Victim="x" * 301), row(3, Sex="x" * 51)])
    found = []
    engine.validate(
        schemas.get("violations"), cast.acme, path, "csv", spec(), on_problem=found.append
    )
    assert [(p.row, p.column) for p in found] == [(3, "Victim"), (4, "Sex")]
    assert "at most 300" in found[0].reason and "at most 50" in found[1].reason
