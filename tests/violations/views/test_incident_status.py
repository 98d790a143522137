"""Moving an incident between statuses and autosaving it: refusals and their messages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.violations.models import Incident

from ..conftest import make_incident
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db


def test_an_unknown_status_changes_nothing_and_says_so(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, status=Incident.Status.DOCUMENTED)
    client = login(cast.analyst)
    response = client.post(url("incident_status", incident.pk), {"status": "final"}, follow=True)
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.status == Incident.Status.DOCUMENTED
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_status_needs_post(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme)
    response = login(cast.analyst).get(url("incident_status", incident.pk))
    assert response.status_code == 405


def test_a_documented_incident_does_not_autosave(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, status=Incident.Status.DOCUMENTED, title="Kept")
    response = login(cast.documenter).post(
        url("incident_autosave", incident.pk), {"title": "Changed while typing"}
    )
    assert response.status_code == 200
    assert "Only drafts are saved automatically." in text(response)
    incident.refresh_from_db()
    assert incident.title == "Kept"


def test_autosave_reports_what_is_missing(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, status=Incident.Status.DRAFT)
    response = login(cast.documenter).post(url("incident_autosave", incident.pk), {"title": ""})
    assert "Not saved yet" in text(response)


def test_outsider_and_viewer_cannot_autosave(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, status=Incident.Status.DRAFT)
    for user in [cast.viewer, cast.outsider]:
        response = login(user).post(url("incident_autosave", incident.pk), {"title": "x"})
        assert response.status_code == 404
