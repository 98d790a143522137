"""bulk_create_persons builds its rows from tuples (no Person instances with
``instances=False``): what it stores must be what create_person stores for the same identity -
the same decrypted fields under the same contexts, the same blind-index rows, the same audit
diff - and index_values' single normalisation must give the values blind_index gives."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection
from faker import Faker

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.encryption import keyring
from justicework.encryption.fields import blind_index, normalise
from justicework.violations import actions, translit
from justicework.violations.models import Person, PersonIndex

from .conftest import make_incident

IDENTITIES: list[dict[str, Any]] = [
    {"full_name": "Олена Коваленко", "sex": "female", "date_of_birth": dt.date(1990, 2, 3)},
    {"full_name": "  محمد خالد  ", "status": "missing"},
    {
        "full_name": "Jean-Pierre d'Arc",
        "names": [{"name": "Жан-П'єр", "script": "Cyrl", "transliteration": "Zhan-Pier"}],
        "other_names": ["JP", " "],
        "identity_documents": [{"type": "passport", "number": "FA 123-456"}],
        "nationalities": ["fr", "UA"],
        "contacts": [{"phone": "+33 1 23"}],
        "age_range": {"min": 20, "max": 30},
        "languages": ["fr"],
        "gender_identity": "woman",
        "ethnicity": "x",
        "religion": "y",
    },
    {"sex": "male"},
    {"date_of_birth": "1950-12-31", "full_name": ""},
]


def _stored(person_id: int) -> dict[str, Any]:
    person = Person.objects.get(pk=person_id)
    values = {name: getattr(person, name) for name in Person.IDENTITY_FIELDS}
    values["status"] = person.status
    values["index"] = sorted(
        PersonIndex.objects.filter(person_id=person_id).values_list(
            "organisation_id", "kind", "value"
        )
    )
    entry = AuditEntry.objects.get(
        action="violations.person.created", object_type="violations.person", object_id=person_id
    )
    values["diff"] = {k: v for k, v in entry.diff.items() if k not in {"code", "source"}}
    values["audit_org"] = entry.organisation_id
    return values


@pytest.mark.django_db
@pytest.mark.parametrize("instances", [False, True])
def test_bulk_persons_store_what_create_person_stores(cast, instances):
    one_by_one = [actions.create_person(cast.documenter, cast.acme, **i) for i in IDENTITIES]
    created = actions.bulk_create_persons(
        cast.documenter, cast.acme, IDENTITIES, source="import", instances=instances
    )
    assert len(created) == len(IDENTITIES)
    for single, bulk in zip(one_by_one, created, strict=True):
        assert _stored(bulk.pk) == _stored(single.pk)
        assert bulk.organisation_id == cast.acme.pk
        assert Person.objects.get(pk=bulk.pk).code == bulk.code
    entries = AuditEntry.objects.filter(
        object_type="violations.person", object_id__in=[str(p.pk) for p in created]
    )
    assert {e.diff["source"] for e in entries} == {"import"}
    assert {e.actor_id for e in entries} == {cast.documenter.pk}
    assert verify_chain().ok


@pytest.mark.django_db
def test_bulk_persons_ciphertext_has_the_stored_format(cast):
    (new,) = actions.bulk_create_persons(
        None, cast.acme, [{"full_name": "Test Person"}], instances=False
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, sex FROM violations_person WHERE id = %s", [new.pk])
        full_name, sex = cursor.fetchone()
    key_id = keyring.keyring.active_key_id(keyring.org_scope(cast.acme.pk))
    assert full_name.startswith(f"{keyring.PREFIX}.{key_id}.") and sex is None
    assert keyring.decrypt(full_name, "violations.person.full_name") == b"Test Person"


@pytest.mark.django_db
def test_bulk_persons_as_tuples_are_victims_for_bulk_create_violations(cast):
    incident = make_incident(cast.acme)
    persons = actions.bulk_create_persons(
        None, cast.acme, [{"full_name": "A B"}, {"full_name": "C D"}], instances=False
    )
    created = actions.bulk_create_violations(
        cast.documenter,
        cast.acme,
        [{"incident": incident, "type": "torture", "victim": p} for p in persons],
    )
    assert [v.person_roles.get().person_id for v in created] == [p.pk for p in persons]
    diffs = AuditEntry.objects.filter(
        action="violations.violation.created", object_id__in=[str(v.pk) for v in created]
    ).order_by("seq")
    assert [e.diff["victim"] for e in diffs] == [p.code for p in persons]


@pytest.mark.django_db
def test_a_victim_tuple_of_another_organisation_is_refused(cast):
    incident = make_incident(cast.acme)
    (stranger,) = actions.bulk_create_persons(
        None, cast.beacon, [{"full_name": "E F"}], instances=False
    )
    with pytest.raises(actions.BulkRowErrors) as caught:
        actions.bulk_create_violations(
            None, cast.acme, [{"incident": incident, "type": "torture", "victim": stranger}]
        )
    assert caught.value.rows[0][:2] == (0, "victim")


def _reference_index_values(names: list[str]) -> set[tuple[str, str]]:
    """index_values for names as it was written before: blind_index and name_key each
    normalising the name themselves."""
    values = set()
    for name in names:
        if normalise(name):
            values.add((PersonIndex.Kind.NAME, blind_index(name, "person.name")))
        key = translit.name_key(name)
        if key:
            values.add((PersonIndex.Kind.NAME_KEY, blind_index(key, "person.name_key")))
        for half in translit.name_halves(key.split()):
            values.add((PersonIndex.Kind.NAME_HALF, blind_index(half, "person.name_half")))
        for prefix in translit.name_prefixes(key.split()):
            values.add((PersonIndex.Kind.NAME_PREFIX, blind_index(prefix, "person.name_prefix")))
    return values


@pytest.mark.django_db
def test_index_values_match_blind_index_for_many_names(cast):
    fake = Faker(["uk_UA", "ru_RU", "ar_AA", "fr_FR", "vi_VN", "de_DE", "en_GB"])
    Faker.seed(11)
    rnd = random.Random(11)
    names = [fake.name() for _ in range(1500)]
    names += [
        "",
        " ",
        "-",
        "\uff21\uff42\uff43",
        "ǅemal",
        "Ĳssel",
        "ﷺ",
        "Straße",
        "İstanbul",
        "o'neil \u2019s",
    ]
    names += [
        "".join(rnd.choice("aéß-\u2019 ЖЇمـَ.,İ") for _ in range(rnd.randrange(12)))
        for _ in range(500)
    ]
    for name in names:
        assert actions.index_values(names=[name]) == _reference_index_values([name]), name
    # The word cache gives what folding gives.
    for name in names:
        assert translit.name_key(name) == translit.name_key_of_normalised(normalise(name))


@pytest.mark.django_db
def test_remembered_clean_values_still_report_every_bad_row(cast):
    incident = make_incident(cast.acme)
    rows = [
        {"incident": incident, "type": "torture", "victim_age": 30, "start_date": "2020-01-02"},
        {"incident": incident, "type": "no_such_act", "victim_age": 30},
        {"incident": incident, "type": "torture", "victim_age": 300},
        {"incident": incident, "type": "no_such_act", "victim_age": 300},
        {"incident": incident, "type": "torture", "start_date": "2020-01-02"},
        {"incident": incident, "type": "torture", "start_date": "2999-01-02"},
    ]
    with pytest.raises(actions.BulkRowErrors) as caught:
        actions.bulk_create_violations(None, cast.acme, rows)
    assert sorted({(i, name) for i, name, _m in caught.value.rows}) == [
        (1, "type"),
        (2, "victim_age"),
        (3, "type"),
        (3, "victim_age"),
        (5, "start_date"),
    ]
    created = actions.bulk_create_violations(None, cast.acme, [rows[0], rows[4]])
    assert [v.start_date for v in created] == [dt.date(2020, 1, 2)] * 2


@pytest.mark.django_db
def test_bulk_violations_store_what_add_violation_stores(cast, django_assert_num_queries):
    incident = make_incident(cast.acme, locations=[{"place_name": "Kharkiv"}])
    place = incident.locations.get()
    (victim,) = actions.bulk_create_persons(None, cast.acme, [{"full_name": "G H"}])
    variants: list[dict[str, Any]] = [
        {"type": "torture"},
        {"type": "rape", "start_date": dt.date(2021, 3, 1), "date_precision": "month"},
        {
            "type": "arbitrary_detention",
            "start_date": "2020-01-02",
            "end_date": "2020-02-03",
            "date_precision": "range",
            "method": "",
            "description": "d",
            "consequences": "c",
            "victim_age": 40,
            "victim_outcome": "released",
            "date_approximate": True,
        },
    ]
    skip = {"id", "created_at", "updated_at"}
    for fields in variants:
        single = actions.add_violation(
            cast.documenter, incident, victim=victim, location=place, **fields
        )
        (bulk,) = actions.bulk_create_violations(
            cast.documenter,
            cast.acme,
            [{"incident": incident.pk, "victim": victim.code, "location": place, **fields}],
        )
        stored = [
            {
                f.attname: getattr(type(v).objects.get(pk=v.pk), f.attname)
                for f in type(v)._meta.concrete_fields
                if f.attname not in skip
            }
            for v in (single, bulk)
        ]
        assert stored[1] == stored[0], fields
        with django_assert_num_queries(0):  # the incident is cached on the instance
            assert bulk.incident.pk == incident.pk
        assert bulk.person_roles.get().person_id == victim.pk


def _ciphertext_of(person_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM violations_person WHERE id = %s", [person_id])
        return str(cursor.fetchone()[0])


def _prepared(organisation: Any, names: list[str], codes: list[str]) -> list[Any]:
    sealer = actions.identity_sealer(organisation.pk)
    assert sealer is not None
    return [
        actions.prepare_identity(
            {"full_name": name}, keyring.blind_index_key(), code=code, sealer=sealer
        )
        for name, code in zip(names, codes, strict=True)
    ]


@pytest.mark.django_db
def test_identities_encrypted_ahead_are_stored_as_they_were_sealed_with_their_codes(cast):
    actions.create_person(cast.documenter, cast.acme, full_name="Key Maker")  # a data key
    codes = actions.draw_codes(actions.PERSON_CODE_PREFIX, 2)
    prepared = _prepared(cast.acme, ["Олена Коваленко", "Jean Dupont"], codes)
    created = actions.bulk_create_persons(
        cast.documenter, cast.acme, prepared, source="import", instances=False
    )
    assert [p.code for p in created] == codes
    for person, item in zip(created, prepared, strict=True):
        assert item.sealed is not None
        assert _ciphertext_of(person.pk) == item.sealed["full_name"]
        assert Person.objects.get(pk=person.pk).full_name == item.identity["full_name"]
    reference = actions.bulk_create_persons(
        cast.documenter,
        cast.acme,
        [{"full_name": "Олена Коваленко"}, {"full_name": "Jean Dupont"}],
        source="import",
        instances=False,
    )
    for ahead, plain in zip(created, reference, strict=True):
        assert _stored(ahead.pk) == _stored(plain.pk)


@pytest.mark.django_db
def test_identities_sealed_under_a_key_rotated_since_are_encrypted_again(cast):
    actions.create_person(cast.documenter, cast.acme, full_name="Key Maker")
    prepared = _prepared(cast.acme, ["Amina Haddad"], [""])
    old_key = prepared[0].sealed_key
    new_key = keyring.create_data_key(keyring.org_scope(cast.acme.pk)).pk
    assert new_key != old_key
    (person,) = actions.bulk_create_persons(None, cast.acme, prepared, instances=False)
    stored = _ciphertext_of(person.pk)
    assert stored.startswith(f"{keyring.PREFIX}.{new_key}.")
    assert stored != prepared[0].sealed["full_name"]
    assert Person.objects.get(pk=person.pk).full_name == "Amina Haddad"


@pytest.mark.django_db
def test_a_code_drawn_ahead_and_taken_meanwhile_or_drawn_twice_is_replaced(cast):
    taken = actions.create_person(cast.documenter, cast.acme, full_name="First").code
    fresh = actions.draw_codes(actions.PERSON_CODE_PREFIX, 1, {taken})[0]
    prepared = _prepared(cast.acme, ["A", "B", "C"], [taken, fresh, fresh])
    created = actions.bulk_create_persons(None, cast.acme, prepared, instances=False)
    codes = [p.code for p in created]
    assert codes[1] == fresh
    assert taken not in codes and len(set(codes)) == 3
    assert all(c.startswith(actions.PERSON_CODE_PREFIX) and len(c) == 7 for c in codes)
    assert Person.objects.filter(organisation=cast.acme, code=taken).count() == 1


@pytest.mark.django_db
def test_no_sealer_and_no_new_key_for_an_organisation_without_a_data_key(cast):
    from justicework.encryption.models import DataKey

    before = DataKey.objects.count()
    assert actions.identity_sealer(cast.beacon.pk) is None
    assert DataKey.objects.count() == before
