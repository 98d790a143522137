"""The look-ups that fill ``<datalist>``s: only the active organisation's visible records, only
from two typed characters, never a record the user may not see."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.violations.models import Incident

from ..conftest import make_incident, make_unit
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db


def test_incident_lookup_offers_the_active_organisations_visible_incidents(
    login: Login, cast: SimpleNamespace
) -> None:
    make_incident(cast.acme, title="Siege of Mariupol")
    make_incident(cast.acme, title="Siege secret", sensitivity=Incident.Sensitivity.RESTRICTED)
    make_incident(cast.beacon, title="Siege of Goma")
    page = text(login(cast.viewer).get(url("incident_lookup"), {"to_incident": "siege"}))
    assert "Siege of Mariupol" in page
    assert "Siege secret" not in page  # restricted: need-to-know
    assert "Goma" not in page  # another organisation


def test_incident_lookup_needs_two_characters_and_ignores_a_picked_value(
    login: Login, cast: SimpleNamespace
) -> None:
    incident = make_incident(cast.acme, title="Siege of Mariupol")
    client = login(cast.documenter)
    assert "Mariupol" not in text(client.get(url("incident_lookup"), {"q": "S"}))
    picked = f"Siege of Mariupol (#{incident.pk})"
    assert "<option" not in text(client.get(url("incident_lookup"), {"q": picked}))


def test_lookups_answer_nothing_without_an_organisation_and_refuse_anonymous(
    login: Login, client: object, cast: SimpleNamespace
) -> None:
    make_incident(cast.acme, title="Siege of Mariupol")
    assert "<option" not in text(login(cast.loner).get(url("incident_lookup"), {"q": "siege"}))
    anonymous = client.get(url("incident_lookup"), {"q": "siege"})  # type: ignore[attr-defined]
    assert anonymous.status_code == 302  # to the sign-in page


def test_unit_lookup_reads_the_part_of_field_with_the_same_queries_however_many_units(
    login: Login, cast: SimpleNamespace
) -> None:
    make_unit(cast.acme, name="1st Brigade")
    client = login(cast.documenter)
    assert "<option" not in text(client.get(url("unit_lookup"), {"parent": "  "}))
    with CaptureQueriesContext(connection) as one:
        page = text(client.get(url("unit_lookup"), {"parent": "brigade"}))
    assert "1st Brigade" in page
    for n in range(2, 7):
        make_unit(cast.acme, name=f"{n}th Brigade")
    with CaptureQueriesContext(connection) as six:
        page = text(client.get(url("unit_lookup"), {"parent": "brigade"}))
    assert page.count("<option") == 6
    assert len(six.captured_queries) == len(one.captured_queries)
