"""Editing an incident: a change to a verified incident needs a reason and returns it to
documented (audited), a draft returns to its form, an unchanged save writes and audits
nothing, and a bad edit changes nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import Incident

from ..conftest import make_incident
from .conftest import Login, url

pytestmark = pytest.mark.django_db


def body(incident: Incident, **changes: str) -> dict[str, str]:
    """The edit form as the page would post it, with ``changes``."""
    data = {
        "title": incident.title,
        "country": incident.country,
        "start_date": incident.start_date.isoformat() if incident.start_date else "",
        "date_precision": incident.date_precision,
        "context": incident.context or "none_known",
        "sensitivity": incident.sensitivity,
        "save": "1",
    }
    data.update(changes)
    return data


def updates(incident: Incident) -> int:
    return AuditEntry.objects.filter(
        action="violations.incident.updated", object_id=str(incident.pk)
    ).count()


def test_changing_a_verified_incident_asks_for_a_reason_and_changes_nothing_without(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", status="verified")
    client = login(cast.documenter)
    form = client.get(url("incident_edit", incident.pk)).content.decode()
    assert 'name="reason"' in form and "must be verified again" in form
    before = updates(incident)
    response = client.post(
        url("incident_edit", incident.pk), body(incident, title="Shelling of the old market")
    )
    assert response.status_code == 422
    assert "say why you change it" in response.content.decode()
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Shelling of the market", "verified")
    assert updates(incident) == before


@pytest.mark.parametrize("button", ["save", "save_draft"])
def test_a_changed_verified_incident_returns_to_documented_with_its_reason_audited(
    login: Login, cast: SimpleNamespace, button: str
) -> None:
    incident = make_incident(cast.acme, context="iac", status="verified")
    client = login(cast.documenter)
    data = body(incident, title="Shelling of the old market", reason="The survivor corrected it")
    data.pop("save")
    data[button] = "1"
    response = client.post(url("incident_edit", incident.pk), data)
    assert response.status_code == 302
    assert response["Location"] == url("incident_detail", incident.pk)
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Shelling of the old market", "documented")
    entry = AuditEntry.objects.filter(
        action="violations.incident.updated", object_id=str(incident.pk)
    ).latest("seq")
    assert entry.actor_id == cast.documenter.pk
    assert entry.diff["status"] == ["verified", "documented"]
    assert entry.diff["reason"] == "The survivor corrected it"
    assert entry.diff["title"] == ["Shelling of the market", "Shelling of the old market"]
    page = client.get(url("incident_detail", incident.pk)).content.decode()
    assert "waits to be verified again" in page


def test_an_unchanged_save_of_a_verified_incident_keeps_it_verified(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", status="verified")
    response = login(cast.documenter).post(url("incident_edit", incident.pk), body(incident))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "verified"


def test_the_reason_field_is_only_on_verified_incidents(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", status="documented")
    form = login(cast.documenter).get(url("incident_edit", incident.pk)).content.decode()
    assert 'name="reason"' not in form


def test_a_draft_saved_from_its_edit_form_returns_to_the_form(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", status="draft")
    response = login(cast.documenter).post(
        url("incident_edit", incident.pk), body(incident, title="Still writing", save_draft="1")
    )
    assert response["Location"] == url("incident_edit", incident.pk)
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Still writing", "draft")


def test_an_unchanged_save_writes_no_audit_entry(login: Login, cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, context="iac", status="documented")
    before = updates(incident)
    response = login(cast.documenter).post(url("incident_edit", incident.pk), body(incident))
    assert response.status_code == 302
    assert updates(incident) == before
    assert not AuditEntry.objects.filter(
        action="violations.incident.status_changed", object_id=str(incident.pk)
    ).exists()


def test_a_bad_edit_is_422_naming_the_field_and_changes_nothing(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", status="documented")
    before = updates(incident)
    response = login(cast.documenter).post(
        url("incident_edit", incident.pk),
        body(incident, title="Renamed", end_date="2020-01-01", date_precision="range"),
    )
    assert response.status_code == 422
    assert "end_date" in response.context["form"].errors
    incident.refresh_from_db()
    assert incident.title == "Shelling of the market"
    assert updates(incident) == before


def test_making_a_restricted_incident_normal_needs_an_admin(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, context="iac", sensitivity="restricted")
    actions.grant_incident_access(None, cast.documenter, incident, "Case team", None)
    response = login(cast.documenter).post(
        url("incident_edit", incident.pk), body(incident, sensitivity="normal")
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.sensitivity == "restricted"
    response = login(cast.admin).post(
        url("incident_edit", incident.pk), body(incident, sensitivity="normal")
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.sensitivity == "normal"
