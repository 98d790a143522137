"""The API's input contract, checked from its own OpenAPI document so that a new operation is
covered without anyone listing it: bounded integers (422 naming the field, never a 500), strict
types, bounded lists and bodies (JSON 413), no NUL characters, unique schema names and every
error status declared."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from justicework.api.types import MAX_INT
from justicework.api.urls import api as ninja_api
from justicework.core import actions as core_actions
from justicework.violations import actions
from justicework.violations.models import Incident, Location, Person

pytestmark = pytest.mark.django_db
JSON = "application/json"
HUGE = "99999999999999999999999"  # the probe's number: > 2**64
DOCUMENT = ninja_api.get_openapi_schema(path_prefix="/api/v1")


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _integer(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The integer alternative of a (possibly nullable) parameter or property schema."""
    if schema.get("type") == "integer":
        return schema
    for alternative in schema.get("anyOf", []):
        if alternative.get("type") == "integer":
            return dict(alternative)
    return None


INT_PARAMS = [
    (path, method, param["name"], param["in"])
    for path, method, operation in _operations()
    for param in operation.get("parameters", [])
    if _integer(param["schema"]) is not None
]


@pytest.fixture
def client(cast: Any) -> Client:
    _token, secret = core_actions.create_token(
        cast.admin, name="t", scope="write", expires_in_days=1
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _call(client: Client, method: str, url: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(url)
    data = json.dumps(body if body is not None else {})
    return getattr(client, method)(url, data, content_type=JSON)


def _names_field(response: Any, name: str) -> bool:
    return any(item["loc"][-1] == name for item in response.json()["detail"])


# --- Finding 6: bounded integers ----------------------------------------------------------------


def test_the_document_has_integer_parameters_to_check() -> None:
    lists = {path for path, method, _n, where in INT_PARAMS if where == "query"}
    assert len(lists) >= 8  # incidents, violations, persons, groups, units, perpetrations, ...
    assert any(where == "path" for *_rest, where in INT_PARAMS)


@pytest.mark.parametrize(("path", "method", "name", "where"), INT_PARAMS)
def test_every_integer_parameter_is_bounded_and_oversized_is_422(
    client: Client, path: str, method: str, name: str, where: str
) -> None:
    operation = DOCUMENT["paths"][path][method]
    param = next(p for p in operation["parameters"] if p["name"] == name)
    schema = _integer(param["schema"])
    assert schema is not None
    assert schema.get("minimum") is not None and schema.get("maximum") is not None, name
    assert schema["maximum"] <= MAX_INT
    filled = re.sub(r"\{(\w+)\}", lambda m: HUGE if m.group(1) == name else "1", path)
    url = f"{filled}?{name}={HUGE}" if where == "query" else filled
    response = _call(client, method, url)
    assert response.status_code == 422, (url, response.content[:300])
    assert response["Content-Type"].startswith(JSON)
    assert _names_field(response, name), response.json()


def _input_components() -> set[str]:
    names: set[str] = set()
    for _path, _method, operation in _operations():
        text = json.dumps(operation.get("requestBody", {}))
        names.update(re.findall(r"#/components/schemas/(\w+)", text))
    components = DOCUMENT["components"]["schemas"]
    pending = list(names)
    while pending:
        for ref in re.findall(r"#/components/schemas/(\w+)", json.dumps(components[pending.pop()])):
            if ref not in names:
                names.add(ref)
                pending.append(ref)
    return names


def test_every_integer_and_list_in_a_request_body_is_bounded() -> None:
    components = DOCUMENT["components"]["schemas"]
    for name in _input_components():
        for field, schema in components[name].get("properties", {}).items():
            integer = _integer(schema)
            if integer is not None:
                assert integer.get("maximum") is not None, f"{name}.{field}"
            for alternative in [schema, *schema.get("anyOf", [])]:
                free_text = not {"format", "enum"} & set(alternative)
                if alternative.get("type") == "string" and free_text:
                    assert alternative.get("maxLength") is not None, f"{name}.{field}"
            lists = [schema, *schema.get("anyOf", [])]
            for alternative in lists:
                if alternative.get("type") == "array":
                    assert alternative.get("maxItems") is not None, f"{name}.{field}"
                    items = alternative.get("items", {})
                    if items.get("type") == "string":
                        assert items.get("maxLength") is not None, f"{name}.{field}[]"
                    if items.get("type") == "integer":
                        assert items.get("maximum") is not None, f"{name}.{field}[]"


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/violations/bulk", {"organisation_id": int(HUGE), "rows": []}, "organisation_id"),
        (
            "/api/v1/violations/bulk",
            {"organisation_id": 1, "rows": [{"incident_id": int(HUGE), "type": "x"}]},
            "incident_id",
        ),
        ("/api/v1/incidents", {"organisation_id": int(HUGE), "title": "x"}, "organisation_id"),
        (
            "/api/v1/sources",
            {"organisation_id": 1, "kind": "x", "title": "x", "incident_ids": [int(HUGE)]},
            "incident_ids",
        ),
    ],
)
def test_oversized_integers_in_bodies_are_422(client: Client, url: str, body: Any, field: str):
    response = _call(client, "post", url, body)
    assert response.status_code == 422, response.content
    assert any(field in item["loc"] for item in response.json()["detail"])


# --- Finding 7: strict types, bounded input, JSON 413, unique names, declared statuses ----------


