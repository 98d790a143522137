"""bulk_create_persons: encryption, blind indexes, audit; bad rows refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from justicework.audit.models import AuditEntry
from justicework.encryption.keyring import blind_index_key
from justicework.violations import actions
from justicework.violations.models import (
    Person,
    PersonIndex,
)

pytestmark = pytest.mark.django_db


def test_bulk_create_persons_encrypts_indexes_and_audits(cast):
    persons = actions.bulk_create_persons(
        cast.documenter,
        cast.acme,
        [
            {"full_name": "Олена Коваленко", "date_of_birth": "1990-02-03", "status": "missing"},
            {"names": [{"name": "محمد خالد", "script": "Arab"}], "date_of_birth": "1980-01-01"},
            {},
        ],
    )
    assert len({p.code for p in persons}) == 3
    assert Person.objects.get(pk=persons[0].pk).full_name == "Олена Коваленко"
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM violations_person WHERE id = %s", [persons[0].pk])
        assert cursor.fetchone()[0].startswith("jw1.")
    check = actions.check_duplicates
    assert check(None, cast.acme, name="Olena Kovalenko", dob="1990-02-03").codes == [
        persons[0].code
    ]
    assert check(None, cast.acme, name="Mohamed Khalid", dob="1980-01-01").codes == [
        persons[1].code
    ]
    entries = AuditEntry.objects.filter(action="violations.person.created")
    assert entries.count() == 3
    assert "Коваленко" not in str(list(entries.values_list("diff", flat=True)))


def test_bulk_create_persons_refuses_bad_rows_and_viewers(cast):
    with pytest.raises(actions.BulkRowErrors) as excinfo:
        actions.bulk_create_persons(
            cast.documenter,
            cast.acme,
            [{"full_name": "Ok"}, {"nationalities": ["XX"]}, {"status": "gone", "hat": 1}],
        )
    assert {(i, f) for i, f, _ in excinfo.value.rows} == {
        (1, "nationalities"),
        (2, "status"),
        (2, "hat"),
    }
    assert not Person.objects.exists()
    with pytest.raises(PermissionDenied):
        actions.bulk_create_persons(cast.viewer, cast.acme, [{}])


def test_prepared_and_plain_items_are_refused_for_the_same_reasons(cast):
    items = [{"full_name": "Ok"}, {"status": "gone", "hat": 1}, {"age_range": {"min": 9, "max": 1}}]
    with pytest.raises(actions.BulkRowErrors) as plain:
        actions.bulk_create_persons(cast.documenter, cast.acme, items)
    key = blind_index_key()
    prepared = [actions.prepare_identity(item, key) for item in items]
    with pytest.raises(actions.BulkRowErrors) as ahead:
        actions.bulk_create_persons(cast.documenter, cast.acme, prepared)
    assert ahead.value.rows == plain.value.rows
    assert plain.value.message_dict["2.age_range"] == ["The maximum age is below the minimum."]
    assert not Person.objects.exists()


def test_an_outsider_cannot_bulk_create_persons_in_another_organisation(cast):
    with pytest.raises(PermissionDenied):
        actions.bulk_create_persons(cast.outsider, cast.acme, [{"full_name": "Olena"}])
    assert not Person.objects.exists()


def test_a_code_drawn_ahead_is_used_when_free_and_replaced_when_taken(cast):
    taken = actions.create_person(None, cast.acme).code
    key = blind_index_key()
    fresh = actions.draw_codes(actions.PERSON_CODE_PREFIX, 1, {taken})[0]
    items = [
        actions.prepare_identity({"full_name": "A"}, key, code=fresh),
        actions.prepare_identity({"full_name": "B"}, key, code=taken),
    ]
    created = actions.bulk_create_persons(None, cast.acme, items, instances=False)
    assert created[0].code == fresh
    assert created[1].code not in {taken, fresh}
    assert created[1].code.startswith(actions.PERSON_CODE_PREFIX)


def test_an_identity_prepared_under_another_key_is_indexed_again(cast):
    stale = actions.prepare_identity({"full_name": "Olena"}, b"\x00" * 32)
    [person] = actions.bulk_create_persons(None, cast.acme, [stale])
    stored = set(PersonIndex.objects.filter(person_id=person.pk).values_list("kind", "value"))
    assert stored == actions.identity_index_values({"full_name": "Olena"}, blind_index_key())
    assert set(stale.indexes).isdisjoint(stored)


def test_identities_encrypted_ahead_read_back_as_their_plaintext(cast):
    sealer = actions.identity_sealer(cast.acme.pk, create=True)
    item = actions.prepare_identity(
        {"full_name": "Олена", "contacts": [{"phone": "+380"}]}, blind_index_key(), sealer=sealer
    )
    assert item.sealed is not None and set(item.sealed) == {"full_name", "contacts"}
    [new] = actions.bulk_create_persons(None, cast.acme, [item], instances=False)
    person = Person.objects.get(pk=new.pk)
    assert (person.full_name, person.contacts) == ("Олена", [{"phone": "+380"}])


def test_bulk_person_entries_name_fields_and_source_never_values(cast):
    actions.bulk_create_persons(
        cast.documenter, cast.acme, [{"full_name": "Olena", "sex": "female"}], source="import"
    )
    entry = AuditEntry.objects.get(action="violations.person.created")
    assert entry.actor_id == cast.documenter.pk
    assert entry.diff["identity_fields"] == ["full_name", "sex"]
    assert entry.diff["source"] == "import"
    assert "Olena" not in str(entry.diff)
