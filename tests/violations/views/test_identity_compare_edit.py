"""The duplicate warning names the fields that matched and compares side by side (for those
who may open the stored identity, audited); identity fields corrected on the web through the
schema and the action, audited by field name only."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.forms.identity_edit import to_schema, to_text
from justicework.violations.models import Person

from ..conftest import last_audit, make_person
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db

NAME = "Олена Коваленко"
TYPED = {"status": "unknown", "full_name": "Olena Kovalenko", "date_of_birth": "1990-02-03"}


@pytest.fixture
def stored(cast: SimpleNamespace) -> Person:
    return make_person(
        cast.acme, full_name=NAME, date_of_birth=dt.date(1990, 2, 3), ethnicity="Ukrainian"
    )


def test_the_warning_names_the_fields_that_matched(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    actions.grant_need_to_know(cast.admin, cast.documenter, stored, "casework")
    page = text(login(cast.documenter).post(url("person_create"), TYPED))
    assert stored.code in page
    assert "the same date of birth, name" in page
    assert f'name="compare" value="{stored.code}"' in page


def test_compare_shows_both_identities_side_by_side_and_records_nothing(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    actions.grant_need_to_know(cast.admin, cast.documenter, stored, "casework")
    response = login(cast.documenter).post(
        url("person_create"), {**TYPED, "compare": stored.code, "confirm_new": "on"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = text(response)
    assert 'id="compare"' in page and NAME in page and "Olena Kovalenko" in page
    assert "Ukrainian" in page  # the stored identity's other fields
    assert '<tr class="matched"><th scope="row">date of birth' in page
    assert Person.objects.count() == 1  # comparing never records
    assert last_audit("violations.person.identity_revealed").object_id == str(stored.pk)


def test_compare_is_refused_without_need_to_know_and_opens_nothing(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    response = login(cast.analyst).post(url("person_create"), {**TYPED, "compare": stored.code})
    assert response.status_code == 403  # an analyst may not record persons at all
    response = login(cast.documenter).post(url("person_create"), {**TYPED, "compare": stored.code})
    page = text(response)
    assert response.status_code == 422
    assert "cannot be compared" in page and NAME not in page and 'id="compare"' not in page
    assert not AuditEntry.objects.filter(action="violations.person.identity_revealed").exists()


def test_compare_refuses_a_person_that_is_not_a_possible_duplicate(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    other = make_person(cast.acme, full_name="Somebody Else")
    for person in (stored, other):
        actions.grant_need_to_know(cast.admin, cast.documenter, person, "casework")
    response = login(cast.documenter).post(url("person_create"), {**TYPED, "compare": other.code})
    assert response.status_code == 422
    assert "Somebody Else" not in text(response)


# --- Correcting an identity ------------------------------------------------------------------


def test_a_member_with_need_to_know_corrects_identity_fields_audited_by_name(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    actions.grant_need_to_know(cast.admin, cast.documenter, stored, "casework")
    client = login(cast.documenter)
    form = client.get(url("person_identity_edit", stored.pk))
    assert form.status_code == 200 and form["Cache-Control"] == "no-store"
    assert NAME in text(form)
    response = client.post(
        url("person_identity_edit", stored.pk),
        {
            "full_name": "Олена Коваленко-Петренко",
            "date_of_birth": "1990-02-03",
            "ethnicity": "Ukrainian",
            "other_names": "Olena K.\nЛёля",
            "identity_documents": "FA 123 | passport | UA",
            "age_range": "30-40",
        },
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.full_name == "Олена Коваленко-Петренко"
    assert stored.other_names == ["Olena K.", "Лёля"]
    assert stored.identity_documents == [{"number": "FA 123", "type": "passport", "country": "UA"}]
    assert stored.age_range == {"min": 30, "max": 40}
    entry = last_audit("violations.person.identity_changed")
    assert "Коваленко" not in str(entry.diff) and "FA 123" not in str(entry.diff)
    assert set(entry.diff) >= {"full_name", "other_names", "identity_documents", "age_range"}
    assert "ethnicity" not in entry.diff  # unchanged fields are not written


def test_a_bad_identity_value_is_refused_by_the_schema_and_nothing_changes(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    actions.grant_need_to_know(cast.admin, cast.documenter, stored, "casework")
    response = login(cast.documenter).post(
        url("person_identity_edit", stored.pk),
        {"full_name": NAME, "nationalities": "XX", "age_range": "40-30"},
    )
    assert response.status_code == 422
    page = text(response)
    assert "not an ISO 3166-1 alpha-2 country code" in page
    assert "The maximum age is below the minimum." in page
    stored.refresh_from_db()
    assert stored.nationalities is None and stored.age_range is None
    assert not AuditEntry.objects.filter(action="violations.person.identity_changed").exists()


@pytest.mark.parametrize(
    ("who", "status"), [("analyst", 403), ("coordinator", 403), ("viewer", 403), ("outsider", 404)]
)
def test_who_may_not_change_the_identity_is_refused(
    login: Login, cast: SimpleNamespace, stored: Person, who: str, status: int
) -> None:
    if who in {"analyst", "coordinator"}:  # need-to-know alone: the coordinator cannot edit
        actions.grant_need_to_know(cast.admin, getattr(cast, who), stored, "casework")
    if who == "analyst":
        status = 200  # analysts edit records: with need-to-know they may correct
    client = login(getattr(cast, who))
    assert client.get(url("person_identity_edit", stored.pk)).status_code == status


def test_without_need_to_know_nobody_corrects_the_identity(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    response = login(cast.documenter).post(
        url("person_identity_edit", stored.pk), {"full_name": "Changed"}
    )
    assert response.status_code == 403
    stored.refresh_from_db()
    assert stored.full_name == NAME
    assert not AuditEntry.objects.filter(action="violations.person.identity_revealed").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("names", [{"name": "Олена", "script": "Cyrl"}, {"name": "Olena", "transliteration": "x"}]),
        ("identity_documents", [{"number": "FA 1", "type": "passport"}]),
        ("age_range", {"min": 30, "max": None}),
        ("age_range", {"min": None, "max": 12}),
        ("age_range", {"min": 0, "max": 0}),
        ("other_names", ["a", "b"]),
    ],
)
def test_a_stored_value_survives_the_form_unchanged(name: str, value: object) -> None:
    assert to_schema(name, to_text(name, value)) == value


# --- Two stored persons ----------------------------------------------------------------------


def test_two_stored_identities_side_by_side_for_who_may_open_both(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    other = make_person(cast.acme, full_name="Olena Kovalenko", date_of_birth=dt.date(1990, 2, 3))
    for person in (stored, other):
        actions.grant_need_to_know(cast.admin, cast.analyst, person, "casework")
    client = login(cast.analyst)
    assert url("person_compare", stored.pk) in text(client.get(url("person_detail", stored.pk)))
    response = client.post(url("person_compare", stored.pk), {"other": other.code.lower()})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = text(response)
    assert NAME in page and "Olena Kovalenko" in page
    assert '<tr class="matched"><th scope="row">date of birth' in page
    revealed = AuditEntry.objects.filter(action="violations.person.identity_revealed")
    assert sorted(revealed.values_list("object_id", flat=True)) == sorted(
        [str(stored.pk), str(other.pk)]
    )


def test_comparing_with_a_person_one_may_not_open_opens_neither(
    login: Login, cast: SimpleNamespace, stored: Person
) -> None:
    other = make_person(cast.acme, full_name="Olena Kovalenko")
    theirs = make_person(cast.beacon, full_name="Olena Kovalenko")
    actions.grant_need_to_know(cast.admin, cast.analyst, stored, "casework")
    client = login(cast.analyst)
    for code in (other.code, theirs.code, stored.code):
        response = client.post(url("person_compare", stored.pk), {"other": code}, follow=True)
        assert "whose identity you may open" in text(response)
        assert "Olena Kovalenko" not in text(response)
    assert not AuditEntry.objects.filter(action="violations.person.identity_revealed").exists()


@pytest.mark.parametrize("who", ["viewer", "outsider", "documenter"])
def test_compare_needs_need_to_know_on_the_first_person(
    login: Login, cast: SimpleNamespace, stored: Person, who: str
) -> None:
    other = make_person(cast.acme)
    response = login(getattr(cast, who)).post(
        url("person_compare", stored.pk), {"other": other.code}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="violations.person.identity_revealed").exists()
