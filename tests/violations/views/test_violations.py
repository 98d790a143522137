"""Adding an act from the incident page: its own dates, "save and add another", and a grouping
type refused at the type field with nothing recorded."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from justicework.audit.models import AuditEntry
from justicework.violations.models import Incident, Perpetration, Violation

from ..conftest import make_unit
from .conftest import Login, url

pytestmark = pytest.mark.django_db


def test_an_act_with_its_own_dates_keeps_them_not_the_incidents(
    login: Login, cast: SimpleNamespace, incident: Incident
) -> None:
    response = login(cast.documenter).post(
        url("violation_create", incident.pk),
        {
            "type": "torture",
            "start_date": "2023-05-06",
            "end_date": "2023-05-09",
            "date_precision": "range",
            "date_approximate": "on",
            "victim_outcome": "unknown",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    violation = Violation.objects.get(incident=incident)
    assert (violation.start_date, violation.end_date) == (dt.date(2023, 5, 6), dt.date(2023, 5, 9))
    assert (violation.date_precision, violation.date_approximate) == ("range", True)


def test_save_and_add_another_returns_to_an_empty_form(
    login: Login, cast: SimpleNamespace, incident: Incident
) -> None:
    response = login(cast.documenter).post(
        url("violation_create", incident.pk),
        {
            "type": "torture",
            "date_precision": "day",
            "victim_outcome": "unknown",
            "add_another": "1",
        },
    )
    assert response["Location"] == url("violation_create", incident.pk)
    assert Violation.objects.filter(incident=incident).count() == 1


def test_a_grouping_type_is_refused_at_the_type_field_and_nothing_is_recorded(
    login: Login, cast: SimpleNamespace, incident: Incident
) -> None:
    unit = make_unit(cast.acme)
    response = login(cast.documenter).post(
        url("violation_create", incident.pk),
        {
            "type": "sgbv",
            "date_precision": "day",
            "victim_outcome": "unknown",
            "unit": unit.pk,
            "involvement": "direct",
        },
    )
    assert response.status_code == 422
    assert "type" in response.context["form"].errors
    assert not Violation.objects.exists()
    assert not Perpetration.objects.exists()


def test_editing_an_act_to_a_grouping_type_is_refused_and_audits_nothing(
    login: Login, cast: SimpleNamespace, violation: Violation
) -> None:
    response = login(cast.documenter).post(
        url("violation_edit", violation.pk),
        {
            "type": "sgbv",
            "date_precision": "day",
            "start_date": "2023-05-05",
            "victim_outcome": "released",
            "description": "Corrected account",
        },
    )
    assert response.status_code == 422
    assert "type" in response.context["form"].errors
    violation.refresh_from_db()
    assert (violation.type, violation.description) == ("killing_in_attack", "")
    assert not AuditEntry.objects.filter(action="violations.violation.updated").exists()
