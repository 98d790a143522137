"""The number of SQL queries per page does not grow with the data (issue 3, "Speed").

Each test counts the queries of one request over a small dataset (3 rows), grows the data to
30 rows and asserts, with ``django_assert_num_queries``, that the same request makes exactly
as many queries. Every request is also checked to show the rows it should (so a page that
silently shows nothing cannot pass). A warm-up request comes first: the session's "last seen"
stamp and per-process caches (keys, vocabularies) are written once, not per page.

Timing at 1,000,000 violations is measured by ``benchmarks/bench_documentation.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.core import actions as core_actions
from justicework.core.models import Organisation, User
from justicework.violations import actions, views
from justicework.violations.models import Incident, Person, Unit

from .conftest import make_incident, make_person, make_unit, make_violation

pytestmark = pytest.mark.django_db

SMALL = 3
LARGE = 30
TYPE = "killing_in_attack"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()  # API rate-limit counters


def signed_in(user: User) -> Client:
    if user.requires_mfa:
        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client = Client()
    client.force_login(user)
    return client


def count(client: Client, url: str) -> tuple[int, HttpResponse]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries), response


def same_count_when_grown(
    client: Client,
    url: str,
    grow: Callable[[int, int], None],
    check: Callable[[HttpResponse, int], None],
    assert_num_queries: Any,
    before_each: Callable[[], None] = lambda: None,
) -> int:
    """Counts at SMALL, grows to LARGE, asserts the same count; returns the count.
    ``before_each`` runs before every request (e.g. to empty a cache of counts)."""
    grow(0, SMALL)
    before_each()
    client.get(url)  # warm-up (see the module docstring)
    before_each()
    small, response = count(client, url)
    check(response, SMALL)
    grow(SMALL, LARGE)
    before_each()
    with assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    check(response, LARGE)
    return small


class Documented:
    """Incidents of ``org`` with a place, a violation with a victim, a unit and a person as
    perpetrators, a source: every relation a page might load row by row."""

    def __init__(self, org: Organisation) -> None:
        self.org = org
        self.units = [make_unit(org, name=f"Brigade {i}") for i in range(2)]
        self.source = actions.create_source(None, org, kind="victim_testimony", title="Statement")

    def violation(self, incident: Incident, i: int) -> None:
        victim = make_person(self.org, full_name=f"Person {incident.pk}-{i}")
        violation = make_violation(incident, type=TYPE, victim=victim, victim_age=30 + i % 40)
        unit: Unit = self.units[i % 2]
        actions.add_perpetration(None, violation, unit=unit, involvement="direct")
        commander: Person = make_person(self.org, full_name=f"Commander {incident.pk}-{i}")
        actions.add_perpetration(None, violation, person=commander, involvement="ordered")
        actions.link_source(None, self.source, violation=violation)

    def incidents(self, start: int, stop: int) -> None:
        for i in range(start, stop):
            incident = make_incident(
                self.org,
                title=f"Shelling of the market {i}",
                status=Incident.Status.DOCUMENTED,
                start_date=dt.date(2023, 1, 1) + dt.timedelta(days=i),
                locations=[{"place_name": "Kharkiv", "latitude": 50.0, "longitude": 36.2}],
            )
            self.violation(incident, i)
            actions.link_source(None, self.source, incident=incident)


@pytest.mark.parametrize("large_result", [False, True], ids=["id-list", "large-result"])
def test_incident_list_with_search_filters_and_facets(
    cast: SimpleNamespace,
    django_assert_num_queries: Any,
    monkeypatch: pytest.MonkeyPatch,
    large_result: bool,
) -> None:
    """Both paths of the list: matching ids fetched first (small results), and counts
    aggregated in the database (results above ``MATERIALISE_LIMIT``, what runs at scale;
    forced here by lowering the limit, with the cache of counts emptied before each request)."""
    if large_result:
        monkeypatch.setattr(views, "MATERIALISE_LIMIT", 2)
    data = Documented(cast.acme)
    # Noise the filters must leave out (another country, status, type; another organisation).
    make_violation(make_incident(cast.acme, title="Shelling of the market", country="GE"))
    make_violation(make_incident(cast.beacon, title="Shelling of the market", country="UA"))
    url = reverse("violations:incident_list") + (
        f"?q=market&country=UA&status=documented&type={TYPE}"
    )

    def check(response: HttpResponse, size: int) -> None:
        assert response.context["total"] == size
        assert len(response.context["incidents"]) == size
        facets = {facet.name: facet for facet in response.context["facets"]}
        assert [(v.value, v.count) for v in facets["type"].values] == [(TYPE, size)]
        assert ("UA", size) in [(v.value, v.count) for v in facets["country"].values]

    queries = same_count_when_grown(
        signed_in(cast.documenter),
        url,
        data.incidents,
        check,
        django_assert_num_queries,
        before_each=cache.clear,
    )
    assert queries < 40


def test_incident_list_keyset_second_page(
    cast: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    data = Documented(cast.acme)
    data.incidents(0, 2)
    client = signed_in(cast.documenter)
    first = Incident.objects.order_by("-pk").first()
    assert first is not None
    url = reverse("violations:incident_list") + f"?q=market&after={first.pk}"

    def grow(start: int, stop: int) -> None:
        data.incidents(start + 2, stop + 2)

    def check(response: HttpResponse, size: int) -> None:
        assert len(response.context["incidents"]) == 1  # rows below ``after`` only

    same_count_when_grown(client, url, grow, check, django_assert_num_queries)


def test_incident_page(cast: SimpleNamespace, django_assert_num_queries: Any) -> None:
    data = Documented(cast.acme)
    incident = make_incident(
        cast.acme,
        title="Siege",
        locations=[
            {"place_name": "Mariupol", "latitude": 47.1, "longitude": 37.5},
            {"place_name": "Berdiansk"},
        ],
    )
    actions.link_source(None, data.source, incident=incident)
    url = reverse("violations:incident_detail", args=[incident.pk])

    def grow(start: int, stop: int) -> None:
        for i in range(start, stop):
            data.violation(incident, i)

    def check(response: HttpResponse, size: int) -> None:
        assert len(response.context["violations"]) == size
        assert len(response.context["units"]) == 2
        codes = set(
            Person.objects.filter(
                Q(roles__violation__incident=incident)
                | Q(perpetrations__violation__incident=incident)
            ).values_list("code", flat=True)
        )
        body = response.content.decode()
        assert len(codes) == 2 * size  # victims and commanders
        assert all(code in body for code in codes)

    same_count_when_grown(signed_in(cast.documenter), url, grow, check, django_assert_num_queries)


def test_person_list(cast: SimpleNamespace, django_assert_num_queries: Any) -> None:
    url = reverse("violations:person_list")

    def grow(start: int, stop: int) -> None:
        for i in range(start, stop):
            make_person(cast.acme, full_name=f"Person {i}")
        make_person(cast.beacon, full_name="Not visible")

    def check(response: HttpResponse, size: int) -> None:
        assert len(response.context["persons"]) == size
        assert {p.organisation_id for p in response.context["persons"]} == {cast.acme.pk}

    same_count_when_grown(signed_in(cast.documenter), url, grow, check, django_assert_num_queries)


def api_client(user: User) -> Client:
    _token, secret = core_actions.create_token(user, name="t", scope="read", expires_in_days=30)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_violations_api_list(cast: SimpleNamespace, django_assert_num_queries: Any) -> None:
    data = Documented(cast.acme)
    incident = make_incident(cast.acme, title="Siege")
    make_violation(make_incident(cast.beacon, title="Elsewhere"))

    def grow(start: int, stop: int) -> None:
        for i in range(start, stop):
            data.violation(incident, i)

    def check(response: HttpResponse, size: int) -> None:
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        assert len(items) == size
        assert {item["incident_id"] for item in items} == {incident.pk}

    same_count_when_grown(
        api_client(cast.documenter),
        f"/api/v1/violations?type={TYPE}",
        grow,
        check,
        django_assert_num_queries,
    )


def test_incidents_api_list_with_search(
    cast: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    data = Documented(cast.acme)

    def check(response: HttpResponse, size: int) -> None:
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        assert len(items) == size

    same_count_when_grown(
        api_client(cast.documenter),
        f"/api/v1/incidents?q=market&country=UA&type={TYPE}",
        data.incidents,
        check,
        django_assert_num_queries,
    )