@pytest.fixture
def records(cast: Any) -> dict[str, Any]:
    incident = actions.create_incident(
        None, cast.acme, title="Shelling", country="UA", start_date=dt.date(2023, 5, 4)
    )
    location = actions.add_location(None, incident, place_name="Kharkiv")
    person = actions.create_person(None, cast.acme, full_name="Test Person")
    return {"incident": incident, "location": location, "person": person}


def test_booleans_are_not_numbers_or_ids(client: Client, cast: Any, records: dict[str, Any]):
    location: Location = records["location"]
    response = _call(
        client, "patch", f"/api/v1/incidents/locations/{location.pk}", {"longitude": False}
    )
    assert response.status_code == 422 and _names_field(response, "longitude")
    person: Person = records["person"]
    grant = _call(
        client, "post", f"/api/v1/persons/{person.pk}/grants", {"user_id": True, "reason": "x"}
    )
    assert grant.status_code == 422 and _names_field(grant, "user_id")
    incident: Incident = records["incident"]
    flag = _call(client, "patch", f"/api/v1/incidents/{incident.pk}", {"date_approximate": 1})
    assert flag.status_code == 422 and _names_field(flag, "date_approximate")
    location.refresh_from_db()
    assert location.longitude is None


@pytest.mark.parametrize("value", ["5.99e-38", "1700000000", "2023-5-4", "2023-05-04T00:00"])
def test_a_date_is_written_yyyy_mm_dd(client: Client, value: str) -> None:
    response = client.get(f"/api/v1/incidents?date_to={value}")
    assert response.status_code == 422 and _names_field(response, "date_to")


def test_numbers_are_not_dates_in_bodies(client: Client, cast: Any) -> None:
    body = {"organisation_id": cast.acme.pk, "title": "x", "start_date": 1.5e9}
    response = _call(client, "post", "/api/v1/incidents", body)
    assert response.status_code == 422 and _names_field(response, "start_date")
    assert not Incident.objects.exists()


def test_lists_are_bounded(client: Client, cast: Any) -> None:
    body = {"organisation_id": cast.acme.pk, "contacts": ["x"] * 100_000}
    response = _call(client, "post", "/api/v1/persons", body)
    assert response.status_code == 422 and _names_field(response, "contacts")
    assert not Person.objects.exists()


def test_a_body_over_the_limit_is_json_413(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    body = {"title": "x" * 2_000_000}
    response = _call(client, "post", "/api/v1/incidents", body)
    assert response.status_code == 413
    assert response["Content-Type"].startswith(JSON)
    assert "larger than the limit" in response.json()["detail"]


def test_unknown_api_paths_answer_json_404(client: Client) -> None:
    for method in ("get", "post", "delete"):
        response = _call(client, method, "/api/v1/incidents/-1")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_schema_names_are_unique() -> None:
    """No two different enums under one name (e.g. person roles vs organisation roles): each
    model's own definitions agree with the document's components."""
    components = DOCUMENT["components"]["schemas"]
    seen: dict[str, Any] = {}
    for klass in _schema_classes():
        for name, schema in klass.model_json_schema().get("$defs", {}).items():
            if "enum" in schema:
                assert seen.setdefault(name, schema["enum"]) == schema["enum"], name
                assert components[name]["enum"] == schema["enum"], name
    for name in ("PersonRole", "OrganisationRole", "VictimGroupKind", "OrganisationKind"):
        assert name in components
    assert "Role" not in components and "Kind" not in components


def _schema_classes() -> list[Any]:
    from justicework.api import core
    from justicework.violations import schemas

    return [
        value
        for module in (core, schemas)
        for value in vars(module).values()
        if isinstance(value, type) and hasattr(value, "model_json_schema")
    ]


def test_me_answers_what_its_schema_allows(client: Client) -> None:
    data = client.get("/api/v1/me").json()
    allowed = DOCUMENT["components"]["schemas"]["OrganisationRole"]["enum"]
    assert data["memberships"] and all(m["role"] in allowed for m in data["memberships"])


def test_every_operation_declares_its_error_statuses() -> None:
    for path, method, operation in _operations():
        declared = {int(code) for code in operation["responses"]}
        assert {401, 403, 429} <= declared, (method, path)
        if operation.get("parameters") or "{" in path:
            assert {404, 422} <= declared, (method, path)
        if "requestBody" in operation:
            assert {400, 413, 422} <= declared, (method, path)


# --- Finding 8 (API side): NUL characters ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"full_name": "Ol\x00ena"}, "full_name"),
        ({"names": [{"name": "Ol\x00ena"}]}, "name"),
        ({"other_names": ["ok", "b\x00d"]}, "other_names"),
        ({"identity_documents": [{"number": "12\x003"}]}, "number"),
    ],
)
def test_nul_in_a_body_string_is_422_naming_the_field(
    client: Client, cast: Any, body: dict[str, Any], field: str
) -> None:
    response = _call(client, "post", "/api/v1/persons", {"organisation_id": cast.acme.pk, **body})
    assert response.status_code == 422, response.content
    assert any(field in item["loc"] for item in response.json()["detail"])
    assert "NUL" in str(response.json())
    assert not Person.objects.exists()


def test_nul_in_a_title_and_a_query_is_422(client: Client, cast: Any) -> None:
    body = {"organisation_id": cast.acme.pk, "title": "Shel\x00ling"}
    response = _call(client, "post", "/api/v1/incidents", body)
    assert response.status_code == 422 and _names_field(response, "title")
    query = client.get("/api/v1/incidents?q=a%00b")
    assert query.status_code == 422 and _names_field(query, "q")
    assert not Incident.objects.exists()
