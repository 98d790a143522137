"""The source's own reference of an incident (``external_ref``) on the web: set in the create
and edit forms, shown on the incident page, bounded by the one rule
(``Incident.EXTERNAL_REF_MAX_LENGTH``) and audited as any other field."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.violations.models import Incident

from ..conftest import last_audit, make_incident
from .conftest import Login, url
from .test_incidents import body

pytestmark = pytest.mark.django_db


def test_an_incident_recorded_on_the_web_keeps_its_external_reference_and_shows_it(
    login: Login, cast: SimpleNamespace
) -> None:
    client = login(cast.documenter)
    form = client.get(url("incident_create")).content.decode()
    assert 'name="external_ref"' in form
    response = client.post(
        url("incident_create"),
        {
            "title": "Raid on the depot",
            "country": "UA",
            "date_precision": "unknown",
            "context": "none_known",
            "sensitivity": "normal",
            "external_ref": "  CASE-77  ",
            "save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = Incident.objects.get(title="Raid on the depot")
    assert incident.external_ref == "CASE-77"
    page = client.get(url("incident_detail", incident.pk)).content.decode()
    assert "External reference" in page
    assert "<bdi>CASE-77</bdi>" in page


def test_editing_the_external_reference_is_audited_with_the_old_value(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", status="documented")
    response = login(cast.documenter).post(
        url("incident_edit", incident.pk), body(incident, external_ref="HRW-2024-12")
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.external_ref == "HRW-2024-12"
    entry = last_audit("violations.incident.updated")
    assert entry.diff["external_ref"] == ["", "HRW-2024-12"]


def test_an_over_long_external_reference_is_refused_on_its_field_and_changes_nothing(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", status="documented")
    too_long = "R" * (Incident.EXTERNAL_REF_MAX_LENGTH + 1)
    response = login(cast.documenter).post(
        url("incident_edit", incident.pk), body(incident, title="Renamed", external_ref=too_long)
    )
    assert response.status_code == 422
    assert "external_ref" in response.context["form"].errors
    incident.refresh_from_db()
    assert (incident.title, incident.external_ref) == ("Shelling of the market", "")


def test_a_viewer_cannot_set_the_external_reference(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, context="iac", status="documented")
    response = login(cast.viewer).post(
        url("incident_edit", incident.pk), body(incident, external_ref="CASE-1")
    )
    assert response.status_code in (403, 404)
    incident.refresh_from_db()
    assert incident.external_ref == ""
