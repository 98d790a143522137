"""The incident API: a PATCH of a verified incident needs a reason and returns it to
documented; the reason and the status change are audited."""

from __future__ import annotations

from typing import Any

import pytest

from justicework.violations import actions
from justicework.violations.models import Incident

from ..conftest import last_audit
from .conftest import Api, locs, patch, post

pytestmark = pytest.mark.django_db


def verified(cast: Any) -> Any:
    return actions.create_incident(
        None, cast.acme, title="Raid", date_precision="unknown", status="verified"
    )


def test_patching_a_verified_incident_without_a_reason_is_refused_by_name(
    api: Api, cast: Any
) -> None:
    incident = verified(cast)
    response = patch(api(cast.documenter), f"/api/v1/incidents/{incident.pk}", {"title": "X"})
    assert response.status_code in (400, 422)
    assert "reason" in response.content.decode()
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Raid", "verified")


def test_patching_a_verified_incident_with_a_reason_returns_it_to_documented(
    api: Api, cast: Any
) -> None:
    incident = verified(cast)
    response = patch(
        api(cast.documenter),
        f"/api/v1/incidents/{incident.pk}",
        {"title": "Night raid", "reason": "Corrected after a second interview"},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["status"]) == ("Night raid", "documented")
    entry = last_audit("violations.incident.updated")
    assert entry.diff["reason"] == "Corrected after a second interview"
    assert entry.diff["status"] == ["verified", "documented"]


def test_an_over_long_reason_is_refused_and_changes_nothing(api: Api, cast: Any) -> None:
    incident = verified(cast)
    response = patch(
        api(cast.documenter),
        f"/api/v1/incidents/{incident.pk}",
        {"title": "Night raid", "reason": "x" * 1001},
    )
    assert response.status_code == 422
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Raid", "verified")


def test_the_external_reference_is_set_on_create_and_patch_and_shown(api: Api, cast: Any) -> None:
    client = api(cast.documenter)
    response = post(
        client,
        "/api/v1/incidents",
        {
            "organisation_id": cast.acme.pk,
            "title": "Raid",
            "date_precision": "unknown",
            "external_ref": " CASE-7 ",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["external_ref"] == "CASE-7"
    pk = response.json()["id"]
    response = patch(client, f"/api/v1/incidents/{pk}", {"external_ref": "CASE-8"})
    assert response.status_code == 200, response.content
    assert response.json()["external_ref"] == "CASE-8"
    assert last_audit("violations.incident.updated").diff["external_ref"] == ["CASE-7", "CASE-8"]
    assert client.get(f"/api/v1/incidents/{pk}").json()["external_ref"] == "CASE-8"


def test_an_over_long_external_reference_is_422_by_name_and_changes_nothing(
    api: Api, cast: Any
) -> None:
    incident = verified(cast)
    too_long = "R" * (Incident.EXTERNAL_REF_MAX_LENGTH + 1)
    response = patch(
        api(cast.documenter),
        f"/api/v1/incidents/{incident.pk}",
        {"external_ref": too_long, "reason": "new case number"},
    )
    assert response.status_code == 422
    assert ["body", "payload", "external_ref"] in locs(response)
    response = post(
        api(cast.documenter),
        "/api/v1/incidents",
        {
            "organisation_id": cast.acme.pk,
            "title": "Raid",
            "date_precision": "unknown",
            "external_ref": too_long,
        },
    )
    assert response.status_code == 422
    incident.refresh_from_db()
    assert incident.external_ref == ""
    assert not Incident.objects.filter(external_ref=too_long).exists()


def test_a_viewer_cannot_set_the_external_reference_through_the_api(api: Api, cast: Any) -> None:
    incident = verified(cast)
    response = patch(
        api(cast.viewer), f"/api/v1/incidents/{incident.pk}", {"external_ref": "CASE-1"}
    )
    assert response.status_code in (403, 404)
    incident.refresh_from_db()
    assert incident.external_ref == ""
