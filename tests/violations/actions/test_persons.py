"""Person actions: encrypted identities, random codes, duplicates, reveal (need-to-know)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from justicework.violations import actions
from justicework.violations.models import (
    Person,
    PersonIndex,
)

from ..conftest import last_audit, make_person

pytestmark = pytest.mark.django_db


def test_person_identity_is_encrypted_at_rest_and_never_audited(cast):
    person = actions.create_person(
        cast.documenter,
        cast.acme,
        status="missing",
        full_name="Олена Коваленко",
        names=[{"name": "Олена Коваленко", "script": "Cyrl", "transliteration": "Olena Kovalenko"}],
        other_names=["Lena"],
        date_of_birth="1990-02-03",
        age_range={"min": 30, "max": 35},
        sex="female",
        nationalities=["ua"],
        languages=["uk", "ru"],
        contacts=["+380 00 000 0000"],
        identity_documents=[{"type": "passport", "number": "FA123456"}],
    )
    assert len(person.code) == 7 and person.code.startswith("P-")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, date_of_birth, contacts FROM violations_person WHERE id = %s",
            [person.pk],
        )
        raw = cursor.fetchone()
    assert all(value.startswith("jw1.") for value in raw)
    assert "Коваленко" not in str(raw)
    entry = last_audit("violations.person.created")
    assert "Коваленко" not in str(entry.diff) and "1990" not in str(entry.diff)
    assert "full_name" in entry.diff["identity_fields"]
    reloaded = Person.objects.get(pk=person.pk)
    assert reloaded.full_name == "Олена Коваленко"
    assert reloaded.date_of_birth == dt.date(1990, 2, 3)
    assert reloaded.nationalities == ["UA"]
    kinds = set(PersonIndex.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == {"name", "name_key", "name_half", "name_pref", "dob", "document"}


def test_person_codes_are_random_not_derived(cast):
    codes = {make_person(cast.acme, full_name="Same Name").code for _ in range(5)}
    assert len(codes) == 5


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        ({"nationalities": ["XX"]}, "nationalities"),
        ({"date_of_birth": "03/02/1990"}, "date_of_birth"),
        ({"date_of_birth": timezone.localdate() + dt.timedelta(days=2)}, "date_of_birth"),
        ({"age_range": {"min": 40, "max": 30}}, "age_range"),
        ({"age_range": {"min": -1}}, "age_range"),
        ({"names": [{"nom": "x"}]}, "names"),
        ({"identity_documents": [{"type": "passport"}]}, "identity_documents"),
        ({"other_names": "Lena"}, "other_names"),
        ({"full_name": 42}, "full_name"),
        ({"shoe_size": 44}, "shoe_size"),
    ],
)
def test_bad_identity_input_names_the_field(cast, identity, field):
    with pytest.raises(ValidationError) as excinfo:
        actions.create_person(cast.documenter, cast.acme, **identity)
    assert field in excinfo.value.message_dict
    assert not Person.objects.exists()


def test_duplicate_check_across_scripts_spellings_and_formats(cast, person, beacon):
    dob = "1990-02-03"
    make_person(beacon, full_name="Olena Kovalenko", date_of_birth=dt.date(1990, 2, 3))
    other = make_person(cast.acme, full_name="Ivan Petrenko", date_of_birth=dt.date(1990, 2, 3))

    def dup(**kw):
        return actions.check_duplicates(None, cast.acme, **kw).codes  # the system sees all

    assert dup(name="Olena Kovalenko", dob=dob) == [person.code]  # Latin of a Cyrillic name
    assert dup(name="Коваленко Олена", documents=["fa123456"]) == [person.code]  # word order
    assert dup(name="олена  КОВАЛЕНКО", dob=dob) == [person.code]
    assert dup(dob=dob, documents=["FA-123 456"]) == [person.code]
    assert dup(name="Петренко Іван", dob=dob) == [other.code]
    # Only the date of birth matches (two persons): one field is not a possible duplicate.
    assert dup(name="Nobody Known", dob=dob) == []
    assert dup(name="Olena Kovalenko", dob=dob, exclude=person) == []
    for alone in ({"dob": dob}, {"name": "Olena Kovalenko"}, {"documents": ["FA123456"]}, {}):
        with pytest.raises(ValidationError, match="at least two identifying fields"):
            dup(**alone)
    with pytest.raises(PermissionDenied):
        actions.check_duplicates(cast.viewer, cast.acme, name="Olena Kovalenko", dob=dob)
    with pytest.raises(PermissionDenied):
        actions.check_duplicates(cast.outsider, cast.acme, name="Olena Kovalenko", dob=dob)


def test_arabic_names_meet_their_latin_spelling(cast):
    person = make_person(
        cast.acme,
        names=[{"name": "محمد خالد", "script": "Arab"}],
        date_of_birth=dt.date(1980, 1, 1),
    )
    check = actions.check_duplicates(None, cast.acme, name="Mohammed Khaled", dob="1980-01-01")
    assert check.codes == [person.code]


def test_update_person_recomputes_indexes_and_hides_values_in_the_audit(cast, person):
    with pytest.raises(PermissionDenied, match="need-to-know"):  # cannot change what you cannot see
        actions.update_person(cast.documenter, person, full_name="Maria Rossi")
    actions.grant_need_to_know(None, cast.documenter, person, reason="Correct the name")
    actions.update_person(cast.documenter, person, full_name="Maria Rossi", status="deceased")
    dob = "1990-02-03"
    assert actions.check_duplicates(None, cast.acme, name="Maria Rossi", dob=dob).codes == [
        person.code
    ]
    assert actions.check_duplicates(None, cast.acme, name="Olena Kovalenko", dob=dob).codes == []
    entry = last_audit("violations.person.identity_changed")
    assert entry.diff == {"full_name": "changed", "status": ["unknown", "deceased"]}
    with pytest.raises(PermissionDenied):
        actions.update_person(cast.viewer, person, status="alive")


def test_reveal_needs_capability_and_a_current_grant(cast, person):
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.analyst, person)  # capability but no grant
    with pytest.raises(PermissionDenied):
        actions.grant_need_to_know(
            cast.documenter, cast.analyst, person, "case file"
        )  # no identity.grant
    grant = actions.grant_need_to_know(
        cast.admin,
        cast.analyst,
        person,
        "Preparing the case file",
        timezone.now() + dt.timedelta(days=7),
    )
    identity = actions.reveal_identity(cast.analyst, person)
    assert identity["full_name"] == "Олена Коваленко"
    assert identity["code"] == person.code
    entry = last_audit("violations.person.identity_revealed")
    assert entry.actor_id == cast.analyst.pk
    assert "full_name" in entry.diff["fields"]
    # Neither the name nor the document number (FA 123-456) reaches the log. Check the
    # number itself: the random pseudonym may contain the letters "FA" by chance.
    assert "Коваленко" not in str(entry.diff)
    assert "123-456" not in str(entry.diff) and "123456" not in str(entry.diff)
    actions.revoke_grant(cast.admin, grant)
    assert last_audit("violations.grant.revoked").diff["user"] == cast.analyst.pk
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.analyst, person)


def test_expired_grant_does_not_reveal(cast, person):
    grant = actions.grant_need_to_know(
        cast.admin, cast.analyst, person, "Interview", timezone.now() + dt.timedelta(hours=1)
    )
    type(grant).objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.analyst, person)


def test_grant_without_identity_reveal_capability_does_not_reveal(cast, person):
    actions.grant_need_to_know(cast.admin, cast.viewer, person, "Curious")
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.viewer, person)


def test_outsider_cannot_reveal_even_with_a_grant_row(cast, person):
    from justicework.core.models import AccessGrant

    AccessGrant.objects.create(
        user=cast.outsider,
        organisation=cast.acme,
        capability="identity.reveal",
        object_type="violations.person",
        object_id=str(person.pk),
        reason="forged",
    )
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(cast.outsider, person)
