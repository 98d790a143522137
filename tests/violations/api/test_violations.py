"""The violations API: where and to whom an act happened (a location, a victim group) by id, in
one act and in bulk, and what clearing a field with null leaves."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.violations import actions
from justicework.violations.models import Incident, Violation

from ..conftest import make_incident, make_violation
from .conftest import Api, locs, patch, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(cast: SimpleNamespace) -> object:
    return actions.create_victim_group(
        None, cast.acme, description="Residents of the block", number_of_persons=12
    )


def test_an_act_is_placed_and_given_a_victim_group_by_id(
    cast: SimpleNamespace, api: Api, incident: Incident, group: object
) -> None:
    location = incident.locations.get()
    response = post(
        api(cast.documenter),
        "/api/v1/violations",
        {
            "incident_id": incident.pk,
            "type": "killing_in_attack",
            "location_id": location.pk,
            "victim_group_id": group.pk,  # type: ignore[attr-defined]
        },
    )
    assert response.status_code == 201, response.content
    violation = Violation.objects.get()
    assert (violation.location_id, violation.victim_group_id) == (location.pk, group.pk)  # type: ignore[attr-defined]


def test_a_location_of_another_organisations_incident_is_404_and_nothing_is_added(
    cast: SimpleNamespace, api: Api, incident: Incident
) -> None:
    theirs = make_incident(cast.beacon, locations=[{"place_name": "Goma"}]).locations.get()
    response = post(
        api(cast.documenter),
        "/api/v1/violations",
        {"incident_id": incident.pk, "type": "killing_in_attack", "location_id": theirs.pk},
    )
    assert response.status_code == 404
    assert not Violation.objects.exists()


def test_null_clears_the_place_the_group_and_the_texts_and_the_outcome_becomes_unknown(
    cast: SimpleNamespace, api: Api, incident: Incident, group: object
) -> None:
    violation = make_violation(
        incident,
        location=incident.locations.get(),
        victim_group=group,
        method="shelling",
        description="Two shells hit the market.",
        victim_outcome="deceased",
    )
    response = patch(
        api(cast.documenter),
        f"/api/v1/violations/{violation.pk}",
        {
            "location_id": None,
            "victim_group_id": None,
            "method": None,
            "description": None,
            "victim_outcome": None,
        },
    )
    assert response.status_code == 200, response.content
    violation.refresh_from_db()
    assert (violation.location_id, violation.victim_group_id) == (None, None)
    assert (violation.method, violation.description) == ("", "")
    assert violation.victim_outcome == Violation.VictimOutcome.UNKNOWN


def test_bulk_rows_name_the_victim_group_by_code_and_the_place_by_id(
    cast: SimpleNamespace, api: Api, incident: Incident, group: object
) -> None:
    location = incident.locations.get()
    response = post(
        api(cast.documenter),
        "/api/v1/violations/bulk",
        {
            "organisation_id": cast.acme.pk,
            "rows": [
                {
                    "incident_id": incident.pk,
                    "type": "killing_in_attack",
                    "victim_group_code": group.code,  # type: ignore[attr-defined]
                    "location_id": location.pk,
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    violation = Violation.objects.get()
    assert (violation.location_id, violation.victim_group_id) == (location.pk, group.pk)  # type: ignore[attr-defined]


def test_a_bulk_row_naming_an_unknown_victim_group_is_422_at_that_row(
    cast: SimpleNamespace, api: Api, incident: Incident
) -> None:
    response = post(
        api(cast.documenter),
        "/api/v1/violations/bulk",
        {
            "organisation_id": cast.acme.pk,
            "rows": [
                {"incident_id": incident.pk, "type": "killing_in_attack"},
                {
                    "incident_id": incident.pk,
                    "type": "killing_in_attack",
                    "victim_group_code": "G-NOPE",
                },
            ],
        },
    )
    assert response.status_code == 422, response.content
    assert [loc[:3] for loc in locs(response)] == [["body", "rows", 1]]
    assert not Violation.objects.exists()
