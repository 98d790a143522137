"""The public award list and its downloads: anonymous visitors are welcome, an award of a call
under review never shows, the filters are pickers refused by name when wrong, and the page,
the CSV, the JSON, the IATI file and the API list exactly the same awards."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET  # parsing our own output
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from justicework.grants.models import Call
from justicework.grants.publication import grant_id
from tests.grants.conftest import make_applicant
from tests.grants.publication.conftest import make_award

pytestmark = pytest.mark.django_db

LIST = reverse("grants:published_awards")
CSV = reverse("grants:awards_360_csv")
JSON = reverse("grants:awards_360_json")
IATI = reverse("grants:awards_iati")
API = "/api/v1/grants/publication/awards"


def page_ids(response: Any) -> set[int]:
    return {row["award"].pk for row in response.context["rows"]}


def by_grant_id(world: SimpleNamespace) -> dict[str, int]:
    return {grant_id(a): a.pk for a in vars(world.awards).values()}


def csv_ids(response: Any, world: SimpleNamespace) -> set[int]:
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return {by_grant_id(world)[row["Identifier"]] for row in rows}


def json_ids(response: Any, world: SimpleNamespace) -> set[int]:
    return {by_grant_id(world)[g["id"]] for g in response.json()["grants"]}


def iati_ids(response: Any, world: SimpleNamespace) -> set[int]:
    root = ET.fromstring(response.content)  # noqa: S314  # our own output
    commitments = [  # an award's own commitment; its payments and reductions follow it
        t for t in root.iter("transaction")
        if t.find("transaction-type").get("code") == "2"
        and not t.findtext("value", "").startswith("-")
    ]  # fmt: skip
    return {by_grant_id(world)[t.get("ref")] for t in commitments}


def test_anonymous_visitor_sees_the_published_awards(world: SimpleNamespace) -> None:
    response = Client().get(LIST)
    assert response.status_code == 200
    a = world.awards
    assert page_ids(response) == {a.kyiv.pk, a.tbilisi.pk, a.goma.pk, a.beacon.pk}
    text = response.content.decode()
    for shown in ("Kharkiv Women&#x27;s Voices", "Ukraine", "40,000.00", "EUR", "2025-02-14"):
        assert shown in text
    assert "2025-03-01" in text and a.kyiv.purpose in text
    assert "Not decided yet" not in text  # the award of the call under review


def test_an_award_of_a_call_under_review_is_in_no_output(
    world: SimpleNamespace, bearer: Callable[..., Client]
) -> None:
    hidden = world.awards.hidden.pk
    client = Client()
    query = {"call": "FSTP-2025-2"}
    # the call is not offered as a filter, so asking for it is refused
    assert client.get(LIST, query).status_code == 400
    assert hidden not in page_ids(client.get(LIST))
    assert hidden not in csv_ids(client.get(CSV), world)
    assert hidden not in json_ids(client.get(JSON), world)
    assert hidden not in iati_ids(client.get(IATI), world)
    api = bearer(world.programme.organisation.memberships.first().user).get(API)
    assert hidden not in {item["id"] for item in api.json()["items"]}


@pytest.mark.parametrize(
    "query",
    [{}, {"call": "FSTP-2025-1"}, {"country": "CD"}, {"year": "2024"}, {"country": "GE"}],
)
def test_page_csv_json_iati_and_api_list_the_same_awards(
    world: SimpleNamespace, bearer: Callable[..., Client], cast: Any, query: dict[str, str]
) -> None:
    client = Client()
    expected = page_ids(client.get(LIST, query))
    assert expected
    assert csv_ids(client.get(CSV, query), world) == expected
    assert json_ids(client.get(JSON, query), world) == expected
    assert iati_ids(client.get(IATI, query), world) == expected
    api = bearer(cast.viewer).get(API, query)
    assert api.status_code == 200, api.content
    assert {item["id"] for item in api.json()["items"]} == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [({"country": "FR"}, "country"), ({"year": "1999"}, "year"), ({"call": "NOPE"}, "call")],
)
def test_a_filter_that_is_not_offered_is_refused_naming_the_field(
    world: SimpleNamespace, query: dict[str, str], field: str
) -> None:
    client = Client()
    page = client.get(LIST, query)
    assert page.status_code == 400 and page.context["form"].errors[field]
    for url in (CSV, JSON, IATI):
        response = client.get(url, query)
        assert response.status_code == 400
        assert field in response.json()["detail"]


def test_downloads_are_named_files(world: SimpleNamespace) -> None:
    client = Client()
    response = client.get(CSV)
    assert response["Content-Type"].startswith("text/csv")
    assert "grants-360giving.csv" in response["Content-Disposition"]
    assert client.get(JSON)["Content-Type"] == "application/json"
    assert client.get(IATI)["Content-Type"].startswith("application/xml")


def test_without_an_iati_identifier_there_is_no_iati_file(
    world: SimpleNamespace, settings: Any
) -> None:
    settings.GRANTS_IATI_ORG_REF = ""
    client = Client()
    assert client.get(IATI).status_code == 404
    assert IATI not in client.get(LIST).content.decode()


def test_the_list_pages_and_keeps_the_filters(world: SimpleNamespace, monkeypatch: Any) -> None:
    monkeypatch.setattr("justicework.grants.views.publication.PAGE_SIZE", 1)
    client = Client()
    first = client.get(LIST, {"call": "FSTP-2025-1"})
    assert len(first.context["rows"]) == 1
    assert "call=FSTP-2025-1&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"call": "FSTP-2025-1", "page": "2"})
    assert page_ids(first) | page_ids(second) == {world.awards.kyiv.pk, world.awards.tbilisi.pk}


def test_only_reading_is_allowed(world: SimpleNamespace) -> None:
    for url in (LIST, CSV, JSON, IATI):
        assert Client().post(url).status_code == 405


def test_the_list_and_downloads_take_as_many_queries_for_many_awards(
    world: SimpleNamespace,
) -> None:
    def counted(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return len(queries)

    before = {url: counted(url) for url in (LIST, CSV, JSON, IATI)}
    call = world.calls.decided
    for number in range(6):
        make_award(call, make_applicant(f"Lviv Group {number}", "UA").entity, "1000")
    Call.objects.filter(pk=call.pk).update(status=Call.Status.DECIDED)
    assert {url: counted(url) for url in (LIST, CSV, JSON, IATI)} == before
