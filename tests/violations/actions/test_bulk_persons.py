"""bulk_create_persons: encryption, blind indexes, audit; bad rows refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import (
    Person,
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
