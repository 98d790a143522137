"""Person pages: the list's code filter and pages, every identity field of the form recorded and
shown once revealed, what a bad form says, and a name too thin to look up."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from justicework.audit.models import AuditEntry
from justicework.violations import actions, views
from justicework.violations.models import Person

from ..conftest import make_person
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_the_start_of_the_code_whatever_its_case(
    login: Login, cast: SimpleNamespace
) -> None:
    first, second = make_person(cast.acme), make_person(cast.acme)
    page = text(login(cast.viewer).get(url("person_list"), {"code": second.code.lower()}))
    assert second.code in page
    assert first.code not in page


def test_the_list_pages_by_the_last_id_shown(
    login: Login, cast: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    oldest, middle, newest = (make_person(cast.acme) for _ in range(3))
    client = login(cast.viewer)
    response = client.get(url("person_list"))
    first = text(response)
    assert newest.code in first and middle.code in first and oldest.code not in first
    next_url = response.context["next_url"]
    assert next_url.endswith(f"after={middle.pk}")
    second = client.get(next_url)
    assert oldest.code in text(second) and newest.code not in text(second)
    assert second.context["next_url"] == ""
    assert second.context["is_later_page"] is True


def test_every_identity_field_of_the_form_is_recorded_and_shown_once_revealed(
    login: Login, cast: SimpleNamespace
) -> None:
    client = login(cast.documenter)
    response = client.post(
        url("person_create"),
        {
            "status": "alive",
            "full_name": "Ivan Petrenko",
            "other_names": "Vanya\n\nIvan P.",
            "sex": "male",
            "gender_identity": "man",
            "ethnicity": "Ukrainian",
            "religion": "Orthodox",
            "nationality": "UA",
            "contact": "+380 44 000 0000",
            "document_number": "AB 654321",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(organisation=cast.acme)
    assert person.other_names == ["Vanya", "Ivan P."]
    assert (person.nationalities, person.contacts) == (["UA"], ["+380 44 000 0000"])
    assert person.identity_documents == [{"number": "AB 654321"}]
    assert (person.sex, person.gender_identity) == ("male", "man")
    assert (person.ethnicity, person.religion) == ("Ukrainian", "Orthodox")
    actions.grant_need_to_know(None, cast.documenter, person, reason="Interview follow-up")
    revealed = text(client.post(url("person_reveal", person.pk), {"confirm": "on"}))
    for shown in ["Vanya; Ivan P.", "+380 44 000 0000", "AB 654321", "Orthodox", "UA"]:
        assert shown in revealed


def test_a_revealed_identity_shows_structured_values_as_text(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(
        cast.acme,
        full_name="Olha Shevchenko",
        age_range={"min": 30, "max": 40},
        languages=["uk", "ru"],
    )
    actions.grant_need_to_know(None, cast.documenter, person, reason="Interview follow-up")
    revealed = text(login(cast.documenter).post(url("person_reveal", person.pk), {"confirm": "on"}))
    age = re.search(r"<dt>age range</dt><dd>([^<]*)</dd>", revealed)
    assert age is not None
    assert age.group(1) == "30\u201340"
    assert "uk; ru" in revealed


@pytest.mark.parametrize(
    "given, shown",
    [({"min": 30, "max": 40}, "30\u201340"), ({"min": 18}, "≥ 18"), ({"max": 12}, "≤ 12"),
     ({"min": 7, "max": 7}, "7")],
)  # fmt: skip
def test_an_age_range_reads_as_numbers_in_every_language(given, shown):
    from justicework.violations.views.identity_text import identity_rows

    assert dict(identity_rows({"age_range": given}))["age range"] == shown


def test_a_bad_person_form_is_422_naming_the_field_and_records_nothing(
    login: Login, cast: SimpleNamespace
) -> None:
    response = login(cast.documenter).post(
        url("person_create"), {"status": "resurrected", "full_name": "Ivan Petrenko"}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"status"}
    assert not Person.objects.exists()


def test_a_name_that_normalises_to_nothing_is_recorded_without_a_duplicate_look_up(
    login: Login, cast: SimpleNamespace, person: Person
) -> None:
    response = login(cast.documenter).post(
        url("person_create"),
        {"status": "alive", "full_name": "—", "date_of_birth": "1990-02-03"},
    )
    assert response.status_code == 302
    assert Person.objects.filter(organisation=cast.acme).count() == 2
    assert not AuditEntry.objects.filter(action="violations.person.duplicates_checked").exists()
