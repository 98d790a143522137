"""The persons API: the list's filters, reading one person, and the duplicate check's answer when
every match is one the caller may open."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.violations import actions
from justicework.violations.models import Person

from ..conftest import make_person
from .conftest import Api, post

pytestmark = pytest.mark.django_db


def codes(response: object) -> list[str]:
    return sorted(item["code"] for item in response.json()["items"])  # type: ignore[attr-defined]


def test_the_list_filters_by_status_and_organisation(cast: SimpleNamespace, api: Api) -> None:
    active = make_person(cast.acme, full_name="Olena Kovalenko")
    deceased = make_person(cast.acme, full_name="Petro Kovalenko", status="deceased")
    client = api(cast.viewer)
    assert codes(client.get("/api/v1/persons?status=deceased")) == [deceased.code]
    assert codes(client.get(f"/api/v1/persons?organisation={cast.acme.pk}")) == sorted(
        [active.code, deceased.code]
    )
    assert codes(client.get(f"/api/v1/persons?organisation={cast.beacon.pk}")) == []


def test_an_unknown_status_in_the_list_is_422(cast: SimpleNamespace, api: Api) -> None:
    response = api(cast.viewer).get("/api/v1/persons?status=resurrected")
    assert response.status_code == 422
    assert ["query", "status"] in [item["loc"] for item in response.json()["detail"]]


def test_one_person_is_pseudonymous_to_its_organisation_and_hidden_from_others(
    cast: SimpleNamespace, api: Api, person: Person
) -> None:
    response = api(cast.viewer).get(f"/api/v1/persons/{person.pk}")
    assert response.status_code == 200
    assert response.json()["code"] == person.code
    assert "Олена" not in response.content.decode()
    assert api(cast.outsider).get(f"/api/v1/persons/{person.pk}").status_code == 404


def test_when_every_match_may_be_opened_the_answer_gives_the_codes_and_no_one_to_ask(
    cast: SimpleNamespace, api: Api, person: Person
) -> None:
    actions.grant_need_to_know(None, cast.documenter, person, reason="Interview follow-up")
    response = post(
        api(cast.documenter),
        "/api/v1/persons/duplicates",
        {
            "organisation_id": cast.acme.pk,
            "name": "Олена Коваленко",
            "date_of_birth": "1990-02-03",
        },
    )
    data = response.json()
    assert (data["codes"], data["undisclosed"], data["ask"]) == ([person.code], 0, None)
    assert data["detail"] == "Possible duplicates: check them before recording this person."
