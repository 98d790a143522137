"""The violations API is a package of one module per noun, but its OpenAPI operation ids are
the ones clients generated code from when it was one module (``violations.api``)."""

from __future__ import annotations

from typing import Any

from django.test import Client

#: A sample of the ids as they were before the split, one per noun.
KNOWN = {
    ("/api/v1/incidents", "get"): "justicework_violations_api_list_incidents",
    ("/api/v1/violations/bulk", "post"): "justicework_violations_api_bulk_create",
    ("/api/v1/persons/{person_id}/reveal", "post"): "justicework_violations_api_reveal_identity",
    ("/api/v1/victim-groups", "post"): "justicework_violations_api_create_group",
    (
        "/api/v1/units/commanders/{command_id}",
        "patch",
    ): "justicework_violations_api_update_commander",
    ("/api/v1/perpetrations/{perpetration_id}", "delete"): (
        "justicework_violations_api_delete_perpetration"
    ),
    ("/api/v1/sources/{source_id}/links", "delete"): "justicework_violations_api_unlink_source",
}
NOUNS = ("incidents", "violations", "persons", "victim-groups", "units", "perpetrations", "sources")


def _document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_operation_ids_are_those_of_the_single_module() -> None:
    paths = _document()["paths"]
    for (path, method), operation_id in KNOWN.items():
        assert paths[path][method]["operationId"] == operation_id


def test_every_violations_operation_keeps_the_module_prefix_and_ids_are_unique() -> None:
    ids = []
    for path, operations in _document()["paths"].items():
        for operation in operations.values():
            ids.append(operation["operationId"])
            if path.split("/")[3] in NOUNS:
                assert operation["operationId"].startswith("justicework_violations_api_"), path
    assert len(ids) == len(set(ids))
