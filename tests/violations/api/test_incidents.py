"""The incident API: a PATCH of a verified incident needs a reason and returns it to
documented; the reason and the status change are audited."""

from __future__ import annotations

from typing import Any

import pytest

from justicework.violations import actions

from ..conftest import last_audit
from .conftest import Api, patch

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
