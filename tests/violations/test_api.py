"""The violations API: allow, deny, 422 and query counts for every resource."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.violations import actions
from justicework.violations.models import Incident, Person, Violation

from .conftest import make_incident, make_person, make_unit, make_violation

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(cast) -> Callable[..., Client]:
    def make(user: User, scope: str = "write") -> Client:
        _token, secret = core_actions.create_token(user, name="t", scope=scope, expires_in_days=30)
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def post(client: Client, url: str, data: object) -> object:
    return client.post(url, data, content_type=JSON)


def patch(client: Client, url: str, data: object) -> object:
    return client.patch(url, data, content_type=JSON)


# --- Incidents -----------------------------------------------------------------------------------


def test_documenter_creates_and_reads_an_incident(cast, api):
    client = api(cast.documenter)
    response = post(
        client,
        "/api/v1/incidents",
        {
            "organisation_id": cast.acme.pk,
            "title": "Strike on the school",
            "country": "UA",
            "start_date": "2023-03-01",
            "context": "iac",
            "locations": [
                {
                    "place_name": "Kherson",
                    "subdivision": "UA-65",
                    "latitude": 46.6,
                    "longitude": 32.6,
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "Strike on the school"
    assert data["locations"][0]["place_name"] == "Kherson"
    got = client.get(f"/api/v1/incidents/{data['id']}").json()
    assert got["context"] == "iac"


def test_viewer_reads_but_cannot_write(cast, api, incident):
    client = api(cast.viewer)
    assert client.get(f"/api/v1/incidents/{incident.pk}").status_code == 200
    response = post(
        client,
        "/api/v1/incidents",
        {"organisation_id": cast.acme.pk, "title": "X", "start_date": "2023-01-01"},
    )
    assert response.status_code == 404  # the organisation is not one you may create in
    assert patch(client, f"/api/v1/incidents/{incident.pk}", {"title": "No"}).status_code == 403
    assert client.delete(f"/api/v1/incidents/{incident.pk}").status_code == 403
    assert Incident.objects.get().title == "Shelling of the market"


def test_another_organisations_documenter_gets_404(cast, api, incident):
    client = api(cast.outsider)
    assert client.get(f"/api/v1/incidents/{incident.pk}").status_code == 404
    assert patch(client, f"/api/v1/incidents/{incident.pk}", {"title": "No"}).status_code == 404
    assert client.delete(f"/api/v1/incidents/{incident.pk}").status_code == 404
    assert client.get("/api/v1/incidents").json()["items"] == []
    response = post(
        client,
        "/api/v1/incidents",
        {"organisation_id": cast.acme.pk, "title": "X", "start_date": "2023-01-01"},
    )
    assert response.status_code == 404


def test_anonymous_gets_401(cast, incident):
    assert Client().get("/api/v1/incidents").status_code == 401
    assert Client().get(f"/api/v1/persons/{incident.pk}").status_code == 401


def test_read_token_cannot_write(cast, api):
    client = api(cast.documenter, scope="read")
    response = post(
        client,
        "/api/v1/incidents",
        {"organisation_id": cast.acme.pk, "title": "X", "start_date": "2023-01-01"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"title": ""}, ["body", "payload", "title"]),
        ({"country": "XX"}, ["body", "country"]),
        ({"start_date": "2023-02-30"}, ["body", "payload", "start_date"]),
        ({"end_date": "2022-01-01"}, ["body", "end_date"]),
        ({"context": "war"}, ["body", "payload", "context"]),
        ({"locations": [{"subdivision": "FR-75"}]}, ["body", "locations[0].subdivision"]),
        (
            {"locations": [{"latitude": 100, "longitude": 0}]},
            ["body", "payload", "locations", 0, "latitude"],
        ),
    ],
)
def test_bad_incident_input_is_422_naming_the_field(cast, api, body, loc):
    data = {
        "organisation_id": cast.acme.pk,
        "title": "Attack",
        "country": "UA",
        "start_date": "2023-01-05",
        **body,
    }
    response = post(api(cast.documenter), "/api/v1/incidents", data)
    assert response.status_code == 422, response.content
    locs = [item["loc"] for item in response.json()["detail"]]
    assert loc in locs, locs
    assert not Incident.objects.exists()


def test_incident_list_filters(cast, api):
    a = make_incident(cast.acme, title="Detention in Mariupol", start_date=dt.date(2022, 3, 1))
    b = make_incident(
        cast.acme, title="Looting in Tbilisi", country="GE", start_date=dt.date(2023, 8, 1)
    )
    make_violation(a, type="arbitrary_detention")
    make_violation(b, type="pillage")
    unit = make_unit(cast.acme)
    sub = actions.create_unit(None, cast.acme, name="Sub-unit", kind="armed_forces", parent=unit)
    actions.add_perpetration(None, b.violations.get(), unit=sub, involvement="direct")
    actions.change_incident_status(None, b, "documented")
    client = api(cast.viewer)

    def titles(query: str) -> list[str]:
        response = client.get("/api/v1/incidents?" + query)
        assert response.status_code == 200, response.content
        return sorted(i["title"] for i in response.json()["items"])

    assert titles("country=GE") == ["Looting in Tbilisi"]
    assert titles("date_from=2023-01-01") == ["Looting in Tbilisi"]
    assert titles("date_to=2022-12-31") == ["Detention in Mariupol"]
    assert titles("type=liberty_security") == ["Detention in Mariupol"]  # grouping: narrower types
    assert titles(f"unit={unit.pk}") == ["Looting in Tbilisi"]  # sub-units included
    assert titles("status=documented") == ["Looting in Tbilisi"]
    assert titles("q=mariupol") == ["Detention in Mariupol"]
    assert titles("q=pillage") == ["Looting in Tbilisi"]  # type labels are searchable
    assert titles(f"organisation={cast.acme.pk}") == ["Detention in Mariupol", "Looting in Tbilisi"]
    assert titles(f"organisation={cast.beacon.pk}") == []
    for bad in [
        "type=nope",
        "country=Ukraine",
        "status=final",
        "date_from=2023-13-01",
        "date_from=2023-01-02&date_to=2023-01-01",
    ]:
        assert client.get("/api/v1/incidents?" + bad).status_code == 422, bad


def test_incident_list_query_count_does_not_grow(cast, api, django_assert_num_queries):
    client = api(cast.viewer)
    make_incident(cast.acme, locations=[{"place_name": "A"}])
    client.get("/api/v1/incidents")
    with django_assert_num_queries(5):  # token, memberships, grants, incidents, locations
        client.get("/api/v1/incidents")
    for i in range(15):
        make_incident(cast.acme, title=f"Incident {i}", locations=[{"place_name": f"P{i}"}])
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/incidents").json()["items"]) == 16


def test_incident_list_pages_with_cursor(cast, api):
    for i in range(7):
        make_incident(cast.acme, title=f"Incident {i}")
    client = api(cast.viewer)
    seen, cursor = [], None
    while True:
        data = client.get(
            "/api/v1/incidents?limit=3" + (f"&cursor={cursor}" if cursor else "")
        ).json()
        seen += [i["id"] for i in data["items"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(Incident.objects.values_list("pk", flat=True))
    assert client.get("/api/v1/incidents?cursor=forged").status_code == 422


def test_status_delete_locations_relations(cast, api, incident):
    client = api(cast.documenter)
    assert (
        post(client, f"/api/v1/incidents/{incident.pk}/status", {"status": "verified"}).status_code
        == 403
    )
    assert (
        post(
            api(cast.analyst), f"/api/v1/incidents/{incident.pk}/status", {"status": "verified"}
        ).json()["status"]
        == "verified"
    )
    assert client.delete(f"/api/v1/incidents/{incident.pk}").status_code == 403  # not a draft
    response = post(
        client,
        f"/api/v1/incidents/{incident.pk}/locations",
        {"place_name": "Chuhuiv", "subdivision": "UA-63"},
    )
    assert response.status_code == 201
    location_id = response.json()["id"]
    assert (
        patch(
            client, f"/api/v1/incidents/locations/{location_id}", {"subdivision": "RU-MOW"}
        ).status_code
        == 422
    )
    assert (
        patch(
            client, f"/api/v1/incidents/locations/{location_id}", {"place_name": "Chuguev"}
        ).json()["place_name"]
        == "Chuguev"
    )
    assert client.delete(f"/api/v1/incidents/locations/{location_id}").status_code == 204
    other = make_incident(cast.acme, title="Other")
    response = post(
        client,
        f"/api/v1/incidents/{incident.pk}/relations",
        {"to_incident_id": other.pk, "kind": "precedes"},
    )
    assert response.status_code == 201
    assert len(client.get(f"/api/v1/incidents/{incident.pk}/relations").json()) == 1
    assert (
        post(
            client,
            f"/api/v1/incidents/{incident.pk}/relations",
            {"to_incident_id": other.pk, "kind": "causes"},
        ).status_code
        == 422
    )
    assert client.delete(f"/api/v1/incidents/relations/{response.json()['id']}").status_code == 204
    draft = make_incident(cast.acme, title="Draft")
    assert client.delete(f"/api/v1/incidents/{draft.pk}").status_code == 204


def test_restricted_incident_access_grant_via_api(cast, api, incident):
    actions.update_incident(None, incident, sensitivity="restricted")
    assert api(cast.viewer).get(f"/api/v1/incidents/{incident.pk}").status_code == 404
    body = {"user_id": cast.viewer.pk, "reason": "Review"}
    assert (
        post(
            api(cast.documenter), f"/api/v1/incidents/{incident.pk}/access-grants", body
        ).status_code
        == 404
    )
    assert (
        post(api(cast.admin), f"/api/v1/incidents/{incident.pk}/access-grants", body).status_code
        == 201
    )
    assert api(cast.viewer).get(f"/api/v1/incidents/{incident.pk}").status_code == 200


# --- Violations ----------------------------------------------------------------------------------


def test_violation_crud(cast, api, incident, person):
    client = api(cast.documenter)
    response = post(
        client,
        "/api/v1/violations",
        {
            "incident_id": incident.pk,
            "type": "torture",
            "method": "beating",
            "victim_id": person.pk,
            "victim_age": 34,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["type_label"] == "Torture"
    vid = data["id"]
    assert (
        patch(client, f"/api/v1/violations/{vid}", {"victim_outcome": "released"}).json()[
            "victim_outcome"
        ]
        == "released"
    )
    assert patch(client, f"/api/v1/violations/{vid}", {"type": "nope"}).status_code == 422
    roles = client.get(f"/api/v1/violations/{vid}/persons").json()
    assert [(r["person_code"], r["role"]) for r in roles] == [(person.code, "victim")]
    witness = make_person(cast.acme)
    response = post(
        client, f"/api/v1/violations/{vid}/persons", {"person_id": witness.pk, "role": "witness"}
    )
    assert response.status_code == 201
    assert (
        post(
            client, f"/api/v1/violations/{vid}/persons", {"person_id": witness.pk, "role": "victim"}
        ).status_code
        == 422
    )
    assert (
        client.delete(f"/api/v1/violations/person-roles/{response.json()['id']}").status_code == 204
    )
    assert api(cast.viewer).delete(f"/api/v1/violations/{vid}").status_code == 403
    assert api(cast.outsider).get(f"/api/v1/violations/{vid}").status_code == 404
    assert client.delete(f"/api/v1/violations/{vid}").status_code == 204


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"type": "rapee"}, ["body", "type"]),
        ({"type": "sgbv"}, ["body", "type"]),
        ({"victim_age": 300}, ["body", "payload", "victim_age"]),
        ({"method": "magic"}, ["body", "method"]),
        ({"victim_outcome": "happy"}, ["body", "payload", "victim_outcome"]),
    ],
)
def test_bad_violation_input_is_422(cast, api, incident, body, loc):
    response = post(
        api(cast.documenter),
        "/api/v1/violations",
        {"incident_id": incident.pk, "type": "torture", **body},
    )
    assert response.status_code == 422
    assert loc in [item["loc"] for item in response.json()["detail"]]
    assert not Violation.objects.exists()


def test_violation_of_other_organisations_incident_is_404(cast, api, beacon_incident):
    response = post(
        api(cast.documenter),
        "/api/v1/violations",
        {"incident_id": beacon_incident.pk, "type": "torture"},
    )
    assert response.status_code == 404


def test_bulk_create_violations_via_api(cast, api, incident, person):
    client = api(cast.documenter)
    rows = [
        {"incident_id": incident.pk, "type": "torture", "victim_code": person.code},
        {"incident_id": incident.pk, "type": "pillage", "start_date": "2023-05-05"},
    ]
    response = post(
        client, "/api/v1/violations/bulk", {"organisation_id": cast.acme.pk, "rows": rows}
    )
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    bad = [
        {"incident_id": incident.pk, "type": "torture"},
        {"incident_id": incident.pk, "type": "bogus"},
    ]
    response = post(
        client, "/api/v1/violations/bulk", {"organisation_id": cast.acme.pk, "rows": bad}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "rows", 1, "type"]
    assert Violation.objects.count() == 2
    assert (
        post(
            api(cast.viewer),
            "/api/v1/violations/bulk",
            {"organisation_id": cast.acme.pk, "rows": rows},
        ).status_code
        == 404
    )
    assert (
        post(
            client, "/api/v1/violations/bulk", {"organisation_id": cast.acme.pk, "rows": []}
        ).status_code
        == 422
    )


def test_violation_list_filters_and_query_count(cast, api, django_assert_num_queries):
    a = make_incident(cast.acme, title="A", start_date=dt.date(2022, 1, 1))
    make_violation(a, type="rape")
    make_violation(a, type="torture")
    client = api(cast.viewer)
    assert [v["type"] for v in client.get("/api/v1/violations?type=sgbv").json()["items"]] == [
        "rape"
    ]
    assert len(client.get(f"/api/v1/violations?incident={a.pk}").json()["items"]) == 2
    assert client.get("/api/v1/violations?type=zzz").status_code == 422
    client.get("/api/v1/violations")
    with django_assert_num_queries(4):  # token, memberships, grants, violations
        client.get("/api/v1/violations")
    for _ in range(10):
        make_violation(a, type="pillage")
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/violations").json()["items"]) == 12


# --- Persons -------------------------------------------------------------------------------------


def test_persons_are_pseudonymous_in_the_api(cast, api):
    client = api(cast.documenter)
    response = post(
        client,
        "/api/v1/persons",
        {
            "organisation_id": cast.acme.pk,
            "full_name": "Олена Коваленко",
            "names": [
                {"name": "Олена Коваленко", "script": "Cyrl", "transliteration": "Olena Kovalenko"}
            ],
            "date_of_birth": "1990-02-03",
            "identity_documents": [{"type": "passport", "number": "FA123456"}],
            "status": "missing",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"id", "organisation_id", "code", "status", "created_at"}
    listed = client.get("/api/v1/persons").json()["items"]
    assert "Коваленко" not in str(listed) and "1990" not in str(listed)
    assert (
        client.get(f"/api/v1/persons?code={data['code'].lower()}").json()["items"][0]["id"]
        == data["id"]
    )
    dup = post(
        client,
        "/api/v1/persons/duplicates",
        {"organisation_id": cast.acme.pk, "name": "Olena Kovalenko", "date_of_birth": "1990-02-03"},
    )
    assert dup.json()["possible_duplicate"] is True
    # The creator holds need-to-know on what they recorded (time-limited): its code is shown.
    assert dup.json()["codes"] == [data["code"]]
    assert (
        post(
            api(cast.viewer),
            "/api/v1/persons/duplicates",
            {"organisation_id": cast.acme.pk, "name": "x", "date_of_birth": "1990-02-03"},
        ).status_code
        == 404
    )
    assert (
        patch(client, f"/api/v1/persons/{data['id']}", {"status": "deceased"}).json()["status"]
        == "deceased"
    )
    assert (
        patch(api(cast.viewer), f"/api/v1/persons/{data['id']}", {"status": "alive"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nationalities": ["XX"]}, "nationalities"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"age_range": {"min": 50, "max": 20}}, "age_range"),
        ({"identity_documents": [{"type": "passport"}]}, "number"),
    ],
)
def test_bad_identity_is_422(cast, api, body, field):
    response = post(
        api(cast.documenter), "/api/v1/persons", {"organisation_id": cast.acme.pk, **body}
    )
    assert response.status_code == 422
    assert any(field in item["loc"] for item in response.json()["detail"])
    assert not Person.objects.exists()


def test_reveal_needs_need_to_know_and_is_audited(cast, api, person):
    url = f"/api/v1/persons/{person.pk}/reveal"
    assert api(cast.analyst).post(url).status_code == 403  # no grant
    assert api(cast.viewer).post(url).status_code == 403  # no capability
    assert api(cast.outsider).post(url).status_code == 404
    assert api(cast.analyst, scope="read").post(url).status_code == 403
    body = {
        "user_id": cast.analyst.pk,
        "reason": "Case file",
        "expires_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
    }
    assert (
        post(api(cast.documenter), f"/api/v1/persons/{person.pk}/grants", body).status_code == 404
    )
    response = post(api(cast.admin), f"/api/v1/persons/{person.pk}/grants", body)
    assert response.status_code == 201
    grant_id = response.json()["id"]
    revealed = api(cast.analyst).post(url)
    assert revealed.status_code == 200
    assert revealed.json()["full_name"] == "Олена Коваленко"
    assert revealed.json()["code"] == person.code
    entry = AuditEntry.objects.filter(action="violations.person.identity_revealed").get()
    assert entry.actor_id == cast.analyst.pk and "Коваленко" not in str(entry.diff)
    assert api(cast.analyst).delete(f"/api/v1/persons/grants/{grant_id}").status_code == 404
    assert api(cast.admin).delete(f"/api/v1/persons/grants/{grant_id}").status_code == 204
    assert api(cast.analyst).post(url).status_code == 403


def test_grant_input_is_validated(cast, api, person):
    url = f"/api/v1/persons/{person.pk}/grants"
    assert post(api(cast.admin), url, {"user_id": cast.analyst.pk, "reason": ""}).status_code == 422
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert (
        post(
            api(cast.admin), url, {"user_id": cast.analyst.pk, "reason": "x", "expires_at": past}
        ).status_code
        == 422
    )
    assert (
        post(api(cast.admin), url, {"user_id": cast.outsider.pk, "reason": "x"}).status_code == 404
    )


def test_person_list_query_count(cast, api, django_assert_num_queries):
    client = api(cast.viewer)
    make_person(cast.acme)
    client.get("/api/v1/persons")
    with django_assert_num_queries(3):
        client.get("/api/v1/persons")
    for _ in range(10):
        make_person(cast.acme)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/persons").json()["items"]) == 11


# --- Groups, units, perpetrations, sources -------------------------------------------------------


def test_victim_groups(cast, api):
    client = api(cast.documenter)
    response = post(
        client,
        "/api/v1/victim-groups",
        {
            "organisation_id": cast.acme.pk,
            "description": "Village",
            "number_of_persons": 80,
            "kind": "village",
        },
    )
    assert response.status_code == 201
    gid = response.json()["id"]
    assert (
        patch(client, f"/api/v1/victim-groups/{gid}", {"number_of_persons": 0}).status_code == 422
    )
    assert (
        patch(client, f"/api/v1/victim-groups/{gid}", {"number_of_persons": 81}).json()[
            "number_of_persons"
        ]
        == 81
    )
    assert api(cast.outsider).get(f"/api/v1/victim-groups/{gid}").status_code == 404
    assert len(api(cast.viewer).get("/api/v1/victim-groups").json()["items"]) == 1


def test_units_commanders_perpetrations(cast, api, violation):
    client = api(cast.documenter)
    response = post(
        client,
        "/api/v1/units",
        {
            "organisation_id": cast.acme.pk,
            "name": "Brigade",
            "kind": "armed_forces",
            "country": "UA",
        },
    )
    assert response.status_code == 201
    brigade = response.json()["id"]
    response = post(
        client,
        "/api/v1/units",
        {
            "organisation_id": cast.acme.pk,
            "name": "Battalion",
            "kind": "armed_forces",
            "parent_id": brigade,
        },
    )
    battalion = response.json()["id"]
    assert patch(client, f"/api/v1/units/{brigade}", {"parent_id": battalion}).status_code == 422
    assert (
        post(
            client,
            "/api/v1/units",
            {"organisation_id": cast.acme.pk, "name": "X", "kind": "wizards"},
        ).status_code
        == 422
    )
    assert (
        api(cast.viewer).get(f"/api/v1/units?parent={brigade}").json()["items"][0]["name"]
        == "Battalion"
    )
    commander = make_person(cast.acme)
    response = post(
        client,
        f"/api/v1/units/{battalion}/commanders",
        {"person_id": commander.pk, "title": "Major", "start_date": "2022-01-01"},
    )
    assert response.status_code == 201
    cid = response.json()["id"]
    assert (
        patch(client, f"/api/v1/units/commanders/{cid}", {"end_date": "2021-01-01"}).status_code
        == 422
    )
    assert (
        client.get(f"/api/v1/units/{battalion}/commanders").json()[0]["person_code"]
        == commander.code
    )
    response = post(
        client,
        "/api/v1/perpetrations",
        {"violation_id": violation.pk, "unit_id": battalion, "involvement": "ordered"},
    )
    assert response.status_code == 201
    pid = response.json()["id"]
    assert (
        post(
            client,
            "/api/v1/perpetrations",
            {"violation_id": violation.pk, "involvement": "ordered"},
        ).status_code
        == 422
    )
    assert (
        post(
            api(cast.viewer),
            "/api/v1/perpetrations",
            {"violation_id": violation.pk, "unit_id": battalion, "involvement": "ordered"},
        ).status_code
        == 403
    )
    assert [
        p["id"]
        for p in api(cast.viewer).get(f"/api/v1/perpetrations?unit={battalion}").json()["items"]
    ] == [pid]
    assert api(cast.outsider).get(f"/api/v1/perpetrations/{pid}").status_code == 404
    assert client.delete(f"/api/v1/perpetrations/{pid}").status_code == 204
    assert client.delete(f"/api/v1/units/commanders/{cid}").status_code == 204


def test_sources(cast, api, incident, violation, beacon_incident):
    client = api(cast.documenter)
    body = {
        "organisation_id": cast.acme.pk,
        "kind": "video",
        "title": "Clip",
        "reliability": "C",
        "credibility": "3",
        "incident_ids": [incident.pk],
    }
    response = post(client, "/api/v1/sources", body)
    assert response.status_code == 201, response.content
    sid = response.json()["id"]
    assert response.json()["grade"] == "C3"
    assert post(client, "/api/v1/sources", {**body, "reliability": "Z"}).status_code == 422
    assert (
        post(client, "/api/v1/sources", {**body, "incident_ids": [beacon_incident.pk]}).status_code
        == 404
    )
    assert (
        post(client, f"/api/v1/sources/{sid}/links", {"violation_id": violation.pk}).status_code
        == 200
    )
    assert [
        s["id"]
        for s in api(cast.viewer).get(f"/api/v1/sources?violation={violation.pk}").json()["items"]
    ] == [sid]
    assert patch(client, f"/api/v1/sources/{sid}", {"reliability": "B"}).json()["grade"] == "B3"
    assert (
        patch(api(cast.viewer), f"/api/v1/sources/{sid}", {"reliability": "A"}).status_code == 403
    )
    assert api(cast.outsider).get(f"/api/v1/sources/{sid}").status_code == 404


@pytest.mark.parametrize(
    ("path", "queries"),
    # token, memberships, (grants on restricted incidents,) rows
    [("units", 3), ("sources", 3), ("perpetrations", 4), ("victim-groups", 3)],
)
def test_other_lists_have_constant_query_counts(
    cast, api, path, queries, django_assert_num_queries, violation
):
    client = api(cast.viewer)

    def seed(n: int) -> None:
        for i in range(n):
            unit = make_unit(cast.acme, name=f"U{i}")
            actions.create_source(None, cast.acme, kind="document", title=f"S{i}")
            actions.add_perpetration(None, violation, unit=unit, involvement="direct")
            actions.create_victim_group(None, cast.acme, description=f"G{i}", number_of_persons=3)

    seed(1)
    client.get(f"/api/v1/{path}")
    with django_assert_num_queries(queries):
        client.get(f"/api/v1/{path}")
    seed(8)
    with django_assert_num_queries(queries):
        assert len(client.get(f"/api/v1/{path}").json()["items"]) == 9
